/* Unit tests of pgw_json.c: JSON strings (RFC 8259 section 7) that are
 * also safe inside an HTML script element. */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <apr_general.h>

#include "pgw_json.h"

static apr_pool_t *pool;

static void setup(void)
{
    apr_pool_create(&pool, NULL);
}

static void teardown(void)
{
    apr_pool_destroy(pool);
}

/* s (len bytes) as pgw_json_put_string writes it. */
static const char *json_mem(const char *s, apr_size_t len)
{
    pgw_buf_t *b = pgw_buf_make(pool, 0);

    pgw_json_put_string(b, s, len);
    ck_assert_uint_eq(strlen(b->data), b->len);
    return b->data;
}

#define ck_json(in, want) ck_assert_str_eq(pgw_json_string(pool, in), want)

START_TEST(plain_text)
{
    ck_json("", "\"\"");
    ck_json("Gambir", "\"Gambir\"");
    ck_json("Kota Administrasi Jakarta Pusat",
            "\"Kota Administrasi Jakarta Pusat\"");
    ck_json("31.71.01.1001", "\"31.71.01.1001\"");
    ck_json(NULL, "null");
    /* Non-ASCII stays UTF-8, as RFC 8259 section 8.1 allows. */
    ck_json("Jalan \xC3\xA9 \xE5\xA4\xA7 \xF0\x9F\x8F\xA0",
            "\"Jalan \xC3\xA9 \xE5\xA4\xA7 \xF0\x9F\x8F\xA0\"");
    /* A slash alone and < before other characters need nothing. */
    ck_json("RT/RW", "\"RT/RW\"");
    ck_json("a<b", "\"a<b\"");
    ck_json("<", "\"<\"");
    ck_json("'", "\"'\"");
}
END_TEST

START_TEST(quote_backslash_controls)
{
    /* The names of the data: Ra"as (35.29.22) and its kin. */
    ck_json("Ra\"as", "\"Ra\\\"as\"");
    ck_json("C:\\dir", "\"C:\\\\dir\"");
    ck_json("\\\"", "\"\\\\\\\"\"");
    ck_json("a\nb", "\"a\\u000ab\"");
    ck_json("\t\r\b\f", "\"\\u0009\\u000d\\u0008\\u000c\"");
    ck_json("\x1F\x01", "\"\\u001f\\u0001\"");
    ck_json("\x7F", "\"\\u007f\"");
    ck_assert_str_eq(json_mem("a\0b", 3), "\"a\\u0000b\"");
    ck_assert_str_eq(json_mem("\0", 1), "\"\\u0000\"");
    ck_assert_str_eq(json_mem("abc", 2), "\"ab\"");
}
END_TEST

START_TEST(script_element_safety)
{
    ck_json("</script><script>alert(1)</script>",
            "\"<\\/script><script>alert(1)<\\/script>\"");
    ck_json("</", "\"<\\/\"");
    ck_json("<</", "\"<<\\/\"");
    ck_json("<!-- x -->", "\"\\u003c!-- x -->\"");
    ck_json("<!", "\"\\u003c!\"");
    ck_json("a\xE2\x80\xA8"
            "b\xE2\x80\xA9",
            "\"a\\u2028b\\u2029\"");
    /* Their neighbours are plain characters. */
    ck_json("\xE2\x80\xA7\xE2\x80\xAA", "\"\xE2\x80\xA7\xE2\x80\xAA\"");
}
END_TEST

START_TEST(invalid_utf8)
{
    ck_json("a\xFF"
            "b",
            "\"a\\ufffdb\"");
    ck_json("\xC3", "\"\\ufffd\"");
    ck_json("\xE5\xA4", "\"\\ufffd\\ufffd\"");
    ck_json("\xC0\xAF", "\"\\ufffd\\ufffd\"");
    ck_json("\xED\xA0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
    ck_json("\xF4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    ck_json("\x80<\xBF/", "\"\\ufffd<\\ufffd/\"");
}
END_TEST

START_TEST(appends_to_a_buffer)
{
    pgw_buf_t *b = pgw_buf_make(pool, 0);

    pgw_buf_puts(b, "[{\"kode\":");
    pgw_json_put_string(b, "31.71", 5);
    pgw_buf_puts(b, ",\"nama\":");
    pgw_json_put_string(b, "Kota \"A\"", 8);
    pgw_buf_puts(b, "}]");
    ck_assert_str_eq(b->data,
                     "[{\"kode\":\"31.71\",\"nama\":\"Kota \\\"A\\\"\"}]");
}
END_TEST

START_TEST(object_of_a_row)
{
    const char *names[] = {"nik", "email", "alamat</script>"};
    const char *values[] = {"3174090507831001", NULL, "Jl. \"A\"\n"};
    pgw_buf_t *b = pgw_buf_make(pool, 0);

    pgw_json_put_object(b, 3, names, values);
    ck_assert_str_eq(b->data,
                     "{\"nik\":\"3174090507831001\","
                     "\"email\":null,"
                     "\"alamat<\\/script>\":\"Jl. \\\"A\\\"\\u000a\"}");
    b = pgw_buf_make(pool, 0);
    pgw_json_put_object(b, 0, names, values);
    ck_assert_str_eq(b->data, "{}");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("json");
    SRunner *sr;
    int failed;

    apr_initialize();
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, plain_text);
    tcase_add_test(tc, quote_backslash_controls);
    tcase_add_test(tc, script_element_safety);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, appends_to_a_buffer);
    tcase_add_test(tc, object_of_a_row);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
