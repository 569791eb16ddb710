/* Declarations shared by the Apache glue files (mod_pegawai*.c) only.
 * The pure library (pgw_*.h) never includes this file.
 */
#ifndef MOD_PEGAWAI_H
#define MOD_PEGAWAI_H

#include "httpd.h"
#include "http_config.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

#include "pgw_image.h"
#include "pgw_password.h"
#include "pgw_template.h"
#include "pgw_throttle.h"

extern module AP_MODULE_DECLARE_DATA pegawai_module;

/* ------------------------------------------------------------ config */

typedef enum {
    PEGAWAI_SECURE_AUTO = 0, /* Secure cookies when the request is HTTPS */
    PEGAWAI_SECURE_ON,
    PEGAWAI_SECURE_OFF
} pegawai_secure_e;

/* Server configuration. Every field has its default and merge rule in
 * mod_pegawai_config.c; -1 (or NULL) means "not set here". */
typedef struct pegawai_srv_cfg {
    const char *template_dir;
    pgw_tpl_set_t *templates;        /* compiled when the directive is read */
    const char *static_url;          /* URL prefix of CSS and scripts */
    int idle_timeout;                /* seconds */
    int max_age;                     /* seconds */
    int cookie_secure;               /* pegawai_secure_e or -1 */
    int device_max_age;              /* seconds a device cookie lives */
    apr_off_t max_form_body;         /* bytes */
    int pw_ops;                      /* argon2id t */
    int pw_mem_kib;                  /* argon2id m in KiB */
    int throttle_account;            /* failures an hour per account */
    int throttle_address;            /* failures an hour per address */
    int pw_concurrency;              /* argon2id runs at once per child */
    int photo_concurrency;           /* photo decodes at once per child */
    pgw_image_rules_t *photo;        /* Upload Foto rules; NULL: inherited */
    const char *common_passwords;    /* file of refused passwords */
    struct pgw_pwpolicy_t *pwpolicy; /* loaded from it */
} pegawai_srv_cfg;

/* Directory configuration. */
typedef struct pegawai_dir_cfg {
    int enabled;                   /* Pegawai On|Off, -1 unset */
    apr_array_header_t *providers; /* const char * names, NULL unset */
} pegawai_dir_cfg;

extern const command_rec pegawai_cmds[];
void *pegawai_create_srv_cfg(apr_pool_t *p, server_rec *s);
void *pegawai_merge_srv_cfg(apr_pool_t *p, void *basev, void *addv);
void *pegawai_create_dir_cfg(apr_pool_t *p, char *dir);
void *pegawai_merge_dir_cfg(apr_pool_t *p, void *basev, void *addv);

pegawai_srv_cfg *pegawai_srv(const request_rec *r);
int pegawai_enabled(const request_rec *r);
void pegawai_pwcost(const pegawai_srv_cfg *sc, pgw_pwcost_t *cost);
apr_status_t pegawai_config_check(apr_pool_t *ptemp, server_rec *s);

/* ------------------------------------------------------------ database */

/* The rows of a result, fully read (every row drained) so that the
 * connection can take the next statement. cell(row, col) is NULL for
 * SQL NULL. */
typedef struct pegawai_rows {
    int nrows;
    int ncols;
    const char **cells;
    const char **names; /* the columns' names: pegawai_db_select_named */
} pegawai_rows;

#define PEGAWAI_CELL(rows, i, j) ((rows)->cells[(i) * (rows)->ncols + (j)])

void pegawai_db_register(apr_pool_t *pconf, server_rec *s);
void pegawai_db_retrieve_fns(void);
void pegawai_db_child_init(apr_pool_t *p, server_rec *s);
void pegawai_db_sqlite_init(server_rec *s);

/* The request's connection, or NULL (already logged) when the database
 * cannot be reached. */
ap_dbd_t *pegawai_db(request_rec *r);

/* Runs the statement label with args (count must match the statement).
 * APR_SUCCESS or an error already logged with the label and the driver's
 * message. */
apr_status_t pegawai_db_select(request_rec *r, const char *label,
                               pegawai_rows **rows, int nargs,
                               const char *const *args);
