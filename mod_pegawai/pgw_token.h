/* Random tokens for sessions, CSRF and device cookies (ASVS V7.2).
 * Tokens are 256 bits from libsodium's randombytes, written as 43
 * base64url characters without padding. Only their SHA-256 (64 lower-case
 * hex digits) is stored.
 */
#ifndef PGW_TOKEN_H
#define PGW_TOKEN_H

#include <apr_pools.h>

#define PGW_TOKEN_BYTES      32
#define PGW_TOKEN_CHARS      43
#define PGW_TOKEN_HASH_CHARS 64

/* A new random token, pool memory. */
const char *pgw_token_new(apr_pool_t *p);

/* True when s has the exact shape of a token (43 base64url chars). */
int pgw_token_is_wellformed(const char *s);

/* Lower-case hex SHA-256 of the token text, pool memory. */
const char *pgw_token_hash(apr_pool_t *p, const char *token);

/* Lower-case hex SHA-256 of len bytes (a photo's ETag), pool memory. */
const char *pgw_token_hash_bytes(apr_pool_t *p, const void *data,
                                 apr_size_t len);

/* Constant-time equality of two NUL-terminated strings (the lengths may
 * leak, the contents do not). */
int pgw_token_equal(const char *a, const char *b);

#endif
