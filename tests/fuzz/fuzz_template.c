/* libFuzzer target for the template compiler and renderer.
 *
 * Input: one flag byte, then template text.
 *   bit 0: wrap the text in <html><body>...</body></html> (reaches the
 *          page path and the doctype without the fuzzer finding it)
 *   bit 1: allow includes from a directory of small fixed partials
 * A template that compiles is rendered with fixed data full of markup,
 * and the output is checked: a value never becomes markup or a script
 * URL unless the template itself wrote it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_template.h"

/* Each loop multiplies the output by the rows of its list: beyond this
 * many the fuzzer would only measure memory. */
#define MAX_EACH 6

static apr_pool_t *root;
static char incdir[] = "/tmp/fuzz_template_XXXXXX";

static void put(const char *name, const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", incdir, name);
    f = fopen(path, "w");
    if (f == NULL) {
        abort();
    }
    fputs(text, f);
    fclose(f);
}

static void remove_incdir(void)
{
    static const char *const files[] = {"_a.html", "_b.html", "_loop.html",
                                        "_bad.html", NULL};
    char path[256];
    int i;

    for (i = 0; files[i] != NULL; i++) {
        snprintf(path, sizeof(path), "%s/%s", incdir, files[i]);
        unlink(path);
    }
    rmdir(incdir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    apr_initialize();
    pgw_tpl_global_init();
    apr_pool_create(&root, NULL);
    if (mkdtemp(incdir) == NULL) {
        abort();
    }
    atexit(remove_incdir);
    put("_a.html", "<pgw-fragment><b data-pgw-text=\"title\"/>"
                   "<a data-pgw-attr=\"href:evil\">x</a></pgw-fragment>");
    put("_b.html", "<ul><li data-pgw-each=\"rows\" data-pgw-text=\"name\"/>"
                   "<pgw-include file=\"_a.html\"/></ul>");
    put("_loop.html", "<p><pgw-include file=\"_loop.html\"/></p>");
    put("_bad.html", "<p><q></p>");
    return 0;
}

static pgw_tdata_t *fixed_data(apr_pool_t *p)
{
    pgw_tdata_t *d = pgw_tdata_make(p), *r;

    pgw_tdata_set(d, "title", "<script>alert(1)</script>");
    pgw_tdata_set(d, "quote", "\"' onerror=alert(1) x='");
    pgw_tdata_set(d, "url", "/profile?a=1&b=2");
    pgw_tdata_set(d, "evil", "javascript:alert(1)");
    pgw_tdata_set(d, "yes", "1");
    pgw_tdata_set(d, "no", "");
    r = pgw_tdata_add_row(d, "rows");
    pgw_tdata_set(r, "name", "<b>satu</b>");
    pgw_tdata_add_row(r, "sub");
    r = pgw_tdata_add_row(d, "rows");
    pgw_tdata_set(r, "name", "dua & \"tiga\"");
    pgw_tdata_set(r, "evil", "//evil.example/");
    return d;
}

static int contains(const char *hay, apr_size_t len, const char *needle)
{
    return memmem(hay, len, needle, strlen(needle)) != NULL;
}

/* What the data could smuggle into markup must come from the template
 * text or nowhere. */
static void check_output(const char *in, apr_size_t in_len,
                         const pgw_buf_t *out)
{
    static const char *const never[] = {
        "<script>alert",     "\"' onerror",
        "<b>satu",           " href=\"javascript",
        " src=\"javascript", " action=\"javascript",
        " href=\"//evil",    NULL};
    int i;

    for (i = 0; never[i] != NULL; i++) {
        if (contains(out->data, out->len, never[i])
            && !contains(in, in_len, never[i])) {
            fprintf(stderr, "value leaked as markup: %s\n", never[i]);
            abort();
        }
    }
}

static void render_and_check(apr_pool_t *p, const pgw_tpl_t *tpl,
                             const char *in, apr_size_t in_len)
{
    pgw_buf_t *out = pgw_buf_make(p, 0);

    pgw_tpl_render(tpl, fixed_data(p), out);
    check_output(in, in_len, out);
}

static apr_size_t count_each(const char *text, apr_size_t len)
{
    const char *s = text, *end = text + len, *hit;
    apr_size_t n = 0;

    while ((hit = memmem(s, (size_t)(end - s), "each", 4)) != NULL) {
        n++;
        s = hit + 4;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    pgw_tpl_t *tpl;
    pgw_buf_t *out;
    const char *err = NULL;
    apr_status_t rv;

    if (size < 1) {
        return 0;
    }
    apr_pool_create(&p, root);
    out = pgw_buf_make(p, size + 32);
    if (data[0] & 1) {
        pgw_buf_puts(out, "<html><body>");
    }
    pgw_buf_append(out, (const char *)data + 1, size - 1);
    if (data[0] & 1) {
        pgw_buf_puts(out, "</body></html>");
    }
    rv = pgw_tpl_compile(p, "fuzz.html", out->data, out->len,
                         (data[0] & 2) ? incdir : NULL, &tpl, &err);
    if (rv != APR_SUCCESS && err == NULL) {
        abort();
    }
    if (rv == APR_SUCCESS && count_each(out->data, out->len) <= MAX_EACH) {
        render_and_check(p, tpl, out->data, out->len);
    }
    apr_pool_destroy(p);
    return 0;
}
