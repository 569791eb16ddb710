/* What every handler needs from the request: its form body under limits,
 * cookies in and out, whether it came over HTTPS, and the CSRF check.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_ssl.h"
#include "apr_strings.h"

#include "mod_pegawai.h"
#include "pgw_cookie.h"
#include "pgw_form.h"
#include "pgw_token.h"

APLOG_USE_MODULE(pegawai);

/* Limits of one form (each refusal is a 400 or 413, never a cut). */
#define FORM_MAX_FIELDS 64
#define FORM_MAX_NAME   64
#define FORM_MAX_VALUE  4096

int pegawai_https(request_rec *r)
{
    return ap_ssl_conn_is_ssl(r->connection);
}

static int is_form_type(request_rec *r)
{
    const char *ct = apr_table_get(r->headers_in, "Content-Type");
    apr_size_t n = sizeof("application/x-www-form-urlencoded") - 1;

    return ct && !strncasecmp(ct, "application/x-www-form-urlencoded", n)
           && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Reads the whole body into memory, refusing it as soon as it passes
 * limit, whether its length was announced or it came chunked. */
static int read_body(request_rec *r, apr_off_t limit, char **body,
                     apr_size_t *len)
{
    char *buf;
    apr_size_t used = 0;
    long n;
    int rc;

    if ((rc = ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK)) != OK) {
        return rc;
    }
    if (r->remaining > limit) {
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    }
    buf = apr_palloc(r->pool, (apr_size_t)limit + 1);
    if (ap_should_client_block(r)) {
        while ((n = ap_get_client_block(r, buf + used, limit + 1 - used)) > 0) {
            used += (apr_size_t)n;
            if (used > (apr_size_t)limit) {
                return HTTP_REQUEST_ENTITY_TOO_LARGE;
            }
        }
        if (n < 0) {
            return HTTP_BAD_REQUEST;
        }
    }
    buf[used] = '\0';
    *body = buf;
    *len = used;
    return OK;
}

int pegawai_read_form(request_rec *r, apr_table_t **fields)
{
    static const pgw_form_limits_t limits = {FORM_MAX_FIELDS, FORM_MAX_NAME,
                                             FORM_MAX_VALUE};
    pegawai_srv_cfg *sc = pegawai_srv(r);
    const char *err = NULL;
    char *body = NULL;
    apr_size_t len = 0;
    apr_status_t rv;
    int rc;

    if (!is_form_type(r)) {
        pegawai_error_page(r, HTTP_UNSUPPORTED_MEDIA_TYPE, NULL);
        return DONE;
    }
    rc = read_body(r, sc->max_form_body, &body, &len);
    if (rc != OK) {
        r->connection->keepalive = AP_CONN_CLOSE;
        pegawai_error_page(r, rc, NULL);
        return DONE;
    }
    rv = pgw_form_parse(r->pool, body, len, &limits, fields, &err);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "refused form body: %s",
                      err ? err : "malformed");
        rc =
            rv == APR_ENOSPC ? HTTP_REQUEST_ENTITY_TOO_LARGE : HTTP_BAD_REQUEST;
        pegawai_error_page(r, rc, NULL);
        return DONE;
    }
    return OK;
}

const char *pegawai_cookie(request_rec *r, const char *name)
{
    const char *h = apr_table_get(r->headers_in, "Cookie");

    return h ? pgw_cookie_get(r->pool, h, name) : NULL;
}

static int secure_cookies(request_rec *r)
{
    switch (pegawai_srv(r)->cookie_secure) {
    case PEGAWAI_SECURE_ON:
        return 1;
    case PEGAWAI_SECURE_OFF:
        return 0;
    default:
        return pegawai_https(r);
    }
}

/* ASVS V3.3: HttpOnly, SameSite=Lax (the login form's POST is
 * same-site), Secure under HTTPS, Path=/ and no Domain. max_age 0 deletes
 * the cookie; -1 makes a browser-session cookie. */
void pegawai_set_cookie(request_rec *r, const char *name, const char *value,
                        int max_age)
{
    const char *c;

    c = apr_psprintf(r->pool, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", name,
                     value, secure_cookies(r) ? "; Secure" : "");
    if (max_age >= 0) {
        c = apr_psprintf(r->pool, "%s; Max-Age=%d", c, max_age);
    }
    apr_table_addn(r->err_headers_out, "Set-Cookie", c);
}

/* The scheme://host[:port] this request was sent to, as a browser would
 * write it in Origin. PegawaiCookieSecure On is the configuration for a
 * TLS-terminating proxy in front: the browser's page is https even
 * though the connection reaching us is plain. */
static const char *own_origin(request_rec *r)
{
    const char *host = apr_table_get(r->headers_in, "Host");
    int https =
        pegawai_https(r) || pegawai_srv(r)->cookie_secure == PEGAWAI_SECURE_ON;

    if (!host) {
        return NULL;
    }
    return apr_pstrcat(r->pool, https ? "https://" : "http://", host, NULL);
}

/* ASVS V3.5.1: a state change needs the secret token and must not come
 * from another site. Browsers that send Sec-Fetch-Site or Origin tell us
 * the latter directly; the token covers the rest. */
int pegawai_csrf_ok(request_rec *r, const char *expected, const char *given)
{
    const char *site = apr_table_get(r->headers_in, "Sec-Fetch-Site");
    const char *origin = apr_table_get(r->headers_in, "Origin");
    const char *own;

    if (site && strcmp(site, "same-origin") && strcmp(site, "none")) {
        return 0;
    }
    if (origin) {
        own = own_origin(r);
        if (!own || strcasecmp(origin, own)) {
            return 0;
        }
    }
    if (!expected || !given || !pgw_token_is_wellformed(given)) {
        return 0;
    }
    return pgw_token_equal(expected, given);
}

int pegawai_csrf_stale_own(request_rec *r, const pegawai_session *sess,
                           apr_table_t *form)
{
    const char *site = apr_table_get(r->headers_in, "Sec-Fetch-Site");
    const char *origin = apr_table_get(r->headers_in, "Origin");
    const char *own = own_origin(r);
    const char *token = apr_table_get(form, "csrf_token");
    const char *akun = apr_table_get(form, "akun");

    /* Positive evidence only: a browser that sends neither header gets
     * the plain refusal, as do posts from anywhere else. */
    if (!site && !origin) {
        return 0;
    }
    if (site && strcmp(site, "same-origin")) {
        return 0;
    }
    if (origin && (!own || strcasecmp(origin, own))) {
        return 0;
    }
    return token && pgw_token_is_wellformed(token) && akun
           && !strcmp(akun, sess->nrk);
}

apr_int64_t pegawai_now(void)
{
    return (apr_int64_t)apr_time_sec(apr_time_now());
}

const char *pegawai_i64(request_rec *r, apr_int64_t v)
{
    return apr_psprintf(r->pool, "%" APR_INT64_T_FMT, v);
}

const char *pegawai_fingerprint(request_rec *r, const char *const *values,
                                int n, const apr_array_header_t *warnings)
{
    const char *s = "";
    int i;

    for (i = 0; i < n; i++) {
        s = apr_pstrcat(r->pool, s, values[i] ? values[i] : "", "|", NULL);
    }
    for (i = 0; i < warnings->nelts; i++) {
        s = apr_pstrcat(r->pool, s, APR_ARRAY_IDX(warnings, i, const char *),
                        "|", NULL);
    }
    return pgw_token_hash(r->pool, s);
}
