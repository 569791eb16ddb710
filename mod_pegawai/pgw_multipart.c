/* The streaming multipart/form-data parser (RFC 7578, RFC 2046 section
 * 5.1). It is a byte-driven state machine so that a chunk may end
 * anywhere: inside a header line, inside a CRLF, inside the delimiter.
 *
 * The delimiter is CRLF "--" boundary. Only its first byte is a CR and
 * the boundary itself holds no CR (RFC 2046 bchars), so a partial match
 * can only restart at a CR: a partial match that fails is delivered as
 * data, and the bytes held back are always a prefix of the delimiter,
 * which the parser owns. No part data is ever copied or buffered.
 */
#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "pgw_multipart.h"
#include "pgw_utf8.h"

typedef enum {
    MP_PREAMBLE,    /* before the first delimiter: ignored */
    MP_AFTER_DELIM, /* a delimiter was read: "--", padding or CRLF next */
    MP_CLOSE,       /* "-" read after the delimiter: the second "-" next */
    MP_PADDING,     /* transport padding (LWSP) before the CRLF */
    MP_DELIM_LF,    /* the LF ending the delimiter line */
    MP_HEADERS,     /* a part's header lines */
    MP_HEADER_LF,   /* the LF after a CR in the headers */
    MP_DATA,        /* a part's data, up to the next delimiter */
    MP_EPILOGUE,    /* after the close delimiter: ignored */
    MP_FAILED
} mp_state_e;

struct pgw_multipart_t {
    apr_pool_t *pool;
    pgw_multipart_limits_t limits;
    pgw_multipart_callbacks_t cb;
    void *ctx;
    char *delim; /* CRLF "--" boundary */
    apr_size_t delim_len;
    apr_size_t matched; /* delimiter bytes matched and held back */
    mp_state_e state;
    apr_off_t body_len;
    apr_size_t part_count;
    pgw_multipart_part_t *part; /* the current part */
    char *line;                 /* the header line being read */
    apr_size_t line_len;
    apr_size_t head_len; /* bytes of the part's header block so far */
    apr_size_t header_count;
    apr_status_t rv; /* once failed: the status and message */
    const char *errmsg;
    pgw_multipart_limit_e exceeded; /* the limit that failed it, if any */
};

static void mp_fail(pgw_multipart_t *mp, apr_status_t rv, const char *msg)
{
    mp->state = MP_FAILED;
    mp->rv = rv;
    mp->errmsg = msg;
}

/* A limit's refusal: APR_ENOSPC, and which limit it was. */
static void mp_over(pgw_multipart_t *mp, pgw_multipart_limit_e limit,
                    const char *msg)
{
    mp_fail(mp, APR_ENOSPC, msg);
    mp->exceeded = limit;
}

/* A callback's refusal becomes the parser's. */
static void mp_callback_result(pgw_multipart_t *mp, apr_status_t rv,
                               const char *msg)
{
    if (rv != APR_SUCCESS) {
        mp_fail(mp, rv, msg ? msg : "multipart part refused by its handler");
    }
}

/* ------------------------------------------------ tokens and parameters */

