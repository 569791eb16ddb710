/* Rules for a new password (ASVS 5.0 V6.2): the list of common
 * passwords and the checks of pgw_pwpolicy.h.
 *
 * The list is a sorted array searched by bisection: 10,000 entries need
 * 14 comparisons, made against the password itself with A-Z folded on
 * the fly, so that no lower-cased copy of a secret is left in pool
 * memory.
 */
#include <stdlib.h>
#include <string.h>

#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "pgw_nip.h"
#include "pgw_pwpolicy.h"
#include "pgw_utf8.h"

struct pgw_pwpolicy_t {
    const char **entries; /* lower-case, sorted by strcmp(), distinct */
    int count;
};

/* ---------------------------------------------------------------- list */

static unsigned char ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static int ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v'
           || c == '\f';
}

/* Trims line in place and lower-cases A-Z; returns where it starts. */
static char *trim_lower(char *line)
{
    apr_size_t len;
    char *c;

    while (ascii_space(*line)) {
        line++;
    }
    len = strlen(line);
    while (len > 0 && ascii_space(line[len - 1])) {
        line[--len] = '\0';
    }
    for (c = line; *c != '\0'; c++) {
        *c = (char)ascii_lower((unsigned char)*c);
    }
    return line;
}

/* One line of the file into entries; NULL or the reason it is refused.
 * buf holds up to PGW_PWPOLICY_MAX_LINE + 1 bytes: a line that fills it
 * without its newline is longer than the limit. */
static const char *add_line(apr_pool_t *p, apr_array_header_t *entries,
                            char *buf)
{
    apr_size_t len = strlen(buf);
    char *entry;

    if (len > PGW_PWPOLICY_MAX_LINE && buf[len - 1] != '\n') {
        return apr_psprintf(p, "line longer than %d bytes",
                            PGW_PWPOLICY_MAX_LINE);
    }
    entry = trim_lower(buf);
    if (*entry == '\0' || *entry == '#') {
        return NULL;
    }
    if (!pgw_utf8_valid(entry, strlen(entry))) {
        return "not UTF-8";
    }
    if (entries->nelts >= PGW_PWPOLICY_MAX_ENTRIES) {
        return apr_psprintf(p, "more than %d passwords",
                            PGW_PWPOLICY_MAX_ENTRIES);
    }
    APR_ARRAY_PUSH(entries, const char *) = apr_pstrdup(p, entry);
    return NULL;
}

/* Reads every line of f; on failure *errmsg says which line and why. */
static apr_status_t read_lines(apr_pool_t *p, apr_file_t *f, const char *path,
                               apr_array_header_t *entries, const char **errmsg)
{
    char buf[PGW_PWPOLICY_MAX_LINE + 2];
    const char *why;
    apr_status_t rv;
    int lineno = 0;
    char err[120];

    while ((rv = apr_file_gets(buf, sizeof(buf), f)) == APR_SUCCESS) {
        lineno++;
        why = add_line(p, entries, buf);
        if (why != NULL) {
            *errmsg = apr_psprintf(p, "%s:%d: %s", path, lineno, why);
            return APR_EINVAL;
        }
    }
    if (rv != APR_EOF) {
        *errmsg =
            apr_psprintf(p, "%s: %s", path, apr_strerror(rv, err, sizeof(err)));
        return rv;
    }
    return APR_SUCCESS;
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts the entries and drops repeated ones. */
static void sort_unique(apr_array_header_t *entries)
{
    const char **e = (const char **)entries->elts;
    int i, n = 0;

    qsort(e, (size_t)entries->nelts, sizeof(*e), compare_entries);
    for (i = 0; i < entries->nelts; i++) {
        if (n == 0 || strcmp(e[n - 1], e[i]) != 0) {
            e[n++] = e[i];
        }
    }
    entries->nelts = n;
}

apr_status_t pgw_pwpolicy_load(apr_pool_t *p, const char *path,
                               pgw_pwpolicy_t **pol, const char **errmsg)
{
    apr_array_header_t *entries = apr_array_make(p, 16384, sizeof(char *));
    pgw_pwpolicy_t *list;
    apr_file_t *f;
    apr_status_t rv;
    char err[120];

    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BUFFERED,
                       APR_OS_DEFAULT, p);
    if (rv != APR_SUCCESS) {
        *errmsg =
            apr_psprintf(p, "%s: %s", path, apr_strerror(rv, err, sizeof(err)));
        return rv;
    }
    rv = read_lines(p, f, path, entries, errmsg);
    apr_file_close(f);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (entries->nelts == 0) {
        *errmsg = apr_psprintf(p, "%s: no passwords listed", path);
        return APR_EINVAL;
    }
    sort_unique(entries);
    list = apr_palloc(p, sizeof(*list));
    list->entries = (const char **)entries->elts;
    list->count = entries->nelts;
    *pol = list;
    return APR_SUCCESS;
}

