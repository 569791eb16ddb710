/* Scaling down by area averaging, and the EXIF orientations, for the
 * stored photo.
 *
 * Area averaging (a box filter with exact fractional coverage) gives each
 * output pixel the mean of the source area it covers, which keeps a
 * photo free of the aliasing a point or bilinear sampler shows at the
 * 5:1 reductions phone photos need. It works in integers: along one
 * axis, source pixel i spans [i * dst, (i + 1) * dst) and output pixel o
 * spans [o * src, (o + 1) * src), so every overlap is an exact integer
 * and each output pixel's weights sum to src_w * src_h. Since dst <= src,
 * a source pixel overlaps at most two output pixels on each axis, and
 * only two output rows are open at a time.
 */
#include <string.h>

#include <apr_strings.h>

#include "pgw_image_job.h"

/* Where source pixel i of an axis goes: its first output pixel, and the
 * weight it gives there; the rest of its weight (dst - first_weight)
 * goes to the next output pixel. */
typedef struct axis_t {
    unsigned int *first;
    unsigned int *first_weight;
} axis_t;

struct pgw_image_scaler_t {
    unsigned int src_w, src_h, dst_w, dst_h;
    axis_t x, y;
    apr_uint32_t *hrow;   /* the current source row, reduced across */
    apr_uint64_t *acc[2]; /* output rows o (acc[o % 2]) and o + 1 */
    unsigned char *out;
    unsigned int rows; /* source rows fed */
};

static axis_t axis_make(apr_pool_t *p, unsigned int src, unsigned int dst)
{
    axis_t a;
    apr_uint64_t start, end, first_end;
    unsigned int i;

    a.first = apr_palloc(p, src * sizeof(*a.first));
    a.first_weight = apr_palloc(p, src * sizeof(*a.first_weight));
    for (i = 0; i < src; i++) {
        start = (apr_uint64_t)i * dst;
        end = start + dst;
        a.first[i] = (unsigned int)(start / src);
        first_end = ((apr_uint64_t)a.first[i] + 1) * src;
        a.first_weight[i] =
            (unsigned int)((end < first_end ? end : first_end) - start);
    }
    return a;
}

pgw_image_scaler_t *pgw_image_scaler_make(apr_pool_t *p, unsigned int src_w,
                                          unsigned int src_h,
                                          unsigned int dst_w,
                                          unsigned int dst_h)
{
    pgw_image_scaler_t *s = apr_pcalloc(p, sizeof(*s));
    apr_size_t row = (apr_size_t)dst_w * 3;

    s->src_w = src_w;
    s->src_h = src_h;
    s->dst_w = dst_w;
    s->dst_h = dst_h;
    s->x = axis_make(p, src_w, dst_w);
    s->y = axis_make(p, src_h, dst_h);
    s->hrow = apr_palloc(p, row * sizeof(*s->hrow));
    s->acc[0] = apr_pcalloc(p, row * sizeof(*s->acc[0]));
    s->acc[1] = apr_pcalloc(p, row * sizeof(*s->acc[1]));
    s->out = apr_palloc(p, row * dst_h);
    return s;
}

/* Reduces one source row to dst_w pixels, weighted by horizontal
 * coverage (each output pixel's weights sum to src_w). */
static void scaler_reduce_row(pgw_image_scaler_t *s, const unsigned char *rgb)
{
    unsigned int i, c, o, w1, w2;

    memset(s->hrow, 0, (apr_size_t)s->dst_w * 3 * sizeof(*s->hrow));
    for (i = 0; i < s->src_w; i++, rgb += 3) {
        o = s->x.first[i] * 3;
        w1 = s->x.first_weight[i];
        w2 = s->dst_w - w1;
        for (c = 0; c < 3; c++) {
            s->hrow[o + c] += rgb[c] * w1;
        }
        if (w2 > 0) {
            for (c = 0; c < 3; c++) {
                s->hrow[o + 3 + c] += rgb[c] * w2;
            }
        }
    }
}

static void scaler_add(apr_uint64_t *acc, const apr_uint32_t *hrow,
                       apr_size_t n, unsigned int weight)
{
    apr_size_t i;

    for (i = 0; i < n; i++) {
        acc[i] += (apr_uint64_t)hrow[i] * weight;
    }
}

/* Output row o is complete: divide by the total weight, rounding. */
static void scaler_emit(pgw_image_scaler_t *s, unsigned int o)
{
    apr_size_t i, n = (apr_size_t)s->dst_w * 3;
    apr_uint64_t total = (apr_uint64_t)s->src_w * s->src_h;
    apr_uint64_t *acc = s->acc[o % 2];
    unsigned char *out = s->out + n * o;

    for (i = 0; i < n; i++) {
        out[i] = (unsigned char)((acc[i] + total / 2) / total);
        acc[i] = 0;
    }
}

void pgw_image_scaler_row(pgw_image_scaler_t *s, const unsigned char *rgb)
{
    unsigned int y = s->rows, o, w1, w2;
    apr_size_t n = (apr_size_t)s->dst_w * 3;

    if (y >= s->src_h) {
        return;
    }
    s->rows++;
    scaler_reduce_row(s, rgb);
    o = s->y.first[y];
    w1 = s->y.first_weight[y];
    w2 = s->dst_h - w1;
    scaler_add(s->acc[o % 2], s->hrow, n, w1);
    if (w2 > 0) {
        scaler_add(s->acc[(o + 1) % 2], s->hrow, n, w2);
    }
    /* output row o ends within this source row, or exactly at its end */
    if ((apr_uint64_t)(y + 1) * s->dst_h >= ((apr_uint64_t)o + 1) * s->src_h) {
        scaler_emit(s, o);
    }
}

const unsigned char *pgw_image_scaler_result(const pgw_image_scaler_t *s)
{
    return s->rows == s->src_h ? s->out : NULL;
}

/* Where output pixel (x, y) of the turned image comes from in the
 * stored w x h image. Each EXIF orientation (EXIF 2.32, tag 0x0112: which
 * sides the stored 0th row and 0th column belong at) is a transposition
 * for 5 to 8, then a mirror of the stored x and/or y. */
static apr_size_t orient_source(int orientation, unsigned int x, unsigned int y,
                                unsigned int w, unsigned int h)
{
    static const char flip_x[9] = {0, 0, 1, 1, 0, 0, 0, 1, 1};
    static const char flip_y[9] = {0, 0, 0, 1, 1, 0, 1, 1, 0};
    unsigned int u = orientation >= 5 ? y : x;
    unsigned int v = orientation >= 5 ? x : y;
    unsigned int sx = flip_x[orientation] ? w - 1 - u : u;
    unsigned int sy = flip_y[orientation] ? h - 1 - v : v;

    return ((apr_size_t)sy * w + sx) * 3;
}

unsigned char *pgw_image_orient(apr_pool_t *p, const unsigned char *rgb,
                                unsigned int w, unsigned int h, int orientation)
{
    unsigned int ow = orientation >= 5 ? h : w;
    unsigned int oh = orientation >= 5 ? w : h;
    unsigned char *out = apr_palloc(p, (apr_size_t)w * h * 3), *d = out;
    unsigned int x, y;
    apr_size_t from;

    for (y = 0; y < oh; y++) {
        for (x = 0; x < ow; x++, d += 3) {
            from = orient_source(orientation, x, y, w, h);
            memcpy(d, rgb + from, 3);
        }
    }
    return out;
}
