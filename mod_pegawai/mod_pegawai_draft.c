/* Drafts: what an employee typed into a form when the session ran out
 * at SIMPAN (PRODUCT.md: input typed into a form is never lost to an
 * expired session). The typed fields are kept server-side, bound to the
 * owner of the expired session, for half an hour; the browser holds only
 * a random token in a cookie (never the values, never in a URL). After
 * the next login as the same NRK the browser goes back to the form,
 * which shows the values once and forgets them.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "mod_pegawai.h"
#include "pgw_form.h"
#include "pgw_sql.h"
#include "pgw_token.h"

#define DRAFT_COOKIE  "pgw_draf"
#define DRAFT_MAX_AGE 1800

/* The named fields of f, urlencoded as a browser would send them. */
static const char *serialise(request_rec *r, apr_table_t *f,
                             const char *const *names)
{
    const char *out = "", *v;
    int i;

    for (i = 0; names[i]; i++) {
        v = apr_table_get(f, names[i]);
        if (v) {
            out = apr_pstrcat(r->pool, out, *out ? "&" : "", names[i], "=",
                              ap_escape_urlencoded(r->pool, v), NULL);
        }
    }
    return out;
}

/* Drafts past their half hour, whoever they belong to: they hold NIK,
 * NPWP and account numbers, which are kept no longer than needed. Done
 * when a draft is kept and at every login, so that they do not wait for
 * the next expired session to be deleted. */
static void purge(request_rec *r)
{
    const char *args[1];

    args[0] = pegawai_i64(r, pegawai_now() - DRAFT_MAX_AGE);
    pegawai_db_exec(r, PGW_SQL_DRAFT_PURGE, NULL, 1, args);
}

int pegawai_draft_keep(request_rec *r, apr_table_t *f, const char *path,
                       const char *const *names)
{
    const pegawai_session *old = pegawai_session_expired(r);
    const char *token, *args[5];

    /* Only the owner's own post is kept: its CSRF token must be the
     * expired session's. */
    if (!old
        || !pegawai_csrf_ok(r, old->csrf_token,
                            apr_table_get(f, "csrf_token"))) {
        return pegawai_redirect(r, "/login");
    }
    token = pgw_token_new(r->pool);
    purge(r);
    args[0] = pgw_token_hash(r->pool, token);
    args[1] = old->nrk;
    args[2] = path;
    args[3] = serialise(r, f, names);
    args[4] = pegawai_i64(r, pegawai_now());
    if (pegawai_db_exec(r, PGW_SQL_DRAFT_INSERT, NULL, 5, args)
        == APR_SUCCESS) {
        pegawai_set_cookie(r, DRAFT_COOKIE, token, DRAFT_MAX_AGE);
    }
    return pegawai_redirect(r, "/login?habis=1");
}

/* The browser's draft row kept for nrk, or NULL. */
static pegawai_rows *draft_row(request_rec *r, const char *nrk,
                               const char **token_hash)
{
    const char *token = pegawai_cookie(r, DRAFT_COOKIE);
    const char *args[2];
    pegawai_rows *rows;

    if (!token || !pgw_token_is_wellformed(token)) {
        return NULL;
    }
    args[0] = pgw_token_hash(r->pool, token);
    args[1] = pegawai_i64(r, pegawai_now() - DRAFT_MAX_AGE);
    if (pegawai_db_select(r, PGW_SQL_DRAFT_GET, &rows, 2, args) != APR_SUCCESS
        || rows->nrows != 1 || strcmp(PEGAWAI_CELL(rows, 0, 0), nrk)) {
        return NULL;
    }
    *token_hash = args[0];
    return rows;
}

apr_table_t *pegawai_draft_take(request_rec *r, const char *nrk,
                                const char *path)
{
    static const pgw_form_limits_t limits = {64, 64, 4096};
    const char *hash = NULL, *err, *body;
    pegawai_rows *rows;
    apr_table_t *f = NULL;

    /* A HEAD must not use up the draft the GET is to show. */
    if (r->header_only || !(rows = draft_row(r, nrk, &hash))
        || strcmp(PEGAWAI_CELL(rows, 0, 1), path)) {
        return NULL;
    }
    pegawai_db_exec(r, PGW_SQL_DRAFT_DELETE, NULL, 1, &hash);
    pegawai_set_cookie(r, DRAFT_COOKIE, "", 0);
    body = PEGAWAI_CELL(rows, 0, 2);
    if (pgw_form_parse(r->pool, body, strlen(body), &limits, &f, &err)
        != APR_SUCCESS) {
        return NULL;
    }
    return f;
}

const char *pegawai_draft_waiting(request_rec *r, const char *nrk)
{
    const char *hash = NULL, *path;
    pegawai_rows *rows;

    /* Asked at every login: the moment to drop the drafts that ran out. */
    purge(r);
    rows = draft_row(r, nrk, &hash);
    if (!rows) {
        return NULL;
    }
    /* The path is the portal's own (written by pegawai_draft_keep()),
     * but a redirect takes only a local path all the same. */
    path = PEGAWAI_CELL(rows, 0, 1);
    return path[0] == '/' && path[1] != '/' && path[1] != '\\' ? path : NULL;
}
