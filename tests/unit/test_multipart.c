/* Unit tests of pgw_multipart.c: the boundary parameter, the streaming
 * parser under every way of splitting a body, and each refusal. */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_buf.h"
#include "pgw_multipart.h"

static apr_pool_t *pool;
static const pgw_multipart_limits_t limits = {65536, 8, 512, 8, 4096};

#define BOUNDARY "----b0undary'()+_,-./:=?"

/* A form as browsers send it: a text field, the token, a file. */
static const char sample[] =
    "--" BOUNDARY "\r\n"
    "Content-Disposition: form-data; name=\"csrf_token\"\r\n"
    "\r\n"
    "abc123\r\n"
    "--" BOUNDARY "\r\n"
    "Content-Disposition: form-data; name=\"foto\"; filename=\"a.jpg\"\r\n"
    "Content-Type: image/jpeg\r\n"
    "\r\n"
    "\xff\xd8\r\n\r\n-" BOUNDARY "\r\r--" BOUNDARY "\r\n-\xff\xd9\r\n"
    "--" BOUNDARY "--\r\n";

static const char sample_events[] =
    "[csrf_token||]abc123<end>"
    "[foto|a.jpg|image/jpeg]\xff\xd8\r\n\r\n-" BOUNDARY "\r\r--" BOUNDARY
    "\r\n-\xff\xd9<end>";

/* What the callbacks saw, as "[name|filename|type]data<end>" per part. */
typedef struct events_t {
    pgw_buf_t *log;
    const char *big_field; /* a field allowed 16 KiB */
    int refuse_data;
} events_t;

static apr_status_t on_part(void *ctx, pgw_multipart_part_t *part,
                            const char **errmsg)
{
    events_t *ev = ctx;

    pgw_buf_puts(ev->log,
                 apr_psprintf(pool, "[%s|%s|%s]", part->name,
                              part->filename ? part->filename : "",
                              part->content_type ? part->content_type : ""));
    if (ev->big_field && strcmp(part->name, ev->big_field) == 0) {
        part->max_size = 16384;
    }
    return APR_SUCCESS;
}

static apr_status_t on_data(void *ctx, pgw_multipart_part_t *part,
                            const char *data, apr_size_t len,
                            const char **errmsg)
{
    events_t *ev = ctx;

    ck_assert_uint_gt(len, 0);
    if (ev->refuse_data) {
        *errmsg = "test refuses data";
        return APR_EGENERAL;
    }
    pgw_buf_append(ev->log, data, len);
    return APR_SUCCESS;
}

static apr_status_t on_part_end(void *ctx, pgw_multipart_part_t *part,
                                const char **errmsg)
{
    pgw_buf_puts(((events_t *)ctx)->log, "<end>");
    return APR_SUCCESS;
}

static const pgw_multipart_callbacks_t callbacks = {on_part, on_data,
                                                    on_part_end};

static void setup(void)
{
    ck_assert_int_eq(apr_pool_create(&pool, NULL), APR_SUCCESS);
}

static void teardown(void)
{
    apr_pool_destroy(pool);
}

static pgw_multipart_t *parser(events_t *ev, const pgw_multipart_limits_t *l)
{
    pgw_multipart_t *mp;
    const char *err = NULL;

    memset(ev, 0, sizeof(*ev));
    ev->log = pgw_buf_make(pool, 256);
    ck_assert_int_eq(
        pgw_multipart_create(pool, BOUNDARY, l, &callbacks, ev, &mp, &err),
        APR_SUCCESS);
    return mp;
}

/* Feeds body in chunks ending at the offsets in cuts (ascending, ended
 * by the body's length), then finishes. */
static apr_status_t feed_cuts(pgw_multipart_t *mp, const char *body,
                              const apr_size_t *cuts, int ncuts,
                              const char **err)
{
    apr_size_t from = 0;
    apr_status_t rv = APR_SUCCESS;
    int i;

    for (i = 0; i < ncuts && rv == APR_SUCCESS; i++) {
        rv = pgw_multipart_feed(mp, body + from, cuts[i] - from, err);
        from = cuts[i];
    }
    if (rv == APR_SUCCESS) {
        rv = pgw_multipart_finish(mp, err);
    }
    return rv;
}

