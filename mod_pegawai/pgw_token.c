/* Session, CSRF and device tokens: 256 random bits in base64url, stored
 * only as their SHA-256 so that a copy of the database holds no usable
 * token (ASVS 5.0 V7.2).
 */
#include <string.h>

#include <sodium.h>
#include <apr_strings.h>

#include "pgw_token.h"

#define TOKEN_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

const char *pgw_token_new(apr_pool_t *p)
{
    unsigned char raw[PGW_TOKEN_BYTES];
    char *text = apr_palloc(p, PGW_TOKEN_CHARS + 1);

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(text, PGW_TOKEN_CHARS + 1, raw, sizeof(raw),
                      TOKEN_VARIANT);
    sodium_memzero(raw, sizeof(raw));
    return text;
}

/* Decoding, rather than checking the alphabet, also refuses a last
 * character with stray low bits: each token then has exactly one text,
 * and so exactly one hash. */
int pgw_token_is_wellformed(const char *s)
{
    unsigned char raw[PGW_TOKEN_BYTES];
    size_t raw_len;
    const char *end;
    int rc;

    if (s == NULL || strnlen(s, PGW_TOKEN_CHARS + 1) != PGW_TOKEN_CHARS) {
        return 0;
    }
    rc = sodium_base642bin(raw, sizeof(raw), s, PGW_TOKEN_CHARS, NULL, &raw_len,
                           &end, TOKEN_VARIANT);
    return rc == 0 && raw_len == PGW_TOKEN_BYTES && end == s + PGW_TOKEN_CHARS;
}

const char *pgw_token_hash_bytes(apr_pool_t *p, const void *data,
                                 apr_size_t len)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    char *hex = apr_palloc(p, PGW_TOKEN_HASH_CHARS + 1);

    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(hex, PGW_TOKEN_HASH_CHARS + 1, digest, sizeof(digest));
    return hex;
}

const char *pgw_token_hash(apr_pool_t *p, const char *token)
{
    return pgw_token_hash_bytes(p, token, strlen(token));
}

int pgw_token_equal(const char *a, const char *b)
{
    apr_size_t len;

    if (a == NULL || b == NULL) {
        return 0;
    }
    len = strlen(a);
    if (strlen(b) != len) {
        return 0;
    }
    return sodium_memcmp(a, b, len) == 0;
}
