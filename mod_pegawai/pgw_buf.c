/* The growable output buffer pages are rendered into, and the one HTML
 * escaping function every inserted value goes through.
 */
#include <stdlib.h>
#include <string.h>

#include "pgw_buf.h"
#include "pgw_utf8.h"

#define PGW_BUF_MIN 256

/* U+FFFD REPLACEMENT CHARACTER in UTF-8. */
#define PGW_REPLACEMENT "\xEF\xBF\xBD"

/* Memory exhaustion is not an error a page can report: like apr_palloc()
 * in httpd, hand it to the pool's abort function, and never return. */
static void buf_out_of_memory(pgw_buf_t *b)
{
    apr_abortfunc_t abort_fn = apr_pool_abort_get(b->pool);

    if (abort_fn) {
        abort_fn(APR_ENOMEM);
    }
    abort();
}

/* Makes room for more bytes plus the terminating NUL. Pools never free,
 * so the old block stays until the pool goes; doubling keeps that waste
 * below the final size. */
static void buf_reserve(pgw_buf_t *b, apr_size_t more)
{
    apr_size_t cap;
    char *data;

    if (more < b->cap - b->len) {
        return;
    }
    if (more > APR_SIZE_MAX / 2 - b->len) {
        buf_out_of_memory(b);
    }
    cap = b->cap * 2;
    if (cap < b->len + more + 1) {
        cap = b->len + more + 1;
    }
    data = apr_palloc(b->pool, cap);
    if (data == NULL) {
        buf_out_of_memory(b);
    }
    memcpy(data, b->data, b->len + 1);
    b->data = data;
    b->cap = cap;
}

pgw_buf_t *pgw_buf_make(apr_pool_t *p, apr_size_t initial)
{
    pgw_buf_t *b = apr_palloc(p, sizeof(*b));

    b->pool = p;
    b->cap = initial < PGW_BUF_MIN ? PGW_BUF_MIN : initial;
    b->data = apr_palloc(p, b->cap);
    if (b->data == NULL) {
        buf_out_of_memory(b);
    }
    b->data[0] = '\0';
    b->len = 0;
    return b;
}

void pgw_buf_append(pgw_buf_t *b, const char *s, apr_size_t len)
{
    if (len == 0) {
        return;
    }
    buf_reserve(b, len);
    memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void pgw_buf_puts(pgw_buf_t *b, const char *s)
{
    if (s != NULL) {
        pgw_buf_append(b, s, strlen(s));
    }
}

/* The entity for a byte that must not appear literally, or NULL. The
 * apostrophe is numeric because HTML 4 has no &apos;. */
static const char *html_entity(unsigned char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return NULL;
    }
}

/* C0 controls are parse errors in HTML (WHATWG HTML, "Preprocessing the
 * input stream") and the tokenizer treats NUL differently from state to
 * state, so none reaches the page except the three whitespace ones. */
static int html_forbidden_control(unsigned char c)
{
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

/* How many bytes from s can be copied as they are: ASCII text without
 * special characters, and whole well-formed UTF-8 sequences. */
static apr_size_t html_safe_run(const char *s, apr_size_t len)
{
    apr_size_t i = 0, n;
    unsigned char c;

    while (i < len) {
        c = (unsigned char)s[i];
        if (c < 0x80) {
            if (html_entity(c) || html_forbidden_control(c)) {
                break;
            }
            i++;
            continue;
        }
        n = pgw_utf8_sequence_len(s + i, len - i);
        if (n == 0) {
            break;
        }
        i += n;
    }
    return i;
}

void pgw_buf_put_escaped(pgw_buf_t *b, const char *s, apr_size_t len)
{
    apr_size_t run;
    const char *entity;

    while (len > 0) {
        run = html_safe_run(s, len);
        pgw_buf_append(b, s, run);
        s += run;
        len -= run;
        if (len == 0) {
            break;
        }
        /* s[0] starts neither safe text nor a valid sequence: replace
         * that one byte and resynchronise on the next. */
        entity = html_entity((unsigned char)s[0]);
        pgw_buf_puts(b, entity ? entity : PGW_REPLACEMENT);
        s++;
        len--;
    }
}