/* As pegawai_db_select, with the columns' names in rows->names. */
apr_status_t pegawai_db_select_named(request_rec *r, const char *label,
                                     pegawai_rows **rows, int nargs,
                                     const char *const *args);
apr_status_t pegawai_db_exec(request_rec *r, const char *label, int *nrows,
                             int nargs, const char *const *args);
apr_status_t pegawai_db_begin(request_rec *r, apr_dbd_transaction_t **tx);
apr_status_t pegawai_db_end(request_rec *r, apr_dbd_transaction_t *tx,
                            int commit);

/* ------------------------------------------------------------ rendering */

/* Security headers of every portal answer (ASVS V3.4). */
void pegawai_security_headers(request_rec *r);

/* Template data with the fields every page has (page title, static URLs,
 * the logged-in user and the logout CSRF token). */
pgw_tdata_t *pegawai_page_data(request_rec *r, const char *title);

/* Renders template name with data as the whole answer with status. */
int pegawai_render(request_rec *r, int status, const char *name,
                   pgw_tdata_t *data);

/* An Indonesian error page for status; returns OK (the answer is sent). */
int pegawai_error_page(request_rec *r, int status, const char *message);

/* 303 See Other to a local path. */
int pegawai_redirect(request_rec *r, const char *path);

/* ------------------------------------------------------------ sessions */

typedef struct pegawai_session {
    const char *nrk;
    const char *nama;
    const char *token_hash;
    const char *csrf_token;
    apr_int64_t created_at;
    int must_change_password;
    const char *flash; /* the one-time message waiting, or NULL */
} pegawai_session;

/* The valid session of the request or NULL; reads the database once per
 * request. *db_down is set when the database could not be asked. */
const pegawai_session *pegawai_session_get(request_rec *r, int *db_down);

/* The session the request came with when it has timed out, else NULL:
 * its NRK and CSRF token let a form posted after the timeout be kept as
 * a draft for its owner. */
const pegawai_session *pegawai_session_expired(request_rec *r);

/* Creates a session for nrk (rotating away any session the request came
 * with), sets the cookie. */
apr_status_t pegawai_session_start(request_rec *r, const char *nrk);
void pegawai_session_end(request_rec *r, const pegawai_session *sess);

/* The one-time message the next page of sess shows ("Data tersimpan."),
 * kept with the session so that no URL can make a page claim a save. */
apr_status_t pegawai_flash_set(request_rec *r, const pegawai_session *sess,
                               const char *message);

/* The message waiting for sess, cleared as it is taken; NULL if none.
 * A HEAD leaves it for the GET. */
const char *pegawai_flash_take(request_rec *r, const pegawai_session *sess);

/* True when the request is a same-origin form post carrying the expected
 * CSRF token (ASVS V3.5). */
int pegawai_csrf_ok(request_rec *r, const char *expected, const char *given);

/* True when a post that pegawai_csrf_ok() refused is, by the browser's own
 * word, from the portal's pages and names sess's account in its "akun"
 * field: a form left open while its owner logged in again in another tab.
 * It stays refused; only what was typed may be shown again. */
int pegawai_csrf_stale_own(request_rec *r, const pegawai_session *sess,
                           apr_table_t *form);

const char *pegawai_cookie(request_rec *r, const char *name);
void pegawai_set_cookie(request_rec *r, const char *name, const char *value,
                        int max_age);
int pegawai_https(request_rec *r);

int pegawai_check_authn(request_rec *r);
int pegawai_note_auth_failure(request_rec *r, const char *type);

/* ------------------------------------------------------------ auth */

void pegawai_auth_register(apr_pool_t *p);
void pegawai_auth_child_init(apr_pool_t *p, server_rec *s);

/* argon2id work within PegawaiPasswordConcurrency: verification of a
 * password against a stored hash, and the hash of a new password at the
 * configured cost (logged on failure). */
apr_status_t pegawai_password_verify(request_rec *r, const char *password,
                                     const char *stored);
apr_status_t pegawai_password_hash(request_rec *r, const char *password,
                                   const char **hash);

/* Checks nrk/password through the configured authn provider chain.
 * Returns the authn_status of the first provider that knows the user. */
