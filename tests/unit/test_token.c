/* Unit tests of pgw_token.c: shape and randomness of new tokens, the
 * well-formedness check, the stored hash and constant-time equality. */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <sodium.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_token.h"

static apr_pool_t *pool;

static void setup(void)
{
    ck_assert_int_ge(sodium_init(), 0);
    ck_assert_int_eq(apr_pool_create(&pool, NULL), APR_SUCCESS);
}

static void teardown(void)
{
    apr_pool_destroy(pool);
}

static int base64url_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
           || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

START_TEST(new_token_shape)
{
    const char *t = pgw_token_new(pool);
    unsigned char raw[64];
    size_t raw_len;
    int i;

    ck_assert_uint_eq(strlen(t), PGW_TOKEN_CHARS);
    for (i = 0; i < PGW_TOKEN_CHARS; i++) {
        ck_assert_msg(base64url_char(t[i]), "bad char in %s", t);
    }
    ck_assert_int_eq(
        sodium_base642bin(raw, sizeof(raw), t, strlen(t), NULL, &raw_len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING),
        0);
    ck_assert_uint_eq(raw_len, PGW_TOKEN_BYTES);
    ck_assert(pgw_token_is_wellformed(t));
}
END_TEST

START_TEST(new_tokens_differ)
{
    const char *seen[64];
    int i, j;

    for (i = 0; i < 64; i++) {
        seen[i] = pgw_token_new(pool);
        for (j = 0; j < i; j++) {
            ck_assert_str_ne(seen[i], seen[j]);
        }
    }
}
END_TEST

START_TEST(wellformed_refusals)
{
    char *t = apr_pstrdup(pool, pgw_token_new(pool));

    ck_assert(!pgw_token_is_wellformed(NULL));
    ck_assert(!pgw_token_is_wellformed(""));
    ck_assert(!pgw_token_is_wellformed(apr_pstrndup(pool, t, 42)));
    ck_assert(!pgw_token_is_wellformed(apr_pstrcat(pool, t, "A", NULL)));
    ck_assert(!pgw_token_is_wellformed(apr_pstrcat(pool, t, "=", NULL)));
    /* characters of the other base64 alphabet, and of none */
    t[5] = '+';
    ck_assert(!pgw_token_is_wellformed(t));
    t[5] = '/';
    ck_assert(!pgw_token_is_wellformed(t));
    t[5] = '.';
    ck_assert(!pgw_token_is_wellformed(t));
}
END_TEST

/* 32 bytes fill 42 characters and 4 bits of the 43rd: a last character
 * with the 2 low bits set is not the text of any token. */
START_TEST(wellformed_refuses_stray_bits)
{
    char t[PGW_TOKEN_CHARS + 1];

    memset(t, 'A', PGW_TOKEN_CHARS);
    t[PGW_TOKEN_CHARS] = '\0';
    ck_assert(pgw_token_is_wellformed(t));
    t[PGW_TOKEN_CHARS - 1] = 'E'; /* 000100 */
    ck_assert(pgw_token_is_wellformed(t));
    t[PGW_TOKEN_CHARS - 1] = 'B'; /* 000001 */
    ck_assert(!pgw_token_is_wellformed(t));
    t[PGW_TOKEN_CHARS - 1] = 'D'; /* 000011 */
    ck_assert(!pgw_token_is_wellformed(t));
}
END_TEST

START_TEST(hash_is_sha256_hex)
{
    /* FIPS 180-2 example: SHA-256("abc") */
    ck_assert_str_eq(
        pgw_token_hash(pool, "abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ck_assert_str_eq(
        pgw_token_hash(pool, ""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ck_assert_uint_eq(strlen(pgw_token_hash(pool, pgw_token_new(pool))),
                      PGW_TOKEN_HASH_CHARS);
}
END_TEST

START_TEST(equal_cases)
{
    const char *t = pgw_token_new(pool);
    char *u = apr_pstrdup(pool, t);

    ck_assert(pgw_token_equal(t, u));
    ck_assert(pgw_token_equal("", ""));
    u[PGW_TOKEN_CHARS - 1] = u[PGW_TOKEN_CHARS - 1] == 'A' ? 'Q' : 'A';
    ck_assert(!pgw_token_equal(t, u));
    u[0] = '\0';
    ck_assert(!pgw_token_equal(t, u));
    ck_assert(!pgw_token_equal("abc", "abcd"));
    ck_assert(!pgw_token_equal("abcd", "abc"));
    ck_assert(!pgw_token_equal(t, NULL));
    ck_assert(!pgw_token_equal(NULL, t));
    ck_assert(!pgw_token_equal(NULL, NULL));
}
END_TEST

static Suite *token_suite(void)
{
    Suite *s = suite_create("pgw_token");
    TCase *tc = tcase_create("token");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, new_token_shape);
    tcase_add_test(tc, new_tokens_differ);
    tcase_add_test(tc, wellformed_refusals);
    tcase_add_test(tc, wellformed_refuses_stray_bits);
    tcase_add_test(tc, hash_is_sha256_hex);
    tcase_add_test(tc, equal_cases);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    apr_initialize();
    sr = srunner_create(token_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
