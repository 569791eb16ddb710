/* libpng for the photo: decoding an uploaded PNG to 8-bit RGB rows.
 *
 * libpng's errors longjmp() back to png_jmpbuf (libpng-manual.txt,
 * "Setting up error handling"); its warnings are dropped. Its limits are
 * set before the header is read: the width and height it accepts, how
 * many ancillary chunks it keeps and how large one may be once
 * decompressed (an iCCP or zTXt bomb).
 *
 * Animated PNGs (APNG: an acTL chunk before IDAT) are refused rather than
 * stored as their default image: the browser's preview shows the
 * animation, and what the employee saw must be what is stored. Debian's
 * libpng knows no APNG chunks, so acTL reaches our unknown-chunk
 * callback.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include <apr_strings.h>

#include "pgw_image_job.h"

typedef struct png_reader_t {
    pgw_image_job_t *job;
    png_structp png;
    png_infop info;
    apr_size_t pos; /* next byte of job->data to read */
    int animated;
    char message[200];
    apr_size_t held; /* bytes libpng has allocated and not freed */
} png_reader_t;

/* libpng's allocations, counted so that its chunk limits are measured
 * (pgw_image_t.decoder_peak) rather than trusted. Each block carries
 * its size in front, aligned for any type. */
typedef union block_head {
    apr_size_t size;
    max_align_t align;
} block_head;

static png_voidp reader_malloc(png_structp png, png_alloc_size_t n)
{
    png_reader_t *rd = png_get_mem_ptr(png);
    block_head *h;

    if (n > (png_alloc_size_t)-1 - sizeof(*h)
        || (h = malloc(sizeof(*h) + n)) == NULL) {
        return NULL; /* libpng reports it as out of memory */
    }
    h->size = n;
    rd->held += n;
    if (rd->held > rd->job->decoder_peak) {
        rd->job->decoder_peak = rd->held;
    }
    return h + 1;
}

static void reader_free(png_structp png, png_voidp p)
{
    png_reader_t *rd = png_get_mem_ptr(png);
    block_head *h = p;

    if (p != NULL) {
        h--;
        rd->held -= h->size;
        free(h);
    }
}

static void reader_read(png_structp png, png_bytep out, size_t n)
{
    png_reader_t *rd = png_get_io_ptr(png);

    if (n > rd->job->len - rd->pos) {
        png_error(png, "file truncated");
    }
    memcpy(out, rd->job->data + rd->pos, n);
    rd->pos += n;
}

static void reader_error(png_structp png, png_const_charp msg)
{
    png_reader_t *rd = png_get_error_ptr(png);

    apr_cpystrn(rd->message, msg, sizeof(rd->message));
    png_longjmp(png, 1);
}

static void reader_warning(png_structp png, png_const_charp msg)
{
}

/* APNG 1.0 (now PNG third edition, section 11.3.6): acTL marks an
 * animated PNG. Returning -1 makes libpng raise an error. */
static int reader_chunk(png_structp png, png_unknown_chunkp chunk)
{
    png_reader_t *rd = png_get_user_chunk_ptr(png);

    if (memcmp(chunk->name, "acTL", 4) == 0) {
        rd->animated = 1;
        return -1;
    }
    return 0; /* other unknown chunks: libpng's default, discarded */
}

static apr_status_t reader_refusal(pgw_image_job_t *job, const png_reader_t *rd)
{
    if (rd->animated) {
        return pgw_image_refuse(job,
                                "PNG animasi (APNG) tidak diterima, "
                                "unggah foto diam",
                                "photo refused: animated PNG (acTL)");
    }
    return pgw_image_refuse(
        job, "berkas foto rusak atau tidak lengkap",
        apr_pstrcat(job->pool, "photo refused: PNG: ", rd->message, NULL));
}

/* libpng's own limits. Width and height: PNG allows 2^31 - 1 each
 * (section 11.2.1); the pixel limit, with its own message, is checked by
 * pgw_image_job_header() as soon as the header is read, before anything
 * of the image's size is allocated, so libpng is told only the spec's
 * bound (its default of 1000000 would turn a wide header into "broken").
 * Chunks: at most 64 ancillary chunks kept (tEXt, zTXt, iTXt, sPLT,
 * unknown), none larger than 1 MiB once decompressed (an iCCP or zTXt
 * bomb); past them libpng drops the chunk with a warning. */
