/* Upload Foto (manual section 4): GET|POST /akun/foto and the photo
 * itself, GET /profile/foto.
 *
 * The body is parsed as it arrives (pgw_multipart.c) with limits on the
 * body, the parts and their headers; the photo is decoded completely and
 * re-encoded without metadata (pgw_image.c); what is stored goes into
 * the database with the employee, and it is served only through this
 * handler, to its owner.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "util_filter.h"
#include "apr_base64.h"
#include "apr_strings.h"
#include "apr_thread_cond.h"
#include "apr_thread_mutex.h"

#include "mod_pegawai.h"
#include "pgw_image.h"
#include "pgw_multipart.h"
#include "pgw_sql.h"
#include "pgw_token.h"
#include "pgw_upload.h"

APLOG_USE_MODULE(pegawai);

/* Reads the body into the parser brigade by brigade: the photo is
 * copied once, into its own buffer. When the body itself cannot be read,
 * *read_status is the answer httpd gives for it (413 over
 * LimitRequestBody, 408 on a timeout, AP_FILTER_ERROR when a filter has
 * answered already) and APR_EGENERAL is returned. */
static apr_status_t read_multipart(request_rec *r, pgw_multipart_t *mp,
                                   int *read_status, const char **errmsg)
{
    apr_bucket_brigade *bb =
        apr_brigade_create(r->pool, r->connection->bucket_alloc);
    apr_bucket *b;
    apr_status_t rv;
    const char *data;
    apr_size_t len;
    int seen_eos = 0;

    while (!seen_eos) {
        rv = ap_get_brigade(r->input_filters, bb, AP_MODE_READBYTES,
                            APR_BLOCK_READ, HUGE_STRING_LEN);
        if (rv != APR_SUCCESS) {
            *read_status = ap_map_http_request_error(rv, HTTP_BAD_REQUEST);
            *errmsg = "reading the request body failed";
            return APR_EGENERAL;
        }
        for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
             b = APR_BUCKET_NEXT(b)) {
            if (APR_BUCKET_IS_EOS(b)) {
                seen_eos = 1;
                break;
            }
            if (AP_BUCKET_IS_ERROR(b)) {
                /* HTTP_IN refused the body (LimitRequestBody, a broken
                 * chunk) and says so in the brigade */
                *read_status = ((ap_bucket_error *)b->data)->status;
                *errmsg = "the request body was refused by httpd";
                return APR_EGENERAL;
            }
            if ((rv = apr_bucket_read(b, &data, &len, APR_BLOCK_READ))
                != APR_SUCCESS) {
                *read_status = ap_map_http_request_error(rv, HTTP_BAD_REQUEST);
                *errmsg = "reading a body bucket failed";
                return APR_EGENERAL;
            }
            if ((rv = pgw_multipart_feed(mp, data, len, errmsg))
                != APR_SUCCESS) {
                return rv;
            }
        }
        apr_brigade_cleanup(bb);
    }
    return pgw_multipart_finish(mp, errmsg);
}

/* ------------------------------------------------------------ the page */

static const char *types_text(const pgw_image_rules_t *rules)
{
    if ((rules->types & PGW_IMAGE_JPEG) && (rules->types & PGW_IMAGE_PNG)) {
        return "JPEG atau PNG";
    }
    return rules->types & PGW_IMAGE_JPEG ? "JPEG" : "PNG";
}

static const char *aspects_text(request_rec *r, const pgw_image_rules_t *rl)
{
    const char *s = "";
    unsigned i;

    for (i = 0; i < rl->aspect_count; i++) {
        s = apr_psprintf(r->pool, "%s%s%u:%u", s,
                         i == 0 ? ""
                                : (i + 1 == rl->aspect_count ? " atau " : ", "),
                         rl->aspects[i].width, rl->aspects[i].height);
    }
    return s;
}

/* The rules as the page states them, from the configuration. */
static void rules_data(request_rec *r, pgw_tdata_t *d)
{
    const pgw_image_rules_t *rl = pegawai_srv(r)->photo;

    pgw_tdata_set(d, "aturan_jenis", types_text(rl));
    pgw_tdata_setf(d, "aturan_ukuran", "%.1f MB",
                   (double)rl->max_bytes / (1024.0 * 1024.0));
    pgw_tdata_setf(d, "aturan_piksel", "%ux%u", rl->min_width, rl->min_height);
    pgw_tdata_set(d, "aturan_tegak", rl->portrait ? "1" : NULL);
    if (rl->aspect_count) {
        pgw_tdata_set(d, "aturan_rasio", aspects_text(r, rl));
    }
    pgw_tdata_set(
        d, "accept",
        rl->types == (PGW_IMAGE_JPEG | PGW_IMAGE_PNG)
            ? "image/jpeg,image/png"
            : (rl->types & PGW_IMAGE_JPEG ? "image/jpeg" : "image/png"));
}

