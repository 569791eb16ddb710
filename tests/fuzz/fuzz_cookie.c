/* libFuzzer target for pgw_cookie_get(). The input is "name\nheader":
 * the bytes before the first newline are the cookie asked for, the rest
 * the Cookie header (an input without a newline is a header searched
 * for the session cookie). Whatever comes back must be a cookie-octet
 * string no longer than the header.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_cookie.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static apr_pool_t *root;

static int cookie_octet(unsigned char c)
{
    return c >= 0x21 && c <= 0x7E && c != '"' && c != ',' && c != ';'
           && c != '\\';
}

static void check_value(const char *v, const char *header)
{
    const char *c;

    if (v == NULL) {
        return;
    }
    if (strlen(v) > strlen(header)) {
        abort();
    }
    for (c = v; *c; c++) {
        if (!cookie_octet((unsigned char)*c)) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text, *nl, *name = "pgw_session", *header;
    apr_pool_t *p;

    if (root == NULL) {
        apr_initialize();
        apr_pool_create(&root, NULL);
    }
    apr_pool_create(&p, root);
    text = apr_pstrmemdup(p, (const char *)data, size);
    nl = memchr(data, '\n', size);
    header = text;
    if (nl != NULL) {
        name = apr_pstrmemdup(p, text, nl - (const char *)data);
        header = text + (nl - (const char *)data) + 1;
    }
    check_value(pgw_cookie_get(p, header, name), header);
    apr_pool_destroy(p);
    return 0;
}
