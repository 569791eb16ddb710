/* Unit tests of pgw_form.c (urlencoded bodies) and pgw_utf8.c. */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_form.h"

static apr_pool_t *pool;
static const pgw_form_limits_t limits = {64, 64, 4096};

static void setup(void)
{
    ck_assert_int_eq(apr_pool_create(&pool, NULL), APR_SUCCESS);
}

static void teardown(void)
{
    apr_pool_destroy(pool);
}

static apr_status_t parse_with(const char *body, apr_size_t len,
                               const pgw_form_limits_t *lim,
                               apr_table_t **fields)
{
    const char *err = NULL;
    apr_table_t *unset = (apr_table_t *)&unset;
    apr_status_t rv;

    *fields = unset;
    rv = pgw_form_parse(pool, body, len, lim, fields, &err);
    if (rv == APR_SUCCESS) {
        ck_assert_ptr_ne(*fields, unset);
    }
    else {
        /* failure: a message for the log, and *fields left alone */
        ck_assert_ptr_nonnull(err);
        ck_assert_ptr_eq(*fields, unset);
    }
    return rv;
}

static apr_status_t parse(const char *body, apr_table_t **fields)
{
    return parse_with(body, strlen(body), &limits, fields);
}

/* The i-th field, as "name=value", to check order and duplicates. */
static const char *field(apr_table_t *t, int i)
{
    const apr_array_header_t *a = apr_table_elts(t);
    const apr_table_entry_t *e = (const apr_table_entry_t *)a->elts;

    ck_assert_int_lt(i, a->nelts);
    return apr_pstrcat(pool, e[i].key, "=", e[i].val, NULL);
}

static int field_count(apr_table_t *t)
{
    return apr_table_elts(t)->nelts;
}

START_TEST(login_form)
{
    apr_table_t *f;

    ck_assert_int_eq(parse("nrk=181679&password=rahasia-demo&csrf_token=x", &f),
                     APR_SUCCESS);
    ck_assert_int_eq(field_count(f), 3);
    ck_assert_str_eq(apr_table_get(f, "nrk"), "181679");
    ck_assert_str_eq(apr_table_get(f, "password"), "rahasia-demo");
    ck_assert_str_eq(apr_table_get(f, "csrf_token"), "x");
}
END_TEST

START_TEST(decoding)
{
    apr_table_t *f;

    ck_assert_int_eq(parse("alamat=Jl.+Kebon%20Sirih+No%2E+1%2B2"
                           "&nama=Caf%c3%A9&x%5B%5D=%3D%26",
                           &f),
                     APR_SUCCESS);
    ck_assert_str_eq(apr_table_get(f, "alamat"), "Jl. Kebon Sirih No. 1+2");
    ck_assert_str_eq(apr_table_get(f, "nama"), "Caf\xC3\xA9");
    ck_assert_str_eq(apr_table_get(f, "x[]"), "=&");
}
END_TEST

START_TEST(order_and_repeats_kept)
{
    apr_table_t *f;

    ck_assert_int_eq(parse("b=1&a=2&b=3", &f), APR_SUCCESS);
    ck_assert_int_eq(field_count(f), 3);
    ck_assert_str_eq(field(f, 0), "b=1");
    ck_assert_str_eq(field(f, 1), "a=2");
    ck_assert_str_eq(field(f, 2), "b=3");
}
END_TEST

START_TEST(empty_pairs_and_bare_names)
{
    apr_table_t *f;

    ck_assert_int_eq(parse("&&a=1&&&ktp_sama&=v&b=&c==x&", &f), APR_SUCCESS);
    ck_assert_int_eq(field_count(f), 5);
    ck_assert_str_eq(field(f, 0), "a=1");
    ck_assert_str_eq(field(f, 1), "ktp_sama=");
    ck_assert_str_eq(field(f, 2), "=v");
    ck_assert_str_eq(field(f, 3), "b=");
    ck_assert_str_eq(field(f, 4), "c==x");
    ck_assert_int_eq(parse("", &f), APR_SUCCESS);
    ck_assert_int_eq(field_count(f), 0);
    ck_assert_int_eq(parse("&", &f), APR_SUCCESS);
    ck_assert_int_eq(field_count(f), 0);
}
END_TEST

