/* Login throttling stored in the database, so that every Apache node in
 * front of one database counts the same failures (ASVS 5.0 V6.3.1). The
 * arithmetic is pgw_throttle.c; this file keeps the counters.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "apr_strings.h"

#include "mod_pegawai.h"
#include "pgw_sql.h"
#include "pgw_token.h"

APLOG_USE_MODULE(pegawai);

#define WINDOW 3600

/* Per account (or per device cookie): three free tries, then waits that
 * double up to a minute, and at most PegawaiThrottleAccount failures an
 * hour. Per address: more room, since a whole office may share one. */
static void policy_account(request_rec *r, pgw_throttle_policy_t *pol)
{
    pol->free_failures = 3;
    pol->max_delay = 60;
    pol->max_failures = pegawai_srv(r)->throttle_account;
    pol->window = WINDOW;
}

static void policy_address(request_rec *r, pgw_throttle_policy_t *pol)
{
    pol->free_failures = 20;
    pol->max_delay = 30;
    pol->max_failures = pegawai_srv(r)->throttle_address;
    pol->window = WINDOW;
}

static const char *account_key(request_rec *r, const char *nrk,
                               const char *device_hash)
{
    if (device_hash) {
        return apr_pstrcat(r->pool, "d:", device_hash, NULL);
    }
    /* Hashed: whatever was typed into the NRK field (sometimes the
     * password itself) must not be stored in clear. */
    return apr_pstrcat(r->pool, "a:", pgw_token_hash(r->pool, nrk), NULL);
}

static const char *address_key(request_rec *r)
{
    return apr_pstrcat(r->pool, "i:", r->useragent_ip, NULL);
}

/* Reads the state of key; a key never seen is a clean state, and
 * *exists (when given) says which. */
