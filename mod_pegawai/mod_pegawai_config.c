/* The module's directives: each one's default, merge rule and validation
 * sit here, and conf/pegawai.conf documents every one of them (make lint
 * checks that the two agree).
 */
#include <errno.h>
#include <stdlib.h>

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "ap_provider.h"
#include "mod_auth.h"
#include "apr_strings.h"

#include "mod_pegawai.h"
#include "pgw_photo_conf.h"
#include "pgw_pwpolicy.h"

/* Defaults (PRODUCT.md: idle 30 minutes, absolute 12 hours; ASVS V6.2
 * argon2id at least t=2, m=19 MiB; V6.3.1 at most 100 failures an hour
 * per account). Each names its directive, beside it or on the line
 * above: make lint compares it with conf/pegawai.conf's Default line. */
/* PegawaiTemplateDir */
#define DEFAULT_TEMPLATE_DIR "/usr/share/mod_pegawai/templates"
/* PegawaiCommonPasswords */
#define DEFAULT_COMMON_PASSWORDS "/usr/share/mod_pegawai/common-passwords.txt"
#define DEFAULT_STATIC_URL       "/static"     /* PegawaiStaticURL */
#define DEFAULT_IDLE             1800          /* PegawaiSessionIdleTimeout */
#define DEFAULT_MAX_AGE          43200         /* PegawaiSessionMaxAge */
#define DEFAULT_DEVICE_MAX_AGE   (180 * 86400) /* PegawaiDeviceCookieMaxAge */
#define DEFAULT_MAX_FORM_BODY    65536         /* PegawaiMaxFormBody */
#define DEFAULT_PW_OPS           2             /* PegawaiPasswordCost[1] */
#define DEFAULT_PW_MEM_KIB       19456         /* PegawaiPasswordCost[2] */
#define DEFAULT_THROTTLE_ACCOUNT 100           /* PegawaiThrottleAccount */
#define DEFAULT_THROTTLE_ADDRESS 1000          /* PegawaiThrottleAddress */
#define DEFAULT_PW_CONCURRENCY   4             /* PegawaiPasswordConcurrency */
#define DEFAULT_PHOTO_DECODES    2             /* PegawaiPhotoConcurrency */

#define MERGE_INT(f) (add->f != -1 ? add->f : base->f)
#define MERGE_PTR(f) (add->f ? add->f : base->f)

void *pegawai_create_srv_cfg(apr_pool_t *p, server_rec *s)
{
    pegawai_srv_cfg *sc = apr_pcalloc(p, sizeof(*sc));

    sc->idle_timeout = -1;
    sc->max_age = -1;
    sc->cookie_secure = -1;
    sc->device_max_age = -1;
    sc->max_form_body = -1;
    sc->pw_ops = -1;
    sc->pw_mem_kib = -1;
    sc->throttle_account = -1;
    sc->throttle_address = -1;
    sc->pw_concurrency = -1;
    sc->photo_concurrency = -1;
    return sc;
}

/* A virtual host's photo rules: the main server's, with each rule the
 * virtual host set itself taken from it. */
static pgw_image_rules_t *merge_photo(apr_pool_t *p, pgw_image_rules_t *base,
                                      pgw_image_rules_t *add)
{
    pgw_image_rules_t *rules;

    if (!base || !add) {
        return add ? add : base;
    }
    rules = apr_palloc(p, sizeof(*rules));
    pgw_image_rules_merge(rules, base, add);
    return rules;
}