START_TEST(not_nul_terminated)
{
    apr_table_t *f;

    /* only len bytes are read */
    ck_assert_int_eq(parse_with("a=1&b=2", 5, &limits, &f), APR_SUCCESS);
    ck_assert_int_eq(field_count(f), 2);
    ck_assert_str_eq(apr_table_get(f, "b"), "");
    ck_assert_int_eq(parse_with("a=%41", 4, &limits, &f), APR_EINVAL);
}
END_TEST

START_TEST(bad_escapes)
{
    static const char *const bad[] = {
        "%",     "a=%",  "a=%4",  "a=1%",  "a=%zz", "a=%G1",
        "a=%1G", "%%=1", "a=%-1", "a=% 1", "n%=1",
    };
    apr_table_t *f;
    apr_size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(parse(bad[i], &f) == APR_EINVAL, "accepted %s", bad[i]);
    }
}
END_TEST

START_TEST(controls)
{
    apr_table_t *f;

    ck_assert_int_eq(parse("a=%00", &f), APR_EINVAL);
    ck_assert_int_eq(parse("a%00b=1", &f), APR_EINVAL);
    ck_assert_int_eq(parse_with("a=x\0y", 5, &limits, &f), APR_EINVAL);
    ck_assert_int_eq(parse("a=%01", &f), APR_EINVAL);
    ck_assert_int_eq(parse("a=%1b%5B31m", &f), APR_EINVAL);
    ck_assert_int_eq(parse("a=%1F", &f), APR_EINVAL);
    /* tab, newline and carriage return are text (a textarea) */
    ck_assert_int_eq(parse("keterangan=a%09b%0D%0Ac", &f), APR_SUCCESS);
    ck_assert_str_eq(apr_table_get(f, "keterangan"), "a\tb\r\nc");
}
END_TEST

START_TEST(invalid_utf8)
{
    static const char *const bad[] = {
        "a=%C0%AF",                            /* overlong '/' */
        "a=%E0%80%AF",                         /* overlong, 3 bytes */
        "a=%F0%80%80%AF",                      /* overlong, 4 bytes */
        "a=%ED%A0%80",                         /* surrogate U+D800 */
        "a=%ED%BF%BF",                         /* surrogate U+DFFF */
        "a=%F4%90%80%80",                      /* U+110000 */
        "a=%80",                               /* lone continuation byte */
        "a=%E2%82",                            /* truncated */
        "a=%E2%82x",                           /* interrupted */
        "a=%FF",          "a=%F8%88%80%80%80", /* old 5-byte form */
        "%C3=1",                               /* in a name */
    };
    apr_table_t *f;
    apr_size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(parse(bad[i], &f) == APR_EINVAL, "accepted %s", bad[i]);
    }
    ck_assert_int_eq(parse_with("a=\xC3", 3, &limits, &f), APR_EINVAL);
    ck_assert_int_eq(parse("a=%F0%9F%98%80&b=%F4%8F%BF%BF", &f), APR_SUCCESS);
    ck_assert_str_eq(apr_table_get(f, "a"), "\xF0\x9F\x98\x80");
}
END_TEST

START_TEST(field_count_limit)
{
    pgw_form_limits_t lim = {3, 64, 4096};
    apr_table_t *f;

    ck_assert_int_eq(parse_with("a=1&b=2&c=3", 11, &lim, &f), APR_SUCCESS);
    /* skipped empty pairs do not count */
    ck_assert_int_eq(parse_with("a=1&&b=2&&c=3&&", 15, &lim, &f), APR_SUCCESS);
    ck_assert_int_eq(parse_with("a=1&b=2&c=3&d", 13, &lim, &f), APR_ENOSPC);
}
END_TEST

START_TEST(name_length_limit)
{
    pgw_form_limits_t lim = {64, 4, 4096};
    apr_table_t *f;

    ck_assert_int_eq(parse_with("abcd=1", 6, &lim, &f), APR_SUCCESS);
    ck_assert_int_eq(parse_with("abcde=1", 7, &lim, &f), APR_ENOSPC);
    /* the limit is on decoded bytes */
    ck_assert_int_eq(parse_with("%61%62%63%64=1", 14, &lim, &f), APR_SUCCESS);
    ck_assert_str_eq(apr_table_get(f, "abcd"), "1");
    ck_assert_int_eq(parse_with("abcde", 5, &lim, &f), APR_ENOSPC);
}
END_TEST