static apr_status_t state_row(request_rec *r, const char *key,
                              pgw_throttle_state_t *st, int *exists)
{
    pegawai_rows *rows;

    memset(st, 0, sizeof(*st));
    if (pegawai_db_select(r, PGW_SQL_THROTTLE_GET, &rows, 1, &key)
        != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (exists) {
        *exists = rows->nrows == 1;
    }
    if (rows->nrows == 1) {
        st->failures = atoi(PEGAWAI_CELL(rows, 0, 0));
        st->window_start = apr_atoi64(PEGAWAI_CELL(rows, 0, 1));
        st->blocked_until = apr_atoi64(PEGAWAI_CELL(rows, 0, 2));
    }
    return APR_SUCCESS;
}

static apr_status_t state_of(request_rec *r, const char *key,
                             pgw_throttle_state_t *st)
{
    return state_row(r, key, st, NULL);
}

static apr_int64_t wait_of(request_rec *r, const char *key,
                           const pgw_throttle_policy_t *pol)
{
    pgw_throttle_state_t st;

    if (state_of(r, key, &st) != APR_SUCCESS) {
        return -1;
    }
    return pgw_throttle_wait(pol, &st, pegawai_now());
}

apr_int64_t pegawai_login_throttled(request_rec *r, const char *nrk,
                                    const char *device_hash)
{
    pgw_throttle_policy_t acc, adr;
    apr_int64_t a, b;

    policy_account(r, &acc);
    policy_address(r, &adr);
    a = wait_of(r, account_key(r, nrk, device_hash), &acc);
    if (a < 0) {
        return -1;
    }
    b = wait_of(r, address_key(r), &adr);
    if (b < 0) {
        return -1;
    }
    return a > b ? a : b;
}

/* Counts one failure on key in one statement, then sets how long the key
 * must wait from the count the database returned. */
static void fail_key(request_rec *r, const char *key,
                     const pgw_throttle_policy_t *pol)
{
    apr_int64_t now = pegawai_now();
    const char *snow = apr_psprintf(r->pool, "%" APR_INT64_T_FMT, now);
    const char *cutoff =
        apr_psprintf(r->pool, "%" APR_INT64_T_FMT, now - pol->window);
    const char *args[5] = {key, snow, cutoff, cutoff, cutoff};
    pgw_throttle_state_t st;

    if (pegawai_db_exec(r, PGW_SQL_THROTTLE_FAIL, NULL, 5, args) != APR_SUCCESS
        || state_of(r, key, &st) != APR_SUCCESS || st.failures < 1) {
        return;
    }
    /* The count already includes this failure: step back one and let
     * the policy add it, so the wait follows the shared count. */
    st.failures--;
    pgw_throttle_fail(pol, &st, now);
    args[0] = apr_psprintf(r->pool, "%" APR_INT64_T_FMT, st.blocked_until);
    args[1] = key;
    args[2] = args[0];
    pegawai_db_exec(r, PGW_SQL_THROTTLE_BLOCK, NULL, 3, args);
}

void pegawai_login_failed(request_rec *r, const char *nrk,
                          const char *device_hash)
{
    pgw_throttle_policy_t acc, adr;

    policy_account(r, &acc);
    policy_address(r, &adr);
    fail_key(r, account_key(r, nrk, device_hash), &acc);
    fail_key(r, address_key(r), &adr);
}

/* Moves key from state was to next unless another attempt has moved it
 * first; *moved says whether this one did. */
static apr_status_t move_on(request_rec *r, const char *key, int exists,
                            const pgw_throttle_state_t *was,
                            const pgw_throttle_state_t *next, int *moved)
{
    const char *args[7];

    *moved = 0;
    if (!exists) {
        args[0] = key;
        args[1] = apr_itoa(r->pool, next->failures);
        args[2] = pegawai_i64(r, next->window_start);
        args[3] = pegawai_i64(r, next->blocked_until);
        return pegawai_db_exec(r, PGW_SQL_THROTTLE_TAKE_NEW, moved, 4, args);
    }
    args[0] = apr_itoa(r->pool, next->failures);
    args[1] = pegawai_i64(r, next->window_start);
    args[2] = pegawai_i64(r, next->blocked_until);
    args[3] = key;
    args[4] = apr_itoa(r->pool, was->failures);
    args[5] = pegawai_i64(r, was->window_start);
    args[6] = pegawai_i64(r, was->blocked_until);
    return pegawai_db_exec(r, PGW_SQL_THROTTLE_TAKE, moved, 7, args);
}

/* A burst on one key makes most attempts lose the compare-and-set; each
 * reads the state again, and one that keeps losing is told to wait. */
#define TAKE_TRIES 8

static apr_int64_t take_key(request_rec *r, const char *key,
                            const pgw_throttle_policy_t *pol,
                            pgw_throttle_state_t *before,
                            pgw_throttle_state_t *after)
{
    pgw_throttle_state_t was, next;
    apr_int64_t wait;
    int exists, moved, i;

    for (i = 0; i < TAKE_TRIES; i++) {
        if (state_row(r, key, &was, &exists) != APR_SUCCESS) {
            return -1;
        }
        next = was;
        if ((wait = pgw_throttle_take(pol, &next, pegawai_now())) > 0) {
            return wait;
        }
        if (move_on(r, key, exists, &was, &next, &moved) != APR_SUCCESS) {
            return -1;
        }
        if (moved) {
            *before = was;
            *after = next;
            return 0;
        }
    }
    return 1;
}

/* What the attempt did to the address's row, for give_back(): the wait
 * it set and the one it found. */
#define NOTE_ADDRESS_TAKEN "pegawai-throttle-address"

/* Takes the attempt off the address's count, and the wait it set unless
 * a later attempt has set another: a right password must not keep an
 * office sharing one address waiting. */
static void give_back(request_rec *r)
{
    const char *taken = apr_table_get(r->notes, NOTE_ADDRESS_TAKEN);
    const char *args[3];
    char *last;

    if (!taken) {
        return;
    }
    apr_table_unset(r->notes, NOTE_ADDRESS_TAKEN);
    taken = apr_pstrdup(r->pool, taken);
    args[0] = apr_strtok((char *)taken, " ", &last);
    args[1] = apr_strtok(NULL, " ", &last);
    args[2] = address_key(r);
    pegawai_db_exec(r, PGW_SQL_THROTTLE_GIVE_BACK, NULL, 3, args);
}

/* The address first: an attempt its address may not make must not use
 * up the account's allowance (and lock its owner out). */
apr_int64_t pegawai_login_attempt(request_rec *r, const char *nrk,
                                  const char *device_hash)
{
    pgw_throttle_policy_t acc, adr;
    pgw_throttle_state_t before, after;
    apr_int64_t wait;

    policy_account(r, &acc);
    policy_address(r, &adr);
    wait = take_key(r, address_key(r), &adr, &before, &after);
    if (wait != 0) {
        return wait;
    }
    apr_table_setn(r->notes, NOTE_ADDRESS_TAKEN,
                   apr_psprintf(r->pool,
                                "%" APR_INT64_T_FMT " %" APR_INT64_T_FMT,
                                after.blocked_until, before.blocked_until));
    wait = take_key(r, account_key(r, nrk, device_hash), &acc, &before, &after);
    if (wait != 0) {
        give_back(r);
    }
    return wait;
}

void pegawai_login_succeeded(request_rec *r, const char *nrk,
                             const char *device_hash)
{
    const char *key = account_key(r, nrk, device_hash);

    pegawai_db_exec(r, PGW_SQL_THROTTLE_CLEAR, NULL, 1, &key);
    give_back(r);
}

/* Rows whose window and wait are both over hold nothing a later attempt
 * would read (pgw_throttle_wait() sees a clean state). */
void pegawai_login_purge(request_rec *r)
{
    apr_int64_t now = pegawai_now();
    const char *args[2];

    args[0] = pegawai_i64(r, now - WINDOW);
    args[1] = pegawai_i64(r, now);
    pegawai_db_exec(r, PGW_SQL_THROTTLE_PURGE, NULL, 2, args);
}
