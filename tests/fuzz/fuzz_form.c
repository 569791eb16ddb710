/* libFuzzer target for pgw_form_parse(), and for the HTML escaping that
 * parsed values meet when a form is shown again. Whatever the parser
 * accepts must respect the limits and be valid UTF-8 without forbidden
 * controls; whatever the escaper writes must be valid UTF-8 without a
 * character that could open markup or end an attribute.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_tables.h>

#include "pgw_buf.h"
#include "pgw_form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static apr_pool_t *root;

/* Small limits so that the fuzzer reaches them. */
static const pgw_form_limits_t limits = {8, 16, 64};

static int forbidden_control(unsigned char c)
{
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

static void check_text(const char *s, apr_size_t max)
{
    apr_size_t i, len = strlen(s);

    if (len > max || !pgw_utf8_valid(s, len)) {
        abort();
    }
    for (i = 0; i < len; i++) {
        if (forbidden_control((unsigned char)s[i])) {
            abort();
        }
    }
}

static void check_escaped(apr_pool_t *p, const char *s, apr_size_t len)
{
    pgw_buf_t *b = pgw_buf_make(p, 0);
    apr_size_t i;

    pgw_buf_put_escaped(b, s, len);
    if (b->data[b->len] != '\0' || strlen(b->data) != b->len
        || !pgw_utf8_valid(b->data, b->len)) {
        abort();
    }
    for (i = 0; i < b->len; i++) {
        if (strchr("<>\"'", b->data[i]) != NULL
            || forbidden_control((unsigned char)b->data[i])) {
            abort();
        }
    }
}

static void check_fields(apr_pool_t *p, apr_table_t *fields)
{
    const apr_array_header_t *a = apr_table_elts(fields);
    const apr_table_entry_t *e = (const apr_table_entry_t *)a->elts;
    int i;

    if ((apr_size_t)a->nelts > limits.max_fields) {
        abort();
    }
    for (i = 0; i < a->nelts; i++) {
        check_text(e[i].key, limits.max_name);
        check_text(e[i].val, limits.max_value);
        check_escaped(p, e[i].val, strlen(e[i].val));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_table_t *fields = NULL;
    const char *err = NULL;
    apr_pool_t *p;
    apr_status_t rv;

    if (root == NULL) {
        apr_initialize();
        apr_pool_create(&root, NULL);
    }
    apr_pool_create(&p, root);
    rv = pgw_form_parse(p, (const char *)data, size, &limits, &fields, &err);
    if (rv == APR_SUCCESS) {
        check_fields(p, fields);
    }
    else if (fields != NULL || err == NULL
             || (rv != APR_EINVAL && rv != APR_ENOSPC)) {
        abort();
    }
    check_escaped(p, (const char *)data, size);
    apr_pool_destroy(p);
    return 0;
}
