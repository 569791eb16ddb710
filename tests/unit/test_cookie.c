/* Unit tests of pgw_cookie.c: finding a cookie in a Cookie header. */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_cookie.h"

static apr_pool_t *pool;

static void setup(void)
{
    ck_assert_int_eq(apr_pool_create(&pool, NULL), APR_SUCCESS);
}

static void teardown(void)
{
    apr_pool_destroy(pool);
}

static const char *get(const char *header, const char *name)
{
    return pgw_cookie_get(pool, header, name);
}

START_TEST(finds_among_others)
{
    ck_assert_str_eq(get("a=1; pgw_session=abc-DEF_09; b=2", "pgw_session"),
                     "abc-DEF_09");
    ck_assert_str_eq(get("pgw_session=x", "pgw_session"), "x");
    ck_assert_str_eq(get("a=1;b=2;c=3", "c"), "3");
    ck_assert_str_eq(get("a=1; b=2", "a"), "1");
}
END_TEST

START_TEST(absent)
{
    ck_assert_ptr_null(get("", "s"));
    ck_assert_ptr_null(get("a=1; b=2", "s"));
    /* names are whole and case-sensitive */
    ck_assert_ptr_null(get("ss=1; xs=2; s_=3; S=4", "s"));
    ck_assert_ptr_null(get("a=s; b=s=1", "s"));
}
END_TEST

START_TEST(first_one_wins)
{
    ck_assert_str_eq(get("s=first; s=second", "s"), "first");
    /* even when the first is bad: no fallback to a planted second */
    ck_assert_ptr_null(get("s=bad value; s=good", "s"));
}
END_TEST

START_TEST(whitespace_trimmed)
{
    ck_assert_str_eq(get("  s =  v  ; t=1", "s"), "v");
    ck_assert_str_eq(get("a=1;\ts\t=\tv\t", "s"), "v");
    ck_assert_str_eq(get("a=1 ;s=v;", "s"), "v");
}
END_TEST

START_TEST(quotes_removed)
{
    ck_assert_str_eq(get("s=\"abc\"", "s"), "abc");
    ck_assert_str_eq(get("s=\"\"", "s"), "");
    ck_assert_ptr_null(get("s=\"", "s"));
    ck_assert_ptr_null(get("s=\"abc", "s"));
    ck_assert_ptr_null(get("s=a\"b\"", "s"));
    ck_assert_ptr_null(get("s=\"a\"b\"\"", "s"));
}
END_TEST

START_TEST(empty_and_equals_values)
{
    ck_assert_str_eq(get("s=; t=1", "s"), "");
    ck_assert_str_eq(get("s=", "s"), "");
    ck_assert_str_eq(get("s=a=b==", "s"), "a=b==");
}
END_TEST

START_TEST(non_octets_refused)
{
    ck_assert_ptr_null(get("s=a b", "s"));
    ck_assert_ptr_null(get("s=a,b", "s"));
    ck_assert_ptr_null(get("s=a\\b", "s"));
    ck_assert_ptr_null(get("s=a\x7f", "s"));
    ck_assert_ptr_null(get("s=a\x01", "s"));
    ck_assert_ptr_null(get("s=caf\xC3\xA9", "s"));
}
END_TEST

START_TEST(pairs_without_equals_skipped)
{
    ck_assert_str_eq(get("s; s=2", "s"), "2");
    ck_assert_str_eq(get(";;; s=2 ;;", "s"), "2");
    ck_assert_ptr_null(get("s", "s"));
}
END_TEST

START_TEST(header_length_limit)
{
    apr_size_t n = PGW_COOKIE_MAX_HEADER;
    char *h = apr_palloc(pool, n + 2);

    /* "s=v; " then padding up to exactly the limit */
    memset(h, 'x', n + 1);
    memcpy(h, "s=v; x=", 7);
    h[n] = '\0';
    ck_assert_str_eq(get(h, "s"), "v");
    h[n] = 'x';
    h[n + 1] = '\0';
    ck_assert_ptr_null(get(h, "s"));
}
END_TEST

START_TEST(bad_arguments)
{
    ck_assert_ptr_null(get(NULL, "s"));
    ck_assert_ptr_null(get("s=1", NULL));
    ck_assert_ptr_null(get("=1", ""));
}
END_TEST

static Suite *cookie_suite(void)
{
    Suite *s = suite_create("pgw_cookie");
    TCase *tc = tcase_create("cookie");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, finds_among_others);
    tcase_add_test(tc, absent);
    tcase_add_test(tc, first_one_wins);
    tcase_add_test(tc, whitespace_trimmed);
    tcase_add_test(tc, quotes_removed);
    tcase_add_test(tc, empty_and_equals_values);
    tcase_add_test(tc, non_octets_refused);
    tcase_add_test(tc, pairs_without_equals_skipped);
    tcase_add_test(tc, header_length_limit);
    tcase_add_test(tc, bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    apr_initialize();
    sr = srunner_create(cookie_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
