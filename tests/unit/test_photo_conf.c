/* The PegawaiPhoto* directives (pgw_photo_conf.c): each one's words, its
 * limits and messages, what it marks as set, and the Default lines of
 * conf/pegawai.conf held against pgw_image_rules_default().
 *
 * Run from the repository root, as make test-unit does: the real
 * conf/pegawai.conf is read.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "pgw_photo_conf.h"

#define REFERENCE "conf/pegawai.conf"

static apr_pool_t *pool;

static void setup(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
}

static void teardown(void)
{
    apr_pool_destroy(pool);
    apr_terminate();
}

/* Applies "name word word ..." as httpd.conf would read it. */
static const char *apply(pgw_image_rules_t *rules, const char *line)
{
    char *copy = apr_pstrdup(pool, line), *state, *word;
    const char *argv[16], *name = apr_strtok(copy, " ", &state);
    int argc = 0;

    while ((word = apr_strtok(NULL, " ", &state)) && argc < 16) {
        argv[argc++] = word;
    }
    return pgw_photo_conf_apply(pool, rules, name, argc, argv);
}

static void assert_same_rules(const pgw_image_rules_t *a,
                              const pgw_image_rules_t *b)
{
    unsigned int i;

    ck_assert_uint_eq(a->types, b->types);
    ck_assert_uint_eq(a->max_bytes, b->max_bytes);
    ck_assert_uint_eq(a->min_width, b->min_width);
    ck_assert_uint_eq(a->min_height, b->min_height);
    ck_assert_int_eq(a->portrait, b->portrait);
    ck_assert_uint_eq(a->aspect_count, b->aspect_count);
    for (i = 0; i < a->aspect_count; i++) {
        ck_assert_uint_eq(a->aspects[i].width, b->aspects[i].width);
        ck_assert_uint_eq(a->aspects[i].height, b->aspects[i].height);
    }
    ck_assert_uint_eq(a->aspect_tolerance, b->aspect_tolerance);
    ck_assert_uint_eq(a->max_pixels, b->max_pixels);
    ck_assert_uint_eq(a->out_width, b->out_width);
    ck_assert_uint_eq(a->out_height, b->out_height);
    ck_assert_int_eq(a->quality, b->quality);
}

START_TEST(documented_defaults_are_the_codes)
{
    FILE *f = fopen(REFERENCE, "r");
    pgw_image_rules_t documented, defaults;
    char line[512], directive[64] = "";
    int found = 0;

    ck_assert_msg(f != NULL, "cannot open " REFERENCE);
    memset(&documented, 0, sizeof(documented));
    pgw_image_rules_default(&defaults);
    /* Not a directive: the scan limit stays the code's own. */
    documented.max_scans = defaults.max_scans;
    while (fgets(line, sizeof(line), f)) {
        char *value;
        const char *err;

        line[strcspn(line, "\n")] = '\0';
        if (sscanf(line, "# Directive: %63s", directive) == 1) {
            continue;
        }
        if (strncmp(line, "# Default:", 10)
            || !pgw_photo_conf_known(directive)) {
            continue;
        }
        value = line + 10;
        value += strspn(value, " ");
        err =
            apply(&documented, apr_pstrcat(pool, directive, " ", value, NULL));
        ck_assert_msg(err == NULL, "%s %s: %s", directive, value, err);
        found++;
        directive[0] = '\0';
    }
    fclose(f);
    ck_assert_int_eq(found, 7);
    assert_same_rules(&documented, &defaults);
}
END_TEST