static int has_photo(request_rec *r, const char *nrk)
{
    pegawai_rows *rows;

    return pegawai_db_select(r, PGW_SQL_FOTO_ETAG, &rows, 1, &nrk)
               == APR_SUCCESS
           && rows->nrows == 1;
}

static int page(request_rec *r, int status, const pegawai_session *sess,
                const char *error)
{
    pgw_tdata_t *d = pegawai_page_data(r, "Upload Foto");

    rules_data(r, d);
    pgw_tdata_set(d, "error", error);
    pgw_tdata_set(d, "foto_url",
                  has_photo(r, sess->nrk) ? "/profile/foto" : NULL);
    pgw_tdata_set(d, "form_js_url",
                  apr_pstrcat(r->pool, pegawai_srv(r)->static_url,
                              "/pegawai-foto.js", NULL));
    /* "Foto tersimpan." after an upload: from the session, never from
     * the URL. */
    pgw_tdata_set(d, "flash", pegawai_flash_take(r, sess));
    return pegawai_render(r, status, "akun_foto.html", d);
}

/* ------------------------------------------------------------ decoding */

/* At most PegawaiPhotoConcurrency photos are decoded at once in one
 * child. A baseline JPEG or a PNG read row by row needs a few MB, but a
 * progressive JPEG keeps every coefficient (2 bytes per sample, 122 MB
 * for 20 megapixels at 4:4:4) and an interlaced PNG the whole image (up
 * to 4 bytes per pixel): with 16 threads, unbounded, that is gigabytes. */
static apr_thread_mutex_t *decode_lock;
static apr_thread_cond_t *decode_free;
static int decode_busy;

void pegawai_foto_child_init(apr_pool_t *p, server_rec *s)
{
    if (apr_thread_mutex_create(&decode_lock, APR_THREAD_MUTEX_DEFAULT, p)
            != APR_SUCCESS
        || apr_thread_cond_create(&decode_free, p) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     "PGW00160: cannot create the photo decoding lock; "
                     "decodes will not be limited in this child");
        decode_lock = NULL;
    }
}

static void decode_enter(request_rec *r)
{
    int limit = pegawai_srv(r)->photo_concurrency;

    if (!decode_lock) {
        return;
    }
    apr_thread_mutex_lock(decode_lock);
    while (decode_busy >= limit) {
        apr_thread_cond_wait(decode_free, decode_lock);
    }
    decode_busy++;
    apr_thread_mutex_unlock(decode_lock);
}

static void decode_leave(void)
{
    if (!decode_lock) {
        return;
    }
    apr_thread_mutex_lock(decode_lock);
    decode_busy--;
    apr_thread_cond_signal(decode_free);
    apr_thread_mutex_unlock(decode_lock);
}

/* ------------------------------------------------------------ saving */

