/* HTML templates, parsed once by libxml2 and rendered many times.
 *
 * A template is a well-formed XHTML file in the template directory. It is
 * compiled at configuration time into a flat program of literal chunks
 * (already serialised as HTML5) and a few dynamic operations, so that a
 * request only walks the program and escapes the values it inserts.
 * Every value is text: the engine escapes it for its place, so no value
 * can become markup (escaping by construction).
 *
 * Template language (attributes are removed from the output):
 *
 *   data-pgw-text="name"       replaces the element's content by the value
 *   data-pgw-attr="a:name;b:x" sets attribute a from value name, b from x;
 *                              boolean attributes (checked, selected,
 *                              disabled, hidden, required, readonly) are
 *                              written bare when the value is non-empty
 *                              and left out when empty; URL attributes
 *                              (href, src, action, formaction) only take
 *                              values starting with '/' or '#' or "?"
 *                              (anything else is rendered as "#")
 *   data-pgw-if="name"         keeps the element only when the value is
 *                              non-empty (a list: has rows)
 *   data-pgw-unless="name"     the opposite
 *   data-pgw-each="list"       repeats the element once per row of the
 *                              list; inside, names are looked up in the row
 *                              first, then outwards; "_n" is the 1-based
 *                              row number
 *   <pgw-include file="x.html"/> inlines another file's root element (or
 *                              the children of its <pgw-fragment> root)
 *                              at compile time
 *
 * Names are [a-z0-9_]+. An unknown name renders as empty.
 */
#ifndef PGW_TEMPLATE_H
#define PGW_TEMPLATE_H

#include <apr_pools.h>
#include <apr_errno.h>
#include "pgw_buf.h"

typedef struct pgw_tpl_t pgw_tpl_t;
typedef struct pgw_tpl_set_t pgw_tpl_set_t;
typedef struct pgw_tdata_t pgw_tdata_t;

/* Once per process before the first compile (libxml2 init). */
void pgw_tpl_global_init(void);

/* Compiles one template from memory. name is used in error messages and
 * dir to resolve includes (NULL: includes are refused). On failure
 * returns APR_EINVAL and *errmsg is "file:line: what". */
apr_status_t pgw_tpl_compile(apr_pool_t *p, const char *name, const char *text,
                             apr_size_t len, const char *dir, pgw_tpl_t **tpl,
                             const char **errmsg);

/* Compiles every *.html in dir whose name does not start with '_'
 * (files starting with '_' are include-only). */
apr_status_t pgw_tpl_set_load(apr_pool_t *p, const char *dir,
                              pgw_tpl_set_t **set, const char **errmsg);

/* The template called file name ("login.html"), or NULL. */
const pgw_tpl_t *pgw_tpl_get(const pgw_tpl_set_t *set, const char *name);

/* Data: a scope maps names to text values or to lists of row scopes. */
pgw_tdata_t *pgw_tdata_make(apr_pool_t *p);
void pgw_tdata_set(pgw_tdata_t *d, const char *name, const char *value);
void pgw_tdata_setf(pgw_tdata_t *d, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends a new row to list name (creating the list) and returns it. */
pgw_tdata_t *pgw_tdata_add_row(pgw_tdata_t *d, const char *list);

/* Renders into out. Never fails on data; only memory exhaustion aborts
 * (APR's pool abort function). */
void pgw_tpl_render(const pgw_tpl_t *tpl, const pgw_tdata_t *data,
                    pgw_buf_t *out);

#endif