void *pegawai_merge_srv_cfg(apr_pool_t *p, void *basev, void *addv)
{
    pegawai_srv_cfg *base = basev, *add = addv;
    pegawai_srv_cfg *sc = apr_pcalloc(p, sizeof(*sc));

    sc->template_dir = MERGE_PTR(template_dir);
    sc->templates = add->template_dir ? add->templates : base->templates;
    sc->static_url = MERGE_PTR(static_url);
    sc->idle_timeout = MERGE_INT(idle_timeout);
    sc->max_age = MERGE_INT(max_age);
    sc->cookie_secure = MERGE_INT(cookie_secure);
    sc->device_max_age = MERGE_INT(device_max_age);
    sc->max_form_body = MERGE_INT(max_form_body);
    sc->pw_ops = MERGE_INT(pw_ops);
    sc->pw_mem_kib = MERGE_INT(pw_mem_kib);
    sc->throttle_account = MERGE_INT(throttle_account);
    sc->throttle_address = MERGE_INT(throttle_address);
    sc->photo = merge_photo(p, base->photo, add->photo);
    sc->common_passwords = MERGE_PTR(common_passwords);
    sc->pwpolicy = add->common_passwords ? add->pwpolicy : base->pwpolicy;
    sc->pw_concurrency = MERGE_INT(pw_concurrency);
    sc->photo_concurrency = MERGE_INT(photo_concurrency);
    return sc;
}

void *pegawai_create_dir_cfg(apr_pool_t *p, char *dir)
{
    pegawai_dir_cfg *dc = apr_pcalloc(p, sizeof(*dc));

    dc->enabled = -1;
    return dc;
}

void *pegawai_merge_dir_cfg(apr_pool_t *p, void *basev, void *addv)
{
    pegawai_dir_cfg *base = basev, *add = addv;
    pegawai_dir_cfg *dc = apr_pcalloc(p, sizeof(*dc));

    dc->enabled = MERGE_INT(enabled);
    dc->providers = MERGE_PTR(providers);
    return dc;
}

/* Getters apply the defaults, so that a field left at -1 by every level
 * of the configuration still reads as its documented default. */
pegawai_srv_cfg *pegawai_srv(const request_rec *r)
{
    return ap_get_module_config(r->server->module_config, &pegawai_module);
}

int pegawai_enabled(const request_rec *r)
{
    pegawai_dir_cfg *dc;

    dc = ap_get_module_config(r->per_dir_config, &pegawai_module);
    return dc && dc->enabled == 1;
}

static void apply_defaults(pegawai_srv_cfg *sc)
{
#define DEF(f, v)                                                              \
    if (sc->f == -1)                                                           \
    sc->f = (v)
    DEF(idle_timeout, DEFAULT_IDLE);
    DEF(max_age, DEFAULT_MAX_AGE);
    DEF(cookie_secure, PEGAWAI_SECURE_AUTO);
    DEF(device_max_age, DEFAULT_DEVICE_MAX_AGE);
    DEF(max_form_body, DEFAULT_MAX_FORM_BODY);
    DEF(pw_ops, DEFAULT_PW_OPS);
    DEF(pw_mem_kib, DEFAULT_PW_MEM_KIB);
    DEF(throttle_account, DEFAULT_THROTTLE_ACCOUNT);
    DEF(throttle_address, DEFAULT_THROTTLE_ADDRESS);
    DEF(pw_concurrency, DEFAULT_PW_CONCURRENCY);
    DEF(photo_concurrency, DEFAULT_PHOTO_DECODES);
#undef DEF
    if (!sc->static_url) {
        sc->static_url = DEFAULT_STATIC_URL;
    }
}

void pegawai_pwcost(const pegawai_srv_cfg *sc, pgw_pwcost_t *cost)
{
    cost->opslimit = (unsigned long long)sc->pw_ops;
    cost->memlimit = (apr_size_t)sc->pw_mem_kib * 1024;
}

static const char *load_templates(apr_pool_t *p, pegawai_srv_cfg *sc,
                                  const char *dir)
{
    const char *err = NULL;

    pgw_tpl_global_init();
    if (pgw_tpl_set_load(p, dir, &sc->templates, &err) != APR_SUCCESS) {
        return apr_psprintf(p, "PegawaiTemplateDir %s: %s", dir,
                            err ? err : "cannot load templates");
    }
    sc->template_dir = dir;
    return NULL;
}

/* The photo rules of this server, created from PRODUCT.md's defaults by
 * the first photo directive in its context; each directive marks what
 * it set (set), which a virtual host's merge takes over the main
 * server's rules, field by field. */
