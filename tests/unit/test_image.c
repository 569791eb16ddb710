/* Unit tests of pgw_image*.c. Every test file is generated here with
 * libjpeg and libpng (or crafted byte by byte from a generated one), so
 * the suite needs no binary fixtures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <check.h>
#include <jpeglib.h>
#include <png.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_buf.h"
#include "pgw_image.h"
#include "pgw_image_job.h"

static apr_pool_t *pool;
static pgw_image_rules_t rules;

static void setup(void)
{
    ck_assert_int_eq(apr_pool_create(&pool, NULL), APR_SUCCESS);
    pgw_image_rules_default(&rules);
}

static void teardown(void)
{
    apr_pool_destroy(pool);
}

/* ------------------------------------------------------- test images */

/* Writes the components of pixel (x, y) of a w x h image. */
typedef void fill_fn(unsigned int x, unsigned int y, unsigned int w,
                     unsigned int h, unsigned char *px);

static void fill_rgb_gradient(unsigned int x, unsigned int y, unsigned int w,
                              unsigned int h, unsigned char *px)
{
    px[0] = (unsigned char)(x * 255 / w);
    px[1] = (unsigned char)(y * 255 / h);
    px[2] = 128;
}

/* Left half red, right half blue: shows which way a turn went. */
static void fill_red_blue(unsigned int x, unsigned int y, unsigned int w,
                          unsigned int h, unsigned char *px)
{
    px[0] = x < w / 2 ? 255 : 0;
    px[1] = 0;
    px[2] = x < w / 2 ? 0 : 255;
}

static void fill_gray(unsigned int x, unsigned int y, unsigned int w,
                      unsigned int h, unsigned char *px)
{
    px[0] = (unsigned char)((x + y) % 256);
}

/* Adobe-inverted CMYK (255 is no ink): red on top, yellow below. */
static void fill_cmyk_inverted(unsigned int x, unsigned int y, unsigned int w,
                               unsigned int h, unsigned char *px)
{
    px[0] = 255;                 /* no cyan */
    px[1] = y < h / 2 ? 0 : 255; /* full magenta on top */
    px[2] = 0;                   /* full yellow */
    px[3] = 255;                 /* no black */
}

typedef struct jpeg_spec_t {
    unsigned int w, h;
    J_COLOR_SPACE space;
    int progressive;
    fill_fn *fill;
    int marker; /* written after the JFIF header when not 0 */
    const char *marker_data;
    apr_size_t marker_len;
    const jpeg_scan_info *script; /* a progressive scan script */
    int script_len;
} jpeg_spec_t;

static int components(J_COLOR_SPACE space)
{
    return space == JCS_GRAYSCALE ? 1 : space == JCS_CMYK ? 4 : 3;
}

static void jpeg_rows(j_compress_ptr c, const jpeg_spec_t *s)
{
    int n = components(s->space);
    JSAMPROW row = malloc((size_t)s->w * n);
    unsigned int x;

    while (c->next_scanline < s->h) {
        for (x = 0; x < s->w; x++) {
            s->fill(x, c->next_scanline, s->w, s->h, row + x * n);
        }
        jpeg_write_scanlines(c, &row, 1);
    }
    free(row);
}

static const unsigned char *make_jpeg(const jpeg_spec_t *s, apr_size_t *len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    unsigned char *mem = NULL, *copy;
    unsigned long size = 0;

    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &mem, &size);
    c.image_width = s->w;
    c.image_height = s->h;
    c.input_components = components(s->space);
    c.in_color_space = s->space;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 90, TRUE);
    if (s->progressive) {
        jpeg_simple_progression(&c);
    }
    if (s->script) {
        c.scan_info = s->script;
        c.num_scans = s->script_len;
    }
    jpeg_start_compress(&c, TRUE);
    if (s->marker) {
        jpeg_write_marker(&c, s->marker, (const JOCTET *)s->marker_data,
                          (unsigned int)s->marker_len);
    }
    jpeg_rows(&c, s);
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    copy = apr_pmemdup(pool, mem, size);
    free(mem);
    *len = size;
    return copy;
}

static const unsigned char *simple_jpeg(unsigned int w, unsigned int h,
                                        apr_size_t *len)
{
    jpeg_spec_t s = {
        .w = w, .h = h, .space = JCS_RGB, .fill = fill_rgb_gradient};

    return make_jpeg(&s, len);
}

typedef struct png_spec_t {
    unsigned int w, h;
    int depth;
    int color_type;
    int interlace;
    fill_fn *fill; /* 8-bit values; 16-bit files get them times 257 */
    int animated;  /* acTL and fcTL before IDAT */
    /* sets ancillary chunks (text, iCCP) before the header is written */
    void (*ancillary)(png_structp png, png_infop info);
} png_spec_t;

static void png_to_buf(png_structp png, png_bytep data, size_t len)
{
    pgw_buf_append(png_get_io_ptr(png), (const char *)data, len);
}

static void png_flush_none(png_structp png)
{
}

static void png_write_apng_chunks(png_structp png, const png_spec_t *s)
{
    /* acTL: 1 frame, played forever; fcTL: frame 0 over the image */
    static const png_byte actl[8] = {0, 0, 0, 1, 0, 0, 0, 0};
    png_byte fctl[26] = {0};

    fctl[4] = (png_byte)(s->w >> 24);
    fctl[5] = (png_byte)(s->w >> 16);
    fctl[6] = (png_byte)(s->w >> 8);
    fctl[7] = (png_byte)s->w;
    fctl[8] = (png_byte)(s->h >> 24);
    fctl[9] = (png_byte)(s->h >> 16);
    fctl[10] = (png_byte)(s->h >> 8);
    fctl[11] = (png_byte)s->h;
    fctl[23] = 1; /* delay 0/1 s */
    png_write_chunk(png, (png_const_bytep) "acTL", actl, sizeof(actl));
    png_write_chunk(png, (png_const_bytep) "fcTL", fctl, sizeof(fctl));
}

static void png_palette(png_structp png, png_infop info)
{
    png_color palette[2] = {{255, 0, 0}, {0, 0, 255}};
    png_byte trns[2] = {255, 0}; /* blue is transparent */

    png_set_PLTE(png, info, palette, 2);
    png_set_tRNS(png, info, trns, 2, NULL);
}

