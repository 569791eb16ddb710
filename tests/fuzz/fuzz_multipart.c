/* libFuzzer target for pgw_multipart.c and Upload Foto's callbacks
 * (pgw_upload.c), which run under every part as they do in httpd. The
 * first two bytes of the input seed the split points, the rest is a body
 * with the boundary "b0undary". The body is parsed twice, in one chunk
 * and in random chunks: both must end with the same status, and when
 * they succeed, report the same parts, the same data and the same photo
 * and token. The bytes are also tried as a Content-Type value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_buf.h"
#include "pgw_multipart.h"
#include "pgw_upload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static apr_pool_t *root;

/* A small photo, so that the fuzzer reaches its limit. */
#define MAX_PHOTO 512

/* What one parse saw: the callbacks' record and the upload collected. */
typedef struct seen_t {
    pgw_buf_t *log;
    pgw_upload_t upload;
    pgw_multipart_limits_t limits;
} seen_t;

static void check_upload(const pgw_upload_t *u)
{
    if (u->photo_len > MAX_PHOTO || u->csrf_len > PGW_UPLOAD_FIELD_MAX
        || u->csrf[u->csrf_len] != '\0'
        || (u->photo_len > 0 && u->photo == NULL)) {
        abort();
    }
}

static apr_status_t on_part(void *ctx, pgw_multipart_part_t *part,
                            const char **errmsg)
{
    seen_t *seen = ctx;
    apr_status_t rv;

    if (part->index >= seen->limits.max_parts || part->name == NULL) {
        abort();
    }
    rv = pgw_upload_callbacks.on_part(&seen->upload, part, errmsg);
    check_upload(&seen->upload);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    pgw_buf_puts(seen->log, "[");
    pgw_buf_puts(seen->log, part->name);
    pgw_buf_puts(seen->log, part->filename ? part->filename : "(none)");
    pgw_buf_puts(seen->log, part->content_type ? part->content_type : "(none)");
    pgw_buf_puts(seen->log, "]");
    return APR_SUCCESS;
}

static apr_status_t on_data(void *ctx, pgw_multipart_part_t *part,
                            const char *data, apr_size_t len,
                            const char **errmsg)
{
    seen_t *seen = ctx;
    apr_status_t rv;

    if (len == 0 || part->size > part->max_size) {
        abort();
    }
    rv = pgw_upload_callbacks.on_data(&seen->upload, part, data, len, errmsg);
    check_upload(&seen->upload);
    if (rv == APR_SUCCESS) {
        pgw_buf_append(seen->log, data, len);
    }
    return rv;
}

static apr_status_t on_part_end(void *ctx, pgw_multipart_part_t *part,
                                const char **errmsg)
{
    pgw_buf_puts(((seen_t *)ctx)->log, "<end>");
    return APR_SUCCESS;
}

static const pgw_multipart_callbacks_t callbacks = {on_part, on_data,
                                                    on_part_end};

static apr_status_t parse(apr_pool_t *p, const char *body, size_t len,
                          unsigned int seed, seen_t *seen)
{
    pgw_multipart_t *mp;
    const char *err = NULL;
    apr_status_t rv;
    size_t n;

    seen->log = pgw_buf_make(p, 256);
    pgw_upload_init(&seen->upload, p, MAX_PHOTO, &seen->limits);
    /* The body limit is left out: in one chunk it is checked before
     * parsing, in many after some parts, so the two would differ. */
    seen->limits.max_body = 1 << 24;
    if (pgw_multipart_create(p, "b0undary", &seen->limits, &callbacks, seen,
                             &mp, &err)
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
    if (rv == APR_ENOSPC) {
        /* every limit refusal names a rule the glue has a message for */
        if (pgw_upload_refusal(&seen->upload, mp) > PGW_UPLOAD_FIELD_TOO_LONG) {
            abort();
        }
    }
    return rv;
}

static int same(const seen_t *a, const seen_t *b)
{
    return a->log->len == b->log->len
           && memcmp(a->log->data, b->log->data, a->log->len) == 0
           && a->upload.photo_len == b->upload.photo_len
           && (a->upload.photo_len == 0
               || memcmp(a->upload.photo, b->upload.photo, a->upload.photo_len)
                      == 0)
           && strcmp(a->upload.csrf, b->upload.csrf) == 0;
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
    seen_t whole, split;
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
    rv_whole = parse(p, (const char *)data + 2, size - 2, 0, &whole);
    rv_split = parse(p, (const char *)data + 2, size - 2, seed, &split);
    if (rv_whole != rv_split
        || (rv_whole == APR_SUCCESS && !same(&whole, &split))) {
        abort();
    }
    check_boundary(p, data + 2, size - 2);
    apr_pool_destroy(p);
    return 0;
}
