/* Riwayat Alamat (manual section 3): the address history, the Tambah
 * Data form and its corrections, and the region lists behind the form's
 * selects.
 *
 *   GET  /riwayat/alamat            the page; ?tampilkan=1 lists entries
 *   GET|POST /riwayat/alamat/tambah a new residential address
 *   GET|POST /riwayat/alamat/ubah   ?id=N: correct an entry
 *   POST /riwayat/alamat/hapus      delete an entry (id, versi)
 *   GET  /riwayat/alamat/wilayah    ?induk=CODE: the regions under CODE
 *
 * Every query names the session's NRK with the entry's id, so another
 * employee's entries are never found, whatever id is sent.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "mod_pegawai.h"
#include "pgw_alamat.h"
#include "pgw_fmt.h"
#include "pgw_json.h"
#include "pgw_sql.h"
#include "pgw_token.h"

APLOG_USE_MODULE(pegawai);

#define NF  PGW_ALAMAT_FIELD_COUNT
#define KTP PGW_ALAMAT_KTP_OFFSET

/* Columns of PGW_SQL_ALAMAT_LIST. */
enum {
    L_ID,
    L_VERSI,
    L_MULAI,
    L_ALAMAT,
    L_RT,
    L_RW,
    L_KEL,
    L_KEC,
    L_KOTA,
    L_PROV,
    L_POS,
    L_KTP_SAMA,
    L_ALAMAT_KTP,
    L_RT_KTP,
    L_RW_KTP,
    L_KEL_KTP,
    L_KEC_KTP,
    L_KOTA_KTP,
    L_PROV_KTP,
    L_POS_KTP,
    L_KET
};

/* The form, as shown and as posted. */
/* Where a saved entry sends the employee: the list, with its note. */
#define SAVED_URL "/riwayat/alamat?tampilkan=1&disimpan=1"

typedef struct alamat_form {
    const char *shown[NF];
    const char *error[NF];
    const char *id;      /* NULL for Tambah Data */
    const char *versi;   /* of the entry being corrected */
    const char *kiriman; /* Tambah Data: this form's key (migration 0008) */
} alamat_form;

/* A positive whole number as sent in ?id= or a form, or NULL. */
static const char *entry_id(const char *s)
{
    const char *c;

    if (!s || !*s || strlen(s) > 18) {
        return NULL;
    }
    for (c = s; *c; c++) {
        if (*c < '0' || *c > '9') {
            return NULL;
        }
    }
    return s;
}

/* A cell of a list, NULL when the entry has no value there: the pgsql
 * driver reads a NULL cell as "", SQLite's as NULL, and both must show
 * the same. */
static const char *cell(pegawai_rows *a, int i, int j)
{
    const char *v = PEGAWAI_CELL(a, i, j);

    return v && *v ? v : NULL;
}

/* "Kelurahan X, Kecamatan Y, Kota Z, Provinsi W 10110" in one line. */
static const char *one_line(request_rec *r, pegawai_rows *a, int i, int off)
{
    const char *parts[4], *s = cell(a, i, L_ALAMAT + off);
    const char *rt = cell(a, i, L_RT + off);
    const char *rw = cell(a, i, L_RW + off);
    const char *pos = cell(a, i, L_POS + off);
    int k;

    s = s ? s : "-";
    if (rt || rw) {
        s = apr_psprintf(r->pool, "%s, RT %s/RW %s", s, rt ? rt : "-",
                         rw ? rw : "-");
    }
    for (k = 0; k < 4; k++) {
        parts[k] = cell(a, i, L_KEL + k + off);
        if (parts[k]) {
            s = apr_pstrcat(r->pool, s, ", ", parts[k], NULL);
        }
    }
    return pos ? apr_pstrcat(r->pool, s, " ", pos, NULL) : s;
}

/* ------------------------------------------------------------ the list */

/* A value of the list, "-" where the entry has none (a region or RT
 * left out of an entry made before the form asked for them). */
static void list_cell(pgw_tdata_t *row, const char *name, pegawai_rows *a,
                      int i, int j)
{
    const char *v = cell(a, i, j);

    pgw_tdata_set(row, name, v ? v : "-");
}

