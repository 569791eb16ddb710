/* HTML templates: libxml2 parses each file once at configuration time,
 * the DOM is compiled into a flat program of literal chunks and dynamic
 * operations, and requests only walk that program (see pgw_template.h for
 * the template language).
 *
 * A compiled template is never written to after pgw_tpl_compile()
 * returns, so any number of threads may render it at once; everything a
 * render needs besides the program lives on its stack or in the caller's
 * buffer.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <apr_file_info.h>
#include <apr_file_io.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "pgw_template.h"

/* Deep enough for a page, its layout and a partial inside that; a file
 * that includes itself is stopped here rather than by the stack. */
#define PGW_TPL_INCLUDE_MAX 8

/* Names are identifiers chosen by programmers, not data. */
#define PGW_TPL_NAME_MAX 64

/* A template is a page, not a data file: anything bigger is a mistake. */
#define PGW_TPL_FILE_MAX (1024 * 1024)

#define PGW_TPL_DIRECTIVE "data-pgw-"

/* No network, no external DTD, no entity substitution (XML_PARSE_NOENT is
 * deliberately absent), and no messages on stderr: the first error is
 * captured by our own handler and returned to the caller. */
#define PGW_XML_OPTIONS                                                        \
    (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING                 \
     | XML_PARSE_NOCDATA)

/* libxml2 2.12 made the error passed to structured handlers const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError pgw_xml_error_t;
#else
typedef xmlError pgw_xml_error_t;
#endif

/* ------------------------------------------------------------ data */

typedef struct pgw_tval_t {
    const char *text; /* "" for a list */
    apr_size_t len;
    apr_array_header_t *rows; /* of pgw_tdata_t *; NULL for text */
} pgw_tval_t;

struct pgw_tdata_t {
    apr_pool_t *pool;
    apr_hash_t *values; /* name -> pgw_tval_t */
};

pgw_tdata_t *pgw_tdata_make(apr_pool_t *p)
{
    pgw_tdata_t *d = apr_palloc(p, sizeof(*d));

    d->pool = p;
    d->values = apr_hash_make(p);
    return d;
}

/* Stores text the data already owns. */
static void tdata_put(pgw_tdata_t *d, const char *name, const char *text)
{
    pgw_tval_t *v = apr_pcalloc(d->pool, sizeof(*v));

    v->text = text;
    v->len = strlen(text);
    apr_hash_set(d->values, apr_pstrdup(d->pool, name), APR_HASH_KEY_STRING, v);
}

void pgw_tdata_set(pgw_tdata_t *d, const char *name, const char *value)
{
    tdata_put(d, name, value ? apr_pstrdup(d->pool, value) : "");
}

void pgw_tdata_setf(pgw_tdata_t *d, const char *name, const char *fmt, ...)
{
    va_list ap;
    const char *text;

    va_start(ap, fmt);
    text = apr_pvsprintf(d->pool, fmt, ap);
    va_end(ap);
    tdata_put(d, name, text);
}

pgw_tdata_t *pgw_tdata_add_row(pgw_tdata_t *d, const char *list)
{
    pgw_tval_t *v = apr_hash_get(d->values, list, APR_HASH_KEY_STRING);
    pgw_tdata_t *row;

    if (v == NULL || v->rows == NULL) {
        /* A text value of the same name is replaced, like a second set. */
        v = apr_pcalloc(d->pool, sizeof(*v));
        v->text = "";
        v->rows = apr_array_make(d->pool, 8, sizeof(pgw_tdata_t *));
        apr_hash_set(d->values, apr_pstrdup(d->pool, list), APR_HASH_KEY_STRING,
                     v);
    }
    row = pgw_tdata_make(d->pool);
    APR_ARRAY_PUSH(v->rows, pgw_tdata_t *) = row;
    return row;
}

/* ------------------------------------------------------------ program */

typedef enum {
    PGW_OP_LIT,       /* copy lit */
    PGW_OP_TEXT,      /* the value, escaped */
    PGW_OP_ATTR,      /* lit is ` name="`; the value, escaped; `"` */
    PGW_OP_URL_ATTR,  /* the same, for values that must be local URLs */
    PGW_OP_BOOL_ATTR, /* lit is ` name`, written when the value is set */
    PGW_OP_IF,        /* skip to end unless the value is set */
    PGW_OP_UNLESS,    /* skip to end if the value is set */
    PGW_OP_EACH       /* ops up to end once per row of the list */
} pgw_op_kind_t;

typedef struct pgw_op_t {
    pgw_op_kind_t kind;
    int row_number;   /* the name is "_n" */
    const char *name; /* the value's name (all but LIT) */
    apr_size_t name_len;
    const char *lit;
    apr_size_t lit_len;
    apr_size_t lit_off; /* LIT while compiling: offset in the blob */
    int end;            /* IF, UNLESS, EACH: first op after the block */
} pgw_op_t;

struct pgw_tpl_t {
    const char *name;
    const pgw_op_t *ops;
    int nops;
};

