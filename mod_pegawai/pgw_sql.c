/* The portal's SQL, one labelled statement each (see pgw_sql.h). */
#include <stddef.h>

#include "pgw_sql.h"

const pgw_sql_statement_t pgw_sql_statements[] = {
    /* Sessions (ASVS V7): only the SHA-256 of the token is stored. */
    {PGW_SQL_SESSION_GET,
     "SELECT s.nrk, s.csrf_token, s.created_at, s.seen_at, p.nama, "
     "COALESCE(a.must_change_password, 0), s.flash "
     "FROM session s JOIN pegawai p ON p.nrk = s.nrk "
     "LEFT JOIN account a ON a.nrk = s.nrk "
     "WHERE s.token_hash = %s"},
    {PGW_SQL_SESSION_INSERT,
     "INSERT INTO session (token_hash, nrk, csrf_token, created_at, "
     "seen_at, client_ip) VALUES (%s, %s, %s, %lld, %lld, %s)"},
    {PGW_SQL_SESSION_TOUCH,
     "UPDATE session SET seen_at = %lld WHERE token_hash = %s"},
    {PGW_SQL_SESSION_DELETE, "DELETE FROM session WHERE token_hash = %s"},
    /* The one-time message of a session (migration 0006): written by a
     * save, cleared by the page that shows it. */
    {PGW_SQL_SESSION_FLASH_SET,
     "UPDATE session SET flash = %s WHERE token_hash = %s"},
    {PGW_SQL_SESSION_FLASH_CLEAR,
     "UPDATE session SET flash = NULL WHERE token_hash = %s"},
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
    /* An attempt is counted before the password is checked, by
     * compare-and-set on the state it was admitted on: of parallel
     * attempts on one key only one moves each state on (the others see
     * no row changed and read again). */
    {PGW_SQL_THROTTLE_TAKE_NEW,
     "INSERT INTO login_throttle (throttle_key, failures, window_start, "
     "blocked_until) VALUES (%s, %d, %lld, %lld) "
     "ON CONFLICT (throttle_key) DO NOTHING"},
    {PGW_SQL_THROTTLE_TAKE,
     "UPDATE login_throttle SET failures = %d, window_start = %lld, "
     "blocked_until = %lld WHERE throttle_key = %s AND failures = %d "
     "AND window_start = %lld AND blocked_until = %lld"},
    {PGW_SQL_THROTTLE_GIVE_BACK,
     "UPDATE login_throttle SET failures = failures - 1, "
     "blocked_until = CASE WHEN blocked_until = %lld THEN %lld "
     "ELSE blocked_until END WHERE throttle_key = %s AND failures > 0"},
    {PGW_SQL_THROTTLE_PURGE,
     "DELETE FROM login_throttle WHERE window_start <= %lld "
     "AND blocked_until <= %lld"},

    {PGW_SQL_DEVICE_GET, "SELECT nrk FROM login_device WHERE token_hash = %s "
                         "AND created_at > %lld"},
    {PGW_SQL_DEVICE_INSERT,
     "INSERT INTO login_device (token_hash, nrk, created_at) "
     "VALUES (%s, %s, %lld)"},
    {PGW_SQL_DEVICE_PURGE, "DELETE FROM login_device WHERE created_at <= %lld"},

    /* The profile page in one round trip (manual section 2, Gambar 1
     * and 3): the header row (k = 0, ending with the data form's fields
     * in pgw_data_fields[] order, for the completeness indicator), then
     * the Jabatan Struktural rows (k = 1), newest first. Dates are cast to text
     * so that both halves of the UNION have one type per column. The
     * reference names are scalar subqueries, one primary-key probe each:
     * PostgreSQL would otherwise hash-join the employee's one row against
     * whole reference tables (28% more time per execution, pgbench). */
    {PGW_SQL_PROFILE_GET,
     "SELECT 0 AS k, p.nrk, p.nip, p.nama, p.gelar_depan, p.gelar_belakang, "
     "p.tempat_lahir, CAST(p.tanggal_lahir AS TEXT), p.status_pegawai, "
     "p.jenis_jabatan, "
     "(SELECT nama FROM ref_eselon WHERE kode = p.eselon), "
     "(SELECT golongan FROM ref_golongan WHERE kode = p.golongan), "
     "(SELECT pangkat FROM ref_golongan WHERE kode = p.golongan), "
     "(SELECT nama FROM unit_kerja WHERE kode = p.unit_kerja), p.jabatan, "
     "(SELECT nama FROM unit_kerja WHERE kode = p.lokasi_kerja), "
     "NULL AS tmt, 0 AS id, p.agama, p.jenis_kelamin, "
     "p.no_taspen, p.nik, p.no_kk, p.no_rek_bank_dki, p.npwp, p.gol_darah, "
     "p.no_telp, p.no_hp, p.pendidikan_cpns, p.no_karpeg, p.no_bpjs, "
     "p.no_karis_karsu, p.email, "
     "(SELECT nama FROM ref_agama WHERE kode = p.agama), "
     "(SELECT nama FROM ref_pendidikan WHERE kode = p.pendidikan_cpns), "
     "(SELECT count(*) FROM foto f WHERE f.nrk = p.nrk AND f.aktif = 1) "
     "FROM pegawai p WHERE p.nrk = %s "
     "UNION ALL "
     "SELECT 1, CAST(rj.tmt AS TEXT), u.nama, rj.jabatan, g.golongan, "
     "g.pangkat, rj.eselon, rj.no_sk, CAST(rj.tanggal_sk AS TEXT), NULL, "
     "NULL, NULL, NULL, NULL, NULL, NULL, CAST(rj.tmt AS TEXT), rj.id, "
     "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
     "NULL, NULL, NULL, NULL, NULL, NULL, NULL "
     "FROM riwayat_jabatan rj "
     "LEFT JOIN unit_kerja u ON u.kode = rj.lokasi "
     "LEFT JOIN ref_golongan g ON g.kode = rj.golongan "
     "WHERE rj.nrk = %s "
     "ORDER BY 1, 17 DESC, 18 DESC"},

    {PGW_SQL_AUDIT_INSERT,
     "INSERT INTO audit_log (at, actor, subject_nrk, action, table_name, "
     "column_name, old_value, new_value, client_ip) "
     "VALUES (%lld, %s, %s, %s, %s, %s, %s, %s, %s)"},
    /* The same, for a table with several rows per employee: row_key
     * names the row (migration 0006). */
    {PGW_SQL_AUDIT_INSERT_ROW,
     "INSERT INTO audit_log (at, actor, subject_nrk, action, table_name, "
     "column_name, old_value, new_value, client_ip, row_key) "
     "VALUES (%lld, %s, %s, %s, %s, %s, %s, %s, %s, %s)"},
    /* Sessions idle for a day past any timeout, whoever they belong to;
     * an expired session is kept that long so that a SIMPAN arriving
     * after it can still tell whose draft to keep. */
    {PGW_SQL_SESSION_PURGE_OLD, "DELETE FROM session WHERE seen_at < %lld"},

    /* The data form (issue 3). The columns follow pgw_data_fields[]. */
    {PGW_SQL_DATA_GET,
     "SELECT nip, versi, agama, jenis_kelamin, no_taspen, nik, no_kk, "
     "no_rek_bank_dki, npwp, gol_darah, no_telp, no_hp, pendidikan_cpns, "
     "no_karpeg, no_bpjs, no_karis_karsu, email "
     "FROM pegawai WHERE nrk = %s"},
    /* Optimistic locking: the row changes only if nobody saved since the
     * form was read (versi), so two tabs never overwrite each other. */
    {PGW_SQL_DATA_UPDATE,
     "UPDATE pegawai SET agama = %s, jenis_kelamin = %s, no_taspen = %s, "
     "nik = %s, no_kk = %s, no_rek_bank_dki = %s, npwp = %s, "
     "gol_darah = %s, no_telp = %s, no_hp = %s, pendidikan_cpns = %s, "
     "no_karpeg = %s, no_bpjs = %s, no_karis_karsu = %s, email = %s, "
     "versi = versi + 1, diubah_pada = %lld "
     "WHERE nrk = %s AND versi = %d"},
    {PGW_SQL_REF_AGAMA, "SELECT kode, nama FROM ref_agama ORDER BY kode"},
    {PGW_SQL_REF_PENDIDIKAN,
     "SELECT kode, nama FROM ref_pendidikan ORDER BY kode"},

    {PGW_SQL_DRAFT_INSERT,
     "INSERT INTO form_draft (token_hash, nrk, form, body, created_at) "
     "VALUES (%s, %s, %s, %s, %lld)"},
    {PGW_SQL_DRAFT_GET, "SELECT nrk, form, body FROM form_draft "
                        "WHERE token_hash = %s AND created_at > %lld"},
    {PGW_SQL_DRAFT_DELETE, "DELETE FROM form_draft WHERE token_hash = %s"},
    {PGW_SQL_DRAFT_PURGE, "DELETE FROM form_draft WHERE created_at < %lld"},

    /* The employee's own change history (UU PDP 27/2022: the right to
     * know what changed): their data and their Riwayat Alamat entries,
     * newest first, one page (LIMIT, OFFSET) at a time. */
    {PGW_SQL_AUDIT_LIST,
     "SELECT at, actor, table_name, column_name, old_value, new_value, "
     "client_ip, action, row_key FROM audit_log WHERE subject_nrk = %s "
     "AND table_name IN ('pegawai', 'riwayat_alamat') "
     "ORDER BY at DESC, id DESC LIMIT %d OFFSET %d"},
    /* Riwayat Alamat (issue 4). The columns of the form follow
     * pgw_alamat_fields[]; tanggal_mulai is read as text so that both
     * databases give 'YYYY-MM-DD'. */
    {PGW_SQL_ALAMAT_LIST,
     "SELECT ra.id, ra.versi, CAST(ra.tanggal_mulai AS TEXT), ra.alamat, "
     "ra.rt, ra.rw, kl.nama, kc.nama, kb.nama, pv.nama, ra.kode_pos, "
     "ra.ktp_sama, ra.alamat_ktp, ra.rt_ktp, ra.rw_ktp, kl2.nama, "
     "kc2.nama, kb2.nama, pv2.nama, ra.kode_pos_ktp, ra.keterangan "
     "FROM riwayat_alamat ra "
     "LEFT JOIN wilayah_provinsi pv ON pv.kode = ra.provinsi "
     "LEFT JOIN wilayah_kabupaten kb ON kb.kode = ra.kota "
     "LEFT JOIN wilayah_kecamatan kc ON kc.kode = ra.kecamatan "
     "LEFT JOIN wilayah_kelurahan kl ON kl.kode = ra.kelurahan "
     "LEFT JOIN wilayah_provinsi pv2 ON pv2.kode = ra.provinsi_ktp "
     "LEFT JOIN wilayah_kabupaten kb2 ON kb2.kode = ra.kota_ktp "
     "LEFT JOIN wilayah_kecamatan kc2 ON kc2.kode = ra.kecamatan_ktp "
     "LEFT JOIN wilayah_kelurahan kl2 ON kl2.kode = ra.kelurahan_ktp "
     "WHERE ra.nrk = %s ORDER BY ra.tanggal_mulai DESC, ra.id DESC"},
    /* One entry, only ever with its owner's NRK. */
    {PGW_SQL_ALAMAT_GET,
     "SELECT versi, CAST(tanggal_mulai AS TEXT), alamat, rt, rw, provinsi, "
     "kota, kecamatan, kelurahan, kode_pos, ktp_sama, alamat_ktp, rt_ktp, "
     "rw_ktp, provinsi_ktp, kota_ktp, kecamatan_ktp, kelurahan_ktp, "
     "kode_pos_ktp, keterangan "
     "FROM riwayat_alamat WHERE id = %lld AND nrk = %s"},
    {PGW_SQL_ALAMAT_INSERT,
     "INSERT INTO riwayat_alamat (nrk, tanggal_mulai, alamat, rt, rw, "
     "provinsi, kota, kecamatan, kelurahan, kode_pos, ktp_sama, alamat_ktp, "
     "rt_ktp, rw_ktp, provinsi_ktp, kota_ktp, kecamatan_ktp, kelurahan_ktp, "
     "kode_pos_ktp, keterangan, dibuat_pada, kiriman) VALUES (%s, %pDd, %s, "
     "%s, %s, %s, %s, %s, %s, %s, %d, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
     "%lld, %s) "
     /* The new id, for the audit rows' row_key (SQLite 3.35 and up). */
     "RETURNING id"},
    /* The entry a Tambah Data form already added (migration 0008). */
    {PGW_SQL_ALAMAT_KIRIMAN,
     "SELECT id FROM riwayat_alamat WHERE nrk = %s AND kiriman = %s"},
    {PGW_SQL_ALAMAT_UPDATE,
     "UPDATE riwayat_alamat SET tanggal_mulai = %pDd, alamat = %s, "
     "rt = %s, rw = %s, provinsi = %s, kota = %s, kecamatan = %s, "
     "kelurahan = %s, kode_pos = %s, ktp_sama = %d, alamat_ktp = %s, "
     "rt_ktp = %s, rw_ktp = %s, provinsi_ktp = %s, kota_ktp = %s, "
     "kecamatan_ktp = %s, kelurahan_ktp = %s, kode_pos_ktp = %s, "
     "keterangan = %s, versi = versi + 1, diubah_pada = %lld "
     "WHERE id = %lld AND nrk = %s AND versi = %d"},
    {PGW_SQL_ALAMAT_DELETE,
     "DELETE FROM riwayat_alamat WHERE id = %lld AND nrk = %s "
     "AND versi = %d"},

    /* Kemendagri regions: the children of one code. */
    {PGW_SQL_WILAYAH_PROVINSI,
     "SELECT kode, nama FROM wilayah_provinsi ORDER BY kode"},
    {PGW_SQL_WILAYAH_KOTA,
     "SELECT kode, nama FROM wilayah_kabupaten WHERE provinsi = %s "
     "ORDER BY kode"},
    {PGW_SQL_WILAYAH_KECAMATAN,
     "SELECT kode, nama FROM wilayah_kecamatan WHERE kabupaten = %s "
     "ORDER BY kode"},
    {PGW_SQL_WILAYAH_KELURAHAN,
     "SELECT kode, nama FROM wilayah_kelurahan WHERE kecamatan = %s "
     "ORDER BY kode"},
    /* The photo (issue 5): one active row per employee; the old ones stay
     * as history. */
    /* First in the transaction that stores a photo: it makes two uploads
     * of one employee run one after the other, so that the second one's
     * deactivation sees the first one's row. Without it PostgreSQL (READ
     * COMMITTED) finds the rows to deactivate in a snapshot taken before
     * the first commits, and both new photos stay active. */
    {PGW_SQL_FOTO_LOCK, "UPDATE pegawai SET versi = versi WHERE nrk = %s"},
    {PGW_SQL_FOTO_DEACTIVATE,
     "UPDATE foto SET aktif = 0 WHERE nrk = %s AND aktif = 1"},
    {PGW_SQL_FOTO_INSERT,
     "INSERT INTO foto (nrk, jpeg_base64, bytes, width, height, sha256, "
     "aktif, diunggah_pada, client_ip) "
     "VALUES (%s, %s, %d, %d, %d, %s, 1, %lld, %s)"},
    {PGW_SQL_FOTO_GET,
     "SELECT jpeg_base64, sha256 FROM foto WHERE nrk = %s AND aktif = 1 "
     "ORDER BY id DESC LIMIT 1"},
    /* A conditional request is answered without reading the photo. */
    {PGW_SQL_FOTO_ETAG, "SELECT sha256 FROM foto WHERE nrk = %s AND aktif = 1 "
                        "ORDER BY id DESC LIMIT 1"},

    /* Ubah Password (issue 5). Compare-and-set on the hash the current
     * password was checked against: of two changes at once, the second
     * finds it replaced. */
    {PGW_SQL_ACCOUNT_SET_PASSWORD,
     "UPDATE account SET password_hash = %s, must_change_password = 0, "
     "password_changed_at = %lld WHERE nrk = %s AND password_hash = %s"},
    {PGW_SQL_SESSION_DELETE_ALL, "DELETE FROM session WHERE nrk = %s"},
    /* What a new password must not contain: the NIP and birth date. */
    {PGW_SQL_PASSWORD_CONTEXT,
     "SELECT p.nip, CAST(p.tanggal_lahir AS TEXT), a.password_hash "
     "FROM pegawai p JOIN account a ON a.nrk = p.nrk WHERE p.nrk = %s"},

    /* Unduh Data Saya (UU PDP No. 27/2022: what is held about the
     * employee, and its history). Whole rows where the row is theirs, so
     * that a column added later is in the download too; never a
     * password hash, a session token or a CSRF token. */
    {PGW_SQL_UNDUH_PEGAWAI, "SELECT * FROM pegawai WHERE nrk = %s"},
    {PGW_SQL_UNDUH_JABATAN, "SELECT * FROM riwayat_jabatan WHERE nrk = %s "
                            "ORDER BY tmt DESC, id DESC"},
    {PGW_SQL_UNDUH_ALAMAT, "SELECT * FROM riwayat_alamat WHERE nrk = %s "
                           "ORDER BY tanggal_mulai DESC, id DESC"},
    {PGW_SQL_UNDUH_AKUN,
     "SELECT nrk, must_change_password, created_at, password_changed_at, "
     "last_login_at FROM account WHERE nrk = %s"},
    {PGW_SQL_UNDUH_PERAN,
     "SELECT role FROM account_role WHERE nrk = %s ORDER BY role"},
    {PGW_SQL_UNDUH_FOTO,
     "SELECT id, bytes, width, height, sha256, aktif, diunggah_pada, "
     "client_ip FROM foto WHERE nrk = %s ORDER BY id"},
    {PGW_SQL_UNDUH_SESI, "SELECT created_at, seen_at, client_ip FROM session "
                         "WHERE nrk = %s ORDER BY created_at"},
    {PGW_SQL_UNDUH_AUDIT,
     "SELECT at, actor, action, table_name, column_name, row_key, "
     "old_value, new_value, client_ip FROM audit_log "
     "WHERE subject_nrk = %s ORDER BY id"},
    {NULL, NULL}};
