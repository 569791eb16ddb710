/* Unit tests of pgw_alamat.c: every field of the Riwayat Alamat form, the
 * form as a whole (the KTP checkbox, the nesting of regions), and the
 * postal code ranges by province. */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_alamat.h"

static apr_pool_t *pool;

/* 3 December 2026, 20:00 UTC: already 4 December in WIB (03:00) and in
 * WIT (05:00). */
static apr_time_t now;

static void setup(void)
{
    apr_time_exp_t t = {0};

    apr_pool_create(&pool, NULL);
    t.tm_year = 126;
    t.tm_mon = 11;
    t.tm_mday = 3;
    t.tm_hour = 20;
    apr_time_exp_gmt_get(&now, &t);
}

static void teardown(void)
{
    apr_pool_destroy(pool);
}

/* The value fn stores for raw, which must be accepted; checks that the
 * stored value is accepted again unchanged (normalising is idempotent). */
static const char *accepted(pgw_validate_fn *fn, const char *raw)
{
    const char *value = "unset", *again = "unset", *msg = NULL;
    apr_status_t rv = fn(pool, raw, &value, &msg);

    ck_assert_msg(rv == APR_SUCCESS, "refused \"%s\": %s", raw, msg);
    if (value != NULL) {
        rv = fn(pool, value, &again, &msg);
        ck_assert_msg(rv == APR_SUCCESS && strcmp(again, value) == 0,
                      "\"%s\" stored as \"%s\", not stable", raw, value);
    }
    return value;
}

/* The message fn gives for raw, which must be refused without touching
 * the output. */
static const char *refused(pgw_validate_fn *fn, const char *raw)
{
    const char *value = "unset", *msg = NULL;
    apr_status_t rv = fn(pool, raw, &value, &msg);

    ck_assert_msg(rv == APR_EINVAL, "accepted \"%s\" as \"%s\"", raw, value);
    ck_assert_str_eq(value, "unset");
    ck_assert_ptr_nonnull(msg);
    return msg;
}

#define ck_stores(fn, raw, want) ck_assert_str_eq(accepted(fn, raw), want)
#define ck_empty(fn, raw)        ck_assert_ptr_null(accepted(fn, raw))
#define ck_refuses(fn, raw, msg) ck_assert_str_eq(refused(fn, raw), msg)
#define ck_refused(fn, raw)      refused(fn, raw)

/* tanggal_mulai at the fixed moment above. */
static const char *tanggal(const char *raw, apr_status_t want)
{
    const char *value = "unset", *msg = "unset";
    apr_status_t rv = pgw_alamat_tanggal(pool, raw, now, &value, &msg);

    ck_assert_msg(rv == want, "\"%s\": %s / %s", raw, value, msg);
    return rv == APR_SUCCESS ? value : msg;
}

START_TEST(field_table)
{
    static const char *const names[] = {
        "tanggal_mulai", "alamat",       "rt",         "rw",
        "provinsi",      "kota",         "kecamatan",  "kelurahan",
        "kode_pos",      "ktp_sama",     "alamat_ktp", "rt_ktp",
        "rw_ktp",        "provinsi_ktp", "kota_ktp",   "kecamatan_ktp",
        "kelurahan_ktp", "kode_pos_ktp", "keterangan"};
    static const int required[] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 0,
                                   1, 1, 1, 1, 1, 1, 1, 0, 0};
    int i;

    ck_assert_int_eq(PGW_ALAMAT_FIELD_COUNT, 19);
    for (i = 0; i < PGW_ALAMAT_FIELD_COUNT; i++) {
        const pgw_alamat_field_t *f = &pgw_alamat_fields[i];

        ck_assert_str_eq(f->name, names[i]);
        ck_assert_int_eq(f->required, required[i]);
        ck_assert_ptr_nonnull(f->label);
        ck_assert_ptr_nonnull(f->validate);
        ck_assert_uint_ge(f->max_input, 16);
    }
    for (i = PGW_ALAMAT_ALAMAT; i <= PGW_ALAMAT_KODE_POS; i++) {
        char *twin = apr_pstrcat(pool, names[i], "_ktp", NULL);

        ck_assert_str_eq(pgw_alamat_fields[i + PGW_ALAMAT_KTP_OFFSET].name,
                         twin);
    }
    ck_assert_ptr_eq(pgw_alamat_fields[PGW_ALAMAT_RT_KTP].validate,
                     pgw_alamat_validate_rt_ktp);
}
END_TEST