int pgw_pwpolicy_count(const pgw_pwpolicy_t *pol)
{
    return pol->count;
}

/* strcmp() of password with A-Z lower-cased against a lower-case entry,
 * in the order sort_unique() used. */
static int compare_folded(const char *password, const char *entry)
{
    const unsigned char *a = (const unsigned char *)password;
    const unsigned char *b = (const unsigned char *)entry;

    while (*b != '\0' && ascii_lower(*a) == *b) {
        a++;
        b++;
    }
    return (int)ascii_lower(*a) - (int)*b;
}

int pgw_pwpolicy_listed(const pgw_pwpolicy_t *pol, const char *password)
{
    int lo = 0, hi = pol->count, mid, c;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        c = compare_folded(password, pol->entries[mid]);
        if (c == 0) {
            return 1;
        }
        if (c < 0) {
            hi = mid;
        }
        else {
            lo = mid + 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------ shape and size */

/* True when the len bytes of valid UTF-8 at s are one code point over
 * and over. */
static int one_repeated(const char *s, apr_size_t len)
{
    apr_size_t n = pgw_utf8_sequence_len(s, len), i;

    if (n == 0 || len % n != 0) {
        return 0;
    }
    for (i = n; i < len; i += n) {
        if (memcmp(s + i, s, n) != 0) {
            return 0;
        }
    }
    return 1;
}

/* Code points of valid UTF-8: every byte that is not a continuation. */
static apr_size_t code_points(const char *s, apr_size_t len)
{
    apr_size_t i, n = 0;

    for (i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

/* The message for a password of the wrong size or encoding, or NULL.
 * The byte limit comes first so that nothing longer is even scanned:
 * it bounds the cost of argon2id and of the searches below, and V6.2.9
 * asks only for 64 characters. */
static const char *shape_problem(const char *password)
{
    apr_size_t len;

    if (password == NULL) {
        return PGW_PWMSG_TOO_SHORT;
    }
    len = strnlen(password, PGW_PWPOLICY_MAX_BYTES + 1);
    if (len > PGW_PWPOLICY_MAX_BYTES) {
        return PGW_PWMSG_TOO_LONG;
    }
    if (!pgw_utf8_valid(password, len)) {
        return PGW_PWMSG_NOT_UTF8;
    }
    if (code_points(password, len) < PGW_PWPOLICY_MIN_CHARS) {
        return PGW_PWMSG_TOO_SHORT;
    }
    if (one_repeated(password, len)) {
        return PGW_PWMSG_REPEATED;
    }
    return NULL;
}

/* ------------------------------------------------- NRK, NIP, birth date */

/* True when needle (lower-case) occurs in haystack with A-Z folded. */
static int contains_folded(const char *haystack, const char *needle)
{
    apr_size_t i;

    for (; *haystack != '\0'; haystack++) {
        for (i = 0; needle[i] != '\0'; i++) {
            if (ascii_lower((unsigned char)haystack[i])
                != (unsigned char)needle[i]) {
                break;
            }
        }
        if (needle[i] == '\0') {
            return 1;
        }
    }
    return 0;
}

/* An identifier, trimmed and lower-cased, when it is long enough to
 * look for; or NULL. */
static const char *identifier(apr_pool_t *p, const char *id)
{
    const char *trimmed;

    if (id == NULL) {
        return NULL;
    }
    trimmed = trim_lower(apr_pstrdup(p, id));
    return strlen(trimmed) < 5 ? NULL : trimmed;
}

/* The number the n digits at s write, or -1 when they are not all
 * digits. */
static int number_at(const char *s, int n)
{
    int v = 0;

    while (n-- > 0) {
        if (*s < '0' || *s > '9') {
            return -1;
        }
        v = v * 10 + (*s++ - '0');
    }
    return v;
}

static int set_date(pgw_date_t *d, int year, int month, int day)
{
    d->year = year;
    d->month = month;
    d->day = day;
    return pgw_date_valid(year, month, day);
}

/* The birth date of "YYYY-MM-DD" into *d, also when a time follows it
 * (a timestamp column); 0 when it is no such date. */
static int parse_iso_date(const char *s, pgw_date_t *d)
{
    if (s == NULL || strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-'
        || (s[10] != '\0' && s[10] != ' ' && s[10] != 'T')) {
        return 0;
    }
    return set_date(d, number_at(s, 4), number_at(s + 5, 2),
                    number_at(s + 8, 2));
}

/* The birth date the NIP begins with (YYYYMMDD, PP 11/2017); 0 when
 * its first 8 characters are no such date. The rest of the NIP need not
 * be valid: the date is what an employee would type. */
static int nip_birth_date(const char *nip, pgw_date_t *d)
{
    if (nip == NULL || strnlen(nip, 8) < 8) {
        return 0;
    }
    return set_date(d, number_at(nip, 4), number_at(nip + 4, 2),
                    number_at(nip + 6, 2));
}

static void add_form(apr_array_header_t *forms, const char *form)
{
    if (form != NULL) {
        APR_ARRAY_PUSH(forms, const char *) = form;
    }
}

/* Forms shorter than this are left out: "5783" (5-7-83 without its
 * dashes) inside a passphrase is chance, not a birth date. */
#define MIN_DATE_FORM 6

/* Adds day, month and year joined by sep in the three orders people
 * write them: Indonesian (05-07-1983), ISO and NIP (1983-07-05) and
 * American (07/05/1983). */
static void add_orders(apr_pool_t *p, apr_array_header_t *forms,
                       const char *day, const char *month, const char *year,
                       const char *sep)
{
    if (strlen(day) + strlen(month) + strlen(year) + 2 * strlen(sep)
        < MIN_DATE_FORM) {
        return;
    }
    add_form(forms, apr_pstrcat(p, day, sep, month, sep, year, NULL));
    add_form(forms, apr_pstrcat(p, year, sep, month, sep, day, NULL));
    add_form(forms, apr_pstrcat(p, month, sep, day, sep, year, NULL));
}

/* The date in digits: with and without leading zeros, the year in four
 * digits or two, with no separator or one of - / . and space. */
static void numeric_forms(apr_pool_t *p, apr_array_header_t *forms,
                          const pgw_date_t *d)
{
    static const char *const seps[] = {"", "-", "/", ".", " "};
    const char *day[2], *month[2], *year[2];
    int s, i, j, k;

    day[0] = apr_psprintf(p, "%02d", d->day);
    day[1] = apr_psprintf(p, "%d", d->day);
    month[0] = apr_psprintf(p, "%02d", d->month);
    month[1] = apr_psprintf(p, "%d", d->month);
    year[0] = apr_psprintf(p, "%04d", d->year);
    year[1] = apr_psprintf(p, "%02d", d->year % 100);
    for (s = 0; s < 5; s++) {
        for (i = 0; i < (d->day < 10 ? 2 : 1); i++) {
            for (j = 0; j < (d->month < 10 ? 2 : 1); j++) {
                for (k = 0; k < 2; k++) {
                    add_orders(p, forms, day[i], month[j], year[k], seps[s]);
                }
            }
        }
    }
}

/* The date with the month's Indonesian name, as documents print it
 * ("5 Juli 1983", "05 Agu 83"): full names and their first letters. */
static void named_forms(apr_pool_t *p, apr_array_header_t *forms,
                        const pgw_date_t *d)
{
    static const char *const bulan[12][2] = {
        {"januari", "jan"}, {"februari", "feb"}, {"maret", "mar"},
        {"april", "apr"},   {"mei", "mei"},      {"juni", "jun"},
        {"juli", "jul"},    {"agustus", "agu"},  {"september", "sep"},
        {"oktober", "okt"}, {"november", "nov"}, {"desember", "des"}};
    static const char *const seps[] = {"", " ", "-"};
    const char *day[2], *year[2];
    int s, i, n, k;

    day[0] = apr_psprintf(p, "%02d", d->day);
    day[1] = apr_psprintf(p, "%d", d->day);
    year[0] = apr_psprintf(p, "%04d", d->year);
    year[1] = apr_psprintf(p, "%02d", d->year % 100);
    for (s = 0; s < 3; s++) {
        for (i = 0; i < (d->day < 10 ? 2 : 1); i++) {
            for (n = 0; n < 2; n++) {
                for (k = 0; k < 2; k++) {
                    add_form(forms, apr_pstrcat(p, day[i], seps[s],
                                                bulan[d->month - 1][n], seps[s],
                                                year[k], NULL));
                }
            }
        }
    }
}

/* Everything about the employee that the password must not contain. */
static apr_array_header_t *personal_forms(apr_pool_t *p, const char *nrk,
                                          const char *nip,
                                          const char *tanggal_lahir_iso)
{
    apr_array_header_t *forms = apr_array_make(p, 320, sizeof(char *));
    pgw_date_t lahir, lahir_nip;
    int have_lahir = parse_iso_date(tanggal_lahir_iso, &lahir);

    add_form(forms, identifier(p, nrk));
    add_form(forms, identifier(p, nip));
    if (have_lahir) {
        numeric_forms(p, forms, &lahir);
        named_forms(p, forms, &lahir);
    }
    if (nip_birth_date(nip, &lahir_nip)
        && (!have_lahir || memcmp(&lahir, &lahir_nip, sizeof(lahir)) != 0)) {
        numeric_forms(p, forms, &lahir_nip);
        named_forms(p, forms, &lahir_nip);
    }
    return forms;
}

static int contains_any(const char *password, const apr_array_header_t *forms)
{
    int i;

    for (i = 0; i < forms->nelts; i++) {
        if (contains_folded(password, APR_ARRAY_IDX(forms, i, const char *))) {
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------- checks */

apr_status_t pgw_pwpolicy_check(apr_pool_t *p, const pgw_pwpolicy_t *pol,
                                const char *password, const char *nrk,
                                const char *nip, const char *tanggal_lahir_iso,
                                const char **errmsg)
{
    const char *msg = shape_problem(password);

    if (msg == NULL && pgw_pwpolicy_listed(pol, password)) {
        msg = PGW_PWMSG_COMMON;
    }
    if (msg == NULL
        && contains_any(password,
                        personal_forms(p, nrk, nip, tanggal_lahir_iso))) {
        msg = PGW_PWMSG_PERSONAL;
    }
    if (msg != NULL) {
        *errmsg = msg;
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

/* Both fields come in the same request from the same person, so a
 * comparison that stops at the first difference tells nobody anything:
 * no constant-time comparison is needed here. */
apr_status_t pgw_pwpolicy_confirm(const char *baru, const char *baru2,
                                  const char **errmsg)
{
    if (strcmp(baru ? baru : "", baru2 ? baru2 : "") != 0) {
        *errmsg = PGW_PWMSG_MISMATCH;
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

apr_status_t pgw_pwpolicy_differs(const char *lama, const char *baru,
                                  const char **errmsg)
{
    if (strcmp(lama ? lama : "", baru ? baru : "") == 0) {
        *errmsg = PGW_PWMSG_SAME_AS_OLD;
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}
