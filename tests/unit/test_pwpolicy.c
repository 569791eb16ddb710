/* Unit tests of pgw_pwpolicy.c: the shipped list of common passwords,
 * every rule of a new password (ASVS 5.0 V6.2) with the demo employee
 * (NRK 181679, NIP 198307052011011018, born 1983-07-05), the two helpers
 * for the form's fields, and the loader's refusals.
 *
 * Run from the repository root: the real conf/common-passwords.txt is
 * loaded once, before the tests fork.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <apr_file_io.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_pwpolicy.h"

#define LIST  "conf/common-passwords.txt"
#define NRK   "181679"
#define NIP   "198307052011011018"
#define LAHIR "1983-07-05"

static apr_pool_t *pool;
static pgw_pwpolicy_t *shipped;

/* The message for password as the demo employee's new one, or NULL when
 * it is accepted. */
static const char *refusal_for(const char *password, const char *nrk,
                               const char *nip, const char *lahir)
{
    const char *msg = NULL;
    apr_status_t rv;

    rv = pgw_pwpolicy_check(pool, shipped, password, nrk, nip, lahir, &msg);
    if (rv == APR_SUCCESS) {
        ck_assert_ptr_null(msg);
        return NULL;
    }
    ck_assert_int_eq(rv, APR_EINVAL);
    ck_assert_ptr_nonnull(msg);
    return msg;
}

static const char *refusal(const char *password)
{
    return refusal_for(password, NRK, NIP, LAHIR);
}

/* A string of n copies of the UTF-8 text unit, on the pool. */
static const char *repeat(const char *unit, int n)
{
    const char *s = "";

    while (n-- > 0) {
        s = apr_pstrcat(pool, s, unit, NULL);
    }
    return s;
}

#define TEMP_FLAGS                                                             \
    (APR_FOPEN_CREATE | APR_FOPEN_READ | APR_FOPEN_WRITE | APR_FOPEN_EXCL      \
     | APR_FOPEN_BUFFERED)

/* Writes text to a new temporary file; returns its path. */
static const char *temp_list(const char *text)
{
    char *path = apr_pstrdup(pool, "/tmp/test_pwpolicy_XXXXXX");
    apr_file_t *f;
    apr_size_t len = strlen(text);

    ck_assert_int_eq(apr_file_mktemp(&f, path, TEMP_FLAGS, pool), APR_SUCCESS);
    ck_assert_int_eq(apr_file_write_full(f, text, len, NULL), APR_SUCCESS);
    apr_file_close(f);
    return path;
}

static apr_status_t load(const char *path, pgw_pwpolicy_t **pol,
                         const char **msg)
{
    apr_status_t rv;

    *msg = NULL;
    rv = pgw_pwpolicy_load(pool, path, pol, msg);
    apr_file_remove(path, pool);
    return rv;
}

START_TEST(shipped_list_size)
{
    /* 10,000 from zxcvbn and a few hundred of our own. */
    ck_assert_int_ge(pgw_pwpolicy_count(shipped), 10000);
    ck_assert_int_le(pgw_pwpolicy_count(shipped), 11000);
}
END_TEST

START_TEST(common_refused)
{
    ck_assert(pgw_pwpolicy_listed(shipped, "123456"));
    ck_assert_ptr_nonnull(refusal("123456"));
    ck_assert_str_eq(refusal("password"), PGW_PWMSG_COMMON);
    ck_assert_str_eq(refusal("12345678"), PGW_PWMSG_COMMON);
    ck_assert_str_eq(refusal("qwertyuiop"), PGW_PWMSG_COMMON);
    ck_assert_str_eq(refusal("bismillah"), PGW_PWMSG_COMMON);
    ck_assert_str_eq(refusal("rahasia123"), PGW_PWMSG_COMMON);
    ck_assert_str_eq(refusal("jakarta2025"), PGW_PWMSG_COMMON);
    ck_assert_str_eq(refusal("pegawai@123"), PGW_PWMSG_COMMON);
    ck_assert_str_eq(refusal("17081945"), PGW_PWMSG_COMMON);
}
END_TEST

START_TEST(common_any_case)
{
    ck_assert_str_eq(refusal("Password"), PGW_PWMSG_COMMON);
    ck_assert_str_eq(refusal("PASSWORD"), PGW_PWMSG_COMMON);
    ck_assert_str_eq(refusal("BisMillah"), PGW_PWMSG_COMMON);
    ck_assert_str_eq(refusal("Rahasia123"), PGW_PWMSG_COMMON);
}
END_TEST

/* Exact match only: nothing is stripped or derived. */
START_TEST(common_exact_only)
{
    ck_assert(!pgw_pwpolicy_listed(shipped, "password "));
    ck_assert(!pgw_pwpolicy_listed(shipped, "pass word"));
    ck_assert(!pgw_pwpolicy_listed(shipped, "passwordz"));
    ck_assert(!pgw_pwpolicy_listed(shipped, ""));
}
END_TEST