START_TEST(tanggal_mulai)
{
    ck_assert_str_eq(tanggal("03-01-2017", APR_SUCCESS), "2017-01-03");
    ck_assert_str_eq(tanggal("2017-01-03", APR_SUCCESS), "2017-01-03");
    ck_assert_str_eq(tanggal(" 3/1/2017 ", APR_SUCCESS), "2017-01-03");
    ck_assert_str_eq(tanggal("3.1.2017", APR_SUCCESS), "2017-01-03");
    ck_assert_str_eq(tanggal("2017/1/3", APR_SUCCESS), "2017-01-03");
    ck_assert_str_eq(tanggal("29-02-2024", APR_SUCCESS), "2024-02-29");
    ck_assert_str_eq(tanggal("01-01-1900", APR_SUCCESS), "1900-01-01");

    /* Empty: today in WIB; the limit is today in WIT. */
    ck_assert_str_eq(tanggal("", APR_SUCCESS), "2026-12-04");
    ck_assert_str_eq(tanggal(NULL, APR_SUCCESS), "2026-12-04");
    ck_assert_str_eq(tanggal(" - ", APR_SUCCESS), "2026-12-04");
    ck_assert_str_eq(tanggal("04-12-2026", APR_SUCCESS), "2026-12-04");
    ck_assert_str_eq(tanggal("05-12-2026", APR_EINVAL),
                     "Tanggal Mulai Tinggal tidak boleh setelah hari ini");
    ck_assert_str_eq(tanggal("31-12-1899", APR_EINVAL),
                     "Tanggal Mulai Tinggal tidak boleh sebelum tahun 1900");
    ck_assert_str_eq(tanggal("29-02-2023", APR_EINVAL),
                     "Tanggal Mulai Tinggal bukan tanggal yang ada");
    ck_assert_str_eq(tanggal("31-04-2020", APR_EINVAL),
                     "Tanggal Mulai Tinggal bukan tanggal yang ada");
    ck_assert_str_eq(tanggal("00-01-2020", APR_EINVAL),
                     "Tanggal Mulai Tinggal bukan tanggal yang ada");

    ck_assert_str_eq(tanggal("03-01-17", APR_EINVAL),
                     "Tanggal Mulai Tinggal harus tanggal dd-mm-yyyy");
    tanggal("03-01/2017", APR_EINVAL);
    tanggal("2017-01-03-", APR_EINVAL);
    tanggal("20170103", APR_EINVAL);
    tanggal("003-01-2017", APR_EINVAL);
    tanggal("03-001-2017", APR_EINVAL);
    tanggal("3 Januari 2017", APR_EINVAL);
    tanggal("99999-01-01", APR_EINVAL);
    tanggal("03-01-2017T00", APR_EINVAL);

    /* The validator of the table works at the real clock. */
    ck_stores(pgw_alamat_validate_tanggal_mulai, "03-01-2017", "2017-01-03");
    ck_assert_ptr_nonnull(accepted(pgw_alamat_validate_tanggal_mulai, ""));
}
END_TEST