static void png_rows(png_structp png, const png_spec_t *s, int channels)
{
    int bytes = s->depth == 16 ? 2 : 1;
    png_bytep row = malloc((size_t)s->w * channels * bytes);
    unsigned char px[4];
    unsigned int x, y;
    int c, passes = png_set_interlace_handling(png), pass;

    for (pass = 0; pass < passes; pass++) {
        for (y = 0; y < s->h; y++) {
            for (x = 0; x < s->w; x++) {
                s->fill(x, y, s->w, s->h, px);
                for (c = 0; c < channels; c++) {
                    row[(x * channels + c) * bytes] = px[c];
                    if (bytes == 2) {
                        row[(x * channels + c) * 2 + 1] = px[c];
                    }
                }
            }
            png_write_row(png, row);
        }
    }
    free(row);
}

static const unsigned char *make_png(const png_spec_t *s, apr_size_t *len)
{
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    pgw_buf_t *b = pgw_buf_make(pool, 4096);

    png_set_write_fn(png, b, png_to_buf, png_flush_none);
    png_set_IHDR(png, info, s->w, s->h, s->depth, s->color_type, s->interlace,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (s->color_type == PNG_COLOR_TYPE_PALETTE) {
        png_palette(png, info);
    }
    if (s->ancillary) {
        s->ancillary(png, info);
    }
    png_write_info(png, info);
    if (s->animated) {
        png_write_apng_chunks(png, s);
    }
    png_rows(png, s, png_get_channels(png, info));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    *len = b->len;
    return (const unsigned char *)b->data;
}

static void fill_rgba_half_clear(unsigned int x, unsigned int y, unsigned int w,
                                 unsigned int h, unsigned char *px)
{
    px[0] = px[1] = px[2] = 0;   /* black */
    px[3] = x < w / 2 ? 255 : 0; /* right half transparent */
}

static void fill_palette_index(unsigned int x, unsigned int y, unsigned int w,
                               unsigned int h, unsigned char *px)
{
    px[0] = y < h / 2 ? 0 : 1;
}

/* -------------------------------------------------- reading the output */

typedef struct decoded_t {
    unsigned int w, h;
    unsigned char *rgb;
} decoded_t;

static decoded_t decode(const unsigned char *data, apr_size_t len)
{
    struct jpeg_decompress_struct d;
    struct jpeg_error_mgr e;
    decoded_t out;
    JSAMPROW row;

    d.err = jpeg_std_error(&e);
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, data, len);
    ck_assert_int_eq(jpeg_read_header(&d, TRUE), JPEG_HEADER_OK);
    ck_assert(!d.progressive_mode);
    d.out_color_space = JCS_RGB;
    jpeg_start_decompress(&d);
    out.w = d.output_width;
    out.h = d.output_height;
    out.rgb = apr_palloc(pool, (apr_size_t)out.w * out.h * 3);
    while (d.output_scanline < d.output_height) {
        row = out.rgb + (apr_size_t)d.output_scanline * out.w * 3;
        jpeg_read_scanlines(&d, &row, 1);
    }
    jpeg_finish_decompress(&d);
    ck_assert_int_eq(e.num_warnings, 0);
    jpeg_destroy_decompress(&d);
    return out;
}

static const unsigned char *pixel(const decoded_t *d, unsigned int x,
                                  unsigned int y)
{
    return d->rgb + ((apr_size_t)y * d->w + x) * 3;
}

/* Each colour within 40 of the expected one (JPEG is lossy). */
static void assert_colour(const decoded_t *d, unsigned int x, unsigned int y,
                          int r, int g, int b)
{
    const unsigned char *p = pixel(d, x, y);

    ck_assert_msg(abs(p[0] - r) < 40 && abs(p[1] - g) < 40
                      && abs(p[2] - b) < 40,
                  "pixel %u,%u is %d,%d,%d, expected %d,%d,%d", x, y, p[0],
                  p[1], p[2], r, g, b);
}

/* The markers of a JPEG before its first SOS, as a string of hex
 * codes: "e0 db c0 c4 da". */
static const char *markers(const unsigned char *d, apr_size_t len)
{
    const char *list = "";
    apr_size_t pos = 2;

    ck_assert(len > 4 && d[0] == 0xff && d[1] == 0xd8);
    while (pos + 4 <= len && d[pos] == 0xff) {
        list =
            apr_psprintf(pool, "%s%s%02x", list, *list ? " " : "", d[pos + 1]);
        if (d[pos + 1] == 0xda) {
            break;
        }
        pos += 2 + ((apr_size_t)d[pos + 2] << 8 | d[pos + 3]);
    }
    return list;
}

static int contains(const unsigned char *d, apr_size_t len, const char *s)
{
    return memmem(d, len, s, strlen(s)) != NULL;
}

/* ------------------------------------------------------------ running */

typedef struct result_t {
    apr_status_t rv;
    pgw_image_t *image;
    const char *errmsg;
    const char *logmsg;
} result_t;

static result_t process(const unsigned char *data, apr_size_t len)
{
    result_t r = {0, NULL, NULL, NULL};

    r.rv = pgw_image_process(pool, data, len, &rules, &r.image, &r.errmsg,
                             &r.logmsg);
    if (r.rv == APR_SUCCESS) {
        ck_assert_ptr_nonnull(r.image);
        ck_assert_ptr_null(r.errmsg);
        /* the output is clean: SOI, JFIF APP0, tables, SOF0, SOS */
        ck_assert_str_eq(markers(r.image->jpeg, r.image->jpeg_len),
                         "e0 db db c0 c4 c4 c4 c4 da");
    }
    else {
        ck_assert_int_eq(r.rv, APR_EINVAL);
        ck_assert_ptr_null(r.image);
        ck_assert_ptr_nonnull(r.errmsg);
        ck_assert_ptr_nonnull(r.logmsg);
    }
    return r;
}

static void assert_refused(result_t r, const char *errmsg)
{
    ck_assert_int_eq(r.rv, APR_EINVAL);
    ck_assert_str_eq(r.errmsg, errmsg);
}