static apr_status_t run_with(const char *body, apr_size_t len,
                             const pgw_multipart_limits_t *l, events_t *ev,
                             const char **err)
{
    pgw_multipart_t *mp = parser(ev, l);

    *err = NULL;
    return feed_cuts(mp, body, &len, 1, err);
}

static apr_status_t run(const char *body, events_t *ev, const char **err)
{
    return run_with(body, strlen(body), &limits, ev, err);
}

static void assert_sample(events_t *ev)
{
    ck_assert_uint_eq(ev->log->len, sizeof(sample_events) - 1);
    ck_assert_mem_eq(ev->log->data, sample_events, ev->log->len);
}

/* ------------------------------------------------------------ boundary */

static apr_status_t boundary(const char *ct, const char **b)
{
    const char *err = NULL;
    apr_status_t rv;

    *b = NULL;
    rv = pgw_multipart_boundary(pool, ct, b, &err);
    if (rv != APR_SUCCESS) {
        ck_assert_ptr_nonnull(err);
        ck_assert_ptr_null(*b);
    }
    return rv;
}

START_TEST(boundary_valid)
{
    const char *b;

    ck_assert_int_eq(boundary("multipart/form-data; boundary=abc", &b),
                     APR_SUCCESS);
    ck_assert_str_eq(b, "abc");
    ck_assert_int_eq(boundary("Multipart/Form-Data;BOUNDARY=\"a b:c\"", &b),
                     APR_SUCCESS);
    ck_assert_str_eq(b, "a b:c");
    ck_assert_int_eq(boundary("multipart/form-data; charset=utf-8; "
                              "boundary=----WebKitFormBoundaryx7Jq",
                              &b),
                     APR_SUCCESS);
    ck_assert_str_eq(b, "----WebKitFormBoundaryx7Jq");
    ck_assert_int_eq(
        boundary("multipart/form-data; boundary=\"'()+_,-./:=?\"", &b),
        APR_SUCCESS);
    ck_assert_int_eq(
        boundary(apr_pstrcat(pool, "multipart/form-data; boundary=",
                             apr_psprintf(pool, "%070d", 7), NULL),
                 &b),
        APR_SUCCESS);
    ck_assert_uint_eq(strlen(b), 70);
}
END_TEST

START_TEST(boundary_invalid)
{
    const char *b;

    ck_assert_int_eq(boundary("multipart/mixed; boundary=abc", &b), APR_EINVAL);
    ck_assert_int_eq(boundary("text/plain", &b), APR_EINVAL);
    /* A request without the header. */
    ck_assert_int_eq(boundary(NULL, &b), APR_EINVAL);
    ck_assert_int_eq(boundary("multipart/form-data", &b), APR_EINVAL);
    ck_assert_int_eq(boundary("multipart/form-data; boundary=", &b),
                     APR_EINVAL);
    ck_assert_int_eq(boundary("multipart/form-data; boundary=\"\"", &b),
                     APR_EINVAL);
    ck_assert_int_eq(boundary("multipart/form-data; boundary=\"ab \"", &b),
                     APR_EINVAL);
    ck_assert_int_eq(boundary("multipart/form-data; boundary=a@b", &b),
                     APR_EINVAL);
    ck_assert_int_eq(boundary("multipart/form-data; boundary=\"a\r\nb\"", &b),
                     APR_EINVAL);
    ck_assert_int_eq(boundary("multipart/form-data; boundary=\"ab", &b),
                     APR_EINVAL);
    ck_assert_int_eq(
        boundary("multipart/form-data; boundary=a; boundary=b", &b),
        APR_EINVAL);
    ck_assert_int_eq(
        boundary(apr_pstrcat(pool, "multipart/form-data; boundary=",
                             apr_psprintf(pool, "%071d", 7), NULL),
                 &b),
        APR_EINVAL);
}
END_TEST

START_TEST(create_checks_boundary)
{
    pgw_multipart_t *mp = NULL;
    const char *err = NULL;

    ck_assert_int_eq(pgw_multipart_create(pool, "a\rb", &limits, &callbacks,
                                          NULL, &mp, &err),
                     APR_EINVAL);
    ck_assert_ptr_null(mp);
    ck_assert_ptr_nonnull(err);
}
END_TEST

/* ------------------------------------------------------- splitting */

