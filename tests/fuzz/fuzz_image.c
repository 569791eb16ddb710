/* libFuzzer target for pgw_image_process() and the EXIF reader. The
 * pixel limit is low (256 x 256) so that every input decodes in
 * milliseconds; the rules accept any size and aspect so that the decoders
 * run to the end, then stricter rules run on what passed. Whatever is
 * accepted must be a JPEG within the output size and without metadata;
 * whatever is refused must say why, twice.
 *
 * The seed corpus is written by tests/fuzz/make_image_corpus.py.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>

#include "pgw_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static apr_pool_t *root;
static pgw_image_rules_t open_rules, strict_rules;

static void rules_init(void)
{
    pgw_image_rules_default(&open_rules);
    open_rules.max_bytes = 1024 * 1024;
    open_rules.min_width = open_rules.min_height = 1;
    open_rules.portrait = 0;
    open_rules.aspect_count = 0;
    open_rules.max_pixels = 256 * 256;
    open_rules.max_scans = 20;
    open_rules.out_width = 32;
    open_rules.out_height = 40;
    open_rules.quality = 50;
    strict_rules = open_rules;
    strict_rules.types = PGW_IMAGE_JPEG;
    strict_rules.min_width = 30;
    strict_rules.min_height = 40;
    strict_rules.portrait = 1;
    strict_rules.aspect_count = 2;
}

static void check_output(const pgw_image_t *img, const pgw_image_rules_t *r)
{
    const unsigned char *j = img->jpeg;
    size_t n = img->jpeg_len;

    if (n < 4 || j[0] != 0xff || j[1] != 0xd8 || j[n - 2] != 0xff
        || j[n - 1] != 0xd9 || img->width == 0 || img->height == 0
        || img->width > r->out_width || img->height > r->out_height
        || img->orientation < 1 || img->orientation > 8
        || memmem(j, n, "Exif", 4) != NULL) {
        abort();
    }
}

static int run(apr_pool_t *p, const uint8_t *data, size_t size,
               const pgw_image_rules_t *r)
{
    pgw_image_t *img = NULL;
    const char *errmsg = NULL, *logmsg = NULL;
    apr_status_t rv;

    rv = pgw_image_process(p, data, size, r, &img, &errmsg, &logmsg);
    if (rv == APR_SUCCESS) {
        check_output(img, r);
    }
    else if (rv != APR_EINVAL || img != NULL || errmsg == NULL
             || logmsg == NULL) {
        abort();
    }
    return rv == APR_SUCCESS;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    int o;

    if (root == NULL) {
        apr_initialize();
        apr_pool_create(&root, NULL);
        rules_init();
    }
    apr_pool_create(&p, root);
    if (run(p, data, size, &open_rules)) {
        run(p, data, size, &strict_rules);
    }
    o = pgw_image_exif_orientation(data, size);
    if (o < 1 || o > 8) {
        abort();
    }
    apr_pool_destroy(p);
    return 0;
}
