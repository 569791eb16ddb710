/* Reading one cookie out of a Cookie request header. Browsers send
 * "name=value; name2=value2" (RFC 6265 section 5.4). Splitting is
 * lenient (whitespace around names and values, stray pairs), but the
 * value returned must match the cookie-value grammar of section 4.1.1:
 * our own cookies never need more, and nothing else is worth reading.
 */
#include <string.h>

#include <apr_strings.h>

#include "pgw_cookie.h"

static int cookie_space(char c)
{
    return c == ' ' || c == '\t';
}

/* cookie-octet: US-ASCII without CTLs, whitespace, DQUOTE, comma,
 * semicolon and backslash (RFC 6265 section 4.1.1). */
static int cookie_octet(unsigned char c)
{
    return c >= 0x21 && c <= 0x7E && c != '"' && c != ',' && c != ';'
           && c != '\\';
}

/* Narrows [*start, *end) by the whitespace around it. */
static void cookie_trim(const char **start, const char **end)
{
    while (*start < *end && cookie_space(**start)) {
        (*start)++;
    }
    while (*end > *start && cookie_space((*end)[-1])) {
        (*end)--;
    }
}

/* The value in [v, end), without its optional double quotes, if every
 * byte of it is a cookie-octet; NULL otherwise. */
static const char *cookie_value(apr_pool_t *p, const char *v, const char *end)
{
    const char *c;

    if (end - v >= 2 && v[0] == '"' && end[-1] == '"') {
        v++;
        end--;
    }
    for (c = v; c < end; c++) {
        if (!cookie_octet((unsigned char)*c)) {
            return NULL;
        }
    }
    return apr_pstrmemdup(p, v, end - v);
}

/* True when the pair [pair, eq) names the cookie name (name_len bytes),
 * whitespace around the name aside. */
static int cookie_name_is(const char *pair, const char *eq, const char *name,
                          apr_size_t name_len)
{
    cookie_trim(&pair, &eq);
    return (apr_size_t)(eq - pair) == name_len
           && memcmp(pair, name, name_len) == 0;
}

const char *pgw_cookie_get(apr_pool_t *p, const char *header, const char *name)
{
    apr_size_t name_len;
    const char *pair, *pair_end, *eq, *value;

    if (header == NULL || name == NULL || *name == '\0'
        || strnlen(header, PGW_COOKIE_MAX_HEADER + 1) > PGW_COOKIE_MAX_HEADER) {
        return NULL;
    }
    name_len = strlen(name);
    for (pair = header; *pair != '\0'; pair = pair_end + (*pair_end != '\0')) {
        pair_end = pair + strcspn(pair, ";");
        /* A pair without '=' names no cookie we could be asked for. */
        eq = memchr(pair, '=', pair_end - pair);
        if (eq == NULL || !cookie_name_is(pair, eq, name, name_len)) {
            continue;
        }
        value = eq + 1;
        cookie_trim(&value, &pair_end);
        return cookie_value(p, value, pair_end);
    }
    return NULL;
}
