/* How the portal writes values for people (manual, Gambar 1 and 3). */
#ifndef PGW_FMT_H
#define PGW_FMT_H

#include <apr_pools.h>

/* "2017-01-03" (ISO, as both databases return a DATE) -> "03-01-2017".
 * Anything not shaped like an ISO date is returned unchanged; NULL stays
 * NULL. */
const char *pgw_fmt_date(apr_pool_t *p, const char *iso);

/* Pangkat and golongan as the portal shows them: ("Pengatur Tk. I",
 * "II/d") -> "PENGATUR TK.I (II/D)". Either may be NULL. */
const char *pgw_fmt_pangkat(apr_pool_t *p, const char *pangkat,
                            const char *golongan);

/* Name with titles: ("Ir.", "Budi Santoso", "M.Si.") ->
 * "Ir. Budi Santoso, M.Si.". */
const char *pgw_fmt_nama(apr_pool_t *p, const char *gelar_depan,
                         const char *nama, const char *gelar_belakang);

/* Up to two initials of a name, upper case, for the photo placeholder;
 * titles ending in '.' are skipped. */
const char *pgw_fmt_initials(apr_pool_t *p, const char *nama);

/* An identifier shown in a history: all but its last four characters
 * replaced by '*' ("************1001"); four or fewer are all masked.
 * NULL stays NULL. */
const char *pgw_fmt_mask(apr_pool_t *p, const char *value);

/* Seconds since the epoch as Jakarta time: "03-12-2026 14:05 WIB"
 * (UTC+7, no daylight saving). */
const char *pgw_fmt_wib(apr_pool_t *p, apr_int64_t epoch);

#endif
