/* Unit tests of the template engine (pgw_template.c): escaping, the
 * directives, includes, compile errors with their lines, HTML5 output, and
 * the shipped templates of htdocs/templates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>

#include "pgw_template.h"

static apr_pool_t *pool;
static char incdir[64];

static void setup(void)
{
    apr_pool_create(&pool, NULL);
}

static void teardown(void)
{
    apr_pool_destroy(pool);
}

static pgw_tpl_t *compile_in(const char *src, const char *dir)
{
    pgw_tpl_t *tpl = NULL;
    const char *err = NULL;
    apr_status_t rv;

    rv = pgw_tpl_compile(pool, "t.html", src, strlen(src), dir, &tpl, &err);
    ck_assert_msg(rv == APR_SUCCESS, "compile failed: %s", err);
    return tpl;
}

static const char *render_tpl(const pgw_tpl_t *tpl, const pgw_tdata_t *d)
{
    pgw_buf_t *out = pgw_buf_make(pool, 16);

    pgw_tpl_render(tpl, d, out);
    return out->data;
}

static const char *render(const char *src, const pgw_tdata_t *d)
{
    return render_tpl(compile_in(src, NULL), d);
}

/* The message of a compile that must fail. */
static const char *compile_error(const char *src, const char *dir)
{
    pgw_tpl_t *tpl = NULL;
    const char *err = NULL;
    apr_status_t rv;

    rv = pgw_tpl_compile(pool, "t.html", src, strlen(src), dir, &tpl, &err);
    ck_assert_msg(rv != APR_SUCCESS, "compiled but should not: %s", src);
    ck_assert_ptr_nonnull(err);
    return err;
}