static apr_status_t store(request_rec *r, const char *nrk,
                          const pgw_image_t *img)
{
    const char *args[8];
    apr_dbd_transaction_t *tx;
    char *b64 = apr_palloc(r->pool, apr_base64_encode_len(img->jpeg_len));
    apr_status_t rv;
    const char *audit[9];

    apr_base64_encode_binary(b64, img->jpeg, (int)img->jpeg_len);
    args[0] = nrk;
    args[1] = b64;
    args[2] = apr_psprintf(r->pool, "%" APR_SIZE_T_FMT, img->jpeg_len);
    args[3] = apr_itoa(r->pool, (int)img->width);
    args[4] = apr_itoa(r->pool, (int)img->height);
    args[5] = pgw_token_hash_bytes(r->pool, img->jpeg, img->jpeg_len);
    args[6] = apr_psprintf(r->pool, "%" APR_INT64_T_FMT, pegawai_now());
    args[7] = r->useragent_ip;
    audit[0] = args[6];
    audit[1] = nrk;
    audit[2] = nrk;
    audit[3] = "foto";
    audit[4] = "foto";
    audit[5] = "foto";
    audit[6] = NULL;
    audit[7] = apr_psprintf(r->pool, "%ux%u, %s byte", img->width, img->height,
                            args[2]);
    audit[8] = r->useragent_ip;
    if (pegawai_db_begin(r, &tx) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    rv = pegawai_db_exec(r, PGW_SQL_FOTO_LOCK, NULL, 1, args);
    if (rv == APR_SUCCESS) {
        rv = pegawai_db_exec(r, PGW_SQL_FOTO_DEACTIVATE, NULL, 1, args);
    }
    if (rv == APR_SUCCESS) {
        rv = pegawai_db_exec(r, PGW_SQL_FOTO_INSERT, NULL, 8, args);
    }
    if (rv == APR_SUCCESS) {
        rv = pegawai_db_exec(r, PGW_SQL_AUDIT_INSERT, NULL, 9, audit);
    }
    if (pegawai_db_end(r, tx, rv == APR_SUCCESS) != APR_SUCCESS) {
        rv = APR_EGENERAL;
    }
    return rv;
}

static int refuse(request_rec *r, const pegawai_session *sess, int status,
                  const char *msg)
{
    r->connection->keepalive = AP_CONN_CLOSE;
    return page(r, status, sess, msg);
}

static const char *size_message(request_rec *r)
{
    return apr_psprintf(r->pool, "Ukuran foto melebihi batas %.1f MB.",
                        (double)pegawai_srv(r)->photo->max_bytes / 1048576.0);
}

/* The rule a body over one of the multipart limits broke, in the
 * employee's words: only the photo's own size is about the photo. */
static const char *limit_message(request_rec *r, const pgw_multipart_t *mp,
                                 const pgw_upload_t *u)
{
    switch (pgw_upload_refusal(u, mp)) {
    case PGW_UPLOAD_TOO_MANY_PARTS:
        return apr_psprintf(r->pool,
                            "Formulir berisi terlalu banyak bagian: "
                            "paling banyak %d.",
                            PGW_UPLOAD_MAX_PARTS);
    case PGW_UPLOAD_HEADER_TOO_LONG:
        return apr_psprintf(r->pool,
                            "Kepala salah satu bagian formulir terlalu "
                            "panjang: paling banyak %d byte.",
                            PGW_UPLOAD_MAX_HEADER_BYTES);
    case PGW_UPLOAD_TOO_MANY_HEADERS:
        return apr_psprintf(r->pool,
                            "Salah satu bagian formulir membawa terlalu "
                            "banyak kepala: paling banyak %d.",
                            PGW_UPLOAD_MAX_HEADERS);
    case PGW_UPLOAD_FIELD_TOO_LONG:
        return apr_psprintf(r->pool,
                            "Isian formulir selain foto terlalu panjang: "
                            "paling banyak %d byte.",
                            PGW_UPLOAD_FIELD_MAX);
    default:
        return size_message(r);
    }
}

static int post(request_rec *r, const pegawai_session *sess)
{
    const pgw_image_rules_t *rl = pegawai_srv(r)->photo;
    pgw_multipart_limits_t lim;
    const char *boundary, *err = NULL, *log = NULL;
    pgw_multipart_t *mp;
    pgw_image_t *img;
    pgw_upload_t u;
    apr_status_t rv;
    int read_status = OK;

    pgw_upload_init(&u, r->pool, rl->max_bytes, &lim);
    if (r->remaining > lim.max_body
        || (apr_table_get(r->headers_in, "Content-Length")
            && apr_atoi64(apr_table_get(r->headers_in, "Content-Length"))
                   > lim.max_body)) {
        return refuse(r, sess, HTTP_REQUEST_ENTITY_TOO_LARGE, size_message(r));
    }
    rv = pgw_multipart_boundary(
        r->pool, apr_table_get(r->headers_in, "Content-Type"), &boundary, &err);
    if (rv != APR_SUCCESS) {
        return refuse(r, sess, HTTP_UNSUPPORTED_MEDIA_TYPE,
                      "Formulir harus dikirim sebagai multipart/form-data.");
    }
    rv = pgw_multipart_create(r->pool, boundary, &lim, &pgw_upload_callbacks,
                              &u, &mp, &err);
    if (rv == APR_SUCCESS) {
        rv = read_multipart(r, mp, &read_status, &err);
    }
    if (read_status != OK) {
        /* The connection may be gone or answered already (a 413 from
         * LimitRequestBody): httpd's own answer, not the page. */
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "photo upload of %s not read: %s (%d)", sess->nrk, err,
                      read_status);
        r->connection->keepalive = AP_CONN_CLOSE;
        return read_status;
    }
    if (rv == APR_ENOSPC) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "photo upload of %s refused: %s", sess->nrk, err);
        return refuse(r, sess, HTTP_REQUEST_ENTITY_TOO_LARGE,
                      limit_message(r, mp, &u));
    }
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "photo upload of %s malformed: %s", sess->nrk, err);
        return refuse(r, sess, HTTP_BAD_REQUEST,
                      "Kiriman formulir rusak. Pilih foto lalu tekan "
                      "SIMPAN lagi.");
    }
    if (!pegawai_csrf_ok(r, sess->csrf_token, u.csrf)) {
        return pegawai_error_page(r, HTTP_FORBIDDEN, NULL);
    }
    if (!u.photo || u.photo_len == 0) {
        return page(r, HTTP_UNPROCESSABLE_ENTITY, sess,
                    "Pilih file foto terlebih dahulu.");
    }
    decode_enter(r);
    rv = pgw_image_process(r->pool, (const unsigned char *)u.photo, u.photo_len,
                           rl, &img, &err, &log);
    decode_leave();
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "photo of %s refused: %s",
                      sess->nrk, log ? log : "rule");
        return page(r, HTTP_UNPROCESSABLE_ENTITY, sess, err);
    }
    if (store(r, sess->nrk, img) != APR_SUCCESS) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    pegawai_flash_set(r, sess, "Foto tersimpan.");
    return pegawai_redirect(r, "/akun/foto?tersimpan=1");
}

