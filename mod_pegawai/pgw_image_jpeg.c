/* libjpeg-turbo for the photo: decoding an upload and encoding the
 * stored JPEG.
 *
 * libjpeg reports a fatal error through error_exit, which by default
 * prints to stderr and calls exit(): in an Apache child that would end
 * every request it serves. Ours keeps the message and longjmp()s back to
 * the call, which destroys the object (libjpeg.txt, "Error handling").
 * Warnings (corrupt data, a truncated file, which jpeg_mem_src pads with
 * a fake EOI) are counted instead of printed, and any warning refuses the
 * upload: the portal stores only photos that decoded cleanly.
 *
 * A progressive JPEG may hold any number of scans, each decoded over the
 * whole image, so a small file can cost minutes of CPU; a progress
 * monitor stops at max_scans SOS markers, which libjpeg counts in
 * input_scan_number (jdmarker.c, get_sos).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>

#include <apr_strings.h>

#include "pgw_image_job.h"

typedef struct jpeg_guard_t {
    struct jpeg_error_mgr err; /* first: cinfo->err points here */
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    unsigned int max_scans;
    int too_many_scans;
    int warnings;
    char message[JMSG_LENGTH_MAX]; /* the error, or the first warning */
} jpeg_guard_t;

static void guard_exit(j_common_ptr cinfo)
{
    jpeg_guard_t *g = (jpeg_guard_t *)cinfo->err;

    cinfo->err->format_message(cinfo, g->message);
    longjmp(g->jump, 1);
}

/* msg_level < 0 is a warning; the others are traces, ignored. */
static void guard_emit(j_common_ptr cinfo, int msg_level)
{
    jpeg_guard_t *g = (jpeg_guard_t *)cinfo->err;

    if (msg_level < 0 && g->warnings++ == 0) {
        cinfo->err->format_message(cinfo, g->message);
    }
}

/* Called before each step of jpeg_start_decompress()'s input loop, which
 * reads all the scans of a multi-scan file. */
static void guard_progress(j_common_ptr cinfo)
{
    jpeg_guard_t *g = (jpeg_guard_t *)cinfo->err;
    j_decompress_ptr d = (j_decompress_ptr)cinfo;

    if (cinfo->is_decompressor
        && (unsigned int)d->input_scan_number > g->max_scans) {
        g->too_many_scans = 1;
        strcpy(g->message, "too many scans");
        longjmp(g->jump, 1);
    }
}

static void guard_init(jpeg_guard_t *g, j_common_ptr cinfo,
                       unsigned int max_scans)
{
    cinfo->err = jpeg_std_error(&g->err);
    g->err.error_exit = guard_exit;
    g->err.emit_message = guard_emit;
    g->progress.progress_monitor = guard_progress;
    g->max_scans = max_scans;
}

static apr_status_t guard_refusal(pgw_image_job_t *job, const jpeg_guard_t *g)
{
    if (g->too_many_scans) {
        return pgw_image_refuse(
            job,
            apr_psprintf(job->pool,
                         "berkas JPEG dengan lebih dari %u scan tidak diterima",
                         g->max_scans),
            apr_psprintf(job->pool,
                         "photo refused: JPEG with more than %u scans",
                         g->max_scans));
    }
    return pgw_image_refuse(
        job, "berkas foto rusak atau tidak lengkap",
        apr_pstrcat(job->pool, "photo refused: JPEG: ", g->message, NULL));
}

/* ----------------------------------------------------------- decoding */

typedef struct jpeg_reader_t {
    struct jpeg_decompress_struct cinfo;
    jpeg_guard_t guard;
    pgw_image_job_t *job;
    JSAMPROW row;       /* one decoded row as libjpeg gives it */
    unsigned char *rgb; /* the same row converted, for CMYK */
} jpeg_reader_t;

/* The first APP1 "Exif\0\0" segment decides, as in browsers (EXIF 2.32
 * section 4.7.2: APP1, the identifier, then the TIFF header). */
static int jpeg_orientation(j_decompress_ptr cinfo)
{
    jpeg_saved_marker_ptr m;

    for (m = cinfo->marker_list; m != NULL; m = m->next) {
        if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6
            && memcmp(m->data, "Exif\0\0", 6) == 0) {
            return pgw_image_exif_orientation(m->data + 6, m->data_length - 6);
        }
    }
    return 1;
}

