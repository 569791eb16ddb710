/* Unit tests of pgw_validate.c: every field of the data form with the
 * values of the manual (Gambar 2), typical typing, and typos; the field
 * table; the cross-checks with the NIP. */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_validate.h"

static apr_pool_t *pool;

static void setup(void)
{
    apr_pool_create(&pool, NULL);
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

/* Gambar 2 of the manual, as the form posts it: the selects send the
 * codes ("1 - ISLAM" is option 1), the radio L. The BPJS field holds the
 * word "BPJS", which is no card number. */
START_TEST(manual_values)
{
    ck_stores(pgw_validate_agama, "1", "1");
    ck_stores(pgw_validate_jenis_kelamin, "L", "L");
    ck_stores(pgw_validate_no_taspen, "830705110110180", "830705110110180");
    ck_stores(pgw_validate_nik, "3174090507831001", "3174090507831001");
    ck_stores(pgw_validate_no_kk, "1374091908131016", "1374091908131016");
    ck_stores(pgw_validate_no_rek_bank_dki, "50220242733", "50220242733");
    ck_stores(pgw_validate_npwp, "784024523017000", "784024523017000");
    ck_empty(pgw_validate_no_telp, "");
    ck_stores(pgw_validate_no_hp, "08211332055", "08211332055");
    ck_stores(pgw_validate_pendidikan_cpns, "5313", "5313");
    ck_stores(pgw_validate_no_karpeg, "Q219306", "Q219306");
    ck_refuses(pgw_validate_no_bpjs, "BPJS",
               "No. BPJS Kesehatan harus 13 digit angka");
    ck_stores(pgw_validate_no_karis_karsu, "105610K", "105610K");
    ck_empty(pgw_validate_email, "");
}
END_TEST

/* The manual's note lets four cards stay empty; Telp and Email are
 * optional; the rest is required. */
START_TEST(empty_optional_and_required)
{
    ck_empty(pgw_validate_no_taspen, "");
    ck_empty(pgw_validate_no_karpeg, "   ");
    ck_empty(pgw_validate_no_bpjs, NULL);
    ck_empty(pgw_validate_no_karis_karsu, "\t");
    ck_empty(pgw_validate_no_telp, " \xC2\xA0 ");
    ck_empty(pgw_validate_email, "  ");
    ck_empty(pgw_validate_no_bpjs, "-");
    ck_empty(pgw_validate_no_telp, " - ");
    ck_empty(pgw_validate_no_karpeg, "...");

    ck_refuses(pgw_validate_agama, "", "Agama wajib diisi");
    ck_refuses(pgw_validate_jenis_kelamin, NULL, "Jenis Kelamin wajib diisi");
    ck_refuses(pgw_validate_nik, "  ", "NIK wajib diisi");
    ck_refuses(pgw_validate_no_kk, "", "No. Kartu Keluarga wajib diisi");
    ck_refuses(pgw_validate_no_rek_bank_dki, "",
               "No. Rek Bank DKI wajib diisi");
    ck_refuses(pgw_validate_npwp, "", "NPWP wajib diisi");
    ck_refuses(pgw_validate_npwp, "-", "NPWP wajib diisi");
    ck_refuses(pgw_validate_gol_darah, "", "Gol. Darah wajib diisi");
    ck_refuses(pgw_validate_no_hp, "", "No. HP wajib diisi");
    ck_refuses(pgw_validate_pendidikan_cpns, "",
               "Pendidikan pada waktu diangkat CPNS wajib diisi");
}
END_TEST

START_TEST(field_table)
{
    static const char *const names[] = {
        "agama",   "jenis_kelamin",   "no_taspen",
        "nik",     "no_kk",           "no_rek_bank_dki",
        "npwp",    "gol_darah",       "no_telp",
        "no_hp",   "pendidikan_cpns", "no_karpeg",
        "no_bpjs", "no_karis_karsu",  "email"};
    static const int required[] = {1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0};
    const char *value, *msg;
    int i;

    ck_assert_int_eq(PGW_DATA_FIELD_COUNT, 15);
    for (i = 0; i < PGW_DATA_FIELD_COUNT; i++) {
        const pgw_data_field_t *f = &pgw_data_fields[i];

        ck_assert_str_eq(f->name, names[i]);
        ck_assert_int_eq(f->required, required[i]);
        ck_assert_ptr_nonnull(f->label);
        ck_assert_uint_ge(f->max_input, 8);
        ck_assert_int_eq(f->validate(pool, "", &value, &msg),
                         f->required ? APR_EINVAL : APR_SUCCESS);
    }
    ck_assert_ptr_eq(pgw_data_fields[PGW_DATA_NIK].validate, pgw_validate_nik);
    ck_assert_ptr_eq(pgw_data_fields[PGW_DATA_EMAIL].validate,
                     pgw_validate_email);
    ck_assert_str_eq(pgw_data_fields[PGW_DATA_NO_KK].label,
                     "No. Kartu Keluarga");
}
END_TEST

START_TEST(codes_and_choices)
{
    ck_stores(pgw_validate_agama, " 7 ", "7");
    ck_refuses(pgw_validate_agama, "1 - ISLAM", "Pilih Agama dari daftar");
    ck_refuses(pgw_validate_agama, "123", "Pilih Agama dari daftar");
    ck_refuses(pgw_validate_agama, "x", "Pilih Agama dari daftar");
    ck_stores(pgw_validate_pendidikan_cpns, "0501", "0501");
    refused(pgw_validate_pendidikan_cpns, "531");
    refused(pgw_validate_pendidikan_cpns, "53130");
    refused(pgw_validate_pendidikan_cpns, "5313 - SARMUD");

    ck_stores(pgw_validate_jenis_kelamin, "p", "P");
    ck_stores(pgw_validate_jenis_kelamin, " l", "L");
    ck_refuses(pgw_validate_jenis_kelamin, "W",
               "Jenis kelamin harus L (Laki-laki) atau P (Perempuan)");
    refused(pgw_validate_jenis_kelamin, "LP");
    refused(pgw_validate_jenis_kelamin, "Laki-laki");

    ck_stores(pgw_validate_gol_darah, "o", "O");
    ck_stores(pgw_validate_gol_darah, "A", "A");
    ck_stores(pgw_validate_gol_darah, "b", "B");
    ck_stores(pgw_validate_gol_darah, "Ab", "AB");
    ck_refuses(pgw_validate_gol_darah, "0",
               "Golongan darah harus O, A, B, atau AB");
    refused(pgw_validate_gol_darah, "BA");
    refused(pgw_validate_gol_darah, "A+");
    refused(pgw_validate_gol_darah, "ABO");
}
END_TEST

START_TEST(nik_shapes)
{
    /* A woman born 12-03-1990 in Kebayoran Baru: day 12 + 40. */
    ck_stores(pgw_validate_nik, "3174015203900002", "3174015203900002");
    ck_stores(pgw_validate_nik, "3174 0152 0390 0002", "3174015203900002");
    ck_stores(pgw_validate_nik, "31.74.01.520390.0002", "3174015203900002");
    ck_stores(pgw_validate_nik, "3174-0905-0783-1001", "3174090507831001");
    ck_stores(pgw_validate_nik,
              "\xC2\xA0"
              "3174\xC2\xA0"
              "0905 0783 1001 ",
              "3174090507831001");
    /* Kepulauan Seribu, Papua Barat Daya (2022), Kalimantan Utara. */
    accepted(pgw_validate_nik, "3101014101010001");
    accepted(pgw_validate_nik, "9601014101010001");
    accepted(pgw_validate_nik, "6501014101010001");

    ck_refuses(pgw_validate_nik, "317409050783100", "NIK harus 16 digit angka");
    refused(pgw_validate_nik, "31740905078310011");
    refused(pgw_validate_nik, "3174O90507831001"); /* letter O */
    refused(pgw_validate_nik, "3174/0905/0783/1001");
    ck_refuses(pgw_validate_nik, "3174017203900002",
               "Tanggal lahir pada NIK (digit 7-12) tidak valid"); /* 32 */
    refused(pgw_validate_nik, "3174013203900002");
    refused(pgw_validate_nik, "3174010002900002");
    refused(pgw_validate_nik, "3174090507830000");
    ck_refuses(pgw_validate_nik, "0074090507831001",
               "Kode wilayah pada NIK (digit 1-6) tidak dikenal");
    refused(pgw_validate_nik, "4174090507831001"); /* no province 41 */
    refused(pgw_validate_nik, "9774090507831001");
    refused(pgw_validate_nik, "3100090507831001"); /* regency 00 */
    refused(pgw_validate_nik, "3174000507831001"); /* district 00 */
}
END_TEST

/* Digits that are not ASCII are refused rather than converted: the
 * employee sees the field again and retypes it. */
START_TEST(non_ascii_digits)
{
    refused(pgw_validate_nik, "\xD9\xA3\xD9\xA1\xD9\xA7\xD9\xA4"
                              "\xD9\xA0\xD9\xA9\xD9\xA0\xD9\xA5"
                              "\xD9\xA0\xD9\xA7\xD9\xA8\xD9\xA3"
                              "\xD9\xA1\xD9\xA0\xD9\xA0\xD9\xA1");
    refused(pgw_validate_no_hp, "\xEF\xBC\x90\xEF\xBC\x98"
                                "211332055");              /* full-width 0 8 */
    refused(pgw_validate_no_bpjs, "000123456789\xC2\xB9"); /* superscript */
    refused(pgw_validate_no_rek_bank_dki, "5022024273\xC3\xA9");
    refused(pgw_validate_no_karpeg, "Q21930\xC3\x96");
    refused(pgw_validate_email, "bud\xC3\xAF@jakarta.go.id");
}
END_TEST

/* The limit applies to the text as typed, before cleaning: 41 bytes of
 * an NIK padded with spaces are refused, 40 accepted. */
START_TEST(overlong_input)
{
    char padded[42];

    memset(padded, ' ', 41);
    memcpy(padded, "3174 0905 0783 1001", 19);
    padded[41] = '\0';
    ck_refuses(pgw_validate_nik, padded,
               "NIK terlalu panjang (maksimal 40 karakter)");
    padded[40] = '\0';
    ck_stores(pgw_validate_nik, padded, "3174090507831001");
    memset(padded, '.', 41);
    memcpy(padded, "08211332055", 11);
    padded[41] = '\0';
    ck_refuses(pgw_validate_no_hp, padded,
               "No. HP terlalu panjang (maksimal 40 karakter)");
    ck_refuses(pgw_validate_agama, "00000000000000001",
               "Agama terlalu panjang (maksimal 16 karakter)");
    refused(pgw_validate_no_rek_bank_dki, "5022024273312"); /* 13 */
    ck_stores(pgw_validate_no_rek_bank_dki, "502202427331", "502202427331");
    ck_stores(pgw_validate_no_rek_bank_dki, "7", "7");
    ck_stores(pgw_validate_no_rek_bank_dki, "502.20.24273-3", "50220242733");
    refused(pgw_validate_no_rek_bank_dki, "5022 0242 733 A");
}
END_TEST

START_TEST(no_kk)
{
    ck_stores(pgw_validate_no_kk, "3174 0919 0813 1016", "3174091908131016");
    /* Digits 7-12 are the issue date, not checked: 99-99-99 passes. */
    accepted(pgw_validate_no_kk, "3174099999991016");
    accepted(pgw_validate_no_kk, "3174090000000000");
    ck_refuses(pgw_validate_no_kk, "137409190813101",
               "No. Kartu Keluarga harus 16 digit angka");
    ck_refuses(pgw_validate_no_kk, "0074091908131016",
               "Kode wilayah pada No. Kartu Keluarga (digit 1-6) "
               "tidak dikenal");
    refused(pgw_validate_no_kk, "1000091908131016");
    refused(pgw_validate_no_kk, "9474001908131016");
}
END_TEST

START_TEST(npwp_15)
{
    ck_stores(pgw_validate_npwp, "78.402.452.3-017.000", "784024523017000");
    ck_stores(pgw_validate_npwp, "09.254.294.3-407.000", "092542943407000");
    ck_stores(pgw_validate_npwp, " 31 415 926 0 011 000", "314159260011000");
    ck_stores(pgw_validate_npwp, "012345674407001", "012345674407001");
    /* One digit mistyped, two neighbours swapped: Luhn sees both. */
    ck_refuses(pgw_validate_npwp, "784024524017000",
               "NPWP tidak valid: digit pemeriksa (digit ke-9 NPWP 15 "
               "digit) tidak cocok, periksa kembali angkanya");
    refused(pgw_validate_npwp, "78.402.425.3-017.000");
    refused(pgw_validate_npwp, "74.802.452.3-017.000");
    ck_refuses(pgw_validate_npwp, "00.000.000.0-000.000",
               "NPWP 00.000.000.0-000.000 bukan NPWP yang sah");
    ck_refuses(pgw_validate_npwp, "78.402.452.3-017.00",
               "NPWP harus 15 digit (99.999.999.9-999.999) atau "
               "16 digit angka");
    refused(pgw_validate_npwp, "78/402/452/3/017/000");
    refused(pgw_validate_npwp, "7840245230170000X");
}
END_TEST

START_TEST(npwp_16)
{
    /* An individual: the NIK. */
    ck_stores(pgw_validate_npwp, "3174090507831001", "3174090507831001");
    ck_stores(pgw_validate_npwp, "3174 0152 0390 0002", "3174015203900002");
    /* Anyone else: 0 and the old 15 digits. */
    ck_stores(pgw_validate_npwp, "0784024523017000", "0784024523017000");
    ck_stores(pgw_validate_npwp, "0092.542.943.407.000", "0092542943407000");
    ck_refuses(pgw_validate_npwp, "0784024524017000",
               "NPWP tidak valid: digit pemeriksa (digit ke-9 NPWP 15 "
               "digit) tidak cocok, periksa kembali angkanya");
    ck_refuses(pgw_validate_npwp, "3174097307831001", /* day 33 */
               "NPWP 16 digit harus sama dengan NIK (orang pribadi) atau "
               "0 diikuti NPWP 15 digit");
    refused(pgw_validate_npwp, "9974090507831001");
    refused(pgw_validate_npwp, "1784024523017000");
    refused(pgw_validate_npwp, "0000000000000000");
}
END_TEST

START_TEST(no_hp)
{
    const char *msg = "Nomor HP harus diawali 08 atau +62 8, 10 sampai 13 "
                      "digit";

    ck_stores(pgw_validate_no_hp, "0821-1332-055", "08211332055");
    ck_stores(pgw_validate_no_hp, "+62 821 1332 055", "08211332055");
    ck_stores(pgw_validate_no_hp, "+628211332055", "08211332055");
    ck_stores(pgw_validate_no_hp, "62 821-1332-055", "08211332055");
    ck_stores(pgw_validate_no_hp, "+62 (0)821 1332 055", "08211332055");
    ck_stores(pgw_validate_no_hp, "(0821) 1332.055", "08211332055");
    ck_stores(pgw_validate_no_hp, "0811234567", "0811234567");       /* 10 */
    ck_stores(pgw_validate_no_hp, "0812345678901", "0812345678901"); /* 13 */
    ck_stores(pgw_validate_no_hp, "+62 812 3456 78901", "0812345678901");
    ck_refuses(pgw_validate_no_hp, "081234567", msg);      /* 9 */
    ck_refuses(pgw_validate_no_hp, "08123456789012", msg); /* 14 */
    ck_refuses(pgw_validate_no_hp, "8211332055", msg);
    ck_refuses(pgw_validate_no_hp, "021 3842000", msg);
    ck_refuses(pgw_validate_no_hp, "+62 21 3842000", msg);
    ck_refuses(pgw_validate_no_hp, "+1 415 555 0100", msg);
    ck_refuses(pgw_validate_no_hp, "+6", msg);
    ck_refuses(pgw_validate_no_hp, "0821+1332055", msg);
    ck_refuses(pgw_validate_no_hp, "++628211332055", msg);
    ck_refuses(pgw_validate_no_hp, "0821 1332 055 ext 1", msg);
}
END_TEST

START_TEST(no_telp)
{
    const char *msg = "No. Telp harus diawali kode wilayah (misalnya 021) "
                      "atau +62, 9 sampai 12 digit";

    ck_stores(pgw_validate_no_telp, "021-3842000", "0213842000");
    ck_stores(pgw_validate_no_telp, "(021) 384 2000", "0213842000");
    ck_stores(pgw_validate_no_telp, "+62 21 3842000", "0213842000");
    ck_stores(pgw_validate_no_telp, "+62 (0)21 384-2000", "0213842000");
    ck_stores(pgw_validate_no_telp, "62-21-38422000", "02138422000");
    ck_stores(pgw_validate_no_telp, "(0274) 512345", "0274512345");
    ck_stores(pgw_validate_no_telp, "0361 22345", "036122345"); /* 9 */
    ck_stores(pgw_validate_no_telp, "021 1234 56789", "021123456789");
    ck_refuses(pgw_validate_no_telp, "0211234567890", msg); /* 13 */
    ck_refuses(pgw_validate_no_telp, "02112345", msg);      /* 8 */
    ck_refuses(pgw_validate_no_telp, "3842000", msg);
    ck_refuses(pgw_validate_no_telp, "0123456789", msg);
    ck_refuses(pgw_validate_no_telp, "0021 3842000", msg);
    ck_refuses(pgw_validate_no_telp, "021 384 2000 / 2001", msg);
    ck_refuses(pgw_validate_no_telp, "08211332055",
               "No. Telp untuk telepon rumah atau kantor; nomor HP diisi "
               "pada kolom No. HP");
    refused(pgw_validate_no_telp, "+62 821 1332 055");
}
END_TEST

START_TEST(cards)
{
    ck_stores(pgw_validate_no_taspen, "8307 0511 0110 180", "830705110110180");
    ck_stores(pgw_validate_no_taspen, "123456789012345678",
              "123456789012345678");
    ck_refuses(pgw_validate_no_taspen, "1234567890123456789",
               "No. TASPEN hanya boleh berisi huruf dan angka, paling "
               "banyak 18 karakter");
    ck_stores(pgw_validate_no_karpeg, "q 219306", "Q219306");
    ck_stores(pgw_validate_no_karpeg, "Q.219.306", "Q219306");
    ck_stores(pgw_validate_no_karpeg, "ABCDEFGH12345678", "ABCDEFGH12345678");
    ck_refuses(pgw_validate_no_karpeg, "ABCDEFGH123456789",
               "No. KARPEG hanya boleh berisi huruf dan angka, paling "
               "banyak 16 karakter");
    refused(pgw_validate_no_karpeg, "Q/219306");
    refused(pgw_validate_no_karpeg, "Q_219306");
    refused(pgw_validate_no_karpeg, "()");
    ck_stores(pgw_validate_no_karis_karsu, "105610k", "105610K");
    ck_stores(pgw_validate_no_karis_karsu, "105-610-K", "105610K");
    refused(pgw_validate_no_karis_karsu, "105610K, 105611K");
    refused(pgw_validate_no_karis_karsu, "<b>105610K</b>");

    ck_stores(pgw_validate_no_bpjs, "0001234567890", "0001234567890");
    ck_stores(pgw_validate_no_bpjs, "0001 2345 6789 0", "0001234567890");
    refused(pgw_validate_no_bpjs, "000123456789");
    refused(pgw_validate_no_bpjs, "00012345678901");
}
END_TEST

START_TEST(email_valid)
{
    ck_stores(pgw_validate_email, "Budi.Santoso@Jakarta.GO.ID",
              "budi.santoso@jakarta.go.id");
    ck_stores(pgw_validate_email, " HENDRA83@GMAIL.COM ", "hendra83@gmail.com");
    ck_stores(pgw_validate_email, "siti+kepegawaian@bkd.jakarta.go.id",
              "siti+kepegawaian@bkd.jakarta.go.id");
    ck_stores(pgw_validate_email, "nama_depan-belakang@yahoo.co.id",
              "nama_depan-belakang@yahoo.co.id");
    ck_stores(pgw_validate_email, "info@pusdatin.digital",
              "info@pusdatin.digital");
    ck_stores(pgw_validate_email, "admin@dinas.jakarta", "admin@dinas.jakarta");
    ck_stores(pgw_validate_email, "a@b.info", "a@b.info");
    ck_stores(pgw_validate_email, "o'neil@mail-1.example.com",
              "o'neil@mail-1.example.com");
    accepted(pgw_validate_email, "x@xn--p1ai.xn--p1ai");
}
END_TEST

START_TEST(email_invalid)
{
    const char *msg = "Email tidak valid, contoh yang benar: "
                      "nama@jakarta.go.id";

    ck_refuses(pgw_validate_email, "budi", msg);
    ck_refuses(pgw_validate_email, "budi@", msg);
    ck_refuses(pgw_validate_email, "@jakarta.go.id", msg);
    ck_refuses(pgw_validate_email, "budi@localhost", msg);
    ck_refuses(pgw_validate_email, "budi@jakarta.go.i", msg);
    ck_refuses(pgw_validate_email, "budi@jakarta.123", msg);
    ck_refuses(pgw_validate_email, "budi@192.168.1.1", msg);
    ck_refuses(pgw_validate_email, "budi@[192.168.1.1]", msg);
    ck_refuses(pgw_validate_email, "budi..s@jakarta.go.id", msg);
    ck_refuses(pgw_validate_email, ".budi@jakarta.go.id", msg);
    ck_refuses(pgw_validate_email, "budi.@jakarta.go.id", msg);
    ck_refuses(pgw_validate_email, "budi@-jakarta.go.id", msg);
    ck_refuses(pgw_validate_email, "budi@jakarta-.go.id", msg);
    ck_refuses(pgw_validate_email, "budi@jakarta..go.id", msg);
    ck_refuses(pgw_validate_email, "budi@.jakarta.go.id", msg);
    ck_refuses(pgw_validate_email, "budi@jakarta.go.id.", msg);
    ck_refuses(pgw_validate_email, "budi s@jakarta.go.id", msg);
    ck_refuses(pgw_validate_email, "budi@@jakarta.go.id", msg);
    ck_refuses(pgw_validate_email, "budi@jakarta@go.id", msg);
    ck_refuses(pgw_validate_email, "\"budi s\"@jakarta.go.id", msg);
    ck_refuses(pgw_validate_email, "budi@jakarta_go.id", msg);
    ck_refuses(pgw_validate_email, "Budi <budi@jakarta.go.id>", msg);
}
END_TEST

/* RFC 5321 section 4.5.3.1: 64 bytes of local part, 254 in all. */
START_TEST(email_lengths)
{
    char local[66], label[64], addr[300];

    memset(local, 'a', 65);
    local[65] = '\0';
    memset(label, 'b', 63);
    label[63] = '\0';
    refused(pgw_validate_email, apr_pstrcat(pool, local, "@x.id", NULL));
    local[64] = '\0';
    accepted(pgw_validate_email, apr_pstrcat(pool, local, "@x.id", NULL));
    accepted(pgw_validate_email, apr_pstrcat(pool, "a@", label, ".id", NULL));
    refused(pgw_validate_email,
            apr_pstrcat(pool, "a@", label, "b.id", NULL)); /* label 64 */

    /* 64 + 1 + 63 + 1 + 63 + 1 + 58 + 3 = 254, then 255. */
    strcpy(addr, apr_pstrcat(pool, local, "@", label, ".", label, ".", NULL));
    memset(addr + strlen(addr), 'c', 58);
    strcpy(addr + 64 + 1 + 63 + 1 + 63 + 1 + 58, ".id");
    ck_assert_uint_eq(strlen(addr), 254);
    accepted(pgw_validate_email, addr);
    strcpy(addr + 64 + 1 + 63 + 1 + 63 + 1 + 58, "c.id");
    ck_refuses(pgw_validate_email, addr,
               "Email terlalu panjang (maksimal 254 karakter)");
}
END_TEST

static int warnings_are(apr_array_header_t *w, int n)
{
    return w != NULL && w->nelts == n;
}

static const char *warning(apr_array_header_t *w, int i)
{
    return APR_ARRAY_IDX(w, i, const char *);
}

#define NIP_MAN   "198307052011011018" /* 05-07-1983, man */
#define NIP_WOMAN "199003122015032001" /* 12-03-1990, woman */

START_TEST(crosscheck_nik_nip)
{
    apr_array_header_t *w;

    w = pgw_crosscheck_nik_nip(pool, "3174090507831001", NIP_MAN);
    ck_assert(warnings_are(w, 0));
    w = pgw_crosscheck_nik_nip(pool, "3174015203900002", NIP_WOMAN);
    ck_assert(warnings_are(w, 0));

    /* A woman who wrote her day without the 40. */
    w = pgw_crosscheck_nik_nip(pool, "3174011203900002", NIP_WOMAN);
    ck_assert(warnings_are(w, 1));
    ck_assert_str_eq(warning(w, 0),
                     "Jenis kelamin pada NIK (laki-laki) tidak sama dengan "
                     "NIP (perempuan); pada NIK perempuan, tanggal lahir "
                     "ditambah 40");

    /* Month and day swapped. */
    w = pgw_crosscheck_nik_nip(pool, "3174090705831001", NIP_MAN);
    ck_assert(warnings_are(w, 1));
    ck_assert_str_eq(warning(w, 0),
                     "Tanggal lahir pada NIK (07-05-83) tidak sama dengan "
                     "tanggal lahir pada NIP (05-07-1983)");

    /* Another year, and a woman's NIK for a man's NIP. */
    w = pgw_crosscheck_nik_nip(pool, "3174094507841001", NIP_MAN);
    ck_assert(warnings_are(w, 2));

    ck_assert(warnings_are(pgw_crosscheck_nik_nip(pool, NULL, NIP_MAN), 0));
    ck_assert(warnings_are(
        pgw_crosscheck_nik_nip(pool, "3174090507831001", NULL), 0));
    ck_assert(warnings_are(pgw_crosscheck_nik_nip(pool, "123", NIP_MAN), 0));
    ck_assert(warnings_are(
        pgw_crosscheck_nik_nip(pool, "3174090507831001", "1983"), 0));
}
END_TEST

START_TEST(crosscheck_npwp_nik)
{
    const char *nik = "3174090507831001";
    apr_array_header_t *w;

    ck_assert(warnings_are(pgw_crosscheck_npwp_nik(pool, nik, nik), 0));
    ck_assert(
        warnings_are(pgw_crosscheck_npwp_nik(pool, "784024523017000", nik), 0));
    ck_assert(warnings_are(
        pgw_crosscheck_npwp_nik(pool, "0784024523017000", nik), 0));
    ck_assert(warnings_are(pgw_crosscheck_npwp_nik(pool, NULL, nik), 0));

    w = pgw_crosscheck_npwp_nik(pool, "3174015203900002", nik);
    ck_assert(warnings_are(w, 1));
    ck_assert_ptr_nonnull(strstr(warning(w, 0), "NPWP 16 digit orang pribadi "
                                                "sama dengan NIK"));
}
END_TEST

START_TEST(crosscheck_data)
{
    const char *values[PGW_DATA_FIELD_COUNT] = {NULL};
    apr_array_header_t *w;

    values[PGW_DATA_NIK] = "3174090507831001";
    values[PGW_DATA_NPWP] = "3174090507831001";
    values[PGW_DATA_JENIS_KELAMIN] = "L";
    ck_assert(warnings_are(pgw_crosscheck_data(pool, values, NIP_MAN), 0));

    w = pgw_crosscheck_jenis_kelamin_nip(pool, "P", NIP_MAN);
    ck_assert(warnings_are(w, 1));
    ck_assert_str_eq(warning(w, 0), "Jenis kelamin yang dipilih (perempuan) "
                                    "tidak sama dengan NIP (laki-laki)");

    /* Every check at once: a woman's NIK of another date, its NPWP
     * another person's, Perempuan chosen, all for a man's NIP. */
    values[PGW_DATA_NIK] = "3174094507841001";
    values[PGW_DATA_NPWP] = "3174015203900002";
    values[PGW_DATA_JENIS_KELAMIN] = "P";
    ck_assert(warnings_are(pgw_crosscheck_data(pool, values, NIP_MAN), 4));

    values[PGW_DATA_NIK] = NULL;
    values[PGW_DATA_JENIS_KELAMIN] = NULL;
    ck_assert(warnings_are(pgw_crosscheck_data(pool, values, NIP_MAN), 0));
}
END_TEST

static Suite *validate_suite(void)
{
    Suite *s = suite_create("pgw_validate");
    TCase *tf = tcase_create("fields");
    TCase *tn = tcase_create("numbers");
    TCase *tp = tcase_create("phones");
    TCase *te = tcase_create("email");
    TCase *tc = tcase_create("crosscheck");

    tcase_add_checked_fixture(tf, setup, teardown);
    tcase_add_test(tf, manual_values);
    tcase_add_test(tf, empty_optional_and_required);
    tcase_add_test(tf, field_table);
    tcase_add_test(tf, codes_and_choices);
    tcase_add_test(tf, non_ascii_digits);
    tcase_add_test(tf, overlong_input);
    suite_add_tcase(s, tf);

    tcase_add_checked_fixture(tn, setup, teardown);
    tcase_add_test(tn, nik_shapes);
    tcase_add_test(tn, no_kk);
    tcase_add_test(tn, npwp_15);
    tcase_add_test(tn, npwp_16);
    tcase_add_test(tn, cards);
    suite_add_tcase(s, tn);

    tcase_add_checked_fixture(tp, setup, teardown);
    tcase_add_test(tp, no_hp);
    tcase_add_test(tp, no_telp);
    suite_add_tcase(s, tp);

    tcase_add_checked_fixture(te, setup, teardown);
    tcase_add_test(te, email_valid);
    tcase_add_test(te, email_invalid);
    tcase_add_test(te, email_lengths);
    suite_add_tcase(s, te);

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, crosscheck_nik_nip);
    tcase_add_test(tc, crosscheck_npwp_nik);
    tcase_add_test(tc, crosscheck_data);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    apr_initialize();
    sr = srunner_create(validate_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
