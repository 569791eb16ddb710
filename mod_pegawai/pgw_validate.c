/* The employee data form's validators (PRODUCT.md, "The data, with the
 * formats it must accept"). Each validator cleans the typed text the
 * way people write the number on paper (spaces, dots, dashes, phone
 * parentheses), checks the shape the field must have, and returns the
 * one canonical form that is stored. Messages are Indonesian: they are
 * shown next to the field.
 */
#include <string.h>

#include <apr_strings.h>

#include "pgw_nip.h"
#include "pgw_validate.h"

#define PGW_DATA_FIELD_ROW(id, name, label, required, max_input)               \
    {#name, label, required, max_input, pgw_validate_##name},
const pgw_data_field_t pgw_data_fields[PGW_DATA_FIELD_COUNT] = {
    PGW_DATA_FIELDS(PGW_DATA_FIELD_ROW)};
#undef PGW_DATA_FIELD_ROW

/* ------------------------------------------------------------------ */
/* Characters                                                          */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char to_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static char to_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Bytes of the white space at s: ASCII blanks, or U+00A0 NO-BREAK
 * SPACE (C2 A0), which a number copied from a chat or a word processor
 * often carries. 0 when s does not start with white space. */
static apr_size_t space_len(const char *s)
{
    if (*s == ' ' || (*s >= '\t' && *s <= '\r')) {
        return 1;
    }
    if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) {
        return 2;
    }
    return 0;
}

/* Arabic-Indic or full-width digits are not digits here: the database
 * keeps ASCII. */
int pgw_digits_between(const char *s, apr_size_t min, apr_size_t max)
{
    apr_size_t n = 0;

    while (is_digit(s[n])) {
        n++;
    }
    return s[n] == '\0' && n >= min && n <= max;
}

/* ------------------------------------------------------------------ */
/* Cleaning                                                            */

char *pgw_trim(apr_pool_t *p, const char *s)
{
    apr_size_t n, len, last = 0;

    while ((n = space_len(s)) > 0) {
        s += n;
    }
    for (len = 0; s[len] != '\0'; len += n) {
        n = space_len(s + len);
        if (n == 0) {
            n = 1;
            last = len + 1;
        }
    }
    return apr_pstrmemdup(p, s, last);
}

/* A copy of s without white space and without the characters in
 * drop: how people group the digits of a number ("3174 0905 0783
 * 1001", "78.402.452.3-017.000", "(021) 384-2000"). */
static char *compact(apr_pool_t *p, const char *s, const char *drop)
{
    char *out = apr_palloc(p, strlen(s) + 1);
    apr_size_t i = 0, n;

    while (*s != '\0') {
        if ((n = space_len(s)) > 0) {
            s += n;
            continue;
        }
        if (strchr(drop, *s) == NULL) {
            out[i++] = *s;
        }
        s++;
    }
    out[i] = '\0';
    return out;
}

#define NUMBER_SEPARATORS ".-"
#define PHONE_SEPARATORS  ".-()"

/* ------------------------------------------------------------------ */
/* The frame of every field, in this form and in Riwayat Alamat's      */

/* A dash (or dots) alone is how Indonesian paper forms say "tidak ada":
 * the field is empty, not a malformed entry. */
int pgw_means_empty(const char *s)
{
    return s[strspn(s, "-. ")] == '\0';
}

/* The steps every field shares: a bound on what is read at all, outer
 * white space, and the empty field, which is an error only when the
 * field is required. */
apr_status_t pgw_field_validate(apr_pool_t *p, const pgw_field_t *f,
                                const char *raw, pgw_field_check_fn *check,
                                const char **value, const char **errmsg)
{
    const char *s;

    if (raw == NULL) {
        raw = "";
    }
    if (strlen(raw) > f->max_input) {
        *errmsg = apr_psprintf(p, "%s terlalu panjang (maksimal %d karakter)",
                               f->label, (int)f->max_input);
        return APR_EINVAL;
    }
    s = pgw_trim(p, raw);
    if (!pgw_means_empty(s)) {
        return check(p, f, s, value, errmsg);
    }
    if (f->required) {
        *errmsg = apr_psprintf(p, "%s wajib diisi", f->label);
        return APR_EINVAL;
    }
    *value = NULL;
    return APR_SUCCESS;
}