int pegawai_auth_check_chain(request_rec *r, const char *nrk,
                             const char *password);

/* Login throttling (mod_pegawai_throttle.c). device_hash is the hash of
 * a device cookie that belongs to nrk, or NULL: a browser that logged in
 * to the account before is counted on its own key, so an attacker who
 * exhausts the account's allowance does not lock its owner out (OWASP
 * device cookies). pegawai_login_throttled returns the seconds to wait,
 * 0 when the attempt may go ahead, -1 when the database failed. */
apr_int64_t pegawai_login_throttled(request_rec *r, const char *nrk,
                                    const char *device_hash);
void pegawai_login_failed(request_rec *r, const char *nrk,
                          const char *device_hash);
void pegawai_login_succeeded(request_rec *r, const char *nrk,
                             const char *device_hash);
/* Counts the attempt as a failure before the password is checked, so
 * that parallel attempts cannot all pass one state (ASVS V6.3.1); the
 * seconds to wait, 0 when it may go ahead, -1 when the database failed.
 * An admitted attempt needs no pegawai_login_failed; a right password
 * gives it back with pegawai_login_succeeded. */
apr_int64_t pegawai_login_attempt(request_rec *r, const char *nrk,
                                  const char *device_hash);
/* Deletes throttle rows that have run out (called at logins). */
void pegawai_login_purge(request_rec *r);

/* Notes used between the login handler and the authn provider. */
#define PEGAWAI_NOTE_LOGIN_FORM "pegawai-login-form"

/* ------------------------------------------------------------ helpers */

/* Seconds since the epoch (UTC): the unit of every time column. */
apr_int64_t pegawai_now(void);

/* v as decimal text on r's pool, for a statement's argument. */
const char *pegawai_i64(request_rec *r, apr_int64_t v);

/* The name of the warnings an employee confirms with a second SIMPAN: a
 * digest of the n values they are about and of the warnings themselves,
 * so that a value changed meanwhile asks again. */
const char *pegawai_fingerprint(request_rec *r, const char *const *values,
                                int n, const apr_array_header_t *warnings);

/* ------------------------------------------------------------ forms */

/* Reads and parses a urlencoded body under the configured limits.
 * Returns OK with *fields set, or DONE when the body was refused and the
 * error page (400, 413 or 415) has been sent. */
int pegawai_read_form(request_rec *r, apr_table_t **fields);

/* ------------------------------------------------------------ handlers */

int pegawai_handle_home(request_rec *r);
int pegawai_handle_login(request_rec *r);
int pegawai_handle_logout(request_rec *r);
int pegawai_handle_profile(request_rec *r);
int pegawai_handle_data(request_rec *r);
int pegawai_handle_history(request_rec *r);
int pegawai_handle_unduh(request_rec *r);
int pegawai_handle_alamat(request_rec *r);
int pegawai_handle_alamat_tambah(request_rec *r);
int pegawai_handle_alamat_ubah(request_rec *r);
int pegawai_handle_alamat_hapus(request_rec *r);
int pegawai_handle_wilayah(request_rec *r);
void pegawai_foto_child_init(apr_pool_t *p, server_rec *s);
int pegawai_handle_akun_foto(request_rec *r);
int pegawai_handle_profile_foto(request_rec *r);
int pegawai_handle_akun_password(request_rec *r);

/* ------------------------------------------------------------ drafts */

/* A form posted after its session ran out: keeps the fields names
 * (NULL-terminated) for the expired session's owner, to be shown again at
 * path after the next login; answers the redirect to the login page. */
int pegawai_draft_keep(request_rec *r, apr_table_t *f, const char *path,
                       const char *const *names);

/* The fields of the draft kept for nrk and the form at path, or NULL;
 * a draft is shown once (deleted when taken). */
apr_table_t *pegawai_draft_take(request_rec *r, const char *nrk,
                                const char *path);

/* The form path of a draft waiting for nrk in this browser, or NULL:
 * where the login leads instead of the profile. Asked at login, it first
 * deletes every draft past its half hour. */
const char *pegawai_draft_waiting(request_rec *r, const char *nrk);

#endif