/* Adobe applications write CMYK inverted (0 is full ink) and mark such
 * files with an APP14 "Adobe" segment; libjpeg returns the values as
 * stored (libjpeg.txt, "Special color spaces"). With v = 255 - ink,
 * red is 255 * (1 - cyan ink) * (1 - black ink) = C * K / 255. */
static void cmyk_to_rgb(const JSAMPLE *in, unsigned char *out,
                        unsigned int width, int inverted)
{
    unsigned int i, c, m, y, k;

    for (i = 0; i < width; i++, in += 4, out += 3) {
        c = inverted ? in[0] : 255 - in[0];
        m = inverted ? in[1] : 255 - in[1];
        y = inverted ? in[2] : 255 - in[2];
        k = inverted ? in[3] : 255 - in[3];
        out[0] = (unsigned char)((c * k + 127) / 255);
        out[1] = (unsigned char)((m * k + 127) / 255);
        out[2] = (unsigned char)((y * k + 127) / 255);
    }
}

static apr_status_t jpeg_read_pixels(jpeg_reader_t *rd)
{
    j_decompress_ptr cinfo = &rd->cinfo;
    pgw_image_job_t *job = rd->job;
    int cmyk = cinfo->jpeg_color_space == JCS_CMYK
               || cinfo->jpeg_color_space == JCS_YCCK;

    /* TODO: an ICC profile (APP2) is ignored, the pixels taken as sRGB:
     * converting needs lcms2 (docs/LIMITATIONS.md). */
    /* libjpeg turns YCCK into CMYK but CMYK into nothing else */
    cinfo->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_calc_output_dimensions(cinfo);
    if (cinfo->output_width != job->width
        || cinfo->output_height != job->height) {
        return pgw_image_refuse(job, "berkas foto rusak atau tidak lengkap",
                                "photo refused: JPEG output size differs");
    }
    rd->row = apr_palloc(job->temp, (apr_size_t)cinfo->output_width
                                        * cinfo->output_components);
    rd->rgb = apr_palloc(job->temp, (apr_size_t)cinfo->output_width * 3);
    jpeg_start_decompress(cinfo);
    while (cinfo->output_scanline < cinfo->output_height) {
        jpeg_read_scanlines(cinfo, &rd->row, 1);
        if (cmyk) {
            cmyk_to_rgb(rd->row, rd->rgb, cinfo->output_width,
                        cinfo->saw_Adobe_marker);
        }
        pgw_image_job_row(job, cmyk ? rd->rgb : rd->row);
    }
    jpeg_finish_decompress(cinfo);
    return APR_SUCCESS;
}

/* Everything libjpeg allocates for one image: a multi-scan file keeps
 * every coefficient, 2 bytes per sample of up to 4 full-size components,
 * and a few rows besides. Beyond this libjpeg would ask for a backing
 * store, which ours refuses (jmemnobs.c). */
static long jpeg_memory_limit(const pgw_image_rules_t *rules)
{
    apr_uint64_t limit = rules->max_pixels * 8 + 32 * 1024 * 1024;

    return limit > LONG_MAX ? LONG_MAX : (long)limit;
}

static apr_status_t jpeg_read(jpeg_reader_t *rd)
{
    j_decompress_ptr cinfo = &rd->cinfo;
    pgw_image_job_t *job = rd->job;
    apr_status_t rv;

    cinfo->progress = &rd->guard.progress;
    cinfo->mem->max_memory_to_use = jpeg_memory_limit(job->rules);
    jpeg_mem_src(cinfo, job->data, job->len);
    jpeg_save_markers(cinfo, JPEG_APP0 + 1, 0xffff);
    jpeg_read_header(cinfo, TRUE);
    job->width = cinfo->image_width;
    job->height = cinfo->image_height;
    job->orientation = jpeg_orientation(cinfo);
    rv = pgw_image_job_header(job);
    if (rv == APR_SUCCESS) {
        rv = jpeg_read_pixels(rd);
    }
    if (rv == APR_SUCCESS && rd->guard.warnings > 0) {
        return guard_refusal(job, &rd->guard);
    }
    return rv;
}

