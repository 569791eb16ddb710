/* The portal's SQL, one labelled statement each (see pgw_sql.h). */
#include <stddef.h>

#include "pgw_sql.h"

const pgw_sql_statement_t pgw_sql_statements[] = {
    /* Sessions (ASVS V7): only the SHA-256 of the token is stored. */
    {PGW_SQL_SESSION_GET,
     "SELECT s.nrk, s.csrf_token, s.created_at, s.seen_at, p.nama, "
     "COALESCE(a.must_change_password, 0) "
     "FROM session s JOIN pegawai p ON p.nrk = s.nrk "
     "LEFT JOIN account a ON a.nrk = s.nrk "
     "WHERE s.token_hash = %s"},
    {PGW_SQL_SESSION_INSERT,
     "INSERT INTO session (token_hash, nrk, csrf_token, created_at, "
     "seen_at, client_ip) VALUES (%s, %s, %s, %lld, %lld, %s)"},
    {PGW_SQL_SESSION_TOUCH,
     "UPDATE session SET seen_at = %lld WHERE token_hash = %s"},
    {PGW_SQL_SESSION_DELETE, "DELETE FROM session WHERE token_hash = %s"},
    /* Sessions of one account past their idle or absolute limit. */
    {PGW_SQL_SESSION_PURGE, "DELETE FROM session WHERE nrk = %s "
                            "AND (seen_at < %lld OR created_at < %lld)"},

    {PGW_SQL_ACCOUNT_GET, "SELECT password_hash FROM account WHERE nrk = %s"},
    /* Compare-and-set: a concurrent password change wins over the
     * upgrade of a legacy hash. */
    {PGW_SQL_ACCOUNT_REHASH, "UPDATE account SET password_hash = %s "
                             "WHERE nrk = %s AND password_hash = %s"},
    {PGW_SQL_ACCOUNT_LOGIN,
     "UPDATE account SET last_login_at = %lld WHERE nrk = %s"},
    {PGW_SQL_ACCOUNT_HAS_ROLE,
     "SELECT 1 FROM account_role WHERE nrk = %s AND role = %s"},
    {PGW_SQL_PEGAWAI_EXISTS, "SELECT 1 FROM pegawai WHERE nrk = %s"},

    /* Throttling: the failure count is incremented in one statement so
     * that concurrent attempts on several nodes all count; a window
     * older than the cutoff starts again at one. */
    {PGW_SQL_THROTTLE_GET,
     "SELECT failures, window_start, blocked_until FROM login_throttle "
     "WHERE throttle_key = %s"},
    {PGW_SQL_THROTTLE_FAIL,
     "INSERT INTO login_throttle (throttle_key, failures, window_start, "
     "blocked_until) VALUES (%s, 1, %lld, 0) "
     "ON CONFLICT (throttle_key) DO UPDATE SET "
     "failures = CASE WHEN login_throttle.window_start <= %lld THEN 1 "
     "ELSE login_throttle.failures + 1 END, "
     "blocked_until = CASE WHEN login_throttle.window_start <= %lld "
     "THEN 0 ELSE login_throttle.blocked_until END, "
     "window_start = CASE WHEN login_throttle.window_start <= %lld "
     "THEN excluded.window_start ELSE login_throttle.window_start END"},
    {PGW_SQL_THROTTLE_BLOCK,
     "UPDATE login_throttle SET blocked_until = %lld "
     "WHERE throttle_key = %s AND blocked_until < %lld"},
    {PGW_SQL_THROTTLE_CLEAR,
     "DELETE FROM login_throttle WHERE throttle_key = %s"},

    {PGW_SQL_DEVICE_GET, "SELECT nrk FROM login_device WHERE token_hash = %s "
                         "AND created_at > %lld"},
    {PGW_SQL_DEVICE_INSERT,
     "INSERT INTO login_device (token_hash, nrk, created_at) "
     "VALUES (%s, %s, %lld)"},

    /* The profile page in one round trip (manual section 2, Gambar 1
     * and 3): the header row (k = 0), then the Jabatan Struktural rows
     * (k = 1), newest first. Dates are cast to text so that both halves
     * of the UNION have one type per column. */
    {PGW_SQL_PROFILE_GET,
     "SELECT 0 AS k, p.nrk, p.nip, p.nama, p.gelar_depan, p.gelar_belakang, "
     "p.tempat_lahir, CAST(p.tanggal_lahir AS TEXT), p.status_pegawai, "
     "p.jenis_jabatan, e.nama, g.golongan, g.pangkat, u.nama, p.jabatan, "
     "l.nama, NULL AS tmt, 0 AS id "
     "FROM pegawai p "
     "LEFT JOIN ref_eselon e ON e.kode = p.eselon "
     "LEFT JOIN ref_golongan g ON g.kode = p.golongan "
     "LEFT JOIN unit_kerja u ON u.kode = p.unit_kerja "
     "LEFT JOIN unit_kerja l ON l.kode = p.lokasi_kerja "
     "WHERE p.nrk = %s "
     "UNION ALL "
     "SELECT 1, CAST(rj.tmt AS TEXT), u.nama, rj.jabatan, g.golongan, "
     "g.pangkat, rj.eselon, rj.no_sk, CAST(rj.tanggal_sk AS TEXT), NULL, "
     "NULL, NULL, NULL, NULL, NULL, NULL, CAST(rj.tmt AS TEXT), rj.id "
     "FROM riwayat_jabatan rj "
     "LEFT JOIN unit_kerja u ON u.kode = rj.lokasi "
     "LEFT JOIN ref_golongan g ON g.kode = rj.golongan "
     "WHERE rj.nrk = %s "
     "ORDER BY 1, 17 DESC, 18 DESC"},

    {PGW_SQL_AUDIT_INSERT,
     "INSERT INTO audit_log (at, actor, subject_nrk, action, table_name, "
     "column_name, old_value, new_value, client_ip) "
     "VALUES (%lld, %s, %s, %s, %s, %s, %s, %s, %s)"},
    {NULL, NULL}};
