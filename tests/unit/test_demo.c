/* Unit tests of pgw_demo.c: the script is a function of the seed, the
 * generated identifiers agree with each other and never collide, and
 * the manual's two employees are exactly as the manual shows them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <apr_general.h>

#include "pgw_demo.h"
#include "pgw_nip.h"

/* Enough employees to meet every track and unit, few enough to be
 * quick. */
#define SAMPLE 20000

static const char *const fixed_hashes[2] = {"$hash$181679", "$hash$181678"};

/* The whole script for seed and count, in malloc'd memory. */
static char *script(pgw_demo_format_e format, apr_uint64_t seed, long count,
                    size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(
        pgw_demo_write(f, format, seed, count, "$hash$all", fixed_hashes),
        APR_SUCCESS);
    fclose(f);
    return text;
}

static void assert_same_script(pgw_demo_format_e format)
{
    size_t len1, len2;
    char *a = script(format, 42, 500, &len1);
    char *b = script(format, 42, 500, &len2);

    ck_assert_uint_eq(len1, len2);
    ck_assert(memcmp(a, b, len1) == 0);
    free(a);
    free(b);
}

START_TEST(same_seed_same_script)
{
    assert_same_script(PGW_DEMO_SQLITE3);
    assert_same_script(PGW_DEMO_PGSQL);
}
END_TEST

START_TEST(other_seed_other_script)
{
    size_t len1, len2;
    char *a = script(PGW_DEMO_SQLITE3, 1, 50, &len1);
    char *b = script(PGW_DEMO_SQLITE3, 2, 50, &len2);

    ck_assert(len1 != len2 || memcmp(a, b, len1) != 0);
    free(a);
    free(b);
}
END_TEST

/* An employee depends on (seed, index) alone, not on the count. */
START_TEST(employee_independent_of_count)
{
    size_t len1, len2;
    char *small = script(PGW_DEMO_PGSQL, 7, 10, &len1);
    char *big = script(PGW_DEMO_PGSQL, 7, 20, &len2);
    const char *row = strstr(small, "\n100009\t");
    const char *end;
    char *line;

    ck_assert_ptr_nonnull(row);
    end = strchr(row + 1, '\n');
    ck_assert_ptr_nonnull(end);
    line = strndup(row, (size_t)(end - row + 1));
    ck_assert_ptr_nonnull(strstr(big, line));
    free(line);
    free(small);
    free(big);
}
END_TEST

START_TEST(nip_and_nik_agree)
{
    pgw_demo_pegawai_t e;
    pgw_demo_t d;
    long i;

    pgw_demo_init(&d, PGW_DEMO_DEFAULT_SEED);
    for (i = 0; i < SAMPLE; i++) {
        const char *err = NULL;
        pgw_nip_t nip;
        pgw_nik_t nik;

        pgw_demo_generate(&d, i, &e);
        ck_assert_msg(pgw_nip_parse(e.nip, &nip, &err) == APR_SUCCESS,
                      "%s: NIP %s: %s", e.nrk, e.nip, err);
        ck_assert_msg(pgw_nik_parse(e.nik, &nik, &err) == APR_SUCCESS,
                      "%s: NIK %s: %s", e.nrk, e.nik, err);
        ck_assert_int_eq(nip.lahir.year, e.tanggal_lahir.year);
        ck_assert_int_eq(nip.lahir.month, e.tanggal_lahir.month);
        ck_assert_int_eq(nip.lahir.day, e.tanggal_lahir.day);
        ck_assert_int_eq(nik.day, e.tanggal_lahir.day);
        ck_assert_int_eq(nik.month, e.tanggal_lahir.month);
        ck_assert_int_eq(nik.year2, e.tanggal_lahir.year % 100);
        ck_assert_int_eq(nip.gender, e.jenis_kelamin);
        ck_assert_int_eq(nik.gender, e.jenis_kelamin);
    }
}
END_TEST

