/* GET|POST /profile/data: Form Isi Data Pegawai (manual section 2.2).
 *
 * The employee corrects and completes their own data. The server is the
 * authority: every field goes through pgw_validate.c, reference codes
 * must exist, cross-check warnings need a second SIMPAN, a save over a
 * newer version is a 409, the change and its audit rows are one
 * transaction, and what was typed survives an expired session as a
 * draft. Only the fields of pgw_data_fields[] are read from the POST, so
 * NRK, NIP, name, grade, unit and positions cannot change here.
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
#include "pgw_validate.h"

APLOG_USE_MODULE(pegawai);

#define NFIELDS   PGW_DATA_FIELD_COUNT
#define FORM_PATH "/profile/data"

/* What the form shows and what the POST carried. */
typedef struct data_form {
    const char *shown[NFIELDS]; /* as typed, or as stored */
    const char *value[NFIELDS]; /* normalised, after validation */
    const char *error[NFIELDS];
    int nerrors;
    const char *versi;      /* the version the form was read at */
    const char *konfirmasi; /* the warnings the employee confirmed */
} data_form;

/* The employee's stored row (PGW_SQL_DATA_GET). */
typedef struct data_row {
    const char *nip;
    int versi;
    const char *value[NFIELDS];
} data_row;

/* Columns of PGW_SQL_DATA_GET before the fields. */
#define ROW_NIP    0
#define ROW_VERSI  1
#define ROW_FIELDS 2

static apr_status_t load_row(request_rec *r, const char *nrk, data_row *row)
{
    pegawai_rows *rows;
    int i;

    if (pegawai_db_select(r, PGW_SQL_DATA_GET, &rows, 1, &nrk) != APR_SUCCESS
        || rows->nrows != 1) {
        return APR_EGENERAL;
    }
    row->nip = PEGAWAI_CELL(rows, 0, ROW_NIP);
    row->versi = atoi(PEGAWAI_CELL(rows, 0, ROW_VERSI));
    for (i = 0; i < NFIELDS; i++) {
        row->value[i] = PEGAWAI_CELL(rows, 0, ROW_FIELDS + i);
    }
    return APR_SUCCESS;
}

/* ------------------------------------------------------------ rendering */

/* A select's options from a reference table, "1 - ISLAM". */
static void options(pgw_tdata_t *d, const char *list, pegawai_rows *ref,
                    const char *chosen)
{
    pgw_tdata_t *o;
    int i;

    for (i = 0; i < ref->nrows; i++) {
        const char *kode = PEGAWAI_CELL(ref, i, 0);

        o = pgw_tdata_add_row(d, list);
        pgw_tdata_set(o, "kode", kode);
        pgw_tdata_setf(o, "label", "%s - %s", kode, PEGAWAI_CELL(ref, i, 1));
        pgw_tdata_set(o, "selected",
                      chosen && !strcmp(chosen, kode) ? "1" : NULL);
    }
}

static int is(const char *shown, const char *v)
{
    return shown && !strcasecmp(shown, v);
}

static void choices(pgw_tdata_t *d, const data_form *f)
{
    const char *jk = f->shown[PGW_DATA_JENIS_KELAMIN];
    const char *gd = f->shown[PGW_DATA_GOL_DARAH];

    pgw_tdata_set(d, "jk_l", is(jk, "L") ? "1" : NULL);
    pgw_tdata_set(d, "jk_p", is(jk, "P") ? "1" : NULL);
    pgw_tdata_set(d, "gd_o", is(gd, "O") ? "1" : NULL);
    pgw_tdata_set(d, "gd_a", is(gd, "A") ? "1" : NULL);
    pgw_tdata_set(d, "gd_b", is(gd, "B") ? "1" : NULL);
    pgw_tdata_set(d, "gd_ab", is(gd, "AB") ? "1" : NULL);
}

/* The page data shared by every answer of this form. NULL when the
 * reference tables cannot be read. */
