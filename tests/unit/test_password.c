/* Unit tests of pgw_password.c: argon2id, the imported bcrypt and MD5
 * hashes, the refusal of everything else, and the rehash decision.
 *
 * crypt() and crypt_r() are replaced below by functions that abort, so
 * any path that hands a hash to the system's crypt() fails the test that
 * took it (a test further down checks that the trap works).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <apr_general.h>
#include <apr_md5.h>
#include <apr_strings.h>
#include <apr_time.h>

#include "pgw_password.h"

#define PASSWORD "rahasia-demo"
/* md5("rahasia-demo"), computed outside this code. */
#define PASSWORD_MD5 "929589035913be36e378e0c1afd5ca37"

struct crypt_data;
char *crypt(const char *key, const char *salt);
char *crypt_r(const char *key, const char *salt, struct crypt_data *data);

char *crypt(const char *key, const char *salt)
{
    abort();
}

char *crypt_r(const char *key, const char *salt, struct crypt_data *data)
{
    abort();
}

/* The production cost (t=2, m=19 MiB), and cheap ones for the tests that
 * only look at the rehash decision. */
static const pgw_pwcost_t cost_default = {2, 19 * 1024 * 1024};

static apr_pool_t *pool;

static void setup(void)
{
    ck_assert_int_eq(pgw_password_init(), APR_SUCCESS);
    ck_assert_int_eq(apr_pool_create(&pool, NULL), APR_SUCCESS);
}

static void teardown(void)
{
    apr_pool_destroy(pool);
}

static const char *argon2id_hash(const char *password, unsigned long long t,
                                 apr_size_t m)
{
    pgw_pwcost_t cost = {t, m};
    const char *hash = NULL;

    ck_assert_int_eq(pgw_password_hash(password, &cost, pool, &hash),
                     APR_SUCCESS);
    ck_assert_ptr_nonnull(hash);
    return hash;
}

static const char *bcrypt_hash(const char *password, unsigned int cost)
{
    static const unsigned char salt[16] = "sixteen byte slt";
    char *out = apr_palloc(pool, 64);

    ck_assert_int_eq(
        apr_bcrypt_encode(password, cost, salt, sizeof(salt), out, 64),
        APR_SUCCESS);
    return out;
}

START_TEST(argon2id_round_trip)
{
    const char *h =
        argon2id_hash(PASSWORD, cost_default.opslimit, cost_default.memlimit);

    ck_assert_str_eq(apr_pstrndup(pool, h, 31),
                     "$argon2id$v=19$m=19456,t=2,p=1$");
    ck_assert_int_eq(pgw_password_kind(h), PGW_HASH_ARGON2ID);
    ck_assert_int_eq(pgw_password_verify(PASSWORD, h), APR_SUCCESS);
    ck_assert_int_eq(pgw_password_verify("rahasia-demO", h), APR_EMISMATCH);
    ck_assert_int_eq(pgw_password_verify("", h), APR_EMISMATCH);
    ck_assert_int_eq(pgw_password_needs_rehash(h, &cost_default), 0);
}
END_TEST

START_TEST(argon2id_salted)
{
    const char *a = argon2id_hash(PASSWORD, 1, 64 * 1024);
    const char *b = argon2id_hash(PASSWORD, 1, 64 * 1024);

    ck_assert_str_ne(a, b);
    ck_assert_int_eq(pgw_password_verify(PASSWORD, a), APR_SUCCESS);
    ck_assert_int_eq(pgw_password_verify(PASSWORD, b), APR_SUCCESS);
}
END_TEST

START_TEST(argon2id_malformed_refused)
{
    ck_assert_int_eq(
        pgw_password_verify(PASSWORD, "$argon2id$v=19$m=19456,t=2,p=1$x$y"),
        APR_EINVAL);
    ck_assert_int_eq(pgw_password_verify(PASSWORD, "$argon2id$"), APR_EINVAL);
}
END_TEST

START_TEST(hash_refuses_cost_below_libsodium_minimum)
{
    pgw_pwcost_t cost = {0, 19 * 1024 * 1024};
    const char *h = "untouched";

    ck_assert_int_eq(pgw_password_hash(PASSWORD, &cost, pool, &h), APR_EINVAL);
    cost.opslimit = 2;
    cost.memlimit = 1024;
    ck_assert_int_eq(pgw_password_hash(PASSWORD, &cost, pool, &h), APR_EINVAL);
    ck_assert_str_eq(h, "untouched");
}
END_TEST

START_TEST(bcrypt_2y_cost10)
{
    const char *h = bcrypt_hash(PASSWORD, 10);

    ck_assert_int_eq(strncmp(h, "$2y$10$", 7), 0);
    ck_assert_int_eq(pgw_password_kind(h), PGW_HASH_BCRYPT);
    ck_assert_int_eq(pgw_password_verify(PASSWORD, h), APR_SUCCESS);
    ck_assert_int_eq(pgw_password_verify("rahasia-demo ", h), APR_EMISMATCH);
    ck_assert_int_eq(pgw_password_needs_rehash(h, &cost_default), 1);
}
END_TEST