/* RFC 9110 section 5.6.2 tchar. */
static int mp_tchar(unsigned char c)
{
    return apr_isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

static void mp_skip_ows(const char **s)
{
    while (**s == ' ' || **s == '\t') {
        (*s)++;
    }
}

static const char *mp_token(apr_pool_t *p, const char **s)
{
    const char *start = *s;

    while (mp_tchar((unsigned char)**s)) {
        (*s)++;
    }
    return *s == start ? NULL : apr_pstrmemdup(p, start, *s - start);
}

/* RFC 9110 section 5.6.4: qdtext and the character after a backslash in
 * a quoted-pair; obs-text (bytes 0x80 to 0xFF) is allowed in both so
 * that UTF-8 file names pass (checked as UTF-8 later). */
static int mp_qchar(unsigned char c, int escaped)
{
    if (c == '\t' || c >= 0x80) {
        return 1;
    }
    if (c < 0x20 || c == 0x7f) {
        return 0;
    }
    return escaped || (c != '"' && c != '\\');
}

/* The quoted-string at *s (which starts with a DQUOTE), unescaped;
 * NULL when it is malformed or unterminated. */
static const char *mp_quoted(apr_pool_t *p, const char **s)
{
    const char *q = *s + 1;
    char *out = apr_palloc(p, strlen(q) + 1), *d = out;
    int escaped;

    while (*q != '"') {
        escaped = *q == '\\';
        q += escaped;
        if (!mp_qchar((unsigned char)*q, escaped)) {
            return NULL;
        }
        *d++ = *q++;
    }
    *d = '\0';
    *s = q + 1;
    return out;
}

/* One parameter "; name=value" at *s; the value a token or a
 * quoted-string. A repeated name is refused: two parsers picking
 * different copies is how form fields get smuggled. */
static apr_status_t mp_param(apr_pool_t *p, const char **s, apr_table_t *params,
                             const char **errmsg)
{
    const char *name, *value;

    name = mp_token(p, s);
    mp_skip_ows(s);
    if (name == NULL || **s != '=') {
        *errmsg = "malformed parameter in multipart header";
        return APR_EINVAL;
    }
    (*s)++;
    mp_skip_ows(s);
    value = **s == '"' ? mp_quoted(p, s) : mp_token(p, s);
    if (value == NULL) {
        *errmsg = "malformed parameter value in multipart header";
        return APR_EINVAL;
    }
    if (apr_table_get(params, name) != NULL) {
        *errmsg = "repeated parameter in multipart header";
        return APR_EINVAL;
    }
    apr_table_setn(params, name, value);
    return APR_SUCCESS;
}

/* The parameter list after a header's main value (RFC 9110 section
 * 5.6.6). A trailing ";" is tolerated. Names are case-insensitive. */
static apr_status_t mp_params(apr_pool_t *p, const char *s,
                              apr_table_t **params, const char **errmsg)
{
    apr_table_t *t = apr_table_make(p, 4);
    apr_status_t rv;

    for (;;) {
        mp_skip_ows(&s);
        if (*s == '\0') {
            break;
        }
        if (*s++ != ';') {
            *errmsg = "expected ';' before a parameter in multipart header";
            return APR_EINVAL;
        }
        mp_skip_ows(&s);
        if (*s == '\0') {
            break;
        }
        rv = mp_param(p, &s, t, errmsg);
        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
    *params = t;
    return APR_SUCCESS;
}

/* ------------------------------------------------------------ boundary */

/* RFC 2046 section 5.1.1: bcharsnospace and space, 1 to 70 of them,
 * not ending with a space. */
static int mp_boundary_ok(const char *b)
{
    apr_size_t i, len = strlen(b);

    if (len == 0 || len > PGW_MULTIPART_MAX_BOUNDARY || b[len - 1] == ' ') {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (!apr_isalnum(b[i]) && strchr("'()+_,-./:=? ", b[i]) == NULL) {
            return 0;
        }
    }
    return 1;
}

apr_status_t pgw_multipart_boundary(apr_pool_t *p, const char *content_type,
                                    const char **boundary, const char **errmsg)
{
    const char *s = content_type, *type, *subtype = NULL, *b;
    apr_table_t *params;
    apr_status_t rv;

    /* A request without a Content-Type header passes NULL. */
    if (s == NULL) {
        *errmsg = "Content-Type is not multipart/form-data";
        return APR_EINVAL;
    }
    mp_skip_ows(&s);
    type = mp_token(p, &s);
    if (type != NULL && *s == '/') {
        s++;
        subtype = mp_token(p, &s);
    }
    if (subtype == NULL || strcasecmp(type, "multipart") != 0
        || strcasecmp(subtype, "form-data") != 0) {
        *errmsg = "Content-Type is not multipart/form-data";
        return APR_EINVAL;
    }
    rv = mp_params(p, s, &params, errmsg);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    b = apr_table_get(params, "boundary");
    if (b == NULL || !mp_boundary_ok(b)) {
        *errmsg = "missing or invalid multipart boundary (RFC 2046 5.1.1)";
        return APR_EINVAL;
    }
    *boundary = b;
    return APR_SUCCESS;
}

apr_status_t pgw_multipart_create(apr_pool_t *p, const char *boundary,
                                  const pgw_multipart_limits_t *limits,
                                  const pgw_multipart_callbacks_t *callbacks,
                                  void *ctx, pgw_multipart_t **parser,
                                  const char **errmsg)
{
    pgw_multipart_t *mp;

    if (!mp_boundary_ok(boundary)) {
        *errmsg = "invalid multipart boundary (RFC 2046 5.1.1)";
        return APR_EINVAL;
    }
    mp = apr_pcalloc(p, sizeof(*mp));
    mp->pool = p;
    mp->limits = *limits;
    mp->cb = *callbacks;
    mp->ctx = ctx;
    mp->delim = apr_pstrcat(p, "\r\n--", boundary, NULL);
    mp->delim_len = strlen(mp->delim);
    mp->line = apr_palloc(p, limits->max_header_bytes + 1);
    mp->state = MP_PREAMBLE;
    /* The first delimiter may open the body without a CRLF before it
     * (RFC 2046 5.1.1, the dash-boundary): start as if one was read. */
    mp->matched = 2;
    *parser = mp;
    return APR_SUCCESS;
}

/* ----------------------------------------------------------- part data */

static void mp_deliver(pgw_multipart_t *mp, const char *s, apr_size_t n)
{
    pgw_multipart_part_t *part = mp->part;
    const char *msg = NULL;
    apr_status_t rv;

    if (mp->state != MP_DATA || n == 0) {
        return; /* preamble: ignored */
    }
    if (n > part->max_size - part->size) {
        mp_over(mp, PGW_MULTIPART_OVER_PART_SIZE,
                "multipart part larger than its limit");
        return;
    }
    part->size += n;
    if (mp->cb.on_data != NULL) {
        rv = mp->cb.on_data(mp->ctx, part, s, n, &msg);
        mp_callback_result(mp, rv, msg);
    }
}

static void mp_delimiter_seen(pgw_multipart_t *mp)
{
    const char *msg = NULL;
    apr_status_t rv;

    mp->matched = 0;
    if (mp->state == MP_DATA && mp->cb.on_part_end != NULL) {
        rv = mp->cb.on_part_end(mp->ctx, mp->part, &msg);
        mp_callback_result(mp, rv, msg);
    }
    if (mp->state != MP_FAILED) {
        mp->state = MP_AFTER_DELIM;
    }
}

/* Continues a match held back from the previous chunk, one byte. On a
 * mismatch the held bytes were data and s[0] is examined again. */
static apr_size_t mp_scan_held(pgw_multipart_t *mp, const char *s)
{
    apr_size_t held = mp->matched;

    if (*s == mp->delim[held]) {
        if (++mp->matched == mp->delim_len) {
            mp_delimiter_seen(mp);
        }
        return 1;
    }
    mp->matched = 0;
    mp_deliver(mp, mp->delim, held);
    return 0;
}

/* Delivers s up to the delimiter, up to a possible start of it at the
 * end of s (held back), or all of it; returns the bytes consumed. */
static apr_size_t mp_scan(pgw_multipart_t *mp, const char *s, apr_size_t len)
{
    const char *cr;
    apr_size_t at, tail, pos = 0;

    if (mp->matched > 0) {
        return mp_scan_held(mp, s);
    }
    while ((cr = memchr(s + pos, '\r', len - pos)) != NULL) {
        at = cr - s;
        tail = len - at;
        if (tail >= mp->delim_len && !memcmp(cr, mp->delim, mp->delim_len)) {
            mp_deliver(mp, s, at);
            if (mp->state != MP_FAILED) {
                mp_delimiter_seen(mp);
            }
            return at + mp->delim_len;
        }
        if (tail < mp->delim_len && !memcmp(cr, mp->delim, tail)) {
            mp_deliver(mp, s, at);
            mp->matched = tail;
            return len;
        }
        pos = at + 1;
    }
    mp_deliver(mp, s, len);
    return len;
}

/* ------------------------------------------------------- part headers */

static apr_status_t mp_disposition(pgw_multipart_t *mp, const char *value,
                                   const char **errmsg)
{
    const char *s = value, *type, *name, *filename;
    apr_table_t *params;
    apr_status_t rv;

    type = mp_token(mp->pool, &s);
    if (type == NULL || strcasecmp(type, "form-data") != 0) {
        *errmsg = "multipart part is not Content-Disposition: form-data";
        return APR_EINVAL;
    }
    rv = mp_params(mp->pool, s, &params, errmsg);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    /* filename* (RFC 5987) is ignored: RFC 7578 section 4.2 forbids it */
    name = apr_table_get(params, "name");
    filename = apr_table_get(params, "filename");
    if (name == NULL || *name == '\0' || !pgw_utf8_valid(name, strlen(name))
        || (filename && !pgw_utf8_valid(filename, strlen(filename)))) {
        *errmsg = "multipart part without a name, or not UTF-8";
        return APR_EINVAL;
    }
    mp->part->name = name;
    mp->part->filename = filename;
    return APR_SUCCESS;
}

static void mp_headers_done(pgw_multipart_t *mp)
{
    pgw_multipart_part_t *part = mp->part;
    const char *cd = apr_table_get(part->headers, "Content-Disposition");
    const char *msg = "multipart part without Content-Disposition";
    apr_status_t rv = APR_EINVAL;

    if (cd != NULL) {
        rv = mp_disposition(mp, cd, &msg);
    }
    if (rv != APR_SUCCESS) {
        mp_fail(mp, rv, msg);
        return;
    }
    part->content_type = apr_table_get(part->headers, "Content-Type");
    mp->state = MP_DATA;
    msg = NULL;
    if (mp->cb.on_part != NULL) {
        rv = mp->cb.on_part(mp->ctx, part, &msg);
        mp_callback_result(mp, rv, msg);
    }
}

/* A field value: VCHAR, obs-text, SP and HTAB only (RFC 9110 5.5). */
static int mp_value_ok(const char *v)
{
    for (; *v; v++) {
        if (((unsigned char)*v < 0x20 && *v != '\t') || *v == 0x7f) {
            return 0;
        }
    }
    return 1;
}

static int mp_header_is(const char *name, const char *which)
{
    return strcasecmp(name, which) == 0;
}

/* One complete header line, "name: value" (RFC 9110 section 5; obs-fold
 * is refused as RFC 9112 section 5.2 allows). Content-Disposition and
 * Content-Type may appear once. */
static void mp_header_line(pgw_multipart_t *mp)
{
    const char *s = mp->line, *name, *end;
    apr_table_t *headers = mp->part->headers;
    char *value;

    mp->line[mp->line_len] = '\0';
    mp->line_len = 0;
    name = mp_token(mp->pool, &s);
    if (name == NULL || *s++ != ':') {
        mp_fail(mp, APR_EINVAL, "malformed multipart header line");
        return;
    }
    if (++mp->header_count > mp->limits.max_headers) {
        mp_over(mp, PGW_MULTIPART_OVER_HEADERS,
                "more multipart headers than the limit");
        return;
    }
    mp_skip_ows(&s);
    for (end = s + strlen(s); end > s && (end[-1] == ' ' || end[-1] == '\t');
         end--) {
    }
    value = apr_pstrmemdup(mp->pool, s, end - s);
    if (!mp_value_ok(value)
        || ((mp_header_is(name, "Content-Disposition")
             || mp_header_is(name, "Content-Type"))
            && apr_table_get(headers, name) != NULL)) {
        mp_fail(mp, APR_EINVAL, "bad or repeated multipart header");
        return;
    }
    apr_table_addn(headers, name, value);
}

static int mp_header_bytes_ok(pgw_multipart_t *mp)
{
    if (++mp->head_len > mp->limits.max_header_bytes) {
        mp_over(mp, PGW_MULTIPART_OVER_HEADER_BYTES,
                "multipart headers longer than the limit");
        return 0;
    }
    return 1;
}

static void mp_header_byte(pgw_multipart_t *mp, char c)
{
    if (!mp_header_bytes_ok(mp)) {
        return;
    }
    if (c == '\r') {
        mp->state = MP_HEADER_LF;
    }
    else if (c == '\n' || c == '\0') {
        /* a NUL would end the line early for the C string parsing below */
        mp_fail(mp, APR_EINVAL, "bare LF or NUL in multipart headers");
    }
    else {
        mp->line[mp->line_len++] = c;
    }
}

static void mp_header_lf(pgw_multipart_t *mp, char c)
{
    if (!mp_header_bytes_ok(mp)) {
        return;
    }
    if (c != '\n') {
        mp_fail(mp, APR_EINVAL, "CR without LF in multipart headers");
    }
    else if (mp->line_len == 0) {
        mp_headers_done(mp);
    }
    else {
        mp->state = MP_HEADERS;
        if (mp->line[0] == ' ' || mp->line[0] == '\t') {
            mp_fail(mp, APR_EINVAL, "folded multipart header line");
            return;
        }
        mp_header_line(mp);
    }
}

/* ------------------------------------------------- delimiter line end */

static void mp_part_begin(pgw_multipart_t *mp)
{
    pgw_multipart_part_t *part;

    if (mp->part_count == mp->limits.max_parts) {
        mp_over(mp, PGW_MULTIPART_OVER_PARTS,
                "more multipart parts than the limit");
        return;
    }
    part = apr_pcalloc(mp->pool, sizeof(*part));
    part->index = mp->part_count++;
    part->headers = apr_table_make(mp->pool, 4);
    part->max_size = mp->limits.max_part_size;
    mp->part = part;
    mp->line_len = 0;
    mp->head_len = 0;
    mp->header_count = 0;
    mp->state = MP_HEADERS;
}

/* What may follow a delimiter (RFC 2046 section 5.1.1): "--" for the
 * close delimiter, else transport padding (spaces, tabs) and CRLF.
 * Anything else means the boundary occurred inside the data, which the
 * sender must never let happen. */
static void mp_delimiter_tail(pgw_multipart_t *mp, char c)
{
    int blank = c == ' ' || c == '\t';

    if (mp->state == MP_AFTER_DELIM && c == '-') {
        mp->state = MP_CLOSE;
    }
    else if (mp->state == MP_CLOSE && c == '-') {
        mp->state = MP_EPILOGUE;
        if (mp->part_count == 0) {
            mp_fail(mp, APR_EINVAL, "multipart body without a part");
        }
    }
    else if ((mp->state == MP_AFTER_DELIM || mp->state == MP_PADDING)
             && (blank || c == '\r')) {
        mp->state = blank ? MP_PADDING : MP_DELIM_LF;
    }
    else if (mp->state == MP_DELIM_LF && c == '\n') {
        mp_part_begin(mp);
    }
    else {
        mp_fail(mp, APR_EINVAL, "malformed multipart delimiter line");
    }
}

/* ----------------------------------------------------------- the feed */

/* Runs the state machine over s; returns the bytes consumed (0 only
 * when a held-back match turned out to be data, which is then
 * delivered: every call makes progress). */
static apr_size_t mp_step(pgw_multipart_t *mp, const char *s, apr_size_t len)
{
    switch (mp->state) {
    case MP_PREAMBLE:
    case MP_DATA:
        return mp_scan(mp, s, len);
    case MP_HEADERS:
        mp_header_byte(mp, *s);
        return 1;
    case MP_HEADER_LF:
        mp_header_lf(mp, *s);
        return 1;
    case MP_EPILOGUE:
        return len;
    default:
        mp_delimiter_tail(mp, *s);
        return 1;
    }
}

apr_status_t pgw_multipart_feed(pgw_multipart_t *mp, const char *data,
                                apr_size_t len, const char **errmsg)
{
    apr_size_t used;

    if (mp->state != MP_FAILED
        && (apr_off_t)len > mp->limits.max_body - mp->body_len) {
        mp_over(mp, PGW_MULTIPART_OVER_BODY,
                "multipart body larger than the limit");
    }
    mp->body_len += len;
    while (len > 0 && mp->state != MP_FAILED) {
        used = mp_step(mp, data, len);
        data += used;
        len -= used;
    }
    if (mp->state == MP_FAILED) {
        *errmsg = mp->errmsg;
        return mp->rv;
    }
    return APR_SUCCESS;
}

apr_status_t pgw_multipart_finish(pgw_multipart_t *mp, const char **errmsg)
{
    if (mp->state != MP_EPILOGUE && mp->state != MP_FAILED) {
        mp_fail(mp, APR_EINVAL, "multipart close delimiter missing");
    }
    if (mp->state == MP_FAILED) {
        *errmsg = mp->errmsg;
        return mp->rv;
    }
    return APR_SUCCESS;
}

pgw_multipart_limit_e pgw_multipart_exceeded(const pgw_multipart_t *mp)
{
    return mp->state == MP_FAILED ? mp->exceeded : PGW_MULTIPART_WITHIN_LIMITS;
}

const pgw_multipart_part_t *pgw_multipart_failed_part(const pgw_multipart_t *mp)
{
    return mp->state == MP_FAILED ? mp->part : NULL;
}
