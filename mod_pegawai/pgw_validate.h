/* Validation and normalisation of the employee data form (Form Isi Data
 * Pegawai, PRODUCT.md "The data, with the formats it must accept"), and
 * the cross-checks that catch typos between its fields and the NIP.
 *
 * Pure library: no httpd.h. The handler loops over pgw_data_fields[],
 * hands each validator the text typed in the form and stores what comes
 * back; the reference codes (agama, pendidikan) are checked here for
 * their shape only, their existence is the database's business.
 *
 * Canonical forms stored:
 *   numbers (NIK, KK, NPWP, rekening, BPJS)  digits only, punctuation gone
 *   No. HP      national form 08..., 10 to 13 digits (+62 8... and 62 8...
 *               become 08...)
 *   No. Telp    national form 0 + area code + number, 9 to 12 digits
 *   identifiers (TASPEN, KARPEG, Kartu Suami/Istri)  upper-case A-Z 0-9
 *   codes       digits as the select sent them; L/P; O/A/B/AB
 *   Email       lower-case
 */
#ifndef PGW_VALIDATE_H
#define PGW_VALIDATE_H

#include <apr_errno.h>
#include <apr_pools.h>
#include <apr_tables.h>

/* APR_SUCCESS with *value the normalised text (on p), or NULL for an
 * optional field left empty; or APR_EINVAL with *errmsg an Indonesian
 * sentence for the employee saying what the field expects (on p or
 * static), *value untouched. raw is the text as typed; NULL, white
 * space, and a dash or dots alone (the paper form's "tidak ada") are an
 * empty field. */
typedef apr_status_t pgw_validate_fn(apr_pool_t *p, const char *raw,
                                     const char **value, const char **errmsg);

/* The fields of the form in the order it shows them: the id, the form
 * field and column name, the label as the form prints it, whether the
 * field is required (the manual lets KARPEG, BPJS, TASPEN and Kartu
 * Suami/Istri stay empty; No. Telp and Email are optional too), and the
 * longest text accepted as typed, in bytes (room for punctuation; also
 * the input's maxlength). */
#define PGW_DATA_FIELDS(X)                                                     \
    X(AGAMA, agama, "Agama", 1, 16)                                            \
    X(JENIS_KELAMIN, jenis_kelamin, "Jenis Kelamin", 1, 8)                     \
    X(NO_TASPEN, no_taspen, "No. TASPEN", 0, 40)                               \
    X(NIK, nik, "NIK", 1, 40)                                                  \
    X(NO_KK, no_kk, "No. Kartu Keluarga", 1, 40)                               \
    X(NO_REK_BANK_DKI, no_rek_bank_dki, "No. Rek Bank DKI", 1, 40)             \
    X(NPWP, npwp, "NPWP", 1, 40)                                               \
    X(GOL_DARAH, gol_darah, "Gol. Darah", 1, 8)                                \
    X(NO_TELP, no_telp, "No. Telp", 0, 40)                                     \
    X(NO_HP, no_hp, "No. HP", 1, 40)                                           \
    X(PENDIDIKAN_CPNS, pendidikan_cpns, "Pendidikan pada waktu diangkat CPNS", \
      1, 16)                                                                   \
    X(NO_KARPEG, no_karpeg, "No. KARPEG", 0, 40)                               \
    X(NO_BPJS, no_bpjs, "No. BPJS Kesehatan", 0, 40)                           \
    X(NO_KARIS_KARSU, no_karis_karsu, "No. Kartu Suami/Istri", 0, 40)          \
    X(EMAIL, email, "Email", 0, 300)

/* A field of a form (this one, Riwayat Alamat's): the tables of both are
 * made of these, and pgw_field_validate() reads them. */
typedef struct pgw_field_t {
    const char *name;  /* form field and database column */
    const char *label; /* as the form shows it, and the messages */
    int required;
    apr_size_t max_input;
    pgw_validate_fn *validate;
} pgw_field_t;

/* name is the pegawai column. */
typedef pgw_field_t pgw_data_field_t;

#define PGW_DATA_FIELD_ID(id, name, label, required, max_input) PGW_DATA_##id,
typedef enum pgw_data_field_id_t {
    PGW_DATA_FIELDS(PGW_DATA_FIELD_ID) PGW_DATA_FIELD_COUNT
} pgw_data_field_id_t;
#undef PGW_DATA_FIELD_ID

/* Indexed by pgw_data_field_id_t. */
extern const pgw_data_field_t pgw_data_fields[PGW_DATA_FIELD_COUNT];

