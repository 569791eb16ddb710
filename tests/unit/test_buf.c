/* Unit tests of pgw_buf.c: growth, and the HTML escaping every template
 * value goes through. */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <apr_general.h>

#include "pgw_buf.h"

#define FFFD "\xEF\xBF\xBD"

static apr_pool_t *pool;

static void setup(void)
{
    ck_assert_int_eq(apr_pool_create(&pool, NULL), APR_SUCCESS);
}

static void teardown(void)
{
    apr_pool_destroy(pool);
}

/* Escapes len bytes of s into a fresh buffer and returns its text. */
static const char *escaped(const char *s, apr_size_t len)
{
    pgw_buf_t *b = pgw_buf_make(pool, 0);

    pgw_buf_put_escaped(b, s, len);
    ck_assert_uint_eq(strlen(b->data), b->len);
    return b->data;
}

#define ESC(lit) escaped(lit, sizeof(lit) - 1)

START_TEST(make_is_empty_and_terminated)
{
    pgw_buf_t *b = pgw_buf_make(pool, 0);

    ck_assert_uint_eq(b->len, 0);
    ck_assert_str_eq(b->data, "");
    ck_assert_uint_gt(b->cap, 0);
    ck_assert_ptr_eq(b->pool, pool);
}
END_TEST

START_TEST(append_grows_past_initial)
{
    pgw_buf_t *b = pgw_buf_make(pool, 1);
    apr_size_t i;

    for (i = 0; i < 10000; i++) {
        pgw_buf_append(b, &"0123456789"[i % 10], 1);
    }
    ck_assert_uint_eq(b->len, 10000);
    ck_assert_uint_gt(b->cap, b->len);
    ck_assert_int_eq(b->data[10000], '\0');
    for (i = 0; i < 10000; i++) {
        ck_assert_int_eq(b->data[i], '0' + (int)(i % 10));
    }
}
END_TEST

START_TEST(append_one_big_block)
{
    pgw_buf_t *b = pgw_buf_make(pool, 16);
    char *big = malloc(100000);

    memset(big, 'x', 100000);
    pgw_buf_puts(b, "<");
    pgw_buf_append(b, big, 100000);
    pgw_buf_puts(b, ">");
    ck_assert_uint_eq(b->len, 100002);
    ck_assert_int_eq(b->data[0], '<');
    ck_assert_int_eq(b->data[100000], 'x');
    ck_assert_int_eq(b->data[100001], '>');
    ck_assert_int_eq(b->data[100002], '\0');
    free(big);
}
END_TEST

START_TEST(puts_and_empty_appends)
{
    pgw_buf_t *b = pgw_buf_make(pool, 0);

    pgw_buf_puts(b, "NRK ");
    pgw_buf_puts(b, NULL);
    pgw_buf_append(b, "ignored", 0);
    pgw_buf_puts(b, "");
    pgw_buf_puts(b, "181679");
    ck_assert_str_eq(b->data, "NRK 181679");
    ck_assert_uint_eq(b->len, 10);
}
END_TEST

START_TEST(escapes_the_five_characters)
{
    ck_assert_str_eq(ESC("<a href=\"x\" title='y'>&amp;</a>"),
                     "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;"
                     "&amp;amp;&lt;/a&gt;");
    ck_assert_str_eq(ESC("\"'><script>"), "&quot;&#39;&gt;&lt;script&gt;");
}
END_TEST

START_TEST(plain_text_unchanged)
{
    ck_assert_str_eq(ESC("PENGATUR TK.I (II/D) 05-07-1983"),
                     "PENGATUR TK.I (II/D) 05-07-1983");
    ck_assert_str_eq(ESC(""), "");
}
END_TEST

START_TEST(valid_utf8_kept)
{
    /* 2-, 3- and 4-byte sequences, and the highest code point. */
    ck_assert_str_eq(ESC("Caf\xC3\xA9 \xE2\x80\x93 \xF0\x9F\x98\x80 "
                         "\xF4\x8F\xBF\xBF"),
                     "Caf\xC3\xA9 \xE2\x80\x93 \xF0\x9F\x98\x80 "
                     "\xF4\x8F\xBF\xBF");
}
END_TEST

START_TEST(invalid_utf8_replaced)
{
    /* overlong '/' */
    ck_assert_str_eq(ESC("a\xC0\xAF"
                         "b"),
                     "a" FFFD FFFD "b");
    /* overlong 3-byte form */
    ck_assert_str_eq(ESC("\xE0\x80\xBC"), FFFD FFFD FFFD);
    /* UTF-16 surrogate U+D800 */
    ck_assert_str_eq(ESC("\xED\xA0\x80"), FFFD FFFD FFFD);
    /* above U+10FFFF */
    ck_assert_str_eq(ESC("\xF4\x90\x80\x80"), FFFD FFFD FFFD FFFD);
    /* truncated at the end, then a stray continuation byte */
    ck_assert_str_eq(ESC("x\xE2\x82"), "x" FFFD FFFD);
    ck_assert_str_eq(ESC("\x80y"), FFFD "y");
    ck_assert_str_eq(ESC("\xFF\xFE"), FFFD FFFD);
}
END_TEST

START_TEST(invalid_byte_before_markup)
{
    /* A lead byte must not swallow the '<' after it. */
    ck_assert_str_eq(ESC("\xE2<b>"), FFFD "&lt;b&gt;");
    ck_assert_str_eq(ESC("\xC3\""), FFFD "&quot;");
}
END_TEST

START_TEST(controls_replaced)
{
    ck_assert_str_eq(escaped("a\0b", 3), "a" FFFD "b");
    ck_assert_str_eq(ESC("\x01\x1B[31m\x1F"), FFFD FFFD "[31m" FFFD);
    ck_assert_str_eq(ESC("\t\n\r"), "\t\n\r");
    ck_assert_str_eq(ESC("\x7F"), "\x7F");
}
END_TEST

START_TEST(escape_appends)
{
    pgw_buf_t *b = pgw_buf_make(pool, 0);

    pgw_buf_puts(b, "<p>");
    pgw_buf_put_escaped(b, "1 < 2", 5);
    pgw_buf_puts(b, "</p>");
    ck_assert_str_eq(b->data, "<p>1 &lt; 2</p>");
}
END_TEST

static Suite *buf_suite(void)
{
    Suite *s = suite_create("pgw_buf");
    TCase *tc = tcase_create("buffer");
    TCase *te = tcase_create("escape");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, make_is_empty_and_terminated);
    tcase_add_test(tc, append_grows_past_initial);
    tcase_add_test(tc, append_one_big_block);
    tcase_add_test(tc, puts_and_empty_appends);
    suite_add_tcase(s, tc);

    tcase_add_checked_fixture(te, setup, teardown);
    tcase_add_test(te, escapes_the_five_characters);
    tcase_add_test(te, plain_text_unchanged);
    tcase_add_test(te, valid_utf8_kept);
    tcase_add_test(te, invalid_utf8_replaced);
    tcase_add_test(te, invalid_byte_before_markup);
    tcase_add_test(te, controls_replaced);
    tcase_add_test(te, escape_appends);
    suite_add_tcase(s, te);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    apr_initialize();
    sr = srunner_create(buf_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