START_TEST(one_chunk)
{
    events_t ev;
    const char *err;

    ck_assert_int_eq(run(sample, &ev, &err), APR_SUCCESS);
    assert_sample(&ev);
}
END_TEST

START_TEST(byte_by_byte)
{
    apr_size_t cuts[sizeof(sample) - 1], i;
    events_t ev;
    const char *err = NULL;
    pgw_multipart_t *mp = parser(&ev, &limits);

    for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        cuts[i] = i + 1;
    }
    ck_assert_int_eq(feed_cuts(mp, sample, cuts, (int)i, &err), APR_SUCCESS);
    assert_sample(&ev);
}
END_TEST

/* Every two-way and every three-way split of the sample body. */
START_TEST(every_split)
{
    apr_size_t len = sizeof(sample) - 1, cuts[3], i, j;
    events_t ev;
    const char *err = NULL;

    for (i = 0; i <= len; i++) {
        for (j = i; j <= len; j++) {
            cuts[0] = i;
            cuts[1] = j;
            cuts[2] = len;
            ck_assert_int_eq(
                feed_cuts(parser(&ev, &limits), sample, cuts, 3, &err),
                APR_SUCCESS);
            assert_sample(&ev);
        }
    }
}
END_TEST

START_TEST(empty_chunks)
{
    apr_size_t len = sizeof(sample) - 1, cuts[] = {0, 0, 10, 10, len, len};
    events_t ev;
    const char *err = NULL;

    ck_assert_int_eq(feed_cuts(parser(&ev, &limits), sample, cuts, 6, &err),
                     APR_SUCCESS);
    assert_sample(&ev);
}
END_TEST

/* ---------------------------------------------------- body structure */

START_TEST(preamble_epilogue)
{
    events_t ev;
    const char *err;
    const char *body =
        "This is the preamble. --" BOUNDARY " is not at a line start.\r\n"
        "\r\n"
        "--" BOUNDARY " \t\r\n"
        "Content-Disposition: form-data; name=x\r\n"
        "\r\n"
        "1\r\n"
        "--" BOUNDARY "--  \r\n"
        "This is the epilogue.\r\n--" BOUNDARY "\r\nanything";

    ck_assert_int_eq(run(body, &ev, &err), APR_SUCCESS);
    ck_assert_str_eq(ev.log->data, "[x||]1<end>");
}
END_TEST

START_TEST(empty_and_cr_data)
{
    events_t ev;
    const char *err;
    const char *body = "--" BOUNDARY "\r\n"
                       "Content-Disposition: form-data; name=a\r\n"
                       "\r\n"
                       "\r\n"
                       "--" BOUNDARY "\r\n"
                       "Content-Disposition: form-data; name=b\r\n"
                       "\r\n"
                       "\r\r\n\r\n-\r\n--\r\n--" BOUNDARY "--";

    ck_assert_int_eq(run(body, &ev, &err), APR_SUCCESS);
    ck_assert_str_eq(ev.log->data, "[a||]<end>[b||]\r\r\n\r\n-\r\n--<end>");
}
END_TEST

/* The boundary inside data is data unless CRLF "--" precedes it; once it
 * does, what follows must end the delimiter line (RFC 2046 5.1.1). */
START_TEST(boundary_prefix_in_data)
{
    events_t ev;
    const char *err;
    const char *head = "--" BOUNDARY "\r\n"
                       "Content-Disposition: form-data; name=a\r\n\r\n";

    ck_assert_int_eq(
        run(apr_pstrcat(pool, head, "x--" BOUNDARY "--\n--", BOUNDARY, "\r\n--",
                        "\r\n--" BOUNDARY, "--", NULL),
            &ev, &err),
        APR_SUCCESS);
    ck_assert_str_eq(ev.log->data,
                     "[a||]x--" BOUNDARY "--\n--" BOUNDARY "\r\n--<end>");
    ck_assert_int_eq(run(apr_pstrcat(pool, head, "\r\n--", "----b0undary",
                                     "\r\n--" BOUNDARY "--", NULL),
                         &ev, &err),
                     APR_SUCCESS);
    ck_assert_str_eq(ev.log->data, "[a||]\r\n------b0undary<end>");
    ck_assert_int_eq(run(apr_pstrcat(pool, head, "x\r\n--" BOUNDARY "X\r\n",
                                     "\r\n--" BOUNDARY "--", NULL),
                         &ev, &err),
                     APR_EINVAL);
}
END_TEST

