/* mod_pegawai: the self-service portal of a civil service.
 *
 * This file is the module record: hook registration and the routing of
 * the portal's fixed URLs (PRODUCT.md, "The interface") to one handler
 * each. The pages live in mod_pegawai_<page>.c, the logic in pgw_*.c.
 */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

#include "mod_pegawai.h"
#include "pgw_password.h"

#define GET_ONLY  (AP_METHOD_BIT << M_GET)
#define POST_ONLY (AP_METHOD_BIT << M_POST)
#define GET_POST  (GET_ONLY | POST_ONLY)

typedef struct route {
    const char *path;
    const char *handler;
    apr_int64_t methods;
    int (*fn)(request_rec *r);
} route;

/* Routes an account that must change its temporary password may still
 * use (issue 5); every other page sends it to /akun/password first. */
static int before_password_change(const route *rt)
{
    return !strcmp(rt->path, "/login") || !strcmp(rt->path, "/logout")
           || !strcmp(rt->path, "/akun/password");
}

static const route routes[] = {
    {"/", "pegawai-home", GET_ONLY, pegawai_handle_home},
    {"/login", "pegawai-login", GET_POST, pegawai_handle_login},
    {"/logout", "pegawai-logout", POST_ONLY, pegawai_handle_logout},
    {"/profile", "pegawai-profile", GET_ONLY, pegawai_handle_profile},
    {"/profile/data", "pegawai-data", GET_POST, pegawai_handle_data},
    {"/profile/riwayat", "pegawai-riwayat-perubahan", GET_ONLY,
     pegawai_handle_history},
    {"/profile/unduh", "pegawai-unduh", GET_ONLY, pegawai_handle_unduh},
    {"/riwayat/alamat", "pegawai-riwayat-alamat", GET_ONLY,
     pegawai_handle_alamat},
    {"/riwayat/alamat/tambah", "pegawai-alamat-tambah", GET_POST,
     pegawai_handle_alamat_tambah},
    {"/riwayat/alamat/ubah", "pegawai-alamat-ubah", GET_POST,
     pegawai_handle_alamat_ubah},
    {"/riwayat/alamat/hapus", "pegawai-alamat-hapus", POST_ONLY,
     pegawai_handle_alamat_hapus},
    {"/riwayat/alamat/wilayah", "pegawai-wilayah", GET_ONLY,
     pegawai_handle_wilayah},
    {"/akun/foto", "pegawai-akun-foto", GET_POST, pegawai_handle_akun_foto},
    {"/profile/foto", "pegawai-profile-foto", GET_ONLY,
     pegawai_handle_profile_foto},
    {"/akun/password", "pegawai-akun-password", GET_POST,
     pegawai_handle_akun_password},
    {NULL, NULL, 0, NULL}};

#define NOT_FOUND_HANDLER "pegawai-notfound"

static const route *route_by_path(const char *uri)
{
    const route *rt;

    for (rt = routes; rt->path; rt++) {
        if (!strcmp(rt->path, uri)) {
            return rt;
        }
    }
    return NULL;
}

static const route *route_by_handler(const char *handler)
{
    const route *rt;

    for (rt = routes; rt->path; rt++) {
        if (!strcmp(rt->handler, handler)) {
            return rt;
        }
    }
    return NULL;
}

/* The portal's URLs are not files: skipping the directory walk saves
 * the stat() calls of every request. */
static int pegawai_map_to_storage(request_rec *r)
{
    if (!pegawai_enabled(r) || !r->uri || r->uri[0] != '/') {
        return DECLINED;
    }
    return OK;
}

static int pegawai_fixups(request_rec *r)
{
    const route *rt;

    if (!pegawai_enabled(r) || !r->uri) {
        return DECLINED;
    }
    rt = route_by_path(r->uri);
    r->handler = rt ? rt->handler : NOT_FOUND_HANDLER;
    return OK;
}