struct pgw_tpl_set_t {
    apr_hash_t *templates; /* file name -> pgw_tpl_t */
};

/* ------------------------------------------------------------ render */

/* One level of the scope chain: the page data, then one per each row. */
typedef struct pgw_scope_t {
    const pgw_tdata_t *data;
    const struct pgw_scope_t *up;
    int n; /* 1-based row number; 0 at the page level */
} pgw_scope_t;

static const pgw_tval_t *scope_lookup(const pgw_scope_t *s, const pgw_op_t *op)
{
    const pgw_tval_t *v;

    for (; s != NULL; s = s->up) {
        v = apr_hash_get(s->data->values, op->name, op->name_len);
        if (v != NULL) {
            return v;
        }
    }
    return NULL;
}

/* The value's text; num is where "_n" is formatted, so that a render
 * allocates nothing of its own. */
static const char *op_text(const pgw_scope_t *s, const pgw_op_t *op,
                           char num[24], apr_size_t *len)
{
    const pgw_tval_t *v;

    if (op->row_number) {
        *len = s->n > 0 ? (apr_size_t)snprintf(num, 24, "%d", s->n) : 0;
        return num;
    }
    v = scope_lookup(s, op);
    *len = v ? v->len : 0;
    return v ? v->text : "";
}

static int op_true(const pgw_scope_t *s, const pgw_op_t *op)
{
    const pgw_tval_t *v;

    if (op->row_number) {
        return s->n > 0;
    }
    v = scope_lookup(s, op);
    if (v == NULL) {
        return 0;
    }
    return v->rows ? v->rows->nelts > 0 : v->len > 0;
}

/* Only same-site paths, fragments and queries may go into a URL
 * attribute: that refuses javascript: and data: (OWASP ASVS 5.0 V1.2.2)
 * and other sites. "//host" and "/\host" name another host, and browsers
 * drop tabs and newlines anywhere in a URL (WHATWG URL, "basic URL
 * parser"), so those bytes are refused as well. */
static int url_allowed(const char *s, apr_size_t len)
{
    apr_size_t i;

    if (len == 0 || (s[0] != '/' && s[0] != '#' && s[0] != '?')) {
        return 0;
    }
    if (s[0] == '/' && len > 1 && (s[1] == '/' || s[1] == '\\')) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x20 || c == 0x7f || c == '\\') {
            return 0;
        }
    }
    return 1;
}

static void render_attr(const pgw_scope_t *s, const pgw_op_t *op,
                        pgw_buf_t *out)
{
    char num[24];
    apr_size_t len;
    const char *text;

    if (op->kind == PGW_OP_BOOL_ATTR) {
        if (op_true(s, op)) {
            pgw_buf_append(out, op->lit, op->lit_len);
        }
        return;
    }
    text = op_text(s, op, num, &len);
    if (op->kind == PGW_OP_URL_ATTR && !url_allowed(text, len)) {
        text = "#";
        len = 1;
    }
    pgw_buf_append(out, op->lit, op->lit_len);
    pgw_buf_put_escaped(out, text, len);
    pgw_buf_append(out, "\"", 1);
}

static void render_range(const pgw_tpl_t *tpl, int from, int to,
                         const pgw_scope_t *s, pgw_buf_t *out);

static void render_each(const pgw_tpl_t *tpl, const pgw_op_t *op, int body,
                        const pgw_scope_t *s, pgw_buf_t *out)
{
    const pgw_tval_t *v = scope_lookup(s, op);
    pgw_scope_t row;
    int i;

    if (v == NULL || v->rows == NULL) {
        return;
    }
    row.up = s;
    for (i = 0; i < v->rows->nelts; i++) {
        row.data = APR_ARRAY_IDX(v->rows, i, const pgw_tdata_t *);
        row.n = i + 1;
        render_range(tpl, body, op->end, &row, out);
    }
}

static void render_range(const pgw_tpl_t *tpl, int from, int to,
                         const pgw_scope_t *s, pgw_buf_t *out)
{
    const pgw_op_t *op;
    const char *text;
    apr_size_t len;
    char num[24];
    int i = from;

    while (i < to) {
        op = &tpl->ops[i];
        switch (op->kind) {
        case PGW_OP_LIT:
            pgw_buf_append(out, op->lit, op->lit_len);
            break;
        case PGW_OP_TEXT:
            text = op_text(s, op, num, &len);
            pgw_buf_put_escaped(out, text, len);
            break;
        case PGW_OP_ATTR:
        case PGW_OP_URL_ATTR:
        case PGW_OP_BOOL_ATTR:
            render_attr(s, op, out);
            break;
        case PGW_OP_IF:
        case PGW_OP_UNLESS:
            if (op_true(s, op) != (op->kind == PGW_OP_IF)) {
                i = op->end;
                continue;
            }
            break;
        case PGW_OP_EACH:
            render_each(tpl, op, i + 1, s, out);
            i = op->end;
            continue;
        }
        i++;
    }
}