START_TEST(missing_close_delimiter)
{
    events_t ev;
    const char *err;
    const char *part = "--" BOUNDARY "\r\n"
                       "Content-Disposition: form-data; name=a\r\n"
                       "\r\n"
                       "1";

    ck_assert_int_eq(run(part, &ev, &err), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "close delimiter missing"));
    ck_assert_int_eq(
        run(apr_pstrcat(pool, part, "\r\n--" BOUNDARY, NULL), &ev, &err),
        APR_EINVAL);
    ck_assert_int_eq(
        run(apr_pstrcat(pool, part, "\r\n--" BOUNDARY "-", NULL), &ev, &err),
        APR_EINVAL);
    ck_assert_int_eq(
        run(apr_pstrcat(pool, part, "\r\n--" BOUNDARY "\r\n", NULL), &ev, &err),
        APR_EINVAL);
    ck_assert_int_eq(run("", &ev, &err), APR_EINVAL);
    ck_assert_int_eq(run("no delimiter at all", &ev, &err), APR_EINVAL);
    ck_assert_int_eq(run("--" BOUNDARY "--\r\n", &ev, &err), APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "without a part"));
}
END_TEST

/* LF-only bodies are refused: RFC 2046 requires CRLF, and a body that
 * another parser would split differently is a smuggling risk. */
START_TEST(lf_only_refused)
{
    events_t ev;
    const char *err;

    ck_assert_int_eq(run("--" BOUNDARY "\n"
                         "Content-Disposition: form-data; name=a\n"
                         "\n"
                         "1\n"
                         "--" BOUNDARY "--\n",
                         &ev, &err),
                     APR_EINVAL);
    ck_assert_int_eq(run("--" BOUNDARY "\r\n"
                         "Content-Disposition: form-data; name=a\n"
                         "\r\n"
                         "1\r\n"
                         "--" BOUNDARY "--\r\n",
                         &ev, &err),
                     APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "bare LF"));
    ck_assert_int_eq(run("--" BOUNDARY "\r\n"
                         "Content-Disposition: form-data; name=a\r\r\n"
                         "\r\n"
                         "1\r\n"
                         "--" BOUNDARY "--\r\n",
                         &ev, &err),
                     APR_EINVAL);
}
END_TEST

/* ----------------------------------------------------------- headers */

static apr_status_t run_part(const char *headers, events_t *ev,
                             const char **err)
{
    return run(apr_pstrcat(pool, "--" BOUNDARY "\r\n", headers,
                           "\r\n\r\nv\r\n--" BOUNDARY "--", NULL),
               ev, err);
}

START_TEST(filename_quoting)
{
    events_t ev;
    const char *err;

    ck_assert_int_eq(run_part("content-disposition: FORM-DATA; "
                              "filename=\"a\\\"b;c\\\\d.jpg\";name=\"f;o\"",
                              &ev, &err),
                     APR_SUCCESS);
    ck_assert_str_eq(ev.log->data, "[f;o|a\"b;c\\d.jpg|]v<end>");
    ck_assert_int_eq(run_part("Content-Disposition: form-data; name=foto; "
                              "filename=\"Foto Pas \xc3\xa9\xe2\x82\xac.jpg\"; "
                              "filename*=UTF-8''x.jpg;",
                              &ev, &err),
                     APR_SUCCESS);
    ck_assert_str_eq(ev.log->data,
                     "[foto|Foto Pas \xc3\xa9\xe2\x82\xac.jpg|]v<end>");
    /* browsers write a quote in a file name as %22 (HTML's form
     * encoding), which is kept as sent */
    ck_assert_int_eq(run_part("Content-Disposition: form-data ; name = \"a\" "
                              "; filename=\"%22x%22.png\"",
                              &ev, &err),
                     APR_SUCCESS);
    ck_assert_str_eq(ev.log->data, "[a|%22x%22.png|]v<end>");
}
END_TEST