START_TEST(alamat_text)
{
    char *long_text = apr_palloc(pool, 202);

    ck_stores(pgw_alamat_validate_alamat, "Jl. Medan Merdeka Selatan No. 8-9",
              "Jl. Medan Merdeka Selatan No. 8-9");
    ck_stores(pgw_alamat_validate_alamat, "  Jl.  Kebon\tSirih\r\n No. 1  ",
              "Jl. Kebon Sirih No. 1");
    ck_stores(pgw_alamat_validate_alamat, "Gg.\xC2\xA0Mawar\xE2\x80\xA8No. 2",
              "Gg. Mawar No. 2");
    /* Zero-width space and BOM vanish; letters of any script stay. */
    ck_stores(pgw_alamat_validate_alamat, "\xEF\xBB\xBFJl. Ma\xE2\x80\x8Bwar",
              "Jl. Mawar");
    ck_stores(pgw_alamat_validate_alamat, "Jl. Cik Di Tiro \xC3\xA9",
              "Jl. Cik Di Tiro \xC3\xA9");
    ck_stores(pgw_alamat_validate_alamat, "\xE5\xA4\xA7\xE8\xA1\x97 1",
              "\xE5\xA4\xA7\xE8\xA1\x97 1");
    ck_stores(pgw_alamat_validate_alamat, "<b>&", "<b>&");
    ck_stores(pgw_alamat_validate_alamat, "A 1", "A 1");

    ck_refuses(pgw_alamat_validate_alamat, "", "Alamat wajib diisi");
    ck_refuses(pgw_alamat_validate_alamat, " - ", "Alamat wajib diisi");
    ck_refuses(pgw_alamat_validate_alamat, "A1",
               "Alamat harus 3 sampai 200 "
               "karakter");
    ck_refuses(pgw_alamat_validate_alamat, "***",
               "Alamat harus berisi huruf atau angka");
    ck_refuses(pgw_alamat_validate_alamat,
               "\xE2\x80\x94\xE2\x80\x94\xE2\x80\x94",
               "Alamat harus berisi huruf atau angka");
    ck_refused(pgw_alamat_validate_alamat, "Jl. Mawar\x01");
    ck_refused(pgw_alamat_validate_alamat, "Jl. Mawar\x7F");
    ck_refused(pgw_alamat_validate_alamat, "Jl. Mawar \xC2\x9B");
    ck_refused(pgw_alamat_validate_alamat, "Jl. \xE2\x80\xAEMawar");
    ck_refused(pgw_alamat_validate_alamat, "Jl. \xE2\x81\xA6Mawar");
    ck_refused(pgw_alamat_validate_alamat, "Jl. Mawar \xC3");
    ck_refused(pgw_alamat_validate_alamat, "Jl. Mawar \xC0\xAF");
    ck_refused(pgw_alamat_validate_alamat, "Jl. Mawar \xED\xA0\x80");

    /* 200 characters, not bytes. */
    memset(long_text, 'a', 200);
    long_text[200] = '\0';
    ck_stores(pgw_alamat_validate_alamat, long_text, long_text);
    long_text[200] = 'a';
    long_text[201] = '\0';
    ck_refuses(pgw_alamat_validate_alamat, long_text,
               "Alamat harus 3 sampai 200 karakter");
    {
        char *e = apr_palloc(pool, 401);
        int i;

        for (i = 0; i < 200; i++) {
            memcpy(e + 2 * i, "\xC3\xA9", 2);
        }
        e[400] = '\0';
        ck_stores(pgw_alamat_validate_alamat, e, e);
    }
    ck_refuses(pgw_alamat_validate_alamat,
               apr_pstrcat(pool, long_text, long_text, long_text, long_text,
                           long_text, NULL),
               "Alamat terlalu panjang (maksimal 1000 karakter)");

    ck_stores(pgw_alamat_validate_alamat_ktp, "Jl.  Mawar", "Jl. Mawar");
    ck_refuses(pgw_alamat_validate_alamat_ktp, "", "Alamat KTP wajib diisi");

    ck_empty(pgw_alamat_validate_keterangan, "");
    ck_empty(pgw_alamat_validate_keterangan, "-");
    ck_stores(pgw_alamat_validate_keterangan, " Ikut   suami ", "Ikut suami");
    ck_stores(pgw_alamat_validate_keterangan, "x", "x");
    ck_refuses(pgw_alamat_validate_keterangan, long_text,
               "Keterangan harus 1 sampai 200 karakter");
}
END_TEST