/* The frame every validator of a form shares. pgw_field_validate()
 * refuses raw (NULL is "") longer than f->max_input with "<label>
 * terlalu panjang (maksimal N karakter)", trims it with pgw_trim(); an
 * empty text by pgw_means_empty() is "<label> wajib diisi" when f is
 * required, else APR_SUCCESS with *value NULL; any other text goes to
 * check, trimmed and non-empty, which answers as a pgw_validate_fn. */
typedef apr_status_t pgw_field_check_fn(apr_pool_t *p, const pgw_field_t *f,
                                        const char *s, const char **value,
                                        const char **errmsg);

apr_status_t pgw_field_validate(apr_pool_t *p, const pgw_field_t *f,
                                const char *raw, pgw_field_check_fn *check,
                                const char **value, const char **errmsg);

/* A copy of s (on p) without the white space at both ends: ASCII blanks
 * and U+00A0 NO-BREAK SPACE. */
char *pgw_trim(apr_pool_t *p, const char *s);

/* True when s (trimmed already) is empty, or dashes, dots and spaces
 * alone. */
int pgw_means_empty(const char *s);

/* True when s is min to max ASCII digits and nothing else. */
int pgw_digits_between(const char *s, apr_size_t min, apr_size_t max);

/* Select values: digits only (1 or 2 for agama, 4 for pendidikan). */
pgw_validate_fn pgw_validate_agama;
pgw_validate_fn pgw_validate_pendidikan_cpns;

/* L or P; O, A, B or AB; either case typed, upper-case stored. */
pgw_validate_fn pgw_validate_jenis_kelamin;
pgw_validate_fn pgw_validate_gol_darah;

/* 16 digits, pgw_nik_parse() rules, and a known province code with a
 * regency and a district that are not 00. */
pgw_validate_fn pgw_validate_nik;

/* 16 digits beginning with a district code as above; the issue date in
 * digits 7-12 is not checked. */
pgw_validate_fn pgw_validate_no_kk;

/* 1 to 12 digits (the manual's account has 11). */
pgw_validate_fn pgw_validate_no_rek_bank_dki;

/* 15 digits whose 9th is the Luhn check digit of the first 8, or 16
 * digits: an NIK (an individual) or 0 + a valid 15-digit NPWP. */
pgw_validate_fn pgw_validate_npwp;

/* Landline with area code: 0 + 8 to 11 digits not starting with 8, or
 * +62 / 62 instead of the 0. */
pgw_validate_fn pgw_validate_no_telp;

/* Mobile: 08 + 8 to 11 digits, or +62 8 / 62 8 instead of 08. */
pgw_validate_fn pgw_validate_no_hp;

/* 13 digits. */
pgw_validate_fn pgw_validate_no_bpjs;

/* Letters and digits, at most 18 / 16 / 16 once spaces, dots and dashes
 * are gone. */
pgw_validate_fn pgw_validate_no_taspen;
pgw_validate_fn pgw_validate_no_karpeg;
pgw_validate_fn pgw_validate_no_karis_karsu;

/* Dot-atom local part (RFC 5322 section 3.2.3) of at most 64 bytes, a
 * domain of at least two LDH labels (RFC 1035 section 2.3.1) ending in
 * an alphabetic top-level domain of 2 or more letters, at most 254 bytes
 * in all (RFC 5321 section 4.5.3.1). No quoted local parts, address
 * literals or non-ASCII. */
pgw_validate_fn pgw_validate_email;

/* Cross-checks (PRODUCT.md "Cross-checks that catch typos"). They take
 * normalised values, return an array of const char * warnings in
 * Indonesian (empty when all agree, or when a value is NULL or does not
 * parse: the validators report that), which the employee must confirm
 * before the values are stored. */

/* The NIK's birth date (DDMMYY) and gender (day + 40) against the
 * NIP's. */
apr_array_header_t *pgw_crosscheck_nik_nip(apr_pool_t *p, const char *nik,
                                           const char *nip);

/* An individual's 16-digit NPWP (one not starting with 0) is their
 * NIK. */
apr_array_header_t *pgw_crosscheck_npwp_nik(apr_pool_t *p, const char *npwp,
                                            const char *nik);

/* The jenis kelamin chosen in the form against the NIP's gender digit. */
apr_array_header_t *pgw_crosscheck_jenis_kelamin_nip(apr_pool_t *p,
                                                     const char *jenis_kelamin,
                                                     const char *nip);

/* All of the above on the form's normalised values (indexed by
 * pgw_data_field_id_t) and the employee's NIP. */
apr_array_header_t *
pgw_crosscheck_data(apr_pool_t *p, const char *const *values, const char *nip);

#endif
