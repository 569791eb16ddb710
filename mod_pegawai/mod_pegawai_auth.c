/* Apache authentication integration: the "pegawai" authn provider (NRK
 * and password from the portal's accounts, for AuthBasicProvider and for
 * the login form), the provider chain of the login form, and the
 * "pegawai-role" authz provider.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_request.h"
#include "ap_provider.h"
#include "mod_auth.h"
#include "apr_atomic.h"
#include "apr_strings.h"
#include "apr_thread_cond.h"
#include "apr_thread_mutex.h"

#include "mod_pegawai.h"
#include "pgw_password.h"
#include "pgw_sql.h"

APLOG_USE_MODULE(pegawai);

/* NRK: digits only (PRODUCT.md); anything else cannot be an account and
 * is answered like an unknown one. */
static int nrk_shaped(const char *nrk)
{
    apr_size_t i;

    for (i = 0; nrk[i]; i++) {
        if (nrk[i] < '0' || nrk[i] > '9' || i >= 18) {
            return 0;
        }
    }
    return i > 0;
}

/* Replaces a legacy or weaker hash by argon2id at the configured cost
 * once the password is known to be right (ASVS V6.2.? upgrade on
 * login). A failure is logged and the login still succeeds. */
static void rehash(request_rec *r, const char *nrk, const char *password,
                   const char *stored, const pgw_pwcost_t *cost)
{
    const char *fresh = NULL;
    const char *args[3];

    if (pgw_password_hash(password, cost, r->pool, &fresh) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "PGW00030: cannot rehash the password of %s", nrk);
        return;
    }
    args[0] = fresh;
    args[1] = nrk;
    args[2] = stored;
    if (pegawai_db_exec(r, PGW_SQL_ACCOUNT_REHASH, NULL, 3, args)
        == APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "password hash of %s upgraded to argon2id", nrk);
    }
}

/* At most PegawaiPasswordConcurrency argon2id computations run at once
 * in one child: each takes 19 MiB, and a login storm at the start of the
 * working day must not multiply that by every thread of every child. */
static apr_thread_mutex_t *hash_lock;
static apr_thread_cond_t *hash_free;
static int hash_busy;

/* ASVS V6.3.8: a failed check takes the same time whatever the account
 * holds. An argon2id hash, an unknown NRK (a dummy argon2id) and an MD5
 * hash (the dummy, then MD5) cost one argon2id computation; an imported
 * bcrypt hash of cost 10 costs more than that at the default argon2id
 * cost, and running the dummy beside it would cost more still. So every
 * refused check is padded to the slower of the two, each at the quickest it has
 * been measured: once before the children start, then at each of their
 * computations (only lowered: a slow moment under load must not stay
 * in the floor). A bcrypt hash of a higher cost is still slower
 * (docs/LIMITATIONS.md). */
static volatile apr_uint32_t floor_argon2id_us, floor_bcrypt_us;

/* A bcrypt hash of cost 10, the lowest PRODUCT.md accepts, of a password
 * nobody has: only its computing time is of use. */
#define BCRYPT_PROBE                                                           \
    "$2y$10$1t062iRmUd9MLviMLiXxmO6HMY2mXnNpIK/oFDOy2E8xnSyUkKQv6"

static apr_uint32_t micros_since(apr_time_t start)
{
    apr_time_t d = apr_time_now() - start;

    return d < 0 ? 0 : d > APR_UINT32_MAX ? APR_UINT32_MAX : (apr_uint32_t)d;
}

/* Keeps the lower of *floor and the time since start (0 is unset). */
static void lower_floor(volatile apr_uint32_t *floor, apr_time_t start)
{
    apr_uint32_t took = micros_since(start), was;

    do {
        was = apr_atomic_read32(floor);
        if (was && was <= took) {
            return;
        }
    } while (apr_atomic_cas32(floor, took, was) != was);
}

static int bcrypt_cost_is_10(const char *stored)
{
    return !strncmp(stored + 3, "10$", 3);
}

/* Measured in the parent, whose children inherit the floors: children
 * measuring as they start side by side would slow each other down and
 * pad to unlike floors. Three of each, keeping the quickest. */
static void measure_floors(server_rec *s)
{
    pgw_pwcost_t cost;
    apr_time_t start;
    int i;

    pegawai_pwcost(ap_get_module_config(s->module_config, &pegawai_module),
                   &cost);
    for (i = 0; i < 3; i++) {
        start = apr_time_now();
        pgw_password_dummy_verify("", &cost);
        lower_floor(&floor_argon2id_us, start);
        start = apr_time_now();
        pgw_password_verify("", BCRYPT_PROBE);
        lower_floor(&floor_bcrypt_us, start);
    }
}

