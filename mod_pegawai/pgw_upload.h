/* Upload Foto's form (PRODUCT.md: POST /akun/foto, multipart/form-data
 * with csrf_token and foto) collected from pgw_multipart.c's callbacks:
 * the photo into one buffer of the configured size, the token into a
 * bounded one, every other field only counted against its limit.
 *
 * Callers: mod_pegawai_foto.c, the unit tests and fuzz_multipart.c, so
 * that the code the fuzzer drives is the code that runs in httpd.
 */
#ifndef PGW_UPLOAD_H
#define PGW_UPLOAD_H

#include <apr_pools.h>

#include "pgw_multipart.h"

/* The form has two parts (csrf_token, foto) of a few headers each; a
 * browser never comes near these. A small field (the token, anything
 * else) holds at most PGW_UPLOAD_FIELD_MAX bytes. */
#define PGW_UPLOAD_MAX_PARTS        4
#define PGW_UPLOAD_MAX_HEADER_BYTES 2048
#define PGW_UPLOAD_MAX_HEADERS      8
#define PGW_UPLOAD_FIELD_MAX        256
/* Room in the body beside the photo, for the token and the headers. */
#define PGW_UPLOAD_BODY_OVERHEAD 16384

typedef struct pgw_upload_t {
    apr_pool_t *pool;
    apr_size_t max_photo;
    char *photo; /* max_photo bytes, once the foto part began */
    apr_size_t photo_len;
    int photo_parts;
    int csrf_parts;
    int too_large; /* the photo passed max_photo */
    char csrf[PGW_UPLOAD_FIELD_MAX + 1];
    apr_size_t csrf_len;
} pgw_upload_t;

/* Why a body was refused by a limit, for the message the employee sees. */
typedef enum pgw_upload_refusal_e {
    PGW_UPLOAD_PHOTO_TOO_LARGE, /* the photo, or the body it is in */
    PGW_UPLOAD_TOO_MANY_PARTS,
    PGW_UPLOAD_HEADER_TOO_LONG,
    PGW_UPLOAD_TOO_MANY_HEADERS,
    PGW_UPLOAD_FIELD_TOO_LONG /* a part other than foto */
} pgw_upload_refusal_e;

/* The callbacks to give pgw_multipart_create() with an upload as ctx. */
extern const pgw_multipart_callbacks_t pgw_upload_callbacks;

/* An empty upload for a photo of at most max_photo bytes, and the
 * parser's limits that go with it. The photo's buffer is taken from p
 * when its part begins. */
void pgw_upload_init(pgw_upload_t *u, apr_pool_t *p, apr_size_t max_photo,
                     pgw_multipart_limits_t *limits);

/* After the parser returned APR_ENOSPC: which rule the body broke. */
pgw_upload_refusal_e pgw_upload_refusal(const pgw_upload_t *u,
                                        const pgw_multipart_t *parser);

#endif
