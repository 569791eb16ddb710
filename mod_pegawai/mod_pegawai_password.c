/* Ubah Password (manual section 4): GET|POST /akun/password with the
 * fields password_lama, password_baru, password_baru2.
 *
 * ASVS 5.0 V6.2: the current password is required; the new one follows
 * pgw_pwpolicy.c (length, the shipped list of common passwords, not the
 * NRK, NIP or birth date); it is hashed with argon2id; the session is
 * rotated and every other session of the account ends. A wrong current
 * password counts as a failed login, so this form cannot be used to
 * guess passwords faster than the login form.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "mod_pegawai.h"
#include "pgw_pwpolicy.h"
#include "pgw_sql.h"

APLOG_USE_MODULE(pegawai);

/* Columns of PGW_SQL_PASSWORD_CONTEXT. */
enum { C_NIP, C_LAHIR, C_HASH };

typedef struct pw_errors {
    const char *lama, *baru, *baru2;
} pw_errors;

static int page(request_rec *r, int status, const pegawai_session *sess,
                const pw_errors *e, const char *summary)
{
    pgw_tdata_t *d = pegawai_page_data(r, "Ubah Password");

    if (sess->must_change_password) {
        pgw_tdata_set(d, "wajib", "1");
    }
    if (e) {
        pgw_tdata_set(d, "password_lama_error", e->lama);
        pgw_tdata_set(d, "password_baru_error", e->baru);
        pgw_tdata_set(d, "password_baru2_error", e->baru2);
    }
    pgw_tdata_set(d, "error_summary", summary);
    /* After a change: how many other sessions ended, from the session,
     * never from the URL. */
    pgw_tdata_set(d, "flash", pegawai_flash_take(r, sess));
    return pegawai_render(r, status, "akun_password.html", d);
}

/* The new password's hash, the account updated, every session of the
 * account deleted and an audit row (never the password), in one
 * transaction. *ended counts the sessions deleted. APR_EAGAIN when the
 * stored hash is no longer checked, the one the current password was
 * verified against: another change came first, and the employee must
 * not be told that this password is the one set. */