/* The demo's password must stay allowed: README.md gives it. */
START_TEST(demo_password_accepted)
{
    ck_assert(!pgw_pwpolicy_listed(shipped, "rahasia-demo"));
    ck_assert_ptr_null(refusal("rahasia-demo"));
    ck_assert_ptr_null(refusal("Rahasia-Demo"));
}
END_TEST

START_TEST(length_in_code_points)
{
    ck_assert_str_eq(refusal("kopi-ku"), PGW_PWMSG_TOO_SHORT); /* 7 */
    ck_assert_ptr_null(refusal("kopi-kue"));                   /* 8 */
    ck_assert_str_eq(refusal(""), PGW_PWMSG_TOO_SHORT);
    ck_assert_str_eq(refusal(NULL), PGW_PWMSG_TOO_SHORT);
    /* 7 letters of 2 bytes are 14 bytes but 7 characters. */
    ck_assert_str_eq(refusal("ĉĥĝĵŝŭé"), PGW_PWMSG_TOO_SHORT);
    ck_assert_ptr_null(refusal("ĉĥĝĵŝŭéà"));
    ck_assert_ptr_null(refusal("日本語パスワード"));
    ck_assert_ptr_null(refusal("🍜🌋🐉🎋🛺🥥🦜🌴"));
    ck_assert_str_eq(refusal("🍜🌋🐉🎋🛺🥥🦜"),
                     PGW_PWMSG_TOO_SHORT);
}
END_TEST

START_TEST(long_passphrases_accepted)
{
    const char *hundred = "kereta pagi dari bogor selalu penuh, tapi kopi "
                          "di stasiun juanda tetap enak; jadi saya tetap "
                          "datang.";

    ck_assert_int_eq(strlen(hundred), 100);
    ck_assert_ptr_null(refusal(hundred));
    ck_assert_ptr_null(refusal(repeat("ab", 32)));  /* 64 */
    ck_assert_ptr_null(refusal(repeat("xy", 512))); /* 1024 bytes */
    ck_assert_ptr_null(refusal(repeat("ĉx", 341))); /* 1023 bytes */
}
END_TEST

START_TEST(over_1024_bytes_refused)
{
    char *big = apr_palloc(pool, 100001);

    memset(big, 'q', 100000);
    big[100000] = '\0';
    ck_assert_str_eq(refusal(apr_pstrcat(pool, repeat("xy", 512), "z", NULL)),
                     PGW_PWMSG_TOO_LONG);
    ck_assert_str_eq(refusal(repeat("ĉx", 342)), PGW_PWMSG_TOO_LONG);
    ck_assert_str_eq(refusal(big), PGW_PWMSG_TOO_LONG);
}
END_TEST

START_TEST(invalid_utf8_refused)
{
    ck_assert_str_eq(refusal("abcd\xff\xfe"
                             "efgh"),
                     PGW_PWMSG_NOT_UTF8);
    ck_assert_str_eq(refusal("\xc0\xaf"
                             "abcdefgh"),
                     PGW_PWMSG_NOT_UTF8);
    ck_assert_str_eq(refusal("\xed\xa0\x80"
                             "abcdefgh"),
                     PGW_PWMSG_NOT_UTF8);
    ck_assert_str_eq(refusal("abcdefgh\xe6\x97"), PGW_PWMSG_NOT_UTF8);
    ck_assert_str_eq(refusal("\xf4\x90\x80\x80"
                             "abcdefgh"),
                     PGW_PWMSG_NOT_UTF8);
}
END_TEST

START_TEST(one_character_repeated)
{
    ck_assert_str_eq(refusal("zzzzzzzzzzzzzzzz"), PGW_PWMSG_REPEATED);
    ck_assert_str_eq(refusal("éééééééé"), PGW_PWMSG_REPEATED);
    ck_assert_str_eq(refusal("        "), PGW_PWMSG_REPEATED);
    ck_assert_ptr_null(refusal("zzzzzzzzzzzzzzzy"));
}
END_TEST

START_TEST(nrk_and_nip_refused)
{
    ck_assert_str_eq(refusal("budi181679"), PGW_PWMSG_PERSONAL);
    ck_assert_str_eq(refusal("181679-kopi"), PGW_PWMSG_PERSONAL);
    ck_assert_str_eq(refusal(NIP), PGW_PWMSG_PERSONAL);
    ck_assert_str_eq(refusal("nip" NIP "!"), PGW_PWMSG_PERSONAL);
    /* Another employee may. */
    ck_assert_ptr_null(refusal_for("budi181679", "181678", NULL, NULL));
}
END_TEST