static void assert_has(const char *hay, const char *needle)
{
    ck_assert_msg(strstr(hay, needle) != NULL, "\"%s\" not in \"%s\"", needle,
                  hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
    ck_assert_msg(strstr(hay, needle) == NULL, "\"%s\" in \"%s\"", needle, hay);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char *path = apr_pstrcat(pool, dir, "/", name, NULL);
    FILE *f = fopen(path, "w");

    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(test_escape_text)
{
    pgw_tdata_t *d = pgw_tdata_make(pool);
    const char *out;

    pgw_tdata_set(d, "nama", "<script>alert(1)</script> & \"x\"");
    out = render("<p data-pgw-text=\"nama\">contoh</p>", d);
    ck_assert_str_eq(out, "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
                          "&quot;x&quot;</p>");
}
END_TEST

START_TEST(test_literal_reescaped)
{
    const char *out = render("<p title=\"a&lt;&amp;&quot;b\">1 &lt; 2 "
                             "&amp;&amp; &#160;&gt;</p>",
                             NULL);

    ck_assert_str_eq(out, "<p title=\"a&lt;&amp;&quot;b\">1 &lt; 2 "
                          "&amp;&amp; \xC2\xA0&gt;</p>");
}
END_TEST

START_TEST(test_attr_quotes)
{
    pgw_tdata_t *d = pgw_tdata_make(pool);
    const char *out;

    pgw_tdata_set(d, "v", "\"' onfocus=alert(1) x=\"");
    out = render("<input type=\"text\" value=\"old\" "
                 "data-pgw-attr=\"value:v\"/>",
                 d);
    ck_assert_str_eq(out, "<input type=\"text\" value=\"&quot;&#39; "
                          "onfocus=alert(1) x=&quot;\">");
}
END_TEST

START_TEST(test_url_attrs)
{
    static const char *const refused[] = {"javascript:alert(1)",
                                          "JavaScript:alert(1)",
                                          " /x",
                                          "data:text/html,x",
                                          "https://evil.example/",
                                          "//evil.example/",
                                          "/\\evil.example",
                                          "/a\tb",
                                          "/\n/evil.example",
                                          "",
                                          NULL};
    const char *src = "<a href=\"/static\" data-pgw-attr=\"href:u\">x</a>";
    pgw_tdata_t *d;
    int i;

    for (i = 0; refused[i] != NULL; i++) {
        d = pgw_tdata_make(pool);
        pgw_tdata_set(d, "u", refused[i]);
        ck_assert_str_eq(render(src, d), "<a href=\"#\">x</a>");
    }
    d = pgw_tdata_make(pool);
    pgw_tdata_set(d, "u", "/profile?a=1&b=2");
    ck_assert_str_eq(render(src, d), "<a href=\"/profile?a=1&amp;b=2\">x</a>");
    pgw_tdata_set(d, "u", "#isi");
    ck_assert_str_eq(render(src, d), "<a href=\"#isi\">x</a>");
    pgw_tdata_set(d, "u", "?hal=2");
    ck_assert_str_eq(render("<form data-pgw-attr=\"action:u\"/>", d),
                     "<form action=\"?hal=2\"></form>");
}
END_TEST

START_TEST(test_boolean_attrs)
{
    const char *src = "<input type=\"checkbox\" "
                      "data-pgw-attr=\"checked:c; disabled:x;\"/>";
    pgw_tdata_t *d = pgw_tdata_make(pool);

    pgw_tdata_set(d, "c", "1");
    ck_assert_str_eq(render(src, d), "<input type=\"checkbox\" checked>");
    pgw_tdata_set(d, "c", "");
    pgw_tdata_set(d, "x", "ya");
    ck_assert_str_eq(render(src, d), "<input type=\"checkbox\" disabled>");
    ck_assert_str_eq(render(src, NULL), "<input type=\"checkbox\">");
}
END_TEST

START_TEST(test_each_nested)
{
    const char *src = "<ul><li data-pgw-each=\"unit\"><b data-pgw-text=\"_n\"/>"
                      "<i data-pgw-text=\"nama\"/><span data-pgw-each=\"staf\">"
                      "[<b data-pgw-text=\"_n\"/> <i data-pgw-text=\"nama\"/> "
                      "<u data-pgw-text=\"kota\"/>]</span></li></ul>";
    pgw_tdata_t *d = pgw_tdata_make(pool), *u, *s;

    pgw_tdata_set(d, "kota", "Jakarta");
    u = pgw_tdata_add_row(d, "unit");
    pgw_tdata_set(u, "nama", "BKD");
    s = pgw_tdata_add_row(u, "staf");
    pgw_tdata_set(s, "nama", "Ani");
    s = pgw_tdata_add_row(u, "staf");
    pgw_tdata_set(s, "nama", "Budi");
    u = pgw_tdata_add_row(d, "unit");
    pgw_tdata_set(u, "nama", "Pusdatin");
    ck_assert_str_eq(render(src, d),
                     "<ul><li><b>1</b><i>BKD</i>"
                     "<span>[<b>1</b> <i>Ani</i> <u>Jakarta</u>]</span>"
                     "<span>[<b>2</b> <i>Budi</i> <u>Jakarta</u>]</span>"
                     "</li><li><b>2</b><i>Pusdatin</i></li></ul>");
}
END_TEST

START_TEST(test_if_unless_lists)
{
    const char *src =
        "<div><table data-pgw-if=\"rows\"><tr data-pgw-each=\"rows\">"
        "<td data-pgw-text=\"v\"/></tr></table>"
        "<p data-pgw-unless=\"rows\">Belum ada data.</p></div>";
    pgw_tdata_t *d = pgw_tdata_make(pool), *r;

    ck_assert_str_eq(render(src, d), "<div><p>Belum ada data.</p></div>");
    pgw_tdata_set(d, "rows", "");
    ck_assert_str_eq(render(src, d), "<div><p>Belum ada data.</p></div>");
    r = pgw_tdata_add_row(d, "rows");
    pgw_tdata_set(r, "v", "a");
    ck_assert_str_eq(render(src, d),
                     "<div><table><tr><td>a</td></tr></table></div>");
}
END_TEST

START_TEST(test_if_in_row)
{
    const char *src = "<div><ol><li data-pgw-each=\"r\" data-pgw-if=\"ok\" "
                      "data-pgw-text=\"_n\"/></ol><p data-pgw-text=\"_n\"/>"
                      "</div>";
    pgw_tdata_t *d = pgw_tdata_make(pool), *r;

    pgw_tdata_add_row(d, "r");
    r = pgw_tdata_add_row(d, "r");
    pgw_tdata_set(r, "ok", "1");
    ck_assert_str_eq(render(src, d), "<div><ol><li>2</li></ol><p></p></div>");
}
END_TEST

START_TEST(test_doctype)
{
    const char *out;

    out = render("<!DOCTYPE html>\n<html lang=\"id\"><head><meta "
                 "charset=\"utf-8\"/></head><body/></html>",
                 NULL);
    ck_assert_str_eq(out, "<!DOCTYPE html>\n<html lang=\"id\"><head><meta "
                          "charset=\"utf-8\"></head><body></body></html>");
    out = render("<html xmlns=\"http://www.w3.org/1999/xhtml\"/>", NULL);
    ck_assert_str_eq(out, "<!DOCTYPE html>\n<html></html>");
    ck_assert_str_eq(render("<div/>", NULL), "<div></div>");
}
END_TEST

START_TEST(test_void_elements)
{
    const char *out;

    out = render("<p><br/><hr/><img src=\"/a.png\" alt=\"\"/><input/>"
                 "<link rel=\"x\"/><wbr/><span/><i></i>"
                 "<textarea/><script src=\"/s.js\"/></p>",
                 NULL);
    ck_assert_str_eq(out, "<p><br><hr><img src=\"/a.png\" alt=\"\"><input>"
                          "<link rel=\"x\"><wbr><span></span><i></i>"
                          "<textarea>\n</textarea>"
                          "<script src=\"/s.js\"></script></p>");
    assert_has(compile_error("<p>\n<br>x</br></p>", NULL),
               "t.html:2: <br> is a void element");
    assert_has(compile_error("<p>\n<img data-pgw-text=\"x\"/></p>", NULL),
               "t.html:2:");
}
END_TEST

START_TEST(test_error_malformed)
{
    const char *err;

    err = compile_error("<html>\n<body>\n<p>Halo\n</body>\n</html>\n", NULL);
    assert_has(err, "t.html:4: ");
    assert_has(err, "mismatch");
    assert_has(compile_error("", NULL), "t.html:1: ");
    assert_has(compile_error("<p>\n&nbsp;</p>", NULL), "t.html:2: ");
}
END_TEST

START_TEST(test_error_unknown_directive)
{
    const char *err;

    err = compile_error("<html>\n<body>\n\n<p data-pgw-txt=\"nama\">x</p>"
                        "</body></html>",
                        NULL);
    ck_assert_str_eq(err, "t.html:4: unknown directive data-pgw-txt");
    assert_has(compile_error("<div>\n<pgw-foo/></div>", NULL),
               "t.html:2: unknown element <pgw-foo>");
}
END_TEST

START_TEST(test_error_bad_names)
{
    static const char *const bad[] = {"<p data-pgw-text=\"Nama\"/>",
                                      "<p data-pgw-text=\"\"/>",
                                      "<p data-pgw-if=\"a-b\"/>",
                                      "<p data-pgw-each=\"_n\"/>",
                                      "<p data-pgw-each=\"a b\"/>",
                                      "<a data-pgw-attr=\"href\"/>",
                                      "<a data-pgw-attr=\"href:\"/>",
                                      "<a data-pgw-attr=\":x\"/>",
                                      "<a data-pgw-attr=\";\"/>",
                                      "<a data-pgw-attr=\"onclick:x\"/>",
                                      "<a data-pgw-attr=\"style:x\"/>",
                                      "<a data-pgw-attr=\"Href:x\"/>",
                                      "<a data-pgw-attr=\"href:x;href:y\"/>",
                                      NULL};
    int i;

    for (i = 0; bad[i] != NULL; i++) {
        assert_has(compile_error(bad[i], NULL), "t.html:1: ");
    }
}
END_TEST

START_TEST(test_inline_script_refused)
{
    assert_has(compile_error("<p>\n<script>alert(1)</script></p>", NULL),
               "t.html:2: inline content in <script>");
    assert_has(compile_error("<p><style>p{}</style></p>", NULL), "<style>");
    assert_has(compile_error("<p onclick=\"x()\"/>", NULL), "onclick");
    assert_has(compile_error("<p style=\"color:red\"/>", NULL), "style");
    assert_has(
        compile_error("<!DOCTYPE p [<!ENTITY e \"x\">]><p>&e;</p>", NULL),
        "DTD");
}
END_TEST

START_TEST(test_unknown_name_empty)
{
    pgw_tdata_t *d = pgw_tdata_make(pool);

    pgw_tdata_add_row(d, "list");
    ck_assert_str_eq(render("<p data-pgw-text=\"nope\">x</p>", d), "<p></p>");
    ck_assert_str_eq(render("<p data-pgw-text=\"list\">x</p>", d), "<p></p>");
    pgw_tdata_setf(d, "n", "%d-%s", 7, "x");
    ck_assert_str_eq(render("<p data-pgw-text=\"n\">x</p>", d), "<p>7-x</p>");
}
END_TEST

START_TEST(test_comments_dropped)
{
    ck_assert_str_eq(render("<p>a<!-- catatan -->b</p>", NULL), "<p>ab</p>");
}
END_TEST

static void make_include_dir(void)
{
    setup();
    strcpy(incdir, "/tmp/pgw_tpl_test_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(incdir));
    write_file(incdir, "_frag.html",
               "<pgw-fragment><b data-pgw-text=\"x\"/><i>2</i>"
               "</pgw-fragment>");
    write_file(incdir, "_elem.html",
               "<nav>\n<pgw-include "
               "file=\"_frag.html\"/></nav>");
    write_file(incdir, "_loop.html",
               "<p><pgw-include file=\"_loop.html\"/>"
               "</p>");
    write_file(incdir, "_bad.html", "<p>\n\n<q data-pgw-x=\"y\"/></p>");
}

static void remove_include_dir(void)
{
    static const char *const files[] = {"_frag.html", "_elem.html",
                                        "_loop.html", "_bad.html", NULL};
    int i;

    for (i = 0; files[i] != NULL; i++) {
        unlink(apr_pstrcat(pool, incdir, "/", files[i], NULL));
    }
    rmdir(incdir);
    teardown();
}

START_TEST(test_includes)
{
    pgw_tdata_t *d = pgw_tdata_make(pool);
    pgw_tpl_t *tpl;

    pgw_tdata_set(d, "x", "<1>");
    tpl = compile_in("<div><pgw-include file=\"_elem.html\"/>"
                     "<pgw-include file=\"_frag.html\"/></div>",
                     incdir);
    ck_assert_str_eq(render_tpl(tpl, d),
                     "<div><nav>\n<b>&lt;1&gt;</b><i>2</i></nav>"
                     "<b>&lt;1&gt;</b><i>2</i></div>");
}
END_TEST

START_TEST(test_include_errors)
{
    const char *err;

    assert_has(
        compile_error("<p>\n<pgw-include file=\"../x.html\"/></p>", incdir),
        "t.html:2: ");
    assert_has(
        compile_error("<p><pgw-include file=\"/etc/passwd\"/></p>", incdir),
        "bad file name");
    assert_has(compile_error("<p><pgw-include file=\"a/b.html\"/></p>", incdir),
               "bad file name");
    assert_has(compile_error("<p><pgw-include file=\"_frag.html\"/></p>", NULL),
               "no template directory");
    assert_has(
        compile_error("<p><pgw-include file=\"_none.html\"/></p>", incdir),
        "cannot read");
    assert_has(compile_error("<p><pgw-include file=\"_frag.html\" "
                             "x=\"1\"/></p>",
                             incdir),
               "one attribute");
    assert_has(
        compile_error("<p><pgw-include file=\"_loop.html\"/></p>", incdir),
        "nested more than");
    err = compile_error("<p><pgw-include file=\"_bad.html\"/></p>", incdir);
    assert_has(err, "/_bad.html:3: unknown directive data-pgw-x");
}
END_TEST

START_TEST(test_set_load)
{
    pgw_tpl_set_t *set = NULL;
    const char *err = NULL;
    apr_status_t rv;

    write_file(incdir, "b.html",
               "<div><pgw-include file=\"_frag.html\"/>"
               "</div>");
    write_file(incdir, "a.html", "<html/>");
    write_file(incdir, "c.txt", "not a template");
    rv = pgw_tpl_set_load(pool, incdir, &set, &err);
    ck_assert_msg(rv == APR_SUCCESS, "%s", err);
    ck_assert_ptr_nonnull(pgw_tpl_get(set, "a.html"));
    ck_assert_ptr_nonnull(pgw_tpl_get(set, "b.html"));
    ck_assert_ptr_null(pgw_tpl_get(set, "_frag.html"));
    ck_assert_ptr_null(pgw_tpl_get(set, "c.txt"));
    ck_assert_str_eq(render_tpl(pgw_tpl_get(set, "b.html"), NULL),
                     "<div><b></b><i>2</i></div>");
    write_file(incdir, "z.html", "<p>\n<p></p>");
    write_file(incdir, "y.html", "<p>\n\n<p data-pgw-if=\"A\"/></p>");
    rv = pgw_tpl_set_load(pool, incdir, &set, &err);
    ck_assert_int_ne(rv, APR_SUCCESS);
    assert_has(err, "/y.html:3: ");
    unlink(apr_pstrcat(pool, incdir, "/a.html", NULL));
    unlink(apr_pstrcat(pool, incdir, "/b.html", NULL));
    unlink(apr_pstrcat(pool, incdir, "/c.txt", NULL));
    unlink(apr_pstrcat(pool, incdir, "/y.html", NULL));
    unlink(apr_pstrcat(pool, incdir, "/z.html", NULL));
}
END_TEST

/* Many threads render one template at once (httpd's event MPM). */
typedef struct render_job {
    const pgw_tpl_t *tpl;
    const char *expect;
    int failures;
} render_job;

static void *APR_THREAD_FUNC render_thread(apr_thread_t *t, void *arg)
{
    render_job *job = arg;
    apr_pool_t *p;
    pgw_tdata_t *d;
    pgw_buf_t *out;
    int i;

    for (i = 0; i < 2000; i++) {
        apr_pool_create(&p, NULL);
        d = pgw_tdata_make(p);
        pgw_tdata_set(d, "a", "<x>");
        pgw_tdata_add_row(d, "r");
        pgw_tdata_add_row(d, "r");
        out = pgw_buf_make(p, 0);
        pgw_tpl_render(job->tpl, d, out);
        job->failures += strcmp(out->data, job->expect) != 0;
        apr_pool_destroy(p);
    }
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

START_TEST(test_threads)
{
    render_job jobs[4];
    apr_thread_t *threads[4];
    apr_status_t rv;
    pgw_tpl_t *tpl;
    int i;

    tpl = compile_in("<p><i data-pgw-each=\"r\" data-pgw-text=\"_n\"/>"
                     "<b data-pgw-text=\"a\"/></p>",
                     NULL);
    for (i = 0; i < 4; i++) {
        jobs[i].tpl = tpl;
        jobs[i].expect = "<p><i>1</i><i>2</i><b>&lt;x&gt;</b></p>";
        jobs[i].failures = 0;
        rv =
            apr_thread_create(&threads[i], NULL, render_thread, &jobs[i], pool);
        ck_assert_int_eq(rv, APR_SUCCESS);
    }
    for (i = 0; i < 4; i++) {
        apr_thread_join(&rv, threads[i]);
        ck_assert_int_eq(jobs[i].failures, 0);
    }
}
END_TEST

/* The shipped templates: they load, and render without leftovers. */
static void page_data(pgw_tdata_t *d)
{
    pgw_tdata_t *r;

    pgw_tdata_set(d, "page_title", "Profil");
    pgw_tdata_set(d, "css_url", "/static/pegawai.css");
    pgw_tdata_set(d, "js_url", "/static/pegawai.js");
    pgw_tdata_set(d, "logged_in", "1");
    pgw_tdata_set(d, "user_nama", "<Budi>");
    pgw_tdata_set(d, "csrf_token", "tok\"en");
    pgw_tdata_set(d, "error", "NRK atau password salah.");
    pgw_tdata_set(d, "nama", "<Budi>");
    r = pgw_tdata_add_row(d, "jabatan_struktural");
    pgw_tdata_set(r, "jabatan", "STAF");
}

START_TEST(test_htdocs_templates)
{
    static const char *const pages[] = {"login.html",
                                        "profile.html",
                                        "error.html",
                                        "profile_data.html",
                                        "riwayat_perubahan.html",
                                        "riwayat_alamat.html",
                                        "alamat_form.html",
                                        "akun_foto.html",
                                        "akun_password.html",
                                        NULL};
    pgw_tpl_set_t *set = NULL;
    pgw_tdata_t *d = pgw_tdata_make(pool);
    const char *err = NULL, *out;
    int i;

    ck_assert_msg(pgw_tpl_set_load(pool, "htdocs/templates", &set, &err)
                      == APR_SUCCESS,
                  "%s", err);
    page_data(d);
    for (i = 0; pages[i] != NULL; i++) {
        ck_assert_msg(pgw_tpl_get(set, pages[i]) != NULL, "%s", pages[i]);
        out = render_tpl(pgw_tpl_get(set, pages[i]), d);
        ck_assert_msg(strncmp(out, "<!DOCTYPE html>\n", 16) == 0, "%s",
                      pages[i]);
        assert_lacks(out, "data-pgw-");
        assert_lacks(out, "pgw-include");
        assert_lacks(out, "<Budi>");
        assert_lacks(out, "tok\"en");
    }
}
END_TEST

static Suite *template_suite(void)
{
    Suite *s = suite_create("template");
    TCase *tc = tcase_create("render");
    TCase *inc = tcase_create("include");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_escape_text);
    tcase_add_test(tc, test_literal_reescaped);
    tcase_add_test(tc, test_attr_quotes);
    tcase_add_test(tc, test_url_attrs);
    tcase_add_test(tc, test_boolean_attrs);
    tcase_add_test(tc, test_each_nested);
    tcase_add_test(tc, test_if_unless_lists);
    tcase_add_test(tc, test_if_in_row);
    tcase_add_test(tc, test_doctype);
    tcase_add_test(tc, test_void_elements);
    tcase_add_test(tc, test_error_malformed);
    tcase_add_test(tc, test_error_unknown_directive);
    tcase_add_test(tc, test_error_bad_names);
    tcase_add_test(tc, test_inline_script_refused);
    tcase_add_test(tc, test_unknown_name_empty);
    tcase_add_test(tc, test_comments_dropped);
    tcase_add_test(tc, test_threads);
    tcase_add_test(tc, test_htdocs_templates);
    suite_add_tcase(s, tc);

    tcase_add_checked_fixture(inc, make_include_dir, remove_include_dir);
    tcase_add_test(inc, test_includes);
    tcase_add_test(inc, test_include_errors);
    tcase_add_test(inc, test_set_load);
    suite_add_tcase(s, inc);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    apr_initialize();
    pgw_tpl_global_init();
    sr = srunner_create(template_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    apr_terminate();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
