/* Unit tests of pgw_nip.c: calendar dates, NIP and NIK. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "pgw_nip.h"

static apr_status_t nip(const char *s, pgw_nip_t *out, const char **msg)
{
    *msg = NULL;
    return pgw_nip_parse(s, out, msg);
}

static apr_status_t nik(const char *s, pgw_nik_t *out, const char **msg)
{
    *msg = NULL;
    return pgw_nik_parse(s, out, msg);
}

START_TEST(dates)
{
    ck_assert(pgw_date_valid(1983, 7, 5));
    ck_assert(pgw_date_valid(2000, 2, 29));  /* divisible by 400 */
    ck_assert(!pgw_date_valid(1900, 2, 29)); /* by 100 only */
    ck_assert(pgw_date_valid(2024, 2, 29));
    ck_assert(!pgw_date_valid(2023, 2, 29));
    ck_assert(!pgw_date_valid(1983, 2, 30));
    ck_assert(!pgw_date_valid(1983, 4, 31));
    ck_assert(pgw_date_valid(1983, 12, 31));
    ck_assert(!pgw_date_valid(1983, 0, 1));
    ck_assert(!pgw_date_valid(1983, 13, 1));
    ck_assert(!pgw_date_valid(1983, 1, 0));
    ck_assert(!pgw_date_valid(1983, 1, 32));
    ck_assert(!pgw_date_valid(0, 1, 1));
}
END_TEST

START_TEST(demo_nips)
{
    pgw_nip_t n;
    const char *msg;

    ck_assert_int_eq(nip("198307052011011018", &n, &msg), APR_SUCCESS);
    ck_assert_int_eq(n.lahir.year, 1983);
    ck_assert_int_eq(n.lahir.month, 7);
    ck_assert_int_eq(n.lahir.day, 5);
    ck_assert_int_eq(n.tmt_year, 2011);
    ck_assert_int_eq(n.tmt_month, 1);
    ck_assert_int_eq(n.gender, 'L');
    ck_assert_int_eq(n.sequence, 18);

    ck_assert_int_eq(nip("198306112010111019", &n, &msg), APR_SUCCESS);
    ck_assert_int_eq(n.lahir.year, 1983);
    ck_assert_int_eq(n.lahir.month, 6);
    ck_assert_int_eq(n.lahir.day, 11);
    ck_assert_int_eq(n.tmt_year, 2010);
    ck_assert_int_eq(n.tmt_month, 11);
    ck_assert_int_eq(n.gender, 'L');
    ck_assert_int_eq(n.sequence, 19);
}
END_TEST

START_TEST(woman_nip)
{
    pgw_nip_t n;
    const char *msg;

    ck_assert_int_eq(nip("199002292019032999", &n, &msg), APR_EINVAL);
    ck_assert_int_eq(nip("199212312019032999", &n, &msg), APR_SUCCESS);
    ck_assert_int_eq(n.gender, 'P');
    ck_assert_int_eq(n.sequence, 999);
    ck_assert_int_eq(n.tmt_month, 3);
}
END_TEST

START_TEST(nip_not_18_digits)
{
    static const char *const bad[] = {
        "19830705201101101",   "1983070520110110180", "",
        "19830705201101101X",  "1983 07052011011018", "-98307052011011018",
        "198307052011011018 ", "198307052011011０18",
    };
    pgw_nip_t n;
    const char *msg;
    apr_size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_int_eq(nip(bad[i], &n, &msg), APR_EINVAL);
        ck_assert_str_eq(msg, "NIP harus 18 digit angka");
    }
    ck_assert_int_eq(nip(NULL, &n, &msg), APR_EINVAL);
}
END_TEST

START_TEST(nip_bad_parts)
{
    pgw_nip_t n;
    const char *msg;

    n.sequence = -7;
    /* birth dates: 30 February, month 13, day 00, 29 February 1900 */
    ck_assert_int_eq(nip("198302302011011018", &n, &msg), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "Tanggal lahir"));
    ck_assert_int_eq(nip("198313052011011018", &n, &msg), APR_EINVAL);
    ck_assert_int_eq(nip("198307002011011018", &n, &msg), APR_EINVAL);
    ck_assert_int_eq(nip("190002292011011018", &n, &msg), APR_EINVAL);
    /* CPNS month 00 and 13, and an appointment before birth */
    ck_assert_int_eq(nip("198307052011001018", &n, &msg), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "TMT CPNS"));
    ck_assert_int_eq(nip("198307052011131018", &n, &msg), APR_EINVAL);
    ck_assert_int_eq(nip("198307051983061018", &n, &msg), APR_EINVAL);
    ck_assert_int_eq(nip("198307051983071018", &n, &msg), APR_SUCCESS);
    /* gender digit 0 and 3 */
    ck_assert_int_eq(nip("198307052011010018", &n, &msg), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "jenis kelamin"));
    ck_assert_int_eq(nip("198307052011013018", &n, &msg), APR_EINVAL);
    /* sequence 000 */
    n.sequence = -7;
    ck_assert_int_eq(nip("198307052011011000", &n, &msg), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "000"));
    ck_assert_int_eq(n.sequence, -7); /* untouched on failure */
}
END_TEST

START_TEST(nip_format_round_trip)
{
    static const char *const nips[] = {
        "198307052011011018",
        "198306112010111019",
        "199212312019032999",
        "200002292020011001",
    };
    pgw_nip_t n;
    const char *msg;
    char out[19];
    apr_size_t i;

    for (i = 0; i < sizeof(nips) / sizeof(nips[0]); i++) {
        ck_assert_int_eq(nip(nips[i], &n, &msg), APR_SUCCESS);
        memset(out, '#', sizeof(out));
        pgw_nip_format(out, &n.lahir, n.tmt_year, n.tmt_month, n.gender,
                       n.sequence);
        ck_assert_str_eq(out, nips[i]);
    }
}
END_TEST