static pgw_tdata_t *form_data(request_rec *r, const pegawai_session *sess,
                              const data_form *f, const char *nip)
{
    pgw_tdata_t *d;
    pegawai_rows *agama, *pend;
    int i;

    if (pegawai_db_select(r, PGW_SQL_REF_AGAMA, &agama, 0, NULL) != APR_SUCCESS
        || pegawai_db_select(r, PGW_SQL_REF_PENDIDIKAN, &pend, 0, NULL)
               != APR_SUCCESS) {
        return NULL;
    }
    d = pegawai_page_data(r, "Form Isi Data Pegawai");
    pgw_tdata_set(d, "form_js_url",
                  apr_pstrcat(r->pool, pegawai_srv(r)->static_url,
                              "/pegawai-form.js", NULL));
    pgw_tdata_set(d, "nrk", sess->nrk);
    pgw_tdata_set(d, "nip", nip);
    pgw_tdata_set(d, "versi", f->versi);
    for (i = 0; i < NFIELDS; i++) {
        const char *name = pgw_data_fields[i].name;

        pgw_tdata_set(d, name, f->shown[i]);
        pgw_tdata_set(d, apr_pstrcat(r->pool, name, "_error", NULL),
                      f->error[i]);
    }
    options(d, "agama_options", agama, f->shown[PGW_DATA_AGAMA]);
    options(d, "pendidikan_options", pend, f->shown[PGW_DATA_PENDIDIKAN_CPNS]);
    choices(d, f);
    return d;
}

static int render(request_rec *r, int status, pgw_tdata_t *d)
{
    if (!d) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    return pegawai_render(r, status, "profile_data.html", d);
}

/* The fields a draft of this form keeps. */
static const char *const *draft_names(request_rec *r)
{
    const char **names = apr_palloc(r->pool, (NFIELDS + 2) * sizeof(*names));
    int i;

    for (i = 0; i < NFIELDS; i++) {
        names[i] = pgw_data_fields[i].name;
    }
    names[NFIELDS] = "versi";
    names[NFIELDS + 1] = NULL;
    return names;
}

/* ------------------------------------------------------------ GET */

static void from_table(data_form *f, apr_table_t *t)
{
    int i;

    for (i = 0; i < NFIELDS; i++) {
        f->shown[i] = apr_table_get(t, pgw_data_fields[i].name);
    }
    f->versi = apr_table_get(t, "versi");
}

static int data_get(request_rec *r, const pegawai_session *sess)
{
    data_form f;
    data_row row;
    apr_table_t *draft;
    pgw_tdata_t *d;

    if (load_row(r, sess->nrk, &row) != APR_SUCCESS) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    memset(&f, 0, sizeof(f));
    memcpy(f.shown, row.value, sizeof(f.shown));
    f.versi = apr_itoa(r->pool, row.versi);
    draft = pegawai_draft_take(r, sess->nrk, FORM_PATH);
    if (draft) {
        from_table(&f, draft);
    }
    d = form_data(r, sess, &f, row.nip);
    if (d && draft) {
        pgw_tdata_set(d, "restored",
                      "Sesi Anda sempat berakhir. Isian yang Anda ketik "
                      "telah dipulihkan: periksa lalu tekan SIMPAN.");
    }
    return render(r, HTTP_OK, d);
}

/* ------------------------------------------------------------ POST */

static int code_listed(pegawai_rows *ref, const char *code)
{
    int i;

    for (i = 0; i < ref->nrows; i++) {
        if (!strcmp(PEGAWAI_CELL(ref, i, 0), code)) {
            return 1;
        }
    }
    return 0;
}

/* Codes of selects must exist in their reference table. */
static apr_status_t check_codes(request_rec *r, data_form *f)
{
    static const struct {
        int field;
        const char *label;
        const char *msg;
    } refs[] = {{PGW_DATA_AGAMA, PGW_SQL_REF_AGAMA, "Pilih agama dari daftar."},
                {PGW_DATA_PENDIDIKAN_CPNS, PGW_SQL_REF_PENDIDIKAN,
                 "Pilih pendidikan dari daftar."}};
    pegawai_rows *ref;
    apr_size_t i;

    for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
        const char *v = f->value[refs[i].field];

        if (!v || f->error[refs[i].field]) {
            continue;
        }
        if (pegawai_db_select(r, refs[i].label, &ref, 0, NULL) != APR_SUCCESS) {
            return APR_EGENERAL;
        }
        if (!code_listed(ref, v)) {
            f->error[refs[i].field] = refs[i].msg;
            f->nerrors++;
        }
    }
    return APR_SUCCESS;
}

static void validate_one(request_rec *r, data_form *f, int i)
{
    const pgw_data_field_t *fd = &pgw_data_fields[i];
    const char *raw = f->shown[i], *err = NULL;

    /* The validator's frame (pgw_field_validate) bounds the length and
     * refuses an empty required field. */
    if (fd->validate(r->pool, raw, &f->value[i], &err) != APR_SUCCESS) {
        f->error[i] = err ? err : "Isian tidak valid.";
    }
    if (f->error[i]) {
        f->value[i] = NULL;
        f->nerrors++;
    }
}

/* Equal as stored values: NULL and "" are both an empty field. */
static int same(const char *a, const char *b)
{
    return (!a || !*a) ? (!b || !*b) : (b && !strcmp(a, b));
}