static void list_row(request_rec *r, pgw_tdata_t *d, pegawai_rows *a, int i)
{
    pgw_tdata_t *row = pgw_tdata_add_row(d, "alamat");
    const char *rt = cell(a, i, L_RT), *rw = cell(a, i, L_RW);
    const char *sama = cell(a, i, L_KTP_SAMA);

    pgw_tdata_set(row, "id", PEGAWAI_CELL(a, i, L_ID));
    pgw_tdata_set(row, "versi", PEGAWAI_CELL(a, i, L_VERSI));
    pgw_tdata_set(row, "tanggal_mulai",
                  pgw_fmt_date(r->pool, PEGAWAI_CELL(a, i, L_MULAI)));
    list_cell(row, "alamat", a, i, L_ALAMAT);
    pgw_tdata_setf(row, "rt_rw", "%s/%s", rt ? rt : "-", rw ? rw : "-");
    list_cell(row, "kelurahan", a, i, L_KEL);
    list_cell(row, "kecamatan", a, i, L_KEC);
    list_cell(row, "kota", a, i, L_KOTA);
    list_cell(row, "provinsi", a, i, L_PROV);
    list_cell(row, "kode_pos", a, i, L_POS);
    if (!sama || strcmp(sama, "1")) {
        pgw_tdata_set(row, "ktp_beda", "1");
        pgw_tdata_set(row, "ktp_alamat_lengkap",
                      one_line(r, a, i, L_ALAMAT_KTP - L_ALAMAT));
    }
    pgw_tdata_set(row, "keterangan", cell(a, i, L_KET));
    pgw_tdata_set(row, "terkini", i == 0 ? "1" : NULL);
    pgw_tdata_set(row, "ubah_url",
                  apr_pstrcat(r->pool, "/riwayat/alamat/ubah?id=",
                              PEGAWAI_CELL(a, i, L_ID), NULL));
}

/* The script of both pages: the region lists and the KTP block of the
 * form, the question before a Hapus on the list. */
static const char *alamat_js_url(request_rec *r)
{
    return apr_pstrcat(r->pool, pegawai_srv(r)->static_url,
                       "/pegawai-alamat.js", NULL);
}

/* ?dihapus=1 / ?disimpan=1 after a change: the confirmation. */
static const char *list_flash(request_rec *r)
{
    if (!r->args) {
        return NULL;
    }
    if (strstr(r->args, "disimpan=1")) {
        return "Alamat tersimpan.";
    }
    if (strstr(r->args, "dihapus=1")) {
        return "Alamat dihapus dari riwayat.";
    }
    return NULL;
}

int pegawai_handle_alamat(request_rec *r)
{
    const pegawai_session *sess;
    pegawai_rows *a;
    pgw_tdata_t *d;
    int i, db_down = 0, show;

    sess = pegawai_session_get(r, &db_down);
    if (db_down) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (!sess) {
        return pegawai_redirect(r, "/login");
    }
    /* Tampilkan is a plain GET form, so it works without scripts; after
     * a change the list is shown at once. */
    show = r->args != NULL;
    d = pegawai_page_data(r, "Riwayat Alamat");
    pgw_tdata_set(d, "flash", list_flash(r));
    pgw_tdata_set(d, "form_js_url", alamat_js_url(r));
    if (show) {
        if (pegawai_db_select(r, PGW_SQL_ALAMAT_LIST, &a, 1, &sess->nrk)
            != APR_SUCCESS) {
            return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
        }
        pgw_tdata_set(d, "tampil", "1");
        pgw_tdata_setf(d, "jumlah", "%d", a->nrows);
        for (i = 0; i < a->nrows; i++) {
            list_row(r, d, a, i);
        }
    }
    return pegawai_render(r, HTTP_OK, "riwayat_alamat.html", d);
}

/* ------------------------------------------------------------ regions */

static const char *const region_sql[4] = {
    PGW_SQL_WILAYAH_PROVINSI, PGW_SQL_WILAYAH_KOTA, PGW_SQL_WILAYAH_KECAMATAN,
    PGW_SQL_WILAYAH_KELURAHAN};

/* The level a code's children are at: 0 provinces (no parent), 1 kota
 * under a province "31", 2 kecamatan under "31.71", 3 kelurahan under
 * "31.71.01"; -1 for anything else, a code of the right length whose
 * digits and dots are not in their places too. */
static int child_level(const char *parent)
{
    apr_size_t n = parent ? strlen(parent) : 0, i;

    if (n != 0 && n != 2 && n != 5 && n != 8) {
        return -1;
    }
    for (i = 0; i < n; i++) {
        if (i % 3 == 2 ? parent[i] != '.' : !apr_isdigit(parent[i])) {
            return -1;
        }
    }
    return (int)(n + 1) / 3; /* 0, 2, 5, 8 characters: levels 0 to 3 */
}

static apr_status_t regions(request_rec *r, const char *parent,
                            pegawai_rows **rows)
{
    int level = child_level(parent);

    if (level < 0) {
        return APR_EINVAL;
    }
    return pegawai_db_select(r, region_sql[level], rows, level ? 1 : 0,
                             level ? &parent : NULL);
}

static void put_json(pgw_buf_t *out, const char *s)
{
    s = s ? s : "";
    pgw_json_put_string(out, s, strlen(s));
}

/* GET /riwayat/alamat/wilayah?induk=31.71: the children of a region as
 * JSON, for the selects that fill as the employee chooses. */