START_TEST(rt_rw)
{
    ck_stores(pgw_alamat_validate_rt, "5", "005");
    ck_stores(pgw_alamat_validate_rt, "05", "005");
    ck_stores(pgw_alamat_validate_rt, "005", "005");
    ck_stores(pgw_alamat_validate_rt, "123", "123");
    ck_stores(pgw_alamat_validate_rt, " RT 7 ", "007");
    ck_stores(pgw_alamat_validate_rt, "rt.07", "007");
    ck_stores(pgw_alamat_validate_rt, "Rt:7", "007");
    ck_stores(pgw_alamat_validate_rt, "0", "000");
    ck_stores(pgw_alamat_validate_rw, "RW 03", "003");
    ck_stores(pgw_alamat_validate_rw_ktp, "11", "011");
    ck_stores(pgw_alamat_validate_rt_ktp, "RT 1", "001");

    ck_refuses(pgw_alamat_validate_rt, "", "RT wajib diisi");
    ck_refuses(pgw_alamat_validate_rw, "-", "RW wajib diisi");
    ck_refuses(pgw_alamat_validate_rt, "1234",
               "RT harus 1 sampai 3 digit angka");
    ck_refuses(pgw_alamat_validate_rt, "RW 5",
               "RT harus 1 sampai 3 digit angka");
    ck_refuses(pgw_alamat_validate_rw_ktp, "5a",
               "RW (KTP) harus 1 sampai 3 digit angka");
    ck_refused(pgw_alamat_validate_rt, "RT");
    ck_refused(pgw_alamat_validate_rt, "005/003");
    ck_refused(pgw_alamat_validate_rt, "-5");
    ck_refused(pgw_alamat_validate_rt, "\xD9\xA5");
}
END_TEST

START_TEST(region_codes)
{
    ck_stores(pgw_alamat_validate_provinsi, "31", "31");
    ck_stores(pgw_alamat_validate_kota, "31.71", "31.71");
    ck_stores(pgw_alamat_validate_kota, "3171", "31.71");
    ck_stores(pgw_alamat_validate_kecamatan, "31.71.01", "31.71.01");
    ck_stores(pgw_alamat_validate_kecamatan, "317101", "31.71.01");
    ck_stores(pgw_alamat_validate_kelurahan, "31.71.01.1001", "31.71.01.1001");
    ck_stores(pgw_alamat_validate_kelurahan, "3171011001", "31.71.01.1001");
    ck_stores(pgw_alamat_validate_kelurahan_ktp, "32.01.01.2001",
              "32.01.01.2001");
    ck_stores(pgw_alamat_validate_provinsi_ktp, "96", "96");
    ck_stores(pgw_alamat_validate_kota, "31.01", "31.01");

    ck_refuses(pgw_alamat_validate_provinsi, "", "Provinsi wajib diisi");
    ck_refuses(pgw_alamat_validate_provinsi, "3", "Pilih Provinsi dari daftar");
    ck_refuses(pgw_alamat_validate_provinsi, "00",
               "Pilih Provinsi dari daftar");
    ck_refuses(pgw_alamat_validate_provinsi, "10",
               "Pilih Provinsi dari daftar");
    ck_refuses(pgw_alamat_validate_kota, "31.00",
               "Pilih Kota/Kabupaten dari daftar");
    ck_refuses(pgw_alamat_validate_kota, "31.7",
               "Pilih Kota/Kabupaten dari daftar");
    ck_refuses(pgw_alamat_validate_kota, "31.71.01",
               "Pilih Kota/Kabupaten dari daftar");
    ck_refuses(pgw_alamat_validate_kecamatan, "31.71.00",
               "Pilih Kecamatan dari daftar");
    ck_refuses(pgw_alamat_validate_kelurahan, "31.71.01.0000",
               "Pilih Kelurahan/Desa dari daftar");
    ck_refuses(pgw_alamat_validate_kelurahan_ktp, "31.71.01.10011",
               "Pilih Kelurahan/Desa (KTP) dari daftar");
    ck_refused(pgw_alamat_validate_kecamatan, "31-71-01");
    ck_refused(pgw_alamat_validate_kecamatan, "Gambir");
    ck_refused(pgw_alamat_validate_provinsi, "3 1");
}
END_TEST