/* pgw_field_validate() for a field of this form. */
static apr_status_t validate(apr_pool_t *p, pgw_data_field_id_t id,
                             const char *raw, pgw_field_check_fn *check,
                             const char **value, const char **errmsg)
{
    return pgw_field_validate(p, &pgw_data_fields[id], raw, check, value,
                              errmsg);
}

/* ------------------------------------------------------------------ */
/* Codes and choices                                                   */

/* Select values are codes of ref_agama and ref_pendidikan; a value of
 * another shape comes from a tampered or stale form, not from a typo. */
static apr_status_t check_code(apr_pool_t *p, const pgw_data_field_t *f,
                               const char *s, apr_size_t min, apr_size_t max,
                               const char **value, const char **errmsg)
{
    if (!pgw_digits_between(s, min, max)) {
        *errmsg = apr_psprintf(p, "Pilih %s dari daftar", f->label);
        return APR_EINVAL;
    }
    *value = s;
    return APR_SUCCESS;
}

static apr_status_t check_agama(apr_pool_t *p, const pgw_data_field_t *f,
                                const char *s, const char **value,
                                const char **errmsg)
{
    return check_code(p, f, s, 1, 2, value, errmsg);
}

/* ref_pendidikan codes are 4 digits: level and major ("5313"). */
static apr_status_t check_pendidikan(apr_pool_t *p, const pgw_data_field_t *f,
                                     const char *s, const char **value,
                                     const char **errmsg)
{
    return check_code(p, f, s, 4, 4, value, errmsg);
}

static apr_status_t check_jenis_kelamin(apr_pool_t *p,
                                        const pgw_data_field_t *f,
                                        const char *s, const char **value,
                                        const char **errmsg)
{
    char c = to_upper(s[0]);

    if ((c != 'L' && c != 'P') || s[1] != '\0') {
        *errmsg = "Jenis kelamin harus L (Laki-laki) atau P (Perempuan)";
        return APR_EINVAL;
    }
    *value = c == 'L' ? "L" : "P";
    return APR_SUCCESS;
}

static apr_status_t check_gol_darah(apr_pool_t *p, const pgw_data_field_t *f,
                                    const char *s, const char **value,
                                    const char **errmsg)
{
    static const char *const groups[] = {"O", "A", "B", "AB"};
    char up[3] = {0};
    int i;

    if (strlen(s) <= 2) {
        up[0] = to_upper(s[0]);
        up[1] = to_upper(s[1]);
    }
    for (i = 0; i < 4; i++) {
        if (strcmp(up, groups[i]) == 0) {
            *value = groups[i];
            return APR_SUCCESS;
        }
    }
    *errmsg = "Golongan darah harus O, A, B, atau AB";
    return APR_EINVAL;
}

/* ------------------------------------------------------------------ */
/* NIK and No. KK                                                      */

/* Kemendagri province codes: the 34 of Permendagri 72/2019 with 65
 * (Kalimantan Utara) and the four Papuan provinces of 2022 (93 to 96).
 * TODO: a province created later needs its code added here. */
static int province_known(const char *s)
{
    static const char provinces[] = "11121314151617181921313233343536"
                                    "51525361626364657172737475768182"
                                    "919293949596";
    const char *q;

    for (q = provinces; *q != '\0'; q += 2) {
        if (q[0] == s[0] && q[1] == s[1]) {
            return 1;
        }
    }
    return 0;
}

/* The 6-digit district (kecamatan) code that opens an NIK and a KK:
 * province, regency and district, none of which is ever 00. */
static int district_code_valid(const char *s)
{
    return province_known(s) && !(s[2] == '0' && s[3] == '0')
           && !(s[4] == '0' && s[5] == '0');
}

