/* GET / and GET /profile (manual section 2, Gambar 1 and 3): the
 * employee's header and the Jabatan Struktural table, newest first.
 * The NRK always comes from the session, never from the request.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "apr_strings.h"

#include "mod_pegawai.h"
#include "pgw_fmt.h"
#include "pgw_sql.h"
#include "pgw_validate.h"

APLOG_USE_MODULE(pegawai);

/* Columns of PGW_SQL_PROFILE_GET: column 0 tells the header row (0)
 * from the Jabatan Struktural rows (1). */
enum {
    P_KIND,
    P_NRK,
    P_NIP,
    P_NAMA,
    P_GELAR_DEPAN,
    P_GELAR_BELAKANG,
    P_TEMPAT_LAHIR,
    P_TANGGAL_LAHIR,
    P_STATUS,
    P_JENIS_JABATAN,
    P_ESELON,
    P_GOLONGAN,
    P_PANGKAT,
    P_UNIT,
    P_JABATAN,
    P_LOKASI,
    P_SORT_TMT,
    P_SORT_ID,
    P_FIELDS /* the data form's fields, in pgw_data_fields[] order */
};

enum {
    J_TMT = 1,
    J_LOKASI,
    J_JABATAN,
    J_GOLONGAN,
    J_PANGKAT,
    J_ESELON,
    J_NO_SK,
    J_TANGGAL_SK
};

int pegawai_handle_home(request_rec *r)
{
    int db_down = 0;

    if (pegawai_session_get(r, &db_down)) {
        return pegawai_redirect(r, "/profile");
    }
    if (db_down) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    return pegawai_redirect(r, "/login");
}

/* "PNS / S / NON ESELON / PENGATUR TK.I (II/D)" */
static const char *status_line(request_rec *r, pegawai_rows *p)
{
    const char *v[4];
    int i;

    v[0] = PEGAWAI_CELL(p, 0, P_STATUS);
    v[1] = PEGAWAI_CELL(p, 0, P_JENIS_JABATAN);
    v[2] = PEGAWAI_CELL(p, 0, P_ESELON);
    v[3] = pgw_fmt_pangkat(r->pool, PEGAWAI_CELL(p, 0, P_PANGKAT),
                           PEGAWAI_CELL(p, 0, P_GOLONGAN));
    for (i = 0; i < 4; i++) {
        if (!v[i] || !*v[i]) {
            v[i] = "-";
        }
    }
    return apr_psprintf(r->pool, "%s / %s / %s / %s", v[0], v[1], v[2], v[3]);
}

static void header_data(request_rec *r, pgw_tdata_t *d, pegawai_rows *p)
{
    const char *nama = PEGAWAI_CELL(p, 0, P_NAMA);
    const char *tempat = PEGAWAI_CELL(p, 0, P_TEMPAT_LAHIR);
    const char *tgl =
        pgw_fmt_date(r->pool, PEGAWAI_CELL(p, 0, P_TANGGAL_LAHIR));

    pgw_tdata_set(d, "nama",
                  pgw_fmt_nama(r->pool, PEGAWAI_CELL(p, 0, P_GELAR_DEPAN), nama,
                               PEGAWAI_CELL(p, 0, P_GELAR_BELAKANG)));
    pgw_tdata_set(d, "inisial", pgw_fmt_initials(r->pool, nama));
    pgw_tdata_setf(d, "nrk_nip", "%s - %s", PEGAWAI_CELL(p, 0, P_NRK),
                   PEGAWAI_CELL(p, 0, P_NIP));
    pgw_tdata_setf(d, "ttl", "%s, %s", tempat ? tempat : "-", tgl ? tgl : "-");
    pgw_tdata_set(d, "status_line", status_line(r, p));
    pgw_tdata_set(d, "unit_kerja", PEGAWAI_CELL(p, 0, P_UNIT));
    pgw_tdata_set(d, "jabatan", PEGAWAI_CELL(p, 0, P_JABATAN));
    pgw_tdata_set(d, "lokasi_kerja", PEGAWAI_CELL(p, 0, P_LOKASI));
}