int pegawai_handle_wilayah(request_rec *r)
{
    const char *parent = NULL;
    pegawai_rows *rows;
    pgw_buf_t *out;
    int i, db_down = 0;

    if (!pegawai_session_get(r, &db_down)) {
        return db_down ? pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL)
                       : pegawai_error_page(r, HTTP_FORBIDDEN, NULL);
    }
    if (r->args && !strncmp(r->args, "induk=", 6)) {
        parent = r->args + 6;
    }
    if (parent && (strlen(parent) > 16 || child_level(parent) < 0)) {
        return pegawai_error_page(r, HTTP_BAD_REQUEST, NULL);
    }
    if (regions(r, parent, &rows) != APR_SUCCESS) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    out = pgw_buf_make(r->pool, 256 + rows->nrows * 48);
    pgw_buf_puts(out, "{\"wilayah\":[");
    for (i = 0; i < rows->nrows; i++) {
        pgw_buf_puts(out, i ? ",{\"kode\":" : "{\"kode\":");
        put_json(out, PEGAWAI_CELL(rows, i, 0));
        pgw_buf_puts(out, ",\"nama\":");
        put_json(out, PEGAWAI_CELL(rows, i, 1));
        pgw_buf_puts(out, "}");
    }
    pgw_buf_puts(out, "]}");
    pegawai_security_headers(r);
    /* Regions change once a year, not per person: a browser may keep
     * them for an hour. */
    apr_table_setn(r->err_headers_out, "Cache-Control",
                   "private, max-age=3600");
    ap_set_content_type(r, "application/json");
    ap_set_content_length(r, out->len);
    if (!r->header_only) {
        ap_rwrite(out->data, (int)out->len, r);
    }
    return OK;
}

/* ------------------------------------------------------------ the form */

static void options(request_rec *r, pgw_tdata_t *d, const char *list,
                    pegawai_rows *rows, const char *chosen)
{
    pgw_tdata_t *o;
    int i;

    for (i = 0; rows && i < rows->nrows; i++) {
        o = pgw_tdata_add_row(d, list);
        pgw_tdata_set(o, "kode", PEGAWAI_CELL(rows, i, 0));
        pgw_tdata_set(o, "nama", PEGAWAI_CELL(rows, i, 1));
        pgw_tdata_set(
            o, "selected",
            chosen && !strcmp(chosen, PEGAWAI_CELL(rows, i, 0)) ? "1" : NULL);
    }
}

static int in_rows(pegawai_rows *rows, const char *code)
{
    int i;

    for (i = 0; code && rows && i < rows->nrows; i++) {
        if (!strcmp(PEGAWAI_CELL(rows, i, 0), code)) {
            return 1;
        }
    }
    return 0;
}

/* The four selects of one address (off 0: residence, KTP: the KTP),
 * each listing the children of the choice above it. A choice that is
 * not among its parent's children ends the chain; with check set, it is
 * marked as an error (the region must exist under its parent). */
static apr_status_t region_selects(request_rec *r, pgw_tdata_t *d,
                                   alamat_form *f, int off, int check)
{
    static const char *const lists[4] = {"provinsi_options", "kota_options",
                                         "kecamatan_options",
                                         "kelurahan_options"};
    const char *parent = NULL;
    pegawai_rows *rows;
    int level;

    for (level = 0; level < 4; level++) {
        int field = PGW_ALAMAT_PROVINSI + level + off;
        const char *chosen = f->shown[field];

        if (regions(r, parent, &rows) != APR_SUCCESS) {
            return APR_EGENERAL;
        }
        if (d) {
            options(r, d,
                    off ? apr_pstrcat(r->pool, lists[level], "_ktp", NULL)
                        : lists[level],
                    rows, chosen);
        }
        if (!in_rows(rows, chosen)) {
            if (check && chosen && *chosen && !f->error[field]) {
                f->error[field] = "Pilih dari daftar wilayah yang tersedia.";
            }
            break;
        }
        parent = chosen;
    }
    return APR_SUCCESS;
}

static pgw_tdata_t *form_data(request_rec *r, alamat_form *f)
{
    pgw_tdata_t *d;
    int i;
    const char *sama = f->shown[PGW_ALAMAT_KTP_SAMA];

    d = pegawai_page_data(r, f->id ? "Ubah Data Alamat"
                                   : "Tambah Data "
                                     "Alamat");
    pgw_tdata_set(d, "judul",
                  f->id ? "Ubah Data Alamat" : "Tambah Data Alamat");
    pgw_tdata_set(
        d, "action",
        f->id ? apr_pstrcat(r->pool, "/riwayat/alamat/ubah?id=", f->id, NULL)
              : "/riwayat/alamat/tambah");
    pgw_tdata_set(d, "id", f->id);
    pgw_tdata_set(d, "versi", f->versi);
    if (!f->id && !f->kiriman) {
        f->kiriman = pgw_token_new(r->pool);
    }
    pgw_tdata_set(d, "kiriman", f->id ? NULL : f->kiriman);
    pgw_tdata_set(d, "wilayah_url", "/riwayat/alamat/wilayah");
    pgw_tdata_set(d, "form_js_url", alamat_js_url(r));
    for (i = 0; i < NF; i++) {
        const char *name = pgw_alamat_fields[i].name;

        pgw_tdata_set(d, name, f->shown[i]);
        pgw_tdata_set(d, apr_pstrcat(r->pool, name, "_error", NULL),
                      f->error[i]);
    }
    pgw_tdata_set(d, "ktp_sama_checked",
                  sama && strcmp(sama, "0") && *sama ? "1" : NULL);
    if (region_selects(r, d, f, 0, 0) != APR_SUCCESS
        || region_selects(r, d, f, KTP, 0) != APR_SUCCESS) {
        return NULL;
    }
    return d;
}