static int method_allowed(request_rec *r, const route *rt)
{
    if (r->method_number == M_GET && r->header_only) {
        return (rt->methods & GET_ONLY) != 0;
    }
    if (r->method_number != M_GET && r->method_number != M_POST) {
        return 0;
    }
    return (rt->methods & (AP_METHOD_BIT << r->method_number)) != 0;
}

static void set_allow(request_rec *r, const route *rt)
{
    const char *allow = (rt->methods & GET_ONLY) ? "GET, HEAD" : "";

    if (rt->methods & POST_ONLY) {
        allow = *allow ? apr_pstrcat(r->pool, allow, ", POST", NULL) : "POST";
    }
    apr_table_setn(r->err_headers_out, "Allow", allow);
}

static int pegawai_handler(request_rec *r)
{
    const route *rt;

    if (!r->handler || strncmp(r->handler, "pegawai-", 8)) {
        return DECLINED;
    }
    if (!strcmp(r->handler, NOT_FOUND_HANDLER)) {
        return pegawai_error_page(r, HTTP_NOT_FOUND, NULL);
    }
    rt = route_by_handler(r->handler);
    if (!rt) {
        return DECLINED;
    }
    if (!method_allowed(r, rt)) {
        set_allow(r, rt);
        return pegawai_error_page(r, HTTP_METHOD_NOT_ALLOWED, NULL);
    }
    if (!before_password_change(rt)) {
        const pegawai_session *sess = pegawai_session_get(r, NULL);

        if (sess && sess->must_change_password) {
            return pegawai_redirect(r, "/akun/password");
        }
    }
    return rt->fn(r);
}

static int pegawai_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp, server_rec *s)
{
    if (pgw_password_init() != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s,
                     "PGW00002: libsodium failed to initialise");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    pegawai_db_sqlite_init(s);
    pegawai_db_register(pconf, s);
    return OK;
}

/* The defaults that name files (templates, common passwords) are loaded
 * and checked here, after every directive was read: check_config runs
 * under "apache2 -t" too, where a failure makes the test fail instead of
 * printing "Syntax OK" for a server that will not start. */
static int pegawai_check_config(apr_pool_t *pconf, apr_pool_t *plog,
                                apr_pool_t *ptemp, server_rec *s)
{
    if (pegawai_config_check(ptemp, s) != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return OK;
}

static void pegawai_child_init(apr_pool_t *p, server_rec *s)
{
    pegawai_auth_child_init(p, s);
    pegawai_foto_child_init(p, s);
    pegawai_db_child_init(p, s);
}

static void pegawai_optional_fns(void)
{
    pegawai_db_retrieve_fns();
}

static void pegawai_register_hooks(apr_pool_t *p)
{
    /* Statements must reach mod_dbd before its post_config builds the
     * connection pools. */
    static const char *const before_dbd[] = {"mod_dbd.c", NULL};

    ap_hook_post_config(pegawai_post_config, NULL, before_dbd, APR_HOOK_MIDDLE);
    ap_hook_check_config(pegawai_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(pegawai_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_optional_fn_retrieve(pegawai_optional_fns, NULL, NULL,
                                 APR_HOOK_MIDDLE);
    ap_hook_map_to_storage(pegawai_map_to_storage, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_fixups(pegawai_fixups, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_authn(pegawai_check_authn, NULL, NULL, APR_HOOK_MIDDLE,
                        AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_note_auth_failure(pegawai_note_auth_failure, NULL, NULL,
                              APR_HOOK_MIDDLE);
    ap_hook_handler(pegawai_handler, NULL, NULL, APR_HOOK_MIDDLE);
    pegawai_auth_register(p);
}

AP_DECLARE_MODULE(pegawai) = {STANDARD20_MODULE_STUFF, pegawai_create_dir_cfg,
                              pegawai_merge_dir_cfg,   pegawai_create_srv_cfg,
                              pegawai_merge_srv_cfg,   pegawai_cmds,
                              pegawai_register_hooks,  AP_MODULE_FLAG_NONE};
