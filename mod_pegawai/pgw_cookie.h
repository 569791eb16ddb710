/* Cookie header parsing (RFC 6265 section 5.4, lenient on input). */
#ifndef PGW_COOKIE_H
#define PGW_COOKIE_H

#include <apr_pools.h>

#define PGW_COOKIE_MAX_HEADER 8192

/* Finds the value of the first cookie called name in a Cookie header
 * value. Returns NULL when absent, when the header is longer than
 * PGW_COOKIE_MAX_HEADER, or when the value is not a cookie-octet string
 * (surrounding double quotes are removed). Pool memory. */
const char *pgw_cookie_get(apr_pool_t *p, const char *header, const char *name);

#endif
