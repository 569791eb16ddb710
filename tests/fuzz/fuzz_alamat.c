/* libFuzzer target for the address form (pgw_alamat.h) and the JSON
 * string escaper (pgw_json.h).
 *
 * The input is given to every field validator as the typed text; what a
 * validator accepts must have the canonical shape the header promises
 * and be accepted again unchanged. The input split at newlines is also
 * a whole posted form, whose result must be consistent (the KTP copy,
 * the nesting of what was accepted). Finally the input goes through the
 * JSON escaper, whose output is read back by a strict JSON string
 * reader here: it must decode to the input wherever the input is valid
 * UTF-8, and never hold a raw control character or "</".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_alamat.h"
#include "pgw_json.h"
#include "pgw_nip.h"
#include "pgw_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static apr_pool_t *root;

/* Aborts, naming the broken promise, when condition is false. */
#define require(condition) require_at((condition), #condition, __LINE__)

static void require_at(int condition, const char *text, int line)
{
    if (!condition) {
        fprintf(stderr, "fuzz_alamat.c:%d: %s\n", line, text);
        abort();
    }
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* True when s is n ASCII digits. */
static int digits(const char *s, size_t n)
{
    return strlen(s) == n && strspn(s, "0123456789") == n;
}

/* ------------------------------------------------------------------ */
/* Canonical shapes                                                    */

static int iso_date_shape(const char *s)
{
    int y, m, d;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return 0;
    }
    y = atoi(s);
    m = atoi(s + 5);
    d = atoi(s + 8);
    return is_digit(s[0]) && is_digit(s[5]) && is_digit(s[8]) && y >= 1900
           && pgw_date_valid(y, m, d);
}

/* UTF-8, no blank at either end, no two blanks in a row, no control
 * character, min to 200 characters. */
static int text_shape(const char *s, size_t min)
{
    size_t len = strlen(s), chars = 0, i, n;

    if (!pgw_utf8_valid(s, len) || s[0] == ' ' || s[len - 1] == ' '
        || strstr(s, "  ") != NULL) {
        return 0;
    }
    for (i = 0; i < len; i += n, chars++) {
        n = pgw_utf8_sequence_len(s + i, len - i);
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F) {
            return 0;
        }
    }
    return chars >= min && chars <= 200;
}

/* "31", "31.71", "31.71.01", "31.71.01.1001". */
static int region_shape(const char *s, int level)
{
    static const char *const shapes[] = {"dd", "dd.dd", "dd.dd.dd",
                                         "dd.dd.dd.dddd"};
    const char *shape = shapes[level];
    size_t i;

    if (strlen(s) != strlen(shape)) {
        return 0;
    }
    for (i = 0; shape[i] != '\0'; i++) {
        if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != '.') {
            return 0;
        }
    }
    return 1;
}

static int canonical(int id, const char *v)
{
    int base = id;

    if (id >= PGW_ALAMAT_ALAMAT_KTP && id <= PGW_ALAMAT_KODE_POS_KTP) {
        base = id - PGW_ALAMAT_KTP_OFFSET;
    }
    switch (base) {
    case PGW_ALAMAT_TANGGAL_MULAI:
        return iso_date_shape(v);
    case PGW_ALAMAT_ALAMAT:
        return text_shape(v, 3);
    case PGW_ALAMAT_KETERANGAN:
        return text_shape(v, 1);
    case PGW_ALAMAT_RT:
    case PGW_ALAMAT_RW:
        return digits(v, 3);
    case PGW_ALAMAT_PROVINSI:
    case PGW_ALAMAT_KOTA:
    case PGW_ALAMAT_KECAMATAN:
    case PGW_ALAMAT_KELURAHAN:
        return region_shape(v, base - PGW_ALAMAT_PROVINSI);
    case PGW_ALAMAT_KODE_POS:
        return digits(v, 5) && v[0] != '0';
    case PGW_ALAMAT_KTP_SAMA:
        return strcmp(v, "0") == 0 || strcmp(v, "1") == 0;
    default:
        return 0;
    }
}

/* ------------------------------------------------------------------ */
/* Fields and form                                                     */

/* Runs field id on s: an acceptance is canonical and stable, a refusal
 * is APR_EINVAL with a message and the output untouched. */
static void run_field(apr_pool_t *p, int id, const char *s)
{
    const pgw_alamat_field_t *f = &pgw_alamat_fields[id];
    static const char unset[] = "unset";
    const char *value = unset, *again = unset, *msg = NULL;
    apr_status_t rv = f->validate(p, s, &value, &msg);

    if (rv != APR_SUCCESS) {
        require(rv == APR_EINVAL && msg != NULL && value == unset);
        return;
    }
    if (value == NULL) {
        require(!f->required && id != PGW_ALAMAT_KTP_SAMA
                && id != PGW_ALAMAT_TANGGAL_MULAI);
        return;
    }
    require(value != unset && canonical(id, value));
    require(f->validate(p, value, &again, &msg) == APR_SUCCESS);
    require(again != NULL && strcmp(again, value) == 0);
}

/* The input's lines as the posted fields, in the order of the table. */
static void split_form(apr_pool_t *p, const char *s, size_t size,
                       const char **raw)
{
    size_t i, start = 0;
    int id = 0;

    for (i = 0; i <= size && id < PGW_ALAMAT_FIELD_COUNT; i++) {
        if (i == size || s[i] == '\n') {
            raw[id++] = apr_pstrmemdup(p, s + start, i - start);
            start = i + 1;
        }
    }
}

