/* GET|POST /login and POST /logout (manual section 1).
 *
 * Unknown NRK and wrong password give the same answer in the same time
 * (ASVS V6.3.8): one argon2id verification either way, the same status,
 * the same page.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "mod_auth.h"
#include "apr_strings.h"

#include "mod_pegawai.h"
#include "pgw_sql.h"
#include "pgw_token.h"

APLOG_USE_MODULE(pegawai);

/* The login form is protected by a double-submit token: the same random
 * value in a cookie and in the form, since there is no session yet. */
#define LOGIN_COOKIE  "pgw_masuk"
#define DEVICE_COOKIE "pgw_perangkat"
#define MAX_PASSWORD  1024

#define MSG_WRONG "NRK atau password salah. Periksa kembali lalu coba lagi."
#define MSG_EMPTY "NRK dan password wajib diisi."
#define MSG_STALE "Formulir masuk sudah kedaluwarsa. Silakan coba lagi."

/* People paste NRKs with spaces around or inside them. */
static const char *without_spaces(request_rec *r, const char *s)
{
    char *copy = apr_pstrdup(r->pool, s);

    apr_collapse_spaces(copy, s); /* returns the end, not the start */
    return copy;
}

/* The form token of this browser, new when it has none. */
static const char *login_token(request_rec *r)
{
    const char *t = pegawai_cookie(r, LOGIN_COOKIE);

    if (!t || !pgw_token_is_wellformed(t)) {
        t = pgw_token_new(r->pool);
        pegawai_set_cookie(r, LOGIN_COOKIE, t, -1);
    }
    return t;
}

static int show_form(request_rec *r, int status, const char *nrk,
                     const char *error, const char *notice)
{
    pgw_tdata_t *d = pegawai_page_data(r, "Masuk");

    pgw_tdata_set(d, "csrf_token", login_token(r));
    pgw_tdata_set(d, "nrk", nrk);
    pgw_tdata_set(d, "error", error);
    pgw_tdata_set(d, "notice", notice);
    return pegawai_render(r, status, "login.html", d);
}

static int login_get(request_rec *r)
{
    int db_down = 0;
    const char *notice = NULL;

    if (pegawai_session_get(r, &db_down)) {
        return pegawai_redirect(r, "/profile");
    }
    if (r->args && !strcmp(r->args, "keluar=1")) {
        notice = "Anda telah keluar. Terima kasih.";
    }
    else if (r->args && !strcmp(r->args, "habis=1")) {
        notice = "Sesi Anda telah berakhir. Silakan masuk kembali.";
    }
    return show_form(r, HTTP_OK, NULL, NULL, notice);
}

/* The device cookie's hash when the cookie belongs to nrk. */
static const char *device_of(request_rec *r, const char *nrk)
{
    pegawai_srv_cfg *sc = pegawai_srv(r);
    const char *t = pegawai_cookie(r, DEVICE_COOKIE);
    const char *args[2];
    pegawai_rows *rows;

    if (!t || !pgw_token_is_wellformed(t) || sc->device_max_age == 0) {
        return NULL;
    }
    args[0] = pgw_token_hash(r->pool, t);
    args[1] = pegawai_i64(r, pegawai_now() - sc->device_max_age);
    if (pegawai_db_select(r, PGW_SQL_DEVICE_GET, &rows, 2, args) != APR_SUCCESS
        || rows->nrows != 1 || strcmp(PEGAWAI_CELL(rows, 0, 0), nrk)) {
        return NULL;
    }
    return args[0];
}

static void issue_device(request_rec *r, const char *nrk)
{
    pegawai_srv_cfg *sc = pegawai_srv(r);
    const char *t = pgw_token_new(r->pool);
    const char *args[3];

    if (sc->device_max_age == 0) {
        return;
    }
    args[0] = pgw_token_hash(r->pool, t);
    args[1] = nrk;
    args[2] = pegawai_i64(r, pegawai_now());
    if (pegawai_db_exec(r, PGW_SQL_DEVICE_INSERT, NULL, 3, args)
        == APR_SUCCESS) {
        pegawai_set_cookie(r, DEVICE_COOKIE, t, sc->device_max_age);
    }
}

/* Device cookies past PegawaiDeviceCookieMaxAge are never accepted
 * again (device_of), so their rows go at the next login. */
static void purge_devices(request_rec *r)
{
    pegawai_srv_cfg *sc = pegawai_srv(r);
    const char *cutoff = pegawai_i64(r, pegawai_now() - sc->device_max_age);

    pegawai_db_exec(r, PGW_SQL_DEVICE_PURGE, NULL, 1, &cutoff);
}

static void audit(request_rec *r, const char *nrk, const char *action)
{
    const char *args[9] = {pegawai_i64(r, pegawai_now()),
                           nrk,
                           nrk,
                           action,
                           NULL,
                           NULL,
                           NULL,
                           NULL,
                           r->useragent_ip};

    pegawai_db_exec(r, PGW_SQL_AUDIT_INSERT, NULL, 9, args);
}

/* An NRK granted by another provider (a file or LDAP store) is only a
 * portal user when the employee exists. */
