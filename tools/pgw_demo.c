/* pgw_demo: writes the demo data of mod_pegawai as a SQL script.
 *
 *   build/pgw_demo [--count N] [--seed S] [--format sqlite3|pgsql]
 *
 * The script goes to standard output; load it into a database that
 * sql/migrate.sh has brought up to date:
 *
 *   build/pgw_demo --count 300 | sqlite3 -bail var/pegawai.sqlite
 *   build/pgw_demo --format pgsql | psql -X -q -d pegawai
 *
 * Every account's password is rahasia-demo. One argon2id hash serves
 * all generated accounts, since hashing millions of them would take
 * hours; the manual's two employees get a hash each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "pgw_demo.h"
#include "pgw_password.h"

#define DEFAULT_COUNT 300

typedef struct options_t {
    long count;
    apr_uint64_t seed;
    pgw_demo_format_e format;
} options_t;

static void usage(void)
{
    fprintf(stderr,
            "usage: pgw_demo [--count N] [--seed S] "
            "[--format sqlite3|pgsql]\n"
            "  --count   generated employees besides the manual's two "
            "(default %d,\n"
            "            at most %ld)\n"
            "  --seed    seed of the generator (default %d)\n"
            "  --format  SQL dialect of the script (default sqlite3)\n",
            DEFAULT_COUNT, PGW_DEMO_MAX_COUNT, PGW_DEMO_DEFAULT_SEED);
    exit(2);
}

/* A whole decimal number in [0, max], or -1. */
static long long parse_number(const char *s, long long max)
{
    char *end;
    long long v;

    if (s == NULL || *s < '0' || *s > '9') {
        return -1;
    }
    v = strtoll(s, &end, 10);
    return *end == '\0' && v >= 0 && v <= max ? v : -1;
}

static void parse_options(int argc, const char *const *argv, options_t *o)
{
    int i;

    o->count = DEFAULT_COUNT;
    o->seed = PGW_DEMO_DEFAULT_SEED;
    o->format = PGW_DEMO_SQLITE3;
    for (i = 1; i < argc; i++) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        long long v;

        if (strcmp(argv[i], "--count") == 0) {
            v = parse_number(value, PGW_DEMO_MAX_COUNT);
            if (v < 0) {
                usage();
            }
            o->count = (long)v;
        }
        else if (strcmp(argv[i], "--seed") == 0) {
            v = parse_number(value, 0x7fffffffffffffffLL);
            if (v < 0) {
                usage();
            }
            o->seed = (apr_uint64_t)v;
        }
        else if (strcmp(argv[i], "--format") == 0 && value != NULL
                 && strcmp(value, "sqlite3") == 0) {
            o->format = PGW_DEMO_SQLITE3;
        }
        else if (strcmp(argv[i], "--format") == 0 && value != NULL
                 && strcmp(value, "pgsql") == 0) {
            o->format = PGW_DEMO_PGSQL;
        }
        else {
            usage();
        }
        i++;
    }
}

/* Hashes the demo password at the portal's minimum cost (argon2id,
 * t=2, m=19 MiB). Exits on failure: a script without hashes is of no
 * use. */
static const char *demo_hash(apr_pool_t *p)
{
    pgw_pwcost_t cost = {2, 19 * 1024 * 1024};
    const char *hash;

    if (pgw_password_hash(PGW_DEMO_PASSWORD, &cost, p, &hash) != APR_SUCCESS) {
        fprintf(stderr, "pgw_demo: cannot hash the demo password\n");
        exit(1);
    }
    return hash;
}

int main(int argc, const char *const *argv)
{
    static char buffer[1 << 20];
    const char *manual[2];
    const char *generated;
    apr_status_t rv;
    apr_pool_t *pool;
    options_t o;
    char err[120];

    parse_options(argc, argv, &o);
    if (apr_app_initialize(&argc, &argv, NULL) != APR_SUCCESS
        || apr_pool_create(&pool, NULL) != APR_SUCCESS
        || pgw_password_init() != APR_SUCCESS) {
        fprintf(stderr, "pgw_demo: cannot initialise APR or libsodium\n");
        return 1;
    }
    generated = demo_hash(pool);
    manual[0] = demo_hash(pool);
    manual[1] = demo_hash(pool);

    setvbuf(stdout, buffer, _IOFBF, sizeof(buffer));
    rv = pgw_demo_write(stdout, o.format, o.seed, o.count, generated, manual);
    if (rv != APR_SUCCESS) {
        fprintf(stderr, "pgw_demo: cannot write the script: %s\n",
                apr_strerror(rv, err, sizeof(err)));
        return 1;
    }
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}