START_TEST(nik_man)
{
    pgw_nik_t k;
    const char *msg;

    ck_assert_int_eq(nik("3171010507830001", &k, &msg), APR_SUCCESS);
    ck_assert_str_eq(k.wilayah, "317101");
    ck_assert_int_eq(k.day, 5);
    ck_assert_int_eq(k.month, 7);
    ck_assert_int_eq(k.year2, 83);
    ck_assert_int_eq(k.gender, 'L');
    ck_assert_int_eq(k.sequence, 1);
    ck_assert_int_eq(nik("3216063112839999", &k, &msg), APR_SUCCESS);
    ck_assert_int_eq(k.day, 31);
    ck_assert_int_eq(k.sequence, 9999);
}
END_TEST

START_TEST(nik_woman_day_plus_40)
{
    pgw_nik_t k;
    const char *msg;

    ck_assert_int_eq(nik("3216065106830002", &k, &msg), APR_SUCCESS);
    ck_assert_int_eq(k.day, 11);
    ck_assert_int_eq(k.month, 6);
    ck_assert_int_eq(k.gender, 'P');
    ck_assert_int_eq(nik("3216064101830002", &k, &msg), APR_SUCCESS);
    ck_assert_int_eq(k.day, 1);
    ck_assert_int_eq(nik("3216067112830002", &k, &msg), APR_SUCCESS);
    ck_assert_int_eq(k.day, 31);
    ck_assert_int_eq(k.gender, 'P');
}
END_TEST

START_TEST(nik_bad_days)
{
    /* 00, 32, 40, 72: neither a man's day nor a woman's */
    static const char *const bad[] = {
        "3171010007830001", "3171013207830001",
        "3171014007830001", "3171017207830001",
        "3171019907830001", "3171013106830001", /* 31 June */
        "3171017106830001",                     /* 31 June, woman */
        "3171013002830001",                     /* 30 February */
        "3171012902830001",                     /* 29 February 1983 or 2083 */
        "3171010513830001",                     /* month 13 */
        "3171010500830001",                     /* month 00 */
    };
    pgw_nik_t k;
    const char *msg;
    apr_size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(nik(bad[i], &k, &msg) == APR_EINVAL, "accepted %s",
                      bad[i]);
        ck_assert_ptr_nonnull(strstr(msg, "NIK"));
    }
}
END_TEST

START_TEST(nik_century_either)
{
    pgw_nik_t k;
    const char *msg;

    /* 29 February 00 exists in 2000 (not 1900); 24 in both 1924, 2024 */
    ck_assert_int_eq(nik("3171012902000001", &k, &msg), APR_SUCCESS);
    ck_assert_int_eq(nik("3171016902240001", &k, &msg), APR_SUCCESS);
    ck_assert_int_eq(nik("3171012902010001", &k, &msg), APR_EINVAL);
}
END_TEST

START_TEST(nik_shape_and_sequence)
{
    pgw_nik_t k;
    const char *msg;

    ck_assert_int_eq(nik("317101050783000", &k, &msg), APR_EINVAL);
    ck_assert_str_eq(msg, "NIK harus 16 digit angka");
    ck_assert_int_eq(nik("31710105078300011", &k, &msg), APR_EINVAL);
    ck_assert_int_eq(nik("31.71.01.050783.0001", &k, &msg), APR_EINVAL);
    ck_assert_int_eq(nik("317101050783000a", &k, &msg), APR_EINVAL);
    ck_assert_int_eq(nik(NULL, &k, &msg), APR_EINVAL);
    ck_assert_int_eq(nik("3171010507830000", &k, &msg), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(msg, "0000"));
}
END_TEST

START_TEST(nik_format)
{
    pgw_date_t lahir = {1983, 6, 11};
    pgw_nik_t k;
    const char *msg;
    char out[17];

    pgw_nik_format(out, "321606", &lahir, 'P', 2);
    ck_assert_str_eq(out, "3216065106830002");
    pgw_nik_format(out, "321606", &lahir, 'L', 2);
    ck_assert_str_eq(out, "3216061106830002");
    lahir.year = 2001;
    lahir.day = 1;
    pgw_nik_format(out, "317101", &lahir, 'L', 9999);
    ck_assert_str_eq(out, "3171010106019999");
    ck_assert_int_eq(nik(out, &k, &msg), APR_SUCCESS);
    ck_assert_int_eq(k.year2, 1);
}
END_TEST

static Suite *nip_suite(void)
{
    Suite *s = suite_create("pgw_nip");
    TCase *td = tcase_create("date");
    TCase *tn = tcase_create("nip");
    TCase *tk = tcase_create("nik");

    tcase_add_test(td, dates);
    suite_add_tcase(s, td);

    tcase_add_test(tn, demo_nips);
    tcase_add_test(tn, woman_nip);
    tcase_add_test(tn, nip_not_18_digits);
    tcase_add_test(tn, nip_bad_parts);
    tcase_add_test(tn, nip_format_round_trip);
    suite_add_tcase(s, tn);

    tcase_add_test(tk, nik_man);
    tcase_add_test(tk, nik_woman_day_plus_40);
    tcase_add_test(tk, nik_bad_days);
    tcase_add_test(tk, nik_century_either);
    tcase_add_test(tk, nik_shape_and_sequence);
    tcase_add_test(tk, nik_format);
    suite_add_tcase(s, tk);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(nip_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