START_TEST(kode_pos_and_checkbox)
{
    ck_stores(pgw_alamat_validate_kode_pos, "10110", "10110");
    ck_stores(pgw_alamat_validate_kode_pos, " 12950 ", "12950");
    ck_stores(pgw_alamat_validate_kode_pos_ktp, "99910", "99910");
    ck_empty(pgw_alamat_validate_kode_pos_ktp, "");
    ck_refuses(pgw_alamat_validate_kode_pos, "", "Kode Pos wajib diisi");
    ck_refuses(pgw_alamat_validate_kode_pos, "1011",
               "Kode Pos harus 5 digit angka");
    ck_refuses(pgw_alamat_validate_kode_pos, "10 110",
               "Kode Pos harus 5 digit angka");
    ck_refuses(pgw_alamat_validate_kode_pos, "01234",
               "Kode Pos di Indonesia tidak diawali angka 0");
    ck_refuses(pgw_alamat_validate_kode_pos_ktp, "ABCDE",
               "Kode Pos (KTP) harus 5 digit angka");

    ck_stores(pgw_alamat_validate_ktp_sama, "", "0");
    ck_stores(pgw_alamat_validate_ktp_sama, NULL, "0");
    ck_stores(pgw_alamat_validate_ktp_sama, "on", "1");
    ck_stores(pgw_alamat_validate_ktp_sama, "1", "1");
    ck_stores(pgw_alamat_validate_ktp_sama, "Ya", "1");
    ck_stores(pgw_alamat_validate_ktp_sama, "0", "0");
    ck_stores(pgw_alamat_validate_ktp_sama, "off", "0");
    ck_refused(pgw_alamat_validate_ktp_sama, "2");
}
END_TEST

START_TEST(wilayah_nested)
{
    const char *msg = NULL;

    ck_assert_int_eq(
        pgw_wilayah_nested("31", "31.71", "31.71.01", "31.71.01.1001", &msg),
        APR_SUCCESS);
    ck_assert_int_eq(pgw_wilayah_nested("31", NULL, NULL, NULL, &msg),
                     APR_SUCCESS);
    ck_assert_int_eq(pgw_wilayah_nested(NULL, NULL, NULL, NULL, &msg),
                     APR_SUCCESS);
    ck_assert_int_eq(pgw_wilayah_nested("31", "31.71", NULL, NULL, &msg),
                     APR_SUCCESS);

    ck_assert_int_eq(
        pgw_wilayah_nested("32", "31.71", "31.71.01", "31.71.01.1001", &msg),
        APR_EINVAL);
    ck_assert_str_eq(msg, "Kota/kabupaten tidak termasuk provinsi yang "
                          "dipilih");
    ck_assert_int_eq(pgw_wilayah_nested("31", "31.71", "31.72.01", NULL, &msg),
                     APR_EINVAL);
    ck_assert_str_eq(msg, "Kecamatan tidak termasuk kota/kabupaten yang "
                          "dipilih");
    ck_assert_int_eq(
        pgw_wilayah_nested("31", "31.71", "31.71.01", "31.71.02.1001", &msg),
        APR_EINVAL);
    ck_assert_str_eq(msg, "Kelurahan/desa tidak termasuk kecamatan yang "
                          "dipilih");
    /* A level left out: the code is checked against the ones above. */
    ck_assert_int_eq(pgw_wilayah_nested("31", NULL, "32.01.01", NULL, &msg),
                     APR_EINVAL);
    ck_assert_int_eq(
        pgw_wilayah_nested("31", NULL, NULL, "31.71.01.1001", &msg),
        APR_SUCCESS);
    /* A prefix alone is not nesting: 31.7 is no parent of 31.71. */
    ck_assert_int_eq(pgw_wilayah_nested("3", "31.71", NULL, NULL, &msg),
                     APR_EINVAL);
    ck_assert_int_eq(pgw_wilayah_nested("31.7", "31.71", NULL, NULL, &msg),
                     APR_EINVAL);
}
END_TEST