/* ------------------------------------------------------------- tests */

START_TEST(good_jpeg)
{
    apr_size_t len;
    const unsigned char *in = simple_jpeg(900, 1200, &len);
    result_t r = process(in, len);
    decoded_t d;

    ck_assert_int_eq(r.rv, APR_SUCCESS);
    ck_assert_uint_eq(r.image->type, PGW_IMAGE_JPEG);
    ck_assert_uint_eq(r.image->source_width, 900);
    ck_assert_uint_eq(r.image->source_height, 1200);
    ck_assert_uint_eq(r.image->width, 600);
    ck_assert_uint_eq(r.image->height, 800);
    ck_assert_int_eq(r.image->orientation, 1);
    d = decode(r.image->jpeg, r.image->jpeg_len);
    ck_assert_uint_eq(d.w, 600);
    ck_assert_uint_eq(d.h, 800);
    assert_colour(&d, 300, 400, 127, 127, 128);
    assert_colour(&d, 590, 10, 250, 3, 128);
}
END_TEST

START_TEST(good_png)
{
    png_spec_t s = {
        600, 900, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, fill_rgb_gradient,
        0,   NULL};
    apr_size_t len;
    const unsigned char *in = make_png(&s, &len);
    result_t r = process(in, len);
    decoded_t d;

    ck_assert_int_eq(r.rv, APR_SUCCESS);
    ck_assert_uint_eq(r.image->type, PGW_IMAGE_PNG);
    ck_assert_uint_eq(r.image->width, 533); /* 600 * 800 / 900 */
    ck_assert_uint_eq(r.image->height, 800);
    d = decode(r.image->jpeg, r.image->jpeg_len);
    assert_colour(&d, 266, 400, 127, 127, 128);
}
END_TEST

/* Smaller than the output size: kept as it is, never scaled up. */
START_TEST(small_enough_kept)
{
    apr_size_t len;
    const unsigned char *in = simple_jpeg(300, 400, &len);
    result_t r = process(in, len);

    ck_assert_int_eq(r.rv, APR_SUCCESS);
    ck_assert_uint_eq(r.image->width, 300);
    ck_assert_uint_eq(r.image->height, 400);
}
END_TEST

START_TEST(grayscale_and_progressive)
{
    jpeg_spec_t s = {.w = 450,
                     .h = 600,
                     .space = JCS_GRAYSCALE,
                     .progressive = 1,
                     .fill = fill_gray};
    apr_size_t len;
    const unsigned char *in = make_jpeg(&s, &len);
    result_t r = process(in, len);
    decoded_t d;

    ck_assert_int_eq(r.rv, APR_SUCCESS);
    d = decode(r.image->jpeg, r.image->jpeg_len);
    ck_assert_uint_eq(d.w, 450);
    ck_assert_int_eq(pixel(&d, 10, 10)[0], pixel(&d, 10, 10)[2]);
}
END_TEST

START_TEST(truncated_jpeg)
{
    apr_size_t len;
    const unsigned char *in = simple_jpeg(600, 800, &len);
    result_t r = process(in, len * 6 / 10);

    assert_refused(r, "berkas foto rusak atau tidak lengkap");
    ck_assert_ptr_nonnull(strstr(r.logmsg, "JPEG"));
    assert_refused(process(in, 200), "berkas foto rusak atau tidak lengkap");
    assert_refused(process((const unsigned char *)"\xff\xd8\xff", 3),
                   "berkas foto rusak atau tidak lengkap");
    assert_refused(process((const unsigned char *)"\xff\xd8\xff\xe0\xff\xff"
                                                  "garbage",
                           13),
                   "berkas foto rusak atau tidak lengkap");
}
END_TEST

/* Fixed bytes of an IDAT chunk header: png_read_info() stops there. */
static const unsigned char *png_header_only(unsigned int w, unsigned int h,
                                            apr_size_t *len)
{
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    pgw_buf_t *b = pgw_buf_make(pool, 256);

    png_set_write_fn(png, b, png_to_buf, png_flush_none);
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    png_destroy_write_struct(&png, &info);
    pgw_buf_append(b, "\0\0\0\0IDAT\x35\xaf\x06\x1e", 12);
    *len = b->len;
    return (const unsigned char *)b->data;
}

START_TEST(png_20000_square)
{
    apr_size_t len;
    const unsigned char *in = png_header_only(20000, 20000, &len);

    assert_refused(process(in, len),
                   "foto 20000x20000 piksel terlalu besar, maksimal 24 "
                   "megapiksel");
    rules.max_pixels = 1000001;
    assert_refused(process(in, len), "foto 20000x20000 piksel terlalu besar, "
                                     "maksimal 1.000.001 piksel");
    /* past libpng's default limit of 1000000 a side: still the pixel
     * limit's message, not a broken file */
    in = png_header_only(2000000, 1, &len);
    assert_refused(process(in, len), "foto 2000000x1 piksel terlalu besar, "
                                     "maksimal 1.000.001 piksel");
    in = png_header_only(0x7fffffff, 1, &len);
    assert_refused(process(in, len), "foto 2147483647x1 piksel terlalu "
                                     "besar, maksimal 1.000.001 piksel");
}
END_TEST

/* ------------------------------------------------ libpng chunk limits */

/* 7 MB of text in one zTXt chunk: a few KB in the file, under libpng's
 * default limit of 8 MB, over ours of 1 MiB. */
static void ztxt_bomb(png_structp png, png_infop info)
{
    png_text text = {0};

    text.compression = PNG_TEXT_COMPRESSION_zTXt;
    text.key = "Comment";
    text.text = apr_pcalloc(pool, 7 * 1000 * 1000 + 1);
    memset(text.text, 'a', 7 * 1000 * 1000);
    text.text_length = 7 * 1000 * 1000;
    png_set_text(png, info, &text, 1);
}

/* An ICC profile of 4 MB, nearly all zeros: a header libpng accepts
 * (ICC.1:2010 section 7.2: size, 'acsp', class, colour space, PCS, no
 * tags), the rest padding that compresses to almost nothing. */
