/* The address form of Riwayat Alamat (issue 4): one validator per field,
 * the form as a whole (the KTP block copied from the residence when the
 * checkbox is ticked, the regions' nesting), and the postal code ranges
 * of the provinces. Messages are Indonesian: they are shown next to the
 * field.
 */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "pgw_alamat.h"
#include "pgw_nip.h"
#include "pgw_utf8.h"

#define PGW_ALAMAT_FIELD_ROW(id, name, label, required, max_input)             \
    {#name, label, required, max_input, pgw_alamat_validate_##name},
const pgw_alamat_field_t pgw_alamat_fields[PGW_ALAMAT_FIELD_COUNT] = {
    PGW_ALAMAT_FIELDS(PGW_ALAMAT_FIELD_ROW)};
#undef PGW_ALAMAT_FIELD_ROW

#define TEXT_MIN 3
#define TEXT_MAX 200

/* ------------------------------------------------------------------ */
/* Characters                                                          */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char to_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* The code point of the well-formed UTF-8 sequence of n bytes at s. */
static apr_uint32_t code_point(const char *s, apr_size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    static const unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    apr_uint32_t cp = u[0] & lead_mask[n];
    apr_size_t i;

    for (i = 1; i < n; i++) {
        cp = (cp << 6) | (u[i] & 0x3F);
    }
    return cp;
}

/* White space that separates words (Unicode White_Space): it is
 * collapsed into one ASCII space. */
static int is_space_cp(apr_uint32_t cp)
{
    return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0
           || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028
           || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Invisible characters with no meaning in an address, which editors
 * leave behind: ZERO WIDTH SPACE and the byte order mark. Dropped. */
static int is_dropped_cp(apr_uint32_t cp)
{
    return cp == 0x200B || cp == 0xFEFF;
}

/* A letter or digit: ASCII ones, and the code points of the alphabets
 * and syllabaries (Latin-1 letters and Latin Extended, Greek to the
 * Indic and Southeast Asian scripts, kana, CJK, Hangul), as against
 * punctuation, symbols and emoji. Approximate, and meant to be: it
 * only tells an address from a row of dashes or stars. */
static int is_letter_cp(apr_uint32_t cp)
{
    if (cp < 0x80) {
        return is_alnum((char)cp);
    }
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7)
           || (cp >= 0x370 && cp < 0x2000) || (cp >= 0x3040 && cp < 0xA000)
           || (cp >= 0xAC00 && cp < 0xD7A4);
}

/* Controls (C0, DEL, C1) and the bidirectional formatting characters
 * (Unicode UAX #9: marks and embeddings, overrides and isolates), which
 * make the text display in another order than it is stored. */
static int is_refused_cp(apr_uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C
           || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
           || (cp >= 0x2066 && cp <= 0x2069);
}

/* ------------------------------------------------------------------ */
/* Text: alamat, keterangan                                            */

/* Copies the text at s into out (room for strlen(s) + 1) with each run
 * of white space as one space and none at the ends; counts characters
 * into *chars and tells whether a letter or digit was seen. NULL when a
 * byte is not UTF-8 or a character is refused. */
static char *collapse(const char *s, char *out, apr_size_t *chars,
                      int *has_alnum)
{
    apr_size_t len = strlen(s), i = 0, n;
    int pending_space = 0;
    apr_uint32_t cp;

    *chars = 0;
    *has_alnum = 0;
    for (; len > 0; s += n, len -= n) {
        n = pgw_utf8_sequence_len(s, len);
        if (n == 0) {
            return NULL;
        }
        cp = code_point(s, n);
        if (is_space_cp(cp)) {
            pending_space = i > 0;
            continue;
        }
        if (is_dropped_cp(cp)) {
            continue;
        }
        if (is_refused_cp(cp)) {
            return NULL;
        }
        if (pending_space) {
            out[i++] = ' ';
            ++*chars;
            pending_space = 0;
        }
        *has_alnum |= is_letter_cp(cp);
        memcpy(out + i, s, n);
        i += n;
        ++*chars;
    }
    out[i] = '\0';
    return out;
}

static apr_status_t check_text(apr_pool_t *p, const pgw_alamat_field_t *f,
                               const char *s, apr_size_t min,
                               const char **value, const char **errmsg)
{
    char *out = apr_palloc(p, strlen(s) + 1);
    apr_size_t chars;
    int has_alnum;

    if (collapse(s, out, &chars, &has_alnum) == NULL) {
        *errmsg = apr_psprintf(p,
                               "%s berisi karakter yang tidak dapat "
                               "disimpan; ketik ulang tanpa menyalin",
                               f->label);
        return APR_EINVAL;
    }
    if (!has_alnum) {
        *errmsg = apr_psprintf(p, "%s harus berisi huruf atau angka", f->label);
        return APR_EINVAL;
    }
    if (chars < min || chars > TEXT_MAX) {
        *errmsg = apr_psprintf(p, "%s harus %d sampai %d karakter", f->label,
                               (int)min, TEXT_MAX);
        return APR_EINVAL;
    }
    *value = out;
    return APR_SUCCESS;
}

static apr_status_t check_alamat(apr_pool_t *p, const pgw_alamat_field_t *f,
                                 const char *s, const char **value,
                                 const char **errmsg)
{
    return check_text(p, f, s, TEXT_MIN, value, errmsg);
}

static apr_status_t check_keterangan(apr_pool_t *p, const pgw_alamat_field_t *f,
                                     const char *s, const char **value,
                                     const char **errmsg)
{
    return check_text(p, f, s, 1, value, errmsg);
}

/* ------------------------------------------------------------------ */
/* RT and RW                                                           */

/* s without the "RT" or "RW" (the first two letters of the label) that
 * people type before the number, and the '.', ':' or blanks after it. */
static const char *skip_prefix(const pgw_alamat_field_t *f, const char *s)
{
    if (to_upper(s[0]) == f->label[0] && to_upper(s[1]) == f->label[1]) {
        s += 2;
        s += strspn(s, ".: ");
    }
    return s;
}

static apr_status_t check_rt_rw(apr_pool_t *p, const pgw_alamat_field_t *f,
                                const char *s, const char **value,
                                const char **errmsg)
{
    const char *digits = skip_prefix(f, s);

    if (!pgw_digits_between(digits, 1, 3)) {
        *errmsg = apr_psprintf(p, "%s harus 1 sampai 3 digit angka", f->label);
        return APR_EINVAL;
    }
    *value = apr_psprintf(p, "%03d", atoi(digits));
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* Region codes                                                        */

/* Kemendagri codes (Permendagri 72/2019 and the decrees of the Minister
 * of Home Affairs that update its list): 2 digits for the province, then
 * 2 for the regency, 2 for the district and 4 for the village, joined by
 * dots. */
static const apr_size_t region_digits[] = {2, 4, 6, 10};

/* The level (0 provinsi to 3 kelurahan) of a region field. */
static int region_level(const pgw_alamat_field_t *f)
{
    int id = (int)(f - pgw_alamat_fields);

    if (id >= PGW_ALAMAT_PROVINSI_KTP) {
        id -= PGW_ALAMAT_KTP_OFFSET;
    }
    return id - PGW_ALAMAT_PROVINSI;
}

/* True when no part of the digits is all zeros and the province is a
 * real one (11 upwards). */
static int region_parts_valid(const char *d, int level)
{
    apr_size_t start;
    int i;

    if (d[0] == '0' || (d[0] == '1' && d[1] == '0')) {
        return 0;
    }
    for (i = 1; i <= level; i++) {
        start = region_digits[i - 1];
        if (strspn(d + start, "0") >= region_digits[i] - start) {
            return 0;
        }
    }
    return 1;
}

/* The dotted form of the code's digits: "3171011001" ->
 * "31.71.01.1001". */
static const char *dotted(apr_pool_t *p, const char *d, int level)
{
    switch (level) {
    case 0:
        return apr_pstrmemdup(p, d, 2);
    case 1:
        return apr_psprintf(p, "%.2s.%.2s", d, d + 2);
    case 2:
        return apr_psprintf(p, "%.2s.%.2s.%.2s", d, d + 2, d + 4);
    default:
        return apr_psprintf(p, "%.2s.%.2s.%.2s.%.4s", d, d + 2, d + 4, d + 6);
    }
}

/* Select values come from the region lists; a value of another shape
 * comes from a tampered or stale form, not from a typo. */
static apr_status_t check_region(apr_pool_t *p, const pgw_alamat_field_t *f,
                                 const char *s, const char **value,
                                 const char **errmsg)
{
    int level = region_level(f);
    char d[11];
    apr_size_t n = 0;

    for (; *s != '\0'; s++) {
        if (*s == '.') {
            continue;
        }
        if (!is_digit(*s) || n == region_digits[level]) {
            n = 0;
            break;
        }
        d[n++] = *s;
    }
    d[n] = '\0';
    if (n != region_digits[level] || !region_parts_valid(d, level)) {
        *errmsg = apr_psprintf(p, "Pilih %s dari daftar", f->label);
        return APR_EINVAL;
    }
    *value = dotted(p, d, level);
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* Kode pos and the checkbox                                           */

static apr_status_t check_kode_pos(apr_pool_t *p, const pgw_alamat_field_t *f,
                                   const char *s, const char **value,
                                   const char **errmsg)
{
    if (!pgw_digits_between(s, 5, 5)) {
        *errmsg = apr_psprintf(p, "%s harus 5 digit angka", f->label);
        return APR_EINVAL;
    }
    if (s[0] == '0') {
        *errmsg =
            apr_psprintf(p, "%s di Indonesia tidak diawali angka 0", f->label);
        return APR_EINVAL;
    }
    *value = s;
    return APR_SUCCESS;
}

static apr_status_t check_ktp_sama(apr_pool_t *p, const pgw_alamat_field_t *f,
                                   const char *s, const char **value,
                                   const char **errmsg)
{
    static const char *const yes[] = {"1", "on", "true", "ya", "y"};
    static const char *const no[] = {"0", "off", "false", "tidak", "n"};
    size_t i;

    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *value = "1";
            return APR_SUCCESS;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *value = "0";
            return APR_SUCCESS;
        }
    }
    *errmsg = "Pilihan alamat KTP tidak dikenal; centang atau kosongkan";
    return APR_EINVAL;
}

/* ------------------------------------------------------------------ */
/* Tanggal mulai                                                       */

/* Reads the digits at *s, at most 5 (one more than any part of a date
 * has, so that a longer number is refused), into *v; returns how many
 * were read. */
static int read_number(const char **s, int *v)
{
    int n = 0;

    *v = 0;
    while (n < 5 && is_digit(**s)) {
        *v = *v * 10 + (**s - '0');
        ++*s;
        n++;
    }
    return n;
}

/* "03-01-2017", "3/1/2017", "2017-01-03" or "2017.1.3" into d; the same
 * separator twice. 0 when s has none of these shapes. */
static int parse_date(const char *s, pgw_date_t *d)
{
    int a, b, c, na, nb, nc;
    char sep;

    na = read_number(&s, &a);
    sep = *s;
    if (sep == '\0' || strchr("-/.", sep) == NULL) {
        return 0;
    }
    s++;
    nb = read_number(&s, &b);
    if (*s++ != sep) {
        return 0;
    }
    nc = read_number(&s, &c);
    if (*s != '\0' || nb < 1 || nb > 2) {
        return 0;
    }
    if (na == 4 && nc >= 1 && nc <= 2) {
        d->year = a;
        d->month = b;
        d->day = c;
        return 1;
    }
    if (na >= 1 && na <= 2 && nc == 4) {
        d->year = c;
        d->month = b;
        d->day = a;
        return 1;
    }
    return 0;
}

/* The date at now in a time zone east of UTC, as yyyymmdd. */
static long date_at(apr_time_t now, int offset_hours, pgw_date_t *d)
{
    apr_time_exp_t t;

    apr_time_exp_tz(&t, now, offset_hours * 3600);
    d->year = t.tm_year + 1900;
    d->month = t.tm_mon + 1;
    d->day = t.tm_mday;
    return d->year * 10000L + d->month * 100L + d->day;
}

static const char *iso_date(apr_pool_t *p, const pgw_date_t *d)
{
    return apr_psprintf(p, "%04d-%02d-%02d", d->year, d->month, d->day);
}

#define WIB_HOURS 7 /* Waktu Indonesia Barat, the portal's clock */
#define WIT_HOURS 9 /* Waktu Indonesia Timur, the latest local date */

static apr_status_t check_tanggal(apr_pool_t *p, const char *label,
                                  const char *s, apr_time_t now,
                                  const char **value, const char **errmsg)
{
    pgw_date_t d, today;
    long ymd;

    if (!parse_date(s, &d)) {
        *errmsg = apr_psprintf(p, "%s harus tanggal dd-mm-yyyy", label);
        return APR_EINVAL;
    }
    if (!pgw_date_valid(d.year, d.month, d.day)) {
        *errmsg = apr_psprintf(p, "%s bukan tanggal yang ada", label);
        return APR_EINVAL;
    }
    ymd = d.year * 10000L + d.month * 100L + d.day;
    if (ymd > date_at(now, WIT_HOURS, &today)) {
        *errmsg = apr_psprintf(p, "%s tidak boleh setelah hari ini", label);
        return APR_EINVAL;
    }
    if (d.year < 1900) {
        *errmsg = apr_psprintf(p, "%s tidak boleh sebelum tahun 1900", label);
        return APR_EINVAL;
    }
    *value = iso_date(p, &d);
    return APR_SUCCESS;
}

/* The date is checked after pgw_field_validate(), not inside it: the
 * check needs the moment, which a pgw_field_check_fn is not given. */
static apr_status_t keep_text(apr_pool_t *p, const pgw_alamat_field_t *f,
                              const char *s, const char **value,
                              const char **errmsg)
{
    *value = s;
    return APR_SUCCESS;
}

apr_status_t pgw_alamat_tanggal(apr_pool_t *p, const char *raw, apr_time_t now,
                                const char **value, const char **errmsg)
{
    const pgw_alamat_field_t *f = &pgw_alamat_fields[PGW_ALAMAT_TANGGAL_MULAI];
    const char *s;
    pgw_date_t today;
    apr_status_t rv;

    rv = pgw_field_validate(p, f, raw, keep_text, &s, errmsg);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (s == NULL) {
        date_at(now, WIB_HOURS, &today);
        *value = iso_date(p, &today);
        return APR_SUCCESS;
    }
    return check_tanggal(p, f->label, s, now, value, errmsg);
}

/* ------------------------------------------------------------------ */
/* The validators                                                      */

apr_status_t pgw_alamat_validate_tanggal_mulai(apr_pool_t *p, const char *raw,
                                               const char **value,
                                               const char **errmsg)
{
    return pgw_alamat_tanggal(p, raw, apr_time_now(), value, errmsg);
}

apr_status_t pgw_alamat_validate_ktp_sama(apr_pool_t *p, const char *raw,
                                          const char **value,
                                          const char **errmsg)
{
    const char *v;
    apr_status_t rv;

    rv = pgw_field_validate(p, &pgw_alamat_fields[PGW_ALAMAT_KTP_SAMA], raw,
                            check_ktp_sama, &v, errmsg);
    if (rv == APR_SUCCESS) {
        *value = v == NULL ? "0" : v;
    }
    return rv;
}

#define PGW_ALAMAT_VALIDATOR(name, id, check)                                  \
    apr_status_t pgw_alamat_validate_##name(apr_pool_t *p, const char *raw,    \
                                            const char **value,                \
                                            const char **errmsg)               \
    {                                                                          \
        return pgw_field_validate(p, &pgw_alamat_fields[PGW_ALAMAT_##id], raw, \
                                  check, value, errmsg);                       \
    }

PGW_ALAMAT_VALIDATOR(alamat, ALAMAT, check_alamat)
PGW_ALAMAT_VALIDATOR(rt, RT, check_rt_rw)
PGW_ALAMAT_VALIDATOR(rw, RW, check_rt_rw)
PGW_ALAMAT_VALIDATOR(provinsi, PROVINSI, check_region)
PGW_ALAMAT_VALIDATOR(kota, KOTA, check_region)
PGW_ALAMAT_VALIDATOR(kecamatan, KECAMATAN, check_region)
PGW_ALAMAT_VALIDATOR(kelurahan, KELURAHAN, check_region)
PGW_ALAMAT_VALIDATOR(kode_pos, KODE_POS, check_kode_pos)
PGW_ALAMAT_VALIDATOR(alamat_ktp, ALAMAT_KTP, check_alamat)
PGW_ALAMAT_VALIDATOR(rt_ktp, RT_KTP, check_rt_rw)
PGW_ALAMAT_VALIDATOR(rw_ktp, RW_KTP, check_rt_rw)
PGW_ALAMAT_VALIDATOR(provinsi_ktp, PROVINSI_KTP, check_region)
PGW_ALAMAT_VALIDATOR(kota_ktp, KOTA_KTP, check_region)
PGW_ALAMAT_VALIDATOR(kecamatan_ktp, KECAMATAN_KTP, check_region)
PGW_ALAMAT_VALIDATOR(kelurahan_ktp, KELURAHAN_KTP, check_region)
PGW_ALAMAT_VALIDATOR(kode_pos_ktp, KODE_POS_KTP, check_kode_pos)
PGW_ALAMAT_VALIDATOR(keterangan, KETERANGAN, check_keterangan)

#undef PGW_ALAMAT_VALIDATOR

/* ------------------------------------------------------------------ */
/* Nesting of the regions                                              */

/* True when child begins with parent and a dot. */
static int inside(const char *child, const char *parent)
{
    apr_size_t n = strlen(parent);

    return strncmp(child, parent, n) == 0 && child[n] == '.';
}

/* The level (1 kota to 3 kelurahan) of the highest code that is not
 * inside every code given above it; 0 when all are nested. */
static int misplaced_level(const char *const codes[4])
{
    int i, j;

    for (i = 1; i < 4; i++) {
        for (j = 0; codes[i] != NULL && j < i; j++) {
            if (codes[j] != NULL && !inside(codes[i], codes[j])) {
                return i;
            }
        }
    }
    return 0;
}

static const char *const nesting_messages[] = {
    NULL, "Kota/kabupaten tidak termasuk provinsi yang dipilih",
    "Kecamatan tidak termasuk kota/kabupaten yang dipilih",
    "Kelurahan/desa tidak termasuk kecamatan yang dipilih"};

apr_status_t pgw_wilayah_nested(const char *provinsi, const char *kota,
                                const char *kecamatan, const char *kelurahan,
                                const char **errmsg)
{
    const char *const codes[4] = {provinsi, kota, kecamatan, kelurahan};
    int level = misplaced_level(codes);

    if (level != 0) {
        *errmsg = nesting_messages[level];
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* Postal codes by province                                            */

/* The first two digits of the postal codes of each province, as ranges.
 *
 * Sources: the zones of the first digit are Pos Indonesia's (1 Jakarta
 * and the parts of Banten and Jawa Barat around it, 2 northern Sumatra,
 * 3 southern Sumatra, 4 the rest of Banten and Jawa Barat, 5 Jawa
 * Tengah and DIY, 6 Jawa Timur, 7 Kalimantan, 8 Bali and Nusa Tenggara,
 * 9 Sulawesi, Maluku and Papua), as the Wikipedia article "Postal codes
 * in Indonesia" summarises them. The two-digit split within a zone was
 * put together from the codes of the provinces' capitals and regencies
 * as they appear in Pos Indonesia's kode pos search
 * (kodepos.posindonesia.co.id) and in the lists that copy it, by the
 * developers, from memory checked against a few lookups; it is not an
 * official table. Where the split is uncertain (Kalimantan Timur and
 * Utara, Sulawesi Selatan and Barat, Maluku and Maluku Utara, the six
 * Papuan provinces) the ranges are the whole shared block: a mismatch
 * only warns, and a false warning costs the employee a click while a
 * wrong narrow range would cost it on every address there.
 * TODO: replace with the ranges derived from a published kode pos
 * table per kelurahan once the portal has one. */
typedef struct kodepos_range_t {
    char provinsi[3];
    unsigned char lo[3], hi[3]; /* up to three ranges; hi 0 ends */
} kodepos_range_t;

static const kodepos_range_t kodepos_ranges[] = {
    {"11", {23}, {24}},                 /* Aceh */
    {"12", {20}, {22}},                 /* Sumatera Utara */
    {"13", {25}, {27}},                 /* Sumatera Barat */
    {"14", {28}, {29}},                 /* Riau (Indragiri Hilir 292xx) */
    {"15", {36}, {37}},                 /* Jambi */
    {"16", {30}, {32}},                 /* Sumatera Selatan */
    {"17", {38}, {39}},                 /* Bengkulu */
    {"18", {34}, {35}},                 /* Lampung */
    {"19", {33}, {33}},                 /* Kepulauan Bangka Belitung */
    {"21", {29}, {29}},                 /* Kepulauan Riau */
    {"31", {10}, {14}},                 /* DKI Jakarta */
    {"32", {16, 40, 43}, {17, 41, 46}}, /* Jawa Barat */
    {"33", {50, 56}, {54, 59}},         /* Jawa Tengah */
    {"34", {55}, {55}},                 /* DI Yogyakarta */
    {"35", {60}, {69}},                 /* Jawa Timur */
    {"36", {15, 42}, {15, 42}},         /* Banten */
    {"51", {80}, {82}},                 /* Bali */
    {"52", {83}, {84}},                 /* Nusa Tenggara Barat */
    {"53", {85}, {87}},                 /* Nusa Tenggara Timur */
    {"61", {78}, {79}},                 /* Kalimantan Barat */
    {"62", {73}, {74}},                 /* Kalimantan Tengah */
    {"63", {70}, {72}},                 /* Kalimantan Selatan */
    {"64", {75}, {77}},                 /* Kalimantan Timur */
    {"65", {77}, {77}},                 /* Kalimantan Utara */
    {"71", {95}, {95}},                 /* Sulawesi Utara */
    {"72", {94}, {94}},                 /* Sulawesi Tengah */
    {"73", {90}, {92}},                 /* Sulawesi Selatan */
    {"74", {93}, {93}},                 /* Sulawesi Tenggara */
    {"75", {96}, {96}},                 /* Gorontalo */
    {"76", {91}, {91}},                 /* Sulawesi Barat */
    {"81", {97}, {97}},                 /* Maluku */
    {"82", {97}, {97}},                 /* Maluku Utara */
    {"91", {98}, {99}},                 /* Papua */
    {"92", {98}, {99}},                 /* Papua Barat */
    {"93", {98}, {99}},                 /* Papua Selatan */
    {"94", {98}, {99}},                 /* Papua Tengah */
    {"95", {98}, {99}},                 /* Papua Pegunungan */
    {"96", {98}, {99}},                 /* Papua Barat Daya */
};

static const kodepos_range_t *kodepos_province(const char *provinsi)
{
    size_t i;

    if (provinsi == NULL) {
        return NULL;
    }
    for (i = 0; i < sizeof(kodepos_ranges) / sizeof(kodepos_ranges[0]); i++) {
        if (strcmp(kodepos_ranges[i].provinsi, provinsi) == 0) {
            return &kodepos_ranges[i];
        }
    }
    return NULL;
}

int pgw_kodepos_cocok(const char *provinsi, const char *kode_pos)
{
    const kodepos_range_t *r = kodepos_province(provinsi);
    int i, prefix;

    if (r == NULL || kode_pos == NULL || !pgw_digits_between(kode_pos, 5, 5)) {
        return 1;
    }
    prefix = (kode_pos[0] - '0') * 10 + (kode_pos[1] - '0');
    for (i = 0; i < 3 && r->hi[i] != 0; i++) {
        if (prefix >= r->lo[i] && prefix <= r->hi[i]) {
            return 1;
        }
    }
    return 0;
}

const char *pgw_kodepos_rentang(apr_pool_t *p, const char *provinsi)
{
    const kodepos_range_t *r = kodepos_province(provinsi);
    const char *out = NULL;
    int i;

    for (i = 0; r != NULL && i < 3 && r->hi[i] != 0; i++) {
        const char *one =
            r->lo[i] == r->hi[i]
                ? apr_psprintf(p, "%02dxxx", r->lo[i])
                : apr_psprintf(p, "%02dxxx-%02dxxx", r->lo[i], r->hi[i]);

        out = out == NULL ? one : apr_pstrcat(p, out, ", ", one, NULL);
    }
    return out;
}

/* ------------------------------------------------------------------ */
/* The whole form                                                      */

static int is_ktp_address_field(int id)
{
    return id >= PGW_ALAMAT_ALAMAT_KTP && id <= PGW_ALAMAT_KODE_POS_KTP;
}

static void set_error(pgw_alamat_form_t *form, int id, const char *msg)
{
    form->values[id] = NULL;
    form->errors[id] = msg;
    form->nerrors++;
}

static void check_field(apr_pool_t *p, pgw_alamat_form_t *form,
                        const char *const *raw, int id, apr_time_t now)
{
    const char *value = NULL, *msg = NULL;
    apr_status_t rv;

    if (id == PGW_ALAMAT_TANGGAL_MULAI) {
        rv = pgw_alamat_tanggal(p, raw[id], now, &value, &msg);
    }
    else {
        rv = pgw_alamat_fields[id].validate(p, raw[id], &value, &msg);
    }
    if (rv == APR_SUCCESS) {
        form->values[id] = value;
    }
    else {
        set_error(form, id, msg);
    }
}

/* The nesting of the four region fields from first (PGW_ALAMAT_PROVINSI
 * or its KTP twin). Below a code in error nothing is checked: the
 * employee chooses again from there down. */
static void check_nesting(pgw_alamat_form_t *form, int first)
{
    const char *codes[4] = {NULL, NULL, NULL, NULL};
    int i, level;

    for (i = 0; i < 4 && form->errors[first + i] == NULL; i++) {
        codes[i] = form->values[first + i];
    }
    level = misplaced_level(codes);

    if (level != 0) {
        set_error(form, first + level, nesting_messages[level]);
    }
}

pgw_alamat_form_t *pgw_alamat_check(apr_pool_t *p, const char *const *raw,
                                    apr_time_t now)
{
    pgw_alamat_form_t *form = apr_pcalloc(p, sizeof(*form));
    int id, same;

    check_field(p, form, raw, PGW_ALAMAT_KTP_SAMA, now);
    same = form->values[PGW_ALAMAT_KTP_SAMA] != NULL
           && form->values[PGW_ALAMAT_KTP_SAMA][0] == '1';
    for (id = 0; id < PGW_ALAMAT_FIELD_COUNT; id++) {
        if (id != PGW_ALAMAT_KTP_SAMA && !(same && is_ktp_address_field(id))) {
            check_field(p, form, raw, id, now);
        }
    }
    check_nesting(form, PGW_ALAMAT_PROVINSI);
    if (same) {
        /* The ticked checkbox hides the KTP block: what it still holds
         * is not the employee's answer. The KTP address is stored as a
         * copy of the residence (issue 4). */
        for (id = PGW_ALAMAT_ALAMAT; id <= PGW_ALAMAT_KODE_POS; id++) {
            form->values[id + PGW_ALAMAT_KTP_OFFSET] = form->values[id];
        }
    }
    else {
        check_nesting(form, PGW_ALAMAT_PROVINSI_KTP);
    }
    return form;
}

/* A warning when the postal code of one address does not fit its
 * province. */
static void crosscheck_kodepos(apr_pool_t *p, apr_array_header_t *w,
                               const char *provinsi, const char *kode_pos,
                               const char *which)
{
    const char *ranges;

    if (pgw_kodepos_cocok(provinsi, kode_pos)) {
        return;
    }
    ranges = pgw_kodepos_rentang(p, provinsi);
    APR_ARRAY_PUSH(w, const char *) = apr_psprintf(
        p,
        "Kode pos %s %s tidak lazim untuk provinsi yang dipilih (kode pos "
        "di provinsi itu biasanya %s). Periksa kembali; bila sudah benar, "
        "konfirmasi.",
        which, kode_pos, ranges);
}

apr_array_header_t *pgw_alamat_crosscheck(apr_pool_t *p,
                                          const char *const *values)
{
    apr_array_header_t *w = apr_array_make(p, 2, sizeof(const char *));
    const char *same = values[PGW_ALAMAT_KTP_SAMA];

    crosscheck_kodepos(p, w, values[PGW_ALAMAT_PROVINSI],
                       values[PGW_ALAMAT_KODE_POS], "tempat tinggal");
    if (same == NULL || same[0] != '1') {
        crosscheck_kodepos(p, w, values[PGW_ALAMAT_PROVINSI_KTP],
                           values[PGW_ALAMAT_KODE_POS_KTP], "KTP");
    }
    return w;
}
