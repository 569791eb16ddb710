/* Portal sessions kept in the database (ASVS 5.0 V7): a 256-bit random
 * token in the cookie, only its SHA-256 stored, a new token at every
 * login, idle and absolute timeouts, deleted at logout.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_request.h"
#include "apr_strings.h"

#include "mod_pegawai.h"
#include "pgw_sql.h"
#include "pgw_token.h"

APLOG_USE_MODULE(pegawai);

/* The __Host- prefix makes browsers refuse the cookie unless it is
 * Secure, host-only and for Path=/ (RFC 6265bis 4.1.3.2). */
#define COOKIE_PLAIN "pgw_sesi"
#define COOKIE_HOST  "__Host-pgw_sesi"

/* seen_at is written at most this often, so that reading pages does not
 * turn every request into a database write; the idle timeout is
 * therefore exact to within this many seconds. */
#define TOUCH_INTERVAL 60

typedef struct session_note {
    int looked;
    int db_down;
    pegawai_session *sess;
    pegawai_session *expired; /* the timed-out session the request had */
} session_note;

static const char *cookie_name(request_rec *r)
{
    pegawai_srv_cfg *sc = pegawai_srv(r);

    if (sc->cookie_secure == PEGAWAI_SECURE_ON
        || (sc->cookie_secure == PEGAWAI_SECURE_AUTO && pegawai_https(r))) {
        return COOKIE_HOST;
    }
    return COOKIE_PLAIN;
}

static session_note *note_of(request_rec *r)
{
    request_rec *m = r->main ? r->main : r;
    session_note *n;

    n = ap_get_module_config(m->request_config, &pegawai_module);
    if (!n) {
        n = apr_pcalloc(m->pool, sizeof(*n));
        ap_set_module_config(m->request_config, &pegawai_module, n);
    }
    return n;
}

static void delete_row(request_rec *r, const char *token_hash)
{
    const char *args[1] = {token_hash};

    pegawai_db_exec(r, PGW_SQL_SESSION_DELETE, NULL, 1, args);
}

/* Builds the session from its row. A session past its idle or absolute
 * limit is no session (NULL); it is remembered as the request's expired
 * session, and its row stays until it is purged, so that a form posted
 * after the timeout can still be kept for its owner. */
static pegawai_session *from_row(request_rec *r, const char *token_hash,
                                 pegawai_rows *rows, session_note *n)
{
    pegawai_srv_cfg *sc = pegawai_srv(r);
    pegawai_session *s;
    apr_int64_t now = pegawai_now(), created, seen;

    created = apr_atoi64(PEGAWAI_CELL(rows, 0, 2));
    seen = apr_atoi64(PEGAWAI_CELL(rows, 0, 3));
    s = apr_pcalloc(r->pool, sizeof(*s));
    s->nrk = PEGAWAI_CELL(rows, 0, 0);
    s->csrf_token = PEGAWAI_CELL(rows, 0, 1);
    s->created_at = created;
    s->nama = PEGAWAI_CELL(rows, 0, 4);
    s->must_change_password = atoi(PEGAWAI_CELL(rows, 0, 5) ?: "0");
    s->flash = PEGAWAI_CELL(rows, 0, 6);
    s->token_hash = token_hash;
    if (now >= created + sc->max_age || now >= seen + sc->idle_timeout) {
        n->expired = s;
        return NULL;
    }
    if (now - seen >= TOUCH_INTERVAL) {
        const char *args[2] = {pegawai_i64(r, now), token_hash};
        pegawai_db_exec(r, PGW_SQL_SESSION_TOUCH, NULL, 2, args);
    }
    return s;
}

static void look_up(request_rec *r, session_note *n)
{
    const char *token = pegawai_cookie(r, cookie_name(r));
    const char *args[1];
    pegawai_rows *rows;

    if (!token || !pgw_token_is_wellformed(token)) {
        return;
    }
    args[0] = pgw_token_hash(r->pool, token);
    if (!pegawai_db(r)) {
        n->db_down = 1;
        return;
    }
    if (pegawai_db_select(r, PGW_SQL_SESSION_GET, &rows, 1, args)
        != APR_SUCCESS) {
        n->db_down = 1;
        return;
    }
    if (rows->nrows == 1) {
        n->sess = from_row(r, args[0], rows, n);
    }
}