/* apr-util would give "$2b$" to crypt() (the trap); it must be verified by
 * apr-util's own code under the "$2y$" name. */
START_TEST(bcrypt_2b_and_2a)
{
    char *h = apr_pstrdup(pool, bcrypt_hash(PASSWORD, 10));

    h[2] = 'b';
    ck_assert_int_eq(pgw_password_kind(h), PGW_HASH_BCRYPT);
    ck_assert_int_eq(pgw_password_verify(PASSWORD, h), APR_SUCCESS);
    ck_assert_int_eq(pgw_password_verify("salah", h), APR_EMISMATCH);
    h[2] = 'a';
    ck_assert_int_eq(pgw_password_verify(PASSWORD, h), APR_SUCCESS);
    ck_assert_int_eq(pgw_password_verify("salah", h), APR_EMISMATCH);
}
END_TEST

START_TEST(bcrypt_low_cost_refused)
{
    /* Right password, cost 04: refused, not verified. */
    ck_assert_int_eq(pgw_password_verify(PASSWORD, bcrypt_hash(PASSWORD, 4)),
                     APR_EINVAL);
    ck_assert_int_eq(pgw_password_verify(PASSWORD, bcrypt_hash(PASSWORD, 9)),
                     APR_EINVAL);
    /* A published crypt_blowfish test vector ("U*U", cost 05). */
    ck_assert_int_eq(
        pgw_password_verify(
            "U*U",
            "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"),
        APR_EINVAL);
}
END_TEST

START_TEST(bcrypt_bad_shape_refused)
{
    const char *h = bcrypt_hash(PASSWORD, 10);
    char *s = apr_pstrdup(pool, h);

    /* cost beyond what bcrypt defines */
    s[4] = '3';
    s[5] = '2';
    ck_assert_int_eq(pgw_password_verify(PASSWORD, s), APR_EINVAL);
    /* a character outside bcrypt's alphabet */
    s = apr_pstrdup(pool, h);
    s[20] = '!';
    ck_assert_int_eq(pgw_password_kind(s), PGW_HASH_UNKNOWN);
    ck_assert_int_eq(pgw_password_verify(PASSWORD, s), APR_EINVAL);
    /* one character short, one too many, another variant letter */
    ck_assert_int_eq(pgw_password_verify(PASSWORD, apr_pstrndup(pool, h, 59)),
                     APR_EINVAL);
    ck_assert_int_eq(
        pgw_password_verify(PASSWORD, apr_pstrcat(pool, h, "a", NULL)),
        APR_EINVAL);
    s = apr_pstrdup(pool, h);
    s[2] = 'x';
    ck_assert_int_eq(pgw_password_verify(PASSWORD, s), APR_EINVAL);
}
END_TEST

START_TEST(md5_hex_either_case)
{
    char *upper = apr_pstrdup(pool, PASSWORD_MD5);
    char *c;

    for (c = upper; *c; c++) {
        if (*c >= 'a' && *c <= 'f') {
            *c = (char)(*c - 'a' + 'A');
        }
    }
    ck_assert_int_eq(pgw_password_kind(PASSWORD_MD5), PGW_HASH_MD5_HEX);
    ck_assert_int_eq(pgw_password_verify(PASSWORD, PASSWORD_MD5), APR_SUCCESS);
    ck_assert_int_eq(pgw_password_verify(PASSWORD, upper), APR_SUCCESS);
    ck_assert_int_eq(pgw_password_verify("rahasia", PASSWORD_MD5),
                     APR_EMISMATCH);
    ck_assert_int_eq(pgw_password_needs_rehash(PASSWORD_MD5, &cost_default), 1);
}
END_TEST

START_TEST(md5_bad_shape_refused)
{
    /* 31 and 33 digits, a non-hex letter */
    ck_assert_int_eq(
        pgw_password_verify(PASSWORD, "929589035913be36e378e0c1afd5ca3"),
        APR_EINVAL);
    ck_assert_int_eq(
        pgw_password_verify(PASSWORD, "929589035913be36e378e0c1afd5ca377"),
        APR_EINVAL);
    ck_assert_int_eq(
        pgw_password_verify(PASSWORD, "g29589035913be36e378e0c1afd5ca37"),
        APR_EINVAL);
}
END_TEST

START_TEST(other_formats_refused)
{
    static const char *const refused[] = {
        "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/",    /* md5-crypt */
        "$apr1$saltsalt$9Lc3mxZ5sSxgb/N5c1LvA.", /* Apache md5 */
        "{SHA}ZsSXy7g8yCgkV+wVwPAsXmkeRNE=",     /* Apache SHA-1 */
        "$5$saltsalt$Q1Bv8X1Zq2vC3H9oR/5uqk8P1JmHXpfbGQm6kt9F6cC",
        "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
        "abJnggxhB/yWI", /* traditional DES crypt */
        "plain",
        PASSWORD,
        "",
    };
    apr_size_t i;

    for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        ck_assert_int_eq(pgw_password_kind(refused[i]), PGW_HASH_UNKNOWN);
        ck_assert_int_eq(pgw_password_verify(PASSWORD, refused[i]), APR_EINVAL);
        ck_assert_int_eq(pgw_password_needs_rehash(refused[i], &cost_default),
                         1);
    }
    ck_assert_int_eq(pgw_password_kind(NULL), PGW_HASH_UNKNOWN);
    ck_assert_int_eq(pgw_password_verify(PASSWORD, NULL), APR_EINVAL);
    ck_assert_int_eq(pgw_password_verify(NULL, PASSWORD_MD5), APR_EINVAL);
}
END_TEST