START_TEST(values_are_applied)
{
    pgw_image_rules_t r;

    pgw_image_rules_default(&r);
    r.set = 0;
    ck_assert_ptr_null(apply(&r, "PegawaiPhotoTypes JPEG"));
    ck_assert_uint_eq(r.types, PGW_IMAGE_JPEG);
    ck_assert_ptr_null(apply(&r, "PegawaiPhotoMaxSize 10240"));
    ck_assert_uint_eq(r.max_bytes, 10240);
    ck_assert_ptr_null(apply(&r, "PegawaiPhotoMinSize 240X320"));
    ck_assert_uint_eq(r.min_width, 240);
    ck_assert_uint_eq(r.min_height, 320);
    ck_assert_ptr_null(apply(&r, "PegawaiPhotoPortrait off"));
    ck_assert_int_eq(r.portrait, 0);
    ck_assert_ptr_null(apply(&r, "PegawaiPhotoAspect 1:1 4:3 16:9 3:2 10%"));
    ck_assert_uint_eq(r.aspect_count, 4);
    ck_assert_uint_eq(r.aspects[2].width, 16);
    ck_assert_uint_eq(r.aspects[2].height, 9);
    ck_assert_uint_eq(r.aspect_tolerance, 10);
    ck_assert_ptr_null(apply(&r, "PegawaiPhotoMaxPixels 100000000"));
    ck_assert_uint_eq(r.max_pixels, 100000000);
    ck_assert_uint_eq(r.set,
                      PGW_IMAGE_SET_TYPES | PGW_IMAGE_SET_MAX_BYTES
                          | PGW_IMAGE_SET_MIN_SIZE | PGW_IMAGE_SET_PORTRAIT
                          | PGW_IMAGE_SET_ASPECTS | PGW_IMAGE_SET_MAX_PIXELS);

    /* A size alone leaves the quality to be inherited. */
    ck_assert_ptr_null(apply(&r, "PegawaiPhotoOutput 300x400"));
    ck_assert_uint_eq(r.out_width, 300);
    ck_assert_int_eq(r.quality, 85);
    ck_assert_uint_eq(r.set & PGW_IMAGE_SET_QUALITY, 0);
    ck_assert_ptr_null(apply(&r, "PegawaiPhotoOutput 300x400 30"));
    ck_assert_int_eq(r.quality, 30);
    ck_assert_uint_ne(r.set & PGW_IMAGE_SET_QUALITY, 0);

    ck_assert_ptr_null(apply(&r, "PegawaiPhotoAspect any"));
    ck_assert_uint_eq(r.aspect_count, 0);
    ck_assert(pgw_photo_conf_known("pegawaiphotoaspect"));
    ck_assert(!pgw_photo_conf_known("PegawaiPhotoConcurrency"));
    ck_assert(!pgw_photo_conf_known(NULL));
}
END_TEST

/* Each wrong value is refused with a message that names the directive
 * and says what it takes. */
START_TEST(wrong_values_are_named)
{
    static const struct {
        const char *line, *says;
    } wrong[] = {
        {"PegawaiPhotoTypes gif", "jpeg or png"},
        {"PegawaiPhotoTypes jpeg png jpeg", "jpeg|png [jpeg|png]"},
        {"PegawaiPhotoTypes", "takes"},
        {"PegawaiPhotoMaxSize 10239", "from 10240 to 20971520"},
        {"PegawaiPhotoMaxSize 2M", "whole number"},
        {"PegawaiPhotoMaxSize 99999999999999999999", "whole number"},
        {"PegawaiPhotoMinSize 300", "WIDTHxHEIGHT"},
        {"PegawaiPhotoMinSize 300x", "WIDTHxHEIGHT"},
        {"PegawaiPhotoMinSize x400", "WIDTHxHEIGHT"},
        {"PegawaiPhotoMinSize 15x400", "16 to 20000"},
        {"PegawaiPhotoMinSize 300x20001", "16 to 20000"},
        {"PegawaiPhotoMinSize 300x400x5", "WIDTHxHEIGHT"},
        {"PegawaiPhotoMinSize -300x400", "WIDTHxHEIGHT"},
        {"PegawaiPhotoPortrait yes", "On or Off"},
        {"PegawaiPhotoAspect 3-4", "W:H"},
        {"PegawaiPhotoAspect 0:4", "W:H"},
        {"PegawaiPhotoAspect 3:101", "W:H"},
        {"PegawaiPhotoAspect 3:", "W:H"},
        {"PegawaiPhotoAspect :4", "W:H"},
        {"PegawaiPhotoAspect 51%", "tolerance"},
        {"PegawaiPhotoAspect 3:4 any", "or any"},
        {"PegawaiPhotoAspect 1:1 2:2 3:3 4:4 5:5", "at most 4 ratios"},
        {"PegawaiPhotoOutput 600x800 101", "from 30 to 100"},
        {"PegawaiPhotoOutput 600x800 85 1", "WIDTHxHEIGHT [quality]"},
        {"PegawaiPhotoMaxPixels 10", "from 100000 to 100000000"},
        {"PegawaiPhotoBogus 1", "not a photo directive"},
    };
    apr_size_t i;

    for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
        pgw_image_rules_t r;
        const char *err;
        char name[64];

        pgw_image_rules_default(&r);
        err = apply(&r, wrong[i].line);
        ck_assert_msg(err != NULL, "accepted: %s", wrong[i].line);
        ck_assert_msg(strstr(err, wrong[i].says), "%s: %s", wrong[i].line, err);
        sscanf(wrong[i].line, "%63s", name);
        ck_assert_msg(strstr(err, name), "%s: %s", wrong[i].line, err);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("photo_conf");
    TCase *tc = tcase_create("photo_conf");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, documented_defaults_are_the_codes);
    tcase_add_test(tc, values_are_applied);
    tcase_add_test(tc, wrong_values_are_named);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
