/* The photo pipeline of Upload Foto (PRODUCT.md, "Photo rules"): file
 * type and size, the header's limits and rules, then decoding, scaling,
 * orientation and the new JPEG. The decoders are pgw_image_jpeg.c and
 * pgw_image_png.c, the scaler pgw_image_scale.c.
 *
 * Messages for the employee are Indonesian and say which rule failed and
 * what the file had; messages for the log are English.
 */
#include <string.h>

#include <apr_strings.h>

#include "pgw_image_job.h"

void pgw_image_rules_default(pgw_image_rules_t *rules)
{
    memset(rules, 0, sizeof(*rules));
    rules->types = PGW_IMAGE_JPEG | PGW_IMAGE_PNG;
    rules->max_bytes = 2 * 1024 * 1024;
    rules->min_width = 300;
    rules->min_height = 400;
    rules->portrait = 1;
    rules->aspects[0].width = 3;
    rules->aspects[0].height = 4;
    rules->aspects[1].width = 2;
    rules->aspects[1].height = 3;
    rules->aspect_count = 2;
    rules->aspect_tolerance = 5;
    rules->max_pixels = 24000000;
    rules->max_scans = 100;
    rules->out_width = 600;
    rules->out_height = 800;
    rules->quality = 85;
}

void pgw_image_rules_merge(pgw_image_rules_t *out,
                           const pgw_image_rules_t *base,
                           const pgw_image_rules_t *add)
{
    pgw_image_rules_t r = *base;

#define TAKE(bit, field)                                                       \
    if (add->set & (bit)) {                                                    \
        r.field = add->field;                                                  \
    }
    TAKE(PGW_IMAGE_SET_TYPES, types);
    TAKE(PGW_IMAGE_SET_MAX_BYTES, max_bytes);
    TAKE(PGW_IMAGE_SET_MIN_SIZE, min_width);
    TAKE(PGW_IMAGE_SET_MIN_SIZE, min_height);
    TAKE(PGW_IMAGE_SET_PORTRAIT, portrait);
    TAKE(PGW_IMAGE_SET_ASPECTS, aspect_count);
    TAKE(PGW_IMAGE_SET_ASPECTS, aspect_tolerance);
    TAKE(PGW_IMAGE_SET_OUT_SIZE, out_width);
    TAKE(PGW_IMAGE_SET_OUT_SIZE, out_height);
    TAKE(PGW_IMAGE_SET_QUALITY, quality);
    TAKE(PGW_IMAGE_SET_MAX_PIXELS, max_pixels);
#undef TAKE
    if (add->set & PGW_IMAGE_SET_ASPECTS) {
        memcpy(r.aspects, add->aspects, sizeof(r.aspects));
    }
    r.set = base->set | add->set;
    *out = r;
}

static int rules_aspects_ok(const pgw_image_rules_t *r)
{
    unsigned int i;

    if (r->aspect_count > PGW_IMAGE_MAX_ASPECTS || r->aspect_tolerance > 100) {
        return 0;
    }
    for (i = 0; i < r->aspect_count; i++) {
        if (r->aspects[i].width == 0 || r->aspects[i].height == 0
            || r->aspects[i].width > 1000 || r->aspects[i].height > 1000) {
            return 0;
        }
    }
    return 1;
}

/* Whether a photo taller than wide can meet the aspects: a ratio W:H
 * within t percent reaches down to W/H * (1 - t/100), which must be under
 * 1 for some ratio (aspect_ok() below). */
static int rules_admit_portrait(const pgw_image_rules_t *r)
{
    apr_uint64_t reach;
    unsigned int i;

    if (!r->portrait || r->aspect_count == 0 || r->aspect_tolerance >= 100) {
        return 1;
    }
    for (i = 0; i < r->aspect_count; i++) {
        reach = (apr_uint64_t)r->aspects[i].width * (100 - r->aspect_tolerance);
        if (reach < (apr_uint64_t)r->aspects[i].height * 100) {
            return 1;
        }
    }
    return 0;
}

