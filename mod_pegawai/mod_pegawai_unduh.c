/* GET /profile/unduh: Unduh Data Saya. Everything the portal holds about
 * the employee, and the history of its changes, as one JSON file
 * (UU PDP No. 27/2022, the right to access personal data; PRODUCT.md:
 * "an employee can see and download what is held about them").
 *
 * Only the session's own NRK is read, whatever the URL carries. Whole
 * rows of the employee's tables are written with their column names, so
 * that a column added by a later migration is in the file without a
 * change here; secrets (password hash, session and CSRF tokens) are in
 * no statement of this file.
 */
#include "httpd.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"
#include "apr_time.h"

#include "mod_pegawai.h"
#include "pgw_buf.h"
#include "pgw_json.h"
#include "pgw_sql.h"

APLOG_USE_MODULE(pegawai);

/* A part of the file: its key, its statement, and whether it is one
 * object (the employee, the account) or a list of rows. */
typedef struct part {
    const char *key;
    const char *label;
    int single;
} part;

static const part parts[] = {{"pegawai", PGW_SQL_UNDUH_PEGAWAI, 1},
                             {"akun", PGW_SQL_UNDUH_AKUN, 1},
                             {"peran", PGW_SQL_UNDUH_PERAN, 0},
                             {"riwayat_jabatan", PGW_SQL_UNDUH_JABATAN, 0},
                             {"riwayat_alamat", PGW_SQL_UNDUH_ALAMAT, 0},
                             {"foto", PGW_SQL_UNDUH_FOTO, 0},
                             {"sesi", PGW_SQL_UNDUH_SESI, 0},
                             {"riwayat_perubahan", PGW_SQL_UNDUH_AUDIT, 0},
                             {NULL, NULL, 0}};

static void put_rows(pgw_buf_t *out, const pegawai_rows *rows, int single)
{
    int i;

    if (single) {
        if (rows->nrows < 1) {
            pgw_buf_puts(out, "null");
            return;
        }
        pgw_json_put_object(out, rows->ncols, rows->names, rows->cells);
        return;
    }
    pgw_buf_puts(out, "[");
    for (i = 0; i < rows->nrows; i++) {
        if (i) {
            pgw_buf_puts(out, ",");
        }
        pgw_json_put_object(out, rows->ncols, rows->names,
                            &PEGAWAI_CELL(rows, i, 0));
    }
    pgw_buf_puts(out, "]");
}

static void put_header(request_rec *r, pgw_buf_t *out, const char *nrk)
{
    char stamp[APR_RFC822_DATE_LEN];
    apr_time_exp_t t;
    apr_size_t len;

    apr_time_exp_gmt(&t, apr_time_now());
    apr_strftime(stamp, &len, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &t);
    pgw_buf_puts(out, "{\"nrk\":");
    pgw_json_put_string(out, nrk, strlen(nrk));
    pgw_buf_puts(out, ",\"diunduh_pada\":");
    pgw_json_put_string(out, stamp, len);
    pgw_buf_puts(out, ",\"keterangan\":\"Data yang disimpan Portal Pegawai "
                      "tentang Anda, dengan riwayat perubahannya (UU PDP "
                      "No. 27/2022). Waktu dalam detik sejak 1 Januari "
                      "1970 UTC.\"");
}

int pegawai_handle_unduh(request_rec *r)
{
    const pegawai_session *sess;
    const part *pt;
    pegawai_rows *rows;
    pgw_buf_t *out;
    int db_down = 0;

    sess = pegawai_session_get(r, &db_down);
    if (db_down) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (!sess) {
        return pegawai_redirect(r, "/login");
    }
    out = pgw_buf_make(r->pool, 16384);
    put_header(r, out, sess->nrk);
    for (pt = parts; pt->key; pt++) {
        if (pegawai_db_select_named(r, pt->label, &rows, 1, &sess->nrk)
            != APR_SUCCESS) {
            return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
        }
        pgw_buf_puts(out, ",");
        pgw_json_put_string(out, pt->key, strlen(pt->key));
        pgw_buf_puts(out, ":");
        put_rows(out, rows, pt->single);
    }
    pgw_buf_puts(out, "}\n");
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  "NRK %s downloaded their data (%" APR_SIZE_T_FMT " bytes)",
                  sess->nrk, out->len);

    pegawai_security_headers(r); /* Cache-Control: no-store among them */
    apr_table_setn(r->headers_out, "Content-Disposition",
                   apr_psprintf(r->pool,
                                "attachment; filename=\"data-pegawai-%s"
                                ".json\"",
                                sess->nrk));
    ap_set_content_type(r, "application/json; charset=utf-8");
    ap_set_content_length(r, out->len);
    if (!r->header_only) {
        ap_rwrite(out->data, (int)out->len, r);
    }
    return OK;
}