static void iccp_bomb(png_structp png, png_infop info)
{
    apr_size_t n = 4 * 1000 * 1000;
    unsigned char *icc = apr_pcalloc(pool, n);

    icc[0] = (unsigned char)(n >> 24);
    icc[1] = (unsigned char)(n >> 16);
    icc[2] = (unsigned char)(n >> 8);
    icc[3] = (unsigned char)n;
    icc[8] = 2; /* version 2.1 */
    icc[9] = 0x10;
    memcpy(icc + 12, "mntrRGB XYZ ", 12);
    memcpy(icc + 36, "acsp", 4);
    /* D50 illuminant, s15Fixed16: 0.9642, 1.0, 0.8249 */
    memcpy(icc + 68, "\x00\x00\xf6\xd6\x00\x01\x00\x00\x00\x00\xd3\x2d", 12);
    png_set_iCCP(png, info, "bom", PNG_COMPRESSION_TYPE_BASE, icc,
                 (png_uint_32)n);
}

/* 200 tEXt chunks of 10 KB: libpng would keep them all (2 MB) without
 * its chunk cache limit of 64. */
static void many_texts(png_structp png, png_infop info)
{
    png_text texts[200];
    char *value = apr_pcalloc(pool, 10001);
    int i;

    memset(value, 'b', 10000);
    memset(texts, 0, sizeof(texts));
    for (i = 0; i < 200; i++) {
        texts[i].compression = PNG_TEXT_COMPRESSION_NONE;
        texts[i].key = apr_psprintf(pool, "Catatan%d", i);
        texts[i].text = value;
        texts[i].text_length = 10000;
    }
    png_set_text(png, info, texts, 200);
}

/* Each is dropped or cut by libpng's limits: the photo is still stored,
 * and libpng never held much more than one limit's worth. */
static void assert_bounded_png(void (*ancillary)(png_structp, png_infop),
                               apr_size_t max_held)
{
    png_spec_t s = {300,
                    400,
                    8,
                    PNG_COLOR_TYPE_RGB,
                    PNG_INTERLACE_NONE,
                    fill_rgb_gradient,
                    0,
                    ancillary};
    apr_size_t len;
    const unsigned char *in = make_png(&s, &len);
    result_t r = process(in, len);

    ck_assert_int_eq(r.rv, APR_SUCCESS);
    ck_assert_uint_gt(r.image->decoder_peak, 0);
    ck_assert_uint_lt(r.image->decoder_peak, max_held);
}

START_TEST(png_ztxt_bomb)
{
    assert_bounded_png(ztxt_bomb, 2 * 1024 * 1024);
}
END_TEST

START_TEST(png_iccp_bomb)
{
    assert_bounded_png(iccp_bomb, 2 * 1024 * 1024);
}
END_TEST

START_TEST(png_many_ancillary_chunks)
{
    assert_bounded_png(many_texts, 64 * 10000 + 512 * 1024);
}
END_TEST

/* The peak resident size of this process, in KB. */
static long peak_kb(void)
{
    struct rusage ru;

    ck_assert_int_eq(getrusage(RUSAGE_SELF, &ru), 0);
    return ru.ru_maxrss;
}

/* A 300 x 400 header, then a tEXt chunk declaring 256 MB of which the
 * file holds 64 bytes (found by fuzz_image with 2 GB): libpng would
 * allocate and zero the declared length before noticing the file ends,
 * so the refusal must come first. */
START_TEST(png_chunk_longer_than_the_file)
{
    apr_size_t len;
    const unsigned char *head = png_header_only(300, 400, &len);
    pgw_buf_t *b = pgw_buf_make(pool, len + 128);
    long before;
    result_t r;

    pgw_buf_append(b, (const char *)head, len - 12); /* without the IDAT */
    pgw_buf_append(b, "\x10\0\0\0tEXtComment", 15);
    while (b->len < len + 64) {
        pgw_buf_puts(b, "b");
    }
    before = peak_kb();
    r = process((const unsigned char *)b->data, b->len);
    assert_refused(r, "berkas foto rusak atau tidak lengkap");
    ck_assert_int_lt(peak_kb() - before, 64 * 1024);
    ck_assert_ptr_nonnull(strstr(r.logmsg, "longer than the file"));
}
END_TEST

/* The SOF0 of a generated JPEG patched to 60000 x 60000. */
START_TEST(jpeg_huge_header)
{
    apr_size_t len, i;
    unsigned char *in = (unsigned char *)simple_jpeg(300, 400, &len);

    for (i = 2; i + 9 < len; i++) {
        if (in[i] == 0xff && in[i + 1] == 0xc0) {
            in[i + 5] = in[i + 7] = 0xea; /* 0xea60 = 60000 */
            in[i + 6] = in[i + 8] = 0x60;
            break;
        }
    }
    assert_refused(process(in, len), "foto 60000x60000 piksel terlalu besar, "
                                     "maksimal 24 megapiksel");
}
END_TEST

/* The end of the entropy-coded data starting at pos: the next marker
 * that is neither a stuffed 0xFF00 nor a restart marker. */
static apr_size_t scan_end(const unsigned char *d, apr_size_t len,
                           apr_size_t pos)
{
    while (pos + 1 < len
           && !(d[pos] == 0xff && d[pos + 1] != 0
                && !(d[pos + 1] >= 0xd0 && d[pos + 1] <= 0xd7))) {
        pos++;
    }
    return pos;
}

/* A progressive JPEG whose first scan (DC of every component, at full
 * precision) is repeated: legal (the copies set the same coefficients
 * again, with no warning), and each copy is decoded again. libjpeg
 * counts every SOS in input_scan_number. */
