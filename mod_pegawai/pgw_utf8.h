/* UTF-8 validation (RFC 3629 section 4), shared by the form parser, which
 * refuses invalid input, and the HTML escaper, which replaces it.
 */
#ifndef PGW_UTF8_H
#define PGW_UTF8_H

#include <apr.h>

/* Length (1 to 4) of the well-formed UTF-8 sequence at the start of s,
 * of which len bytes are readable; 0 when s does not start with one
 * (overlong forms, surrogates, code points above U+10FFFF, truncated
 * sequences, stray continuation bytes) or len is 0. */
apr_size_t pgw_utf8_sequence_len(const char *s, apr_size_t len);

/* True when s (len bytes) is valid UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). */
int pgw_utf8_valid(const char *s, apr_size_t len);

#endif