START_TEST(kodepos_by_province)
{
    ck_assert(pgw_kodepos_cocok("31", "10110"));
    ck_assert(pgw_kodepos_cocok("31", "14540"));
    ck_assert(!pgw_kodepos_cocok("31", "15111"));
    ck_assert(!pgw_kodepos_cocok("31", "40111"));
    ck_assert(pgw_kodepos_cocok("36", "15111"));
    ck_assert(pgw_kodepos_cocok("36", "42111"));
    ck_assert(!pgw_kodepos_cocok("36", "10110"));
    ck_assert(pgw_kodepos_cocok("32", "16111"));
    ck_assert(pgw_kodepos_cocok("32", "17111"));
    ck_assert(pgw_kodepos_cocok("32", "40111"));
    ck_assert(pgw_kodepos_cocok("32", "46111"));
    ck_assert(!pgw_kodepos_cocok("32", "42111"));
    ck_assert(pgw_kodepos_cocok("34", "55281"));
    ck_assert(!pgw_kodepos_cocok("33", "55281"));
    ck_assert(pgw_kodepos_cocok("35", "60111"));
    ck_assert(pgw_kodepos_cocok("65", "77111"));
    ck_assert(pgw_kodepos_cocok("94", "99910"));
    ck_assert(!pgw_kodepos_cocok("51", "10110"));

    /* No grounds, no warning. */
    ck_assert(pgw_kodepos_cocok("99", "10110"));
    ck_assert(pgw_kodepos_cocok(NULL, "10110"));
    ck_assert(pgw_kodepos_cocok("31", NULL));
    ck_assert(pgw_kodepos_cocok("31", "1011"));

    ck_assert_str_eq(pgw_kodepos_rentang(pool, "31"), "10xxx-14xxx");
    ck_assert_str_eq(pgw_kodepos_rentang(pool, "36"), "15xxx, 42xxx");
    ck_assert_str_eq(pgw_kodepos_rentang(pool, "32"),
                     "16xxx-17xxx, 40xxx-41xxx, 43xxx-46xxx");
    ck_assert_ptr_null(pgw_kodepos_rentang(pool, "99"));
}
END_TEST

/* The posted form of a Jakarta address. */
static const char **jakarta_form(void)
{
    const char **raw =
        apr_pcalloc(pool, PGW_ALAMAT_FIELD_COUNT * sizeof(const char *));

    raw[PGW_ALAMAT_TANGGAL_MULAI] = "03-01-2017";
    raw[PGW_ALAMAT_ALAMAT] = "Jl. Tanah Abang I  No. 7";
    raw[PGW_ALAMAT_RT] = "5";
    raw[PGW_ALAMAT_RW] = "02";
    raw[PGW_ALAMAT_PROVINSI] = "31";
    raw[PGW_ALAMAT_KOTA] = "31.71";
    raw[PGW_ALAMAT_KECAMATAN] = "31.71.01";
    raw[PGW_ALAMAT_KELURAHAN] = "31.71.01.1003";
    raw[PGW_ALAMAT_KODE_POS] = "10160";
    return raw;
}