START_TEST(birth_date_refused)
{
    static const char *const forms[] = {
        "05071983",      "hendra05071983", "05-07-1983x",    "05/07/1983!!",
        "aku05.07.1983", "19830705kopi",   "1983-07-05abc",  "1983/07/05 ok",
        "hendra050783",  "830705hendra",   "05-07-83hendra", "5-7-1983hendra",
        "hendra5/7/83",  "5 juli 1983!",   "05JULI1983abc",  "5-jul-83 kopi",
        "hendra571983",  "07/05/1983 us"};
    size_t i;

    for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        ck_assert_msg(refusal(forms[i]) != NULL
                          && strcmp(refusal(forms[i]), PGW_PWMSG_PERSONAL) == 0,
                      "%s accepted", forms[i]);
    }
}
END_TEST

/* The NIP carries the birth date too: either source is enough. */
START_TEST(birth_date_from_either_source)
{
    ck_assert_str_eq(refusal_for("hendra05071983", NULL, NIP, NULL),
                     PGW_PWMSG_PERSONAL);
    ck_assert_str_eq(refusal_for("hendra05071983", NULL, NULL, LAHIR),
                     PGW_PWMSG_PERSONAL);
    ck_assert_str_eq(refusal_for("hendra05071983", NULL, NIP, "1983-7-5"),
                     PGW_PWMSG_PERSONAL);
    ck_assert_str_eq(
        refusal_for("hendra05071983", NULL, NULL, "1983-07-05 00:00:00"),
        PGW_PWMSG_PERSONAL);
    /* A birth date that does not parse, and no NIP: nothing to look for. */
    ck_assert_ptr_null(refusal_for("hendra05071983", NULL, NULL, "1983-7-5"));
    ck_assert_ptr_null(refusal_for("hendra05071983", NULL, NULL, NULL));
    ck_assert_ptr_null(refusal_for("hendra05071983", "", "", ""));
    ck_assert_ptr_null(refusal_for("hendra05071983", NULL, NULL, "1983-02-30"));
}
END_TEST

/* What is near the employee but not a usual form of it is allowed. */
START_TEST(personal_not_overreaching)
{
    ck_assert_ptr_null(refusal("kopi-tubruk-1983"));
    ck_assert_ptr_null(refusal("juli-di-jakarta"));
    ck_assert_ptr_null(refusal("18167-kopi-79"));
    ck_assert_ptr_null(refusal_for("abc123xyzq", "123", "9876", NULL));
    ck_assert_ptr_null(refusal_for("abc123xyzq", "  12  ", "      ", NULL));
}
END_TEST

START_TEST(confirmation)
{
    const char *msg = NULL;

    ck_assert_int_eq(pgw_pwpolicy_confirm("rahasia-demo", "rahasia-demo", &msg),
                     APR_SUCCESS);
    ck_assert_ptr_null(msg);
    ck_assert_int_eq(pgw_pwpolicy_confirm(NULL, "", &msg), APR_SUCCESS);
    ck_assert_int_eq(pgw_pwpolicy_confirm("rahasia-demo", "Rahasia-demo", &msg),
                     APR_EINVAL);
    ck_assert_str_eq(msg, PGW_PWMSG_MISMATCH);
    ck_assert_str_eq(msg, "Konfirmasi password baru tidak sama.");
    msg = NULL;
    ck_assert_int_eq(pgw_pwpolicy_confirm("kopi-kue", NULL, &msg), APR_EINVAL);
    ck_assert_str_eq(msg, PGW_PWMSG_MISMATCH);
}
END_TEST

START_TEST(differs_from_current)
{
    const char *msg = NULL;

    ck_assert_int_eq(pgw_pwpolicy_differs("lama-sekali", "baru-sekali", &msg),
                     APR_SUCCESS);
    ck_assert_ptr_null(msg);
    ck_assert_int_eq(pgw_pwpolicy_differs("sama-saja", "sama-saja", &msg),
                     APR_EINVAL);
    ck_assert_str_eq(msg, PGW_PWMSG_SAME_AS_OLD);
}
END_TEST

START_TEST(messages_name_the_limits)
{
    ck_assert_str_eq(PGW_PWMSG_TOO_SHORT, "Password baru minimal 8 karakter.");
    ck_assert_ptr_nonnull(strstr(PGW_PWMSG_TOO_LONG, "1024 byte"));
}
END_TEST

START_TEST(load_trims_skips_and_folds)
{
    pgw_pwpolicy_t *pol;
    const char *msg;

    ck_assert_int_eq(load(temp_list("# comment\n\n   \n  Kopi Tubruk \r\n"
                                    "\t# indented comment\nkopi tubruk\n"
                                    "es teh manis"),
                          &pol, &msg),
                     APR_SUCCESS);
    ck_assert_int_eq(pgw_pwpolicy_count(pol), 2);
    ck_assert(pgw_pwpolicy_listed(pol, "kopi tubruk"));
    ck_assert(pgw_pwpolicy_listed(pol, "KOPI TUBRUK"));
    ck_assert(pgw_pwpolicy_listed(pol, "Es Teh Manis"));
    ck_assert(!pgw_pwpolicy_listed(pol, " kopi tubruk"));
    ck_assert(!pgw_pwpolicy_listed(pol, "es teh"));
}
END_TEST

