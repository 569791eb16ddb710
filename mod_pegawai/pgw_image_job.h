/* Internal to pgw_image*.c: the job a decoder works on, and the scaler.
 * The glue uses pgw_image.h only.
 *
 * A decoder (pgw_image_jpeg.c, pgw_image_png.c) reads the header, sets
 * width, height and orientation, and calls pgw_image_job_header(), which
 * checks the limits and rules and prepares the scaler; then it hands every
 * decoded row, top to bottom, as 8-bit RGB to pgw_image_job_row(). Rows
 * are scaled as they come, so the full-size image is never held.
 */
#ifndef PGW_IMAGE_JOB_H
#define PGW_IMAGE_JOB_H

#include "pgw_image.h"

typedef struct pgw_image_scaler_t pgw_image_scaler_t;

typedef struct pgw_image_job_t {
    apr_pool_t *pool; /* for the output */
    apr_pool_t *temp; /* for rows and buffers, destroyed at the end */
    const pgw_image_rules_t *rules;
    const unsigned char *data;
    apr_size_t len;
    unsigned int type;
    unsigned int width; /* as stored, set by the decoder */
    unsigned int height;
    int orientation; /* EXIF, set by the decoder (1 when none) */
    pgw_image_scaler_t *scaler;
    unsigned int scaled_width; /* the scaler's output, as stored */
    unsigned int scaled_height;
    apr_size_t decoder_peak; /* most bytes libpng held at once */
    const char *errmsg;      /* the refusal: Indonesian, English */
    const char *logmsg;
} pgw_image_job_t;

/* Records a refusal and returns APR_EINVAL. */
apr_status_t pgw_image_refuse(pgw_image_job_t *job, const char *errmsg,
                              const char *logmsg);

/* The limits and rules that the header decides; prepares the scaler. */
apr_status_t pgw_image_job_header(pgw_image_job_t *job);

/* The next decoded row: job->width RGB pixels. */
void pgw_image_job_row(pgw_image_job_t *job, const unsigned char *rgb);

apr_status_t pgw_image_jpeg_decode(pgw_image_job_t *job);
apr_status_t pgw_image_png_decode(pgw_image_job_t *job);

/* Encodes width x height RGB pixels as a baseline JFIF JPEG on p. */
apr_status_t pgw_image_jpeg_encode(pgw_image_job_t *job,
                                   const unsigned char *rgb, unsigned int width,
                                   unsigned int height,
                                   const unsigned char **out,
                                   apr_size_t *out_len);

/* An area-averaging scaler from src_w x src_h to dst_w x dst_h (each no
 * larger), fed source rows in order. */
pgw_image_scaler_t *pgw_image_scaler_make(apr_pool_t *p, unsigned int src_w,
                                          unsigned int src_h,
                                          unsigned int dst_w,
                                          unsigned int dst_h);
void pgw_image_scaler_row(pgw_image_scaler_t *s, const unsigned char *rgb);

/* The scaled RGB image once every source row was fed, else NULL. */
const unsigned char *pgw_image_scaler_result(const pgw_image_scaler_t *s);

/* A copy of the w x h RGB image turned by EXIF orientation (1 to 8);
 * for 5 to 8 the copy is h x w. */
unsigned char *pgw_image_orient(apr_pool_t *p, const unsigned char *rgb,
                                unsigned int w, unsigned int h,
                                int orientation);

#endif