START_TEST(disposition_invalid)
{
    static const char *const bad[] = {
        "Content-Type: text/plain",
        "Content-Disposition: attachment; name=a",
        "Content-Disposition: form-data",
        "Content-Disposition: form-data; name=\"\"",
        "Content-Disposition: form-data; name=a; name=b",
        "Content-Disposition: form-data; NAME=a; name=a",
        "Content-Disposition: form-data; name=\"a",
        "Content-Disposition: form-data; name=a b",
        "Content-Disposition: form-data; name",
        "Content-Disposition: form-data name=a",
        "Content-Disposition: form-data; name=\"\xff\"",
        "Content-Disposition: form-data; name=a; filename=\"\xc3\x28\"",
        "Content-Disposition: form-data; name=\"a\x01\"",
        "Content-Disposition: form-data; name=a\r\n"
        "Content-Disposition: form-data; name=b",
        "Content-Disposition: form-data; name=a\r\n"
        "Content-Type: a/b\r\nContent-Type: c/d",
        "Content-Disposition: form-data; name=a\r\n folded",
        "Content-Disposition : form-data; name=a",
        "Content-Disposition: form-data; name=a\r\nX: a\x7f",
        "Content-Disposition: form-data; name=a\r\nno colon",
        NULL};
    events_t ev;
    const char *err;
    int i;

    for (i = 0; bad[i] != NULL; i++) {
        ck_assert_msg(run_part(bad[i], &ev, &err) == APR_EINVAL, "%d: %s", i,
                      bad[i]);
        ck_assert_ptr_nonnull(err);
    }
}
END_TEST

/* A NUL would cut the header short for C string functions. */
START_TEST(nul_in_header)
{
    static const char body[] = "--" BOUNDARY "\r\n"
                               "Content-Disposition: form-data; name=a\0b\r\n"
                               "\r\n"
                               "v\r\n"
                               "--" BOUNDARY "--";
    events_t ev;
    const char *err;

    ck_assert_int_eq(run_with(body, sizeof(body) - 1, &limits, &ev, &err),
                     APR_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "NUL"));
}
END_TEST

START_TEST(content_type_and_headers)
{
    events_t ev;
    const char *err;

    ck_assert_int_eq(run_part("X-Other: 1\r\n"
                              "Content-Type:\timage/png \t\r\n"
                              "Content-Disposition: form-data; name=a",
                              &ev, &err),
                     APR_SUCCESS);
    ck_assert_str_eq(ev.log->data, "[a||image/png]v<end>");
}
END_TEST

/* ------------------------------------------------------------ limits */

START_TEST(header_too_long)
{
    pgw_multipart_limits_t l = limits;
    const char *cd = "Content-Disposition: form-data; name=a";
    events_t ev;
    const char *err;
    char *body;

    /* the header block is the line, its CRLF and the empty line's CRLF */
    l.max_header_bytes = strlen(cd) + 4;
    body = apr_pstrcat(pool, "--" BOUNDARY "\r\n", cd,
                       "\r\n\r\nv\r\n--" BOUNDARY "--", NULL);
    ck_assert_int_eq(run_with(body, strlen(body), &l, &ev, &err), APR_SUCCESS);
    l.max_header_bytes--;
    ck_assert_int_eq(run_with(body, strlen(body), &l, &ev, &err), APR_ENOSPC);
    ck_assert_ptr_nonnull(strstr(err, "headers longer"));
}
END_TEST

START_TEST(too_many_headers)
{
    pgw_multipart_limits_t l = limits;
    events_t ev;
    const char *err;
    char *body = apr_pstrcat(pool, "--" BOUNDARY "\r\n",
                             "Content-Disposition: form-data; name=a\r\n",
                             "A: 1\r\nB: 2\r\n\r\nv\r\n--" BOUNDARY "--", NULL);

    l.max_headers = 3;
    ck_assert_int_eq(run_with(body, strlen(body), &l, &ev, &err), APR_SUCCESS);
    l.max_headers = 2;
    ck_assert_int_eq(run_with(body, strlen(body), &l, &ev, &err), APR_ENOSPC);
}
END_TEST

static char *parts_body(int n)
{
    char *body = "";
    int i;

    for (i = 0; i < n; i++) {
        body = apr_psprintf(pool,
                            "%s--" BOUNDARY "\r\n"
                            "Content-Disposition: form-data; name=f%d\r\n"
                            "\r\n"
                            "%d\r\n",
                            body, i, i);
    }
    return apr_pstrcat(pool, body, "--" BOUNDARY "--\r\n", NULL);
}