static const unsigned char *many_scans(apr_size_t *len, int copies)
{
    static const jpeg_scan_info script[] = {{3, {0, 1, 2}, 0, 0, 0, 0},
                                            {1, {0}, 1, 63, 0, 0},
                                            {1, {1}, 1, 63, 0, 0},
                                            {1, {2}, 1, 63, 0, 0}};
    jpeg_spec_t s = {.w = 300,
                     .h = 400,
                     .space = JCS_RGB,
                     .fill = fill_rgb_gradient,
                     .script = script,
                     .script_len = 4};
    apr_size_t n, sos = 2, end;
    const unsigned char *in = make_jpeg(&s, &n);
    pgw_buf_t *b = pgw_buf_make(pool, n + 64 * 1024);
    int i;

    while (!(in[sos] == 0xff && in[sos + 1] == 0xda)) {
        sos += 2 + ((apr_size_t)in[sos + 2] << 8 | in[sos + 3]);
    }
    end =
        scan_end(in, n, sos + 2 + ((apr_size_t)in[sos + 2] << 8 | in[sos + 3]));
    pgw_buf_append(b, (const char *)in, end);
    for (i = 0; i < copies; i++) {
        pgw_buf_append(b, (const char *)in + sos, end - sos);
    }
    pgw_buf_append(b, (const char *)in + end, n - end);
    *len = b->len;
    return (const unsigned char *)b->data;
}

START_TEST(progressive_scan_limit)
{
    apr_size_t len;
    const unsigned char *in;
    result_t r;

    rules.max_bytes = 64 * 1024 * 1024; /* the scans, not the size */
    in = many_scans(&len, 3000);
    r = process(in, len);

    assert_refused(r, "berkas JPEG dengan lebih dari 100 scan tidak "
                      "diterima");
    ck_assert_ptr_nonnull(strstr(r.logmsg, "more than 100 scans"));
    /* the same construction under the limit decodes */
    in = many_scans(&len, 20);
    ck_assert_int_eq(process(in, len).rv, APR_SUCCESS);
}
END_TEST

START_TEST(html_comment_dropped)
{
    static const char html[] = "<html><script>alert(document.cookie)"
                               "</script></html>";
    jpeg_spec_t s = {.w = 300,
                     .h = 400,
                     .space = JCS_RGB,
                     .fill = fill_rgb_gradient,
                     .marker = JPEG_COM,
                     .marker_data = html,
                     .marker_len = sizeof(html) - 1};
    apr_size_t len;
    const unsigned char *in = make_jpeg(&s, &len);
    result_t r;

    ck_assert(contains(in, len, "<script>"));
    r = process(in, len);
    ck_assert_int_eq(r.rv, APR_SUCCESS);
    ck_assert(!contains(r.image->jpeg, r.image->jpeg_len, "<script"));
    ck_assert(!contains(r.image->jpeg, r.image->jpeg_len, "<html"));
}
END_TEST

/* EXIF (TIFF, big-endian) with IFD0 = {Orientation, GPS IFD pointer}
 * and a GPS IFD with the latitude and longitude references. */
static const char exif_be[] = "Exif\0\0"
                              "MM\0\x2a\0\0\0\x08"
                              "\0\x02"
                              "\x01\x12\0\x03\0\0\0\x01\0\x06\0\0"
                              "\x88\x25\0\x04\0\0\0\x01\0\0\0\x26"
                              "\0\0\0\0"
                              "\0\x02"
                              "\0\x01\0\x02\0\0\0\x02S\0\0\0"
                              "\0\x03\0\x02\0\0\0\x02"
                              "E\0\0\0"
                              "\0\0\0\0"
                              "GPS-SECRET-6.2,106.8";

/* The same IFD0 little-endian, with orientation 8. */
static const char exif_le[] = "Exif\0\0"
                              "II\x2a\0\x08\0\0\0"
                              "\x01\0"
                              "\x12\x01\x03\0\x01\0\0\0\x08\0\0\0"
                              "\0\0\0\0";

START_TEST(exif_orientation_6)
{
    jpeg_spec_t s = {.w = 800,
                     .h = 600,
                     .space = JCS_RGB,
                     .fill = fill_red_blue,
                     .marker = JPEG_APP0 + 1,
                     .marker_data = exif_be,
                     .marker_len = sizeof(exif_be) - 1};
    apr_size_t len;
    const unsigned char *in = make_jpeg(&s, &len);
    result_t r;
    decoded_t d;

    ck_assert(contains(in, len, "GPS-SECRET"));
    r = process(in, len);
    ck_assert_int_eq(r.rv, APR_SUCCESS);
    ck_assert_int_eq(r.image->orientation, 6);
    ck_assert_uint_eq(r.image->source_width, 600);
    ck_assert_uint_eq(r.image->source_height, 800);
    ck_assert_uint_eq(r.image->width, 600);
    ck_assert_uint_eq(r.image->height, 800);
    ck_assert(!contains(r.image->jpeg, r.image->jpeg_len, "Exif"));
    ck_assert(!contains(r.image->jpeg, r.image->jpeg_len, "GPS-SECRET"));
    /* turned clockwise: the stored left (red) is now on top */
    d = decode(r.image->jpeg, r.image->jpeg_len);
    assert_colour(&d, 300, 100, 255, 0, 0);
    assert_colour(&d, 300, 700, 0, 0, 255);
}
END_TEST

START_TEST(exif_orientation_8)
{
    jpeg_spec_t s = {.w = 800,
                     .h = 600,
                     .space = JCS_RGB,
                     .fill = fill_red_blue,
                     .marker = JPEG_APP0 + 1,
                     .marker_data = exif_le,
                     .marker_len = sizeof(exif_le) - 1};
    apr_size_t len;
    const unsigned char *in = make_jpeg(&s, &len);
    result_t r = process(in, len);
    decoded_t d;

    ck_assert_int_eq(r.rv, APR_SUCCESS);
    ck_assert_int_eq(r.image->orientation, 8);
    d = decode(r.image->jpeg, r.image->jpeg_len);
    ck_assert_uint_eq(d.w, 600);
    /* turned counter-clockwise: the stored right (blue) is on top */
    assert_colour(&d, 300, 100, 0, 0, 255);
    assert_colour(&d, 300, 700, 255, 0, 0);
}
END_TEST

static int orientation_of(const char *tiff, apr_size_t len)
{
    return pgw_image_exif_orientation((const unsigned char *)tiff, len);
}