static int floors_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                              apr_pool_t *ptemp, server_rec *s)
{
    /* Not in the first pass, which only checks the configuration. */
    if (ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_PRE_CONFIG) {
        measure_floors(s);
    }
    return OK;
}

/* Sleeps until the slower floor has passed since start. */
static void pad_to_floor(apr_time_t start)
{
    apr_uint32_t a = apr_atomic_read32(&floor_argon2id_us);
    apr_uint32_t b = apr_atomic_read32(&floor_bcrypt_us);
    apr_uint32_t took = micros_since(start), floor = a > b ? a : b;

    if (took < floor) {
        apr_sleep(floor - took);
    }
}

void pegawai_auth_child_init(apr_pool_t *p, server_rec *s)
{
    if (apr_thread_mutex_create(&hash_lock, APR_THREAD_MUTEX_DEFAULT, p)
            != APR_SUCCESS
        || apr_thread_cond_create(&hash_free, p) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     "PGW00032: cannot create the password hashing lock; "
                     "hashing will not be limited in this child");
        hash_lock = NULL;
    }
    if (!apr_atomic_read32(&floor_bcrypt_us)) {
        measure_floors(s);
    }
}

static void hash_enter(request_rec *r)
{
    int limit = pegawai_srv(r)->pw_concurrency;

    if (!hash_lock) {
        return;
    }
    apr_thread_mutex_lock(hash_lock);
    while (hash_busy >= limit) {
        apr_thread_cond_wait(hash_free, hash_lock);
    }
    hash_busy++;
    apr_thread_mutex_unlock(hash_lock);
}

static void hash_leave(void)
{
    if (!hash_lock) {
        return;
    }
    apr_thread_mutex_lock(hash_lock);
    hash_busy--;
    apr_thread_cond_signal(hash_free);
    apr_thread_mutex_unlock(hash_lock);
}

static authn_status check_password_limited(request_rec *r, const char *nrk,
                                           const char *password);

static authn_status check_password(request_rec *r, const char *nrk,
                                   const char *password)
{
    authn_status st;
    apr_time_t start;

    hash_enter(r);
    start = apr_time_now();
    st = check_password_limited(r, nrk, password);
    hash_leave();
    /* Outside the limit: a padded check holds no hashing slot. A right
     * password tells its sender nothing new by its time, so only a
     * refusal waits: a login costs what its hash costs (PRODUCT.md). */
    if (st != AUTH_GRANTED) {
        pad_to_floor(start);
    }
    return st;
}

/* The dummy argon2id of a check that has no argon2id hash to verify. */
static void dummy_verify(const char *password, const pgw_pwcost_t *cost)
{
    apr_time_t start = apr_time_now();

    pgw_password_dummy_verify(password, cost);
    lower_floor(&floor_argon2id_us, start);
}

static authn_status check_password_limited(request_rec *r, const char *nrk,
                                           const char *password)
{
    pgw_pwcost_t cost;
    pegawai_rows *rows;
    const char *stored;
    pgw_hash_kind_e kind;
    apr_time_t start;
    apr_status_t rv;

    pegawai_pwcost(pegawai_srv(r), &cost);
    if (!nrk_shaped(nrk)) {
        dummy_verify(password, &cost);
        return AUTH_USER_NOT_FOUND;
    }
    if (pegawai_db_select(r, PGW_SQL_ACCOUNT_GET, &rows, 1, &nrk)
        != APR_SUCCESS) {
        return AUTH_GENERAL_ERROR;
    }
    if (rows->nrows != 1) {
        dummy_verify(password, &cost);
        return AUTH_USER_NOT_FOUND;
    }
    stored = PEGAWAI_CELL(rows, 0, 0);
    kind = pgw_password_kind(stored);
    /* MD5 costs nothing: the dummy makes it one argon2id computation.
     * bcrypt costs its own, and pad_to_floor() evens out the rest. */
    if (kind != PGW_HASH_ARGON2ID && kind != PGW_HASH_BCRYPT) {
        dummy_verify(password, &cost);
    }
    start = apr_time_now();
    rv = pgw_password_verify(password, stored);
    if (kind == PGW_HASH_BCRYPT && bcrypt_cost_is_10(stored)) {
        lower_floor(&floor_bcrypt_us, start);
    }
    if (rv == APR_EINVAL) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "PGW00031: account %s has a password hash of no "
                      "accepted format; refusing it",
                      nrk);
        return AUTH_DENIED;
    }
    if (rv != APR_SUCCESS) {
        return AUTH_DENIED;
    }
    if (pgw_password_needs_rehash(stored, &cost)) {
        rehash(r, nrk, password, stored, &cost);
    }
    return AUTH_GRANTED;
}