static void reader_limits(png_reader_t *rd)
{
    png_set_user_limits(rd->png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_set_chunk_cache_max(rd->png, 64);
    png_set_chunk_malloc_max(rd->png, 1024 * 1024);
    png_set_read_user_chunk_fn(rd->png, rd, reader_chunk);
    png_set_read_fn(rd->png, rd, reader_read);
}

/* True when a chunk before IEND declares more data than the file holds
 * (PNG section 5.3: length, type, data, CRC). libpng allocates a chunk's
 * declared length and zeroes it before reading the data (tEXt, iTXt,
 * eXIf, sPLT and others; its chunk limit above bounds only what zTXt and
 * iCCP inflate to), so a file of 1 KB declaring a 2 GB tEXt would cost
 * 2 GB. Such a file is truncated, which libpng refuses too, but only
 * after the allocation; checked first, every chunk libpng reads is
 * bounded by the upload's size. The file starts with the signature. */
static int chunk_overruns(const unsigned char *d, apr_size_t len)
{
    apr_size_t pos = 8, left, n;

    while ((left = len - pos) >= 8) {
        n = ((apr_size_t)d[pos] << 24) | ((apr_size_t)d[pos + 1] << 16)
            | ((apr_size_t)d[pos + 2] << 8) | d[pos + 3];
        if (left < 12 || n > left - 12) {
            return 1;
        }
        if (memcmp(d + pos + 4, "IEND", 4) == 0) {
            return 0;
        }
        pos += 12 + n;
    }
    return 0; /* the file ends between chunks: libpng says it is short */
}

/* eXIf (PNG third edition, section 11.3.3.4) holds EXIF from its TIFF
 * header on; only a copy before IDAT is seen here, as the spec places it. */
static int reader_orientation(png_reader_t *rd)
{
    png_uint_32 len;
    png_bytep exif;

    if (png_get_eXIf_1(rd->png, rd->info, &len, &exif) & PNG_INFO_eXIf) {
        return pgw_image_exif_orientation(exif, len);
    }
    return 1;
}

/* Transparency over white, in the stored (sRGB) values as browsers
 * composite: v = (c * a + 255 * (255 - a)) / 255. */
static void composite_white(const png_byte *in, unsigned char *out,
                            unsigned int width)
{
    unsigned int i, c, a;

    for (i = 0; i < width; i++, in += 4, out += 3) {
        a = in[3];
        for (c = 0; c < 3; c++) {
            out[c] = (unsigned char)((in[c] * a + 255 * (255 - a) + 127) / 255);
        }
    }
}

static void reader_deliver(png_reader_t *rd, const png_byte *row,
                           unsigned char *rgb, int channels)
{
    if (channels == 4) {
        composite_white(row, rgb, rd->job->width);
        row = rgb;
    }
    pgw_image_job_row(rd->job, row);
}

/* An interlaced image arrives in 7 passes over the whole image, so it
 * is read whole (libpng-manual.txt, "Reading image data"). */
static void reader_pixels(png_reader_t *rd, int passes, int channels)
{
    pgw_image_job_t *job = rd->job;
    apr_size_t rowbytes = png_get_rowbytes(rd->png, rd->info);
    unsigned char *rgb = apr_palloc(job->temp, (apr_size_t)job->width * 3);
    png_bytep *rows, image;
    unsigned int y;

    if (passes == 1) {
        rows = apr_palloc(job->temp, sizeof(*rows));
        rows[0] = apr_palloc(job->temp, rowbytes);
        for (y = 0; y < job->height; y++) {
            png_read_row(rd->png, rows[0], NULL);
            reader_deliver(rd, rows[0], rgb, channels);
        }
        return;
    }
    image = apr_palloc(job->temp, rowbytes * job->height);
    rows = apr_palloc(job->temp, job->height * sizeof(*rows));
    for (y = 0; y < job->height; y++) {
        rows[y] = image + rowbytes * y;
    }
    png_read_image(rd->png, rows);
    for (y = 0; y < job->height; y++) {
        reader_deliver(rd, rows[y], rgb, channels);
    }
}

static apr_status_t reader_run(png_reader_t *rd)
{
    pgw_image_job_t *job = rd->job;
    int passes;
    apr_status_t rv;

    reader_limits(rd);
    png_read_info(rd->png, rd->info);
    job->width = png_get_image_width(rd->png, rd->info);
    job->height = png_get_image_height(rd->png, rd->info);
    job->orientation = reader_orientation(rd);
    rv = pgw_image_job_header(job);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    png_set_scale_16(rd->png); /* 16 bits to 8, rounding */
    png_set_expand(rd->png);   /* palette, low-bit gray, tRNS to alpha */
    png_set_gray_to_rgb(rd->png);
    passes = png_set_interlace_handling(rd->png);
    png_read_update_info(rd->png, rd->info);
    reader_pixels(rd, passes, png_get_channels(rd->png, rd->info));
    png_read_end(rd->png, NULL); /* the rest, to IEND, CRCs checked */
    return APR_SUCCESS;
}

apr_status_t pgw_image_png_decode(pgw_image_job_t *job)
{
    png_reader_t *rd = apr_pcalloc(job->temp, sizeof(*rd));
    apr_status_t rv;

    if (chunk_overruns(job->data, job->len)) {
        return pgw_image_refuse(job, "berkas foto rusak atau tidak lengkap",
                                "photo refused: PNG: a chunk is longer than "
                                "the file");
    }
    rd->job = job;
    rd->png = png_create_read_struct_2(PNG_LIBPNG_VER_STRING, rd, reader_error,
                                       reader_warning, rd, reader_malloc,
                                       reader_free);
    rd->info = rd->png ? png_create_info_struct(rd->png) : NULL;
    if (rd->info == NULL) {
        png_destroy_read_struct(&rd->png, NULL, NULL);
        return pgw_image_refuse(job, "foto tidak dapat diproses",
                                "photo refused: libpng out of memory");
    }
    if (setjmp(png_jmpbuf(rd->png)) == 0) {
        rv = reader_run(rd);
    }
    else {
        rv = reader_refusal(job, rd);
    }
    png_destroy_read_struct(&rd->png, &rd->info, NULL);
    return rv;
}
