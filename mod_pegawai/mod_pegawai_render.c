/* Answers: security headers, template output, error pages, redirects. */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "mod_pegawai.h"

APLOG_USE_MODULE(pegawai);

/* ASVS V3.4: a strict policy that allows only our own files; no inline
 * script or style exists to be allowed. */
#define CSP                                                                    \
    "default-src 'self'; script-src 'self'; style-src 'self'; "                \
    "img-src 'self'; object-src 'none'; base-uri 'none'; "                     \
    "frame-ancestors 'none'; form-action 'self'"

void pegawai_security_headers(request_rec *r)
{
    apr_table_t *h = r->err_headers_out;

    apr_table_setn(h, "Content-Security-Policy", CSP);
    apr_table_setn(h, "X-Content-Type-Options", "nosniff");
    apr_table_setn(h, "X-Frame-Options", "DENY");
    apr_table_setn(h, "Referrer-Policy", "same-origin");
    apr_table_setn(h, "Cross-Origin-Opener-Policy", "same-origin");
    /* Every portal page is personal or carries a CSRF token: no copy may
     * stay in a shared or browser cache. */
    apr_table_setn(h, "Cache-Control", "no-store");
    if (pegawai_https(r)) {
        apr_table_setn(h, "Strict-Transport-Security", "max-age=31536000");
    }
}

pgw_tdata_t *pegawai_page_data(request_rec *r, const char *title)
{
    pegawai_srv_cfg *sc = pegawai_srv(r);
    pgw_tdata_t *d = pgw_tdata_make(r->pool);
    const pegawai_session *sess;
    int db_down = 0;

    pgw_tdata_set(d, "page_title", title);
    pgw_tdata_set(d, "static", sc->static_url);
    pgw_tdata_set(d, "css_url",
                  apr_pstrcat(r->pool, sc->static_url, "/pegawai.css", NULL));
    pgw_tdata_set(d, "js_url",
                  apr_pstrcat(r->pool, sc->static_url, "/pegawai.js", NULL));
    sess = pegawai_session_get(r, &db_down);
    if (sess) {
        pgw_tdata_set(d, "logged_in", "1");
        pgw_tdata_set(d, "user_nrk", sess->nrk);
        pgw_tdata_set(d, "user_nama", sess->nama);
        pgw_tdata_set(d, "csrf_token", sess->csrf_token);
    }
    return d;
}

int pegawai_render(request_rec *r, int status, const char *name,
                   pgw_tdata_t *data)
{
    pegawai_srv_cfg *sc = pegawai_srv(r);
    const pgw_tpl_t *tpl = pgw_tpl_get(sc->templates, name);
    pgw_buf_t *out;

    pegawai_security_headers(r);
    if (!tpl) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "PGW00020: template %s missing from %s", name,
                      sc->template_dir);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    out = pgw_buf_make(r->pool, 8192);
    pgw_tpl_render(tpl, data, out);
    r->status = status;
    ap_set_content_type(r, "text/html; charset=utf-8");
    ap_set_content_length(r, out->len);
    if (!r->header_only) {
        ap_rwrite(out->data, (int)out->len, r);
    }
    return OK;
}

static const char *status_title(int status)
{
    switch (status) {
    case HTTP_BAD_REQUEST:
        return "Permintaan tidak valid";
    case HTTP_FORBIDDEN:
        return "Akses ditolak";
    case HTTP_NOT_FOUND:
        return "Halaman tidak ditemukan";
    case HTTP_METHOD_NOT_ALLOWED:
        return "Metode tidak diizinkan";
    case HTTP_REQUEST_ENTITY_TOO_LARGE:
        return "Data yang dikirim terlalu besar";
    case HTTP_UNSUPPORTED_MEDIA_TYPE:
        return "Jenis data tidak didukung";
    case HTTP_TOO_MANY_REQUESTS:
        return "Terlalu banyak percobaan";
    case HTTP_SERVICE_UNAVAILABLE:
        return "Layanan sedang tidak tersedia";
    default:
        return "Terjadi kesalahan";
    }
}

static const char *status_message(int status)
{
    switch (status) {
    case HTTP_NOT_FOUND:
        return "Alamat yang Anda buka tidak ada di portal ini.";
    case HTTP_SERVICE_UNAVAILABLE:
        return "Basis data kepegawaian sedang tidak dapat dihubungi. "
               "Data Anda aman; silakan coba lagi beberapa saat lagi.";
    case HTTP_METHOD_NOT_ALLOWED:
        return "Halaman ini tidak menerima permintaan dengan metode itu.";
    default:
        return "Silakan kembali ke halaman utama dan coba lagi.";
    }
}

static int body_too_big_to_discard(request_rec *r)
{
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    apr_off_t len;

    if (!ap_request_has_body(r)) {
        return 0;
    }
    return !cl || apr_strtoff(&len, cl, NULL, 10) != APR_SUCCESS || len < 0
           || len > (apr_off_t)pegawai_srv(r)->max_form_body;
}

/* The error page must not depend on the database: it never asks for the
 * session (the nav shows no user), so a 503 renders even when the
 * database is down. */
int pegawai_error_page(request_rec *r, int status, const char *message)
{
    pegawai_srv_cfg *sc = pegawai_srv(r);
    pgw_tdata_t *d = pgw_tdata_make(r->pool);

    pgw_tdata_set(d, "page_title", status_title(status));
    pgw_tdata_set(d, "static", sc->static_url);
    pgw_tdata_set(d, "css_url",
                  apr_pstrcat(r->pool, sc->static_url, "/pegawai.css", NULL));
    pgw_tdata_set(d, "js_url",
                  apr_pstrcat(r->pool, sc->static_url, "/pegawai.js", NULL));
    pgw_tdata_setf(d, "status", "%d", status);
    pgw_tdata_set(d, "title", status_title(status));
    pgw_tdata_set(d, "message", message ? message : status_message(status));
    if (status == HTTP_SERVICE_UNAVAILABLE) {
        apr_table_setn(r->err_headers_out, "Retry-After", "30");
    }
    if (r->method_number == M_POST || r->method_number == M_GET) {
        /* Keep the connection usable only when the body was consumed;
         * one larger than a form may be, or of unknown length, is not
         * read at all (ap_discard_request_body() returns at once on a
         * closing connection), or a 405 would read 50 MB first. */
        if (body_too_big_to_discard(r)) {
            r->connection->keepalive = AP_CONN_CLOSE;
        }
        ap_discard_request_body(r);
    }
    return pegawai_render(r, status, "error.html", d);
}

int pegawai_redirect(request_rec *r, const char *path)
{
    pegawai_security_headers(r);
    apr_table_setn(r->headers_out, "Location", path);
    r->status = HTTP_SEE_OTHER;
    ap_set_content_length(r, 0);
    return OK;
}