/* The rows after the header row are the Jabatan Struktural. */
static void jabatan_data(request_rec *r, pgw_tdata_t *d, pegawai_rows *j)
{
    pgw_tdata_t *row;
    int i;

    for (i = 1; i < j->nrows; i++) {
        row = pgw_tdata_add_row(d, "jabatan_struktural");
        pgw_tdata_set(row, "tmt",
                      pgw_fmt_date(r->pool, PEGAWAI_CELL(j, i, J_TMT)));
        pgw_tdata_set(row, "lokasi", PEGAWAI_CELL(j, i, J_LOKASI));
        pgw_tdata_set(row, "jabatan", PEGAWAI_CELL(j, i, J_JABATAN));
        pgw_tdata_set(row, "pangkat",
                      pgw_fmt_pangkat(r->pool, PEGAWAI_CELL(j, i, J_PANGKAT),
                                      PEGAWAI_CELL(j, i, J_GOLONGAN)));
        pgw_tdata_set(row, "eselon", PEGAWAI_CELL(j, i, J_ESELON));
        pgw_tdata_set(row, "no_sk", PEGAWAI_CELL(j, i, J_NO_SK));
        pgw_tdata_set(row, "tanggal_sk",
                      pgw_fmt_date(r->pool, PEGAWAI_CELL(j, i, J_TANGGAL_SK)));
    }
}

/* The data form's values as the profile shows them: codes with their
 * names, L/P spelt out, "-" for what is empty. */
static const char *shown_value(request_rec *r, pegawai_rows *p, int i)
{
    const char *v = PEGAWAI_CELL(p, 0, P_FIELDS + i), *name = NULL;

    if (!v || !*v) {
        return "-";
    }
    switch (i) {
    case PGW_DATA_AGAMA:
        name = PEGAWAI_CELL(p, 0, P_FIELDS + PGW_DATA_FIELD_COUNT);
        break;
    case PGW_DATA_PENDIDIKAN_CPNS:
        name = PEGAWAI_CELL(p, 0, P_FIELDS + PGW_DATA_FIELD_COUNT + 1);
        break;
    case PGW_DATA_JENIS_KELAMIN:
        return !strcmp(v, "L") ? "Laki-laki" : "Perempuan";
    default:
        return v;
    }
    return name ? apr_pstrcat(r->pool, v, " - ", name, NULL) : v;
}

static void data_values(request_rec *r, pgw_tdata_t *d, pegawai_rows *p)
{
    pgw_tdata_t *row;
    int i;

    for (i = 0; i < PGW_DATA_FIELD_COUNT; i++) {
        row = pgw_tdata_add_row(d, "data_pegawai");
        pgw_tdata_set(row, "label", pgw_data_fields[i].label);
        pgw_tdata_set(row, "nilai", shown_value(r, p, i));
    }
}

/* Which required fields of the data form are still empty, so that the
 * employee knows when they are done. */
static void completeness(pgw_tdata_t *d, pegawai_rows *p)
{
    const char *v;
    int i, missing = 0;

    for (i = 0; i < PGW_DATA_FIELD_COUNT; i++) {
        v = PEGAWAI_CELL(p, 0, P_FIELDS + i);
        if (pgw_data_fields[i].required && (!v || !*v)) {
            pgw_tdata_set(pgw_tdata_add_row(d, "kurang"), "label",
                          pgw_data_fields[i].label);
            missing++;
        }
    }
    pgw_tdata_set(d, "lengkap", missing ? NULL : "1");
}

int pegawai_handle_profile(request_rec *r)
{
    const pegawai_session *sess;
    const char *args[2];
    pegawai_rows *p;
    pgw_tdata_t *d;
    int db_down = 0;

    sess = pegawai_session_get(r, &db_down);
    if (db_down) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (!sess) {
        return pegawai_redirect(r, "/login");
    }
    args[0] = sess->nrk;
    args[1] = sess->nrk;
    if (pegawai_db_select(r, PGW_SQL_PROFILE_GET, &p, 2, args) != APR_SUCCESS) {
        return pegawai_error_page(r, HTTP_SERVICE_UNAVAILABLE, NULL);
    }
    if (p->nrows < 1 || strcmp(PEGAWAI_CELL(p, 0, P_KIND), "0")) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "PGW00040: session of NRK %s has no employee row",
                      sess->nrk);
        return pegawai_error_page(r, HTTP_NOT_FOUND, NULL);
    }
    d = pegawai_page_data(r, "Profil");
    header_data(r, d, p);
    jabatan_data(r, d, p);
    completeness(d, p);
    data_values(r, d, p);
    /* The column after the two reference names counts active photos. */
    if (atoi(PEGAWAI_CELL(p, 0, P_FIELDS + PGW_DATA_FIELD_COUNT + 2) ?: "0")) {
        pgw_tdata_set(d, "foto_url", "/profile/foto");
    }
    /* The confirmation of a save comes from the session, never from the
     * URL, so that a link cannot make the page claim one. */
    pgw_tdata_set(d, "flash", pegawai_flash_take(r, sess));
    return pegawai_render(r, HTTP_OK, "profile.html", d);
}
