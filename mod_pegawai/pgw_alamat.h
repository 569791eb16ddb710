/* Riwayat Alamat (issue 4): validation and normalisation of the address
 * form (Tambah Data), the nesting of Kemendagri region codes, and the
 * postal codes that plausibly belong to a province.
 *
 * Pure library: no httpd.h. The handler gives pgw_alamat_check() the
 * text of every field as posted and stores the values it returns in the
 * riwayat_alamat columns of the same names (sql/migrations/0004). What
 * needs the database stays with the handler: that each region code
 * exists (the foreign keys) and the lists the selects offer.
 *
 * Canonical forms stored:
 *   tanggal_mulai  ISO date "2017-01-03"
 *   alamat, keterangan  UTF-8 text, trimmed, every run of white space
 *                  (tabs and line breaks too) one space
 *   rt, rw         three digits, zero-padded as the KTP prints them: "005"
 *   provinsi ...   Kemendagri codes with their dots: "31", "31.71",
 *   kelurahan      "31.71.01", "31.71.01.1001"
 *   kode_pos       five digits
 *   ktp_sama       "1" (the KTP address is the residence) or "0"
 */
#ifndef PGW_ALAMAT_H
#define PGW_ALAMAT_H

#include <apr_errno.h>
#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

#include "pgw_validate.h"

/* The fields of the form in the order it shows them: the id, the form
 * field and column name, the label the form prints, whether the field
 * must be filled in, and the longest text accepted as typed, in bytes
 * (also the input's maxlength). The _ktp fields are required only when
 * ktp_sama is not ticked; the KTP does not print a postal code, so
 * kode_pos_ktp is optional. */
#define PGW_ALAMAT_FIELDS(X)                                                   \
    X(TANGGAL_MULAI, tanggal_mulai, "Tanggal Mulai Tinggal", 0, 32)            \
    X(ALAMAT, alamat, "Alamat", 1, 1000)                                       \
    X(RT, rt, "RT", 1, 16)                                                     \
    X(RW, rw, "RW", 1, 16)                                                     \
    X(PROVINSI, provinsi, "Provinsi", 1, 16)                                   \
    X(KOTA, kota, "Kota/Kabupaten", 1, 16)                                     \
    X(KECAMATAN, kecamatan, "Kecamatan", 1, 16)                                \
    X(KELURAHAN, kelurahan, "Kelurahan/Desa", 1, 24)                           \
    X(KODE_POS, kode_pos, "Kode Pos", 1, 16)                                   \
    X(KTP_SAMA, ktp_sama, "Alamat KTP sesuai dengan alamat tempat tinggal", 0, \
      16)                                                                      \
    X(ALAMAT_KTP, alamat_ktp, "Alamat KTP", 1, 1000)                           \
    X(RT_KTP, rt_ktp, "RT (KTP)", 1, 16)                                       \
    X(RW_KTP, rw_ktp, "RW (KTP)", 1, 16)                                       \
    X(PROVINSI_KTP, provinsi_ktp, "Provinsi (KTP)", 1, 16)                     \
    X(KOTA_KTP, kota_ktp, "Kota/Kabupaten (KTP)", 1, 16)                       \
    X(KECAMATAN_KTP, kecamatan_ktp, "Kecamatan (KTP)", 1, 16)                  \
    X(KELURAHAN_KTP, kelurahan_ktp, "Kelurahan/Desa (KTP)", 1, 24)             \
    X(KODE_POS_KTP, kode_pos_ktp, "Kode Pos (KTP)", 0, 16)                     \
    X(KETERANGAN, keterangan, "Keterangan", 0, 1000)

/* name is the riwayat_alamat column. */
typedef pgw_field_t pgw_alamat_field_t;

#define PGW_ALAMAT_FIELD_ID(id, name, label, required, max_input)              \
    PGW_ALAMAT_##id,
typedef enum pgw_alamat_field_id_t {
    PGW_ALAMAT_FIELDS(PGW_ALAMAT_FIELD_ID) PGW_ALAMAT_FIELD_COUNT
} pgw_alamat_field_id_t;
#undef PGW_ALAMAT_FIELD_ID

/* The KTP block: PGW_ALAMAT_ALAMAT + PGW_ALAMAT_KTP_OFFSET is
 * PGW_ALAMAT_ALAMAT_KTP, and so on for the eight address fields. */
#define PGW_ALAMAT_KTP_OFFSET (PGW_ALAMAT_ALAMAT_KTP - PGW_ALAMAT_ALAMAT)

/* Indexed by pgw_alamat_field_id_t. */
extern const pgw_alamat_field_t pgw_alamat_fields[PGW_ALAMAT_FIELD_COUNT];

/* The validators, of the shape of pgw_validate.h: APR_SUCCESS with
 * *value the canonical text (NULL for an optional field left empty), or
 * APR_EINVAL with an Indonesian *errmsg and *value untouched. Each _ktp
 * validator works as its residence twin and names the KTP field in its
 * messages. */

/* dd-mm-yyyy or yyyy-mm-dd (also with / or . between), a real date from
 * 1 January 1900 to today. Left empty it is today (WIB, UTC+7); "today"
 * as a limit is that of WIT (UTC+9), so nowhere in Indonesia is the
 * local date refused as a future one. */