static pgw_image_rules_t *photo_of(cmd_parms *cmd, unsigned int set)
{
    pegawai_srv_cfg *sc =
        ap_get_module_config(cmd->server->module_config, &pegawai_module);

    if (!sc->photo) {
        sc->photo = apr_palloc(cmd->pool, sizeof(*sc->photo));
        pgw_image_rules_default(sc->photo);
    }
    sc->photo->set |= set;
    return sc->photo;
}

static pegawai_srv_cfg *srv_of(cmd_parms *cmd);

static const char *load_pwpolicy(apr_pool_t *p, pegawai_srv_cfg *sc,
                                 const char *path)
{
    const char *err = NULL;

    if (pgw_pwpolicy_load(p, path, &sc->pwpolicy, &err) != APR_SUCCESS) {
        return apr_psprintf(p, "PegawaiCommonPasswords %s: %s", path,
                            err ? err : "cannot load the list");
    }
    sc->common_passwords = path;
    return NULL;
}

static const char *set_common_passwords(cmd_parms *cmd, void *dummy,
                                        const char *arg)
{
    const char *path = ap_server_root_relative(cmd->pool, arg);

    if (!path) {
        return apr_psprintf(cmd->pool,
                            "PegawaiCommonPasswords: bad path "
                            "%s",
                            arg);
    }
    return load_pwpolicy(cmd->pool, srv_of(cmd), path);
}

/* Called from post_config and test_config: every virtual host gets its
 * defaults and its templates (the default directory when none was set),
 * so that "apache2 -t" reports a broken template with its file and
 * line. */
apr_status_t pegawai_config_check(apr_pool_t *ptemp, server_rec *s)
{
    server_rec *sp;
    const char *err;

    for (sp = s; sp; sp = sp->next) {
        pegawai_srv_cfg *sc =
            ap_get_module_config(sp->module_config, &pegawai_module);
        apply_defaults(sc);
        if (!sc->photo) {
            sc->photo = apr_palloc(sp->process->pconf, sizeof(*sc->photo));
            pgw_image_rules_default(sc->photo);
        }
        if (pgw_image_rules_check(sc->photo, &err) != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_EMERG, 0, sp,
                         "PGW00003: photo rules: %s", err);
            return APR_EGENERAL;
        }
        if (!sc->pwpolicy
            && (err = load_pwpolicy(sp->process->pconf, sc,
                                    DEFAULT_COMMON_PASSWORDS))) {
            ap_log_error(APLOG_MARK, APLOG_EMERG, 0, sp,
                         "PGW00004: %s (set PegawaiCommonPasswords)", err);
            return APR_EGENERAL;
        }
        if (sc->templates) {
            continue;
        }
        err = load_templates(sp->process->pconf, sc, DEFAULT_TEMPLATE_DIR);
        if (err) {
            ap_log_error(APLOG_MARK, APLOG_EMERG, 0, sp,
                         "PGW00001: no templates: %s (set "
                         "PegawaiTemplateDir)",
                         err);
            return APR_EGENERAL;
        }
    }
    return APR_SUCCESS;
}

/* ------------------------------------------------------------ parsers */

static pegawai_srv_cfg *srv_of(cmd_parms *cmd)
{
    return ap_get_module_config(cmd->server->module_config, &pegawai_module);
}

/* A whole number in [min, max], or an error naming the directive. */
static const char *parse_int(cmd_parms *cmd, const char *arg, long min,
                             long max, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < min || v > max) {
        return apr_psprintf(cmd->pool,
                            "%s: '%s' is not a whole number "
                            "from %ld to %ld",
                            cmd->directive->directive, arg, min, max);
    }
    *out = v;
    return NULL;
}

/* cmd->info holds the offset of an int field and its range is given by
 * the table below, so that each numeric directive is one line. */
typedef struct int_directive {
    const char *name;
    apr_size_t offset;
    long min, max;
} int_directive;