START_TEST(form_ktp_same)
{
    const char **raw = jakarta_form();
    pgw_alamat_form_t *form;
    int id;

    raw[PGW_ALAMAT_KTP_SAMA] = "on";
    /* Left in the hidden KTP block: ignored. */
    raw[PGW_ALAMAT_ALAMAT_KTP] = "\x01";
    raw[PGW_ALAMAT_KOTA_KTP] = "99.99";
    form = pgw_alamat_check(pool, raw, now);
    ck_assert_int_eq(form->nerrors, 0);
    ck_assert_str_eq(form->values[PGW_ALAMAT_TANGGAL_MULAI], "2017-01-03");
    ck_assert_str_eq(form->values[PGW_ALAMAT_ALAMAT],
                     "Jl. Tanah Abang I No. 7");
    ck_assert_str_eq(form->values[PGW_ALAMAT_RT], "005");
    ck_assert_str_eq(form->values[PGW_ALAMAT_KTP_SAMA], "1");
    for (id = PGW_ALAMAT_ALAMAT; id <= PGW_ALAMAT_KODE_POS; id++) {
        ck_assert_str_eq(form->values[id + PGW_ALAMAT_KTP_OFFSET],
                         form->values[id]);
        ck_assert_ptr_null(form->errors[id + PGW_ALAMAT_KTP_OFFSET]);
    }
    ck_assert_ptr_null(form->values[PGW_ALAMAT_KETERANGAN]);
    ck_assert_int_eq(pgw_alamat_crosscheck(pool, form->values)->nelts, 0);
}
END_TEST

START_TEST(form_ktp_different)
{
    const char **raw = jakarta_form();
    pgw_alamat_form_t *form;

    form = pgw_alamat_check(pool, raw, now);
    ck_assert_str_eq(form->values[PGW_ALAMAT_KTP_SAMA], "0");
    ck_assert_int_eq(form->nerrors, 7);
    ck_assert_str_eq(form->errors[PGW_ALAMAT_ALAMAT_KTP],
                     "Alamat KTP wajib diisi");
    ck_assert_str_eq(form->errors[PGW_ALAMAT_KELURAHAN_KTP],
                     "Kelurahan/Desa (KTP) wajib diisi");
    ck_assert_ptr_null(form->errors[PGW_ALAMAT_KODE_POS_KTP]);

    raw[PGW_ALAMAT_ALAMAT_KTP] = "Kp. Rawa No. 3";
    raw[PGW_ALAMAT_RT_KTP] = "1";
    raw[PGW_ALAMAT_RW_KTP] = "4";
    raw[PGW_ALAMAT_PROVINSI_KTP] = "32";
    raw[PGW_ALAMAT_KOTA_KTP] = "32.16";
    raw[PGW_ALAMAT_KECAMATAN_KTP] = "32.16.01";
    raw[PGW_ALAMAT_KELURAHAN_KTP] = "32.16.01.2001";
    raw[PGW_ALAMAT_KODE_POS_KTP] = "17530";
    raw[PGW_ALAMAT_KETERANGAN] = "Mutasi";
    form = pgw_alamat_check(pool, raw, now);
    ck_assert_int_eq(form->nerrors, 0);
    ck_assert_str_eq(form->values[PGW_ALAMAT_RW_KTP], "004");
    ck_assert_str_eq(form->values[PGW_ALAMAT_KOTA_KTP], "32.16");
    ck_assert_str_eq(form->values[PGW_ALAMAT_KETERANGAN], "Mutasi");
    ck_assert_int_eq(pgw_alamat_crosscheck(pool, form->values)->nelts, 0);

    /* A postal code of another province: one warning per address. */
    raw[PGW_ALAMAT_KODE_POS] = "40111";
    raw[PGW_ALAMAT_KODE_POS_KTP] = "10110";
    form = pgw_alamat_check(pool, raw, now);
    ck_assert_int_eq(form->nerrors, 0);
    {
        apr_array_header_t *w = pgw_alamat_crosscheck(pool, form->values);

        ck_assert_int_eq(w->nelts, 2);
        ck_assert_str_eq(APR_ARRAY_IDX(w, 0, const char *),
                         "Kode pos tempat tinggal 40111 tidak lazim untuk "
                         "provinsi yang dipilih (kode pos di provinsi itu "
                         "biasanya 10xxx-14xxx). Periksa kembali; bila "
                         "sudah benar, konfirmasi.");
        ck_assert_ptr_nonnull(
            strstr(APR_ARRAY_IDX(w, 1, const char *), "KTP 10110"));
    }
}
END_TEST

