/* A growable byte buffer on an APR pool: where pages are rendered before
 * they are sent, so that Content-Length is known and a failed render sends
 * nothing.
 */
#ifndef PGW_BUF_H
#define PGW_BUF_H

#include <apr_pools.h>

typedef struct pgw_buf_t {
    apr_pool_t *pool;
    char *data; /* always NUL-terminated */
    apr_size_t len;
    apr_size_t cap;
} pgw_buf_t;

pgw_buf_t *pgw_buf_make(apr_pool_t *p, apr_size_t initial);
void pgw_buf_append(pgw_buf_t *b, const char *s, apr_size_t len);
void pgw_buf_puts(pgw_buf_t *b, const char *s);

/* Appends text escaped for HTML element content and for double- or
 * single-quoted attribute values alike: & < > " ' are replaced by
 * entities; invalid UTF-8 sequences and C0 controls other than \t \n \r
 * are replaced by U+FFFD so that no byte can change the parser's state.
 */
void pgw_buf_put_escaped(pgw_buf_t *b, const char *s, apr_size_t len);

#endif