apr_status_t pgw_image_jpeg_decode(pgw_image_job_t *job)
{
    jpeg_reader_t *rd = apr_pcalloc(job->temp, sizeof(*rd));
    apr_status_t rv;

    rd->job = job;
    guard_init(&rd->guard, (j_common_ptr)&rd->cinfo, job->rules->max_scans);
    if (setjmp(rd->guard.jump) == 0) {
        jpeg_create_decompress(&rd->cinfo);
        rv = jpeg_read(rd);
    }
    else {
        rv = guard_refusal(job, &rd->guard);
    }
    jpeg_destroy_decompress(&rd->cinfo);
    return rv;
}

/* ----------------------------------------------------------- encoding */

/* The output goes to pool memory through our own destination manager:
 * jpeg_mem_dest() mallocs, and its buffer would leak on an error. */
typedef struct jpeg_writer_t {
    struct jpeg_compress_struct cinfo; /* first: the callbacks cast */
    struct jpeg_destination_mgr dest;
    jpeg_guard_t guard;
    apr_pool_t *pool;
    JOCTET *buf;
    apr_size_t cap;
} jpeg_writer_t;

static void writer_init(j_compress_ptr cinfo)
{
    jpeg_writer_t *wr = (jpeg_writer_t *)cinfo;

    wr->buf = apr_palloc(wr->pool, wr->cap);
    wr->dest.next_output_byte = wr->buf;
    wr->dest.free_in_buffer = wr->cap;
}

/* The buffer is full: double it (the old one stays in the pool, so the
 * waste is at most the final size). */
static boolean writer_grow(j_compress_ptr cinfo)
{
    jpeg_writer_t *wr = (jpeg_writer_t *)cinfo;
    JOCTET *bigger = apr_palloc(wr->pool, wr->cap * 2);

    memcpy(bigger, wr->buf, wr->cap);
    wr->dest.next_output_byte = bigger + wr->cap;
    wr->dest.free_in_buffer = wr->cap;
    wr->buf = bigger;
    wr->cap *= 2;
    return TRUE;
}

static void writer_term(j_compress_ptr cinfo)
{
}

static void jpeg_write(jpeg_writer_t *wr, const unsigned char *rgb,
                       unsigned int width, unsigned int height, int quality)
{
    j_compress_ptr cinfo = &wr->cinfo;
    JSAMPROW row;

    wr->dest.init_destination = writer_init;
    wr->dest.empty_output_buffer = writer_grow;
    wr->dest.term_destination = writer_term;
    cinfo->dest = &wr->dest;
    cinfo->image_width = width;
    cinfo->image_height = height;
    cinfo->input_components = 3;
    cinfo->in_color_space = JCS_RGB;
    /* YCbCr, baseline Huffman, a JFIF APP0 and nothing else: no APP1
     * (EXIF), no COM, no Adobe APP14 (libjpeg.txt, "Special markers") */
    jpeg_set_defaults(cinfo);
    jpeg_set_quality(cinfo, quality, TRUE);
    cinfo->optimize_coding = TRUE;
    jpeg_start_compress(cinfo, TRUE);
    while (cinfo->next_scanline < height) {
        row = (JSAMPROW)(rgb + (apr_size_t)cinfo->next_scanline * width * 3);
        jpeg_write_scanlines(cinfo, &row, 1);
    }
    jpeg_finish_compress(cinfo);
}

apr_status_t pgw_image_jpeg_encode(pgw_image_job_t *job,
                                   const unsigned char *rgb, unsigned int width,
                                   unsigned int height,
                                   const unsigned char **out,
                                   apr_size_t *out_len)
{
    jpeg_writer_t *wr = apr_pcalloc(job->temp, sizeof(*wr));
    apr_status_t rv = APR_SUCCESS;

    wr->pool = job->pool;
    wr->cap = (apr_size_t)width * height / 4 + 4096;
    guard_init(&wr->guard, (j_common_ptr)&wr->cinfo, 0);
    if (setjmp(wr->guard.jump) == 0) {
        jpeg_create_compress(&wr->cinfo);
        jpeg_write(wr, rgb, width, height, job->rules->quality);
    }
    else {
        rv = pgw_image_refuse(
            job, "foto tidak dapat disimpan",
            apr_pstrcat(job->pool, "JPEG encoder: ", wr->guard.message, NULL));
    }
    jpeg_destroy_compress(&wr->cinfo);
    if (rv == APR_SUCCESS) {
        *out = wr->buf;
        *out_len = wr->cap - wr->dest.free_in_buffer;
    }
    return rv;
}
