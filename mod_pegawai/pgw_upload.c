/* Upload Foto's form from the multipart callbacks (pgw_upload.h). */
#include <string.h>

#include "pgw_upload.h"

static int is_part(const pgw_multipart_part_t *part, const char *name)
{
    return part->name && !strcmp(part->name, name);
}

static apr_status_t on_part(void *ctx, pgw_multipart_part_t *part,
                            const char **errmsg)
{
    pgw_upload_t *u = ctx;

    if (is_part(part, "foto")) {
        if (++u->photo_parts > 1) {
            *errmsg = "more than one foto part";
            return APR_EINVAL;
        }
        /* One byte more than allowed, so that "too large" is told apart
         * from "exactly the limit" by on_data. */
        part->max_size = u->max_photo + 1;
        u->photo = apr_palloc(u->pool, u->max_photo + 1);
    }
    else if (is_part(part, "csrf_token") && ++u->csrf_parts > 1) {
        /* One token, one buffer: a second part would append to it. */
        *errmsg = "more than one csrf_token part";
        return APR_EINVAL;
    }
    else {
        part->max_size = PGW_UPLOAD_FIELD_MAX;
    }
    return APR_SUCCESS;
}

static apr_status_t on_data(void *ctx, pgw_multipart_part_t *part,
                            const char *data, apr_size_t len,
                            const char **errmsg)
{
    pgw_upload_t *u = ctx;

    if (is_part(part, "foto")) {
        if (len > u->max_photo - u->photo_len) {
            u->too_large = 1;
            *errmsg = "photo over the configured size";
            return APR_ENOSPC;
        }
        memcpy(u->photo + u->photo_len, data, len);
        u->photo_len += len;
    }
    else if (is_part(part, "csrf_token")) {
        /* The part's max_size bounds one part; this bounds the buffer
         * whatever the parser lets through. */
        if (len > PGW_UPLOAD_FIELD_MAX - u->csrf_len) {
            *errmsg = "csrf_token over its size";
            return APR_ENOSPC;
        }
        memcpy(u->csrf + u->csrf_len, data, len);
        u->csrf_len += len;
        u->csrf[u->csrf_len] = '\0';
    }
    return APR_SUCCESS;
}

const pgw_multipart_callbacks_t pgw_upload_callbacks = {on_part, on_data, NULL};

void pgw_upload_init(pgw_upload_t *u, apr_pool_t *p, apr_size_t max_photo,
                     pgw_multipart_limits_t *limits)
{
    memset(u, 0, sizeof(*u));
    u->pool = p;
    u->max_photo = max_photo;
    memset(limits, 0, sizeof(*limits));
    limits->max_body = (apr_off_t)(max_photo + PGW_UPLOAD_BODY_OVERHEAD);
    limits->max_parts = PGW_UPLOAD_MAX_PARTS;
    limits->max_header_bytes = PGW_UPLOAD_MAX_HEADER_BYTES;
    limits->max_headers = PGW_UPLOAD_MAX_HEADERS;
    limits->max_part_size = PGW_UPLOAD_FIELD_MAX;
}

pgw_upload_refusal_e pgw_upload_refusal(const pgw_upload_t *u,
                                        const pgw_multipart_t *parser)
{
    const pgw_multipart_part_t *part = pgw_multipart_failed_part(parser);

    if (u->too_large) {
        return PGW_UPLOAD_PHOTO_TOO_LARGE;
    }
    switch (pgw_multipart_exceeded(parser)) {
    case PGW_MULTIPART_OVER_PARTS:
        return PGW_UPLOAD_TOO_MANY_PARTS;
    case PGW_MULTIPART_OVER_HEADER_BYTES:
        return PGW_UPLOAD_HEADER_TOO_LONG;
    case PGW_MULTIPART_OVER_HEADERS:
        return PGW_UPLOAD_TOO_MANY_HEADERS;
    case PGW_MULTIPART_OVER_PART_SIZE:
        return part && is_part(part, "foto") ? PGW_UPLOAD_PHOTO_TOO_LARGE
                                             : PGW_UPLOAD_FIELD_TOO_LONG;
    case PGW_MULTIPART_OVER_BODY:
        /* the body's limit is the photo's and the form's overhead */
        return PGW_UPLOAD_PHOTO_TOO_LARGE;
    default:
        /* on_data's own bound of the token's buffer */
        return PGW_UPLOAD_FIELD_TOO_LONG;
    }
}
