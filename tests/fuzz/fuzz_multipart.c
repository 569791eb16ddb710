/* libFuzzer target for pgw_multipart.c. The first two bytes of the input
 * seed the split points, the rest is a body with the boundary "b0undary".
 * The body is parsed twice, in one chunk and in random chunks: both must
 * end with the same status, and when they succeed, report the same parts
 * and the same data. The bytes are also tried as a Content-Type value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_buf.h"
#include "pgw_multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static apr_pool_t *root;

/* Small limits so that the fuzzer reaches them; the body limit is
 * never reached, since in one chunk it is checked before parsing. */
static const pgw_multipart_limits_t limits = {1 << 24, 4, 256, 4, 512};

static apr_status_t on_part(void *ctx, pgw_multipart_part_t *part,
                            const char **errmsg)
{
    pgw_buf_t *log = ctx;

    if (part->index >= limits.max_parts || part->name == NULL) {
        abort();
    }
    pgw_buf_puts(log, "[");
    pgw_buf_puts(log, part->name);
    pgw_buf_puts(log, part->filename ? part->filename : "(none)");
    pgw_buf_puts(log, part->content_type ? part->content_type : "(none)");
    pgw_buf_puts(log, "]");
    return APR_SUCCESS;
}

static apr_status_t on_data(void *ctx, pgw_multipart_part_t *part,
                            const char *data, apr_size_t len,
                            const char **errmsg)
{
    if (len == 0 || part->size > part->max_size) {
        abort();
    }
    pgw_buf_append(ctx, data, len);
    return APR_SUCCESS;
}

static apr_status_t on_part_end(void *ctx, pgw_multipart_part_t *part,
                                const char **errmsg)
{
    pgw_buf_puts(ctx, "<end>");
    return APR_SUCCESS;
}

static const pgw_multipart_callbacks_t callbacks = {on_part, on_data,
                                                    on_part_end};

static apr_status_t parse(apr_pool_t *p, const char *body, size_t len,
                          unsigned int seed, pgw_buf_t *log)
{
    pgw_multipart_t *mp;
    const char *err = NULL;
    apr_status_t rv;
    size_t n;

    if (pgw_multipart_create(p, "b0undary", &limits, &callbacks, log, &mp, &err)
        != APR_SUCCESS) {
        abort();
    }
    do {
        n = seed ? rand_r(&seed) % 17 : len; /* 0 (an empty chunk) to 16 */
        n = n < len ? n : len;
        rv = pgw_multipart_feed(mp, body, n, &err);
        body += n;
        len -= n;
    } while (rv == APR_SUCCESS && len > 0);
    if (rv == APR_SUCCESS) {
        rv = pgw_multipart_finish(mp, &err);
    }
    if (rv != APR_SUCCESS
        && (err == NULL || (rv != APR_EINVAL && rv != APR_ENOSPC))) {
        abort();
    }
    return rv;
}

static void check_boundary(apr_pool_t *p, const uint8_t *data, size_t size)
{
    const char *ct =
        apr_pstrmemdup(p, (const char *)data, size < 256 ? size : 256);
    const char *b = NULL, *err = NULL;
    apr_size_t i, len;

    if (pgw_multipart_boundary(p, ct, &b, &err) != APR_SUCCESS) {
        if (b != NULL || err == NULL) {
            abort();
        }
        return;
    }
    len = strlen(b);
    if (len == 0 || len > PGW_MULTIPART_MAX_BOUNDARY) {
        abort();
    }
    for (i = 0; i < len; i++) {
        if (b[i] == '\r' || b[i] == '\n' || b[i] == '"') {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pgw_buf_t *whole, *split;
    apr_status_t rv_whole, rv_split;
    unsigned int seed;
    apr_pool_t *p;

    if (root == NULL) {
        apr_initialize();
        apr_pool_create(&root, NULL);
    }
    if (size < 2) {
        return 0;
    }
    apr_pool_create(&p, root);
    seed = 1u + data[0] + 256u * data[1];
    whole = pgw_buf_make(p, 256);
    split = pgw_buf_make(p, 256);
    rv_whole = parse(p, (const char *)data + 2, size - 2, 0, whole);
    rv_split = parse(p, (const char *)data + 2, size - 2, seed, split);
    if (rv_whole != rv_split
        || (rv_whole == APR_SUCCESS
            && (whole->len != split->len
                || memcmp(whole->data, split->data, whole->len) != 0))) {
        abort();
    }
    check_boundary(p, data + 2, size - 2);
    apr_pool_destroy(p);
    return 0;
}