static apr_status_t change(request_rec *r, const char *nrk,
                           const char *password, const char *checked,
                           int *ended)
{
    const char *hash = NULL, *args[4], *audit[9];
    apr_int64_t now = pegawai_now();
    apr_dbd_transaction_t *tx;
    apr_status_t rv;
    int updated = 0;

    if (pegawai_password_hash(r, password, &hash) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    args[0] = hash;
    args[1] = pegawai_i64(r, now);
    args[2] = nrk;
    args[3] = checked;
    audit[0] = args[1];
    audit[1] = nrk;
    audit[2] = nrk;
    audit[3] = "password";
    audit[4] = "account";
    audit[5] = "password_hash";
    audit[6] = NULL;
    audit[7] = NULL;
    audit[8] = r->useragent_ip;
    if (pegawai_db_begin(r, &tx) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    rv = pegawai_db_exec(r, PGW_SQL_ACCOUNT_SET_PASSWORD, &updated, 4, args);
    if (rv == APR_SUCCESS && updated != 1) {
        rv = APR_EAGAIN;
    }
    if (rv == APR_SUCCESS) {
        rv = pegawai_db_exec(r, PGW_SQL_SESSION_DELETE_ALL, ended, 1, &nrk);
    }
    if (rv == APR_SUCCESS) {
        rv = pegawai_db_exec(r, PGW_SQL_AUDIT_INSERT, NULL, 9, audit);
    }
    if (pegawai_db_end(r, tx, rv == APR_SUCCESS) != APR_SUCCESS) {
        rv = APR_EGENERAL;
    }
    return rv;
}

/* The rules for the new password, in the order the employee fixes
 * them; the current password has been verified by then. */
static int new_password_ok(request_rec *r, apr_table_t *f, pegawai_rows *ctx,
                           const char *nrk, pw_errors *e)
{
    const pgw_pwpolicy_t *pol = pegawai_srv(r)->pwpolicy;
    const char *baru = apr_table_get(f, "password_baru");
    const char *baru2 = apr_table_get(f, "password_baru2");
    const char *err = NULL;

    if (pgw_pwpolicy_check(r->pool, pol, baru ? baru : "", nrk,
                           PEGAWAI_CELL(ctx, 0, C_NIP),
                           PEGAWAI_CELL(ctx, 0, C_LAHIR), &err)
        != APR_SUCCESS) {
        e->baru = err;
        return 0;
    }
    if (pgw_pwpolicy_differs(apr_table_get(f, "password_lama"), baru, &err)
        != APR_SUCCESS) {
        e->baru = err;
        return 0;
    }
    if (pgw_pwpolicy_confirm(baru, baru2, &err) != APR_SUCCESS) {
        e->baru2 = err;
        return 0;
    }
    return 1;
}

static int post(request_rec *r, const pegawai_session *sess, apr_table_t *f)
{
    const char *lama = apr_table_get(f, "password_lama");
    pw_errors e = {NULL, NULL, NULL};
    pegawai_rows *ctx;
    apr_int64_t wait;
    apr_status_t rv;
    int ended = 0, others;

    if (pegawai_db_select(r, PGW_SQL_PASSWORD_CONTEXT, &ctx, 1, &sess->nrk)
        != APR_SUCCESS) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (ctx->nrows != 1) {
        return page(r, HTTP_CONFLICT, sess, NULL,
                    "Password akun Anda dikelola oleh sistem lain di "
                    "instansi Anda; ubah di sana.");
    }
    /* A current password typed is an attempt on the account, counted
     * before it is checked as the login form counts it, so that parallel
     * guesses cannot all pass one throttle state (ASVS V6.3.1). */
    wait = lama && *lama ? pegawai_login_attempt(r, sess->nrk, NULL)
                         : pegawai_login_throttled(r, sess->nrk, NULL);
    if (wait < 0) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (wait > 0) {
        /* As the login form does (RFC 6585, section 4). */
        apr_table_setn(r->err_headers_out, "Retry-After", pegawai_i64(r, wait));
        return page(r, HTTP_TOO_MANY_REQUESTS, sess, NULL,
                    apr_psprintf(r->pool,
                                 "Terlalu banyak percobaan yang gagal. "
                                 "Coba lagi dalam %" APR_INT64_T_FMT " detik.",
                                 wait));
    }
    if (!lama || !*lama) {
        e.lama = PGW_PWMSG_OLD_MISSING;
    }
    else if (pegawai_password_verify(r, lama, PEGAWAI_CELL(ctx, 0, C_HASH))
             != APR_SUCCESS) {
        e.lama = PGW_PWMSG_OLD_WRONG; /* counted by pegawai_login_attempt */
    }
    else {
        pegawai_login_succeeded(r, sess->nrk, NULL);
    }
    if (e.lama || !new_password_ok(r, f, ctx, sess->nrk, &e)) {
        return page(r, HTTP_UNPROCESSABLE_ENTITY, sess, &e,
                    "Password belum diubah. Perbaiki isian yang ditandai.");
    }
    rv = change(r, sess->nrk, apr_table_get(f, "password_baru"),
                PEGAWAI_CELL(ctx, 0, C_HASH), &ended);
    if (rv == APR_EAGAIN) {
        return page(r, HTTP_CONFLICT, sess, NULL,
                    "Password belum diubah: password akun ini baru saja "
                    "diubah dari halaman lain. Masuk lagi dengan password "
                    "yang baru itu.");
    }
    if (rv != APR_SUCCESS
        || pegawai_session_start(r, sess->nrk) != APR_SUCCESS) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  "NRK %s changed the password; %d sessions ended", sess->nrk,
                  ended);
    others = ended > 0 ? ended - 1 : 0;
    pegawai_flash_set(
        r, pegawai_session_get(r, NULL),
        others > 0 ? apr_psprintf(r->pool,
                                  "Password berhasil diubah. %d sesi lain "
                                  "akun ini telah diakhiri.",
                                  others)
                   : "Password berhasil diubah. Tidak ada sesi lain yang "
                     "aktif.");
    return pegawai_redirect(r, apr_psprintf(r->pool,
                                            "/akun/password?diubah="
                                            "%d",
                                            ended > 0 ? ended - 1 : 0));
}

int pegawai_handle_akun_password(request_rec *r)
{
    const pegawai_session *sess;
    apr_table_t *f = NULL;
    int rc, db_down = 0;

    if (r->method_number == M_POST && (rc = pegawai_read_form(r, &f)) != OK) {
        return rc;
    }
    sess = pegawai_session_get(r, &db_down);
    if (db_down) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (!sess) {
        return pegawai_redirect(r, "/login");
    }
    if (!f) {
        return page(r, HTTP_OK, sess, NULL, NULL);
    }
    if (!pegawai_csrf_ok(r, sess->csrf_token, apr_table_get(f, "csrf_token"))) {
        return pegawai_error_page(r, HTTP_FORBIDDEN, NULL);
    }
    return post(r, sess, f);
}
