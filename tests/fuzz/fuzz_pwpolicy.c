/* libFuzzer target for the rules of a new password (pgw_pwpolicy.c).
 *
 * The input is checked whole as the demo employee's new password, then
 * split at newlines into a password, an NRK, a NIP and a birth date
 * (anything after a fourth newline is ignored) and checked again. The real
 * conf/common-passwords.txt is loaded once (run from the repository root, as
 * make test-fuzz does). A refusal must be APR_EINVAL with one of the header's
 * messages; an accepted password must have the size, encoding and length the
 * header promises and not be on the list; the field helpers must agree
 * with strcmp().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_pwpolicy.h"
#include "pgw_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static apr_pool_t *root;
static pgw_pwpolicy_t *list;

static void require(int condition)
{
    if (!condition) {
        abort();
    }
}

static void load_once(void)
{
    const char *msg;

    apr_initialize();
    apr_pool_create(&root, NULL);
    if (pgw_pwpolicy_load(root, "conf/common-passwords.txt", &list, &msg)
        != APR_SUCCESS) {
        fprintf(stderr, "fuzz_pwpolicy: %s\n", msg);
        abort();
    }
}

static int known_message(const char *msg)
{
    static const char *const all[] = {PGW_PWMSG_TOO_SHORT, PGW_PWMSG_TOO_LONG,
                                      PGW_PWMSG_NOT_UTF8,  PGW_PWMSG_REPEATED,
                                      PGW_PWMSG_COMMON,    PGW_PWMSG_PERSONAL};
    size_t i;

    for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (strcmp(msg, all[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

static apr_size_t code_points(const char *s)
{
    apr_size_t n = 0;

    for (; *s != '\0'; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

static void check(apr_pool_t *p, const char *password, const char *nrk,
                  const char *nip, const char *lahir)
{
    static const char unset[] = "unset";
    const char *msg = unset;
    apr_status_t rv;
    size_t len = strlen(password);

    rv = pgw_pwpolicy_check(p, list, password, nrk, nip, lahir, &msg);
    if (rv != APR_SUCCESS) {
        require(rv == APR_EINVAL && known_message(msg));
        return;
    }
    require(msg == unset);
    require(len <= PGW_PWPOLICY_MAX_BYTES && pgw_utf8_valid(password, len));
    require(code_points(password) >= PGW_PWPOLICY_MIN_CHARS);
    require(!pgw_pwpolicy_listed(list, password));
}

/* The next field of *rest up to a newline, or NULL after the last. */
static const char *next_field(char **rest)
{
    char *field = *rest, *nl;

    if (field == NULL) {
        return NULL;
    }
    nl = strchr(field, '\n');
    if (nl != NULL) {
        *nl = '\0';
        *rest = nl + 1;
    }
    else {
        *rest = NULL;
    }
    return field;
}

static void check_fields(apr_pool_t *p, const char *s)
{
    const char *msg = NULL;
    apr_status_t same =
        strcmp(s, "rahasia-demo") == 0 ? APR_SUCCESS : APR_EINVAL;

    require(pgw_pwpolicy_confirm(s, s, &msg) == APR_SUCCESS);
    require(pgw_pwpolicy_confirm(s, "rahasia-demo", &msg) == same);
    require(pgw_pwpolicy_differs(s, s, &msg) == APR_EINVAL);
    require(strcmp(msg, PGW_PWMSG_SAME_AS_OLD) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *password, *nrk, *nip, *lahir, *whole;
    apr_pool_t *p;
    char *rest;

    if (root == NULL) {
        load_once();
    }
    apr_pool_create(&p, root);
    whole = apr_pstrmemdup(p, (const char *)data, size);
    check(p, whole, "181679", "198307052011011018", "1983-07-05");
    check_fields(p, whole);

    rest = apr_pstrdup(p, whole);
    password = next_field(&rest);
    nrk = next_field(&rest);
    nip = next_field(&rest);
    lahir = next_field(&rest);
    check(p, password, nrk, nip, lahir);
    apr_pool_destroy(p);
    return 0;
}