static int compare_strings(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Sorts n fixed-size strings and fails on the first repeated one. */
static void assert_distinct(char (*v)[20], long n, const char *what)
{
    long i;

    qsort(v, (size_t)n, sizeof(v[0]), compare_strings);
    for (i = 1; i < n; i++) {
        ck_assert_msg(strcmp(v[i - 1], v[i]) != 0, "%s %s twice", what, v[i]);
    }
}

START_TEST(nip_nik_nrk_unique)
{
    char(*nips)[20] = calloc(SAMPLE + 2, sizeof(*nips));
    char(*niks)[20] = calloc(SAMPLE + 1, sizeof(*niks));
    char(*nrks)[20] = calloc(SAMPLE + 2, sizeof(*nrks));
    pgw_demo_pegawai_t e;
    pgw_demo_t d;
    long i;

    pgw_demo_init(&d, 3);
    for (i = 0; i < SAMPLE; i++) {
        pgw_demo_generate(&d, i, &e);
        strcpy(nips[i], e.nip);
        strcpy(niks[i], e.nik);
        strcpy(nrks[i], e.nrk);
    }
    pgw_demo_manual(0, &e);
    strcpy(nips[SAMPLE], e.nip);
    strcpy(niks[SAMPLE], e.nik);
    strcpy(nrks[SAMPLE], e.nrk);
    pgw_demo_manual(1, &e);
    strcpy(nips[SAMPLE + 1], e.nip);
    strcpy(nrks[SAMPLE + 1], e.nrk);
    assert_distinct(nips, SAMPLE + 2, "NIP");
    assert_distinct(niks, SAMPLE + 1, "NIK");
    assert_distinct(nrks, SAMPLE + 2, "NRK");
    free(nips);
    free(niks);
    free(nrks);
}
END_TEST

START_TEST(nrk_steps_over_manual)
{
    pgw_demo_pegawai_t e;
    pgw_demo_t d;

    pgw_demo_init(&d, 1);
    pgw_demo_generate(&d, 0, &e);
    ck_assert_str_eq(e.nrk, "100000");
    pgw_demo_generate(&d, 81677, &e);
    ck_assert_str_eq(e.nrk, "181677");
    pgw_demo_generate(&d, 81678, &e);
    ck_assert_str_eq(e.nrk, "181680");
    pgw_demo_generate(&d, PGW_DEMO_MAX_COUNT - 1, &e);
    ck_assert_str_eq(e.nrk, "10100001");
}
END_TEST

/* The number written by the n digits at s. */
static int digits(const char *s, int n)
{
    int v = 0;

    while (n-- > 0) {
        v = v * 10 + (*s++ - '0');
    }
    return v;
}

static long day_key(const pgw_date_t *d)
{
    return d->year * 10000L + d->month * 100 + d->day;
}

/* Rows run after the CPNS appointment in order, grades never fall,
 * and the last row is the current position. */
static void assert_riwayat(const pgw_demo_pegawai_t *e)
{
    const pgw_demo_jabatan_t *r = e->riwayat;
    int k;

    ck_assert_int_ge(e->n_riwayat, 1);
    ck_assert_int_le(e->n_riwayat, PGW_DEMO_MAX_RIWAYAT);
    ck_assert_int_eq(r[0].tmt.year, digits(e->nip + 8, 4));
    ck_assert_int_eq(r[0].tmt.month, digits(e->nip + 12, 2));
    for (k = 0; k < e->n_riwayat; k++) {
        ck_assert(pgw_date_valid(r[k].tmt.year, r[k].tmt.month, r[k].tmt.day));
        ck_assert(pgw_date_valid(r[k].tanggal_sk.year, r[k].tanggal_sk.month,
                                 r[k].tanggal_sk.day));
        ck_assert_int_lt(day_key(&r[k].tmt), 20260101);
        ck_assert_str_ne(r[k].no_sk, "");
        if (k > 0) {
            ck_assert_int_gt(day_key(&r[k].tmt), day_key(&r[k - 1].tmt));
            ck_assert_int_ge(atoi(r[k].golongan), atoi(r[k - 1].golongan));
        }
    }
    ck_assert_str_eq(r[e->n_riwayat - 1].jabatan, e->jabatan);
    ck_assert_str_eq(r[e->n_riwayat - 1].lokasi, e->lokasi_kerja);
    ck_assert_int_ge(atoi(e->golongan), atoi(r[e->n_riwayat - 1].golongan));
}

START_TEST(riwayat_consistent)
{
    pgw_demo_pegawai_t e;
    pgw_demo_t d;
    long i;

    pgw_demo_init(&d, PGW_DEMO_DEFAULT_SEED);
    for (i = 0; i < SAMPLE; i++) {
        pgw_demo_generate(&d, i, &e);
        assert_riwayat(&e);
        ck_assert(e.jenis_kelamin == 'L' || e.jenis_kelamin == 'P');
        ck_assert_uint_ge(strlen(e.nama), 3);
    }
}
END_TEST

static void assert_row(const pgw_demo_jabatan_t *r, long tmt,
                       const char *lokasi, const char *jabatan,
                       const char *golongan, const char *no_sk, long tg)
{
    ck_assert_int_eq(day_key(&r->tmt), tmt);
    ck_assert_str_eq(r->lokasi, lokasi);
    ck_assert_str_eq(r->jabatan, jabatan);
    ck_assert_str_eq(r->golongan, golongan);
    ck_assert_str_eq(r->eselon, "00");
    ck_assert_str_eq(r->no_sk, no_sk);
    ck_assert_int_eq(day_key(&r->tanggal_sk), tg);
}

#define BKD         "07000000"
#define PUSDATIN    "07050000"
#define STAF_TEKNIK "STAF TEKNIK TINGKAT TERAMPIL"
#define STAF_TEKNIS "STAF TEKNIS TINGKAT TERAMPIL"
#define KASATPEL    "KEPALA SATUAN PELAKSANA SISTEM INFORMASI KEPEGAWAIAN"

/* Gambar 1 and 2 of the manual. */
START_TEST(manual_181679)
{
    pgw_demo_pegawai_t e;

    pgw_demo_manual(0, &e);
    ck_assert_str_eq(e.nrk, "181679");
    ck_assert_str_eq(e.nip, "198307052011011018");
    ck_assert_int_eq(e.jenis_kelamin, 'L');
    ck_assert_str_eq(e.jabatan, STAF_TEKNIK);
    ck_assert_str_eq(e.golongan, "24");
    ck_assert_str_eq(e.eselon, "00");
    ck_assert_str_eq(e.status_pegawai, "PNS");
    ck_assert_str_eq(e.lokasi_kerja, PUSDATIN);
    ck_assert_str_eq(e.nik, "3174090507831001");
    ck_assert_str_eq(e.no_kk, "1374091908131016");
    ck_assert_str_eq(e.no_rek_bank_dki, "50220242733");
    ck_assert_str_eq(e.npwp, "784024523017000");
    ck_assert_str_eq(e.no_taspen, "830705110110180");
    ck_assert_str_eq(e.no_hp, "08211332055");
    ck_assert_str_eq(e.no_karpeg, "Q219306");
    ck_assert_str_eq(e.no_karis_karsu, "105610K");
    ck_assert_str_eq(e.no_bpjs, "");
    ck_assert_str_eq(e.pendidikan_cpns, "5313");
    ck_assert_str_eq(e.agama, "1");
    ck_assert_int_eq(e.n_riwayat, 4);
    assert_row(&e.riwayat[3], 20170103, PUSDATIN, STAF_TEKNIK, "24",
               "12 TAHUN 2017", 20170103);
    assert_row(&e.riwayat[2], 20160901, PUSDATIN, STAF_TEKNIK, "24", "28/2016",
               20160831);
    assert_row(&e.riwayat[1], 20150102, BKD, STAF_TEKNIK, "23", "01 Tahun 2015",
               20150408);
    assert_row(&e.riwayat[0], 20110502, BKD, "STAF", "23", "516/2011",
               20110411);
}
END_TEST

/* Gambar 3 of the manual. */
START_TEST(manual_181678)
{
    pgw_demo_pegawai_t e;

    pgw_demo_manual(1, &e);
    ck_assert_str_eq(e.nrk, "181678");
    ck_assert_str_eq(e.nip, "198306112010111019");
    ck_assert_str_eq(e.tempat_lahir, "PEBAYURAN");
    ck_assert_int_eq(day_key(&e.tanggal_lahir), 19830611);
    ck_assert_str_eq(e.jabatan, KASATPEL);
    ck_assert_str_eq(e.jenis_jabatan, "S");
    ck_assert_str_eq(e.golongan, "24");
    ck_assert_str_eq(e.unit_kerja, PUSDATIN);
    ck_assert_int_eq(e.n_riwayat, 5);
    assert_row(&e.riwayat[4], 20170403, PUSDATIN, KASATPEL, "24",
               "29 TAHUN 2017", 20170403);
    assert_row(&e.riwayat[3], 20170103, PUSDATIN, STAF_TEKNIS, "24",
               "12 TAHUN 2017", 20170103);
    assert_row(&e.riwayat[2], 20160401, PUSDATIN,
               "KASATLAK SISTEM INFORMASI KEPEGAWAIAN", "24", "13 TAHUN 2016",
               20160401);
    assert_row(&e.riwayat[1], 20150102, BKD, STAF_TEKNIS, "23", "01 Tahun 2015",
               20150408);
    assert_row(&e.riwayat[0], 20110502, BKD, "STAF", "23", "516/2011",
               20110411);
}
END_TEST

/* The script gives the operator role to 181678 alone and each manual
 * employee its own hash. */
START_TEST(script_roles_and_hashes)
{
    size_t len;
    char *s = script(PGW_DEMO_SQLITE3, 5, 3, &len);

    ck_assert_ptr_nonnull(strstr(s, "('181679','$hash$181679',"));
    ck_assert_ptr_nonnull(strstr(s, "('181678','$hash$181678',"));
    ck_assert_ptr_nonnull(strstr(s, "('100002','$hash$all',"));
    ck_assert_ptr_nonnull(strstr(s, "INSERT INTO account_role (nrk, role) "
                                    "VALUES ('181678', 'operator');"));
    ck_assert_ptr_nonnull(strstr(s, "BEGIN;"));
    ck_assert_ptr_nonnull(strstr(s, "COMMIT;"));
    free(s);
}
END_TEST

/* A name with a quote is written as '' in SQL and as is in COPY. */
START_TEST(quotes_escaped)
{
    pgw_demo_pegawai_t e;
    pgw_demo_t d;
    size_t len;
    char *s;
    long i;

    pgw_demo_init(&d, PGW_DEMO_DEFAULT_SEED);
    for (i = 0; i < SAMPLE; i++) {
        pgw_demo_generate(&d, i, &e);
        if (strchr(e.nama, '\'') != NULL) {
            break;
        }
    }
    ck_assert_int_lt(i, SAMPLE);
    s = script(PGW_DEMO_SQLITE3, PGW_DEMO_DEFAULT_SEED, i + 1, &len);
    ck_assert_ptr_nonnull(strstr(s, "MA''RUF"));
    free(s);
    s = script(PGW_DEMO_PGSQL, PGW_DEMO_DEFAULT_SEED, i + 1, &len);
    ck_assert_ptr_nonnull(strstr(s, "\tMA'RUF"));
    free(s);
}
END_TEST

START_TEST(count_out_of_range)
{
    FILE *f = fopen("/dev/null", "w");

    ck_assert_int_eq(
        pgw_demo_write(f, PGW_DEMO_SQLITE3, 1, -1, "h", fixed_hashes),
        APR_EINVAL);
    ck_assert_int_eq(pgw_demo_write(f, PGW_DEMO_SQLITE3, 1,
                                    PGW_DEMO_MAX_COUNT + 1, "h", fixed_hashes),
                     APR_EINVAL);
    fclose(f);
}
END_TEST

/* The reference data of the migration, read once. */
static char *reference;

static void load_reference(void)
{
    FILE *f = fopen("sql/migrations/0002_reference.sql", "r");
    size_t len = 0;

    ck_assert_msg(f != NULL, "run from the top of the source tree");
    reference = calloc(1, 1 << 20);
    len = fread(reference, 1, (1 << 20) - 1, f);
    ck_assert_uint_gt(len, 0);
    fclose(f);
}

static void free_reference(void)
{
    free(reference);
}

/* kode appears as the first value of a row of the migration. */
static void assert_known(const char *kode, const char *what)
{
    char needle[32];

    if (kode == NULL) {
        return;
    }
    snprintf(needle, sizeof(needle), "('%s',", kode);
    ck_assert_msg(strstr(reference, needle) != NULL,
                  "%s %s is not in 0002_reference.sql", what, kode);
}

START_TEST(codes_in_reference_data)
{
    pgw_demo_pegawai_t e;
    pgw_demo_t d;
    long i;
    int k;

    pgw_demo_init(&d, PGW_DEMO_DEFAULT_SEED);
    for (i = -2; i < SAMPLE; i++) {
        if (i < 0) {
            pgw_demo_manual((int)(i + 2), &e);
        }
        else {
            pgw_demo_generate(&d, i, &e);
        }
        assert_known(e.unit_kerja, "unit_kerja");
        assert_known(e.lokasi_kerja, "unit_kerja");
        assert_known(e.pendidikan_cpns, "ref_pendidikan");
        assert_known(e.golongan, "ref_golongan");
        assert_known(e.eselon, "ref_eselon");
        assert_known(e.agama, "ref_agama");
        assert_known(e.status_pegawai, "ref_status_pegawai");
        assert_known(e.jenis_jabatan, "ref_jenis_jabatan");
        for (k = 0; k < e.n_riwayat; k++) {
            assert_known(e.riwayat[k].lokasi, "unit_kerja");
            assert_known(e.riwayat[k].golongan, "ref_golongan");
            assert_known(e.riwayat[k].eselon, "ref_eselon");
        }
    }
}
END_TEST

static Suite *demo_suite(void)
{
    Suite *s = suite_create("pgw_demo");
    TCase *tc = tcase_create("script");
    TCase *tg = tcase_create("generated");
    TCase *tr = tcase_create("reference");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, same_seed_same_script);
    tcase_add_test(tc, other_seed_other_script);
    tcase_add_test(tc, employee_independent_of_count);
    tcase_add_test(tc, script_roles_and_hashes);
    tcase_add_test(tc, quotes_escaped);
    tcase_add_test(tc, count_out_of_range);
    suite_add_tcase(s, tc);

    tcase_set_timeout(tg, 60);
    tcase_add_test(tg, nip_and_nik_agree);
    tcase_add_test(tg, nip_nik_nrk_unique);
    tcase_add_test(tg, nrk_steps_over_manual);
    tcase_add_test(tg, riwayat_consistent);
    tcase_add_test(tg, manual_181679);
    tcase_add_test(tg, manual_181678);
    suite_add_tcase(s, tg);

    tcase_set_timeout(tr, 60);
    tcase_add_unchecked_fixture(tr, load_reference, free_reference);
    tcase_add_test(tr, codes_in_reference_data);
    suite_add_tcase(s, tr);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    apr_initialize();
    sr = srunner_create(demo_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