/* Proves the crypt() trap above is effective: apr-util itself hands an
 * unknown format to crypt_r(), which must abort. */
START_TEST(crypt_trap_fires)
{
    apr_password_validate(PASSWORD, "abJnggxhB/yWI");
}
END_TEST

START_TEST(rehash_when_weaker)
{
    pgw_pwcost_t cost = {2, 64 * 1024};

    /* same cost: no; lower t or m: yes */
    ck_assert_int_eq(
        pgw_password_needs_rehash(argon2id_hash(PASSWORD, 2, 64 * 1024), &cost),
        0);
    ck_assert_int_eq(
        pgw_password_needs_rehash(argon2id_hash(PASSWORD, 1, 64 * 1024), &cost),
        1);
    ck_assert_int_eq(
        pgw_password_needs_rehash(argon2id_hash(PASSWORD, 2, 32 * 1024), &cost),
        1);
}
END_TEST

START_TEST(no_rehash_when_stronger)
{
    pgw_pwcost_t cost = {2, 64 * 1024};

    ck_assert_int_eq(
        pgw_password_needs_rehash(argon2id_hash(PASSWORD, 3, 64 * 1024), &cost),
        0);
    ck_assert_int_eq(pgw_password_needs_rehash(
                         argon2id_hash(PASSWORD, 2, 128 * 1024), &cost),
                     0);
    /* stronger in one parameter, weaker in the other: yes */
    ck_assert_int_eq(
        pgw_password_needs_rehash(argon2id_hash(PASSWORD, 3, 32 * 1024), &cost),
        1);
}
END_TEST

START_TEST(rehash_malformed_argon2id)
{
    ck_assert_int_eq(
        pgw_password_needs_rehash("$argon2id$v=19$junk", &cost_default), 1);
}
END_TEST

/* The dummy verification must cost about what a real one costs: it is
 * what hides whether an NRK exists. A third is a loose bound that a busy
 * machine still meets and an early return does not. */
START_TEST(dummy_verify_costs_a_verification)
{
    const char *h =
        argon2id_hash(PASSWORD, cost_default.opslimit, cost_default.memlimit);
    apr_time_t t0, t1, t2;

    t0 = apr_time_now();
    ck_assert_int_eq(pgw_password_verify("salah", h), APR_EMISMATCH);
    t1 = apr_time_now();
    pgw_password_dummy_verify("salah", &cost_default);
    t2 = apr_time_now();
    ck_assert_int_gt((t2 - t1) * 3, t1 - t0);
    pgw_password_dummy_verify(NULL, &cost_default);
}
END_TEST

static Suite *password_suite(void)
{
    Suite *s = suite_create("pgw_password");
    TCase *ta = tcase_create("argon2id");
    TCase *tl = tcase_create("legacy");
    TCase *tr = tcase_create("rehash");

    tcase_add_checked_fixture(ta, setup, teardown);
    tcase_set_timeout(ta, 30);
    tcase_add_test(ta, argon2id_round_trip);
    tcase_add_test(ta, argon2id_salted);
    tcase_add_test(ta, argon2id_malformed_refused);
    tcase_add_test(ta, hash_refuses_cost_below_libsodium_minimum);
    tcase_add_test(ta, dummy_verify_costs_a_verification);
    suite_add_tcase(s, ta);

    tcase_add_checked_fixture(tl, setup, teardown);
    tcase_set_timeout(tl, 30);
    tcase_add_test(tl, bcrypt_2y_cost10);
    tcase_add_test(tl, bcrypt_2b_and_2a);
    tcase_add_test(tl, bcrypt_low_cost_refused);
    tcase_add_test(tl, bcrypt_bad_shape_refused);
    tcase_add_test(tl, md5_hex_either_case);
    tcase_add_test(tl, md5_bad_shape_refused);
    tcase_add_test(tl, other_formats_refused);
    tcase_add_test_raise_signal(tl, crypt_trap_fires, SIGABRT);
    suite_add_tcase(s, tl);

    tcase_add_checked_fixture(tr, setup, teardown);
    tcase_add_test(tr, rehash_when_weaker);
    tcase_add_test(tr, no_rehash_when_stronger);
    tcase_add_test(tr, rehash_malformed_argon2id);
    suite_add_tcase(s, tr);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    apr_initialize();
    sr = srunner_create(password_suite());
    /* The crypt() trap and the signal test need each test in its own
     * process, whatever CK_FORK says. */
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
