/* pgw_temppass: a temporary password and its argon2id hash, for
 * tools/reset-password.sh.
 *
 *   build/pgw_temppass [--ops T] [--mem-kib M]
 *
 * Prints one line, "PASSWORD HASH": twelve characters from an alphabet
 * without look-alikes (no 0/O, 1/l/I), about 59 bits from libsodium's
 * generator, and its argon2id hash at the portal's default cost
 * (PegawaiPasswordCost 2 19456) or the one given. The employee must
 * replace it at the first login (account.must_change_password), so it
 * need not pass the password policy; it only has to be hard to guess for
 * the days it may wait to be used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <sodium.h>

#include "pgw_password.h"

#define TEMP_LENGTH 12

static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz"
                               "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

static void usage(void)
{
    fprintf(stderr, "usage: pgw_temppass [--ops T] [--mem-kib M]\n"
                    "  --ops      argon2id passes (default 2, at least 2)\n"
                    "  --mem-kib  argon2id memory in KiB (default 19456,\n"
                    "             at least 19456)\n");
    exit(2);
}

static unsigned long long number(const char *s, unsigned long long min)
{
    char *end;
    unsigned long long v;

    if (s == NULL || *s < '0' || *s > '9') {
        usage();
    }
    v = strtoull(s, &end, 10);
    if (*end || v < min || v > 1048576) {
        usage();
    }
    return v;
}

int main(int argc, char **argv)
{
    pgw_pwcost_t cost = {2, 19456 * 1024};
    char password[TEMP_LENGTH + 1];
    const char *hash;
    apr_pool_t *pool;
    int i;

    for (i = 1; i < argc; i += 2) {
        if (!strcmp(argv[i], "--ops")) {
            cost.opslimit = number(argv[i + 1], 2);
        }
        else if (!strcmp(argv[i], "--mem-kib")) {
            cost.memlimit = (apr_size_t)number(argv[i + 1], 19456) * 1024;
        }
        else {
            usage();
        }
    }
    if (apr_initialize() != APR_SUCCESS || pgw_password_init() != APR_SUCCESS
        || apr_pool_create(&pool, NULL) != APR_SUCCESS) {
        fprintf(stderr, "pgw_temppass: cannot initialise APR or libsodium\n");
        return 1;
    }
    /* randombytes_uniform() has no modulo bias. */
    for (i = 0; i < TEMP_LENGTH; i++) {
        password[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    }
    password[TEMP_LENGTH] = '\0';
    if (pgw_password_hash(password, &cost, pool, &hash) != APR_SUCCESS) {
        fprintf(stderr, "pgw_temppass: hashing failed\n");
        return 1;
    }
    printf("%s %s\n", password, hash);
    sodium_memzero(password, sizeof(password));
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}
