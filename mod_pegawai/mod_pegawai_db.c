/* The database through mod_dbd: statements registered at startup,
 * connections taken per request, results always read to the end.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "apr_dbd.h"
#include "apr_optional.h"
#include "apr_strings.h"
#include "apr_hash.h"
#include "apr_thread_mutex.h"

#include <sqlite3.h>

#include "mod_pegawai.h"
#include "pgw_sql.h"

APLOG_USE_MODULE(pegawai);

/* Set in r->notes between pegawai_db_begin() and pegawai_db_end(). */
#define NOTE_IN_TRANSACTION "pegawai-in-transaction"

/* SQLite writers, one at a time per child. apr_dbd_sqlite3 runs every
 * call under one mutex per process, and SQLite's busy handler sleeps
 * inside that mutex: a thread waiting for the write lock would keep the
 * thread that holds it (between two statements of its transaction) from
 * ever committing, until the busy timeout ends. Taking this lock before
 * any write, and holding it for a whole transaction, leaves SQLite's
 * busy waiting to writers in other children, which do not share the
 * mutex. */
static apr_thread_mutex_t *sqlite_writer;

void pegawai_db_child_init(apr_pool_t *p, server_rec *s)
{
    if (apr_thread_mutex_create(&sqlite_writer, APR_THREAD_MUTEX_DEFAULT, p)
        != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     "PGW00014: cannot create the SQLite writer lock; "
                     "concurrent writes will wait for the busy timeout");
        sqlite_writer = NULL;
    }
}

/* Milliseconds an SQLite connection waits for a lock before it fails. */
#define SQLITE_BUSY_MS 5000

static int sqlite_busy_timeout(sqlite3 *db, char **errmsg,
                               const struct sqlite3_api_routines *api)
{
    sqlite3_busy_timeout(db, SQLITE_BUSY_MS);
    return SQLITE_OK;
}

/* mod_dbd prepares its statements on a new connection before it runs
 * DBDInitSQL, so "PRAGMA busy_timeout" comes too late for them: children
 * that start together, or beside the last connection of the previous
 * server checkpointing its WAL, would fail to prepare with "database is
 * locked" (AH00632). SQLite's automatic extensions run for every
 * connection the process opens, apr_dbd_sqlite3's included, before its
 * first statement. Registering twice is a no-op. */
void pegawai_db_sqlite_init(server_rec *s)
{
    int rc = sqlite3_auto_extension((void (*)(void))sqlite_busy_timeout);

    if (rc != SQLITE_OK) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     "PGW00041: cannot give SQLite connections a busy "
                     "timeout (%s); a locked database fails at once",
                     sqlite3_errstr(rc));
    }
}

static apr_status_t writer_release(void *data)
{
    apr_thread_mutex_unlock(sqlite_writer);
    return APR_SUCCESS;
}

/* Takes the writer lock for an SQLite connection (released by
 * writer_leave(), or with the request at the latest). */
static int writer_enter(request_rec *r, ap_dbd_t *dbd)
{
    if (!sqlite_writer || strcmp(apr_dbd_name(dbd->driver), "sqlite3")) {
        return 0;
    }
    apr_thread_mutex_lock(sqlite_writer);
    apr_pool_cleanup_register(r->pool, NULL, writer_release,
                              apr_pool_cleanup_null);
    return 1;
}

static void writer_leave(request_rec *r, int held)
{
    if (held) {
        apr_pool_cleanup_run(r->pool, NULL, writer_release);
    }
}

static APR_OPTIONAL_FN_TYPE(ap_dbd_prepare) * dbd_prepare_fn;
static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) * dbd_acquire_fn;

void pegawai_db_retrieve_fns(void)
{
    dbd_prepare_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_prepare);
    dbd_acquire_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
}

/* Runs before mod_dbd's post_config (see the hook order in
 * mod_pegawai.c), because mod_dbd prepares on each new connection exactly
 * the statements registered by then. Every virtual host gets them, once:
 * a virtual host without DBD directives of its own shares the main
 * server's mod_dbd configuration (Apache merges only the modules a
 * section configures), and registering a label twice there makes
 * mod_dbd warn about "conflicting SQL statements" (AH02653). */
void pegawai_db_register(apr_pool_t *pconf, server_rec *s)
{
    const pgw_sql_statement_t *st;
    module *dbd = ap_find_linked_module("mod_dbd.c");
    apr_hash_t *done = apr_hash_make(pconf);
    server_rec *sp;
    void *cfg;

    if (!dbd_prepare_fn) {
        pegawai_db_retrieve_fns();
    }
    if (!dbd_prepare_fn) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s,
                     "PGW00010: mod_dbd is not loaded; the portal needs "
                     "it (LoadModule dbd_module)");
        return;
    }
    for (sp = s; sp; sp = sp->next) {
        cfg = dbd ? ap_get_module_config(sp->module_config, dbd) : NULL;
        if (cfg && apr_hash_get(done, &cfg, sizeof(cfg))) {
            continue;
        }
        if (cfg) {
            apr_hash_set(done, apr_pmemdup(pconf, &cfg, sizeof(cfg)),
                         sizeof(cfg), cfg);
        }
        for (st = pgw_sql_statements; st->label; st++) {
            dbd_prepare_fn(sp, st->sql, st->label);
        }
    }
}

