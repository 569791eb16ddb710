/* The application/x-www-form-urlencoded parser (WHATWG URL, section 5.1)
 * for the portal's form submissions. It is stricter than the standard:
 * a malformed %-escape, invalid UTF-8 or a control character refuses
 * the whole body instead of being passed on or replaced, because each
 * is a sign of a forged request rather than of something a person typed
 * (ASVS 5.0, V2 validation).
 */
#include <string.h>

#include <apr_strings.h>

#include "pgw_form.h"

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Decodes [s, s + len) ('+' is a space, %XX a byte) into pool memory of
 * at most max bytes: a longer result is refused as soon as it appears, so
 * memory stays bounded by the limit and not by the body. */
static apr_status_t form_decode(apr_pool_t *p, const char *s, apr_size_t len,
                                apr_size_t max, const char **out,
                                apr_size_t *out_len, const char **errmsg)
{
    char *d = apr_palloc(p, (len < max ? len : max) + 1);
    apr_size_t i = 0, n = 0;
    int hi, lo;

    while (i < len) {
        if (n == max) {
            *errmsg = "form field longer than the limit";
            return APR_ENOSPC;
        }
        if (s[i] == '%') {
            hi = i + 2 < len ? hex_value(s[i + 1]) : -1;
            lo = i + 2 < len ? hex_value(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                *errmsg = "bad %-escape in form";
                return APR_EINVAL;
            }
            d[n++] = (char)(hi * 16 + lo);
            i += 3;
        }
        else {
            d[n++] = s[i] == '+' ? ' ' : s[i];
            i++;
        }
    }
    d[n] = '\0';
    *out = d;
    *out_len = n;
    return APR_SUCCESS;
}

/* NUL would cut the value short for every C string function after us;
 * the other C0 controls have no place in a form field. */
static int form_text_ok(const char *s, apr_size_t len)
{
    apr_size_t i;
    unsigned char c;

    for (i = 0; i < len; i++) {
        c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            return 0;
        }
    }
    return pgw_utf8_valid(s, len);
}

static apr_status_t form_decode_text(apr_pool_t *p, const char *s,
                                     apr_size_t len, apr_size_t max,
                                     const char **out, const char **errmsg)
{
    apr_size_t out_len;
    apr_status_t rv;

    rv = form_decode(p, s, len, max, out, &out_len, errmsg);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (!form_text_ok(*out, out_len)) {
        *errmsg = "invalid UTF-8 or control character in form";
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

/* One "name=value" pair (or a bare "name", whose value is empty). */
static apr_status_t form_pair(apr_pool_t *p, const char *s, apr_size_t len,
                              const pgw_form_limits_t *limits,
                              apr_table_t *fields, const char **errmsg)
{
    const char *eq = memchr(s, '=', len);
    apr_size_t name_len = eq ? (apr_size_t)(eq - s) : len;
    const char *name, *value = "";
    apr_status_t rv;

    rv = form_decode_text(p, s, name_len, limits->max_name, &name, errmsg);
    if (rv == APR_SUCCESS && eq != NULL) {
        rv = form_decode_text(p, eq + 1, len - name_len - 1, limits->max_value,
                              &value, errmsg);
    }
    if (rv == APR_SUCCESS) {
        apr_table_addn(fields, name, value);
    }
    return rv;
}

apr_status_t pgw_form_parse(apr_pool_t *p, const char *body, apr_size_t len,
                            const pgw_form_limits_t *limits,
                            apr_table_t **fields, const char **errmsg)
{
    apr_table_t *t = apr_table_make(p, 16);
    apr_size_t pos, pair_len, count = 0;
    const char *amp;
    apr_status_t rv;

    for (pos = 0; pos < len; pos += pair_len + 1) {
        amp = memchr(body + pos, '&', len - pos);
        pair_len = amp ? (apr_size_t)(amp - (body + pos)) : len - pos;
        if (pair_len == 0) {
            continue; /* "&&": WHATWG URL 5.1 step 3.1 skips it */
        }
        if (++count > limits->max_fields) {
            *errmsg = "more form fields than the limit";
            return APR_ENOSPC;
        }
        rv = form_pair(p, body + pos, pair_len, limits, t, errmsg);
        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
    *fields = t;
    return APR_SUCCESS;
}