/* One audit row per changed field, old and new value (UU PDP 27/2022:
 * every change is recorded). */
static apr_status_t audit(request_rec *r, const char *nrk, const data_row *row,
                          const data_form *f)
{
    const char *args[9];
    int i;

    args[0] = pegawai_i64(r, pegawai_now());
    args[1] = nrk;
    args[2] = nrk;
    args[3] = "ubah";
    args[4] = "pegawai";
    args[8] = r->useragent_ip;
    for (i = 0; i < NFIELDS; i++) {
        if (same(row->value[i], f->value[i])) {
            continue;
        }
        args[5] = pgw_data_fields[i].name;
        args[6] = row->value[i];
        args[7] = f->value[i];
        if (pegawai_db_exec(r, PGW_SQL_AUDIT_INSERT, NULL, 9, args)
            != APR_SUCCESS) {
            return APR_EGENERAL;
        }
    }
    return APR_SUCCESS;
}

/* The update and its audit rows in one transaction. APR_EAGAIN when
 * somebody saved since row was read. */
static apr_status_t save(request_rec *r, const char *nrk, const data_row *row,
                         const data_form *f)
{
    const char *args[NFIELDS + 3];
    apr_dbd_transaction_t *tx;
    apr_status_t rv;
    int i, n = 0;

    for (i = 0; i < NFIELDS; i++) {
        args[i] = f->value[i];
    }
    args[NFIELDS] = pegawai_i64(r, pegawai_now());
    args[NFIELDS + 1] = nrk;
    args[NFIELDS + 2] = apr_itoa(r->pool, row->versi);
    if (pegawai_db_begin(r, &tx) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    rv = pegawai_db_exec(r, PGW_SQL_DATA_UPDATE, &n, NFIELDS + 3, args);
    if (rv == APR_SUCCESS && n != 1) {
        rv = APR_EAGAIN;
    }
    if (rv == APR_SUCCESS) {
        rv = audit(r, nrk, row, f);
    }
    if (pegawai_db_end(r, tx, rv == APR_SUCCESS) != APR_SUCCESS
        && rv == APR_SUCCESS) {
        rv = APR_EGENERAL;
    }
    return rv;
}

/* The labels of the fields that changed, "NIK, No. HP" (never their
 * values); "" when nothing changed. */
static const char *changed_list(request_rec *r, const data_row *row,
                                const data_form *f)
{
    const char *s = "";
    int i;

    for (i = 0; i < NFIELDS; i++) {
        if (!same(row->value[i], f->value[i])) {
            s = apr_pstrcat(r->pool, s, *s ? ", " : "",
                            pgw_data_fields[i].label, NULL);
        }
    }
    return s;
}

/* 303 to the profile, which shows the confirmation once. */
static int to_profile(request_rec *r, const pegawai_session *sess,
                      const char *changed)
{
    pegawai_flash_set(
        r, sess,
        *changed ? apr_pstrcat(
            r->pool, "Data tersimpan. Yang berubah: ", changed, ".", NULL)
                 : "Tidak ada perubahan: data Anda sama dengan yang "
                   "tersimpan.");
    return pegawai_redirect(r, "/profile");
}

/* 409: the typed values beside the ones saved meanwhile; the form now
 * carries the newer version, so a second SIMPAN stores the typed ones. */
static int conflict(request_rec *r, const pegawai_session *sess, data_form *f,
                    const data_row *now)
{
    pgw_tdata_t *d, *row;
    int i;

    f->versi = apr_itoa(r->pool, now->versi);
    d = form_data(r, sess, f, now->nip);
    if (!d) {
        return render(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    pgw_tdata_set(d, "conflict", "1");
    for (i = 0; i < NFIELDS; i++) {
        if (same(now->value[i], f->value[i])) {
            continue;
        }
        row = pgw_tdata_add_row(d, "conflict_fields");
        pgw_tdata_set(row, "label", pgw_data_fields[i].label);
        pgw_tdata_set(row, "mine", f->value[i] ? f->value[i] : "-");
        pgw_tdata_set(row, "current", now->value[i] ? now->value[i] : "-");
    }
    return render(r, HTTP_CONFLICT, d);
}

static int invalid(request_rec *r, const pegawai_session *sess,
                   const data_form *f, const char *nip)
{
    pgw_tdata_t *d = form_data(r, sess, f, nip);

    if (d) {
        pgw_tdata_setf(d, "error_summary",
                       "Data belum disimpan: %d isian perlu diperbaiki. "
                       "Lihat pesan di bawah setiap isian.",
                       f->nerrors);
    }
    return render(r, HTTP_UNPROCESSABLE_ENTITY, d);
}

static int warn(request_rec *r, const pegawai_session *sess, data_form *f,
                const char *nip, apr_array_header_t *warnings,
                const char *print)
{
    pgw_tdata_t *d = form_data(r, sess, f, nip);
    int i;

    if (d) {
        pgw_tdata_set(d, "konfirmasi", print);
        for (i = 0; i < warnings->nelts; i++) {
            pgw_tdata_set(pgw_tdata_add_row(d, "warnings"), "pesan",
                          APR_ARRAY_IDX(warnings, i, const char *));
        }
    }
    return render(r, HTTP_OK, d);
}

static int finish(request_rec *r, const pegawai_session *sess, data_form *f,
                  data_row *row)
{
    const char *changed = changed_list(r, row, f);
    apr_status_t rv;

    if (!*changed) {
        return to_profile(r, sess, changed);
    }
    rv = save(r, sess->nrk, row, f);
    if (rv == APR_EAGAIN) {
        if (load_row(r, sess->nrk, row) != APR_SUCCESS) {
            return render(r, HTTP_SERVICE_UNAVAILABLE, NULL);
        }
        return conflict(r, sess, f, row);
    }
    if (rv != APR_SUCCESS) {
        return render(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "NRK %s saved fields %s",
                  sess->nrk, changed);
    return to_profile(r, sess, changed);
}

static int data_post(request_rec *r, const pegawai_session *sess,
                     apr_table_t *t)
{
    apr_array_header_t *warnings;
    data_form f;
    data_row row;
    const char *print;
    int i;

    memset(&f, 0, sizeof(f));
    from_table(&f, t);
    f.konfirmasi = apr_table_get(t, "konfirmasi");
    for (i = 0; i < NFIELDS; i++) {
        validate_one(r, &f, i);
    }
    if (load_row(r, sess->nrk, &row) != APR_SUCCESS
        || check_codes(r, &f) != APR_SUCCESS) {
        return render(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (f.nerrors) {
        return invalid(r, sess, &f, row.nip);
    }
    /* Compared as the digits the form was given: atoi() would take
     * "2abc", " 2" or 2 + 2^32 for version 2. */
    if (!f.versi || strcmp(f.versi, apr_itoa(r->pool, row.versi))) {
        /* A stale form that agrees with what is stored changes nothing:
         * that is no conflict. */
        if (!*changed_list(r, &row, &f)) {
            return to_profile(r, sess, "");
        }
        return conflict(r, sess, &f, &row);
    }
    warnings = pgw_crosscheck_data(r->pool, f.value, row.nip);
    if (warnings->nelts > 0) {
        print = pegawai_fingerprint(r, f.value, NFIELDS, warnings);
        if (!f.konfirmasi || !pgw_token_equal(f.konfirmasi, print)) {
            return warn(r, sess, &f, row.nip, warnings, print);
        }
    }
    return finish(r, sess, &f, &row);
}

/* 403 for a form of the employee's own left open while they logged in
 * again in another tab: nothing is saved, but what was typed comes back
 * with this session's token, for one more SIMPAN. */
static int stale(request_rec *r, const pegawai_session *sess, apr_table_t *t)
{
    data_form f;
    data_row row;
    pgw_tdata_t *d;

    if (load_row(r, sess->nrk, &row) != APR_SUCCESS) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    memset(&f, 0, sizeof(f));
    from_table(&f, t);
    d = form_data(r, sess, &f, row.nip);
    if (d) {
        pgw_tdata_set(d, "stale", "1");
    }
    return render(r, HTTP_FORBIDDEN, d);
}

int pegawai_handle_data(request_rec *r)
{
    const pegawai_session *sess;
    apr_table_t *t = NULL;
    int rc, db_down = 0;

    if (r->method_number == M_POST && (rc = pegawai_read_form(r, &t)) != OK) {
        return rc;
    }
    sess = pegawai_session_get(r, &db_down);
    if (db_down) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (!sess) {
        return t ? pegawai_draft_keep(r, t, FORM_PATH, draft_names(r))
                 : pegawai_redirect(r, "/login");
    }
    if (!t) {
        return data_get(r, sess);
    }
    if (!pegawai_csrf_ok(r, sess->csrf_token, apr_table_get(t, "csrf_token"))) {
        if (pegawai_csrf_stale_own(r, sess, t)) {
            return stale(r, sess, t);
        }
        return pegawai_error_page(r, HTTP_FORBIDDEN,
                                  "Formulir ditolak karena tidak berasal "
                                  "dari halaman portal atau sudah "
                                  "kedaluwarsa. Muat ulang halaman lalu "
                                  "coba lagi.");
    }
    return data_post(r, sess, t);
}