START_TEST(form_nesting)
{
    const char **raw = jakarta_form();
    pgw_alamat_form_t *form;

    raw[PGW_ALAMAT_KTP_SAMA] = "1";
    raw[PGW_ALAMAT_KECAMATAN] = "31.72.01";
    raw[PGW_ALAMAT_KELURAHAN] = "31.72.01.1001";
    form = pgw_alamat_check(pool, raw, now);
    ck_assert_int_eq(form->nerrors, 1);
    ck_assert_str_eq(form->errors[PGW_ALAMAT_KECAMATAN],
                     "Kecamatan tidak termasuk kota/kabupaten yang dipilih");
    ck_assert_ptr_null(form->values[PGW_ALAMAT_KECAMATAN]);
    ck_assert_ptr_null(form->values[PGW_ALAMAT_KECAMATAN_KTP]);

    /* Below a code in error nothing is reported as out of place: the
     * employee chooses again from there down. */
    raw[PGW_ALAMAT_KECAMATAN] = "xx";
    form = pgw_alamat_check(pool, raw, now);
    ck_assert_int_eq(form->nerrors, 1);
    ck_assert_str_eq(form->errors[PGW_ALAMAT_KECAMATAN],
                     "Pilih Kecamatan dari daftar");
    ck_assert_ptr_null(form->errors[PGW_ALAMAT_KELURAHAN]);

    raw = jakarta_form();
    raw[PGW_ALAMAT_ALAMAT_KTP] = "Kp. Rawa";
    raw[PGW_ALAMAT_RT_KTP] = "1";
    raw[PGW_ALAMAT_RW_KTP] = "1";
    raw[PGW_ALAMAT_PROVINSI_KTP] = "31";
    raw[PGW_ALAMAT_KOTA_KTP] = "32.16";
    raw[PGW_ALAMAT_KECAMATAN_KTP] = "32.16.01";
    raw[PGW_ALAMAT_KELURAHAN_KTP] = "32.16.01.2001";
    form = pgw_alamat_check(pool, raw, now);
    ck_assert_int_eq(form->nerrors, 1);
    ck_assert_str_eq(form->errors[PGW_ALAMAT_KOTA_KTP],
                     "Kota/kabupaten tidak termasuk provinsi yang dipilih");
}
END_TEST

START_TEST(form_all_absent)
{
    const char *raw[PGW_ALAMAT_FIELD_COUNT] = {NULL};
    pgw_alamat_form_t *form = pgw_alamat_check(pool, raw, now);
    int id, n = 0;

    for (id = 0; id < PGW_ALAMAT_FIELD_COUNT; id++) {
        n += form->errors[id] != NULL;
    }
    ck_assert_int_eq(form->nerrors, n);
    /* Eight residence fields and seven of the KTP block. */
    ck_assert_int_eq(n, 15);
    ck_assert_str_eq(form->values[PGW_ALAMAT_TANGGAL_MULAI], "2026-12-04");
    ck_assert_str_eq(form->values[PGW_ALAMAT_KTP_SAMA], "0");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("alamat");
    TCase *tf = tcase_create("fields");
    TCase *tw = tcase_create("wilayah");
    TCase *tform = tcase_create("form");
    SRunner *sr;
    int failed;

    apr_initialize();
    tcase_add_checked_fixture(tf, setup, teardown);
    tcase_add_test(tf, field_table);
    tcase_add_test(tf, tanggal_mulai);
    tcase_add_test(tf, alamat_text);
    tcase_add_test(tf, rt_rw);
    tcase_add_test(tf, region_codes);
    tcase_add_test(tf, kode_pos_and_checkbox);
    suite_add_tcase(s, tf);

    tcase_add_checked_fixture(tw, setup, teardown);
    tcase_add_test(tw, wilayah_nested);
    tcase_add_test(tw, kodepos_by_province);
    suite_add_tcase(s, tw);

    tcase_add_checked_fixture(tform, setup, teardown);
    tcase_add_test(tform, form_ktp_same);
    tcase_add_test(tform, form_ktp_different);
    tcase_add_test(tform, form_nesting);
    tcase_add_test(tform, form_all_absent);
    suite_add_tcase(s, tform);

    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
