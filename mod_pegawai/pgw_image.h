/* The photo of Upload Foto: checked by decoding it completely, then
 * stored as a new JPEG (PRODUCT.md, "Photo rules"; issue 5).
 *
 * An upload held in memory is identified by its first bytes (JPEG or PNG
 * only), its dimensions are read from the header and refused above a
 * pixel limit before anything is decoded, the EXIF orientation is
 * applied, the configured rules are checked, and the whole image is
 * decoded, scaled down to the output size and encoded again as a
 * baseline JFIF JPEG that carries no metadata (no EXIF, no comment, no
 * ICC profile). A broken file never ends the process: libjpeg and libpng
 * errors are caught.
 *
 * Memory: libjpeg and libpng allocate with malloc and free before
 * returning; a progressive or multi-scan JPEG needs up to 8 bytes per
 * pixel for its coefficients (4 components), an interlaced PNG 4 bytes
 * per pixel; everything else is a few rows and the output image, on the
 * caller's pool. max_pixels therefore bounds the peak.
 */
#ifndef PGW_IMAGE_H
#define PGW_IMAGE_H

#include <apr_pools.h>
#include <apr_errno.h>

/* Photo types, for pgw_image_rules_t.types and pgw_image_t.type. */
#define PGW_IMAGE_JPEG 1u
#define PGW_IMAGE_PNG  2u

#define PGW_IMAGE_MAX_ASPECTS 4

typedef struct pgw_image_aspect_t {
    unsigned int width, height; /* 3:4 is {3, 4} */
} pgw_image_aspect_t;

typedef struct pgw_image_rules_t {
    /* The rules the employee is shown (PRODUCT.md defaults). */
    unsigned int types;      /* PGW_IMAGE_JPEG | PGW_IMAGE_PNG */
    apr_size_t max_bytes;    /* 2 MiB */
    unsigned int min_width;  /* 300, after the EXIF orientation */
    unsigned int min_height; /* 400 */
    int portrait;            /* 1: height must exceed width */
    pgw_image_aspect_t aspects[PGW_IMAGE_MAX_ASPECTS]; /* 3:4, 2:3 */
    unsigned int aspect_count;                         /* 0: any aspect */
    unsigned int aspect_tolerance; /* percent of the ratio, 5 */

    /* What keeps a hostile file cheap. */
    apr_uint64_t max_pixels; /* width x height, 24 million */
    unsigned int max_scans;  /* SOS markers of one JPEG, 100 */

    /* The stored JPEG. */
    unsigned int out_width;  /* scaled down to fit 600 x 800 */
    unsigned int out_height; /* (never up) */
    int quality;             /* libjpeg quality 1 to 100, 85 */

    unsigned int set; /* PGW_IMAGE_SET_* bits: what a configuration set */
} pgw_image_rules_t;

/* The fields a configuration level sets, each inherited on its own by a
 * virtual host that does not set it. */
#define PGW_IMAGE_SET_TYPES      0x01u
#define PGW_IMAGE_SET_MAX_BYTES  0x02u
#define PGW_IMAGE_SET_MIN_SIZE   0x04u
#define PGW_IMAGE_SET_PORTRAIT   0x08u
#define PGW_IMAGE_SET_ASPECTS    0x10u /* ratios and tolerance */
#define PGW_IMAGE_SET_OUT_SIZE   0x20u
#define PGW_IMAGE_SET_QUALITY    0x40u
#define PGW_IMAGE_SET_MAX_PIXELS 0x80u

typedef struct pgw_image_t {
    const unsigned char *jpeg; /* the new JPEG, on the caller's pool */
    apr_size_t jpeg_len;
    unsigned int width; /* of the new JPEG */
    unsigned int height;
    unsigned int type;         /* of the upload: PGW_IMAGE_JPEG or _PNG */
    unsigned int source_width; /* of the upload, orientation applied */
    unsigned int source_height;
    int orientation; /* EXIF orientation applied, 1 (none) to 8 */
    /* The most bytes libpng held at once for its chunks and zlib (its
     * chunk limits bound this), 0 for a JPEG. */
    apr_size_t decoder_peak;
} pgw_image_t;

/* Fills rules with the defaults above. */
void pgw_image_rules_default(pgw_image_rules_t *rules);

/* base with the fields add set (add->set) taken from add, into *out. */
void pgw_image_rules_merge(pgw_image_rules_t *out,
                           const pgw_image_rules_t *base,
                           const pgw_image_rules_t *add);

/* Checks that rules make sense (for the configuration): returns
 * APR_EINVAL with an English *errmsg naming the field otherwise, or
 * naming the directives whose values together refuse every photo. */
apr_status_t pgw_image_rules_check(const pgw_image_rules_t *rules,
                                   const char **errmsg);

/* PGW_IMAGE_JPEG or PGW_IMAGE_PNG from the first bytes of data, else 0. */
unsigned int pgw_image_type(const unsigned char *data, apr_size_t len);

/* Checks the upload data (len bytes) against rules and re-encodes it.
 * On success sets *image. Otherwise returns APR_EINVAL with *errmsg, in
 * Indonesian for the employee, saying which rule and what the file had
 * ("foto 240x320 piksel, minimal 300x400"), and *logmsg, in English for
 * the log (the decoder's own message for a broken file). */
apr_status_t pgw_image_process(apr_pool_t *p, const unsigned char *data,
                               apr_size_t len, const pgw_image_rules_t *rules,
                               pgw_image_t **image, const char **errmsg,
                               const char **logmsg);

/* The orientation (1 to 8) in EXIF data that starts with its TIFF header
 * ("II" or "MM", CIPA DC-008 section 4.5.2), from IFD0 tag 0x0112; 1 when
 * absent, out of range or malformed. Every offset is bounds-checked. */
int pgw_image_exif_orientation(const unsigned char *tiff, apr_size_t len);

#endif
