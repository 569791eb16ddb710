/* Display formats of the profile page (manual, Gambar 1 and 3). */
#include <check.h>
#include <stdlib.h>

#include <apr_general.h>

#include "pgw_fmt.h"

static apr_pool_t *pool;

static void setup(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
}

static void teardown(void)
{
    apr_pool_destroy(pool);
    apr_terminate();
}

START_TEST(date_iso_to_dmy)
{
    ck_assert_str_eq(pgw_fmt_date(pool, "2017-01-03"), "03-01-2017");
    ck_assert_str_eq(pgw_fmt_date(pool, "1983-06-11"), "11-06-1983");
    /* PostgreSQL timestamps keep their date part. */
    ck_assert_str_eq(pgw_fmt_date(pool, "2011-04-11 00:00:00"), "11-04-2011");
    ck_assert_str_eq(pgw_fmt_date(pool, "11-04-2011"), "11-04-2011");
    ck_assert_str_eq(pgw_fmt_date(pool, "abcd-ef-gh"), "abcd-ef-gh");
    ck_assert_ptr_null(pgw_fmt_date(pool, NULL));
}
END_TEST

START_TEST(pangkat_as_the_agency_writes_it)
{
    ck_assert_str_eq(pgw_fmt_pangkat(pool, "Pengatur Tk. I", "II/d"),
                     "PENGATUR TK.I (II/D)");
    ck_assert_str_eq(pgw_fmt_pangkat(pool, "Pengatur", "II/c"),
                     "PENGATUR (II/C)");
    ck_assert_str_eq(pgw_fmt_pangkat(pool, "Pembina Utama Muda", "IV/c"),
                     "PEMBINA UTAMA MUDA (IV/C)");
    ck_assert_str_eq(pgw_fmt_pangkat(pool, NULL, "III/a"), "III/A");
    ck_assert_str_eq(pgw_fmt_pangkat(pool, NULL, NULL), "");
}
END_TEST

START_TEST(names_and_initials)
{
    ck_assert_str_eq(pgw_fmt_nama(pool, "Ir.", "Budi Santoso", "M.Si."),
                     "Ir. Budi Santoso, M.Si.");
    ck_assert_str_eq(pgw_fmt_nama(pool, NULL, "Siti Aminah", ""),
                     "Siti Aminah");
    ck_assert_str_eq(pgw_fmt_initials(pool, "Budi Santoso Wibowo"), "BS");
    ck_assert_str_eq(pgw_fmt_initials(pool, "Drs. Ahmad"), "A");
    ck_assert_str_eq(pgw_fmt_initials(pool, ""), "");
    ck_assert_str_eq(pgw_fmt_initials(pool, "  siti"), "S");
}
END_TEST

START_TEST(masking_and_jakarta_time)
{
    ck_assert_str_eq(pgw_fmt_mask(pool, "3174090507831001"),
                     "************1001");
    ck_assert_str_eq(pgw_fmt_mask(pool, "1234"), "****");
    ck_assert_str_eq(pgw_fmt_mask(pool, "12345"), "*2345");
    ck_assert_str_eq(pgw_fmt_mask(pool, ""), "");
    ck_assert_ptr_null(pgw_fmt_mask(pool, NULL));
    /* 2026-12-03 07:05:00 UTC is 14:05 in Jakarta. */
    ck_assert_str_eq(pgw_fmt_wib(pool, 1796281500), "03-12-2026 14:05 WIB");
    /* 17:30 UTC on the last day of a year is already the next year. */
    ck_assert_str_eq(pgw_fmt_wib(pool, 1798738200), "01-01-2027 00:30 WIB");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fmt");
    TCase *tc = tcase_create("fmt");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, date_iso_to_dmy);
    tcase_add_test(tc, pangkat_as_the_agency_writes_it);
    tcase_add_test(tc, names_and_initials);
    tcase_add_test(tc, masking_and_jakarta_time);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