apr_status_t pgw_image_rules_check(const pgw_image_rules_t *r,
                                   const char **errmsg)
{
    if ((r->types & (PGW_IMAGE_JPEG | PGW_IMAGE_PNG)) == 0
        || (r->types & ~(PGW_IMAGE_JPEG | PGW_IMAGE_PNG)) != 0) {
        *errmsg = "photo types: JPEG, PNG or both";
    }
    else if (r->max_bytes == 0) {
        *errmsg = "photo size limit must be positive";
    }
    else if (!rules_aspects_ok(r)) {
        *errmsg = "photo aspects: up to 4 ratios of 1 to 1000, tolerance "
                  "0 to 100 percent";
    }
    /* 65500 is libjpeg's JPEG_MAX_DIMENSION, which the output must meet */
    else if (r->out_width == 0 || r->out_height == 0 || r->out_width > 65500
             || r->out_height > 65500) {
        *errmsg = "photo output size must be 1 to 65500 pixels each way";
    }
    else if (r->quality < 1 || r->quality > 100) {
        *errmsg = "photo quality must be 1 to 100";
    }
    else if (r->max_pixels == 0 || r->max_scans == 0) {
        *errmsg = "photo pixel and scan limits must be positive";
    }
    else if ((apr_uint64_t)r->min_width * r->min_height > r->max_pixels) {
        *errmsg = "PegawaiPhotoMinSize is more pixels than "
                  "PegawaiPhotoMaxPixels: every photo would be refused";
    }
    else if (!rules_admit_portrait(r)) {
        *errmsg = "PegawaiPhotoPortrait On and PegawaiPhotoAspect admit no "
                  "photo together: every ratio, within its tolerance, is "
                  "at least as wide as tall";
    }
    else {
        return APR_SUCCESS;
    }
    return APR_EINVAL;
}

/* ---------------------------------------------------------- file type */

static int starts_with(const unsigned char *d, apr_size_t len,
                       const char *magic, apr_size_t n)
{
    return len >= n && memcmp(d, magic, n) == 0;
}

unsigned int pgw_image_type(const unsigned char *d, apr_size_t len)
{
    if (starts_with(d, len, "\xff\xd8\xff", 3)) {
        return PGW_IMAGE_JPEG; /* SOI then a marker (ITU T.81 B.1.1.2) */
    }
    if (starts_with(d, len, "\x89PNG\r\n\x1a\n", 8)) {
        return PGW_IMAGE_PNG; /* the signature, PNG section 5.2 */
    }
    return 0;
}

/* Names the other formats people upload, for a clearer refusal. */
static const char *other_type_name(const unsigned char *d, apr_size_t len)
{
    if (starts_with(d, len, "GIF87a", 6) || starts_with(d, len, "GIF89a", 6)) {
        return "GIF";
    }
    if (starts_with(d, len, "RIFF", 4) && len >= 12
        && memcmp(d + 8, "WEBP", 4) == 0) {
        return "WebP";
    }
    if (len >= 12 && memcmp(d + 4, "ftyp", 4) == 0) {
        return "HEIC/HEIF";
    }
    if (starts_with(d, len, "II*\0", 4) || starts_with(d, len, "MM\0*", 4)) {
        return "TIFF";
    }
    if (starts_with(d, len, "BM", 2)) {
        return "BMP";
    }
    if (starts_with(d, len, "%PDF", 4)) {
        return "PDF";
    }
    return NULL;
}

static const char *type_name(unsigned int type)
{
    return type == PGW_IMAGE_JPEG ? "JPEG" : "PNG";
}

static const char *allowed_types(unsigned int types)
{
    if (types == (PGW_IMAGE_JPEG | PGW_IMAGE_PNG)) {
        return "JPEG atau PNG";
    }
    return type_name(types);
}

static apr_status_t check_type(pgw_image_job_t *job)
{
    unsigned int allowed = job->rules->types;
    const char *name;

    job->type = pgw_image_type(job->data, job->len);
    if (job->type != 0 && (job->type & allowed)) {
        return APR_SUCCESS;
    }
    name =
        job->type ? type_name(job->type) : other_type_name(job->data, job->len);
    if (name == NULL) {
        return pgw_image_refuse(job,
                                apr_psprintf(job->pool, "berkas bukan foto %s",
                                             allowed_types(allowed)),
                                "photo refused: not a JPEG or PNG file");
    }
    return pgw_image_refuse(
        job,
        apr_psprintf(job->pool, "jenis berkas %s tidak diterima, hanya %s",
                     name, allowed_types(allowed)),
        apr_psprintf(job->pool, "photo refused: type %s not allowed", name));
}

/* ------------------------------------------------------------- sizes */

/* 1234567 -> "1.234.567", the Indonesian grouping. */
static const char *grouped(apr_pool_t *p, apr_uint64_t n)
{
    const char *digits = apr_psprintf(p, "%" APR_UINT64_T_FMT, n);
    apr_size_t len = strlen(digits), i, j = 0;
    char *out = apr_palloc(p, len + len / 3 + 1);

    for (i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0) {
            out[j++] = '.';
        }
        out[j++] = digits[i];
    }
    out[j] = '\0';
    return out;
}

static apr_status_t check_bytes(pgw_image_job_t *job)
{
    apr_size_t max = job->rules->max_bytes;

    if (job->len <= max) {
        return APR_SUCCESS;
    }
    /* the file rounded up and the limit down, so they never look equal */
    return pgw_image_refuse(
        job,
        apr_psprintf(job->pool, "ukuran berkas %s KB, maksimal %s KB",
                     grouped(job->pool, (job->len + 1023) / 1024),
                     grouped(job->pool, max / 1024)),
        "photo refused: larger than the size limit");
}