START_TEST(too_many_parts)
{
    events_t ev;
    const char *err;

    ck_assert_int_eq(run(parts_body(8), &ev, &err), APR_SUCCESS);
    ck_assert_int_eq(run(parts_body(9), &ev, &err), APR_ENOSPC);
    ck_assert_ptr_nonnull(strstr(err, "parts"));
}
END_TEST

static char *sized_part(const char *name, apr_size_t size)
{
    char *data = apr_palloc(pool, size + 1);

    memset(data, '\r', size); /* every byte could start a delimiter */
    data[size] = '\0';
    return apr_pstrcat(pool, "--" BOUNDARY "\r\n",
                       "Content-Disposition: form-data; name=", name,
                       "\r\n\r\n", data, "\r\n--" BOUNDARY "--", NULL);
}

START_TEST(part_too_large)
{
    events_t ev;
    const char *err;

    ck_assert_int_eq(run(sized_part("a", 4096), &ev, &err), APR_SUCCESS);
    ck_assert_int_eq(run(sized_part("a", 4097), &ev, &err), APR_ENOSPC);
    ck_assert_ptr_nonnull(strstr(err, "larger than its limit"));
}
END_TEST

START_TEST(part_limit_from_callback)
{
    pgw_multipart_t *mp;
    events_t ev;
    const char *err = NULL, *body = sized_part("foto", 10000);
    apr_size_t len = strlen(body);

    mp = parser(&ev, &limits);
    ev.big_field = "foto";
    ck_assert_int_eq(feed_cuts(mp, body, &len, 1, &err), APR_SUCCESS);
    mp = parser(&ev, &limits);
    ev.big_field = "other";
    ck_assert_int_eq(feed_cuts(mp, body, &len, 1, &err), APR_ENOSPC);
}
END_TEST

START_TEST(body_too_large)
{
    pgw_multipart_limits_t l = limits;
    apr_size_t len = sizeof(sample) - 1, cuts[] = {100, len};
    events_t ev;
    const char *err;

    l.max_body = len;
    ck_assert_int_eq(feed_cuts(parser(&ev, &l), sample, cuts, 2, &err),
                     APR_SUCCESS);
    l.max_body = len - 1;
    ck_assert_int_eq(feed_cuts(parser(&ev, &l), sample, cuts, 2, &err),
                     APR_ENOSPC);
    ck_assert_ptr_nonnull(strstr(err, "body larger"));
}
END_TEST

/* Each limit says which it was, so that the glue can tell the employee
 * the rule: a callback's own refusal and a malformed body are none. */
static pgw_multipart_limit_e exceeded_by(const char *body,
                                         const pgw_multipart_limits_t *l,
                                         const char *big_field,
                                         const char **part_name)
{
    pgw_multipart_t *mp;
    const pgw_multipart_part_t *part;
    events_t ev;
    const char *err = NULL;
    apr_size_t len = strlen(body);

    mp = parser(&ev, l);
    ev.big_field = big_field;
    feed_cuts(mp, body, &len, 1, &err);
    part = pgw_multipart_failed_part(mp);
    *part_name = part ? part->name : NULL;
    return pgw_multipart_exceeded(mp);
}

START_TEST(limit_is_named)
{
    pgw_multipart_limits_t l = limits;
    const char *name;
    char *two_headers =
        apr_pstrcat(pool, "--" BOUNDARY "\r\n",
                    "Content-Disposition: form-data; name=a\r\n",
                    "A: 1\r\n\r\nv\r\n--" BOUNDARY "--", NULL);

    ck_assert_int_eq(exceeded_by(sample, &l, NULL, &name),
                     PGW_MULTIPART_WITHIN_LIMITS);
    ck_assert_int_eq(exceeded_by(parts_body(9), &l, NULL, &name),
                     PGW_MULTIPART_OVER_PARTS);
    ck_assert_int_eq(exceeded_by(sized_part("kecil", 4097), &l, NULL, &name),
                     PGW_MULTIPART_OVER_PART_SIZE);
    ck_assert_str_eq(name, "kecil");
    ck_assert_int_eq(exceeded_by(sized_part("foto", 20000), &l, "foto", &name),
                     PGW_MULTIPART_OVER_PART_SIZE);
    ck_assert_str_eq(name, "foto");
    l.max_headers = 1;
    ck_assert_int_eq(exceeded_by(two_headers, &l, NULL, &name),
                     PGW_MULTIPART_OVER_HEADERS);
    l = limits;
    l.max_header_bytes = 20;
    ck_assert_int_eq(exceeded_by(two_headers, &l, NULL, &name),
                     PGW_MULTIPART_OVER_HEADER_BYTES);
    l = limits;
    l.max_body = 10;
    ck_assert_int_eq(exceeded_by(sample, &l, NULL, &name),
                     PGW_MULTIPART_OVER_BODY);
    /* malformed: no limit */
    ck_assert_int_eq(exceeded_by("--" BOUNDARY "\nx", &limits, NULL, &name),
                     PGW_MULTIPART_WITHIN_LIMITS);
}
END_TEST

