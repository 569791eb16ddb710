/* The PegawaiPhoto* directives' words into photo rules (pgw_photo_conf.h).
 * The limits here are the ones conf/pegawai.conf gives for each.
 */
#include <errno.h>
#include <stdlib.h>
#include <strings.h>

#include <apr_strings.h>

#include "pgw_photo_conf.h"

typedef const char *(*photo_setter)(apr_pool_t *p, pgw_image_rules_t *rules,
                                    const char *name, int argc,
                                    const char *const *argv);

/* A whole number from min to max, nothing else around it. */
static const char *whole(apr_pool_t *p, const char *name, const char *arg,
                         long min, long max, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < min || v > max) {
        return apr_psprintf(p, "%s: '%s' is not a whole number from %ld to %ld",
                            name, arg, min, max);
    }
    *out = v;
    return NULL;
}

/* "300x400": a width and a height in pixels, 16 to 20000 each. */
static const char *size(apr_pool_t *p, const char *name, const char *arg,
                        unsigned int *w, unsigned int *h)
{
    const char *at = arg;
    char *end;
    unsigned long a, b;

    a = strtoul(at, &end, 10);
    if (end == at || (*end != 'x' && *end != 'X') || *at == '-') {
        goto bad;
    }
    at = end + 1;
    b = strtoul(at, &end, 10);
    if (end == at || *end || *at == '-' || a < 16 || b < 16 || a > 20000
        || b > 20000) {
        goto bad;
    }
    *w = (unsigned int)a;
    *h = (unsigned int)b;
    return NULL;
bad:
    return apr_psprintf(p,
                        "%s: '%s' is not WIDTHxHEIGHT in pixels (16 to "
                        "20000 each)",
                        name, arg);
}

/* PegawaiPhotoTypes jpeg [png]: replaces the list. */
static const char *set_types(apr_pool_t *p, pgw_image_rules_t *rules,
                             const char *name, int argc,
                             const char *const *argv)
{
    int i;

    rules->types = 0;
    for (i = 0; i < argc; i++) {
        if (!strcasecmp(argv[i], "jpeg")) {
            rules->types |= PGW_IMAGE_JPEG;
        }
        else if (!strcasecmp(argv[i], "png")) {
            rules->types |= PGW_IMAGE_PNG;
        }
        else {
            return apr_pstrcat(p, name, ": each type must be jpeg or png",
                               NULL);
        }
    }
    return NULL;
}

static const char *set_max_size(apr_pool_t *p, pgw_image_rules_t *rules,
                                const char *name, int argc,
                                const char *const *argv)
{
    const char *err;
    long v;

    if ((err = whole(p, name, argv[0], 10240, 20971520, &v))) {
        return err;
    }
    rules->max_bytes = (apr_size_t)v;
    return NULL;
}

static const char *set_min_size(apr_pool_t *p, pgw_image_rules_t *rules,
                                const char *name, int argc,
                                const char *const *argv)
{
    return size(p, name, argv[0], &rules->min_width, &rules->min_height);
}

static const char *set_portrait(apr_pool_t *p, pgw_image_rules_t *rules,
                                const char *name, int argc,
                                const char *const *argv)
{
    if (!strcasecmp(argv[0], "on")) {
        rules->portrait = 1;
    }
    else if (!strcasecmp(argv[0], "off")) {
        rules->portrait = 0;
    }
    else {
        return apr_pstrcat(p, name, " must be On or Off", NULL);
    }
    return NULL;
}

/* One word of PegawaiPhotoAspect: a ratio W:H (1 to 100 each) or a
 * tolerance N% (0 to 50). */
static const char *aspect_word(apr_pool_t *p, pgw_image_rules_t *rules,
                               const char *name, const char *arg)
{
    unsigned long a, b;
    char *end;

    if (*arg < '0' || *arg > '9') {
        goto bad;
    }
    a = strtoul(arg, &end, 10);
    if (*end == '%' && !end[1] && a <= 50) {
        rules->aspect_tolerance = (unsigned int)a;
        return NULL;
    }
    if (*end != ':' || end[1] < '0' || end[1] > '9' || a < 1 || a > 100) {
        goto bad;
    }
    b = strtoul(end + 1, &end, 10);
    if (*end || b < 1 || b > 100) {
        goto bad;
    }
    if (rules->aspect_count >= PGW_IMAGE_MAX_ASPECTS) {
        return apr_psprintf(p, "%s: at most %d ratios", name,
                            PGW_IMAGE_MAX_ASPECTS);
    }
    rules->aspects[rules->aspect_count].width = (unsigned int)a;
    rules->aspects[rules->aspect_count].height = (unsigned int)b;
    rules->aspect_count++;
    return NULL;
bad:
    return apr_psprintf(p,
                        "%s: '%s' is not W:H (e.g. 3:4), a tolerance like "
                        "5%%, or any",
                        name, arg);
}

