/* JSON strings (RFC 8259) for the small JSON answers of the portal, such
 * as the region lists the address form fills its selects from.
 *
 * The text written is safe inside an HTML <script> element too, so a
 * page may embed an answer as it is.
 */
#ifndef PGW_JSON_H
#define PGW_JSON_H

#include <apr_pools.h>

#include "pgw_buf.h"

/* Appends s (len bytes, which may include NUL) as a JSON string, quotes
 * included:
 *   "  \  and the controls U+0000 to U+001F and U+007F  ->  \"  \\  \u00XX
 *   </    ->  <\/      (no "</script" can end the element early)
 *   <!    ->  \u003c!  (no "<!--" can change how the element is parsed)
 *   U+2028, U+2029  ->  \u2028, \u2029  (valid in JSON, not in
 *                       JavaScript string literals before ES2019)
 *   an invalid UTF-8 sequence  ->  \ufffd  (RFC 8259 section 8.1: JSON
 *                       text is UTF-8)
 * Everything else is copied. */
void pgw_json_put_string(pgw_buf_t *b, const char *s, apr_size_t len);

/* s as a JSON string on p, as above; NULL becomes null. */
const char *pgw_json_string(apr_pool_t *p, const char *s);

/* Appends {"name":value,...} for n columns: every value a JSON string
 * as above, or null for a NULL value; names are written as strings the
 * same way. The cells of a database row keep their text: identifiers
 * stay digit strings (PRODUCT.md), never numbers. */
void pgw_json_put_object(pgw_buf_t *b, int n, const char *const *names,
                         const char *const *values);

#endif