START_TEST(callback_refusal_is_no_limit)
{
    pgw_multipart_t *mp;
    events_t ev;
    const char *err = NULL;

    mp = parser(&ev, &limits);
    ev.refuse_data = 1;
    pgw_multipart_feed(mp, sample, sizeof(sample) - 1, &err);
    ck_assert_int_eq(pgw_multipart_exceeded(mp), PGW_MULTIPART_WITHIN_LIMITS);
    ck_assert_str_eq(pgw_multipart_failed_part(mp)->name, "csrf_token");
}
END_TEST

/* ------------------------------------------------- errors are sticky */

START_TEST(callback_refusal_sticks)
{
    pgw_multipart_t *mp;
    events_t ev;
    const char *err = NULL;

    mp = parser(&ev, &limits);
    ev.refuse_data = 1;
    ck_assert_int_eq(pgw_multipart_feed(mp, sample, sizeof(sample) - 1, &err),
                     APR_EGENERAL);
    ck_assert_str_eq(err, "test refuses data");
    err = NULL;
    ck_assert_int_eq(pgw_multipart_feed(mp, "x", 1, &err), APR_EGENERAL);
    ck_assert_str_eq(err, "test refuses data");
    ck_assert_int_eq(pgw_multipart_finish(mp, &err), APR_EGENERAL);
}
END_TEST

static Suite *multipart_suite(void)
{
    Suite *s = suite_create("multipart");
    TCase *tb = tcase_create("boundary");
    TCase *ts = tcase_create("splitting");
    TCase *tf = tcase_create("structure");
    TCase *th = tcase_create("headers");
    TCase *tl = tcase_create("limits");

    tcase_add_checked_fixture(tb, setup, teardown);
    tcase_add_test(tb, boundary_valid);
    tcase_add_test(tb, boundary_invalid);
    tcase_add_test(tb, create_checks_boundary);
    suite_add_tcase(s, tb);

    tcase_add_checked_fixture(ts, setup, teardown);
    tcase_set_timeout(ts, 60);
    tcase_add_test(ts, one_chunk);
    tcase_add_test(ts, byte_by_byte);
    tcase_add_test(ts, every_split);
    tcase_add_test(ts, empty_chunks);
    suite_add_tcase(s, ts);

    tcase_add_checked_fixture(tf, setup, teardown);
    tcase_add_test(tf, preamble_epilogue);
    tcase_add_test(tf, empty_and_cr_data);
    tcase_add_test(tf, boundary_prefix_in_data);
    tcase_add_test(tf, missing_close_delimiter);
    tcase_add_test(tf, lf_only_refused);
    tcase_add_test(tf, callback_refusal_sticks);
    suite_add_tcase(s, tf);

    tcase_add_checked_fixture(th, setup, teardown);
    tcase_add_test(th, filename_quoting);
    tcase_add_test(th, disposition_invalid);
    tcase_add_test(th, content_type_and_headers);
    tcase_add_test(th, nul_in_header);
    suite_add_tcase(s, th);

    tcase_add_checked_fixture(tl, setup, teardown);
    tcase_add_test(tl, header_too_long);
    tcase_add_test(tl, too_many_headers);
    tcase_add_test(tl, too_many_parts);
    tcase_add_test(tl, part_too_large);
    tcase_add_test(tl, part_limit_from_callback);
    tcase_add_test(tl, body_too_large);
    tcase_add_test(tl, limit_is_named);
    tcase_add_test(tl, callback_refusal_is_no_limit);
    suite_add_tcase(s, tl);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    apr_initialize();
    sr = srunner_create(multipart_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