START_TEST(exif_parser)
{
    const char *be = exif_be + 6, *le = exif_le + 6;
    apr_size_t be_len = sizeof(exif_be) - 7, le_len = sizeof(exif_le) - 7;
    char copy[64];

    ck_assert_int_eq(orientation_of(be, be_len), 6);
    ck_assert_int_eq(orientation_of(le, le_len), 8);
    /* cut anywhere inside the entry: no orientation */
    ck_assert_int_eq(orientation_of(be, 8 + 2 + 11), 1);
    ck_assert_int_eq(orientation_of(be, 8 + 2 + 12), 6);
    ck_assert_int_eq(orientation_of(be, 9), 1);
    ck_assert_int_eq(orientation_of(be, 0), 1);
    ck_assert_int_eq(orientation_of("XX\0\x2a\0\0\0\x08", 8), 1);
    memcpy(copy, le, le_len);
    copy[2] = 43; /* not TIFF */
    ck_assert_int_eq(orientation_of(copy, le_len), 1);
    memcpy(copy, le, le_len);
    copy[4] = 0x7f; /* IFD0 past the end */
    ck_assert_int_eq(orientation_of(copy, le_len), 1);
    memcpy(copy, le, le_len);
    copy[4] = 4; /* IFD0 inside the header */
    ck_assert_int_eq(orientation_of(copy, le_len), 1);
    memcpy(copy, le, le_len);
    copy[8] = 0xff; /* 255 entries claimed, 1 present */
    ck_assert_int_eq(orientation_of(copy, le_len), 8);
    memcpy(copy, le, le_len);
    copy[18] = 9; /* value out of range */
    ck_assert_int_eq(orientation_of(copy, le_len), 1);
    memcpy(copy, le, le_len);
    copy[12] = 4; /* LONG, not SHORT */
    ck_assert_int_eq(orientation_of(copy, le_len), 1);
    memcpy(copy, le, le_len);
    copy[4] = 0xf8; /* offset wraps around */
    copy[5] = copy[6] = copy[7] = 0xff;
    ck_assert_int_eq(orientation_of(copy, le_len), 1);
}
END_TEST

START_TEST(cmyk_jpeg)
{
    jpeg_spec_t s = {
        .w = 300, .h = 400, .space = JCS_CMYK, .fill = fill_cmyk_inverted};
    apr_size_t len;
    const unsigned char *in = make_jpeg(&s, &len);
    result_t r = process(in, len);
    decoded_t d;

    ck_assert(contains(in, len, "Adobe"));
    ck_assert_int_eq(r.rv, APR_SUCCESS);
    d = decode(r.image->jpeg, r.image->jpeg_len);
    assert_colour(&d, 150, 50, 255, 0, 0);
    assert_colour(&d, 150, 350, 255, 255, 0);
}
END_TEST

START_TEST(png_16bit_alpha)
{
    png_spec_t s = {300,
                    400,
                    16,
                    PNG_COLOR_TYPE_RGB_ALPHA,
                    PNG_INTERLACE_NONE,
                    fill_rgba_half_clear,
                    0,
                    NULL};
    apr_size_t len;
    const unsigned char *in = make_png(&s, &len);
    result_t r = process(in, len);
    decoded_t d;

    ck_assert_int_eq(r.rv, APR_SUCCESS);
    d = decode(r.image->jpeg, r.image->jpeg_len);
    assert_colour(&d, 50, 200, 0, 0, 0);
    assert_colour(&d, 250, 200, 255, 255, 255);
}
END_TEST

START_TEST(png_interlaced_palette)
{
    png_spec_t s = {300,
                    400,
                    8,
                    PNG_COLOR_TYPE_PALETTE,
                    PNG_INTERLACE_ADAM7,
                    fill_palette_index,
                    0,
                    NULL};
    apr_size_t len;
    const unsigned char *in = make_png(&s, &len);
    result_t r = process(in, len);
    decoded_t d;

    ck_assert_int_eq(r.rv, APR_SUCCESS);
    d = decode(r.image->jpeg, r.image->jpeg_len);
    assert_colour(&d, 150, 50, 255, 0, 0);
    assert_colour(&d, 150, 350, 255, 255, 255); /* transparent blue */
}
END_TEST

START_TEST(png_broken)
{
    png_spec_t s = {
        300, 400, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, fill_rgb_gradient,
        0,   NULL};
    apr_size_t len;
    unsigned char *in = (unsigned char *)make_png(&s, &len);

    assert_refused(process(in, len / 2),
                   "berkas foto rusak atau tidak lengkap");
    /* no IEND: the image decodes, but the file does not end properly */
    assert_refused(process(in, len - 12),
                   "berkas foto rusak atau tidak lengkap");
    in[50] ^= 0x55; /* inside IDAT: the CRC no longer matches */
    assert_refused(process(in, len), "berkas foto rusak atau tidak lengkap");
}
END_TEST

START_TEST(animated_png)
{
    png_spec_t s = {
        300, 400, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, fill_rgb_gradient,
        1,   NULL};
    apr_size_t len;
    const unsigned char *in = make_png(&s, &len);
    result_t r = process(in, len);

    assert_refused(r, "PNG animasi (APNG) tidak diterima, unggah foto diam");
    ck_assert_ptr_nonnull(strstr(r.logmsg, "acTL"));
}
END_TEST

START_TEST(landscape_refused)
{
    apr_size_t len;
    const unsigned char *in = simple_jpeg(800, 600, &len);

    assert_refused(process(in, len),
                   "foto 800x600 piksel tidak tegak (potret): tinggi harus "
                   "lebih besar dari lebar");
    rules.portrait = 0;
    rules.aspects[0].width = 4;
    rules.aspects[0].height = 3;
    rules.aspect_count = 1;
    ck_assert_int_eq(process(in, len).rv, APR_SUCCESS);
}
END_TEST

START_TEST(too_small)
{
    apr_size_t len;
    const unsigned char *in = simple_jpeg(240, 320, &len);
    result_t r = process(in, len);

    assert_refused(r, "foto 240x320 piksel, minimal 300x400");
    ck_assert_str_eq(r.logmsg, "photo refused: below the minimum size");
}
END_TEST

