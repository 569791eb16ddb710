/* Rules for a new password (ASVS 5.0 V6.2), for Ubah Password (issue 5)
 * and any other page that lets an employee choose one.
 *
 * Pure library: no httpd.h. The glue loads the list of common passwords
 * once at startup (post_config, on the configuration pool); the result
 * is never written again, so every thread of every child may check
 * against it. The handler then calls, for a POST of /akun/password,
 * pgw_pwpolicy_confirm(), pgw_pwpolicy_differs() and
 * pgw_pwpolicy_check(), shows the first message it gets next to the
 * field, and hashes the password exactly as typed (V6.2.8): nothing here
 * changes it.
 *
 * What is refused, in the order it is checked (one message at a time):
 *   more than PGW_PWPOLICY_MAX_BYTES bytes     (never truncated; V6.2.9
 *                                               asks that 64 characters
 *                                               be accepted)
 *   not valid UTF-8 (RFC 3629)
 *   fewer than PGW_PWPOLICY_MIN_CHARS code points          (V6.2.1)
 *   one character repeated ("aaaaaaaa", "********")
 *   on the list: the new password with A-Z lower-cased equals a line of
 *   the list; no other variant is derived (V6.2.4)
 *   the NRK or the NIP anywhere in it, or the birth date in a usual
 *   written form anywhere in it (V6.2.11, the context-specific words)
 * There are no composition rules (V6.2.5).
 */
#ifndef PGW_PWPOLICY_H
#define PGW_PWPOLICY_H

#include <apr_errno.h>
#include <apr_general.h>
#include <apr_pools.h>

#define PGW_PWPOLICY_MIN_CHARS 8
#define PGW_PWPOLICY_MAX_BYTES 1024

/* Bounds on the list file, so that a wrong path (a log, a dump) fails
 * at startup instead of filling memory. */
#define PGW_PWPOLICY_MAX_LINE    256
#define PGW_PWPOLICY_MAX_ENTRIES 1000000

/* Every message the password pages show, in one place; the numbers in
 * them are the limits above. */
#define PGW_PWMSG_MIN       APR_STRINGIFY(PGW_PWPOLICY_MIN_CHARS)
#define PGW_PWMSG_MAX       APR_STRINGIFY(PGW_PWPOLICY_MAX_BYTES)
#define PGW_PWMSG_TOO_SHORT "Password baru minimal " PGW_PWMSG_MIN " karakter."
#define PGW_PWMSG_TOO_LONG                                                     \
    "Password baru terlalu panjang: maksimal " PGW_PWMSG_MAX " byte (huruf "   \
    "biasa 1 byte, huruf beraksen atau emoji 2 sampai 4); pilih yang lebih "   \
    "pendek."
#define PGW_PWMSG_NOT_UTF8                                                     \
    "Password baru memuat karakter yang tidak dikenali; ketik ulang "          \
    "password baru."
#define PGW_PWMSG_REPEATED                                                     \
    "Password tidak boleh hanya satu karakter yang diulang; pilih yang lain."
#define PGW_PWMSG_COMMON                                                       \
    "Password ini terlalu umum dan mudah ditebak; pilih yang lain."
#define PGW_PWMSG_PERSONAL                                                     \
    "Password tidak boleh memuat NRK, NIP, atau tanggal lahir Anda."
#define PGW_PWMSG_MISMATCH    "Konfirmasi password baru tidak sama."
#define PGW_PWMSG_SAME_AS_OLD "Password baru harus berbeda dari password lama."
#define PGW_PWMSG_OLD_MISSING "Isi password lama Anda."
#define PGW_PWMSG_OLD_WRONG   "Password lama salah."
#define PGW_PWMSG_CHANGED                                                      \
    "Password berhasil diubah. Semua sesi lain akun ini telah diakhiri."

/* The list of common passwords, sorted, read-only once loaded. */
typedef struct pgw_pwpolicy_t pgw_pwpolicy_t;

/* Reads the list at path (conf/common-passwords.txt is shipped): one
 * password a line; white space around it is trimmed, A-Z lower-cased;
 * blank lines and lines whose first other character is '#' are
 * skipped, so a listed password cannot start with '#'. On success *pol
 * lives on p. Otherwise *errmsg (on p, English, for the error log) names
 * the file and the line: the status of apr_file_open()/apr_file_gets()
 * for a missing or unreadable file, APR_EINVAL for a line longer than
 * PGW_PWPOLICY_MAX_LINE bytes or not UTF-8, more than
 * PGW_PWPOLICY_MAX_ENTRIES passwords, or none at all. */
apr_status_t pgw_pwpolicy_load(apr_pool_t *p, const char *path,
                               pgw_pwpolicy_t **pol, const char **errmsg);

/* How many distinct passwords the list holds. */
int pgw_pwpolicy_count(const pgw_pwpolicy_t *pol);

/* True when password, A-Z lower-cased, is a line of the list. Non-ASCII
 * letters are compared as they are (the shipped list is ASCII). */
int pgw_pwpolicy_listed(const pgw_pwpolicy_t *pol, const char *password);

/* APR_SUCCESS when password may become the employee's new password;
 * otherwise APR_EINVAL and *errmsg one of the PGW_PWMSG_ messages above
 * (static), naming the first rule broken. pol must be loaded.
 *
 * nrk and nip are the employee's as stored (digits); tanggal_lahir_iso
 * is the birth date "YYYY-MM-DD" (a time after it is ignored). Any of
 * them may be NULL or empty, and a birth date that does not parse is
 * ignored; the date the NIP begins with is looked for as well, so a
 * typo in either is still caught. An NRK or NIP of fewer than 5
 * characters is not looked for (a few digits inside a passphrase are
 * chance, not a guessable choice).
 *
 * The birth date is refused anywhere in the password, letters in any
 * case, in these forms (5 July 1983 as the example): day-month-year,
 * year-month-day and month-day-year; day and month with and without a
 * leading zero; the year in 4 or 2 digits; no separator or one of
 * - / . and space ("05071983", "1983-07-05", "050783", "5/7/83",
 * "07/05/1983"); and with the month's Indonesian name or its first
 * three letters ("5 Juli 1983", "05jul83"). Digit forms shorter than 6
 * characters ("5783") are not looked for.
 *
 * Works on p for those forms; makes no copy of password. */
apr_status_t pgw_pwpolicy_check(apr_pool_t *p, const pgw_pwpolicy_t *pol,
                                const char *password, const char *nrk,
                                const char *nip, const char *tanggal_lahir_iso,
                                const char **errmsg);

/* APR_SUCCESS when the two new password fields (password_baru and
 * password_baru2) are byte for byte the same; otherwise APR_EINVAL and
 * *errmsg PGW_PWMSG_MISMATCH. NULL is the empty field. */
apr_status_t pgw_pwpolicy_confirm(const char *baru, const char *baru2,
                                  const char **errmsg);

/* APR_SUCCESS when the new password is not the current one (which the
 * handler has verified: a temporary password must really be replaced);
 * otherwise APR_EINVAL and *errmsg PGW_PWMSG_SAME_AS_OLD. */
apr_status_t pgw_pwpolicy_differs(const char *lama, const char *baru,
                                  const char **errmsg);

#endif
