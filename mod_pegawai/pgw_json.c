/* JSON string escaping (RFC 8259 section 7), with the extra escapes
 * that let the text sit inside an HTML script element (HTML Living
 * Standard, "Restrictions for contents of script elements").
 */
#include <string.h>

#include "pgw_json.h"
#include "pgw_utf8.h"

/* The escape for the character at s, a well-formed UTF-8 sequence of n
 * bytes in a text that ends at end; NULL when it is copied as it is.
 * hex receives the "\u00XX" of a control character. */
static const char *escape_for(const char *s, apr_size_t n, const char *end,
                              char hex[7])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char c = (unsigned char)s[0];

    if (c == '"') {
        return "\\\"";
    }
    if (c == '\\') {
        return "\\\\";
    }
    if (c < 0x20 || c == 0x7F) {
        memcpy(hex, "\\u00", 4);
        hex[4] = digits[c >> 4];
        hex[5] = digits[c & 0x0F];
        hex[6] = '\0';
        return hex;
    }
    if (c == '<' && s + 1 < end && s[1] == '/') {
        return "<\\/";
    }
    if (c == '<' && s + 1 < end && s[1] == '!') {
        return "\\u003c";
    }
    /* U+2028 and U+2029 are E2 80 A8 and E2 80 A9. */
    if (n == 3 && c == 0xE2 && (unsigned char)s[1] == 0x80) {
        if ((unsigned char)s[2] == 0xA8) {
            return "\\u2028";
        }
        if ((unsigned char)s[2] == 0xA9) {
            return "\\u2029";
        }
    }
    return NULL;
}

void pgw_json_put_string(pgw_buf_t *b, const char *s, apr_size_t len)
{
    const char *end = s + len, *run = s;
    const char *esc;
    char hex[7];
    apr_size_t n, skip;

    pgw_buf_append(b, "\"", 1);
    while (s < end) {
        n = pgw_utf8_sequence_len(s, (apr_size_t)(end - s));
        esc = n == 0 ? "\\ufffd" : escape_for(s, n, end, hex);
        if (esc == NULL) {
            s += n;
            continue;
        }
        pgw_buf_append(b, run, (apr_size_t)(s - run));
        pgw_buf_puts(b, esc);
        /* "</" is written whole: the slash is part of its escape. */
        skip = n == 0 ? 1 : n;
        if (esc[0] == '<') {
            skip = 2;
        }
        s += skip;
        run = s;
    }
    pgw_buf_append(b, run, (apr_size_t)(s - run));
    pgw_buf_append(b, "\"", 1);
}

const char *pgw_json_string(apr_pool_t *p, const char *s)
{
    pgw_buf_t *b;

    if (s == NULL) {
        return "null";
    }
    b = pgw_buf_make(p, strlen(s) + 2);
    pgw_json_put_string(b, s, strlen(s));
    return b->data;
}

void pgw_json_put_object(pgw_buf_t *b, int n, const char *const *names,
                         const char *const *values)
{
    int i;

    pgw_buf_append(b, "{", 1);
    for (i = 0; i < n; i++) {
        if (i) {
            pgw_buf_append(b, ",", 1);
        }
        pgw_json_put_string(b, names[i], strlen(names[i]));
        pgw_buf_append(b, ":", 1);
        if (values[i]) {
            pgw_json_put_string(b, values[i], strlen(values[i]));
        }
        else {
            pgw_buf_append(b, "null", 4);
        }
    }
    pgw_buf_append(b, "}", 1);
}
