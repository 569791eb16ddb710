/* Every SQL statement of the portal, by label. The glue registers them
 * all with mod_dbd at startup (ap_dbd_prepare); no SQL is ever built from
 * input. The statements are portable: SQLite 3.40 and PostgreSQL 15 run
 * each one unchanged (placeholders are apr_dbd's, see docs/DESIGN.md).
 */
#ifndef PGW_SQL_H
#define PGW_SQL_H

typedef struct pgw_sql_statement_t {
    const char *label;
    const char *sql;
} pgw_sql_statement_t;

/* Terminated by an entry whose label is NULL. */
extern const pgw_sql_statement_t pgw_sql_statements[];

/* Labels, so that a typo is a compile error rather than a 500. */
#define PGW_SQL_SESSION_GET      "pgw_session_get"
#define PGW_SQL_SESSION_INSERT   "pgw_session_insert"
#define PGW_SQL_SESSION_TOUCH    "pgw_session_touch"
#define PGW_SQL_SESSION_DELETE   "pgw_session_delete"
#define PGW_SQL_SESSION_PURGE    "pgw_session_purge"
#define PGW_SQL_ACCOUNT_GET      "pgw_account_get"
#define PGW_SQL_ACCOUNT_REHASH   "pgw_account_rehash"
#define PGW_SQL_ACCOUNT_LOGIN    "pgw_account_login"
#define PGW_SQL_ACCOUNT_HAS_ROLE "pgw_account_has_role"
#define PGW_SQL_PEGAWAI_EXISTS   "pgw_pegawai_exists"
#define PGW_SQL_THROTTLE_GET     "pgw_throttle_get"
#define PGW_SQL_THROTTLE_FAIL    "pgw_throttle_fail"
#define PGW_SQL_THROTTLE_BLOCK   "pgw_throttle_block"
#define PGW_SQL_THROTTLE_CLEAR   "pgw_throttle_clear"
#define PGW_SQL_DEVICE_GET       "pgw_device_get"
#define PGW_SQL_DEVICE_INSERT    "pgw_device_insert"
#define PGW_SQL_PROFILE_GET      "pgw_profile_get"
#define PGW_SQL_AUDIT_INSERT     "pgw_audit_insert"
#define PGW_SQL_AUDIT_INSERT_ROW "pgw_audit_insert_row"

/* Throttle counted before the check, and purges at login. */
#define PGW_SQL_THROTTLE_TAKE_NEW  "pgw_throttle_take_new"
#define PGW_SQL_THROTTLE_TAKE      "pgw_throttle_take"
#define PGW_SQL_THROTTLE_GIVE_BACK "pgw_throttle_give_back"
#define PGW_SQL_THROTTLE_PURGE     "pgw_throttle_purge"
#define PGW_SQL_DEVICE_PURGE       "pgw_device_purge"

#define PGW_SQL_SESSION_PURGE_OLD "pgw_session_purge_old"
#define PGW_SQL_DATA_GET          "pgw_data_get"
#define PGW_SQL_DATA_UPDATE       "pgw_data_update"
#define PGW_SQL_REF_AGAMA         "pgw_ref_agama"
#define PGW_SQL_REF_PENDIDIKAN    "pgw_ref_pendidikan"
#define PGW_SQL_DRAFT_INSERT      "pgw_draft_insert"
#define PGW_SQL_DRAFT_GET         "pgw_draft_get"
#define PGW_SQL_DRAFT_DELETE      "pgw_draft_delete"
#define PGW_SQL_DRAFT_PURGE       "pgw_draft_purge"
#define PGW_SQL_AUDIT_LIST        "pgw_audit_list"

#define PGW_SQL_ALAMAT_LIST       "pgw_alamat_list"
#define PGW_SQL_ALAMAT_GET        "pgw_alamat_get"
#define PGW_SQL_ALAMAT_INSERT     "pgw_alamat_insert"
#define PGW_SQL_ALAMAT_UPDATE     "pgw_alamat_update"
#define PGW_SQL_ALAMAT_KIRIMAN    "pgw_alamat_kiriman"
#define PGW_SQL_ALAMAT_DELETE     "pgw_alamat_delete"
#define PGW_SQL_WILAYAH_PROVINSI  "pgw_wilayah_provinsi"
#define PGW_SQL_WILAYAH_KOTA      "pgw_wilayah_kota"
#define PGW_SQL_WILAYAH_KECAMATAN "pgw_wilayah_kecamatan"
#define PGW_SQL_WILAYAH_KELURAHAN "pgw_wilayah_kelurahan"

#define PGW_SQL_FOTO_LOCK            "pgw_foto_lock"
#define PGW_SQL_FOTO_DEACTIVATE      "pgw_foto_deactivate"
#define PGW_SQL_FOTO_INSERT          "pgw_foto_insert"
#define PGW_SQL_FOTO_GET             "pgw_foto_get"
#define PGW_SQL_FOTO_ETAG            "pgw_foto_etag"
#define PGW_SQL_ACCOUNT_SET_PASSWORD "pgw_account_set_password"
#define PGW_SQL_SESSION_DELETE_ALL   "pgw_session_delete_all"
#define PGW_SQL_PASSWORD_CONTEXT     "pgw_password_context"

#define PGW_SQL_SESSION_FLASH_SET   "pgw_session_flash_set"
#define PGW_SQL_SESSION_FLASH_CLEAR "pgw_session_flash_clear"

/* Unduh Data Saya. */
#define PGW_SQL_UNDUH_PEGAWAI "pgw_unduh_pegawai"
#define PGW_SQL_UNDUH_JABATAN "pgw_unduh_jabatan"
#define PGW_SQL_UNDUH_ALAMAT  "pgw_unduh_alamat"
#define PGW_SQL_UNDUH_AKUN    "pgw_unduh_akun"
#define PGW_SQL_UNDUH_PERAN   "pgw_unduh_peran"
#define PGW_SQL_UNDUH_FOTO    "pgw_unduh_foto"
#define PGW_SQL_UNDUH_SESI    "pgw_unduh_sesi"
#define PGW_SQL_UNDUH_AUDIT   "pgw_unduh_audit"

#endif