START_TEST(load_missing_file)
{
    pgw_pwpolicy_t *pol = NULL;
    const char *msg = NULL;
    apr_status_t rv;

    rv = pgw_pwpolicy_load(pool, "conf/no-such-list.txt", &pol, &msg);
    ck_assert(APR_STATUS_IS_ENOENT(rv));
    ck_assert_ptr_null(pol);
    ck_assert_ptr_nonnull(strstr(msg, "conf/no-such-list.txt"));
}
END_TEST

START_TEST(load_refuses_bad_lines)
{
    pgw_pwpolicy_t *pol = NULL;
    const char *msg;
    char line[PGW_PWPOLICY_MAX_LINE + 2];

    memset(line, 'x', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0'; /* MAX_LINE + 1 bytes */
    ck_assert_int_eq(
        load(temp_list(apr_pstrcat(pool, "ok\n", line, "\n", NULL)), &pol,
             &msg),
        APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, ":2: line longer than 256 bytes"));
    line[sizeof(line) - 2] = '\0'; /* exactly MAX_LINE, no newline */
    ck_assert_int_eq(load(temp_list(line), &pol, &msg), APR_SUCCESS);
    ck_assert_int_eq(pgw_pwpolicy_count(pol), 1);

    pol = NULL;
    ck_assert_int_eq(load(temp_list("ok\nkaf\xe9\n"), &pol, &msg), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, ":2: not UTF-8"));
    ck_assert_int_eq(load(temp_list("# only\n\n# comments\n"), &pol, &msg),
                     APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "no passwords listed"));
    ck_assert_ptr_null(pol);
}
END_TEST

START_TEST(load_bounds_the_count)
{
    char *path = apr_pstrdup(pool, "/tmp/test_pwpolicy_XXXXXX");
    pgw_pwpolicy_t *pol = NULL;
    const char *msg;
    apr_file_t *f;
    int i;

    ck_assert_int_eq(apr_file_mktemp(&f, path, TEMP_FLAGS, pool), APR_SUCCESS);
    for (i = 0; i <= PGW_PWPOLICY_MAX_ENTRIES; i++) {
        apr_file_printf(f, "p%d\n", i);
    }
    apr_file_close(f);
    ck_assert_int_eq(load(path, &pol, &msg), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, ":1000001: more than 1000000"));
    ck_assert_ptr_null(pol);
}
END_TEST

static Suite *pwpolicy_suite(void)
{
    Suite *s = suite_create("pgw_pwpolicy");
    TCase *tl = tcase_create("list");
    TCase *tr = tcase_create("rules");
    TCase *tf = tcase_create("fields");
    TCase *tload = tcase_create("load");

    tcase_add_test(tl, shipped_list_size);
    tcase_add_test(tl, common_refused);
    tcase_add_test(tl, common_any_case);
    tcase_add_test(tl, common_exact_only);
    tcase_add_test(tl, demo_password_accepted);
    suite_add_tcase(s, tl);

    tcase_add_test(tr, length_in_code_points);
    tcase_add_test(tr, long_passphrases_accepted);
    tcase_add_test(tr, over_1024_bytes_refused);
    tcase_add_test(tr, invalid_utf8_refused);
    tcase_add_test(tr, one_character_repeated);
    tcase_add_test(tr, nrk_and_nip_refused);
    tcase_add_test(tr, birth_date_refused);
    tcase_add_test(tr, birth_date_from_either_source);
    tcase_add_test(tr, personal_not_overreaching);
    suite_add_tcase(s, tr);

    tcase_add_test(tf, confirmation);
    tcase_add_test(tf, differs_from_current);
    tcase_add_test(tf, messages_name_the_limits);
    suite_add_tcase(s, tf);

    tcase_add_test(tload, load_trims_skips_and_folds);
    tcase_add_test(tload, load_missing_file);
    tcase_add_test(tload, load_refuses_bad_lines);
    tcase_add_test(tload, load_bounds_the_count);
    tcase_set_timeout(tload, 30);
    suite_add_tcase(s, tload);
    return s;
}

int main(void)
{
    const char *msg;
    SRunner *sr;
    int failed;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    if (pgw_pwpolicy_load(pool, LIST, &shipped, &msg) != APR_SUCCESS) {
        fprintf(stderr, "test_pwpolicy: %s (run from the repository root)\n",
                msg);
        return EXIT_FAILURE;
    }
    sr = srunner_create(pwpolicy_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
