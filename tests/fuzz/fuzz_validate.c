/* libFuzzer target for the data form's validators and cross-checks. The
 * input is given to every validator as the typed text. What a validator
 * accepts must have the canonical shape its header promises and be
 * accepted again unchanged; a refusal must be APR_EINVAL with a message
 * and leave the output alone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_nip.h"
#include "pgw_validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static apr_pool_t *root;

static void require(int condition)
{
    if (!condition) {
        abort();
    }
}

/* True when s is min to max ASCII digits. */
static int digits(const char *s, size_t min, size_t max)
{
    size_t n = strspn(s, "0123456789");

    return s[n] == '\0' && n >= min && n <= max;
}

/* Upper-case letters and digits, 1 to max of them. */
static int identifier(const char *s, size_t max)
{
    size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    return s[n] == '\0' && n >= 1 && n <= max;
}

static int one_of(const char *s, const char *a, const char *b, const char *c,
                  const char *d)
{
    return strcmp(s, a) == 0 || strcmp(s, b) == 0
           || (c != NULL && strcmp(s, c) == 0)
           || (d != NULL && strcmp(s, d) == 0);
}

/* Lower-case printable ASCII without blanks, one @ inside, <= 254. */
static int email_shape(const char *s)
{
    const char *at = strchr(s, '@');
    size_t i, len = strlen(s);

    for (i = 0; i < len; i++) {
        if (s[i] <= ' ' || s[i] > '~' || (s[i] >= 'A' && s[i] <= 'Z')) {
            return 0;
        }
    }
    return len <= 254 && at != NULL && at != s && strchr(at + 1, '@') == NULL
           && strchr(at + 1, '.') != NULL;
}

static int nik_shape(const char *s)
{
    const char *ignored;
    pgw_nik_t n;

    return pgw_nik_parse(s, &n, &ignored) == APR_SUCCESS;
}

static int phone_shape(const char *s, int mobile)
{
    if (mobile) {
        return s[0] == '0' && s[1] == '8' && digits(s, 10, 13);
    }
    return s[0] == '0' && s[1] >= '2' && s[1] != '8' && digits(s, 9, 12);
}

static int canonical(pgw_data_field_id_t id, const char *v)
{
    switch (id) {
    case PGW_DATA_AGAMA:
        return digits(v, 1, 2);
    case PGW_DATA_PENDIDIKAN_CPNS:
        return digits(v, 4, 4);
    case PGW_DATA_JENIS_KELAMIN:
        return one_of(v, "L", "P", NULL, NULL);
    case PGW_DATA_GOL_DARAH:
        return one_of(v, "O", "A", "B", "AB");
    case PGW_DATA_NIK:
        return digits(v, 16, 16) && nik_shape(v);
    case PGW_DATA_NO_KK:
        return digits(v, 16, 16) && v[0] != '0';
    case PGW_DATA_NPWP:
        return digits(v, 15, 16)
               && (v[15] == '\0' || v[0] == '0' || nik_shape(v));
    case PGW_DATA_NO_REK_BANK_DKI:
        return digits(v, 1, 12);
    case PGW_DATA_NO_BPJS:
        return digits(v, 13, 13);
    case PGW_DATA_NO_TELP:
        return phone_shape(v, 0);
    case PGW_DATA_NO_HP:
        return phone_shape(v, 1);
    case PGW_DATA_NO_TASPEN:
        return identifier(v, 18);
    case PGW_DATA_NO_KARPEG:
    case PGW_DATA_NO_KARIS_KARSU:
        return identifier(v, 16);
    case PGW_DATA_EMAIL:
        return email_shape(v);
    default:
        return 0;
    }
}

/* Runs field id on s; returns what it stored (NULL when empty or
 * refused). */
static const char *run_field(apr_pool_t *p, pgw_data_field_id_t id,
                             const char *s)
{
    const pgw_data_field_t *f = &pgw_data_fields[id];
    static const char unset[] = "unset";
    const char *value = unset, *again = unset, *msg = NULL;
    apr_status_t rv = f->validate(p, s, &value, &msg);

    if (rv != APR_SUCCESS) {
        require(rv == APR_EINVAL && msg != NULL && value == unset);
        return NULL;
    }
    if (value == NULL) {
        require(!f->required);
        return NULL;
    }
    require(value != unset && canonical(id, value));
    require(f->validate(p, value, &again, &msg) == APR_SUCCESS);
    require(again != NULL && strcmp(again, value) == 0);
    return value;
}

static void check_warnings(apr_array_header_t *w)
{
    int i;

    require(w != NULL);
    for (i = 0; i < w->nelts; i++) {
        require(APR_ARRAY_IDX(w, i, const char *) != NULL);
    }
}

/* The cross-checks see the stored values with, as the NIP, the input
 * itself and a fixed one. */
static void run_crosschecks(apr_pool_t *p, const char **values, const char *s)
{
    check_warnings(pgw_crosscheck_data(p, values, s));
    check_warnings(pgw_crosscheck_data(p, values, "198307052011011018"));
    check_warnings(pgw_crosscheck_nik_nip(p, s, s));
    check_warnings(pgw_crosscheck_npwp_nik(p, s, values[PGW_DATA_NIK]));
    check_warnings(pgw_crosscheck_jenis_kelamin_nip(p, s, s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *values[PGW_DATA_FIELD_COUNT];
    apr_pool_t *p;
    const char *s;
    int i;

    if (root == NULL) {
        apr_initialize();
        apr_pool_create(&root, NULL);
    }
    apr_pool_create(&p, root);
    s = apr_pstrmemdup(p, (const char *)data, size);
    for (i = 0; i < PGW_DATA_FIELD_COUNT; i++) {
        values[i] = run_field(p, (pgw_data_field_id_t)i, s);
    }
    run_crosschecks(p, values, s);
    apr_pool_destroy(p);
    return 0;
}