START_TEST(aspect_refused)
{
    apr_size_t len;
    const unsigned char *in = simple_jpeg(400, 1000, &len);

    assert_refused(process(in, len), "perbandingan sisi foto 400x1000 piksel "
                                     "tidak mendekati 3:4 atau 2:3");
    /* 5% around 3:4 is 0.7125 to 0.7875 */
    in = simple_jpeg(314, 400, &len); /* 0.785 */
    ck_assert_int_eq(process(in, len).rv, APR_SUCCESS);
    in = simple_jpeg(316, 400, &len); /* 0.79 */
    ck_assert_int_eq(process(in, len).rv, APR_EINVAL);
    rules.aspects[2].width = 9;
    rules.aspects[2].height = 16;
    rules.aspect_count = 3;
    assert_refused(process(in, len), "perbandingan sisi foto 316x400 piksel "
                                     "tidak mendekati 3:4, 2:3 atau 9:16");
    rules.aspect_count = 0;
    ck_assert_int_eq(process(in, len).rv, APR_SUCCESS);
}
END_TEST

START_TEST(wrong_type)
{
    static const unsigned char gif[] =
        "GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0"
        ",\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;";
    apr_size_t len;
    const unsigned char *png;

    assert_refused(process(gif, sizeof(gif) - 1),
                   "jenis berkas GIF tidak diterima, hanya JPEG atau PNG");
    assert_refused(process((const unsigned char *)"RIFF\0\0\0\0WEBPVP8 ", 16),
                   "jenis berkas WebP tidak diterima, hanya JPEG atau PNG");
    assert_refused(process((const unsigned char *)"<svg></svg>", 11),
                   "berkas bukan foto JPEG atau PNG");
    assert_refused(process((const unsigned char *)"", 0),
                   "berkas bukan foto JPEG atau PNG");
    rules.types = PGW_IMAGE_JPEG;
    png = png_header_only(300, 400, &len);
    assert_refused(process(png, len),
                   "jenis berkas PNG tidak diterima, hanya JPEG");
    ck_assert_uint_eq(pgw_image_type(png, len), PGW_IMAGE_PNG);
}
END_TEST

START_TEST(too_many_bytes)
{
    apr_size_t len;
    const unsigned char *in = simple_jpeg(300, 400, &len);

    rules.max_bytes = len - 1;
    ck_assert_uint_gt(len, 2048);
    assert_refused(process(in, len),
                   apr_psprintf(pool, "ukuran berkas %u KB, maksimal %u KB",
                                (unsigned int)(len + 1023) / 1024,
                                (unsigned int)(len - 1) / 1024));
    rules.max_bytes = 3 * 1024 * 1024;
    in = apr_pcalloc(pool, rules.max_bytes + 1);
    assert_refused(process(in, rules.max_bytes + 1),
                   "ukuran berkas 3.073 KB, maksimal 3.072 KB");
}
END_TEST

START_TEST(rules_check)
{
    const char *err = NULL;

    ck_assert_int_eq(pgw_image_rules_check(&rules, &err), APR_SUCCESS);
    rules.quality = 0;
    ck_assert_int_eq(pgw_image_rules_check(&rules, &err), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "quality"));
    pgw_image_rules_default(&rules);
    rules.types = 4;
    ck_assert_int_eq(pgw_image_rules_check(&rules, &err), APR_EINVAL);
    pgw_image_rules_default(&rules);
    rules.aspects[1].height = 0;
    ck_assert_int_eq(pgw_image_rules_check(&rules, &err), APR_EINVAL);
    pgw_image_rules_default(&rules);
    rules.out_width = 0;
    ck_assert_int_eq(pgw_image_rules_check(&rules, &err), APR_EINVAL);
}
END_TEST

/* Rules that refuse every photo fail the configuration, naming the
 * directives; the same rules one step from the edge pass. */
START_TEST(rules_contradictions)
{
    const char *err = NULL;

    rules.aspect_count = 1;
    rules.aspects[0].width = 4;
    rules.aspects[0].height = 3;
    ck_assert_int_eq(pgw_image_rules_check(&rules, &err), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "PegawaiPhotoPortrait On and "
                                      "PegawaiPhotoAspect"));
    rules.portrait = 0;
    ck_assert_int_eq(pgw_image_rules_check(&rules, &err), APR_SUCCESS);
    /* 1:1 within t% reaches 1 - t/100: some portrait photo for t > 0 */
    rules.portrait = 1;
    rules.aspects[0].width = 1;
    rules.aspects[0].height = 1;
    rules.aspect_tolerance = 0;
    ck_assert_int_eq(pgw_image_rules_check(&rules, &err), APR_EINVAL);
    rules.aspect_tolerance = 1;
    ck_assert_int_eq(pgw_image_rules_check(&rules, &err), APR_SUCCESS);
    /* one ratio that admits a portrait is enough */
    rules.aspect_tolerance = 0;
    rules.aspect_count = 2;
    rules.aspects[1].width = 3;
    rules.aspects[1].height = 4;
    ck_assert_int_eq(pgw_image_rules_check(&rules, &err), APR_SUCCESS);

    pgw_image_rules_default(&rules);
    rules.min_width = 5000;
    rules.min_height = 4800;
    rules.max_pixels = 24000000;
    ck_assert_int_eq(pgw_image_rules_check(&rules, &err), APR_SUCCESS);
    rules.min_height = 4801;
    ck_assert_int_eq(pgw_image_rules_check(&rules, &err), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "PegawaiPhotoMinSize"));
    ck_assert_ptr_nonnull(strstr(err, "PegawaiPhotoMaxPixels"));
}
END_TEST

