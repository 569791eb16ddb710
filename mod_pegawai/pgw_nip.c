/* Parsing and writing the NIP and the NIK, whose digits carry a birth
 * date and a gender that the data form cross-checks (PRODUCT.md, "The
 * data"). Messages are Indonesian: they are shown next to the field.
 */
#include <string.h>

#include "pgw_nip.h"

static int leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* A day of the proleptic Gregorian calendar in years 1 to 9999. */
int pgw_date_valid(int year, int month, int day)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};

    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) {
        return 0;
    }
    if (month == 2 && leap_year(year)) {
        return day <= 29;
    }
    return day <= days[month - 1];
}

/* True when s is exactly n ASCII digits. */
static int all_digits(const char *s, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return s[n] == '\0';
}

/* The number written by the n digits at s (already checked). */
static int digits_value(const char *s, int n)
{
    int v = 0;

    while (n-- > 0) {
        v = v * 10 + (*s++ - '0');
    }
    return v;
}

/* Writes v as exactly n digits (its last n, if it has more). */
static void put_digits(char *out, int v, int n)
{
    if (v < 0) {
        v = -v;
    }
    while (n-- > 0) {
        out[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* NIP layout: YYYYMMDD birth, YYYYMM CPNS appointment, gender, sequence.
 * Appointment before birth is a typo, never a fact. */
apr_status_t pgw_nip_parse(const char *s, pgw_nip_t *out, const char **errmsg)
{
    pgw_nip_t n;

    if (s == NULL || !all_digits(s, 18)) {
        *errmsg = "NIP harus 18 digit angka";
        return APR_EINVAL;
    }
    n.lahir.year = digits_value(s, 4);
    n.lahir.month = digits_value(s + 4, 2);
    n.lahir.day = digits_value(s + 6, 2);
    n.tmt_year = digits_value(s + 8, 4);
    n.tmt_month = digits_value(s + 12, 2);
    n.sequence = digits_value(s + 15, 3);
    if (!pgw_date_valid(n.lahir.year, n.lahir.month, n.lahir.day)) {
        *errmsg = "Tanggal lahir pada NIP (digit 1-8) tidak valid";
        return APR_EINVAL;
    }
    if (n.tmt_month < 1 || n.tmt_month > 12
        || n.tmt_year * 12 + n.tmt_month < n.lahir.year * 12 + n.lahir.month) {
        *errmsg = "TMT CPNS pada NIP (digit 9-14) tidak valid";
        return APR_EINVAL;
    }
    if (s[14] != '1' && s[14] != '2') {
        *errmsg = "Digit jenis kelamin pada NIP (digit 15) harus 1 atau 2";
        return APR_EINVAL;
    }
    n.gender = s[14] == '1' ? 'L' : 'P';
    if (n.sequence == 0) {
        *errmsg = "Nomor urut pada NIP (digit 16-18) tidak boleh 000";
        return APR_EINVAL;
    }
    *out = n;
    return APR_SUCCESS;
}

/* The NIK's DDMMYY names no century: the date has to exist in 19YY or
 * in 20YY (which differ only for 29 February of YY = 00). */
static int nik_date_valid(int day, int month, int year2)
{
    return pgw_date_valid(1900 + year2, month, day)
           || pgw_date_valid(2000 + year2, month, day);
}

/* NIK layout (Permendagri 72/2019): region (6), DDMMYY birth with 40
 * added to the day for women, sequence from 0001. */
apr_status_t pgw_nik_parse(const char *s, pgw_nik_t *out, const char **errmsg)
{
    pgw_nik_t n;
    int dd;

    if (s == NULL || !all_digits(s, 16)) {
        *errmsg = "NIK harus 16 digit angka";
        return APR_EINVAL;
    }
    dd = digits_value(s + 6, 2);
    n.gender = dd > 40 ? 'P' : 'L';
    n.day = dd > 40 ? dd - 40 : dd;
    n.month = digits_value(s + 8, 2);
    n.year2 = digits_value(s + 10, 2);
    n.sequence = digits_value(s + 12, 4);
    if (!nik_date_valid(n.day, n.month, n.year2)) {
        *errmsg = "Tanggal lahir pada NIK (digit 7-12) tidak valid";
        return APR_EINVAL;
    }
    if (n.sequence == 0) {
        *errmsg = "Nomor urut pada NIK (digit 13-16) tidak boleh 0000";
        return APR_EINVAL;
    }
    memcpy(n.wilayah, s, 6);
    n.wilayah[6] = '\0';
    *out = n;
    return APR_SUCCESS;
}

void pgw_nik_format(char out[17], const char *wilayah6, const pgw_date_t *lahir,
                    char gender, int sequence)
{
    memcpy(out, wilayah6, 6);
    put_digits(out + 6, lahir->day + (gender == 'P' ? 40 : 0), 2);
    put_digits(out + 8, lahir->month, 2);
    put_digits(out + 10, lahir->year % 100, 2);
    put_digits(out + 12, sequence, 4);
    out[16] = '\0';
}

void pgw_nip_format(char out[19], const pgw_date_t *lahir, int tmt_year,
                    int tmt_month, char gender, int sequence)
{
    put_digits(out, lahir->year, 4);
    put_digits(out + 4, lahir->month, 2);
    put_digits(out + 6, lahir->day, 2);
    put_digits(out + 8, tmt_year, 4);
    put_digits(out + 12, tmt_month, 2);
    out[14] = gender == 'P' ? '2' : '1';
    put_digits(out + 15, sequence, 3);
    out[18] = '\0';
}
