/* GET /profile/riwayat: the employee's own change history (PRODUCT.md,
 * personal data: an employee can see the history of changes to what is
 * held about them). Identifiers are masked but for their last four
 * characters, so that a shoulder or a screenshot does not leak them.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "mod_pegawai.h"
#include "pgw_fmt.h"
#include "pgw_sql.h"
#include "pgw_validate.h"

/* Columns of PGW_SQL_AUDIT_LIST. */
enum { A_AT, A_ACTOR, A_COLUMN, A_OLD, A_NEW, A_IP };

/* The fields whose values are identifiers (PRODUCT.md: no NIK, NPWP or
 * account number in the clear where it need not be). */
static int masked(const char *column)
{
    static const char *const ids[] = {
        "nik",     "no_kk",     "npwp",      "no_rek_bank_dki",
        "no_bpjs", "no_taspen", "no_karpeg", "no_karis_karsu",
        NULL};
    int i;

    for (i = 0; column && ids[i]; i++) {
        if (!strcmp(column, ids[i])) {
            return 1;
        }
    }
    return 0;
}

static const char *label_of(const char *column)
{
    int i;

    for (i = 0; column && i < PGW_DATA_FIELD_COUNT; i++) {
        if (!strcmp(column, pgw_data_fields[i].name)) {
            return pgw_data_fields[i].label;
        }
    }
    return column ? column : "-";
}

static const char *shown(request_rec *r, const char *column, const char *v)
{
    if (!v || !*v) {
        return "(kosong)";
    }
    return masked(column) ? pgw_fmt_mask(r->pool, v) : v;
}

int pegawai_handle_history(request_rec *r)
{
    const pegawai_session *sess;
    const char *args[2];
    pegawai_rows *a;
    pgw_tdata_t *d, *row;
    int i, db_down = 0;

    sess = pegawai_session_get(r, &db_down);
    if (db_down) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (!sess) {
        return pegawai_redirect(r, "/login");
    }
    args[0] = sess->nrk;
    args[1] = "pegawai";
    if (pegawai_db_select(r, PGW_SQL_AUDIT_LIST, &a, 2, args) != APR_SUCCESS) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    d = pegawai_page_data(r, "Riwayat Perubahan Data");
    for (i = 0; i < a->nrows; i++) {
        const char *col = PEGAWAI_CELL(a, i, A_COLUMN);

        row = pgw_tdata_add_row(d, "perubahan");
        pgw_tdata_set(
            row, "waktu",
            pgw_fmt_wib(r->pool, apr_atoi64(PEGAWAI_CELL(a, i, A_AT))));
        pgw_tdata_set(row, "kolom", label_of(col));
        pgw_tdata_set(row, "lama", shown(r, col, PEGAWAI_CELL(a, i, A_OLD)));
        pgw_tdata_set(row, "baru", shown(r, col, PEGAWAI_CELL(a, i, A_NEW)));
        pgw_tdata_set(row, "oleh", PEGAWAI_CELL(a, i, A_ACTOR));
        pgw_tdata_set(row, "alamat_ip", PEGAWAI_CELL(a, i, A_IP));
    }
    return pegawai_render(r, HTTP_OK, "riwayat_perubahan.html", d);
}