/* A virtual host takes from its own rules only what it set. */
START_TEST(rules_merge)
{
    pgw_image_rules_t base, add, out;

    pgw_image_rules_default(&base);
    pgw_image_rules_default(&add);
    base.portrait = 0;
    base.max_bytes = 5000000;
    base.set = PGW_IMAGE_SET_PORTRAIT | PGW_IMAGE_SET_MAX_BYTES;
    add.aspect_count = 1;
    add.aspects[0].width = 4;
    add.aspects[0].height = 3;
    add.aspect_tolerance = 2;
    add.max_bytes = 100000;
    add.quality = 60;
    add.set = PGW_IMAGE_SET_ASPECTS | PGW_IMAGE_SET_MAX_BYTES;
    pgw_image_rules_merge(&out, &base, &add);
    ck_assert_int_eq(out.portrait, 0);
    ck_assert_uint_eq(out.max_bytes, 100000);
    ck_assert_uint_eq(out.aspect_count, 1);
    ck_assert_uint_eq(out.aspects[0].width, 4);
    ck_assert_uint_eq(out.aspect_tolerance, 2);
    ck_assert_int_eq(out.quality, 85); /* not set by add: the base's */
    ck_assert_uint_eq(out.set, PGW_IMAGE_SET_PORTRAIT | PGW_IMAGE_SET_MAX_BYTES
                                   | PGW_IMAGE_SET_ASPECTS);
    ck_assert_int_eq(pgw_image_rules_check(&out, &(const char *){NULL}),
                     APR_SUCCESS);
}
END_TEST

/* --------------------------------------------- scaler and orientation */

static const unsigned char *scale(const unsigned char *rgb, unsigned int sw,
                                  unsigned int sh, unsigned int dw,
                                  unsigned int dh)
{
    pgw_image_scaler_t *s = pgw_image_scaler_make(pool, sw, sh, dw, dh);
    unsigned int y;

    for (y = 0; y < sh; y++) {
        ck_assert_ptr_null(pgw_image_scaler_result(s));
        pgw_image_scaler_row(s, rgb + (apr_size_t)y * sw * 3);
    }
    return pgw_image_scaler_result(s);
}

START_TEST(scaler_area_average)
{
    /* 4x2 gray values 0 10 20 30 / 40 50 60 70, in all three channels */
    unsigned char in[4 * 2 * 3];
    const unsigned char *out;
    int i;

    for (i = 0; i < 8; i++) {
        in[i * 3] = in[i * 3 + 1] = in[i * 3 + 2] = (unsigned char)(i * 10);
    }
    out = scale(in, 4, 2, 2, 1); /* (0+10+40+50)/4, (20+30+60+70)/4 */
    ck_assert_int_eq(out[0], 25);
    ck_assert_int_eq(out[3], 45);
    ck_assert_int_eq(out[5], 45);
    out = scale(in, 4, 2, 4, 2); /* unchanged */
    ck_assert_mem_eq(out, in, sizeof(in));
    /* 3 wide to 2: the middle pixel is split half and half */
    out = scale(in, 3, 1, 2, 1); /* (0*2 + 10*1)/3, (10*1 + 20*2)/3 */
    ck_assert_int_eq(out[0], 3);
    ck_assert_int_eq(out[3], 17);
    out = scale(in, 8, 1, 1, 1); /* mean of 0..70 */
    ck_assert_int_eq(out[0], 35);
}
END_TEST

START_TEST(orientations)
{
    /* 3x2: a b c / d e f, one byte per pixel shown */
    static const char *const expect[9] = {NULL,     "abcdef", "cbafed",
                                          "fedcba", "defabc", "adbecf",
                                          "daebfc", "fcebda", "cfbead"};
    unsigned char in[6 * 3], *out;
    char got[7];
    int o, i;

    for (i = 0; i < 6; i++) {
        in[i * 3] = in[i * 3 + 1] = in[i * 3 + 2] = (unsigned char)('a' + i);
    }
    for (o = 1; o <= 8; o++) {
        out = pgw_image_orient(pool, in, 3, 2, o);
        for (i = 0; i < 6; i++) {
            got[i] = (char)out[i * 3];
        }
        got[6] = '\0';
        ck_assert_msg(strcmp(got, expect[o]) == 0, "orientation %d: %s", o,
                      got);
    }
}
END_TEST

static Suite *image_suite(void)
{
    Suite *s = suite_create("image");
    TCase *tg = tcase_create("good");
    TCase *tb = tcase_create("hostile");
    TCase *tr = tcase_create("rules");
    TCase *tp = tcase_create("pixels");

    tcase_add_checked_fixture(tg, setup, teardown);
    tcase_set_timeout(tg, 30);
    tcase_add_test(tg, good_jpeg);
    tcase_add_test(tg, good_png);
    tcase_add_test(tg, small_enough_kept);
    tcase_add_test(tg, grayscale_and_progressive);
    tcase_add_test(tg, exif_orientation_6);
    tcase_add_test(tg, exif_orientation_8);
    tcase_add_test(tg, cmyk_jpeg);
    tcase_add_test(tg, png_16bit_alpha);
    tcase_add_test(tg, png_interlaced_palette);
    suite_add_tcase(s, tg);

    tcase_add_checked_fixture(tb, setup, teardown);
    tcase_set_timeout(tb, 30);
    tcase_add_test(tb, truncated_jpeg);
    tcase_add_test(tb, png_20000_square);
    tcase_add_test(tb, png_ztxt_bomb);
    tcase_add_test(tb, png_iccp_bomb);
    tcase_add_test(tb, png_many_ancillary_chunks);
    tcase_add_test(tb, png_chunk_longer_than_the_file);
    tcase_add_test(tb, jpeg_huge_header);
    tcase_add_test(tb, progressive_scan_limit);
    tcase_add_test(tb, html_comment_dropped);
    tcase_add_test(tb, exif_parser);
    tcase_add_test(tb, png_broken);
    tcase_add_test(tb, animated_png);
    suite_add_tcase(s, tb);

    tcase_add_checked_fixture(tr, setup, teardown);
    tcase_add_test(tr, landscape_refused);
    tcase_add_test(tr, too_small);
    tcase_add_test(tr, aspect_refused);
    tcase_add_test(tr, wrong_type);
    tcase_add_test(tr, too_many_bytes);
    tcase_add_test(tr, rules_check);
    tcase_add_test(tr, rules_contradictions);
    tcase_add_test(tr, rules_merge);
    suite_add_tcase(s, tr);

    tcase_add_checked_fixture(tp, setup, teardown);
    tcase_add_test(tp, scaler_area_average);
    tcase_add_test(tp, orientations);
    suite_add_tcase(s, tp);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    apr_initialize();
    sr = srunner_create(image_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