static apr_status_t check_nik(apr_pool_t *p, const pgw_data_field_t *f,
                              const char *s, const char **value,
                              const char **errmsg)
{
    const char *nik = compact(p, s, NUMBER_SEPARATORS);
    pgw_nik_t parsed;
    apr_status_t rv;

    rv = pgw_nik_parse(nik, &parsed, errmsg);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (!district_code_valid(nik)) {
        *errmsg = "Kode wilayah pada NIK (digit 1-6) tidak dikenal";
        return APR_EINVAL;
    }
    *value = nik;
    return APR_SUCCESS;
}

/* The KK's digits 7-12 are its issue date, which nothing here can
 * confirm; only the shape and the district are checked. */
static apr_status_t check_no_kk(apr_pool_t *p, const pgw_data_field_t *f,
                                const char *s, const char **value,
                                const char **errmsg)
{
    const char *kk = compact(p, s, NUMBER_SEPARATORS);

    if (!pgw_digits_between(kk, 16, 16)) {
        *errmsg = "No. Kartu Keluarga harus 16 digit angka";
        return APR_EINVAL;
    }
    if (!district_code_valid(kk)) {
        *errmsg = "Kode wilayah pada No. Kartu Keluarga (digit 1-6) "
                  "tidak dikenal";
        return APR_EINVAL;
    }
    *value = kk;
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* NPWP                                                                */

/* Luhn (ISO/IEC 7812-1, annex B): the n digits at s, the last being the
 * check digit, when every second digit from the right one before it is
 * doubled (less 9 above 9), add up to a multiple of 10. */
static int luhn_valid(const char *s, int n)
{
    int i, sum = 0;

    for (i = 0; i < n; i++) {
        int v = s[n - 1 - i] - '0';

        if (i % 2 == 1) {
            v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

/* The 15-digit NPWP 99.999.999.9-999.999: taxpayer serial (8), check
 * digit (1), tax office (3), branch status (3). PRODUCT.md's "a Luhn
 * check digit over its first 9 digits" read as "digit 9 makes digits
 * 1-9 Luhn-valid" is what the manual's 784024523017000 satisfies (the
 * other reading, digit 10 checking digits 1-9, refuses it). An all-zero
 * serial is the placeholder forms use for "no NPWP". */
static apr_status_t check_npwp15(const char *s, const char **errmsg)
{
    if (strncmp(s, "000000000", 9) == 0) {
        *errmsg = "NPWP 00.000.000.0-000.000 bukan NPWP yang sah";
        return APR_EINVAL;
    }
    if (!luhn_valid(s, 9)) {
        *errmsg = "NPWP tidak valid: digit pemeriksa (digit ke-9 NPWP 15 "
                  "digit) tidak cocok, periksa kembali angkanya";
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

/* Since 1 July 2024 (PMK 112/2022): an individual's NPWP is their NIK,
 * anyone else's is 0 followed by the old 15 digits. An NIK never starts
 * with 0 (no province code does), so the first digit tells them apart. */
static apr_status_t check_npwp16(const char *s, const char **errmsg)
{
    pgw_nik_t nik;
    const char *ignored;

    if (s[0] == '0') {
        return check_npwp15(s + 1, errmsg);
    }
    if (pgw_nik_parse(s, &nik, &ignored) != APR_SUCCESS
        || !district_code_valid(s)) {
        *errmsg = "NPWP 16 digit harus sama dengan NIK (orang pribadi) atau "
                  "0 diikuti NPWP 15 digit";
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

static apr_status_t check_npwp(apr_pool_t *p, const pgw_data_field_t *f,
                               const char *s, const char **value,
                               const char **errmsg)
{
    const char *npwp = compact(p, s, NUMBER_SEPARATORS);
    apr_status_t rv;

    if (!pgw_digits_between(npwp, 15, 16)) {
        *errmsg = "NPWP harus 15 digit (99.999.999.9-999.999) atau "
                  "16 digit angka";
        return APR_EINVAL;
    }
    rv = npwp[15] == '\0' ? check_npwp15(npwp, errmsg)
                          : check_npwp16(npwp, errmsg);
    if (rv == APR_SUCCESS) {
        *value = npwp;
    }
    return rv;
}

/* ------------------------------------------------------------------ */
/* Plain numbers and free identifiers                                  */

static apr_status_t check_no_rek(apr_pool_t *p, const pgw_data_field_t *f,
                                 const char *s, const char **value,
                                 const char **errmsg)
{
    const char *rek = compact(p, s, NUMBER_SEPARATORS);

    if (!pgw_digits_between(rek, 1, 12)) {
        *errmsg = "No. Rek Bank DKI harus berupa angka, paling banyak "
                  "12 digit";
        return APR_EINVAL;
    }
    *value = rek;
    return APR_SUCCESS;
}

static apr_status_t check_no_bpjs(apr_pool_t *p, const pgw_data_field_t *f,
                                  const char *s, const char **value,
                                  const char **errmsg)
{
    const char *bpjs = compact(p, s, NUMBER_SEPARATORS);

    if (!pgw_digits_between(bpjs, 13, 13)) {
        *errmsg = "No. BPJS Kesehatan harus 13 digit angka";
        return APR_EINVAL;
    }
    *value = bpjs;
    return APR_SUCCESS;
}

/* Card numbers whose issuers publish no format: letters and digits
 * ("Q219306", "105610K"), upper-cased so that one card is one value. */
static apr_status_t check_identifier(apr_pool_t *p, const pgw_data_field_t *f,
                                     const char *s, apr_size_t max,
                                     const char **value, const char **errmsg)
{
    char *id = compact(p, s, NUMBER_SEPARATORS);
    apr_size_t i;

    for (i = 0; id[i] != '\0'; i++) {
        if (!is_digit(id[i]) && !is_alpha(id[i])) {
            break;
        }
        id[i] = to_upper(id[i]);
    }
    if (id[i] != '\0' || i < 1 || i > max) {
        *errmsg = apr_psprintf(p,
                               "%s hanya boleh berisi huruf dan angka, "
                               "paling banyak %d karakter",
                               f->label, (int)max);
        return APR_EINVAL;
    }
    *value = id;
    return APR_SUCCESS;
}

static apr_status_t check_taspen(apr_pool_t *p, const pgw_data_field_t *f,
                                 const char *s, const char **value,
                                 const char **errmsg)
{
    return check_identifier(p, f, s, 18, value, errmsg);
}

static apr_status_t check_card16(apr_pool_t *p, const pgw_data_field_t *f,
                                 const char *s, const char **value,
                                 const char **errmsg)
{
    return check_identifier(p, f, s, 16, value, errmsg);
}

/* ------------------------------------------------------------------ */
/* Telephone numbers                                                   */

/* The subscriber number after the trunk prefix 0 or the country code
 * 62 (ITU-T E.164 country code of Indonesia), or NULL when s starts
 * with neither. "+62 (0)21 ..." writes both, so a 0 after 62 is
 * skipped: no Indonesian number starts with 0 after the prefix. */
static const char *national_number(const char *s)
{
    if (s[0] == '0') {
        return s + 1;
    }
    if (s[0] == '+') {
        s++;
    }
    if (s[0] != '6' || s[1] != '2') {
        return NULL;
    }
    s += 2;
    return s[0] == '0' ? s + 1 : s;
}

/* Mobile numbers are 08 + 8 to 11 digits nationally: 8 + 8 to 11 after
 * the prefix. Stored as 08... (the form the manual, the demo data and
 * the employee write); +62 replaces the 0 to make E.164. */
static apr_status_t check_no_hp(apr_pool_t *p, const pgw_data_field_t *f,
                                const char *s, const char **value,
                                const char **errmsg)
{
    const char *n = national_number(compact(p, s, PHONE_SEPARATORS));

    if (n == NULL || n[0] != '8' || !pgw_digits_between(n, 9, 12)) {
        *errmsg = "Nomor HP harus diawali 08 atau +62 8, 10 sampai 13 digit";
        return APR_EINVAL;
    }
    *value = apr_pstrcat(p, "0", n, NULL);
    return APR_SUCCESS;
}

/* Landlines: 0, an area code of 2 or 3 digits (21 Jakarta), the
 * subscriber number; 9 to 12 digits in all. Area codes never start
 * with 0, 1 (service numbers) or 8 (mobile), and the employee who puts
 * the HP number here is told where it belongs. */
static apr_status_t check_no_telp(apr_pool_t *p, const pgw_data_field_t *f,
                                  const char *s, const char **value,
                                  const char **errmsg)
{
    const char *n = national_number(compact(p, s, PHONE_SEPARATORS));

    if (n != NULL && n[0] == '8') {
        *errmsg = "No. Telp untuk telepon rumah atau kantor; nomor HP diisi "
                  "pada kolom No. HP";
        return APR_EINVAL;
    }
    if (n == NULL || n[0] < '2' || !pgw_digits_between(n, 8, 11)) {
        *errmsg = "No. Telp harus diawali kode wilayah (misalnya 021) atau "
                  "+62, 9 sampai 12 digit";
        return APR_EINVAL;
    }
    *value = apr_pstrcat(p, "0", n, NULL);
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* Email                                                               */

/* atext of RFC 5322 section 3.2.3, the characters of a dot-atom. */
static int is_atext(char c)
{
    return is_digit(c) || is_alpha(c)
           || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* A dot-atom of at most 64 bytes (RFC 5321 section 4.5.3.1.1): no dot
 * at either end, none doubled. */
static int email_local_valid(const char *s, apr_size_t len)
{
    apr_size_t i;

    if (len < 1 || len > 64 || s[0] == '.' || s[len - 1] == '.') {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (s[i] == '.' ? s[i + 1] == '.' : !is_atext(s[i])) {
            return 0;
        }
    }
    return 1;
}

/* An LDH label (RFC 1035 section 2.3.1, RFC 1123 section 2.1): 1 to 63
 * letters, digits and hyphens, no hyphen at either end. */
static int email_label_valid(const char *s, apr_size_t len)
{
    apr_size_t i;

    if (len < 1 || len > 63 || s[0] == '-' || s[len - 1] == '-') {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (!is_digit(s[i]) && !is_alpha(s[i]) && s[i] != '-') {
            return 0;
        }
    }
    return 1;
}

/* Top-level domains are alphabetic (RFC 3696 section 2): "id", "com",
 * "digital", "jakarta"; IDN ones appear in their xn-- form. */
static int email_tld_valid(const char *s, apr_size_t len)
{
    apr_size_t i;

    if (len > 4 && strncmp(s, "xn--", 4) == 0) {
        return 1;
    }
    for (i = 0; i < len; i++) {
        if (!is_alpha(s[i])) {
            return 0;
        }
    }
    return len >= 2;
}

/* Two or more labels, the last a top-level domain. */
static int email_domain_valid(const char *s, apr_size_t len)
{
    const char *end = s + len, *dot;
    int labels = 0;

    while ((dot = memchr(s, '.', end - s)) != NULL) {
        if (!email_label_valid(s, dot - s)) {
            return 0;
        }
        labels++;
        s = dot + 1;
    }
    return labels >= 1 && email_label_valid(s, end - s)
           && email_tld_valid(s, end - s);
}

/* Lower-cased whole: the domain is case-insensitive (RFC 4343) and no
 * mail system the employees use distinguishes case in the local part,
 * so "Budi@Jakarta.go.id" and "budi@jakarta.go.id" are one address. */
static apr_status_t check_email(apr_pool_t *p, const pgw_data_field_t *f,
                                const char *s, const char **value,
                                const char **errmsg)
{
    char *email = apr_pstrdup(p, s);
    char *at = strrchr(email, '@');
    apr_size_t i, len = strlen(email);

    if (len > 254) {
        *errmsg = "Email terlalu panjang (maksimal 254 karakter)";
        return APR_EINVAL;
    }
    for (i = 0; i < len; i++) {
        email[i] = to_lower(email[i]);
    }
    if (at == NULL || !email_local_valid(email, at - email)
        || !email_domain_valid(at + 1, email + len - (at + 1))) {
        *errmsg = "Email tidak valid, contoh yang benar: nama@jakarta.go.id";
        return APR_EINVAL;
    }
    *value = email;
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* The validators the form calls                                       */

apr_status_t pgw_validate_agama(apr_pool_t *p, const char *raw,
                                const char **value, const char **errmsg)
{
    return validate(p, PGW_DATA_AGAMA, raw, check_agama, value, errmsg);
}

apr_status_t pgw_validate_jenis_kelamin(apr_pool_t *p, const char *raw,
                                        const char **value, const char **errmsg)
{
    return validate(p, PGW_DATA_JENIS_KELAMIN, raw, check_jenis_kelamin, value,
                    errmsg);
}

apr_status_t pgw_validate_no_taspen(apr_pool_t *p, const char *raw,
                                    const char **value, const char **errmsg)
{
    return validate(p, PGW_DATA_NO_TASPEN, raw, check_taspen, value, errmsg);
}

apr_status_t pgw_validate_nik(apr_pool_t *p, const char *raw,
                              const char **value, const char **errmsg)
{
    return validate(p, PGW_DATA_NIK, raw, check_nik, value, errmsg);
}

apr_status_t pgw_validate_no_kk(apr_pool_t *p, const char *raw,
                                const char **value, const char **errmsg)
{
    return validate(p, PGW_DATA_NO_KK, raw, check_no_kk, value, errmsg);
}

apr_status_t pgw_validate_no_rek_bank_dki(apr_pool_t *p, const char *raw,
                                          const char **value,
                                          const char **errmsg)
{
    return validate(p, PGW_DATA_NO_REK_BANK_DKI, raw, check_no_rek, value,
                    errmsg);
}

apr_status_t pgw_validate_npwp(apr_pool_t *p, const char *raw,
                               const char **value, const char **errmsg)
{
    return validate(p, PGW_DATA_NPWP, raw, check_npwp, value, errmsg);
}

apr_status_t pgw_validate_gol_darah(apr_pool_t *p, const char *raw,
                                    const char **value, const char **errmsg)
{
    return validate(p, PGW_DATA_GOL_DARAH, raw, check_gol_darah, value, errmsg);
}

apr_status_t pgw_validate_no_telp(apr_pool_t *p, const char *raw,
                                  const char **value, const char **errmsg)
{
    return validate(p, PGW_DATA_NO_TELP, raw, check_no_telp, value, errmsg);
}

apr_status_t pgw_validate_no_hp(apr_pool_t *p, const char *raw,
                                const char **value, const char **errmsg)
{
    return validate(p, PGW_DATA_NO_HP, raw, check_no_hp, value, errmsg);
}

apr_status_t pgw_validate_pendidikan_cpns(apr_pool_t *p, const char *raw,
                                          const char **value,
                                          const char **errmsg)
{
    return validate(p, PGW_DATA_PENDIDIKAN_CPNS, raw, check_pendidikan, value,
                    errmsg);
}

apr_status_t pgw_validate_no_karpeg(apr_pool_t *p, const char *raw,
                                    const char **value, const char **errmsg)
{
    return validate(p, PGW_DATA_NO_KARPEG, raw, check_card16, value, errmsg);
}

apr_status_t pgw_validate_no_bpjs(apr_pool_t *p, const char *raw,
                                  const char **value, const char **errmsg)
{
    return validate(p, PGW_DATA_NO_BPJS, raw, check_no_bpjs, value, errmsg);
}

apr_status_t pgw_validate_no_karis_karsu(apr_pool_t *p, const char *raw,
                                         const char **value,
                                         const char **errmsg)
{
    return validate(p, PGW_DATA_NO_KARIS_KARSU, raw, check_card16, value,
                    errmsg);
}

apr_status_t pgw_validate_email(apr_pool_t *p, const char *raw,
                                const char **value, const char **errmsg)
{
    return validate(p, PGW_DATA_EMAIL, raw, check_email, value, errmsg);
}

/* ------------------------------------------------------------------ */
/* Cross-checks                                                        */

static apr_array_header_t *warnings_make(apr_pool_t *p)
{
    return apr_array_make(p, 2, sizeof(const char *));
}

static void warn(apr_array_header_t *w, const char *msg)
{
    APR_ARRAY_PUSH(w, const char *) = msg;
}

static const char *gender_name(char gender)
{
    return gender == 'P' ? "perempuan" : "laki-laki";
}

/* Both numbers were made from the same birth certificate: the NIK holds
 * the date as DDMMYY with 40 added to a woman's day (Permendagri
 * 72/2019), the NIP as YYYYMMDD and a gender digit. */
apr_array_header_t *pgw_crosscheck_nik_nip(apr_pool_t *p, const char *nik,
                                           const char *nip)
{
    apr_array_header_t *w = warnings_make(p);
    const char *ignored;
    pgw_nik_t k;
    pgw_nip_t n;

    if (nik == NULL || nip == NULL
        || pgw_nik_parse(nik, &k, &ignored) != APR_SUCCESS
        || pgw_nip_parse(nip, &n, &ignored) != APR_SUCCESS) {
        return w;
    }
    if (k.day != n.lahir.day || k.month != n.lahir.month
        || k.year2 != n.lahir.year % 100) {
        warn(w, apr_psprintf(p,
                             "Tanggal lahir pada NIK (%02d-%02d-%02d) tidak "
                             "sama dengan tanggal lahir pada NIP "
                             "(%02d-%02d-%04d)",
                             k.day, k.month, k.year2, n.lahir.day,
                             n.lahir.month, n.lahir.year));
    }
    if (k.gender != n.gender) {
        warn(w, apr_psprintf(p,
                             "Jenis kelamin pada NIK (%s) tidak sama dengan "
                             "NIP (%s); pada NIK perempuan, tanggal lahir "
                             "ditambah 40",
                             gender_name(k.gender), gender_name(n.gender)));
    }
    return w;
}

apr_array_header_t *pgw_crosscheck_npwp_nik(apr_pool_t *p, const char *npwp,
                                            const char *nik)
{
    apr_array_header_t *w = warnings_make(p);

    if (npwp != NULL && nik != NULL && strlen(npwp) == 16 && npwp[0] != '0'
        && strcmp(npwp, nik) != 0) {
        warn(w, "NPWP 16 digit orang pribadi sama dengan NIK, tetapi NPWP "
                "yang diisi berbeda dari NIK; periksa kembali keduanya");
    }
    return w;
}

apr_array_header_t *pgw_crosscheck_jenis_kelamin_nip(apr_pool_t *p,
                                                     const char *jenis_kelamin,
                                                     const char *nip)
{
    apr_array_header_t *w = warnings_make(p);
    const char *ignored;
    pgw_nip_t n;

    if (jenis_kelamin == NULL || nip == NULL
        || pgw_nip_parse(nip, &n, &ignored) != APR_SUCCESS) {
        return w;
    }
    if (jenis_kelamin[0] != n.gender) {
        warn(w, apr_psprintf(p,
                             "Jenis kelamin yang dipilih (%s) tidak sama "
                             "dengan NIP (%s)",
                             gender_name(jenis_kelamin[0]),
                             gender_name(n.gender)));
    }
    return w;
}

apr_array_header_t *
pgw_crosscheck_data(apr_pool_t *p, const char *const *values, const char *nip)
{
    const char *nik = values[PGW_DATA_NIK];
    apr_array_header_t *w = pgw_crosscheck_nik_nip(p, nik, nip);

    apr_array_cat(w, pgw_crosscheck_jenis_kelamin_nip(
                         p, values[PGW_DATA_JENIS_KELAMIN], nip));
    apr_array_cat(w, pgw_crosscheck_npwp_nik(p, values[PGW_DATA_NPWP], nik));
    return w;
}