pgw_validate_fn pgw_alamat_validate_tanggal_mulai;

/* 3 to 200 characters of text once trimmed and its white space
 * collapsed, with at least one letter or digit; valid UTF-8 without
 * control characters (C0, DEL, C1) or bidirectional formatting
 * characters (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069:
 * they reorder what is displayed). ZERO WIDTH SPACE and the byte order
 * mark are dropped. */
pgw_validate_fn pgw_alamat_validate_alamat;
pgw_validate_fn pgw_alamat_validate_alamat_ktp;

/* 1 to 3 digits, an "RT"/"RW" typed before them allowed ("RT 5",
 * "rw.03"); stored as three digits. 000 is kept: KTPs of places without
 * RT/RW print it. */
pgw_validate_fn pgw_alamat_validate_rt;
pgw_validate_fn pgw_alamat_validate_rw;
pgw_validate_fn pgw_alamat_validate_rt_ktp;
pgw_validate_fn pgw_alamat_validate_rw_ktp;

/* Region codes as the selects send them, with or without dots: 2, 4, 6
 * or 10 digits, no level 00 (a province from 11 up). Shape only. */
pgw_validate_fn pgw_alamat_validate_provinsi;
pgw_validate_fn pgw_alamat_validate_kota;
pgw_validate_fn pgw_alamat_validate_kecamatan;
pgw_validate_fn pgw_alamat_validate_kelurahan;
pgw_validate_fn pgw_alamat_validate_provinsi_ktp;
pgw_validate_fn pgw_alamat_validate_kota_ktp;
pgw_validate_fn pgw_alamat_validate_kecamatan_ktp;
pgw_validate_fn pgw_alamat_validate_kelurahan_ktp;

/* Five digits, the first not 0 (Indonesian postal codes run from 10110
 * up). */
pgw_validate_fn pgw_alamat_validate_kode_pos;
pgw_validate_fn pgw_alamat_validate_kode_pos_ktp;

/* The checkbox: empty (not ticked) is "0", never NULL; "1", "on" (what
 * a browser sends for a checkbox without a value), "true", "ya" are
 * "1"; "0", "off", "false", "tidak" are "0". */
pgw_validate_fn pgw_alamat_validate_ktp_sama;

/* Up to 200 characters of text, as alamat; optional. */
pgw_validate_fn pgw_alamat_validate_keterangan;

/* tanggal_mulai at a given moment: what pgw_alamat_validate_tanggal_mulai
 * does at apr_time_now(). */
apr_status_t pgw_alamat_tanggal(apr_pool_t *p, const char *raw, apr_time_t now,
                                const char **value, const char **errmsg);

/* The whole form. */
typedef struct pgw_alamat_form_t {
    /* Canonical values, indexed by pgw_alamat_field_id_t; NULL for an
     * optional field left empty or a field in error. With ktp_sama "1"
     * the _ktp values are copies of the residence's, whatever the KTP
     * fields held. */
    const char *values[PGW_ALAMAT_FIELD_COUNT];
    /* An Indonesian message at each wrong field, NULL elsewhere. */
    const char *errors[PGW_ALAMAT_FIELD_COUNT];
    int nerrors;
} pgw_alamat_form_t;

/* Validates raw (the posted text of each field, indexed by
 * pgw_alamat_field_id_t, NULL when absent) at the moment now: every
 * field, then the nesting of each address's regions (the message goes
 * to the first code outside its parent). The handler stores values when
 * nerrors is 0, after the employee confirmed pgw_alamat_crosscheck()'s
 * warnings. */
pgw_alamat_form_t *pgw_alamat_check(apr_pool_t *p, const char *const *raw,
                                    apr_time_t now);

/* Warnings in Indonesian (an array of const char *, empty when none)
 * the employee must confirm: a postal code outside the ranges of the
 * chosen province, for the residence and for the KTP address. values
 * are canonical, as pgw_alamat_check() returns them. */
apr_array_header_t *pgw_alamat_crosscheck(apr_pool_t *p,
                                          const char *const *values);

/* Whether each code given lies inside every code given above it
 * ("31.71.01" inside "31.71" and "31"); NULLs are skipped. APR_SUCCESS,
 * or APR_EINVAL with a static Indonesian *errmsg about the highest code
 * out of place. Codes are canonical (dotted); their shape is the
 * validators' business. */
apr_status_t pgw_wilayah_nested(const char *provinsi, const char *kota,
                                const char *kecamatan, const char *kelurahan,
                                const char **errmsg);

/* Whether a postal code plausibly belongs to a province: 1 when its first
 * two digits fall in the province's ranges, or when the province or the
 * code is not one the table knows (no warning without grounds); 0
 * otherwise. */
int pgw_kodepos_cocok(const char *provinsi, const char *kode_pos);

/* The province's ranges for a message, "10xxx-14xxx" or "15xxx, 42xxx";
 * NULL for a province the table does not know. */
const char *pgw_kodepos_rentang(apr_pool_t *p, const char *provinsi);

#endif