ap_dbd_t *pegawai_db(request_rec *r)
{
    ap_dbd_t *dbd = dbd_acquire_fn ? dbd_acquire_fn(r) : NULL;

    if (!dbd) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "PGW00011: no database connection (is the database "
                      "server up and DBDParams right?)");
    }
    return dbd;
}

static apr_dbd_prepared_t *statement(request_rec *r, ap_dbd_t *dbd,
                                     const char *label)
{
    apr_dbd_prepared_t *stmt;

    stmt = apr_hash_get(dbd->prepared, label, APR_HASH_KEY_STRING);
    if (!stmt) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "PGW00012: statement %s was not prepared (schema "
                      "not migrated?)",
                      label);
    }
    return stmt;
}

/* Only the first line of the driver's message: PostgreSQL's next lines
 * (DETAIL: Failing row contains (...), Key (nik)=(...)) quote the row,
 * with its NIK, NPWP and account numbers, which no log may hold. */
static void log_driver_error(request_rec *r, ap_dbd_t *dbd, const char *label,
                             int err)
{
    const char *msg = apr_dbd_error(dbd->driver, dbd->handle, err);

    if (!msg) {
        msg = "(no message from the driver)";
    }
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  "PGW00013: statement %s failed: %.*s", label,
                  (int)strcspn(msg, "\r\n"), msg);
}

/* Reads every row, copying the cells to the request pool, so the
 * connection is free for the next statement. The select runs in random
 * access mode: in sequential mode the pgsql driver knows the number of
 * columns only after the first row has been fetched. */
static apr_status_t drain(request_rec *r, ap_dbd_t *dbd, apr_dbd_results_t *res,
                          int named, pegawai_rows **out)
{
    pegawai_rows *rows = apr_pcalloc(r->pool, sizeof(*rows));
    apr_dbd_row_t *row = NULL;
    apr_array_header_t *cells;
    int i;

    rows->ncols = apr_dbd_num_cols(dbd->driver, res);
    if (named) {
        rows->names = apr_pcalloc(r->pool, sizeof(char *) * (rows->ncols + 1));
        for (i = 0; i < rows->ncols; i++) {
            const char *n = apr_dbd_get_name(dbd->driver, res, i);

            rows->names[i] = apr_pstrdup(r->pool, n ? n : "");
        }
    }
    cells = apr_array_make(r->pool, 16, sizeof(const char *));
    while (apr_dbd_get_row(dbd->driver, r->pool, res, &row, -1) == 0) {
        for (i = 0; i < rows->ncols; i++) {
            const char *v = apr_dbd_get_entry(dbd->driver, row, i);
            APR_ARRAY_PUSH(cells, const char *) =
                v ? apr_pstrdup(r->pool, v) : NULL;
        }
        rows->nrows++;
    }
    rows->cells = (const char **)cells->elts;
    *out = rows;
    return APR_SUCCESS;
}

/* Statements can outlive what they were prepared for. PostgreSQL forgets
 * a connection's prepared statements when libpq re-establishes it
 * (mod_dbd's check on acquire calls PQreset after an outage), and
 * mod_dbd does not prepare them again; apr_dbd_sqlite3 prepares with the
 * legacy sqlite3_prepare(), whose statements fail with "database schema
 * has changed" after a migration ran beside a live server. After such a
 * failure the portal's statements are prepared anew on the connection
 * and the statement gets a second try. On a healthy PostgreSQL
 * connection every PREPARE fails (the names exist) and nothing is
 * retried. */
static int reprepare(request_rec *r, ap_dbd_t *dbd, int err)
{
    const pgw_sql_statement_t *st;
    apr_dbd_prepared_t *stmt;
    const char *name = apr_dbd_name(dbd->driver), *msg;
    int n = 0;

    /* Inside a transaction a second try would run outside it, on what
     * may be another server session: the caller rolls back instead. */
    if (apr_table_get(r->notes, NOTE_IN_TRANSACTION)) {
        return 0;
    }
    if (!strcmp(name, "sqlite3")) {
        msg = apr_dbd_error(dbd->driver, dbd->handle, err);
        if (!msg || !strstr(msg, "schema")) {
            return 0;
        }
    }
    else if (strcmp(name, "pgsql")) {
        return 0;
    }
    /* A backend ended while the connection sat in the pool shows only
     * when a statement fails; the check re-establishes it (PQreset). */
    else if (apr_dbd_check_conn(dbd->driver, r->pool, dbd->handle)
             != APR_SUCCESS) {
        return 0;
    }
    for (st = pgw_sql_statements; st->label; st++) {
        stmt = NULL;
        if (apr_dbd_prepare(dbd->driver, dbd->pool, dbd->handle, st->sql,
                            st->label, &stmt)
            == 0) {
            apr_hash_set(dbd->prepared, st->label, APR_HASH_KEY_STRING, stmt);
            n++;
        }
    }
    if (n) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "prepared %d statements again on a %s connection", n,
                      name);
    }
    return n;
}

