/* Password hashes: argon2id for everything new, and verification of the
 * bcrypt and unsalted-MD5 hashes imported from older SIMPEG databases, so
 * that those can be replaced at the next successful login (ASVS 5.0
 * V11.4).
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <apr_md5.h>
#include <apr_strings.h>

#include "pgw_password.h"

/* "$2y$" cost "$", then 22 characters of salt and 31 of hash, all from
 * bcrypt's own base64 alphabet: the only shape crypt_blowfish writes. */
#define BCRYPT_LEN      60
#define BCRYPT_MIN_COST 10 /* PRODUCT.md: "bcrypt cost 10 or more" */
#define BCRYPT_MAX_COST 31 /* the largest crypt_blowfish accepts */
#define MD5_HEX_LEN     32

apr_status_t pgw_password_init(void)
{
    /* 1 means "already initialised", which is fine on a restart. */
    return sodium_init() < 0 ? APR_EGENERAL : APR_SUCCESS;
}

static int ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int ascii_hex(char c)
{
    return ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int bcrypt_char(char c)
{
    return ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || c == '.' || c == '/';
}

static int bcrypt_shape(const char *s)
{
    apr_size_t i;

    if (strnlen(s, BCRYPT_LEN + 1) != BCRYPT_LEN) {
        return 0;
    }
    if (s[0] != '$' || s[1] != '2'
        || (s[2] != 'a' && s[2] != 'b' && s[2] != 'y') || s[3] != '$'
        || !ascii_digit(s[4]) || !ascii_digit(s[5]) || s[6] != '$') {
        return 0;
    }
    for (i = 7; i < BCRYPT_LEN; i++) {
        if (!bcrypt_char(s[i])) {
            return 0;
        }
    }
    return 1;
}

static int bcrypt_cost(const char *s)
{
    return (s[4] - '0') * 10 + (s[5] - '0');
}

static int md5_hex_shape(const char *s)
{
    apr_size_t i;

    for (i = 0; i < MD5_HEX_LEN; i++) {
        if (!ascii_hex(s[i])) {
            return 0;
        }
    }
    return s[MD5_HEX_LEN] == '\0';
}

pgw_hash_kind_e pgw_password_kind(const char *stored)
{
    static const char argon2id[] = crypto_pwhash_argon2id_STRPREFIX;

    if (stored == NULL) {
        return PGW_HASH_UNKNOWN;
    }
    if (strncmp(stored, argon2id, sizeof(argon2id) - 1) == 0) {
        return PGW_HASH_ARGON2ID;
    }
    if (bcrypt_shape(stored)) {
        return PGW_HASH_BCRYPT;
    }
    if (md5_hex_shape(stored)) {
        return PGW_HASH_MD5_HEX;
    }
    return PGW_HASH_UNKNOWN;
}

apr_status_t pgw_password_hash(const char *password, const pgw_pwcost_t *cost,
                               apr_pool_t *p, const char **hash)
{
    char out[crypto_pwhash_STRBYTES];
    int rc;

    if (cost->opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN
        || cost->memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN) {
        return APR_EINVAL;
    }
    /* With sane parameters, what is left to fail is the allocation of
     * memlimit bytes. */
    rc = crypto_pwhash_str_alg(out, password, strlen(password), cost->opslimit,
                               cost->memlimit, crypto_pwhash_ALG_ARGON2ID13);
    if (rc != 0) {
        return APR_ENOMEM;
    }
    *hash = apr_pstrdup(p, out);
    return APR_SUCCESS;
}

static apr_status_t verify_argon2id(const char *password, const char *stored)
{
    /* crypto_pwhash_str_verify() answers -1 for a mismatch and for a
     * string it cannot decode alike; decoding alone tells them apart. */
    int decoded = crypto_pwhash_str_needs_rehash(
        stored, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);

    if (decoded < 0) {
        return APR_EINVAL;
    }
    if (crypto_pwhash_str_verify(stored, password, strlen(password)) != 0) {
        return APR_EMISMATCH;
    }
    return APR_SUCCESS;
}

/* apr_password_validate() runs apr-util's own crypt_blowfish for "$2a$"
 * and "$2y$" only; anything else, "$2b$" included, would go to the
 * system's crypt(). "$2b$" (OpenBSD's fix of a length wrap-around that
 * crypt_blowfish never had) computes exactly what "$2y$" computes, so it
 * is verified under that name.
 *
 * apr-util compares the result with strcmp(), not in constant time. The
 * first 29 characters (prefix, cost, salt) always match, and how much of
 * the rest matches tells nothing to someone who does not know the salt. */
static apr_status_t verify_bcrypt(const char *password, const char *stored)
{
    char setting[BCRYPT_LEN + 1];
    apr_status_t rv;
    int cost = bcrypt_cost(stored);

    if (cost < BCRYPT_MIN_COST || cost > BCRYPT_MAX_COST) {
        return APR_EINVAL;
    }
    memcpy(setting, stored, sizeof(setting));
    if (setting[2] == 'b') {
        setting[2] = 'y';
    }
    rv = apr_password_validate(password, setting);
    if (rv == APR_SUCCESS || rv == APR_EMISMATCH) {
        return rv;
    }
    return APR_EINVAL;
}

static apr_status_t verify_md5_hex(const char *password, const char *stored)
{
    unsigned char want[APR_MD5_DIGESTSIZE], got[APR_MD5_DIGESTSIZE];
    size_t want_len;
    int rc;

    rc = sodium_hex2bin(want, sizeof(want), stored, MD5_HEX_LEN, NULL,
                        &want_len, NULL);
    if (rc != 0 || want_len != sizeof(want)) {
        return APR_EINVAL;
    }
    if (apr_md5(got, password, strlen(password)) != APR_SUCCESS) {
        return APR_EINVAL;
    }
    return sodium_memcmp(got, want, sizeof(got)) == 0 ? APR_SUCCESS
                                                      : APR_EMISMATCH;
}

apr_status_t pgw_password_verify(const char *password, const char *stored)
{
    if (password == NULL) {
        return APR_EINVAL;
    }
    switch (pgw_password_kind(stored)) {
    case PGW_HASH_ARGON2ID:
        return verify_argon2id(password, stored);
    case PGW_HASH_BCRYPT:
        return verify_bcrypt(password, stored);
    case PGW_HASH_MD5_HEX:
        return verify_md5_hex(password, stored);
    default:
        return APR_EINVAL;
    }
}

/* libsodium's own test asks for a rehash whenever the parameters differ;
 * the contract here is "lower", so that lowering the configured cost
 * (say, for a slow server) does not quietly weaken every stored hash. */
static int argon2id_weaker(const char *stored, const pgw_pwcost_t *cost)
{
    unsigned long m_kib, t;

    switch (crypto_pwhash_str_needs_rehash(stored, cost->opslimit,
                                           cost->memlimit)) {
    case 0:
        return 0;
    case 1:
        break;
    default:
        return 1;
    }
    /* libsodium has decoded the string, so the numbers are in range. */
    if (sscanf(stored, "$argon2id$v=19$m=%lu,t=%lu,", &m_kib, &t) != 2) {
        return 1;
    }
    return t < cost->opslimit || m_kib < cost->memlimit / 1024;
}

int pgw_password_needs_rehash(const char *stored, const pgw_pwcost_t *cost)
{
    if (pgw_password_kind(stored) != PGW_HASH_ARGON2ID) {
        return 1;
    }
    return argon2id_weaker(stored, cost);
}

/* Verifying an argon2id hash is decoding it, one argon2id computation at
 * its parameters and a 32-byte comparison; the computation is all of the
 * time. Running it at the configured cost with a fixed salt costs the
 * same without a stored hash to compute, cache or lock (ASVS 5.0
 * V6.3.8). */
void pgw_password_dummy_verify(const char *password, const pgw_pwcost_t *cost)
{
    static const unsigned char salt[crypto_pwhash_SALTBYTES] = {0};
    unsigned char out[32]; /* what crypto_pwhash_str() derives */
    int rc;

    if (password == NULL) {
        password = "";
    }
    rc = crypto_pwhash(out, sizeof(out), password, strlen(password), salt,
                       cost->opslimit, cost->memlimit,
                       crypto_pwhash_ALG_ARGON2ID13);
    if (rc == 0) {
        sodium_memzero(out, sizeof(out));
    }
}