/* PegawaiPhotoAspect 3:4 2:3 [5%] | any: replaces the ratios. */
static const char *set_aspect(apr_pool_t *p, pgw_image_rules_t *rules,
                              const char *name, int argc,
                              const char *const *argv)
{
    const char *err;
    int i;

    rules->aspect_count = 0;
    if (argc == 1 && !strcasecmp(argv[0], "any")) {
        return NULL;
    }
    for (i = 0; i < argc; i++) {
        if ((err = aspect_word(p, rules, name, argv[i]))) {
            return err;
        }
    }
    return NULL;
}

/* PegawaiPhotoOutput 600x800 [85]: the quality is a setting of its own,
 * inherited when only the size is given. */
static const char *set_output(apr_pool_t *p, pgw_image_rules_t *rules,
                              const char *name, int argc,
                              const char *const *argv)
{
    const char *err;
    long q;

    if ((err = size(p, name, argv[0], &rules->out_width, &rules->out_height))) {
        return err;
    }
    if (argc > 1) {
        if ((err = whole(p, name, argv[1], 30, 100, &q))) {
            return err;
        }
        rules->quality = (int)q;
        rules->set |= PGW_IMAGE_SET_QUALITY;
    }
    return NULL;
}

static const char *set_max_pixels(apr_pool_t *p, pgw_image_rules_t *rules,
                                  const char *name, int argc,
                                  const char *const *argv)
{
    const char *err;
    long v;

    if ((err = whole(p, name, argv[0], 100000, 100000000, &v))) {
        return err;
    }
    rules->max_pixels = (apr_uint64_t)v;
    return NULL;
}

static const struct photo_directive {
    const char *name;
    int min_words, max_words;
    unsigned int set;
    photo_setter apply;
    const char *syntax; /* for a wrong number of words */
} directives[] = {
    {"PegawaiPhotoTypes", 1, 2, PGW_IMAGE_SET_TYPES, set_types,
     "jpeg|png [jpeg|png]"},
    {"PegawaiPhotoMaxSize", 1, 1, PGW_IMAGE_SET_MAX_BYTES, set_max_size,
     "bytes"},
    {"PegawaiPhotoMinSize", 1, 1, PGW_IMAGE_SET_MIN_SIZE, set_min_size,
     "WIDTHxHEIGHT"},
    {"PegawaiPhotoPortrait", 1, 1, PGW_IMAGE_SET_PORTRAIT, set_portrait,
     "On|Off"},
    {"PegawaiPhotoAspect", 1, PGW_IMAGE_MAX_ASPECTS + 1, PGW_IMAGE_SET_ASPECTS,
     set_aspect, "W:H [W:H ...] [N%] | any"},
    {"PegawaiPhotoOutput", 1, 2, PGW_IMAGE_SET_OUT_SIZE, set_output,
     "WIDTHxHEIGHT [quality]"},
    {"PegawaiPhotoMaxPixels", 1, 1, PGW_IMAGE_SET_MAX_PIXELS, set_max_pixels,
     "count"},
};

#define NDIRECTIVES (sizeof(directives) / sizeof(directives[0]))

static const struct photo_directive *find(const char *name)
{
    apr_size_t i;

    for (i = 0; name && i < NDIRECTIVES; i++) {
        if (!strcasecmp(name, directives[i].name)) {
            return &directives[i];
        }
    }
    return NULL;
}

int pgw_photo_conf_known(const char *name)
{
    return find(name) != NULL;
}

const char *pgw_photo_conf_apply(apr_pool_t *p, pgw_image_rules_t *rules,
                                 const char *name, int argc,
                                 const char *const *argv)
{
    const struct photo_directive *d = find(name);

    if (!d) {
        return apr_psprintf(p, "%s is not a photo directive", name);
    }
    if (argc < d->min_words || argc > d->max_words) {
        return apr_psprintf(p, "%s takes %s", d->name, d->syntax);
    }
    rules->set |= d->set;
    return d->apply(p, rules, d->name, argc, argv);
}
