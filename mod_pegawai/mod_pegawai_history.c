/* GET /profile/riwayat: the employee's own change history (PRODUCT.md,
 * personal data: an employee can see the history of changes to what is
 * held about them): the data form's fields and the Riwayat Alamat
 * entries, newest first, a page of PAGE_ROWS at a time (?halaman=N).
 * Identifiers are masked but for their last four characters, so that a
 * shoulder or a screenshot does not leak them.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "mod_pegawai.h"
#include "pgw_alamat.h"
#include "pgw_fmt.h"
#include "pgw_sql.h"
#include "pgw_validate.h"

/* Columns of PGW_SQL_AUDIT_LIST. */
enum { A_AT, A_ACTOR, A_TABLE, A_COLUMN, A_OLD, A_NEW, A_IP, A_ACTION, A_ROW };

#define PAGE_ROWS 100
/* A million rows back is further than any employee's history goes; the
 * bound keeps OFFSET from growing without one. */
#define MAX_PAGE 10000

/* The fields whose values are identifiers (PRODUCT.md: no NIK, NPWP or
 * account number in the clear where it need not be). */
static int masked(const char *table, const char *column)
{
    static const char *const ids[] = {
        "nik",     "no_kk",     "npwp",      "no_rek_bank_dki",
        "no_bpjs", "no_taspen", "no_karpeg", "no_karis_karsu",
        NULL};
    int i;

    if (!table || strcmp(table, "pegawai")) {
        return 0;
    }
    for (i = 0; column && ids[i]; i++) {
        if (!strcmp(column, ids[i])) {
            return 1;
        }
    }
    return 0;
}

/* The label the employee knows a column by, from the form that edits
 * it. */
static const char *label_of(const char *table, const char *column)
{
    const pgw_field_t *fields = pgw_data_fields;
    int i, n = PGW_DATA_FIELD_COUNT;

    if (table && !strcmp(table, "riwayat_alamat")) {
        fields = pgw_alamat_fields;
        n = PGW_ALAMAT_FIELD_COUNT;
    }
    for (i = 0; column && i < n; i++) {
        if (!strcmp(column, fields[i].name)) {
            return fields[i].label;
        }
    }
    return column && *column ? column : "-";
}

/* Which record: the employee's data, or one Riwayat Alamat entry and
 * what was done to it. */
static const char *part_of(request_rec *r, pegawai_rows *a, int i)
{
    const char *table = PEGAWAI_CELL(a, i, A_TABLE);
    const char *action = PEGAWAI_CELL(a, i, A_ACTION);
    const char *key = PEGAWAI_CELL(a, i, A_ROW);
    const char *done = "diubah";

    if (!table || strcmp(table, "riwayat_alamat")) {
        return "Data Pegawai";
    }
    if (action && !strcmp(action, "tambah")) {
        done = "ditambahkan";
    }
    else if (action && !strcmp(action, "hapus")) {
        done = "dihapus";
    }
    if (key && *key) {
        return apr_psprintf(r->pool, "Riwayat Alamat, entri %s (%s)", key,
                            done);
    }
    return apr_psprintf(r->pool, "Riwayat Alamat (%s)", done);
}

static const char *shown(request_rec *r, const char *table, const char *column,
                         const char *v)
{
    if (!v || !*v) {
        return "(kosong)";
    }
    return masked(table, column) ? pgw_fmt_mask(r->pool, v) : v;
}

/* ?halaman=N, 1 when absent; 0 when it is not a page number. Other
 * parameters are ignored: the history is always the session's own. */
static int page_asked(request_rec *r)
{
    char *args, *pair, *state;
    const char *v = NULL;

    if (!r->args) {
        return 1;
    }
    args = apr_pstrdup(r->pool, r->args);
    for (pair = apr_strtok(args, "&", &state); pair;
         pair = apr_strtok(NULL, "&", &state)) {
        if (!strncmp(pair, "halaman=", 8)) {
            v = pair + 8;
        }
    }
    if (!v) {
        return 1;
    }
    if (!*v || strlen(v) > 5 || v[strspn(v, "0123456789")]) {
        return 0;
    }
    return atoi(v) >= 1 && atoi(v) <= MAX_PAGE ? atoi(v) : 0;
}

static void add_rows(request_rec *r, pgw_tdata_t *d, pegawai_rows *a, int n)
{
    pgw_tdata_t *row;
    int i;

    for (i = 0; i < n; i++) {
        const char *table = PEGAWAI_CELL(a, i, A_TABLE);
        const char *col = PEGAWAI_CELL(a, i, A_COLUMN);

        row = pgw_tdata_add_row(d, "perubahan");
        pgw_tdata_set(
            row, "waktu",
            pgw_fmt_wib(r->pool, apr_atoi64(PEGAWAI_CELL(a, i, A_AT))));
        pgw_tdata_set(row, "bagian", part_of(r, a, i));
        pgw_tdata_set(row, "kolom", label_of(table, col));
        pgw_tdata_set(row, "lama",
                      shown(r, table, col, PEGAWAI_CELL(a, i, A_OLD)));
        pgw_tdata_set(row, "baru",
                      shown(r, table, col, PEGAWAI_CELL(a, i, A_NEW)));
        pgw_tdata_set(row, "oleh", PEGAWAI_CELL(a, i, A_ACTOR));
        pgw_tdata_set(row, "alamat_ip", PEGAWAI_CELL(a, i, A_IP));
    }
}

/* The links to the neighbouring pages; one row more than a page was
 * asked for, so its presence says that older changes exist. */
static void paging(request_rec *r, pgw_tdata_t *d, int page, int more)
{
    pgw_tdata_setf(d, "halaman", "%d", page);
    pgw_tdata_set(d, "berhalaman", more || page > 1 ? "1" : NULL);
    if (more) {
        pgw_tdata_setf(d, "lebih_lama_url", "/profile/riwayat?halaman=%d",
                       page + 1);
    }
    if (page > 1) {
        pgw_tdata_setf(d, "lebih_baru_url", "/profile/riwayat?halaman=%d",
                       page - 1);
    }
}

int pegawai_handle_history(request_rec *r)
{
    const pegawai_session *sess;
    const char *args[3];
    pegawai_rows *a;
    pgw_tdata_t *d;
    int page, db_down = 0;

    sess = pegawai_session_get(r, &db_down);
    if (db_down) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (!sess) {
        return pegawai_redirect(r, "/login");
    }
    if (!(page = page_asked(r))) {
        return pegawai_error_page(r, HTTP_BAD_REQUEST,
                                  "Nomor halaman riwayat tidak valid: "
                                  "gunakan angka 1 sampai 10000.");
    }
    args[0] = sess->nrk;
    args[1] = apr_itoa(r->pool, PAGE_ROWS + 1);
    args[2] = apr_itoa(r->pool, (page - 1) * PAGE_ROWS);
    if (pegawai_db_select(r, PGW_SQL_AUDIT_LIST, &a, 3, args) != APR_SUCCESS) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (page > 1 && a->nrows == 0) {
        return pegawai_error_page(r, HTTP_NOT_FOUND,
                                  "Halaman riwayat ini tidak ada: riwayat "
                                  "Anda lebih pendek.");
    }
    d = pegawai_page_data(r, "Riwayat Perubahan Data");
    add_rows(r, d, a, a->nrows > PAGE_ROWS ? PAGE_ROWS : a->nrows);
    paging(r, d, page, a->nrows > PAGE_ROWS);
    pgw_tdata_set(d, "flash", pegawai_flash_take(r, sess));
    return pegawai_render(r, HTTP_OK, "riwayat_perubahan.html", d);
}