START_TEST(value_length_limit)
{
    pgw_form_limits_t lim = {64, 64, 4096};
    char *body = apr_palloc(pool, 2 + 4097 * 3 + 1);
    apr_table_t *f;
    apr_size_t i;

    memcpy(body, "v=", 2);
    memset(body + 2, 'x', 4097);
    ck_assert_int_eq(parse_with(body, 2 + 4096, &lim, &f), APR_SUCCESS);
    ck_assert_uint_eq(strlen(apr_table_get(f, "v")), 4096);
    ck_assert_int_eq(parse_with(body, 2 + 4097, &lim, &f), APR_ENOSPC);
    /* 4096 escaped bytes are 12288 characters, and fit */
    for (i = 0; i < 4096; i++) {
        memcpy(body + 2 + i * 3, "%41", 3);
    }
    ck_assert_int_eq(parse_with(body, 2 + 4096 * 3, &lim, &f), APR_SUCCESS);
    memcpy(body + 2 + 4096 * 3, "+", 1);
    ck_assert_int_eq(parse_with(body, 2 + 4096 * 3 + 1, &lim, &f), APR_ENOSPC);
}
END_TEST

START_TEST(utf8_boundaries)
{
    static const char *const good[] = {
        "\x7F",         "\xC2\x80",         "\xDF\xBF",
        "\xE0\xA0\x80", "\xED\x9F\xBF",     "\xEE\x80\x80",
        "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF",
    };
    static const char *const bad[] = {
        "\xC1\xBF",
        "\xE0\x9F\xBF",
        "\xED\xA0\x80",
        "\xF0\x8F\xBF\xBF",
        "\xF4\x90\x80\x80",
        "\xF5\x80\x80\x80",
        "\xC2",
        "\xC2\xC0",
        "\xE1\x80\xC0",
    };
    apr_size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        ck_assert_msg(pgw_utf8_valid(good[i], strlen(good[i])), "good %zu", i);
        ck_assert_uint_eq(pgw_utf8_sequence_len(good[i], strlen(good[i])),
                          strlen(good[i]));
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(!pgw_utf8_valid(bad[i], strlen(bad[i])), "bad %zu", i);
        ck_assert_uint_eq(pgw_utf8_sequence_len(bad[i], strlen(bad[i])), 0);
    }
    ck_assert(pgw_utf8_valid("", 0));
    ck_assert(pgw_utf8_valid("a\0b", 3));
    ck_assert_uint_eq(pgw_utf8_sequence_len("", 0), 0);
    /* a valid sequence cut by len */
    ck_assert_uint_eq(pgw_utf8_sequence_len("\xE2\x82\xAC", 2), 0);
    ck_assert(!pgw_utf8_valid("\xE2\x82\xAC", 2));
}
END_TEST

static Suite *form_suite(void)
{
    Suite *s = suite_create("pgw_form");
    TCase *tc = tcase_create("parse");
    TCase *tl = tcase_create("limits");
    TCase *tu = tcase_create("utf8");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, login_form);
    tcase_add_test(tc, decoding);
    tcase_add_test(tc, order_and_repeats_kept);
    tcase_add_test(tc, empty_pairs_and_bare_names);
    tcase_add_test(tc, not_nul_terminated);
    tcase_add_test(tc, bad_escapes);
    tcase_add_test(tc, controls);
    tcase_add_test(tc, invalid_utf8);
    suite_add_tcase(s, tc);

    tcase_add_checked_fixture(tl, setup, teardown);
    tcase_add_test(tl, field_count_limit);
    tcase_add_test(tl, name_length_limit);
    tcase_add_test(tl, value_length_limit);
    suite_add_tcase(s, tl);

    tcase_add_test(tu, utf8_boundaries);
    suite_add_tcase(s, tu);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    apr_initialize();
    sr = srunner_create(form_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