/* ----------------------------------------------------- header rules */

static const char *aspect_list(const pgw_image_job_t *job)
{
    const pgw_image_rules_t *r = job->rules;
    const char *list = "";
    unsigned int i;

    for (i = 0; i < r->aspect_count; i++) {
        list = apr_psprintf(job->pool, "%s%s%u:%u", list,
                            i == 0                     ? ""
                            : i + 1 == r->aspect_count ? " atau "
                                                       : ", ",
                            r->aspects[i].width, r->aspects[i].height);
    }
    return list;
}

/* Within tolerance percent of one of the aspects: |w/h - aw/ah| <=
 * (aw/ah) * tolerance / 100, multiplied out to stay in integers. */
static int aspect_ok(const pgw_image_rules_t *r, apr_uint64_t w, apr_uint64_t h)
{
    apr_uint64_t aw, ah, lhs;
    unsigned int i;

    for (i = 0; i < r->aspect_count; i++) {
        aw = r->aspects[i].width;
        ah = r->aspects[i].height;
        lhs = w * ah > h * aw ? w * ah - h * aw : h * aw - w * ah;
        if (lhs * 100 <= aw * h * r->aspect_tolerance) {
            return 1;
        }
    }
    return r->aspect_count == 0;
}

static const char *pixels_limit(apr_pool_t *p, apr_uint64_t max)
{
    if (max % 1000000 == 0) {
        return apr_psprintf(p, "%" APR_UINT64_T_FMT " megapiksel",
                            max / 1000000);
    }
    return apr_psprintf(p, "%s piksel", grouped(p, max));
}

/* The rules on w x h (orientation applied), in the order the employee
 * reads them on the page. */
static apr_status_t check_rules(pgw_image_job_t *job, unsigned int w,
                                unsigned int h)
{
    const pgw_image_rules_t *r = job->rules;
    apr_pool_t *p = job->pool;

    if (w < r->min_width || h < r->min_height) {
        return pgw_image_refuse(job,
                                apr_psprintf(p,
                                             "foto %ux%u piksel, minimal %ux%u",
                                             w, h, r->min_width, r->min_height),
                                "photo refused: below the minimum size");
    }
    if (r->portrait && h <= w) {
        return pgw_image_refuse(
            job,
            apr_psprintf(p,
                         "foto %ux%u piksel tidak tegak (potret): tinggi "
                         "harus lebih besar dari lebar",
                         w, h),
            "photo refused: not portrait");
    }
    if (!aspect_ok(r, w, h)) {
        return pgw_image_refuse(
            job,
            apr_psprintf(p,
                         "perbandingan sisi foto %ux%u piksel tidak "
                         "mendekati %s",
                         w, h, aspect_list(job)),
            "photo refused: aspect ratio");
    }
    return APR_SUCCESS;
}

/* The output size: w x h scaled down to fit out_width x out_height,
 * keeping the aspect (never scaled up, never below 1 pixel). */
static void fit(const pgw_image_rules_t *r, unsigned int w, unsigned int h,
                unsigned int *dw, unsigned int *dh)
{
    apr_uint64_t mw = r->out_width, mh = r->out_height, v;

    *dw = w;
    *dh = h;
    if (w <= mw && h <= mh) {
        return;
    }
    if (mw * h <= mh * w) { /* the width is the tighter bound */
        v = ((apr_uint64_t)h * mw + w / 2) / w;
        *dw = (unsigned int)mw;
        *dh = (unsigned int)(v < 1 ? 1 : v > mh ? mh : v);
    }
    else {
        v = ((apr_uint64_t)w * mh + h / 2) / h;
        *dh = (unsigned int)mh;
        *dw = (unsigned int)(v < 1 ? 1 : v > mw ? mw : v);
    }
}

apr_status_t pgw_image_job_header(pgw_image_job_t *job)
{
    int turned = job->orientation >= 5; /* 90 degrees: w and h swap */
    unsigned int w = turned ? job->height : job->width;
    unsigned int h = turned ? job->width : job->height;
    unsigned int dw, dh;
    apr_status_t rv;

    if (w == 0 || h == 0 || (apr_uint64_t)w * h > job->rules->max_pixels) {
        return pgw_image_refuse(
            job,
            apr_psprintf(job->pool,
                         "foto %ux%u piksel terlalu besar, maksimal %s", w, h,
                         pixels_limit(job->pool, job->rules->max_pixels)),
            "photo refused: over the pixel limit, not decoded");
    }
    rv = check_rules(job, w, h);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    fit(job->rules, w, h, &dw, &dh);
    job->scaled_width = turned ? dh : dw;
    job->scaled_height = turned ? dw : dh;
    job->scaler = pgw_image_scaler_make(job->temp, job->width, job->height,
                                        job->scaled_width, job->scaled_height);
    return APR_SUCCESS;
}