static int render(request_rec *r, int status, pgw_tdata_t *d)
{
    if (!d) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    return pegawai_render(r, status, "alamat_form.html", d);
}

/* Columns of PGW_SQL_ALAMAT_GET after versi are the form's fields in
 * pgw_alamat_fields[] order. */
static apr_status_t load_entry(request_rec *r, const char *nrk, alamat_form *f)
{
    const char *args[2] = {f->id, nrk};
    pegawai_rows *rows;
    int i;

    if (pegawai_db_select(r, PGW_SQL_ALAMAT_GET, &rows, 2, args)
        != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (rows->nrows != 1) {
        return APR_NOTFOUND;
    }
    f->versi = PEGAWAI_CELL(rows, 0, 0);
    for (i = 0; i < NF; i++) {
        f->shown[i] = PEGAWAI_CELL(rows, 0, 1 + i);
    }
    return APR_SUCCESS;
}

static void from_table(alamat_form *f, apr_table_t *t)
{
    const char *kiriman;
    int i;

    for (i = 0; i < NF; i++) {
        f->shown[i] = apr_table_get(t, pgw_alamat_fields[i].name);
    }
    kiriman = apr_table_get(t, "kiriman");
    f->kiriman = kiriman && pgw_token_is_wellformed(kiriman) ? kiriman : NULL;
}

/* A value as the audit compares it: empty is NULL, since the pgsql
 * driver reads a NULL cell as "" and the validators never store "". */
static const char *audited_value(const char *const *values, int i)
{
    return values && values[i] && *values[i] ? values[i] : NULL;
}

/* One audit row per field that changed (an insert: every field set; a
 * delete: every field cleared), in the caller's transaction. Each names
 * the entry by its id (row_key), so that the history of changes can
 * say which address changed. */
static apr_status_t audit(request_rec *r, const char *nrk, const char *action,
                          const char *id, const char *const *old,
                          const char *const *now)
{
    const char *args[10];
    int i;

    args[0] = pegawai_i64(r, pegawai_now());
    args[1] = nrk;
    args[2] = nrk;
    args[3] = action;
    args[4] = "riwayat_alamat";
    args[8] = r->useragent_ip;
    args[9] = id;
    for (i = 0; i < NF; i++) {
        const char *a = audited_value(old, i), *b = audited_value(now, i);

        if ((!a && !b) || (a && b && !strcmp(a, b))) {
            continue;
        }
        args[5] = pgw_alamat_fields[i].name;
        args[6] = a;
        args[7] = b;
        if (pegawai_db_exec(r, PGW_SQL_AUDIT_INSERT_ROW, NULL, 10, args)
            != APR_SUCCESS) {
            return APR_EGENERAL;
        }
    }
    return APR_SUCCESS;
}

/* The INSERT or UPDATE of the entry; *id the entry's (a new one's as
 * the database numbered it), *n the number of rows changed. */
static apr_status_t write_entry(request_rec *r, const alamat_form *f, int nargs,
                                const char *const *args, const char **id,
                                int *n)
{
    pegawai_rows *rows;

    *id = f->id;
    if (f->id) {
        return pegawai_db_exec(r, PGW_SQL_ALAMAT_UPDATE, n, nargs, args);
    }
    if (pegawai_db_select(r, PGW_SQL_ALAMAT_INSERT, &rows, nargs, args)
        != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    *n = rows->nrows;
    *id = rows->nrows == 1 ? PEGAWAI_CELL(rows, 0, 0) : NULL;
    return APR_SUCCESS;
}

/* Inserts (f->id NULL) or updates the entry with its audit rows in one
 * transaction. APR_EAGAIN when the entry changed or vanished since it
 * was read. */
static apr_status_t store(request_rec *r, const char *nrk, alamat_form *f,
                          const char *const *v, const char *const *old)
{
    const char *args[NF + 4], *id;
    apr_dbd_transaction_t *tx;
    apr_status_t rv;
    int i, n = 0, a = 0;

    if (!f->id) {
        args[a++] = nrk;
    }
    for (i = 0; i < NF; i++) {
        args[a++] = v[i];
    }
    args[a++] = pegawai_i64(r, pegawai_now());
    if (!f->id) {
        args[a++] = f->kiriman;
    }
    if (f->id) {
        args[a++] = f->id;
        args[a++] = nrk;
        args[a++] = f->versi;
    }
    if (pegawai_db_begin(r, &tx) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    rv = write_entry(r, f, a, args, &id, &n);
    if (rv == APR_SUCCESS && n != 1) {
        rv = APR_EAGAIN;
    }
    if (rv == APR_SUCCESS) {
        rv = audit(r, nrk, f->id ? "ubah" : "tambah", id, old, v);
    }
    if (pegawai_db_end(r, tx, rv == APR_SUCCESS) != APR_SUCCESS
        && rv == APR_SUCCESS) {
        rv = APR_EGENERAL;
    }
    return rv;
}

static int invalid(request_rec *r, alamat_form *f, int nerrors)
{
    pgw_tdata_t *d = form_data(r, f);

    if (d) {
        pgw_tdata_setf(d, "error_summary",
                       "Alamat belum disimpan: %d isian perlu diperbaiki.",
                       nerrors);
    }
    return render(r, HTTP_UNPROCESSABLE_ENTITY, d);
}

static int warn(request_rec *r, alamat_form *f, apr_array_header_t *w,
                const char *print)
{
    pgw_tdata_t *d = form_data(r, f);
    int i;

    if (d) {
        pgw_tdata_set(d, "konfirmasi", print);
        for (i = 0; i < w->nelts; i++) {
            pgw_tdata_set(pgw_tdata_add_row(d, "warnings"), "pesan",
                          APR_ARRAY_IDX(w, i, const char *));
        }
    }
    return render(r, HTTP_OK, d);
}

/* The name of the region at field (a code, canonical or as typed), found
 * among the children of the code above it in values; the code itself
 * when it is none of them. */
static const char *region_name(request_rec *r, const char *const *values,
                               int field)
{
    int level = (field - PGW_ALAMAT_PROVINSI) % KTP;
    const char *parent = level ? values[field - 1] : NULL;
    pegawai_rows *rows;
    int i;

    if (level && !parent) {
        return values[field];
    }
    if (regions(r, parent, &rows) != APR_SUCCESS) {
        return values[field];
    }
    for (i = 0; i < rows->nrows; i++) {
        if (!strcmp(PEGAWAI_CELL(rows, i, 0), values[field])) {
            return PEGAWAI_CELL(rows, i, 1);
        }
    }
    return values[field];
}

static int is_region(int field)
{
    int level = (field - PGW_ALAMAT_PROVINSI) % KTP;

    return field >= PGW_ALAMAT_PROVINSI && field <= PGW_ALAMAT_KELURAHAN_KTP
           && level >= 0 && level < 4;
}

/* A value as the comparison of a 409 shows it: "-" for none, the
 * checkbox as Ya/Tidak, a date as dd-mm-yyyy, a region by its name. */
static const char *readable(request_rec *r, const char *const *values,
                            int field)
{
    const char *v = audited_value(values, field);

    if (!v) {
        return "-";
    }
    if (field == PGW_ALAMAT_KTP_SAMA) {
        return strcmp(v, "1") ? "Tidak" : "Ya";
    }
    if (field == PGW_ALAMAT_TANGGAL_MULAI) {
        return pgw_fmt_date(r->pool, v);
    }
    return is_region(field) ? region_name(r, values, field) : v;
}

static int ticked(const char *const *values)
{
    const char *v = values[PGW_ALAMAT_KTP_SAMA];

    return v && !strcmp(v, "1");
}

/* 409 (issue 3's rule): what the employee typed beside what another tab
 * stored meanwhile, field by field where they differ, and the form with
 * the typed values and the stored entry's versi, so that a second SIMPAN,
 * after reading, stores the typed values knowingly. Typed values are
 * compared in their canonical form, so that "5" and the stored "005"
 * are no difference; a value that does not validate is shown as typed. */
static int conflict(request_rec *r, alamat_form *f, const alamat_form *now)
{
    pgw_alamat_form_t *chk =
        pgw_alamat_check(r->pool, f->shown, apr_time_now());
    const char *mine[NF];
    pgw_tdata_t *d, *row;
    int i;

    for (i = 0; i < NF; i++) {
        mine[i] = chk->errors[i] ? f->shown[i] : chk->values[i];
    }
    f->versi = now->versi;
    if (!(d = form_data(r, f))) {
        return render(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    pgw_tdata_set(d, "conflict", "1");
    for (i = 0; i < NF; i++) {
        const char *a = audited_value(mine, i);
        const char *b = audited_value(now->shown, i);

        if ((!a && !b) || (a && b && !strcmp(a, b))) {
            continue;
        }
        if (i > PGW_ALAMAT_KTP_SAMA && i <= PGW_ALAMAT_KODE_POS_KTP
            && ticked(mine) && ticked(now->shown)) {
            continue; /* copies of the residence on both sides */
        }
        row = pgw_tdata_add_row(d, "conflict_fields");
        pgw_tdata_set(row, "label", pgw_alamat_fields[i].label);
        pgw_tdata_set(row, "mine", readable(r, mine, i));
        pgw_tdata_set(row, "current", readable(r, now->shown, i));
    }
    return render(r, HTTP_CONFLICT, d);
}

/* 409 for a correction of an entry that is gone (deleted in another tab
 * meanwhile): nothing to correct any more, but what was typed is not
 * lost. The form becomes Tambah Data with the typed values, so that one
 * SIMPAN stores them as a new entry. */
static int gone(request_rec *r, alamat_form *f, int status)
{
    pgw_tdata_t *d;

    f->id = NULL;
    f->versi = NULL;
    if (!(d = form_data(r, f))) {
        return render(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    pgw_tdata_set(d, "gone", "1");
    return render(r, status, d);
}

/* Whether the four region fields of one address (off 0 or KTP) passed
 * the validators: only then can their existence be looked up. */
static int regions_valid(const alamat_form *f, int off)
{
    int level;

    for (level = 0; level < 4; level++) {
        if (f->error[PGW_ALAMAT_PROVINSI + level + off]) {
            return 0;
        }
    }
    return 1;
}

/* That each region exists under its parent, marking the field of the
 * first that does not, for each address whose region fields validated
 * (whatever else failed: one 422 names every wrong field). It reads the
 * canonical codes (the validators accept them without dots, and as
 * typed they would not match the lists), and with the checkbox ticked
 * not the KTP block: that block is hidden and stored as a copy of the
 * residence. */
static apr_status_t regions_exist(request_rec *r, alamat_form *f,
                                  const char *const *values)
{
    const char *same = values[PGW_ALAMAT_KTP_SAMA];
    alamat_form canonical = *f;

    memcpy(canonical.shown, values, sizeof(canonical.shown));
    if (regions_valid(f, 0)
        && region_selects(r, NULL, &canonical, 0, 1) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if ((!same || strcmp(same, "1")) && regions_valid(f, KTP)
        && region_selects(r, NULL, &canonical, KTP, 1) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    memcpy(f->error, canonical.error, sizeof(f->error));
    return APR_SUCCESS;
}

/* The UPDATE found the entry at another version, or not at all: read
 * it again for the 409. */
static int lost_race(request_rec *r, const pegawai_session *sess,
                     alamat_form *f)
{
    alamat_form now;
    apr_status_t rv;

    memset(&now, 0, sizeof(now));
    now.id = f->id;
    rv = load_entry(r, sess->nrk, &now);
    if (rv == APR_NOTFOUND) {
        return gone(r, f, HTTP_CONFLICT);
    }
    if (rv != APR_SUCCESS) {
        return render(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    return conflict(r, f, &now);
}

/* Validation, the regions' existence under their parents, the postal
 * warning, then the save. */
/* Whether the Tambah Data form with this key has added its entry:
 * APR_SUCCESS, APR_NOTFOUND, or another status when the database
 * failed. */
static apr_status_t already_added(request_rec *r, const char *nrk,
                                  const char *kiriman)
{
    const char *args[2] = {nrk, kiriman};
    pegawai_rows *rows;

    if (pegawai_db_select(r, PGW_SQL_ALAMAT_KIRIMAN, &rows, 2, args)
        != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    return rows->nrows > 0 ? APR_SUCCESS : APR_NOTFOUND;
}

static int form_post(request_rec *r, const pegawai_session *sess,
                     alamat_form *f, apr_table_t *t)
{
    const char *old[NF], *konf = apr_table_get(t, "konfirmasi"), *print;
    pgw_alamat_form_t *chk;
    apr_array_header_t *w;
    apr_status_t rv;
    int i;

    memcpy(old, f->shown, sizeof(old));
    from_table(f, t);
    if (apr_table_get(t, "perbarui")) {
        /* "Perbarui pilihan wilayah" (the no-script step) only redraws
         * with the lists under the regions chosen: the levels below are
         * still empty then, which is no mistake yet. */
        return render(r, HTTP_OK, form_data(r, f));
    }
    if (!f->id && f->kiriman) {
        /* A second SIMPAN of a form whose entry is in: done already. */
        rv = already_added(r, sess->nrk, f->kiriman);
        if (rv == APR_SUCCESS) {
            return pegawai_redirect(r, SAVED_URL);
        }
        if (rv != APR_NOTFOUND) {
            return render(r, HTTP_SERVICE_UNAVAILABLE, NULL);
        }
    }
    chk = pgw_alamat_check(r->pool, f->shown, apr_time_now());
    memcpy(f->error, chk->errors, sizeof(f->error));
    if (regions_exist(r, f, chk->values) != APR_SUCCESS) {
        return render(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    for (i = 0, chk->nerrors = 0; i < NF; i++) {
        chk->nerrors += f->error[i] != NULL;
    }
    if (chk->nerrors) {
        return invalid(r, f, chk->nerrors);
    }
    w = pgw_alamat_crosscheck(r->pool, chk->values);
    if (w->nelts > 0) {
        print = pegawai_fingerprint(r, chk->values, NF, w);
        if (!konf || !pgw_token_equal(konf, print)) {
            return warn(r, f, w, print);
        }
    }
    rv = store(r, sess->nrk, f, chk->values, f->id ? old : NULL);
    if (rv == APR_EAGAIN) {
        return lost_race(r, sess, f);
    }
    if (rv != APR_SUCCESS && !f->id && f->kiriman
        && already_added(r, sess->nrk, f->kiriman) == APR_SUCCESS) {
        /* The same form's twin, sent at the same moment, got in first
         * (the unique index refused this one). */
        rv = APR_SUCCESS;
    }
    if (rv != APR_SUCCESS) {
        return render(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    return pegawai_redirect(r, SAVED_URL);
}

/* The form's versi is the one the entry has now. */
static int same_versi(const alamat_form *f, apr_table_t *t)
{
    const char *v = apr_table_get(t, "versi");

    return v && f->versi && !strcmp(v, f->versi);
}

static const pegawai_session *require_session(request_rec *r, int *rc)
{
    const pegawai_session *sess;
    int db_down = 0;

    sess = pegawai_session_get(r, &db_down);
    if (db_down) {
        *rc = pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    else if (!sess) {
        *rc = pegawai_redirect(r, "/login");
    }
    return sess;
}

/* Tambah Data (no ?id) and corrections (?id=N of one's own entry). */
/* The fields a draft of the form keeps when the session ran out. */
static const char *const *draft_names(request_rec *r)
{
    const char **names = apr_palloc(r->pool, (NF + 3) * sizeof(*names));
    int i;

    for (i = 0; i < NF; i++) {
        names[i] = pgw_alamat_fields[i].name;
    }
    names[NF] = "versi";
    names[NF + 1] = "kiriman";
    names[NF + 2] = NULL;
    return names;
}

/* The form's own path: where a draft returns after the next login. */
static const char *form_path(request_rec *r, int edit)
{
    const char *id =
        entry_id(r->args && !strncmp(r->args, "id=", 3) ? r->args + 3 : NULL);

    if (!edit) {
        return "/riwayat/alamat/tambah";
    }
    return id ? apr_pstrcat(r->pool, "/riwayat/alamat/ubah?id=", id, NULL)
              : NULL;
}

/* GET: the form, with a draft's values when one waits for it. */
static int form_get(request_rec *r, const pegawai_session *sess, alamat_form *f,
                    const char *path)
{
    apr_table_t *draft = path ? pegawai_draft_take(r, sess->nrk, path) : NULL;
    pgw_tdata_t *d;

    if (draft) {
        from_table(f, draft);
        if (apr_table_get(draft, "versi")) {
            f->versi = apr_table_get(draft, "versi");
        }
    }
    d = form_data(r, f);
    if (d && draft) {
        pgw_tdata_set(d, "flash",
                      "Sesi Anda sempat berakhir. Isian yang Anda ketik "
                      "telah dipulihkan: periksa lalu tekan SIMPAN.");
    }
    return render(r, HTTP_OK, d);
}

/* GET of a correction whose entry is gone: a draft typed for it before
 * the session ran out is offered as Tambah Data; without one the entry
 * is simply not found. */
static int gone_draft(request_rec *r, const pegawai_session *sess,
                      alamat_form *f, const char *path)
{
    apr_table_t *draft = path ? pegawai_draft_take(r, sess->nrk, path) : NULL;

    if (!draft) {
        return pegawai_error_page(r, HTTP_NOT_FOUND, NULL);
    }
    from_table(f, draft);
    return gone(r, f, HTTP_OK);
}

static int stale(request_rec *r, alamat_form *f)
{
    pgw_tdata_t *d = form_data(r, f);

    if (d) {
        pgw_tdata_set(d, "stale", "1");
    }
    return render(r, HTTP_FORBIDDEN, d);
}

static int handle_form(request_rec *r, int edit)
{
    const pegawai_session *sess;
    apr_table_t *t = NULL;
    alamat_form f;
    apr_status_t rv;
    int rc = OK, db_down = 0;

    if (r->method_number == M_POST && (rc = pegawai_read_form(r, &t)) != OK) {
        return rc;
    }
    sess = pegawai_session_get(r, &db_down);
    if (!sess && !db_down && t && form_path(r, edit)) {
        return pegawai_draft_keep(r, t, form_path(r, edit), draft_names(r));
    }
    if (!(sess = require_session(r, &rc))) {
        return rc;
    }
    memset(&f, 0, sizeof(f));
    rv = APR_SUCCESS;
    if (edit) {
        f.id = entry_id(r->args && !strncmp(r->args, "id=", 3) ? r->args + 3
                                                               : NULL);
        rv = f.id ? load_entry(r, sess->nrk, &f) : APR_NOTFOUND;
        /* A SIMPAN for an entry of one's own that is no more, or a
         * draft of one, is answered below with what was typed; an id
         * that is no id is not. */
        if (rv != APR_SUCCESS && (rv != APR_NOTFOUND || !f.id)) {
            return pegawai_error_page(
                r,
                rv == APR_NOTFOUND ? HTTP_NOT_FOUND : HTTP_SERVICE_UNAVAILABLE,
                NULL);
        }
    }
    if (!t && rv == APR_NOTFOUND) {
        return gone_draft(r, sess, &f, form_path(r, edit));
    }
    if (!t) {
        return form_get(r, sess, &f, form_path(r, edit));
    }
    if (!pegawai_csrf_ok(r, sess->csrf_token, apr_table_get(t, "csrf_token"))) {
        if (!pegawai_csrf_stale_own(r, sess, t)) {
            return pegawai_error_page(r, HTTP_FORBIDDEN, NULL);
        }
        /* The employee's own form, left open while they logged in again
         * in another tab: nothing is saved, what was typed comes back
         * with this session's token (and the posted version, so that a
         * change made meanwhile still meets its 409). */
        from_table(&f, t);
        if (rv == APR_NOTFOUND) {
            return gone(r, &f, HTTP_FORBIDDEN);
        }
        f.versi = apr_table_get(t, "versi");
        return stale(r, &f);
    }
    if (rv == APR_NOTFOUND) {
        /* Deleted in another tab, or never among this employee's
         * entries: the same answer for both, which tells nothing about
         * anybody else's entries and shows only what was typed here. */
        from_table(&f, t);
        return gone(r, &f, HTTP_CONFLICT);
    }
    if (edit && !same_versi(&f, t)) {
        /* Another tab saved first: the typed values beside the stored
         * ones, with the newer version. */
        alamat_form now = f;

        from_table(&f, t);
        return conflict(r, &f, &now);
    }
    return form_post(r, sess, &f, t);
}

int pegawai_handle_alamat_tambah(request_rec *r)
{
    return handle_form(r, 0);
}

int pegawai_handle_alamat_ubah(request_rec *r)
{
    return handle_form(r, 1);
}

static int hapus_conflict(request_rec *r)
{
    return pegawai_error_page(r, HTTP_CONFLICT,
                              "Alamat ini baru saja diubah di tempat "
                              "lain. Tampilkan riwayat lagi, periksa, "
                              "lalu hapus bila masih perlu.");
}

/* POST /riwayat/alamat/hapus (id, versi, csrf_token): an entry added by
 * mistake goes, with its values in the audit log. */
int pegawai_handle_alamat_hapus(request_rec *r)
{
    const pegawai_session *sess;
    apr_dbd_transaction_t *tx;
    apr_table_t *t;
    alamat_form f;
    const char *args[3];
    apr_status_t rv;
    int rc = OK, n = 0;

    if ((rc = pegawai_read_form(r, &t)) != OK) {
        return rc;
    }
    if (!(sess = require_session(r, &rc))) {
        return rc;
    }
    if (!pegawai_csrf_ok(r, sess->csrf_token, apr_table_get(t, "csrf_token"))) {
        return pegawai_error_page(r, HTTP_FORBIDDEN, NULL);
    }
    memset(&f, 0, sizeof(f));
    f.id = entry_id(apr_table_get(t, "id"));
    rv = f.id ? load_entry(r, sess->nrk, &f) : APR_NOTFOUND;
    if (rv != APR_SUCCESS) {
        return pegawai_error_page(
            r, rv == APR_NOTFOUND ? HTTP_NOT_FOUND : HTTP_SERVICE_UNAVAILABLE,
            NULL);
    }
    if (!same_versi(&f, t)) {
        return hapus_conflict(r);
    }
    args[0] = f.id;
    args[1] = sess->nrk;
    args[2] = f.versi;
    if (pegawai_db_begin(r, &tx) != APR_SUCCESS) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    rv = pegawai_db_exec(r, PGW_SQL_ALAMAT_DELETE, &n, 3, args);
    if (rv == APR_SUCCESS && n == 1) {
        rv = audit(r, sess->nrk, "hapus", f.id, f.shown, NULL);
    }
    /* A COMMIT that fails deletes nothing: reported as such, not as
     * done. */
    if (pegawai_db_end(r, tx, rv == APR_SUCCESS && n == 1) != APR_SUCCESS) {
        rv = APR_EGENERAL;
    }
    if (rv != APR_SUCCESS) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (n != 1) {
        /* Changed or deleted in another tab between the read and the
         * delete: the version in the WHERE clause matched nothing. */
        return hapus_conflict(r);
    }
    return pegawai_redirect(r, "/riwayat/alamat?tampilkan=1&dihapus=1");
}
