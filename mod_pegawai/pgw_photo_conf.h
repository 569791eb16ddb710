/* The photo rules as httpd.conf writes them: the words of one
 * PegawaiPhoto* directive (conf/pegawai.conf documents each) applied to a
 * pgw_image_rules_t, with the PGW_IMAGE_SET_* bit of what they set, so
 * that a virtual host inherits the rest one by one.
 *
 * Pure code: the module's directive handlers call it, and the unit tests
 * hold the documented defaults against pgw_image_rules_default().
 */
#ifndef PGW_PHOTO_CONF_H
#define PGW_PHOTO_CONF_H

#include <apr_pools.h>

#include "pgw_image.h"

/* True when name is a directive pgw_photo_conf_apply() takes. */
int pgw_photo_conf_known(const char *name);

/* Applies directive name with its argc words argv to rules. NULL when
 * done, else an English message naming the directive, on p; rules may
 * then be partly changed. */
const char *pgw_photo_conf_apply(apr_pool_t *p, pgw_image_rules_t *rules,
                                 const char *name, int argc,
                                 const char *const *argv);

#endif
