/* UTF-8 well-formedness, byte by byte, after the table of RFC 3629
 * section 4 (the same table as Unicode 15, table 3-7).
 */
#include "pgw_utf8.h"

/* The bounds of the second byte depend on the first: they are what rules
 * out overlong forms (E0, F0), surrogates (ED) and code points above
 * U+10FFFF (F4). Every later byte is a plain continuation byte. */
static int utf8_lead(unsigned char c, apr_size_t *n, unsigned char *lo,
                     unsigned char *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        *n = 2;
    }
    else if (c >= 0xE0 && c <= 0xEF) {
        *n = 3;
        if (c == 0xE0) {
            *lo = 0xA0;
        }
        else if (c == 0xED) {
            *hi = 0x9F;
        }
    }
    else if (c >= 0xF0 && c <= 0xF4) {
        *n = 4;
        if (c == 0xF0) {
            *lo = 0x90;
        }
        else if (c == 0xF4) {
            *hi = 0x8F;
        }
    }
    else {
        return 0;
    }
    return 1;
}

apr_size_t pgw_utf8_sequence_len(const char *s, apr_size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char lo, hi;
    apr_size_t n, i;

    if (len == 0) {
        return 0;
    }
    if (u[0] < 0x80) {
        return 1;
    }
    if (!utf8_lead(u[0], &n, &lo, &hi) || len < n) {
        return 0;
    }
    if (u[1] < lo || u[1] > hi) {
        return 0;
    }
    for (i = 2; i < n; i++) {
        if (u[i] < 0x80 || u[i] > 0xBF) {
            return 0;
        }
    }
    return n;
}

int pgw_utf8_valid(const char *s, apr_size_t len)
{
    apr_size_t n;

    while (len > 0) {
        n = pgw_utf8_sequence_len(s, len);
        if (n == 0) {
            return 0;
        }
        s += n;
        len -= n;
    }
    return 1;
}
