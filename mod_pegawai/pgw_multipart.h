/* A streaming multipart/form-data parser (RFC 7578 over RFC 2046 section
 * 5.1) for POST bodies that carry files, such as the photo of Upload Foto.
 *
 * The body is fed in chunks exactly as they arrive, split anywhere; each
 * part's headers are reported once complete, and its data is handed to a
 * callback straight from the caller's chunks, so a 2 MB photo is never
 * copied by the parser. Every limit is a refusal, never a truncation.
 *
 * Line endings must be CRLF, as RFC 2046 requires and every browser
 * sends; a bare LF anywhere outside part data is refused (a body that two
 * parsers could split differently is a smuggling risk).
 *
 * Errors: APR_EINVAL for a malformed body, APR_ENOSPC when a limit is
 * exceeded (the glue answers 400 and 413 respectively), or whatever a
 * callback returned; with an English *errmsg for the log. After an error
 * the parser stays failed and returns the same status on every call.
 */
#ifndef PGW_MULTIPART_H
#define PGW_MULTIPART_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_errno.h>

/* RFC 2046 section 5.1.1: a boundary is 1 to 70 characters. */
#define PGW_MULTIPART_MAX_BOUNDARY 70

typedef struct pgw_multipart_limits_t {
    apr_off_t max_body;          /* every byte fed, e.g. 3 MB */
    apr_size_t max_parts;        /* e.g. 8 */
    apr_size_t max_header_bytes; /* one part's header block, e.g. 2048 */
    apr_size_t max_headers;      /* header fields in one part, e.g. 8 */
    apr_size_t max_part_size;    /* data bytes of a part, unless on_part
                                  * sets another limit for it */
} pgw_multipart_limits_t;

/* Which of the limits above refused a body, so that the employee can be
 * told which rule the form broke. */
typedef enum pgw_multipart_limit_e {
    PGW_MULTIPART_WITHIN_LIMITS = 0, /* no limit refused it */
    PGW_MULTIPART_OVER_BODY,
    PGW_MULTIPART_OVER_PARTS,
    PGW_MULTIPART_OVER_HEADER_BYTES,
    PGW_MULTIPART_OVER_HEADERS,
    PGW_MULTIPART_OVER_PART_SIZE /* see pgw_multipart_failed_part() */
} pgw_multipart_limit_e;

typedef struct pgw_multipart_part_t {
    apr_size_t index;         /* 0 for the first part */
    const char *name;         /* Content-Disposition name, UTF-8 */
    const char *filename;     /* Content-Disposition filename, UTF-8,
                               * as sent (no %-decoding); NULL if absent */
    const char *content_type; /* the part's Content-Type, NULL if absent */
    apr_table_t *headers;     /* every header field of the part */
    apr_size_t size;          /* data bytes delivered so far */
    apr_size_t max_size;      /* from the limits; on_part may change it */
} pgw_multipart_part_t;

/* Called for each part once its headers are read. It may set
 * part->max_size (a small limit for csrf_token, the photo's limit for
 * foto) and may refuse the part by returning an error with *errmsg. */
typedef apr_status_t pgw_multipart_part_fn(void *ctx,
                                           pgw_multipart_part_t *part,
                                           const char **errmsg);

/* Called with the next len (> 0) bytes of the part's data. data points
 * into the caller's chunk (or the parser's constant delimiter) and is
 * valid only during the call. */
typedef apr_status_t pgw_multipart_data_fn(void *ctx,
                                           pgw_multipart_part_t *part,
                                           const char *data, apr_size_t len,
                                           const char **errmsg);

/* Called when the part's data is complete (its delimiter was seen). */
typedef apr_status_t pgw_multipart_end_fn(void *ctx, pgw_multipart_part_t *part,
                                          const char **errmsg);

typedef struct pgw_multipart_callbacks_t {
    pgw_multipart_part_fn *on_part; /* each may be NULL */
    pgw_multipart_data_fn *on_data;
    pgw_multipart_end_fn *on_part_end;
} pgw_multipart_callbacks_t;

typedef struct pgw_multipart_t pgw_multipart_t;

/* Finds the boundary in a Content-Type header value, which must be
 * multipart/form-data (RFC 7578 section 4.1) with exactly one boundary
 * parameter, quoted or not, of 1 to 70 bchars not ending in a space
 * (RFC 2046 section 5.1.1). Returns APR_EINVAL otherwise, and for a
 * NULL content_type (no header). */
apr_status_t pgw_multipart_boundary(apr_pool_t *p, const char *content_type,
                                    const char **boundary, const char **errmsg);

/* A parser for a body with that boundary. limits and callbacks are
 * copied; ctx is passed to the callbacks. Allocates on p (per part: the
 * headers, at most max_header_bytes each). */
apr_status_t pgw_multipart_create(apr_pool_t *p, const char *boundary,
                                  const pgw_multipart_limits_t *limits,
                                  const pgw_multipart_callbacks_t *callbacks,
                                  void *ctx, pgw_multipart_t **parser,
                                  const char **errmsg);

/* Feeds the next len bytes of the body. */
apr_status_t pgw_multipart_feed(pgw_multipart_t *parser, const char *data,
                                apr_size_t len, const char **errmsg);

/* Says the body has ended: APR_SUCCESS only when the closing delimiter
 * was seen after at least one part (RFC 2046 section 5.1.1). */
apr_status_t pgw_multipart_finish(pgw_multipart_t *parser, const char **errmsg);

/* After APR_ENOSPC from the parser itself: the limit that was passed;
 * PGW_MULTIPART_WITHIN_LIMITS when the parser has not failed or failed
 * otherwise (a malformed body, or a callback's own refusal). */
pgw_multipart_limit_e pgw_multipart_exceeded(const pgw_multipart_t *parser);

/* The part being read when the parser failed (whose data or headers
 * passed a limit), NULL before the first part. */
const pgw_multipart_part_t *
pgw_multipart_failed_part(const pgw_multipart_t *parser);

#endif