static void check_form(apr_pool_t *p, const pgw_alamat_form_t *form)
{
    const char *const *v = form->values;
    const char *msg;
    int id, n = 0;

    for (id = 0; id < PGW_ALAMAT_FIELD_COUNT; id++) {
        n += form->errors[id] != NULL;
        require(form->errors[id] == NULL || v[id] == NULL);
        require(v[id] == NULL || canonical(id, v[id]));
    }
    require(n == form->nerrors);
    require(v[PGW_ALAMAT_KTP_SAMA] != NULL
            || form->errors[PGW_ALAMAT_KTP_SAMA] != NULL);
    require(v[PGW_ALAMAT_TANGGAL_MULAI] != NULL
            || form->errors[PGW_ALAMAT_TANGGAL_MULAI] != NULL);
    if (v[PGW_ALAMAT_KTP_SAMA] != NULL && v[PGW_ALAMAT_KTP_SAMA][0] == '1') {
        for (id = PGW_ALAMAT_ALAMAT; id <= PGW_ALAMAT_KODE_POS; id++) {
            require(v[id + PGW_ALAMAT_KTP_OFFSET] == v[id]);
        }
    }
    if (form->nerrors == 0) {
        require(pgw_wilayah_nested(v[PGW_ALAMAT_PROVINSI], v[PGW_ALAMAT_KOTA],
                                   v[PGW_ALAMAT_KECAMATAN],
                                   v[PGW_ALAMAT_KELURAHAN], &msg)
                == APR_SUCCESS);
        require(pgw_wilayah_nested(v[PGW_ALAMAT_PROVINSI_KTP],
                                   v[PGW_ALAMAT_KOTA_KTP],
                                   v[PGW_ALAMAT_KECAMATAN_KTP],
                                   v[PGW_ALAMAT_KELURAHAN_KTP], &msg)
                == APR_SUCCESS);
    }
    require(pgw_alamat_crosscheck(p, v)->nelts <= 2);
}

/* The first 8 bytes of the input as a moment, so that the clock's
 * edges (years, time zones) are tried too; the rest is the form. */
static apr_time_t moment(const uint8_t *data, size_t size)
{
    int64_t t = 0;

    if (size >= 8) {
        memcpy(&t, data, 8);
    }
    /* Between 1800 and 2300: what apr_time_exp_tz can express. */
    t %= (apr_time_t)500 * 366 * 86400 * APR_USEC_PER_SEC;
    return t < 0 ? -t : t;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

static int hex_value(char c)
{
    if (is_digit(c)) {
        return c - '0';
    }
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Appends code point cp (below U+10000) as UTF-8. */
static void put_utf8(char *out, size_t *n, unsigned cp)
{
    if (cp < 0x80) {
        out[(*n)++] = (char)cp;
    }
    else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | (cp >> 6));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
    else {
        out[(*n)++] = (char)(0xE0 | (cp >> 12));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/* Reads the JSON string j (RFC 8259 section 7, strictly) into out;
 * returns the decoded length, or aborts on anything malformed. */
static size_t read_json_string(const char *j, size_t len, char *out)
{
    size_t i, n = 0;
    int k, h;
    unsigned cp;

    require(len >= 2 && j[0] == '"' && j[len - 1] == '"');
    for (i = 1; i < len - 1; i++) {
        require((unsigned char)j[i] >= 0x20 && j[i] != '"' && j[i] != 0x7F);
        require(!(j[i] == '<' && j[i + 1] == '/'));
        if (j[i] != '\\') {
            out[n++] = j[i];
            continue;
        }
        i++;
        require(i < len - 1 && strchr("\"\\/u", j[i]) != NULL);
        if (j[i] != 'u') {
            out[n++] = j[i];
            continue;
        }
        for (cp = 0, k = 1; k <= 4; k++) {
            h = hex_value(j[i + k]);
            require(h >= 0);
            cp = cp * 16 + (unsigned)h;
        }
        require(cp < 0xD800 || cp > 0xDFFF);
        put_utf8(out, &n, cp);
        i += 4;
    }
    return n;
}

static void check_json(apr_pool_t *p, const char *s, size_t size)
{
    pgw_buf_t *b = pgw_buf_make(p, 0);
    char *back;
    size_t n;

    pgw_json_put_string(b, s, size);
    require(pgw_utf8_valid(b->data, b->len));
    back = apr_palloc(p, b->len + 1);
    n = read_json_string(b->data, b->len, back);
    if (pgw_utf8_valid(s, size)) {
        require(n == size && memcmp(back, s, size) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *raw[PGW_ALAMAT_FIELD_COUNT] = {NULL};
    const char *s, *msg;
    apr_pool_t *p;
    int id;

    if (root == NULL) {
        apr_initialize();
        apr_pool_create(&root, NULL);
    }
    apr_pool_create(&p, root);
    s = apr_pstrmemdup(p, (const char *)data, size);
    for (id = 0; id < PGW_ALAMAT_FIELD_COUNT; id++) {
        run_field(p, id, s);
    }
    split_form(p, s, strlen(s), raw);
    check_form(p, pgw_alamat_check(p, raw, moment(data, size)));
    pgw_wilayah_nested(raw[0], raw[1], raw[2], raw[3], &msg);
    pgw_kodepos_cocok(raw[0], raw[1]);
    pgw_kodepos_rentang(p, s);
    check_json(p, (const char *)data, size);
    apr_pool_destroy(p);
    return 0;
}