void pgw_tpl_render(const pgw_tpl_t *tpl, const pgw_tdata_t *data,
                    pgw_buf_t *out)
{
    pgw_scope_t top;
    pgw_tdata_t empty;

    if (data == NULL) {
        /* A scope without values: every name renders empty. */
        empty.pool = out->pool;
        empty.values = apr_hash_make(out->pool);
        data = &empty;
    }
    top.data = data;
    top.up = NULL;
    top.n = 0;
    render_range(tpl, 0, tpl->nops, &top, out);
}

/* ------------------------------------------------------------ compile */

typedef struct pgw_compiler_t {
    apr_pool_t *pool;        /* where the program and messages go */
    apr_pool_t *scratch;     /* file text, working arrays */
    const char *dir;         /* include directory, or NULL */
    const char *file;        /* the file being compiled, for messages */
    int depth;               /* include depth of that file */
    apr_array_header_t *ops; /* pgw_op_t */
    pgw_buf_t *blob;         /* every literal byte, in order */
    apr_size_t lit_start;    /* blob bytes not yet in a LIT op */
    const char *errmsg;
} pgw_compiler_t;

/* One dynamic attribute: data-pgw-attr="attr:name". */
typedef struct pgw_dyn_attr_t {
    const char *attr;
    const char *name;
} pgw_dyn_attr_t;

/* What the data-pgw-* attributes of one element ask for. */
typedef struct pgw_directives_t {
    const char *text;
    const char *if_name;
    const char *unless_name;
    const char *each;
    apr_array_header_t *attrs; /* pgw_dyn_attr_t, or NULL */
} pgw_directives_t;