static int employee_exists(request_rec *r, const char *nrk)
{
    pegawai_rows *rows;

    return pegawai_db_select(r, PGW_SQL_PEGAWAI_EXISTS, &rows, 1, &nrk)
               == APR_SUCCESS
           && rows->nrows == 1;
}

/* The writes of a login (throttle cleared, session, device cookie, last
 * login, audit) in one transaction: one commit, one disk flush. */
static apr_status_t record_login(request_rec *r, const char *nrk,
                                 const char *device)
{
    apr_dbd_transaction_t *tx;
    const char *args[2];
    apr_status_t rv;

    if (pegawai_db_begin(r, &tx) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    pegawai_login_succeeded(r, nrk, device);
    pegawai_login_purge(r);
    purge_devices(r);
    rv = pegawai_session_start(r, nrk);
    if (rv == APR_SUCCESS && !device) {
        issue_device(r, nrk);
    }
    args[0] = pegawai_i64(r, pegawai_now());
    args[1] = nrk;
    if (rv == APR_SUCCESS) {
        rv = pegawai_db_exec(r, PGW_SQL_ACCOUNT_LOGIN, NULL, 2, args);
    }
    if (rv == APR_SUCCESS) {
        audit(r, nrk, "login");
    }
    if (pegawai_db_end(r, tx, rv == APR_SUCCESS) != APR_SUCCESS) {
        rv = APR_EGENERAL;
    }
    return rv;
}

static int login_granted(request_rec *r, const char *nrk, const char *device)
{
    const char *draft;

    if (record_login(r, nrk, device) != APR_SUCCESS) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "login of NRK %s", nrk);
    /* Back to the form whose SIMPAN the expired session interrupted. */
    if ((draft = pegawai_draft_waiting(r, nrk))) {
        return pegawai_redirect(r, draft);
    }
    return pegawai_redirect(r, "/profile");
}

static int too_many(request_rec *r, const char *nrk, apr_int64_t wait)
{
    const char *msg;

    apr_table_setn(r->err_headers_out, "Retry-After", pegawai_i64(r, wait));
    msg = apr_psprintf(r->pool,
                       "Terlalu banyak percobaan masuk yang "
                       "gagal. Silakan coba lagi dalam %" APR_INT64_T_FMT
                       " detik.",
                       wait);
    return show_form(r, HTTP_TOO_MANY_REQUESTS, nrk, msg, NULL);
}

static int login_post(request_rec *r)
{
    apr_table_t *f;
    const char *nrk, *password, *device;
    apr_int64_t wait;
    int rc, st;

    if ((rc = pegawai_read_form(r, &f)) != OK) {
        return rc;
    }
    nrk = apr_table_get(f, "nrk");
    password = apr_table_get(f, "password");
    nrk = nrk ? without_spaces(r, nrk) : "";
    if (!pegawai_csrf_ok(r, pegawai_cookie(r, LOGIN_COOKIE),
                         apr_table_get(f, "csrf_token"))) {
        return show_form(r, HTTP_FORBIDDEN, nrk, MSG_STALE, NULL);
    }
    if (!*nrk || !password || !*password) {
        return show_form(r, HTTP_UNPROCESSABLE_ENTITY, nrk, MSG_EMPTY, NULL);
    }
    if (strlen(password) > MAX_PASSWORD || strlen(nrk) > 32) {
        return show_form(r, HTTP_UNAUTHORIZED, NULL, MSG_WRONG, NULL);
    }
    device = device_of(r, nrk);
    wait = pegawai_login_attempt(r, nrk, device);
    if (wait < 0) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (wait > 0) {
        return too_many(r, nrk, wait);
    }
    st = pegawai_auth_check_chain(r, nrk, password);
    if (st == AUTH_GENERAL_ERROR) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (st == AUTH_GRANTED && employee_exists(r, nrk)) {
        return login_granted(r, nrk, device);
    }
    /* Already counted as a failure by pegawai_login_attempt(). */
    return show_form(r, HTTP_UNAUTHORIZED, nrk, MSG_WRONG, NULL);
}

int pegawai_handle_login(request_rec *r)
{
    if (r->method_number == M_GET) {
        return login_get(r);
    }
    return login_post(r);
}

int pegawai_handle_logout(request_rec *r)
{
    const pegawai_session *sess;
    apr_table_t *f;
    int rc, db_down = 0;

    if ((rc = pegawai_read_form(r, &f)) != OK) {
        return rc;
    }
    sess = pegawai_session_get(r, &db_down);
    if (db_down) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (!sess) {
        return pegawai_redirect(r, "/login");
    }
    if (!pegawai_csrf_ok(r, sess->csrf_token, apr_table_get(f, "csrf_token"))) {
        return pegawai_error_page(r, HTTP_FORBIDDEN,
                                  "Permintaan keluar ditolak karena "
                                  "tidak berasal dari halaman portal.");
    }
    pegawai_session_end(r, sess);
    audit(r, sess->nrk, "logout");
    return pegawai_redirect(r, "/login?keluar=1");
}
