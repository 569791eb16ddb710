/* Password hashing and verification (ASVS 5.0 V6.2, V11.4).
 *
 * New hashes are argon2id (libsodium's crypto_pwhash_str). Hashes
 * imported from older SIMPEG databases are accepted in two forms:
 * bcrypt ($2y$ / $2b$ / $2a$, cost 10 or more) and unsalted MD5 in 32
 * lower- or upper-case hex digits. Anything else is refused without
 * being handed to crypt().
 */
#ifndef PGW_PASSWORD_H
#define PGW_PASSWORD_H

#include <apr_pools.h>
#include <apr_errno.h>

typedef enum {
    PGW_HASH_UNKNOWN = 0,
    PGW_HASH_ARGON2ID,
    PGW_HASH_BCRYPT,
    PGW_HASH_MD5_HEX
} pgw_hash_kind_e;

typedef struct pgw_pwcost_t {
    unsigned long long opslimit; /* argon2id t, at least 2 */
    apr_size_t memlimit;         /* bytes, at least 19 MiB */
} pgw_pwcost_t;

/* Must be called once per process before any other function here
 * (calls sodium_init()). Returns APR_EGENERAL when libsodium fails. */
apr_status_t pgw_password_init(void);

pgw_hash_kind_e pgw_password_kind(const char *stored);

/* Hashes password with argon2id at cost. *hash is pool memory. */
apr_status_t pgw_password_hash(const char *password, const pgw_pwcost_t *cost,
                               apr_pool_t *p, const char **hash);

/* APR_SUCCESS when password matches stored; APR_EMISMATCH when it does
 * not; APR_EINVAL when stored is of no accepted kind (or a bcrypt cost
 * below 10). Comparison is constant-time. */
apr_status_t pgw_password_verify(const char *password, const char *stored);

/* True when stored should be replaced by a fresh argon2id hash at cost
 * (legacy kinds, or an argon2id hash with lower parameters). */
int pgw_password_needs_rehash(const char *stored, const pgw_pwcost_t *cost);

/* Spends the time of one argon2id verification at cost without any
 * account: used for unknown NRKs so that they answer in the same time
 * as a wrong password (ASVS V6.3.8). */
void pgw_password_dummy_verify(const char *password, const pgw_pwcost_t *cost);

#endif