static const int_directive int_directives[] = {
    {"PegawaiSessionIdleTimeout", APR_OFFSETOF(pegawai_srv_cfg, idle_timeout),
     60, 86400},
    {"PegawaiSessionMaxAge", APR_OFFSETOF(pegawai_srv_cfg, max_age), 300,
     604800},
    {"PegawaiDeviceCookieMaxAge", APR_OFFSETOF(pegawai_srv_cfg, device_max_age),
     0, 31536000},
    {"PegawaiThrottleAccount", APR_OFFSETOF(pegawai_srv_cfg, throttle_account),
     5, 100},
    {"PegawaiThrottleAddress", APR_OFFSETOF(pegawai_srv_cfg, throttle_address),
     10, 1000000},
    {"PegawaiPasswordConcurrency",
     APR_OFFSETOF(pegawai_srv_cfg, pw_concurrency), 1, 256},
    {"PegawaiPhotoConcurrency",
     APR_OFFSETOF(pegawai_srv_cfg, photo_concurrency), 1, 64},
    {NULL, 0, 0, 0}};

static const char *set_int(cmd_parms *cmd, void *dummy, const char *arg)
{
    const int_directive *d = cmd->info;
    const char *err;
    long v;

    if ((err = parse_int(cmd, arg, d->min, d->max, &v))) {
        return err;
    }
    *(int *)((char *)srv_of(cmd) + d->offset) = (int)v;
    return NULL;
}

static const char *set_template_dir(cmd_parms *cmd, void *dummy,
                                    const char *arg)
{
    const char *dir = ap_server_root_relative(cmd->pool, arg);

    if (!dir) {
        return apr_psprintf(cmd->pool, "PegawaiTemplateDir: bad path %s", arg);
    }
    return load_templates(cmd->pool, srv_of(cmd), dir);
}

static const char *set_static_url(cmd_parms *cmd, void *dummy, const char *arg)
{
    if (arg[0] != '/' || ap_strchr_c(arg, '"') || ap_strchr_c(arg, '<')) {
        return "PegawaiStaticURL: must be a path starting with '/'";
    }
    srv_of(cmd)->static_url = arg;
    return NULL;
}

static const char *set_cookie_secure(cmd_parms *cmd, void *dummy,
                                     const char *arg)
{
    pegawai_srv_cfg *sc = srv_of(cmd);

    if (!strcasecmp(arg, "Auto")) {
        sc->cookie_secure = PEGAWAI_SECURE_AUTO;
    }
    else if (!strcasecmp(arg, "On")) {
        sc->cookie_secure = PEGAWAI_SECURE_ON;
    }
    else if (!strcasecmp(arg, "Off")) {
        sc->cookie_secure = PEGAWAI_SECURE_OFF;
    }
    else {
        return "PegawaiCookieSecure: must be Auto, On or Off";
    }
    return NULL;
}

static const char *set_max_form_body(cmd_parms *cmd, void *dummy,
                                     const char *arg)
{
    const char *err;
    long v;

    if ((err = parse_int(cmd, arg, 1024, 10485760, &v))) {
        return err;
    }
    srv_of(cmd)->max_form_body = v;
    return NULL;
}

static const char *set_password_cost(cmd_parms *cmd, void *dummy,
                                     const char *ops, const char *mem)
{
    pegawai_srv_cfg *sc = srv_of(cmd);
    const char *err;
    long o, m;

    if ((err = parse_int(cmd, ops, 2, 20, &o))
        || (err = parse_int(cmd, mem, 19456, 4194304, &m))) {
        return err;
    }
    sc->pw_ops = (int)o;
    sc->pw_mem_kib = (int)m;
    return NULL;
}

/* Every PegawaiPhoto* rule but the concurrency: pgw_photo_conf.c reads
 * the words and marks what they set. */
static const char *set_photo(cmd_parms *cmd, void *dummy, int argc,
                             char *const argv[])
{
    return pgw_photo_conf_apply(cmd->pool, photo_of(cmd, 0),
                                cmd->directive->directive, argc,
                                (const char *const *)argv);
}

static const char *set_enabled(cmd_parms *cmd, void *dcv, int flag)
{
    ((pegawai_dir_cfg *)dcv)->enabled = flag;
    return NULL;
}