int pegawai_handle_akun_foto(request_rec *r)
{
    const pegawai_session *sess;
    int db_down = 0;

    sess = pegawai_session_get(r, &db_down);
    if (db_down) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (!sess) {
        return pegawai_redirect(r, "/login");
    }
    if (r->method_number == M_GET) {
        return page(r, HTTP_OK, sess, NULL);
    }
    return post(r, sess);
}

/* ------------------------------------------------------------ serving */

/* The photo's own policy: nothing in it may run or load anything, even
 * opened on its own as a document (ASVS V3.2). */
#define PHOTO_CSP "default-src 'none'; sandbox; frame-ancestors 'self'"

int pegawai_handle_profile_foto(request_rec *r)
{
    const pegawai_session *sess;
    const char *inm, *etag, *b64;
    pegawai_rows *rows;
    unsigned char *jpeg;
    int db_down = 0, len;

    sess = pegawai_session_get(r, &db_down);
    if (db_down) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (!sess) {
        return pegawai_error_page(r, HTTP_FORBIDDEN, NULL);
    }
    if (pegawai_db_select(r, PGW_SQL_FOTO_ETAG, &rows, 1, &sess->nrk)
        != APR_SUCCESS) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (rows->nrows != 1) {
        return pegawai_error_page(r, HTTP_NOT_FOUND,
                                  "Anda belum mengunggah foto.");
    }
    etag = apr_pstrcat(r->pool, "\"", PEGAWAI_CELL(rows, 0, 0), "\"", NULL);
    apr_table_setn(r->headers_out, "ETag", etag);
    apr_table_setn(r->headers_out, "Cache-Control", "private, no-cache");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    apr_table_setn(r->headers_out, "Content-Security-Policy", PHOTO_CSP);
    inm = apr_table_get(r->headers_in, "If-None-Match");
    if (inm && strstr(inm, PEGAWAI_CELL(rows, 0, 0))) {
        return HTTP_NOT_MODIFIED;
    }
    if (pegawai_db_select(r, PGW_SQL_FOTO_GET, &rows, 1, &sess->nrk)
            != APR_SUCCESS
        || rows->nrows != 1) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    b64 = PEGAWAI_CELL(rows, 0, 0);
    jpeg = apr_palloc(r->pool, apr_base64_decode_len(b64));
    len = apr_base64_decode_binary(jpeg, b64);
    ap_set_content_type(r, "image/jpeg");
    ap_set_content_length(r, len);
    if (!r->header_only) {
        ap_rwrite(jpeg, len, r);
    }
    return OK;
}