static int run_select(request_rec *r, ap_dbd_t *dbd, const char *label,
                      apr_dbd_results_t **res, int nargs,
                      const char *const *args)
{
    apr_dbd_prepared_t *stmt = statement(r, dbd, label);

    if (!stmt) {
        return -1;
    }
    *res = NULL;
    return apr_dbd_pselect(dbd->driver, r->pool, dbd->handle, res, stmt, 1,
                           nargs, (const char **)args);
}

static apr_status_t select_rows(request_rec *r, const char *label, int named,
                                pegawai_rows **rows, int nargs,
                                const char *const *args)
{
    ap_dbd_t *dbd = pegawai_db(r);
    apr_dbd_results_t *res = NULL;
    int err;

    if (!dbd) {
        return APR_EGENERAL;
    }
    err = run_select(r, dbd, label, &res, nargs, args);
    if (err > 0 && reprepare(r, dbd, err)) {
        err = run_select(r, dbd, label, &res, nargs, args);
    }
    if (err) {
        log_driver_error(r, dbd, label, err);
        return APR_EGENERAL;
    }
    return drain(r, dbd, res, named, rows);
}

apr_status_t pegawai_db_select(request_rec *r, const char *label,
                               pegawai_rows **rows, int nargs,
                               const char *const *args)
{
    return select_rows(r, label, 0, rows, nargs, args);
}

apr_status_t pegawai_db_select_named(request_rec *r, const char *label,
                                     pegawai_rows **rows, int nargs,
                                     const char *const *args)
{
    return select_rows(r, label, 1, rows, nargs, args);
}

static int run_query(request_rec *r, ap_dbd_t *dbd, const char *label, int *n,
                     int nargs, const char *const *args)
{
    apr_dbd_prepared_t *stmt = statement(r, dbd, label);

    if (!stmt) {
        return -1;
    }
    return apr_dbd_pquery(dbd->driver, r->pool, dbd->handle, n, stmt, nargs,
                          (const char **)args);
}

apr_status_t pegawai_db_exec(request_rec *r, const char *label, int *nrows,
                             int nargs, const char *const *args)
{
    ap_dbd_t *dbd = pegawai_db(r);
    int err, n = 0, held;

    if (!dbd) {
        return APR_EGENERAL;
    }
    held =
        !apr_table_get(r->notes, NOTE_IN_TRANSACTION) && writer_enter(r, dbd);
    err = run_query(r, dbd, label, &n, nargs, args);
    if (err > 0 && reprepare(r, dbd, err)) {
        err = run_query(r, dbd, label, &n, nargs, args);
    }
    writer_leave(r, held);
    if (err) {
        log_driver_error(r, dbd, label, err);
        return APR_EGENERAL;
    }
    if (nrows) {
        *nrows = n;
    }
    return APR_SUCCESS;
}

apr_status_t pegawai_db_begin(request_rec *r, apr_dbd_transaction_t **tx)
{
    ap_dbd_t *dbd = pegawai_db(r);
    int err, held;

    if (!dbd) {
        return APR_EGENERAL;
    }
    *tx = NULL;
    held = writer_enter(r, dbd);
    err = apr_dbd_transaction_start(dbd->driver, r->pool, dbd->handle, tx);
    if (err) {
        writer_leave(r, held);
        log_driver_error(r, dbd, "BEGIN", err);
        return APR_EGENERAL;
    }
    apr_table_setn(r->notes, NOTE_IN_TRANSACTION, held ? "w" : "1");
    return APR_SUCCESS;
}

/* Commits, or rolls back when commit is 0 (or a statement in the
 * transaction failed, which the drivers track themselves). */
apr_status_t pegawai_db_end(request_rec *r, apr_dbd_transaction_t *tx,
                            int commit)
{
    ap_dbd_t *dbd = pegawai_db(r);
    int err, held;

    if (!dbd || !tx) {
        return APR_EGENERAL;
    }
    if (!commit) {
        apr_dbd_transaction_mode_set(dbd->driver, tx,
                                     APR_DBD_TRANSACTION_ROLLBACK);
    }
    held = !strcmp(apr_table_get(r->notes, NOTE_IN_TRANSACTION) ?: "", "w");
    apr_table_unset(r->notes, NOTE_IN_TRANSACTION);
    err = apr_dbd_transaction_end(dbd->driver, r->pool, tx);
    if (err) {
        log_driver_error(r, dbd, commit ? "COMMIT" : "ROLLBACK", err);
        /* SQLite keeps a transaction whose COMMIT failed open, with its
         * changes and the write lock, on a connection that goes back to
         * the pool; PostgreSQL ends it. Roll it back while the writer
         * lock is still held. */
        if (commit && !strcmp(apr_dbd_name(dbd->driver), "sqlite3")) {
            int n;

            apr_dbd_query(dbd->driver, dbd->handle, &n, "ROLLBACK");
        }
        writer_leave(r, held);
        return APR_EGENERAL;
    }
    writer_leave(r, held);
    return APR_SUCCESS;
}