static const char *add_provider(cmd_parms *cmd, void *dcv, const char *arg)
{
    pegawai_dir_cfg *dc = dcv;

    if (!ap_lookup_provider(AUTHN_PROVIDER_GROUP, arg,
                            AUTHN_PROVIDER_VERSION)) {
        return apr_psprintf(cmd->pool,
                            "PegawaiLoginProviders: unknown "
                            "authn provider '%s' (is its module loaded?)",
                            arg);
    }
    if (!dc->providers) {
        dc->providers = apr_array_make(cmd->pool, 2, sizeof(const char *));
    }
    APR_ARRAY_PUSH(dc->providers, const char *) = arg;
    return NULL;
}

#define INT_DIRECTIVE(i, help)                                                 \
    AP_INIT_TAKE1(int_directives[i].name, set_int, (void *)&int_directives[i], \
                  RSRC_CONF, help)

/* The photo rules: pgw_photo_conf.c reads their words. */
#define PHOTO_DIRECTIVE(name, help)                                            \
    AP_INIT_TAKE_ARGV(name, set_photo, NULL, RSRC_CONF, help)

const command_rec pegawai_cmds[] = {
    AP_INIT_FLAG("Pegawai", set_enabled, NULL, ACCESS_CONF,
                 "On to serve the portal's pages in this location"),
    AP_INIT_ITERATE("PegawaiLoginProviders", add_provider, NULL, ACCESS_CONF,
                    "authn providers the login form checks, in order"),
    AP_INIT_TAKE1("PegawaiTemplateDir", set_template_dir, NULL, RSRC_CONF,
                  "directory of the page templates"),
    AP_INIT_TAKE1("PegawaiStaticURL", set_static_url, NULL, RSRC_CONF,
                  "URL prefix of the portal's CSS and scripts"),
    AP_INIT_TAKE1("PegawaiCookieSecure", set_cookie_secure, NULL, RSRC_CONF,
                  "Auto, On or Off: the Secure cookie flag"),
    AP_INIT_TAKE1("PegawaiMaxFormBody", set_max_form_body, NULL, RSRC_CONF,
                  "largest form body accepted, in bytes"),
    AP_INIT_TAKE2("PegawaiPasswordCost", set_password_cost, NULL, RSRC_CONF,
                  "argon2id passes and memory in KiB"),
    AP_INIT_TAKE1("PegawaiCommonPasswords", set_common_passwords, NULL,
                  RSRC_CONF, "file of passwords refused as too common"),
    PHOTO_DIRECTIVE("PegawaiPhotoTypes", "photo types accepted: jpeg, png"),
    PHOTO_DIRECTIVE("PegawaiPhotoMaxSize", "largest photo upload, in bytes"),
    PHOTO_DIRECTIVE("PegawaiPhotoMinSize",
                    "smallest photo, WIDTHxHEIGHT pixels"),
    PHOTO_DIRECTIVE("PegawaiPhotoPortrait",
                    "On: a photo must be taller than wide"),
    PHOTO_DIRECTIVE("PegawaiPhotoAspect",
                    "accepted aspect ratios W:H, a tolerance N%, or any"),
    PHOTO_DIRECTIVE("PegawaiPhotoOutput",
                    "stored photo: WIDTHxHEIGHT at most, JPEG quality"),
    PHOTO_DIRECTIVE("PegawaiPhotoMaxPixels",
                    "uploads with more pixels are not decoded"),
    INT_DIRECTIVE(0, "seconds of inactivity that end a session"),
    INT_DIRECTIVE(1, "seconds after login that end a session"),
    INT_DIRECTIVE(2, "seconds a device cookie lives (0: none)"),
    INT_DIRECTIVE(3, "failed logins an hour per account"),
    INT_DIRECTIVE(4, "failed logins an hour per client address"),
    INT_DIRECTIVE(5, "argon2id computations at once in one child"),
    INT_DIRECTIVE(6, "photo decodes at once in one child"),
    {NULL}};
