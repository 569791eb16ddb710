/* The identifiers of an Indonesian civil servant.
 *
 * NIP (PP 11/2017 and BKN rules): 18 digits, birth date YYYYMMDD, CPNS
 * appointment YYYYMM, gender digit (1 man, 2 woman), 3-digit sequence.
 * NIK (Permendagri 72/2019): 16 digits, province, regency, district (2
 * each), birth date DDMMYY with 40 added to the day for women, 4-digit
 * sequence from 0001.
 */
#ifndef PGW_NIP_H
#define PGW_NIP_H

#include <apr_errno.h>

typedef struct pgw_date_t {
    int year, month, day;
} pgw_date_t;

typedef struct pgw_nip_t {
    pgw_date_t lahir;        /* birth date */
    int tmt_year, tmt_month; /* CPNS appointment */
    char gender;             /* 'L' or 'P' */
    int sequence;
} pgw_nip_t;

typedef struct pgw_nik_t {
    char wilayah[7];       /* 6-digit district code */
    int day, month, year2; /* birth date, year as two digits */
    char gender;           /* 'L' or 'P' */
    int sequence;
} pgw_nik_t;

int pgw_date_valid(int year, int month, int day);

/* APR_SUCCESS and *out filled, or APR_EINVAL with an Indonesian *errmsg
 * naming what is wrong. */
apr_status_t pgw_nip_parse(const char *s, pgw_nip_t *out, const char **errmsg);
apr_status_t pgw_nik_parse(const char *s, pgw_nik_t *out, const char **errmsg);

/* Writes the 16-digit NIK of a person into out[17]. */
void pgw_nik_format(char out[17], const char *wilayah6, const pgw_date_t *lahir,
                    char gender, int sequence);

/* Writes the 18-digit NIP into out[19]. */
void pgw_nip_format(char out[19], const pgw_date_t *lahir, int tmt_year,
                    int tmt_month, char gender, int sequence);

#endif
