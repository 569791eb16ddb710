/* Unit tests of pgw_upload.c: Upload Foto's form as the multipart
 * callbacks collect it, each part's bound and the rule a refusal names. */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_multipart.h"
#include "pgw_upload.h"

static apr_pool_t *pool;

#define MAX_PHOTO 1000

static void setup(void)
{
    ck_assert_int_eq(apr_pool_create(&pool, NULL), APR_SUCCESS);
}

static void teardown(void)
{
    apr_pool_destroy(pool);
}

static char *part(const char *name, const char *data)
{
    return apr_psprintf(pool,
                        "--b\r\nContent-Disposition: form-data; "
                        "name=\"%s\"\r\n\r\n%s\r\n",
                        name, data);
}

static char *repeat(char c, apr_size_t n)
{
    char *s = apr_palloc(pool, n + 1);

    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* Parses body (parts, then the close delimiter) in chunks of step bytes
 * into u; returns the parser's status, *mp the parser. */
static apr_status_t collect(pgw_upload_t *u, const char *parts, apr_size_t step,
                            pgw_multipart_t **mp)
{
    pgw_multipart_limits_t lim;
    const char *err = NULL, *body = apr_pstrcat(pool, parts, "--b--\r\n", NULL);
    apr_size_t len = strlen(body), n;
    apr_status_t rv = APR_SUCCESS;

    pgw_upload_init(u, pool, MAX_PHOTO, &lim);
    ck_assert_int_eq(pgw_multipart_create(pool, "b", &lim,
                                          &pgw_upload_callbacks, u, mp, &err),
                     APR_SUCCESS);
    while (len > 0 && rv == APR_SUCCESS) {
        n = step < len ? step : len;
        rv = pgw_multipart_feed(*mp, body, n, &err);
        body += n;
        len -= n;
    }
    if (rv == APR_SUCCESS) {
        rv = pgw_multipart_finish(*mp, &err);
    }
    if (rv != APR_SUCCESS) {
        ck_assert_ptr_nonnull(err);
    }
    return rv;
}

START_TEST(token_and_photo_collected)
{
    pgw_upload_t u;
    pgw_multipart_t *mp;
    apr_size_t step;
    char *photo = repeat('\xff', MAX_PHOTO);

    for (step = 1; step <= 4096; step *= 8) {
        ck_assert_int_eq(collect(&u,
                                 apr_pstrcat(pool, part("csrf_token", "abc"),
                                             part("catatan", "diabaikan"),
                                             part("foto", photo), NULL),
                                 step, &mp),
                         APR_SUCCESS);
        ck_assert_str_eq(u.csrf, "abc");
        ck_assert_uint_eq(u.photo_len, MAX_PHOTO);
        ck_assert_int_eq(memcmp(u.photo, photo, MAX_PHOTO), 0);
        ck_assert_int_eq(u.too_large, 0);
    }
}
END_TEST

START_TEST(no_photo_part)
{
    pgw_upload_t u;
    pgw_multipart_t *mp;

    ck_assert_int_eq(collect(&u, part("csrf_token", "abc"), 7, &mp),
                     APR_SUCCESS);
    ck_assert_ptr_null(u.photo);
    ck_assert_uint_eq(u.photo_len, 0);
}
END_TEST

START_TEST(photo_one_byte_over)
{
    pgw_upload_t u;
    pgw_multipart_t *mp;
    apr_size_t step;

    for (step = 1; step <= 4096; step *= 8) {
        ck_assert_int_eq(
            collect(&u, part("foto", repeat('a', MAX_PHOTO + 1)), step, &mp),
            APR_ENOSPC);
        ck_assert_int_eq(pgw_upload_refusal(&u, mp),
                         PGW_UPLOAD_PHOTO_TOO_LARGE);
        ck_assert_uint_le(u.photo_len, MAX_PHOTO);
    }
}
END_TEST

START_TEST(second_photo_refused)
{
    pgw_upload_t u;
    pgw_multipart_t *mp;

    ck_assert_int_eq(
        collect(&u,
                apr_pstrcat(pool, part("foto", "a"), part("foto", "b"), NULL),
                64, &mp),
        APR_EINVAL);
    ck_assert_uint_eq(u.photo_len, 1);
}
END_TEST

/* Two token parts of PGW_UPLOAD_FIELD_MAX bytes each would fill the
 * buffer twice over: the second is refused before any of its data. */
START_TEST(second_token_refused)
{
    pgw_upload_t u;
    pgw_multipart_t *mp;
    char *full = repeat('t', PGW_UPLOAD_FIELD_MAX);

    ck_assert_int_eq(collect(&u, part("csrf_token", full), 5, &mp),
                     APR_SUCCESS);
    ck_assert_uint_eq(u.csrf_len, PGW_UPLOAD_FIELD_MAX);
    ck_assert_int_eq(collect(&u,
                             apr_pstrcat(pool, part("csrf_token", full),
                                         part("csrf_token", full), NULL),
                             5, &mp),
                     APR_EINVAL);
    ck_assert_uint_eq(u.csrf_len, PGW_UPLOAD_FIELD_MAX);
    ck_assert_uint_eq(strlen(u.csrf), PGW_UPLOAD_FIELD_MAX);
}
END_TEST

START_TEST(token_over_its_size)
{
    pgw_upload_t u;
    pgw_multipart_t *mp;

    ck_assert_int_eq(
        collect(&u, part("csrf_token", repeat('t', PGW_UPLOAD_FIELD_MAX + 1)),
                3, &mp),
        APR_ENOSPC);
    ck_assert_int_eq(pgw_upload_refusal(&u, mp), PGW_UPLOAD_FIELD_TOO_LONG);
    ck_assert_uint_le(u.csrf_len, PGW_UPLOAD_FIELD_MAX);
}
END_TEST

START_TEST(refusals_name_the_rule)
{
    pgw_upload_t u;
    pgw_multipart_t *mp;
    char *five = "", *headers;
    int i;

    for (i = 0; i < PGW_UPLOAD_MAX_PARTS + 1; i++) {
        five = apr_pstrcat(pool, five, part(apr_itoa(pool, i), "x"), NULL);
    }
    ck_assert_int_eq(collect(&u, five, 100, &mp), APR_ENOSPC);
    ck_assert_int_eq(pgw_upload_refusal(&u, mp), PGW_UPLOAD_TOO_MANY_PARTS);

    ck_assert_int_eq(collect(&u, part("catatan", repeat('x', 300)), 100, &mp),
                     APR_ENOSPC);
    ck_assert_int_eq(pgw_upload_refusal(&u, mp), PGW_UPLOAD_FIELD_TOO_LONG);

    headers = apr_pstrcat(pool,
                          "--b\r\nContent-Disposition: form-data; name=a\r\n"
                          "X: ",
                          repeat('h', PGW_UPLOAD_MAX_HEADER_BYTES),
                          "\r\n\r\nv\r\n", NULL);
    ck_assert_int_eq(collect(&u, headers, 100, &mp), APR_ENOSPC);
    ck_assert_int_eq(pgw_upload_refusal(&u, mp), PGW_UPLOAD_HEADER_TOO_LONG);

    headers = "--b\r\nContent-Disposition: form-data; name=a\r\n";
    for (i = 0; i < PGW_UPLOAD_MAX_HEADERS; i++) {
        headers = apr_pstrcat(pool, headers, "X: 1\r\n", NULL);
    }
    headers = apr_pstrcat(pool, headers, "\r\nv\r\n", NULL);
    ck_assert_int_eq(collect(&u, headers, 100, &mp), APR_ENOSPC);
    ck_assert_int_eq(pgw_upload_refusal(&u, mp), PGW_UPLOAD_TOO_MANY_HEADERS);
}
END_TEST

START_TEST(body_limit_is_the_photo)
{
    pgw_multipart_limits_t lim;
    pgw_upload_t u;

    pgw_upload_init(&u, pool, MAX_PHOTO, &lim);
    ck_assert_int_eq(lim.max_body, MAX_PHOTO + PGW_UPLOAD_BODY_OVERHEAD);
    ck_assert_uint_eq(lim.max_part_size, PGW_UPLOAD_FIELD_MAX);
}
END_TEST

static Suite *upload_suite(void)
{
    Suite *s = suite_create("upload");
    TCase *tc = tcase_create("form");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, token_and_photo_collected);
    tcase_add_test(tc, no_photo_part);
    tcase_add_test(tc, photo_one_byte_over);
    tcase_add_test(tc, second_photo_refused);
    tcase_add_test(tc, second_token_refused);
    tcase_add_test(tc, token_over_its_size);
    tcase_add_test(tc, refusals_name_the_rule);
    tcase_add_test(tc, body_limit_is_the_photo);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    apr_initialize();
    sr = srunner_create(upload_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