static apr_status_t fail(pgw_compiler_t *c, const xmlNode *node,
                         const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static apr_status_t fail(pgw_compiler_t *c, const xmlNode *node,
                         const char *fmt, ...)
{
    va_list ap;
    const char *what;
    long line = node ? xmlGetLineNo(node) : 0;

    va_start(ap, fmt);
    what = apr_pvsprintf(c->pool, fmt, ap);
    va_end(ap);
    /* Nodes without a line (the DTD) come first in the file. */
    c->errmsg = apr_psprintf(c->pool, "%s:%ld: %s", c->file,
                             line > 0 ? line : 1L, what);
    return APR_EINVAL;
}

static void lit_put(pgw_compiler_t *c, const char *s)
{
    pgw_buf_puts(c->blob, s);
}

/* Literal text re-escaped for HTML: libxml2 hands us decoded text, and
 * the template's own "&lt;" must reach the browser as "&lt;" again.
 * Quotes are escaped too when the text goes into an attribute value. */
static void lit_escaped(pgw_compiler_t *c, const char *s, int in_attr)
{
    const char *run = s;

    for (; *s != '\0'; s++) {
        const char *entity = NULL;

        switch (*s) {
        case '&':
            entity = "&amp;";
            break;
        case '<':
            entity = "&lt;";
            break;
        case '>':
            entity = "&gt;";
            break;
        case '"':
            entity = in_attr ? "&quot;" : NULL;
            break;
        }
        if (entity != NULL) {
            pgw_buf_append(c->blob, run, (apr_size_t)(s - run));
            lit_put(c, entity);
            run = s + 1;
        }
    }
    pgw_buf_append(c->blob, run, (apr_size_t)(s - run));
}

/* Ends the literal chunk being written, so that an op can follow it. */
static void lit_flush(pgw_compiler_t *c)
{
    pgw_op_t *op;

    if (c->blob->len == c->lit_start) {
        return;
    }
    op = apr_array_push(c->ops);
    memset(op, 0, sizeof(*op));
    op->kind = PGW_OP_LIT;
    op->lit_off = c->lit_start;
    op->lit_len = c->blob->len - c->lit_start;
    c->lit_start = c->blob->len;
}

/* Appends a dynamic op; returns its index. */
static int emit(pgw_compiler_t *c, pgw_op_kind_t kind, const char *name)
{
    pgw_op_t *op;

    lit_flush(c);
    op = apr_array_push(c->ops);
    memset(op, 0, sizeof(*op));
    op->kind = kind;
    op->name = apr_pstrdup(c->pool, name);
    op->name_len = strlen(name);
    op->row_number = strcmp(name, "_n") == 0;
    return c->ops->nelts - 1;
}

/* Closes the block opened by the op at index at (-1: none). */
static void block_end(pgw_compiler_t *c, int at)
{
    if (at >= 0) {
        lit_flush(c);
        APR_ARRAY_IDX(c->ops, at, pgw_op_t).end = c->ops->nelts;
    }
}

static int name_valid(const char *s)
{
    apr_size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");

    return n > 0 && n <= PGW_TPL_NAME_MAX && s[n] == '\0';
}

static int attr_name_valid(const char *s)
{
    apr_size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-");

    return n > 0 && n <= PGW_TPL_NAME_MAX && s[n] == '\0' && s[0] >= 'a'
           && s[0] <= 'z';
}

/* Attributes whose value is script or style: escaping cannot make a
 * value safe there, and the Content-Security-Policy would block them in
 * the browser anyway (no inline script or style), so a template that uses
 * them is refused when it is loaded rather than found broken later. */
static int attr_forbidden(const char *name)
{
    return strncasecmp(name, "on", 2) == 0 || strcasecmp(name, "style") == 0
           || strcasecmp(name, "srcdoc") == 0;
}

static int attr_is_url(const char *name)
{
    return strcmp(name, "href") == 0 || strcmp(name, "src") == 0
           || strcmp(name, "action") == 0 || strcmp(name, "formaction") == 0;
}

static int attr_is_boolean(const char *name)
{
    static const char *const names[] = {"checked", "selected", "disabled",
                                        "hidden",  "required", "readonly",
                                        NULL};
    int i;

    for (i = 0; names[i] != NULL; i++) {
        if (strcmp(name, names[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* HTML void elements (WHATWG HTML 13.1.2): no end tag, no content. */
static int element_is_void(const char *name)
{
    static const char *const names[] = {"area", "base",   "br",    "col",
                                        "hr",   "img",    "input", "link",
                                        "meta", "source", "wbr",   NULL};
    int i;

    for (i = 0; names[i] != NULL; i++) {
        if (strcmp(name, names[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The text of an attribute node, without entity substitution (the
 * document has no DTD, so its children are plain text). */
static const char *attr_text(pgw_compiler_t *c, const xmlAttr *a)
{
    xmlChar *s = xmlNodeListGetString(a->doc, a->children, 1);
    const char *copy = apr_pstrdup(c->scratch, s ? (const char *)s : "");

    xmlFree(s);
    return copy;
}

/* Splits one "attr:name" item of data-pgw-attr (already trimmed). */
static apr_status_t parse_attr_item(pgw_compiler_t *c, const xmlNode *node,
                                    char *item, pgw_directives_t *d)
{
    char *colon = strchr(item, ':');
    pgw_dyn_attr_t *da;
    int i;

    if (colon == NULL) {
        return fail(c, node, "data-pgw-attr: \"%s\" is not attribute:name",
                    item);
    }
    *colon = '\0';
    if (!attr_name_valid(item) || attr_forbidden(item)) {
        return fail(c, node, "data-pgw-attr: attribute \"%s\" not allowed",
                    item);
    }
    if (!name_valid(colon + 1)) {
        return fail(c, node, "data-pgw-attr: bad name \"%s\"", colon + 1);
    }
    for (i = 0; i < d->attrs->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(d->attrs, i, pgw_dyn_attr_t).attr, item)) {
            return fail(c, node, "data-pgw-attr: \"%s\" set twice", item);
        }
    }
    da = apr_array_push(d->attrs);
    da->attr = item;
    da->name = colon + 1;
    return APR_SUCCESS;
}

static char *trim(char *s)
{
    char *end;

    s += strspn(s, " \t\r\n");
    end = s + strlen(s);
    while (end > s && strchr(" \t\r\n", end[-1]) != NULL) {
        *--end = '\0';
    }
    return s;
}

/* data-pgw-attr="a:name; b:x" (spaces around items and a final ';' are
 * allowed, as people write them). */
static apr_status_t parse_attr_list(pgw_compiler_t *c, const xmlNode *node,
                                    const char *value, pgw_directives_t *d)
{
    char *list = apr_pstrdup(c->scratch, value);
    char *item, *last;
    apr_status_t rv;

    d->attrs = apr_array_make(c->scratch, 4, sizeof(pgw_dyn_attr_t));
    for (item = apr_strtok(list, ";", &last); item != NULL;
         item = apr_strtok(NULL, ";", &last)) {
        item = trim(item);
        if (*item == '\0') {
            continue;
        }
        rv = parse_attr_item(c, node, item, d);
        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
    if (d->attrs->nelts == 0) {
        return fail(c, node, "data-pgw-attr is empty");
    }
    return APR_SUCCESS;
}

/* Stores one data-pgw-* attribute; anything unknown is an error, so that
 * a misspelt directive is found at load time and not by a user. */
static apr_status_t read_directive(pgw_compiler_t *c, const xmlNode *node,
                                   const char *which, const char *value,
                                   pgw_directives_t *d)
{
    const char **slot = NULL;

    if (strcmp(which, "attr") == 0) {
        return parse_attr_list(c, node, value, d);
    }
    if (strcmp(which, "text") == 0) {
        slot = &d->text;
    }
    else if (strcmp(which, "if") == 0) {
        slot = &d->if_name;
    }
    else if (strcmp(which, "unless") == 0) {
        slot = &d->unless_name;
    }
    else if (strcmp(which, "each") == 0) {
        slot = &d->each;
    }
    else {
        return fail(c, node, "unknown directive data-pgw-%s", which);
    }
    if (!name_valid(value)) {
        return fail(c, node, "data-pgw-%s: bad name \"%s\"", which, value);
    }
    *slot = value;
    return APR_SUCCESS;
}

static int is_directive(const xmlAttr *a)
{
    return a->ns == NULL
           && strncmp((const char *)a->name, PGW_TPL_DIRECTIVE,
                      sizeof(PGW_TPL_DIRECTIVE) - 1)
                  == 0;
}

static apr_status_t read_directives(pgw_compiler_t *c, const xmlNode *node,
                                    pgw_directives_t *d)
{
    const xmlAttr *a;
    apr_status_t rv;

    memset(d, 0, sizeof(*d));
    for (a = node->properties; a != NULL; a = a->next) {
        if (!is_directive(a)) {
            continue;
        }
        rv = read_directive(
            c, node, (const char *)a->name + sizeof(PGW_TPL_DIRECTIVE) - 1,
            attr_text(c, a), d);
        if (rv != APR_SUCCESS) {
            return rv;
        }
    }
    if (d->each && strcmp(d->each, "_n") == 0) {
        return fail(c, node, "data-pgw-each: _n is not a list");
    }
    return APR_SUCCESS;
}

static int attr_is_dynamic(const pgw_directives_t *d, const char *name)
{
    int i;

    for (i = 0; d->attrs != NULL && i < d->attrs->nelts; i++) {
        if (!strcmp(APR_ARRAY_IDX(d->attrs, i, pgw_dyn_attr_t).attr, name)) {
            return 1;
        }
    }
    return 0;
}

static const char *attr_qname(pgw_compiler_t *c, const xmlAttr *a)
{
    if (a->ns != NULL && a->ns->prefix != NULL) {
        return apr_pstrcat(c->scratch, (const char *)a->ns->prefix, ":",
                           (const char *)a->name, NULL);
    }
    return (const char *)a->name;
}

/* The template's own attributes, except directives and those a
 * data-pgw-attr replaces. */
static apr_status_t static_attrs(pgw_compiler_t *c, const xmlNode *node,
                                 const pgw_directives_t *d)
{
    const xmlAttr *a;
    const char *name;

    for (a = node->properties; a != NULL; a = a->next) {
        name = attr_qname(c, a);
        if (is_directive(a) || attr_is_dynamic(d, name)) {
            continue;
        }
        if (attr_forbidden(name)) {
            return fail(c, node,
                        "attribute %s not allowed (inline script "
                        "or style)",
                        name);
        }
        lit_put(c, " ");
        lit_put(c, name);
        lit_put(c, "=\"");
        lit_escaped(c, attr_text(c, a), 1);
        lit_put(c, "\"");
    }
    return APR_SUCCESS;
}

static void dynamic_attrs(pgw_compiler_t *c, const pgw_directives_t *d)
{
    pgw_dyn_attr_t *da;
    pgw_op_t *op;
    int i, at;

    for (i = 0; d->attrs != NULL && i < d->attrs->nelts; i++) {
        da = &APR_ARRAY_IDX(d->attrs, i, pgw_dyn_attr_t);
        if (attr_is_boolean(da->attr)) {
            at = emit(c, PGW_OP_BOOL_ATTR, da->name);
        }
        else {
            at = emit(c, attr_is_url(da->attr) ? PGW_OP_URL_ATTR : PGW_OP_ATTR,
                      da->name);
        }
        op = &APR_ARRAY_IDX(c->ops, at, pgw_op_t);
        op->lit = apr_pstrcat(c->pool, " ", da->attr,
                              op->kind == PGW_OP_BOOL_ATTR ? "" : "=\"", NULL);
        op->lit_len = strlen(op->lit);
    }
}

static apr_status_t compile_nodes(pgw_compiler_t *c, const xmlNode *node);
static apr_status_t compile_element(pgw_compiler_t *c, const xmlNode *node);

/* True when the element has content other than comments. */
static int has_content(const xmlNode *node)
{
    const xmlNode *k;

    for (k = node->children; k != NULL; k = k->next) {
        if (k->type != XML_COMMENT_NODE && k->type != XML_PI_NODE) {
            return 1;
        }
    }
    return 0;
}

/* Raw text elements: their content is not HTML-escaped by browsers, so
 * the engine cannot put anything into them safely; the CSP forbids inline
 * script and style anyway. */
static int element_is_raw_text(const char *name)
{
    return strcmp(name, "script") == 0 || strcmp(name, "style") == 0;
}

static apr_status_t element_content(pgw_compiler_t *c, const xmlNode *node,
                                    const pgw_directives_t *d)
{
    const char *name = (const char *)node->name;

    if (element_is_raw_text(name) && (d->text || has_content(node))) {
        return fail(c, node, "inline content in <%s> not allowed", name);
    }
    /* The HTML parser drops one newline right after these start tags
     * (WHATWG HTML 13.2.6.4.7); ours keeps a leading one in the text. */
    if (strcmp(name, "pre") == 0 || strcmp(name, "textarea") == 0) {
        lit_put(c, "\n");
    }
    if (d->text != NULL) {
        emit(c, PGW_OP_TEXT, d->text);
        return APR_SUCCESS;
    }
    return compile_nodes(c, node->children);
}

/* Start tag, content and end tag, inside the blocks of the element's
 * each, if and unless. */
static apr_status_t element_body(pgw_compiler_t *c, const xmlNode *node,
                                 const pgw_directives_t *d)
{
    const char *name = (const char *)node->name;
    apr_status_t rv;

    lit_put(c, "<");
    lit_put(c, name);
    rv = static_attrs(c, node, d);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    dynamic_attrs(c, d);
    lit_put(c, ">");
    if (element_is_void(name)) {
        if (d->text || has_content(node)) {
            return fail(c, node, "<%s> is a void element: no content", name);
        }
        return APR_SUCCESS;
    }
    rv = element_content(c, node, d);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    lit_put(c, "</");
    lit_put(c, name);
    lit_put(c, ">");
    return APR_SUCCESS;
}

/* Reads a template file of the include directory into scratch memory. */
static apr_status_t read_file(pgw_compiler_t *c, const xmlNode *node,
                              const char *path, char **text, apr_size_t *len)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    char *buf;
    char err[120];

    rv = apr_file_open(&f, path, APR_FOPEN_READ, APR_OS_DEFAULT, c->scratch);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&fi, APR_FINFO_SIZE, f);
    }
    if (rv == APR_SUCCESS && fi.size > PGW_TPL_FILE_MAX) {
        apr_file_close(f);
        return fail(c, node, "%s: larger than %d bytes", path,
                    PGW_TPL_FILE_MAX);
    }
    if (rv == APR_SUCCESS) {
        buf = apr_palloc(c->scratch, (apr_size_t)fi.size + 1);
        rv = apr_file_read_full(f, buf, (apr_size_t)fi.size, len);
        buf[*len] = '\0';
        apr_file_close(f);
    }
    if (rv != APR_SUCCESS) {
        return fail(c, node, "cannot read %s: %s", path,
                    apr_strerror(rv, err, sizeof(err)));
    }
    *text = buf;
    return APR_SUCCESS;
}

static apr_status_t compile_text(pgw_compiler_t *c, const char *name,
                                 const char *text, apr_size_t len, int is_page);

/* An included file name is a plain name in the template directory: no
 * path, so that a template can never read a file outside it. */
static int include_name_valid(const char *file)
{
    return file[0] != '\0' && file[0] != '.' && strchr(file, '/') == NULL
           && strchr(file, '\\') == NULL && strstr(file, "..") == NULL
           && strlen(file) <= 255;
}

static apr_status_t compile_include(pgw_compiler_t *c, const xmlNode *node)
{
    const xmlAttr *a = node->properties;
    const char *file, *path, *saved = c->file;
    char *text;
    apr_size_t len;
    apr_status_t rv;

    if (a == NULL || a->next != NULL || a->ns != NULL
        || strcmp((const char *)a->name, "file") != 0 || has_content(node)) {
        return fail(c, node,
                    "<pgw-include> takes one attribute, file, "
                    "and no content");
    }
    file = attr_text(c, a);
    if (!include_name_valid(file)) {
        return fail(c, node, "<pgw-include>: bad file name \"%s\"", file);
    }
    if (c->dir == NULL) {
        return fail(c, node, "<pgw-include>: no template directory");
    }
    if (c->depth >= PGW_TPL_INCLUDE_MAX) {
        return fail(c, node, "<pgw-include> %s: nested more than %d deep", file,
                    PGW_TPL_INCLUDE_MAX);
    }
    path = apr_pstrcat(c->pool, c->dir, "/", file, NULL);
    rv = read_file(c, node, path, &text, &len);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    c->depth++;
    rv = compile_text(c, path, text, len, 0);
    c->depth--;
    c->file = saved;
    return rv;
}

static apr_status_t compile_element(pgw_compiler_t *c, const xmlNode *node)
{
    const char *name = (const char *)node->name;
    pgw_directives_t d;
    int each = -1, when = -1, unless = -1;
    apr_status_t rv;

    if (strcmp(name, "pgw-include") == 0) {
        return compile_include(c, node);
    }
    if (strncmp(name, "pgw-", 4) == 0) {
        return fail(c, node, "unknown element <%s>", name);
    }
    rv = read_directives(c, node, &d);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    /* each is outermost, so that if and unless can test the row. */
    if (d.each) {
        each = emit(c, PGW_OP_EACH, d.each);
    }
    if (d.if_name) {
        when = emit(c, PGW_OP_IF, d.if_name);
    }
    if (d.unless_name) {
        unless = emit(c, PGW_OP_UNLESS, d.unless_name);
    }
    rv = element_body(c, node, &d);
    block_end(c, unless);
    block_end(c, when);
    block_end(c, each);
    return rv;
}

static apr_status_t compile_nodes(pgw_compiler_t *c, const xmlNode *node)
{
    apr_status_t rv = APR_SUCCESS;

    for (; node != NULL && rv == APR_SUCCESS; node = node->next) {
        switch (node->type) {
        case XML_ELEMENT_NODE:
            rv = compile_element(c, node);
            break;
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            lit_escaped(c, (const char *)node->content, 0);
            break;
        case XML_COMMENT_NODE:
        case XML_PI_NODE:
            /* Template comments are for the people editing templates. */
            break;
        case XML_ENTITY_REF_NODE:
            rv = fail(c, node,
                      "entity &%s; not supported (write the "
                      "character or a numeric reference)",
                      node->name);
            break;
        default:
            rv =
                fail(c, node, "unexpected XML node (type %d)", (int)node->type);
            break;
        }
    }
    return rv;
}

/* Collects the first error libxml2 reports: later ones are usually
 * consequences of it. Called with the parser context as ctx. */
static void xml_error(void *ctx, pgw_xml_error_t *err)
{
    xmlParserCtxtPtr ctxt = ctx;
    pgw_compiler_t *c = ctxt->_private;
    apr_size_t n;
    char *msg;

    if (c->errmsg != NULL || err->level < XML_ERR_ERROR) {
        return;
    }
    msg = apr_pstrdup(c->pool, err->message ? err->message : "XML error");
    n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) {
        msg[--n] = '\0';
    }
    c->errmsg = apr_psprintf(c->pool, "%s:%d: %s",
                             err->file ? err->file : c->file, err->line, msg);
}

static void xml_quiet(void *ctx, const char *msg, ...)
{
}

/* Parses text into a document; on failure c->errmsg says where. */
static apr_status_t parse_xml(pgw_compiler_t *c, const char *text,
                              apr_size_t len, xmlDocPtr *docp)
{
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;
    pgw_xml_error_t *last;
    xmlGenericErrorFunc saved_handler;
    void *saved_handler_ctx;

    if (len > INT_MAX) {
        return fail(c, NULL, "file too large");
    }
    ctxt = xmlNewParserCtxt();
    if (ctxt == NULL) {
        return APR_ENOMEM;
    }
    ctxt->_private = c;
    ctxt->sax->serror = xml_error;
    /* A few libxml2 messages (encoding conversion) bypass the context and
     * go to the generic handler, that is stderr, the server's error log:
     * silence it for this thread while we parse; the context reports the
     * error that matters. */
    saved_handler = xmlGenericError;
    saved_handler_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, xml_quiet);
    doc =
        xmlCtxtReadMemory(ctxt, text, (int)len, c->file, NULL, PGW_XML_OPTIONS);
    xmlSetGenericErrorFunc(saved_handler_ctx, saved_handler);
    if (doc != NULL && ctxt->wellFormed && c->errmsg == NULL) {
        xmlFreeParserCtxt(ctxt);
        *docp = doc;
        return APR_SUCCESS;
    }
    if (c->errmsg == NULL) {
        last = xmlCtxtGetLastError(ctxt);
        fail(c, NULL, "%s",
             last && last->message ? last->message : "not well-formed XML");
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return APR_EINVAL;
}

/* Declarations in the document's own DTD could define entities, which
 * the engine neither expands nor needs: "<!DOCTYPE html>" is all a
 * template may carry. */
static apr_status_t check_dtd(pgw_compiler_t *c, xmlDocPtr doc)
{
    if (doc->intSubset != NULL && doc->intSubset->children != NULL) {
        return fail(c, (const xmlNode *)doc->intSubset,
                    "DTD declarations are not supported");
    }
    return APR_SUCCESS;
}

/* The root element of a page, or of an included file; <pgw-fragment>
 * stands for its children only. A page whose root is html starts with
 * the HTML5 doctype (whatever the file had, it is not serialised). */
static apr_status_t compile_root(pgw_compiler_t *c, const xmlNode *root,
                                 int is_page)
{
    const char *name = (const char *)root->name;

    if (strcmp(name, "pgw-fragment") == 0) {
        if (root->properties != NULL) {
            return fail(c, root, "<pgw-fragment> takes no attributes");
        }
        return compile_nodes(c, root->children);
    }
    if (is_page && strcmp(name, "html") == 0) {
        lit_put(c, "<!DOCTYPE html>\n");
    }
    return compile_element(c, root);
}

static apr_status_t compile_text(pgw_compiler_t *c, const char *name,
                                 const char *text, apr_size_t len, int is_page)
{
    xmlDocPtr doc = NULL;
    apr_status_t rv;

    c->file = name;
    rv = parse_xml(c, text, len, &doc);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = check_dtd(c, doc);
    if (rv == APR_SUCCESS) {
        rv = compile_root(c, xmlDocGetRootElement(doc), is_page);
    }
    xmlFreeDoc(doc);
    return rv;
}

/* Copies the program out of scratch memory: one block for all literal
 * bytes, one array of ops. */
static pgw_tpl_t *program_finish(pgw_compiler_t *c, const char *name)
{
    pgw_tpl_t *tpl = apr_palloc(c->pool, sizeof(*tpl));
    const char *blob;
    pgw_op_t *ops;
    int i;

    lit_flush(c);
    blob = apr_pmemdup(c->pool, c->blob->data, c->blob->len + 1);
    ops =
        apr_pcalloc(c->pool, sizeof(pgw_op_t) * (apr_size_t)c->ops->nelts + 1);
    memcpy(ops, c->ops->elts, sizeof(pgw_op_t) * (apr_size_t)c->ops->nelts);
    for (i = 0; i < c->ops->nelts; i++) {
        if (ops[i].kind == PGW_OP_LIT) {
            ops[i].lit = blob + ops[i].lit_off;
        }
    }
    tpl->name = apr_pstrdup(c->pool, name);
    tpl->ops = ops;
    tpl->nops = c->ops->nelts;
    return tpl;
}

apr_status_t pgw_tpl_compile(apr_pool_t *p, const char *name, const char *text,
                             apr_size_t len, const char *dir, pgw_tpl_t **tpl,
                             const char **errmsg)
{
    pgw_compiler_t c;
    apr_status_t rv;

    memset(&c, 0, sizeof(c));
    c.pool = p;
    c.dir = dir;
    rv = apr_pool_create(&c.scratch, p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    c.ops = apr_array_make(c.scratch, 64, sizeof(pgw_op_t));
    c.blob = pgw_buf_make(c.scratch, 4096);
    rv = compile_text(&c, name, text, len, 1);
    if (rv == APR_SUCCESS) {
        *tpl = program_finish(&c, name);
    }
    else {
        *errmsg = c.errmsg ? c.errmsg : "out of memory";
    }
    apr_pool_destroy(c.scratch);
    return rv;
}

/* ------------------------------------------------------------ sets */

static int page_file(const char *name)
{
    apr_size_t n = strlen(name);

    return name[0] != '_' && name[0] != '.' && n > 5
           && strcmp(name + n - 5, ".html") == 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The page templates of dir, sorted so that the first error reported is
 * always the same one. */
static apr_status_t list_pages(apr_pool_t *p, const char *dir,
                               apr_array_header_t **pages, const char **errmsg)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    apr_status_t rv;
    apr_array_header_t *names = apr_array_make(p, 16, sizeof(char *));
    char err[120];

    rv = apr_dir_open(&d, dir, p);
    if (rv != APR_SUCCESS) {
        *errmsg =
            apr_psprintf(p, "%s: %s", dir, apr_strerror(rv, err, sizeof(err)));
        return rv;
    }
    while (apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE, d)
           == APR_SUCCESS) {
        if (fi.filetype == APR_REG && page_file(fi.name)) {
            APR_ARRAY_PUSH(names, char *) = apr_pstrdup(p, fi.name);
        }
    }
    apr_dir_close(d);
    qsort(names->elts, (size_t)names->nelts, sizeof(char *), compare_names);
    *pages = names;
    return APR_SUCCESS;
}

static apr_status_t load_page(apr_pool_t *p, const char *dir, const char *file,
                              pgw_tpl_t **tpl, const char **errmsg)
{
    const char *path = apr_pstrcat(p, dir, "/", file, NULL);
    pgw_compiler_t c;
    char *text;
    apr_size_t len;
    apr_status_t rv;

    memset(&c, 0, sizeof(c));
    c.pool = p;
    c.file = path;
    rv = apr_pool_create(&c.scratch, p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = read_file(&c, NULL, path, &text, &len);
    if (rv == APR_SUCCESS) {
        rv = pgw_tpl_compile(p, path, text, len, dir, tpl, errmsg);
    }
    else {
        *errmsg = c.errmsg;
    }
    apr_pool_destroy(c.scratch);
    return rv;
}

apr_status_t pgw_tpl_set_load(apr_pool_t *p, const char *dir,
                              pgw_tpl_set_t **set, const char **errmsg)
{
    pgw_tpl_set_t *s = apr_palloc(p, sizeof(*s));
    apr_array_header_t *pages;
    pgw_tpl_t *tpl;
    const char *file;
    apr_status_t rv;
    int i;

    rv = list_pages(p, dir, &pages, errmsg);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    s->templates = apr_hash_make(p);
    for (i = 0; i < pages->nelts; i++) {
        file = APR_ARRAY_IDX(pages, i, const char *);
        rv = load_page(p, dir, file, &tpl, errmsg);
        if (rv != APR_SUCCESS) {
            return rv;
        }
        apr_hash_set(s->templates, file, APR_HASH_KEY_STRING, tpl);
    }
    *set = s;
    return APR_SUCCESS;
}

const pgw_tpl_t *pgw_tpl_get(const pgw_tpl_set_t *set, const char *name)
{
    if (set == NULL || name == NULL) {
        return NULL;
    }
    return apr_hash_get(set->templates, name, APR_HASH_KEY_STRING);
}

void pgw_tpl_global_init(void)
{
    xmlInitParser();
}