void pgw_image_job_row(pgw_image_job_t *job, const unsigned char *rgb)
{
    pgw_image_scaler_row(job->scaler, rgb);
}

apr_status_t pgw_image_refuse(pgw_image_job_t *job, const char *errmsg,
                              const char *logmsg)
{
    job->errmsg = errmsg;
    job->logmsg = logmsg;
    return APR_EINVAL;
}

/* -------------------------------------------------------------- EXIF */

static unsigned int exif_u16(const unsigned char *b, int big_endian)
{
    return big_endian ? (b[0] << 8) | b[1] : (b[1] << 8) | b[0];
}

static apr_uint32_t exif_u32(const unsigned char *b, int big_endian)
{
    return big_endian
               ? ((apr_uint32_t)exif_u16(b, 1) << 16) | exif_u16(b + 2, 1)
               : ((apr_uint32_t)exif_u16(b + 2, 0) << 16) | exif_u16(b, 0);
}

/* TIFF 6.0 section 2: an 8-byte header (byte order, 42, the offset of
 * IFD0), then IFD0: a 2-byte count and 12-byte entries (tag, type,
 * count, value). Orientation is tag 0x0112, one SHORT (type 3). */
int pgw_image_exif_orientation(const unsigned char *tiff, apr_size_t len)
{
    int be;
    apr_uint32_t ifd;
    apr_size_t n, i, entry;
    unsigned int value;

    if (len < 8 || (memcmp(tiff, "MM", 2) != 0 && memcmp(tiff, "II", 2) != 0)) {
        return 1;
    }
    be = tiff[0] == 'M';
    ifd = exif_u32(tiff + 4, be);
    if (exif_u16(tiff + 2, be) != 42 || ifd < 8 || ifd > len - 2) {
        return 1;
    }
    n = exif_u16(tiff + ifd, be);
    for (i = 0; i < n && (len - ifd - 2) / 12 > i; i++) {
        entry = ifd + 2 + 12 * i;
        if (exif_u16(tiff + entry, be) == 0x0112
            && exif_u16(tiff + entry + 2, be) == 3
            && exif_u32(tiff + entry + 4, be) == 1) {
            value = exif_u16(tiff + entry + 8, be);
            return value >= 1 && value <= 8 ? (int)value : 1;
        }
    }
    return 1;
}

/* ---------------------------------------------------------- pipeline */

static apr_status_t finish(pgw_image_job_t *job, pgw_image_t **image)
{
    const unsigned char *scaled = pgw_image_scaler_result(job->scaler);
    unsigned int sw = job->scaled_width, sh = job->scaled_height;
    int turned = job->orientation >= 5;
    pgw_image_t *img;
    apr_status_t rv;

    if (scaled == NULL) {
        return pgw_image_refuse(job, "berkas foto rusak atau tidak lengkap",
                                "photo decoder delivered too few rows");
    }
    if (job->orientation != 1) {
        scaled = pgw_image_orient(job->temp, scaled, sw, sh, job->orientation);
    }
    img = apr_pcalloc(job->pool, sizeof(*img));
    img->width = turned ? sh : sw;
    img->height = turned ? sw : sh;
    rv = pgw_image_jpeg_encode(job, scaled, img->width, img->height, &img->jpeg,
                               &img->jpeg_len);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    img->type = job->type;
    img->orientation = job->orientation;
    img->decoder_peak = job->decoder_peak;
    img->source_width = turned ? job->height : job->width;
    img->source_height = turned ? job->width : job->height;
    *image = img;
    return APR_SUCCESS;
}

apr_status_t pgw_image_process(apr_pool_t *p, const unsigned char *data,
                               apr_size_t len, const pgw_image_rules_t *rules,
                               pgw_image_t **image, const char **errmsg,
                               const char **logmsg)
{
    pgw_image_job_t *job = apr_pcalloc(p, sizeof(*job));
    apr_status_t rv;

    job->pool = p;
    job->rules = rules;
    job->data = data;
    job->len = len;
    job->orientation = 1;
    apr_pool_create(&job->temp, p);
    rv = check_bytes(job);
    if (rv == APR_SUCCESS) {
        rv = check_type(job);
    }
    if (rv == APR_SUCCESS) {
        rv = job->type == PGW_IMAGE_JPEG ? pgw_image_jpeg_decode(job)
                                         : pgw_image_png_decode(job);
    }
    if (rv == APR_SUCCESS) {
        rv = finish(job, image);
    }
    apr_pool_destroy(job->temp);
    if (rv != APR_SUCCESS) {
        *errmsg = job->errmsg;
        *logmsg = job->logmsg;
    }
    return rv;
}
