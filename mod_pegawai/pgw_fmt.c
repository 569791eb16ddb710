/* Formatting of dates, grades and names for display. */
#include <ctype.h>
#include <string.h>

#include <apr_strings.h>
#include <apr_time.h>

#include "pgw_fmt.h"

static int all_digits(const char *s, apr_size_t n)
{
    apr_size_t i;

    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}

const char *pgw_fmt_date(apr_pool_t *p, const char *iso)
{
    if (!iso || strlen(iso) < 10 || iso[4] != '-' || iso[7] != '-'
        || !all_digits(iso, 4) || !all_digits(iso + 5, 2)
        || !all_digits(iso + 8, 2)) {
        return iso;
    }
    return apr_psprintf(p, "%.2s-%.2s-%.4s", iso + 8, iso + 5, iso);
}

/* Upper-cases s and closes the gap in "TK. I" the way the agency writes
 * it ("TK.I"). */
static char *upper_pangkat(apr_pool_t *p, const char *s)
{
    char *out = apr_palloc(p, strlen(s) + 1), *o = out;

    for (; *s; s++) {
        if (*s == ' ' && o - out >= 3 && !strncmp(o - 3, "TK.", 3)) {
            continue;
        }
        *o++ = (char)toupper((unsigned char)*s);
    }
    *o = '\0';
    return out;
}

const char *pgw_fmt_pangkat(apr_pool_t *p, const char *pangkat,
                            const char *golongan)
{
    const char *pk = pangkat && *pangkat ? upper_pangkat(p, pangkat) : NULL;
    const char *gl = golongan && *golongan ? upper_pangkat(p, golongan) : NULL;

    if (pk && gl) {
        return apr_psprintf(p, "%s (%s)", pk, gl);
    }
    return pk ? pk : gl ? gl : "";
}

const char *pgw_fmt_nama(apr_pool_t *p, const char *gelar_depan,
                         const char *nama, const char *gelar_belakang)
{
    const char *n = nama ? nama : "";

    if (gelar_depan && *gelar_depan) {
        n = apr_pstrcat(p, gelar_depan, " ", n, NULL);
    }
    if (gelar_belakang && *gelar_belakang) {
        n = apr_pstrcat(p, n, ", ", gelar_belakang, NULL);
    }
    return n;
}

const char *pgw_fmt_initials(apr_pool_t *p, const char *nama)
{
    char out[3] = {0, 0, 0};
    const char *w = nama ? nama : "";
    int n = 0;

    while (*w && n < 2) {
        const char *end = w;
        while (*end && *end != ' ') {
            end++;
        }
        if (end > w && end[-1] != '.' && isalpha((unsigned char)*w)) {
            out[n++] = (char)toupper((unsigned char)*w);
        }
        w = *end ? end + 1 : end;
    }
    return apr_pstrdup(p, out);
}

const char *pgw_fmt_mask(apr_pool_t *p, const char *value)
{
    apr_size_t n, i;
    char *out;

    if (!value) {
        return NULL;
    }
    n = strlen(value);
    out = apr_pstrdup(p, value);
    for (i = 0; i < n; i++) {
        if (n <= 4 || i < n - 4) {
            out[i] = '*';
        }
    }
    return out;
}

/* Western Indonesia Time is UTC+7 all year. */
#define WIB_OFFSET (7 * 3600)

const char *pgw_fmt_wib(apr_pool_t *p, apr_int64_t epoch)
{
    apr_time_exp_t t;

    apr_time_exp_gmt(&t, apr_time_from_sec(epoch + WIB_OFFSET));
    return apr_psprintf(p, "%02d-%02d-%04d %02d:%02d WIB", t.tm_mday,
                        t.tm_mon + 1, t.tm_year + 1900, t.tm_hour, t.tm_min);
}