const pegawai_session *pegawai_session_get(request_rec *r, int *db_down)
{
    session_note *n = note_of(r);

    if (!n->looked) {
        n->looked = 1;
        look_up(r, n);
        if (n->sess) {
            r->user = apr_pstrdup(r->pool, n->sess->nrk);
        }
    }
    if (db_down) {
        *db_down = n->db_down;
    }
    return n->sess;
}

const pegawai_session *pegawai_session_expired(request_rec *r)
{
    session_note *n = note_of(r);

    pegawai_session_get(r, NULL);
    return n->expired;
}

apr_status_t pegawai_session_start(request_rec *r, const char *nrk)
{
    pegawai_srv_cfg *sc = pegawai_srv(r);
    session_note *n = note_of(r);
    const char *token = pgw_token_new(r->pool);
    const char *old = pegawai_cookie(r, cookie_name(r));
    apr_int64_t now = pegawai_now();
    const char *args[6];
    apr_status_t rv;

    /* Rotation (ASVS V7.2.4): whatever session the browser brought is
     * gone, so a token planted before login is worth nothing after. */
    if (old && pgw_token_is_wellformed(old)) {
        delete_row(r, pgw_token_hash(r->pool, old));
    }
    args[0] = nrk;
    args[1] = pegawai_i64(r, now - sc->idle_timeout);
    args[2] = pegawai_i64(r, now - sc->max_age);
    pegawai_db_exec(r, PGW_SQL_SESSION_PURGE, NULL, 3, args);
    args[0] = pegawai_i64(r, now - sc->idle_timeout - 86400);
    pegawai_db_exec(r, PGW_SQL_SESSION_PURGE_OLD, NULL, 1, args);

    args[0] = pgw_token_hash(r->pool, token);
    args[1] = nrk;
    args[2] = pgw_token_new(r->pool);
    args[3] = pegawai_i64(r, now);
    args[4] = args[3];
    args[5] = r->useragent_ip;
    rv = pegawai_db_exec(r, PGW_SQL_SESSION_INSERT, NULL, 6, args);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    /* A browser-session cookie: the server enforces the timeouts. */
    pegawai_set_cookie(r, cookie_name(r), token, -1);
    n->looked = 1;
    n->sess = apr_pcalloc(r->pool, sizeof(*n->sess));
    n->sess->nrk = nrk;
    n->sess->token_hash = args[0];
    n->sess->csrf_token = args[2];
    n->sess->created_at = now;
    r->user = apr_pstrdup(r->pool, nrk);
    return APR_SUCCESS;
}

void pegawai_session_end(request_rec *r, const pegawai_session *sess)
{
    session_note *n = note_of(r);

    delete_row(r, sess->token_hash);
    pegawai_set_cookie(r, cookie_name(r), "", 0);
    n->sess = NULL;
}

apr_status_t pegawai_flash_set(request_rec *r, const pegawai_session *sess,
                               const char *message)
{
    const char *args[2] = {message, sess->token_hash};

    return pegawai_db_exec(r, PGW_SQL_SESSION_FLASH_SET, NULL, 2, args);
}

const char *pegawai_flash_take(request_rec *r, const pegawai_session *sess)
{
    const char *args[1] = {sess->token_hash};

    /* The pgsql driver reads a NULL cell as "". */
    if (!sess->flash || !*sess->flash || r->header_only) {
        return NULL;
    }
    if (pegawai_db_exec(r, PGW_SQL_SESSION_FLASH_CLEAR, NULL, 1, args)
        != APR_SUCCESS) {
        return NULL;
    }
    return sess->flash;
}

/* check_authn for "AuthType pegawai": the portal session authenticates
 * any location, so that "Require valid-user", "Require pegawai-role" and
 * %u in the access log work with it. */
int pegawai_check_authn(request_rec *r)
{
    const char *type = ap_auth_type(r);
    const pegawai_session *sess;
    int db_down = 0;

    if (!type || strcasecmp(type, "pegawai")) {
        return DECLINED;
    }
    sess = pegawai_session_get(r, &db_down);
    if (db_down) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    if (!sess) {
        apr_table_setn(r->err_headers_out, "Location", "/login");
        return HTTP_SEE_OTHER;
    }
    r->ap_auth_type = "pegawai";
    return OK;
}

/* The note_auth_failure hook for "AuthType pegawai": a 401 from
 * mod_authz_core needs no challenge header (the way in is the login
 * form), but the type must be claimed, or Apache logs that it cannot
 * note the failure. */
int pegawai_note_auth_failure(request_rec *r, const char *type)
{
    return strcasecmp(type, "pegawai") ? DECLINED : OK;
}
