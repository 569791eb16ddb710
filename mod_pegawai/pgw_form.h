/* application/x-www-form-urlencoded bodies (WHATWG URL, section 5.1).
 * Every limit is a refusal, never a truncation.
 */
#ifndef PGW_FORM_H
#define PGW_FORM_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_errno.h>
#include "pgw_utf8.h" /* pgw_utf8_valid() was first declared here */

typedef struct pgw_form_limits_t {
    apr_size_t max_fields; /* e.g. 64 */
    apr_size_t max_name;   /* bytes of a decoded name, e.g. 64 */
    apr_size_t max_value;  /* bytes of a decoded value, e.g. 4096 */
} pgw_form_limits_t;

/* Parses body (len bytes, not NUL-terminated) into fields (name ->
 * value, in order, repeated names kept). Decoded names and values must
 * be valid UTF-8 without NUL or other C0 controls except \t \n \r;
 * on failure returns APR_EINVAL (malformed: bad %-escape, bad UTF-8,
 * control byte) or APR_ENOSPC (a limit), with an English *errmsg for
 * the log, and leaves *fields unset. */
apr_status_t pgw_form_parse(apr_pool_t *p, const char *body, apr_size_t len,
                            const pgw_form_limits_t *limits,
                            apr_table_t **fields, const char **errmsg);

#endif