apr_status_t pegawai_password_verify(request_rec *r, const char *password,
                                     const char *stored)
{
    apr_status_t rv;

    hash_enter(r);
    rv = pgw_password_verify(password, stored);
    hash_leave();
    return rv;
}

apr_status_t pegawai_password_hash(request_rec *r, const char *password,
                                   const char **hash)
{
    pgw_pwcost_t cost;
    apr_status_t rv;

    pegawai_pwcost(pegawai_srv(r), &cost);
    hash_enter(r);
    rv = pgw_password_hash(password, &cost, r->pool, hash);
    hash_leave();
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      "PGW00033: cannot hash a new password");
    }
    return rv;
}

/* Basic authentication against the portal's accounts. The login form
 * throttles before it calls the chain; Basic requests are throttled
 * here with the same counters. */
static authn_status provider_check_password(request_rec *r, const char *nrk,
                                            const char *password)
{
    authn_status st;
    apr_int64_t wait;

    if (apr_table_get(r->notes, PEGAWAI_NOTE_LOGIN_FORM)) {
        return check_password(r, nrk, password);
    }
    /* Counted before the check, like the form's attempts. */
    wait = pegawai_login_attempt(r, nrk, NULL);
    if (wait != 0) {
        return wait < 0 ? AUTH_GENERAL_ERROR : AUTH_DENIED;
    }
    st = check_password(r, nrk, password);
    if (st == AUTH_GRANTED) {
        pegawai_login_succeeded(r, nrk, NULL);
    }
    return st;
}

static const authn_provider pegawai_authn_provider = {provider_check_password,
                                                      NULL};

int pegawai_auth_check_chain(request_rec *r, const char *nrk,
                             const char *password)
{
    pegawai_dir_cfg *dc;
    const authn_provider *prov;
    const char *name;
    int i, n, st = AUTH_USER_NOT_FOUND;

    dc = ap_get_module_config(r->per_dir_config, &pegawai_module);
    n = dc->providers ? dc->providers->nelts : 1;
    apr_table_setn(r->notes, PEGAWAI_NOTE_LOGIN_FORM, "1");
    for (i = 0; i < n; i++) {
        name = dc->providers ? APR_ARRAY_IDX(dc->providers, i, const char *)
                             : "pegawai";
        prov = ap_lookup_provider(AUTHN_PROVIDER_GROUP, name,
                                  AUTHN_PROVIDER_VERSION);
        if (!prov || !prov->check_password) {
            continue;
        }
        apr_table_setn(r->notes, AUTHN_PROVIDER_NAME_NOTE, name);
        st = prov->check_password(r, nrk, password);
        apr_table_unset(r->notes, AUTHN_PROVIDER_NAME_NOTE);
        if (st != AUTH_USER_NOT_FOUND) {
            break;
        }
    }
    apr_table_unset(r->notes, PEGAWAI_NOTE_LOGIN_FORM);
    return st;
}

/* Require pegawai-role <role> [<role> ...] */
static authz_status role_check(request_rec *r, const char *line,
                               const void *parsed)
{
    const char *t = line, *role;
    const char *args[2];
    pegawai_rows *rows;

    if (!r->user) {
        return AUTHZ_DENIED_NO_USER;
    }
    while ((role = ap_getword_conf(r->pool, &t)) && *role) {
        args[0] = r->user;
        args[1] = role;
        if (pegawai_db_select(r, PGW_SQL_ACCOUNT_HAS_ROLE, &rows, 2, args)
            != APR_SUCCESS) {
            return AUTHZ_GENERAL_ERROR;
        }
        if (rows->nrows > 0) {
            return AUTHZ_GRANTED;
        }
    }
    return AUTHZ_DENIED;
}

static const char *role_parse(cmd_parms *cmd, const char *line,
                              const void **parsed)
{
    const char *t = line, *role;
    int n = 0;

    while ((role = ap_getword_conf(cmd->temp_pool, &t)) && *role) {
        n++;
    }
    return n ? NULL : "Require pegawai-role needs at least one role";
}

static const authz_provider pegawai_role_provider = {role_check, role_parse};

void pegawai_auth_register(apr_pool_t *p)
{
    /* Last: after pegawai_post_config has initialised libsodium. */
    ap_hook_post_config(floors_post_config, NULL, NULL, APR_HOOK_LAST);
    ap_register_auth_provider(p, AUTHN_PROVIDER_GROUP, "pegawai",
                              AUTHN_PROVIDER_VERSION, &pegawai_authn_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "pegawai-role",
                              AUTHZ_PROVIDER_VERSION, &pegawai_role_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
}
