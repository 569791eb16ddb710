/* Deterministic demo data (see pgw_demo.h).
 *
 * A generated employee is drawn in this order: identity (NRK, birth
 * date, gender, the NIP/NIK sequence), career (work unit, a career
 * track, education, CPNS date, riwayat jabatan, current grade), name
 * and origin, NIP, titles, then the fields of the data form. Each draw
 * comes from one random stream seeded by (seed, index), so employees
 * are independent of each other and of the count.
 */
#include <errno.h>
#include <string.h>

#include <apr_strings.h>

#include "pgw_demo.h"

#define N_ELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A NULL-terminated list of strings, for the tables below. */
#define STRS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ------------------------------------------------------------------ */
/* Random numbers                                                      */

typedef struct rng_t {
    apr_uint64_t state;
} rng_t;

/* splitmix64: every 64-bit state is a good one, so a seed and an index
 * mixed together start an independent stream per employee. */
static apr_uint64_t rng_next(rng_t *r)
{
    apr_uint64_t z = (r->state += APR_UINT64_C(0x9e3779b97f4a7c15));

    z = (z ^ (z >> 30)) * APR_UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * APR_UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static void rng_seed(rng_t *r, apr_uint64_t seed, apr_uint64_t stream)
{
    r->state = seed ^ (stream * APR_UINT64_C(0xd1b54a32d192ed03));
    r->state = rng_next(r);
}

/* 0 <= result < n, for n > 0. */
static int rng_below(rng_t *r, int n)
{
    return (int)(((rng_next(r) >> 32) * (apr_uint64_t)n) >> 32);
}

static int rng_range(rng_t *r, int lo, int hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

static int rng_percent(rng_t *r, int percent)
{
    return rng_below(r, 100) < percent;
}

static int count_strs(const char *const *list)
{
    int n = 0;

    while (list[n] != NULL) {
        n++;
    }
    return n;
}

static const char *rng_pick(rng_t *r, const char *const *list)
{
    return list[rng_below(r, count_strs(list))];
}

/* Writes width random decimal digits into out (not terminated). */
static void rng_digits(rng_t *r, char *out, int width)
{
    int i;

    for (i = 0; i < width; i++) {
        out[i] = (char)('0' + rng_below(r, 10));
    }
}

/* ------------------------------------------------------------------ */
/* Dates as day numbers (days since 0001-01-01)                        */

static const int days_before_month[12] = {0,   31,  59,  90,  120, 151,
                                          181, 212, 243, 273, 304, 334};

static int is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static long day_number(int year, int month, int day)
{
    long y = year - 1;
    long n = y * 365 + y / 4 - y / 100 + y / 400;

    n += days_before_month[month - 1] + day - 1;
    if (month > 2 && is_leap(year)) {
        n++;
    }
    return n;
}

static long date_number(const pgw_date_t *d)
{
    return day_number(d->year, d->month, d->day);
}

static void number_date(long n, pgw_date_t *d)
{
    int year = (int)(n / 365) + 1;
    int month = 12;

    /* n / 365 is never early and, in these centuries, late by a year
     * or two: a short walk back settles it. */
    while (day_number(year, 1, 1) > n) {
        year--;
    }
    while (month > 1 && day_number(year, month, 1) > n) {
        month--;
    }
    d->year = year;
    d->month = month;
    d->day = (int)(n - day_number(year, month, 1)) + 1;
}

/* The reference day of the demo data: fixed, so that the same seed
 * always writes the same script. */
#define TODAY_Y 2026
#define TODAY_M 1
#define TODAY_D 1
#define TODAY   day_number(TODAY_Y, TODAY_M, TODAY_D)

/* 2026-01-01T00:00:00Z: creation time of the demo accounts. */
#define CREATED_AT 1767225600

/* Birth dates span these years: from 23 to 58 years old on TODAY. */
#define BIRTH_FIRST_YEAR 1968
#define BIRTH_LAST_YEAR  2002

/* ------------------------------------------------------------------ */
/* Grades, education, work units                                       */

/* ref_golongan codes in order of seniority. */
static const char *const golongan_ladder[] = {
    "11", "12", "13", "14", "21", "22", "23", "24", "31",
    "32", "33", "34", "41", "42", "43", "44", "45"};

enum {
    GOL_IIA = 4,
    GOL_IIB = 5,
    GOL_IIC = 6,
    GOL_IID = 7,
    GOL_IIIA = 8,
    GOL_IIIB = 9,
    GOL_IIIC = 10,
    GOL_IIID = 11,
    GOL_IVA = 12,
    GOL_IVB = 13,
    GOL_IVC = 14
};

/* What the 2-digit level of an education code (its first two digits,
 * see 0002_reference.sql) means for a career: the grade a CPNS starts
 * at, the highest grade reached by regular promotion, and the youngest
 * age at appointment. */
typedef struct level_rule_t {
    const char *level;
    int entry, cap, min_age;
} level_rule_t;

static const level_rule_t level_rules[] = {
    {"11", 0, GOL_IIB, 18},        {"21", 2, GOL_IIC, 18},
    {"22", 2, GOL_IIC, 18},        {"31", GOL_IIA, GOL_IIIC, 18},
    {"32", GOL_IIA, GOL_IIIC, 18}, {"33", GOL_IIA, GOL_IIIC, 18},
    {"51", GOL_IIA, GOL_IIIC, 19}, {"52", GOL_IIB, GOL_IIIC, 20},
    {"53", GOL_IIC, GOL_IIID, 21}, {"54", GOL_IIIA, GOL_IVA, 22},
    {"61", GOL_IIIA, GOL_IVA, 22}, {"71", GOL_IIIB, GOL_IVB, 25},
    {"81", GOL_IIIC, GOL_IVC, 30},
};

static const level_rule_t *level_rule(const char *pendidikan)
{
    int i;

    for (i = 0; i < N_ELEM(level_rules); i++) {
        if (strncmp(level_rules[i].level, pendidikan, 2) == 0) {
            return &level_rules[i];
        }
    }
    return &level_rules[3];
}

/* Kinds of work unit, so that teachers work at schools and lurah at a
 * kelurahan. */
enum {
    K_ADMIN = 1,
    K_SCHOOL = 2,
    K_HEALTH = 4,
    K_KECAMATAN = 8,
    K_KELURAHAN = 16,
    K_FIRE = 32,
    K_SATPOL = 64
};

/* A unit_kerja row the generator places people in. induk is the unit
 * their pegawai.unit_kerja names when the place itself (a school, a
 * puskesmas, a kelurahan) is only their lokasi_kerja. The weights are
 * rough head counts. */
typedef struct unit_t {
    const char *kode;
    const char *induk;
    int kinds;
    int weight;
} unit_t;

static const unit_t units[] = {
    {"01000000", NULL, K_ADMIN, 20},
    {"01010000", NULL, K_ADMIN, 8},
    {"01020000", NULL, K_ADMIN, 10},
    {"01030000", NULL, K_ADMIN, 8},
    {"02000000", NULL, K_ADMIN, 10},
    {"03000000", NULL, K_ADMIN, 15},
    {"04000000", NULL, K_ADMIN, 15},
    {"05000000", NULL, K_ADMIN, 25},
    {"06000000", NULL, K_ADMIN, 30},
    {"07000000", NULL, K_ADMIN, 10},
    {"07010000", NULL, K_ADMIN, 6},
    {"07020000", NULL, K_ADMIN, 5},
    {"07030000", NULL, K_ADMIN, 5},
    {"07040000", NULL, K_ADMIN, 5},
    {"07050000", NULL, K_ADMIN, 5},
    {"07060000", NULL, K_ADMIN, 4},
    {"07070000", NULL, K_ADMIN, 4},
    {"07080000", NULL, K_ADMIN, 4},
    {"07090000", NULL, K_ADMIN, 4},
    {"07100000", NULL, K_ADMIN, 4},
    {"07110000", NULL, K_ADMIN, 2},
    {"08000000", NULL, K_ADMIN, 10},
    {"10000000", NULL, K_ADMIN, 20},
    {"10010000", NULL, K_ADMIN, 8},
    {"10020000", NULL, K_ADMIN, 8},
    {"10030000", NULL, K_ADMIN, 8},
    {"10040000", NULL, K_ADMIN, 8},
    {"10050000", NULL, K_ADMIN, 8},
    {"10010100", "10010000", K_SCHOOL, 35},
    {"10010200", "10010000", K_SCHOOL, 50},
    {"10020100", "10020000", K_SCHOOL, 50},
    {"10020200", "10020000", K_SCHOOL, 35},
    {"10030100", "10030000", K_SCHOOL, 50},
    {"10030200", "10030000", K_SCHOOL, 45},
    {"10040100", "10040000", K_SCHOOL, 50},
    {"10040200", "10040000", K_SCHOOL, 35},
    {"10050100", "10050000", K_SCHOOL, 45},
    {"10050200", "10050000", K_SCHOOL, 45},
    {"11000000", NULL, K_ADMIN | K_HEALTH, 20},
    {"11010000", NULL, K_ADMIN | K_HEALTH, 10},
    {"11020000", NULL, K_ADMIN | K_HEALTH, 10},
    {"11030000", NULL, K_ADMIN | K_HEALTH, 10},
    {"11040000", NULL, K_ADMIN | K_HEALTH, 10},
    {"11050000", NULL, K_ADMIN | K_HEALTH, 10},
    {"11010100", "11010000", K_HEALTH, 40},
    {"11020100", "11020000", K_HEALTH, 40},
    {"11030100", "11030000", K_HEALTH, 40},
    {"11040100", "11040000", K_HEALTH, 40},
    {"11050100", "11050000", K_HEALTH, 40},
    {"11060000", NULL, K_HEALTH, 60},
    {"11070000", NULL, K_HEALTH, 60},
    {"11080000", NULL, K_HEALTH, 60},
    {"11090000", NULL, K_HEALTH, 60},
    {"11100000", NULL, K_HEALTH, 60},
    {"12000000", NULL, K_ADMIN, 30},
    {"13000000", NULL, K_ADMIN, 30},
    {"14000000", NULL, K_ADMIN, 30},
    {"15000000", NULL, K_ADMIN, 30},
    {"16000000", NULL, K_ADMIN, 20},
    {"17000000", NULL, K_ADMIN, 20},
    {"18000000", NULL, K_ADMIN, 20},
    {"19000000", NULL, K_ADMIN, 15},
    {"20000000", NULL, K_FIRE, 120},
    {"21000000", NULL, K_SATPOL, 120},
    {"70000000", NULL, K_ADMIN, 8},
    {"70020000", NULL, K_KECAMATAN, 8},
    {"70020100", "70020000", K_KELURAHAN, 8},
    {"71000000", NULL, K_ADMIN, 15},
    {"71010000", NULL, K_KECAMATAN, 15},
    {"71010100", "71010000", K_KELURAHAN, 12},
    {"71010200", "71010000", K_KELURAHAN, 12},
    {"71060000", NULL, K_KECAMATAN, 15},
    {"71060100", "71060000", K_KELURAHAN, 12},
    {"72000000", NULL, K_ADMIN, 15},
    {"72020000", NULL, K_KECAMATAN, 15},
    {"72020100", "72020000", K_KELURAHAN, 12},
    {"72030000", NULL, K_KECAMATAN, 15},
    {"72030100", "72030000", K_KELURAHAN, 12},
    {"73000000", NULL, K_ADMIN, 15},
    {"73010000", NULL, K_KECAMATAN, 15},
    {"73010100", "73010000", K_KELURAHAN, 12},
    {"73050000", NULL, K_KECAMATAN, 15},
    {"73050100", "73050000", K_KELURAHAN, 12},
    {"74000000", NULL, K_ADMIN, 15},
    {"74010000", NULL, K_KECAMATAN, 15},
    {"74010100", "74010000", K_KELURAHAN, 12},
    {"74090000", NULL, K_KECAMATAN, 15},
    {"74090100", "74090000", K_KELURAHAN, 12},
    {"74090200", "74090000", K_KELURAHAN, 12},
    {"75000000", NULL, K_ADMIN, 15},
    {"75030000", NULL, K_KECAMATAN, 15},
    {"75030100", "75030000", K_KELURAHAN, 12},
    {"75070000", NULL, K_KECAMATAN, 15},
    {"75070100", "75070000", K_KELURAHAN, 12},
};

/* One step of a career: the position, its jenis jabatan and eselon,
 * and the lowest grade (a golongan_ladder index) that may hold it. */
typedef struct step_t {
    const char *name; /* "%s" is replaced by the track's field */
    char jenis;
    const char *eselon;
    int min_golongan;
} step_t;

#define STEPS(...) ((const step_t[]){__VA_ARGS__, {NULL, 0, NULL, 0}})

/* A career track: where it is followed, how often, with which
 * education (ref_pendidikan codes), and its steps, junior first. */
typedef struct track_t {
    int kinds;
    int weight;
    const char *const *pendidikan;
    const step_t *steps;
    const char *const *fields; /* fills "%s", or NULL */
} track_t;

#define SLTA_UMUM STRS("3101", "3102", "3103", "3221", "3225")
#define SEKSI_WILAYAH                                                          \
    STRS("PEMERINTAHAN", "KETENTRAMAN DAN KETERTIBAN UMUM",                    \
         "PEREKONOMIAN DAN PEMBANGUNAN", "KESEJAHTERAAN RAKYAT")

static const track_t tracks[] = {
    /* tracks[0] is also the fallback of anyone too young for a track
     * that asks for more schooling. */
    {K_ADMIN | K_FIRE | K_SATPOL, 30, SLTA_UMUM,
     STEPS({"STAF", 'U', "00", 0},
           {"PENGADMINISTRASI UMUM", 'U', "00", GOL_IIB},
           {"PENGELOLA ADMINISTRASI UMUM", 'U', "00", GOL_IIIA}),
     NULL},
    {K_ADMIN, 12, STRS("5321", "5322", "6121", "6122", "3221"),
     STEPS({"STAF", 'U', "00", 0},
           {"PENGADMINISTRASI KEUANGAN", 'U', "00", GOL_IIB},
           {"BENDAHARA PENGELUARAN", 'U', "00", GOL_IIIA},
           {"PENGELOLA KEUANGAN", 'U', "00", GOL_IIIB}),
     NULL},
    {K_ADMIN, 10, STRS("5324", "5325", "5326", "6124", "6133"),
     STEPS({"STAF TEKNIS TINGKAT TERAMPIL", 'U', "00", 0},
           {"PENGELOLA DATA", 'U', "00", GOL_IID},
           {"PENGOLAH DATA", 'U', "00", GOL_IIIB},
           {"ANALIS DATA DAN INFORMASI", 'U', "00", GOL_IIIC}),
     NULL},
    {K_ADMIN, 4, STRS("5313", "5113"),
     STEPS({"PRANATA KOMPUTER TERAMPIL", 'F', "00", 0},
           {"PRANATA KOMPUTER MAHIR", 'F', "00", GOL_IIIA},
           {"PRANATA KOMPUTER PENYELIA", 'F', "00", GOL_IIIC}),
     NULL},
    {K_ADMIN, 4, STRS("6113", "5413"),
     STEPS({"PRANATA KOMPUTER AHLI PERTAMA", 'F', "00", 0},
           {"PRANATA KOMPUTER AHLI MUDA", 'F', "00", GOL_IIIC},
           {"PRANATA KOMPUTER AHLI MADYA", 'F', "00", GOL_IVA}),
     NULL},
    {K_ADMIN, 4, STRS("6124", "6131", "6134", "6122"),
     STEPS({"ANALIS KEPEGAWAIAN AHLI PERTAMA", 'F', "00", 0},
           {"ANALIS KEPEGAWAIAN AHLI MUDA", 'F', "00", GOL_IIIC},
           {"ANALIS KEPEGAWAIAN AHLI MADYA", 'F', "00", GOL_IVA}),
     NULL},
    {K_ADMIN, 3, STRS("6121", "6123", "6122", "6131"),
     STEPS({"AUDITOR AHLI PERTAMA", 'F', "00", 0},
           {"AUDITOR AHLI MUDA", 'F', "00", GOL_IIIC},
           {"AUDITOR AHLI MADYA", 'F', "00", GOL_IVA}),
     NULL},
    {K_ADMIN, 2, STRS("5338", "5326"),
     STEPS({"ARSIPARIS TERAMPIL", 'F', "00", 0},
           {"ARSIPARIS MAHIR", 'F', "00", GOL_IIIA},
           {"ARSIPARIS PENYELIA", 'F', "00", GOL_IIIC}),
     NULL},
    {K_ADMIN, 3, STRS("6117", "6111", "6116", "6115", "6123", "6112"),
     STEPS({"PERENCANA AHLI PERTAMA", 'F', "00", 0},
           {"PERENCANA AHLI MUDA", 'F', "00", GOL_IIIC},
           {"PERENCANA AHLI MADYA", 'F', "00", GOL_IVA}),
     NULL},
    {K_ADMIN, 4, STRS("6124", "6131", "6122", "6121", "5432"),
     STEPS({"STAF", 'U', "00", 0}, {"KEPALA SUBBAGIAN %s", 'S', "41", GOL_IIIB},
           {"KEPALA BAGIAN %s", 'S', "32", GOL_IIID}),
     STRS("UMUM", "KEPEGAWAIAN", "KEUANGAN", "PERENCANAAN DAN ANGGARAN",
          "PROGRAM DAN PELAPORAN", "TATA USAHA")},
    {K_ADMIN, 4, STRS("6124", "6132", "6117", "6111", "6113", "6123"),
     STEPS({"STAF", 'U', "00", 0}, {"KEPALA SEKSI %s", 'S', "41", GOL_IIIB},
           {"KEPALA BIDANG %s", 'S', "32", GOL_IIID}),
     STRS("PERENCANAAN", "PENGENDALIAN", "PEMBINAAN", "PELAYANAN",
          "DATA DAN INFORMASI", "PENGAWASAN")},
    {K_ADMIN | K_FIRE | K_SATPOL, 3,
     STRS("5313", "5324", "5325", "6124", "6113"),
     STEPS({"STAF TEKNIS TINGKAT TERAMPIL", 'U', "00", 0},
           {"KEPALA SATUAN PELAKSANA %s", 'S', "00", GOL_IID}),
     STRS("SISTEM INFORMASI", "PELAYANAN", "ADMINISTRASI", "PENGELOLAAN ASET",
          "TATA USAHA")},
    {K_ADMIN, 3, STRS("1100", "2100", "2200"),
     STEPS({"PRAMU KANTOR", 'U', "00", 0}, {"PENGEMUDI", 'U', "00", 2}), NULL},
    {K_SCHOOL, 40, STRS("6151", "6152", "6153", "6154", "6155"),
     STEPS({"GURU AHLI PERTAMA", 'F', "00", 0},
           {"GURU AHLI MUDA", 'F', "00", GOL_IIIC},
           {"GURU AHLI MADYA", 'F', "00", GOL_IVA}),
     NULL},
    {K_SCHOOL, 6, SLTA_UMUM,
     STEPS({"STAF TATA USAHA", 'U', "00", 0},
           {"PENGADMINISTRASI UMUM", 'U', "00", GOL_IIB},
           {"PENGELOLA KEPEGAWAIAN", 'U', "00", GOL_IIIA}),
     NULL},
    {K_SCHOOL, 2, STRS("5337"),
     STEPS({"PUSTAKAWAN TERAMPIL", 'F', "00", 0},
           {"PUSTAKAWAN MAHIR", 'F', "00", GOL_IIIA}),
     NULL},
    {K_SCHOOL, 1, STRS("6124", "6122", "6121"),
     STEPS({"STAF TATA USAHA", 'U', "00", 0},
           {"KEPALA SUBBAGIAN TATA USAHA", 'S', "42", GOL_IIIA}),
     NULL},
    {K_HEALTH, 25, STRS("5342", "3242"),
     STEPS({"PERAWAT TERAMPIL", 'F', "00", 0},
           {"PERAWAT MAHIR", 'F', "00", GOL_IIIA},
           {"PERAWAT PENYELIA", 'F', "00", GOL_IIIC}),
     NULL},
    {K_HEALTH, 8, STRS("6142", "5442"),
     STEPS({"PERAWAT AHLI PERTAMA", 'F', "00", 0},
           {"PERAWAT AHLI MUDA", 'F', "00", GOL_IIIC},
           {"PERAWAT AHLI MADYA", 'F', "00", GOL_IVA}),
     NULL},
    {K_HEALTH, 8, STRS("5343"),
     STEPS({"BIDAN TERAMPIL", 'F', "00", 0},
           {"BIDAN MAHIR", 'F', "00", GOL_IIIA},
           {"BIDAN PENYELIA", 'F', "00", GOL_IIIC}),
     NULL},
    {K_HEALTH, 8, STRS("6141"),
     STEPS({"DOKTER AHLI PERTAMA", 'F', "00", 0},
           {"DOKTER AHLI MUDA", 'F', "00", GOL_IIIC},
           {"DOKTER AHLI MADYA", 'F', "00", GOL_IVA}),
     NULL},
    {K_HEALTH, 2, STRS("6148"),
     STEPS({"DOKTER GIGI AHLI PERTAMA", 'F', "00", 0},
           {"DOKTER GIGI AHLI MUDA", 'F', "00", GOL_IIIC}),
     NULL},
    {K_HEALTH, 2, STRS("6145"),
     STEPS({"APOTEKER AHLI PERTAMA", 'F', "00", 0},
           {"APOTEKER AHLI MUDA", 'F', "00", GOL_IIIC}),
     NULL},
    {K_HEALTH, 3, STRS("5345", "3245"),
     STEPS({"ASISTEN APOTEKER TERAMPIL", 'F', "00", 0},
           {"ASISTEN APOTEKER MAHIR", 'F', "00", GOL_IIIA}),
     NULL},
    {K_HEALTH, 3, STRS("5346"),
     STEPS({"PRANATA LABORATORIUM KESEHATAN TERAMPIL", 'F', "00", 0},
           {"PRANATA LABORATORIUM KESEHATAN MAHIR", 'F', "00", GOL_IIIA},
           {"PRANATA LABORATORIUM KESEHATAN PENYELIA", 'F', "00", GOL_IIIC}),
     NULL},
    {K_HEALTH, 2, STRS("5347"),
     STEPS({"NUTRISIONIS TERAMPIL", 'F', "00", 0},
           {"NUTRISIONIS MAHIR", 'F', "00", GOL_IIIA}),
     NULL},
    {K_HEALTH, 3, STRS("6144"),
     STEPS({"EPIDEMIOLOG KESEHATAN AHLI PERTAMA", 'F', "00", 0},
           {"EPIDEMIOLOG KESEHATAN AHLI MUDA", 'F', "00", GOL_IIIC}),
     NULL},
    {K_HEALTH, 6, SLTA_UMUM,
     STEPS({"STAF", 'U', "00", 0},
           {"PENGADMINISTRASI UMUM", 'U', "00", GOL_IIB},
           {"PENGELOLA DATA REKAM MEDIS", 'U', "00", GOL_IID}),
     NULL},
    {K_HEALTH, 1, STRS("6144", "6124", "6122"),
     STEPS({"STAF", 'U', "00", 0},
           {"KEPALA SUBBAGIAN TATA USAHA", 'S', "41", GOL_IIIB}),
     NULL},
    {K_KECAMATAN, 10, SLTA_UMUM,
     STEPS({"STAF", 'U', "00", 0},
           {"PENGADMINISTRASI PEMERINTAHAN", 'U', "00", GOL_IIB},
           {"PENGELOLA DATA", 'U', "00", GOL_IID}),
     NULL},
    {K_KECAMATAN, 3, STRS("6132", "5432", "6124", "6131", "6122"),
     STEPS({"STAF", 'U', "00", 0}, {"KEPALA SEKSI %s", 'S', "41", GOL_IIIB}),
     SEKSI_WILAYAH},
    {K_KECAMATAN, 1, STRS("5432", "6132", "6124"),
     STEPS({"STAF", 'U', "00", 0},
           {"KEPALA SEKSI PEMERINTAHAN", 'S', "41", GOL_IIIB},
           {"SEKRETARIS KECAMATAN", 'S', "32", GOL_IIID},
           {"CAMAT", 'S', "31", GOL_IVA}),
     NULL},
    {K_KELURAHAN, 10, SLTA_UMUM,
     STEPS({"STAF", 'U', "00", 0},
           {"PENGADMINISTRASI UMUM", 'U', "00", GOL_IIB},
           {"PENGADMINISTRASI KEPENDUDUKAN", 'U', "00", GOL_IID}),
     NULL},
    {K_KELURAHAN, 3, STRS("6132", "5432", "6124", "5324"),
     STEPS({"STAF", 'U', "00", 0}, {"KEPALA SEKSI %s", 'S', "42", GOL_IIIA}),
     SEKSI_WILAYAH},
    {K_KELURAHAN, 1, STRS("5432", "6132", "6124"),
     STEPS({"STAF", 'U', "00", 0},
           {"SEKRETARIS KELURAHAN", 'S', "42", GOL_IIIA},
           {"LURAH", 'S', "41", GOL_IIIC}),
     NULL},
    {K_FIRE, 30, STRS("3101", "3102", "3211", "3212", "3214"),
     STEPS({"PEMADAM KEBAKARAN PEMULA", 'F', "00", 0},
           {"PEMADAM KEBAKARAN TERAMPIL", 'F', "00", GOL_IIB},
           {"PEMADAM KEBAKARAN MAHIR", 'F', "00", GOL_IID},
           {"PEMADAM KEBAKARAN PENYELIA", 'F', "00", GOL_IIIB}),
     NULL},
    {K_FIRE, 3, STRS("6111", "6112", "6116"),
     STEPS({"ANALIS KEBAKARAN AHLI PERTAMA", 'F', "00", 0},
           {"ANALIS KEBAKARAN AHLI MUDA", 'F', "00", GOL_IIIC}),
     NULL},
    {K_SATPOL, 30, STRS("3101", "3102", "3225"),
     STEPS({"POLISI PAMONG PRAJA PEMULA", 'F', "00", 0},
           {"POLISI PAMONG PRAJA TERAMPIL", 'F', "00", GOL_IIB},
           {"POLISI PAMONG PRAJA MAHIR", 'F', "00", GOL_IID},
           {"POLISI PAMONG PRAJA PENYELIA", 'F', "00", GOL_IIIB}),
     NULL},
};

/* Degrees taken while in service, by the major of the first one. */
static const char *const s1_codes[] = {
    "6111", "6112", "6113", "6115", "6116", "6117", "6121", "6122", "6123",
    "6124", "6131", "6132", "6133", "6134", "6135", "6136", "6141", "6142",
    "6144", "6145", "6148", "6151", "6152", "6153", "6154", "6155"};

typedef struct s2_rule_t {
    const char *majors; /* first digits of the majors it follows */
    const char *kode;
} s2_rule_t;

static const s2_rule_t s2_rules[] = {
    {"13", "7113"}, {"11", "7117"}, {"15", "7117"}, {"16", "7117"},
    {"17", "7117"}, {"2", "7122"},  {"31", "7131"}, {"4", "7144"},
    {"5", "7152"},  {"", "7124"},
};

/* ------------------------------------------------------------------ */
/* Names and origins                                                   */

typedef struct ethnic_t {
    int weight;
    const char *const *male;
    const char *const *female;
    const char *const *family_male;
    const char *const *family_female;
    int family_percent; /* names with a family or second name */
    int middle_percent; /* names with a second given name */
    const char *const *birthplaces;
    int jakarta_percent; /* born in Jakarta itself */
    int agama[7];        /* percent for agama 1 to 7 */
} ethnic_t;

static const ethnic_t ethnics[] = {
    /* Betawi */
    {20,
     STRS("MUHAMMAD", "AHMAD", "RIDWAN", "SYAHRUL", "FIKRI", "HARIS", "RAHMAT",
          "SAIPUL", "MAMAT", "ROJALI", "JUNAEDI", "SARIPUDIN", "NASRULLAH",
          "IRFAN", "HASANUDIN", "BAHRUDIN", "ZAINAL", "JAMALUDIN",
          "ABDUL ROHIM"),
     STRS("SITI", "NURHASANAH", "FATIMAH", "MAEMUNAH", "ROHAYATI", "NURLAILA",
          "SALMAH", "AMINAH", "HALIMAH", "MASITOH", "NURJANAH", "ROSIDAH",
          "KHOIRIYAH", "FITRIYANI", "NUR AINI"),
     STRS("RAHMAN", "HIDAYAT", "FAUZI", "SAPUTRA", "SYAHPUTRA", "HAMID",
          "ROSYID", "MUCHTAR", "JAELANI", "NAWAWI", "RAMADHAN", "HIDAYATULLAH",
          "FIRMANSYAH", "KURNIAWAN"),
     STRS("RAHMAWATI", "SAPUTRI", "HASANAH", "AULIA", "RAMADHANI", "FAUZIAH",
          "NURHAYATI", "AZIZAH"),
     75,
     10,
     STRS("BEKASI", "TANGERANG", "DEPOK", "BOGOR"),
     85,
     {97, 1, 1, 0, 0, 0, 1}},
    /* Javanese */
    {30,
     STRS("BUDI", "AGUS", "BAMBANG", "EKO", "DWI", "JOKO", "SUGENG", "SLAMET",
          "HERU", "WAHYU", "ARIF", "ANDRI", "TRI", "DANANG", "YUDI", "HARYANTO",
          "SUTRISNO", "PRAMONO", "ADI", "BAYU", "TEGUH", "SIGIT", "SUPARMAN",
          "SUGIYONO", "SUMARNO"),
     STRS("SRI", "ENDANG", "RETNO", "DEWI", "WULAN", "RINI", "SUSI", "TUTIK",
          "YULI", "ANIK", "DIAH", "ASIH", "TITIK", "ENDAH", "INDAH", "ARUM",
          "RATNA", "SUMIYATI", "SUTARMI"),
     STRS("SANTOSO", "PRASETYO", "NUGROHO", "WIBOWO", "SETIAWAN", "KURNIAWAN",
          "HARTONO", "SUSANTO", "WIDODO", "SURYADI", "PURNOMO", "SUSILO",
          "WICAKSONO", "SAPUTRO", "HANDOKO", "PRABOWO", "RAHARJO", "SULISTYO"),
     STRS("RAHAYU", "WULANDARI", "LESTARI", "ASTUTI", "HANDAYANI", "SUSANTI",
          "PURWANTI", "WAHYUNI", "KURNIASIH", "NINGSIH", "SETYOWATI", "PRATIWI",
          "ANGGRAENI", "SULISTYOWATI", "MULYANINGSIH"),
     80,
     30,
     STRS("SEMARANG", "SURAKARTA", "YOGYAKARTA", "KLATEN", "PURWOREJO",
          "KEBUMEN", "TEGAL", "BREBES", "PEKALONGAN", "BANYUMAS", "MAGELANG",
          "SURABAYA", "MALANG", "KEDIRI", "MADIUN", "NGAWI", "WONOGIRI",
          "BOYOLALI", "SRAGEN", "BLITAR", "CILACAP"),
     45,
     {88, 5, 5, 0, 1, 0, 1}},
    /* Sundanese */
    {18,
     STRS("ASEP", "DEDI", "UJANG", "CECEP", "DADANG", "YAYAN", "AEP", "UDIN",
          "JAJANG", "DENI", "HENDRA", "IWAN", "RUDI", "DADAN", "ENDANG",
          "WAWAN", "YANA"),
     STRS("EUIS", "IIS", "NENG", "ENENG", "IMAS", "YENI", "NINA", "ELIS",
          "TITIN", "RIKA", "LILIS", "ENDANG", "NENI", "CUCU", "YAYAH"),
     STRS("SUPRIATNA", "KUSNADI", "MULYANA", "SUTISNA", "HIDAYAT", "RUSTANDI",
          "SOBARNA", "PERMANA", "SURYANA", "GUNAWAN", "SETIAWAN", "KOSASIH",
          "SOPIAN", "NURDIN", "SAEPUDIN"),
     STRS("NURHAYATI", "KURNIASIH", "MULYATI", "SUMIATI", "ROSITA", "HERAWATI",
          "KARTIKA", "SUKMAWATI", "MARLIANA", "KOMALASARI"),
     85,
     15,
     STRS("BANDUNG", "GARUT", "TASIKMALAYA", "CIANJUR", "SUKABUMI", "SUMEDANG",
          "KUNINGAN", "CIAMIS", "BOGOR", "PURWAKARTA", "SUBANG", "MAJALENGKA",
          "KARAWANG", "PEBAYURAN"),
     40,
     {98, 1, 1, 0, 0, 0, 0}},
    /* Batak */
    {8,
     STRS("JOHANNES", "MARTIN", "ROBERT", "HENDRIK", "DANIEL", "SAMUEL",
          "POLTAK", "TUMPAL", "BONAR", "PARLINDUNGAN", "FERDINAND", "DAVID",
          "JONNI", "RICARDO", "BENNY", "SAHAT", "MANGATUR"),
     STRS("MARIA", "ROSMAWATI", "LENNY", "MARTHA", "ELISABETH", "RUTH",
          "YOHANA", "DORIS", "ROSLINA", "SARMAULI", "TIOMINA", "RISMA",
          "NURMAIDA", "SONDANG"),
     STRS("SIMANJUNTAK", "SIREGAR", "NASUTION", "HUTAPEA", "SITUMORANG",
          "PANJAITAN", "SIAHAAN", "HARAHAP", "SINAGA", "TAMPUBOLON",
          "SIMATUPANG", "MANURUNG", "SIHOMBING", "PASARIBU", "LUBIS",
          "HUTAGALUNG", "NAINGGOLAN", "SIMBOLON", "SITORUS", "GULTOM"),
     NULL,
     100,
     20,
     STRS("MEDAN", "PEMATANG SIANTAR", "TARUTUNG", "BALIGE", "SIBOLGA",
          "PADANG SIDEMPUAN", "TEBING TINGGI", "KABANJAHE"),
     40,
     {25, 55, 18, 0, 0, 0, 2}},
    /* Minangkabau */
    {7,
     STRS("RIZAL", "YUSRIZAL", "AFRIZAL", "HENDRI", "DONI", "FIRDAUS",
          "ZULKIFLI", "SYAFRIL", "ERWIN", "ILHAM", "ANDRIZAL", "FAJRI",
          "NOFRIZAL"),
     STRS("YULIANTI", "RAHMAWATI", "FITRI", "YUSNIDAR", "DESI", "ELFA", "WIDYA",
          "NOVIA", "RAHMI", "YENNY", "ROSNI", "ERNAWATI"),
     STRS("EFENDI", "SYAFRUDDIN", "AZWAR", "CHANIAGO", "PILIANG", "SIKUMBANG",
          "TANJUNG", "KOTO", "SYAFEI", "ARIFIN", "ANWAR", "PUTRA"),
     STRS("NOVITA", "PUTRI", "YUSRA", "SARI", "ANGGRAINI", "SYAFRIANTI"),
     60,
     10,
     STRS("PADANG", "BUKITTINGGI", "PAYAKUMBUH", "SOLOK", "PARIAMAN",
          "BATUSANGKAR", "PADANG PANJANG", "SAWAHLUNTO", "PEKANBARU"),
     40,
     {99, 1, 0, 0, 0, 0, 0}},
    /* Chinese-Indonesian */
    {3,
     STRS("HENDRA", "HARTONO", "SUSANTO", "WILLIAM", "KEVIN", "STEVEN", "ANTON",
          "BUDIMAN", "JIMMY", "HANS", "FELIX", "RICHARD", "JOHAN", "ALBERT",
          "TJANDRA", "ERIC"),
     STRS("LINDA", "MELIANA", "SUSANNA", "VERONICA", "LIANA", "LILY", "JESSICA",
          "MONICA", "YULIANA", "CHRISTINE", "FENNY", "SHERLY", "LIDYA",
          "NATALIA"),
     STRS("WIJAYA", "GUNAWAN", "HALIM", "TANUWIJAYA", "SANTOSO", "KURNIAWAN",
          "SETIADI", "LIMANTO", "TANDIONO", "SUTANTO", "HARSONO", "SALIM",
          "GOZALI", "HARTANTO", "LIE", "TJAHJADI"),
     NULL,
     95,
     10,
     STRS("MEDAN", "PONTIANAK", "SEMARANG", "SURABAYA", "BANDUNG", "SINGKAWANG",
          "PANGKAL PINANG", "TANGERANG"),
     55,
     {3, 32, 25, 0, 30, 10, 0}},
    /* Arab descent */
    {5,
     STRS("MUHAMMAD", "AHMAD", "UMAR", "HASAN", "HUSEIN", "ALI", "SALIM",
          "FAISAL", "MA'RUF", "ZAKI", "HAMZAH", "THALIB", "ABDULLAH", "SYARIF",
          "MUSTAFA"),
     STRS("FATIMAH", "AISYAH", "KHADIJAH", "SYARIFAH", "ZAINAB", "SALWA",
          "LATIFAH", "SAIDAH", "NABILA", "SAKINAH", "HAFSAH"),
     STRS("ALATAS", "ASSEGAF", "AL HABSYI", "BAHASUAN", "SHAHAB", "BAFADAL",
          "ALAYDRUS", "BAWAZIER", "AL JUFRI", "BAABUD", "BASALAMAH", "ALKAFF"),
     NULL,
     80,
     25,
     STRS("PEKALONGAN", "SURABAYA", "PALEMBANG", "SURAKARTA", "BONDOWOSO",
          "GRESIK", "MALANG"),
     65,
     {100, 0, 0, 0, 0, 0, 0}},
    /* Balinese: the birth-order name is the given name. */
    {2,
     STRS("I WAYAN", "I MADE", "I NYOMAN", "I KETUT", "I GEDE", "I PUTU",
          "I KOMANG"),
     STRS("NI LUH", "NI MADE", "NI NYOMAN", "NI KETUT", "NI WAYAN", "NI PUTU",
          "NI KOMANG"),
     STRS("SUARDANA", "ARTAWAN", "SUDARSANA", "WIRAWAN", "ADNYANA", "MAHENDRA",
          "SUTAMA", "DARMAWAN", "SUKARDIKA", "ARIANTA"),
     STRS("SRI ARTINI", "SUKMAWATI", "PURNAMI", "ASTITI", "WIDIASIH", "ARIANI",
          "SUWENDRI", "PUSPAWATI"),
     100,
     0,
     STRS("DENPASAR", "GIANYAR", "TABANAN", "SINGARAJA", "KLUNGKUNG", "BANGLI",
          "KARANGASEM"),
     25,
     {0, 2, 1, 97, 0, 0, 0}},
    /* Manado, Maluku, Nusa Tenggara Timur */
    {4,
     STRS("YOHANES", "FREDDY", "ALEXANDER", "MARKUS", "PETRUS", "ROBERTH",
          "JEFRI", "RONALD", "FRANSISKUS", "YOSEF", "STEVANUS", "MAIKEL"),
     STRS("MARIA", "GRACE", "MEIKE", "FEBRIANI", "ANGELINA", "OKTAVIA", "SELVI",
          "VERA", "JULIANA", "MARTHA", "YUNITA"),
     STRS("LUMENTUT", "WAWORUNTU", "RUMAJAR", "MONINTJA", "PATTIASINA",
          "TUHUMURY", "LATUPERISSA", "SIWABESSY", "MANUPUTTY", "DA COSTA",
          "BERE", "FERNANDEZ"),
     NULL,
     95,
     20,
     STRS("MANADO", "TOMOHON", "BITUNG", "AMBON", "KUPANG", "ENDE", "MAUMERE",
          "JAYAPURA"),
     40,
     {5, 60, 35, 0, 0, 0, 0}},
};

static const char *const jakarta_parts[] = {"JAKARTA PUSAT", "JAKARTA UTARA",
                                            "JAKARTA BARAT", "JAKARTA SELATAN",
                                            "JAKARTA TIMUR"};

static const char *const agama_codes[] = {"1", "2", "3", "4", "5", "6", "7"};

/* Where the NIK was issued: Kemendagri regency codes and how many
 * kecamatan each has, Jakarta first and then the commuter belt. */
typedef struct regency_t {
    const char *kode;
    int kecamatan;
    int weight;
} regency_t;

static const regency_t regencies[] = {
    {"3171", 8, 10},  {"3172", 6, 15}, {"3173", 8, 20}, {"3174", 10, 18},
    {"3175", 10, 25}, {"3101", 2, 2},  {"3275", 12, 8}, {"3276", 11, 7},
    {"3671", 13, 5},  {"3674", 7, 5},  {"3201", 40, 4}, {"3216", 23, 4},
};

/* ------------------------------------------------------------------ */
/* Weighted choices                                                    */

static const unit_t *pick_unit(rng_t *r, int kinds)
{
    int i, total = 0, x;

    for (i = 0; i < N_ELEM(units); i++) {
        if (units[i].kinds & kinds) {
            total += units[i].weight;
        }
    }
    x = rng_below(r, total);
    for (i = 0; i < N_ELEM(units); i++) {
        if (!(units[i].kinds & kinds)) {
            continue;
        }
        if (x < units[i].weight) {
            break;
        }
        x -= units[i].weight;
    }
    return &units[i];
}

static const track_t *pick_track(rng_t *r, int kinds)
{
    int i, total = 0, x;

    for (i = 0; i < N_ELEM(tracks); i++) {
        if (tracks[i].kinds & kinds) {
            total += tracks[i].weight;
        }
    }
    x = rng_below(r, total);
    for (i = 0; i < N_ELEM(tracks); i++) {
        if (!(tracks[i].kinds & kinds)) {
            continue;
        }
        if (x < tracks[i].weight) {
            break;
        }
        x -= tracks[i].weight;
    }
    return &tracks[i];
}

static const ethnic_t *pick_ethnic(rng_t *r)
{
    int i, total = 0, x;

    for (i = 0; i < N_ELEM(ethnics); i++) {
        total += ethnics[i].weight;
    }
    x = rng_below(r, total);
    for (i = 0; x >= ethnics[i].weight; i++) {
        x -= ethnics[i].weight;
    }
    return &ethnics[i];
}

static const char *pick_agama(rng_t *r, const ethnic_t *e)
{
    int i, x = rng_below(r, 100);

    for (i = 0; i < 6 && x >= e->agama[i]; i++) {
        x -= e->agama[i];
    }
    return agama_codes[i];
}

static void pick_wilayah(rng_t *r, char out[7])
{
    int i, total = 0, x;

    for (i = 0; i < N_ELEM(regencies); i++) {
        total += regencies[i].weight;
    }
    x = rng_below(r, total);
    for (i = 0; x >= regencies[i].weight; i++) {
        x -= regencies[i].weight;
    }
    memcpy(out, regencies[i].kode, 4);
    x = rng_range(r, 1, regencies[i].kecamatan);
    out[4] = (char)('0' + x / 10);
    out[5] = (char)('0' + x % 10);
    out[6] = '\0';
}

/* ------------------------------------------------------------------ */
/* Generation                                                          */

/* What generation knows about a person beyond the pegawai row. */
typedef struct person_t {
    int sequence; /* of the NIP and the NIK */
    const ethnic_t *ethnic;
    const unit_t *unit;
    const track_t *track;
    const char *field;   /* fills "%s" in the track's names */
    const char *s1, *s2; /* degrees, the first one included */
    int s3;
    long cpns;          /* day of the CPNS appointment */
    int entry, cap;     /* golongan_ladder indexes */
    int years_per_step; /* between regular promotions */
    int muslim;
} person_t;

/* NRKs count from 100000 and step over the manual's two. */
static void format_nrk(long index, char out[12])
{
    long nrk = 100000 + index;

    apr_snprintf(out, 12, "%ld", nrk >= 181678 ? nrk + 2 : nrk);
}

static long birth_days(void)
{
    return day_number(BIRTH_LAST_YEAR + 1, 1, 1)
           - day_number(BIRTH_FIRST_YEAR, 1, 1);
}

/* Sequences run 1 to 998; 999 is kept for the one generated person
 * whose birth date and sequence would repeat a manual employee's NIP. */
#define SEQUENCES 998

static apr_uint64_t gcd(apr_uint64_t a, apr_uint64_t b)
{
    while (b != 0) {
        apr_uint64_t t = a % b;

        a = b;
        b = t;
    }
    return a;
}

void pgw_demo_init(pgw_demo_t *d, apr_uint64_t seed)
{
    apr_uint64_t m = (apr_uint64_t)birth_days() * SEQUENCES;
    rng_t r;

    rng_seed(&r, seed, APR_UINT64_C(0xffffffffffffffff));
    d->seed = seed;
    d->mul = m / 3 + rng_next(&r) % (m / 2);
    while (gcd(d->mul, m) != 1) {
        d->mul++;
    }
    d->add = rng_next(&r) % m;
}

/* Birth date and sequence come from one number j = (mul * index + add)
 * mod (days * SEQUENCES), a permutation of the indexes since mul is
 * prime to the modulus: so no two employees share both, and neither
 * their NIP nor their NIK can collide, whatever else differs. */
static void gen_identity(const pgw_demo_t *d, long index, rng_t *r,
                         pgw_demo_pegawai_t *out, person_t *p)
{
    apr_uint64_t days = (apr_uint64_t)birth_days();
    apr_uint64_t j =
        (d->mul * (apr_uint64_t)index + d->add) % (days * SEQUENCES);

    format_nrk(index, out->nrk);
    number_date(day_number(BIRTH_FIRST_YEAR, 1, 1) + (long)(j % days),
                &out->tanggal_lahir);
    p->sequence = (int)(j / days) + 1;
    if ((p->sequence == 18
         && date_number(&out->tanggal_lahir) == day_number(1983, 7, 5))
        || (p->sequence == 19
            && date_number(&out->tanggal_lahir) == day_number(1983, 6, 11))) {
        p->sequence = 999;
    }
    out->jenis_kelamin = rng_percent(r, 52) ? 'L' : 'P';
}

static void append_word(char *buf, apr_size_t size, const char *word)
{
    apr_size_t len = strlen(buf);

    if (len > 0 && len + 1 < size) {
        buf[len++] = ' ';
        buf[len] = '\0';
    }
    apr_cpystrn(buf + len, word, size - len);
}

static void gen_name(rng_t *r, pgw_demo_pegawai_t *out, person_t *p)
{
    const ethnic_t *e = pick_ethnic(r);
    int male = out->jenis_kelamin == 'L';
    const char *const *given = male ? e->male : e->female;
    const char *const *family =
        male || e->family_female == NULL ? e->family_male : e->family_female;
    const char *first = rng_pick(r, given);

    p->ethnic = e;
    append_word(out->nama, sizeof(out->nama), first);
    if (rng_percent(r, e->middle_percent)) {
        const char *middle = rng_pick(r, given);

        if (strcmp(middle, first) != 0) {
            append_word(out->nama, sizeof(out->nama), middle);
        }
    }
    if (rng_percent(r, e->family_percent)) {
        append_word(out->nama, sizeof(out->nama), rng_pick(r, family));
    }
    if (!rng_percent(r, e->jakarta_percent)) {
        out->tempat_lahir = rng_pick(r, e->birthplaces);
    }
    else if (rng_percent(r, 80)) {
        out->tempat_lahir = "JAKARTA";
    }
    else {
        out->tempat_lahir = jakarta_parts[rng_below(r, 5)];
    }
    out->agama = pick_agama(r, e);
    p->muslim = out->agama[0] == '1';
}

static long add_years(long day, int years)
{
    return day + (long)years * 36525 / 100;
}

/* Picks the CPNS appointment (the first of a month) for the education
 * of p, between the youngest age it allows and 35 and before TODAY.
 * Returns 0 when the person is too young for that education. */
static int choose_cpns(rng_t *r, pgw_demo_pegawai_t *out, person_t *p)
{
    const level_rule_t *rule = level_rule(out->pendidikan_cpns);
    long born = date_number(&out->tanggal_lahir);
    long from = add_years(born, rule->min_age);
    long to = add_years(born, 35);
    pgw_date_t d;

    if (strcmp(out->pendidikan_cpns, "6141") == 0
        || strcmp(out->pendidikan_cpns, "6148") == 0) {
        from = add_years(born, 24); /* after the profession year */
    }
    if (from < day_number(1986, 1, 1)) {
        from = day_number(1986, 1, 1);
    }
    if (to > TODAY - 31) {
        to = TODAY - 31;
    }
    if (from > to) {
        return 0;
    }
    number_date(from + rng_below(r, (int)(to - from + 1)), &d);
    d.day = 1;
    p->cpns = date_number(&d);
    p->entry = rule->entry;
    p->cap = rule->cap;
    return 1;
}

static const char *s1_for(const char *pendidikan, rng_t *r)
{
    int i;

    for (i = 0; i < N_ELEM(s1_codes); i++) {
        if (strcmp(s1_codes[i] + 2, pendidikan + 2) == 0) {
            return s1_codes[i];
        }
    }
    return rng_pick(r, STRS("6124", "6122", "6131", "6121"));
}

static const char *s2_for(const char *s1)
{
    int i;

    for (i = 0; i < N_ELEM(s2_rules) - 1; i++) {
        const char *m = s2_rules[i].majors;

        if (strncmp(s1 + 2, m, strlen(m)) == 0) {
            return s2_rules[i].kode;
        }
    }
    return s2_rules[i].kode;
}

/* Degrees earned in service: they raise the grade a person can reach
 * and their titles, not their pendidikan_cpns. */
static void gen_degrees(rng_t *r, pgw_demo_pegawai_t *out, person_t *p)
{
    const char *level = out->pendidikan_cpns;
    int born = out->tanggal_lahir.year;

    if (strncmp(level, "61", 2) == 0 || strncmp(level, "54", 2) == 0) {
        p->s1 = out->pendidikan_cpns;
    }
    else if (strncmp(level, "3", 1) >= 0 && strncmp(level, "53", 2) <= 0
             && born <= 1995 && rng_percent(r, 18)) {
        p->s1 = s1_for(level, r);
    }
    if (p->s1 != NULL && born <= 1990 && rng_percent(r, 18)) {
        p->s2 = s2_for(p->s1);
        p->s3 = born <= 1980 && rng_percent(r, 4);
    }
    if (p->s3) {
        p->cap = GOL_IVC;
    }
    else if (p->s2 != NULL) {
        p->cap = p->cap > GOL_IVB ? p->cap : GOL_IVB;
    }
    else if (p->s1 != NULL) {
        p->cap = p->cap > GOL_IVA ? p->cap : GOL_IVA;
    }
}

static int golongan_at(const person_t *p, long day)
{
    long months = (day - p->cpns) * 100 / 3044;
    int g = p->entry + (int)(months / (12 * p->years_per_step));

    if (g > p->cap) {
        g = p->cap > p->entry ? p->cap : p->entry;
    }
    return g;
}

/* The most senior step of the track that golongan may hold. */
static int step_allowed(const track_t *t, int golongan)
{
    int i, best = 0;

    for (i = 1; t->steps[i].name != NULL; i++) {
        if (t->steps[i].min_golongan <= golongan) {
            best = i;
        }
    }
    return best;
}

static int count_steps(const track_t *t)
{
    int n = 0;

    while (t->steps[n].name != NULL) {
        n++;
    }
    return n;
}

/* Writes a step's name, with "%s" replaced by field. */
static void step_name(const step_t *s, const char *field, char *out,
                      apr_size_t size)
{
    const char *mark = strstr(s->name, "%s");
    apr_size_t head;

    if (mark == NULL || field == NULL) {
        apr_cpystrn(out, s->name, size);
        return;
    }
    head = (apr_size_t)(mark - s->name);
    if (head >= size) {
        head = size - 1;
    }
    memcpy(out, s->name, head);
    apr_cpystrn(out + head, field, size - head);
    head = strlen(out);
    apr_cpystrn(out + head, mark + 2, size - head);
}

static void format_sk(rng_t *r, const pgw_date_t *tanggal, char *out,
                      apr_size_t size)
{
    int y = tanggal->year;

    switch (rng_below(r, 5)) {
    case 0:
        apr_snprintf(out, size, "%d/%d", rng_range(r, 1, 1500), y);
        break;
    case 1:
        apr_snprintf(out, size, "%d TAHUN %d", rng_range(r, 1, 90), y);
        break;
    case 2:
        apr_snprintf(out, size, "%02d Tahun %d", rng_range(r, 1, 90), y);
        break;
    case 3:
        apr_snprintf(out, size, "821.2/%d/%d", rng_range(r, 1, 4000), y);
        break;
    default:
        apr_snprintf(out, size, "%d/-082.2/%d", rng_range(r, 1, 2500), y);
        break;
    }
}

/* Another unit where this track is followed: where earlier positions
 * were held. */
static const char *earlier_unit(rng_t *r, const person_t *p)
{
    if (rng_percent(r, 60)) {
        return p->unit->kode;
    }
    return pick_unit(r, p->track->kinds & p->unit->kinds
                            ? p->track->kinds & p->unit->kinds
                            : p->unit->kinds)
        ->kode;
}

static void gen_row(rng_t *r, const person_t *p, long tmt, int step,
                    pgw_demo_jabatan_t *row)
{
    const step_t *s = &p->track->steps[step];
    long sk = tmt + rng_range(r, -40, 90);

    number_date(tmt, &row->tmt);
    step_name(s, p->field, row->jabatan, sizeof(row->jabatan));
    row->golongan = golongan_ladder[golongan_at(p, tmt)];
    row->eselon = s->eselon;
    number_date(sk < TODAY ? sk : TODAY - 1, &row->tanggal_sk);
    format_sk(r, &row->tanggal_sk, row->no_sk, sizeof(row->no_sk));
}

/* TMTs of rows after the first: one per equal slice of the years since
 * the CPNS year, on one of the first working days of a month. */
static long row_tmt(rng_t *r, const person_t *p, int k, int rows, long previous)
{
    long start = p->cpns + 365;
    long slot = (TODAY - 31 - start) / (rows - 1);
    long day = start + (k - 1) * slot + rng_below(r, (int)(slot * 4 / 5) + 1);
    pgw_date_t d;

    number_date(day, &d);
    d.day = rng_range(r, 1, 3);
    day = date_number(&d);
    return day > previous ? day : previous + 31;
}

static void gen_riwayat(rng_t *r, pgw_demo_pegawai_t *out, person_t *p)
{
    int years = (int)((TODAY - p->cpns) / 365);
    int most = years / 2 < PGW_DEMO_MAX_RIWAYAT - 1 ? years / 2
                                                    : PGW_DEMO_MAX_RIWAYAT - 1;
    int rows = 1 + rng_below(r, most + 1);
    int steps = count_steps(p->track);
    int ambition = rng_percent(r, 70) ? steps - 1 : rng_below(r, steps);
    int k, step = 0;
    long tmt = p->cpns;

    for (k = 0; k < rows; k++) {
        pgw_demo_jabatan_t *row = &out->riwayat[k];
        int allowed;

        if (k > 0) {
            tmt = row_tmt(r, p, k, rows, tmt);
            allowed = step_allowed(p->track, golongan_at(p, tmt));
            step = step + 1 < allowed ? step + 1 : allowed;
            step = step < ambition ? step : ambition;
        }
        gen_row(r, p, tmt, step, row);
        row->lokasi = k == rows - 1 ? p->unit->kode : earlier_unit(r, p);
    }
    out->n_riwayat = rows;
    out->jenis_jabatan[0] = p->track->steps[step].jenis;
    out->jenis_jabatan[1] = '\0';
}

static void gen_career(rng_t *r, pgw_demo_pegawai_t *out, person_t *p)
{
    const pgw_demo_jabatan_t *last;

    p->unit = pick_unit(r, ~0);
    p->track = pick_track(r, p->unit->kinds);
    p->field = p->track->fields ? rng_pick(r, p->track->fields) : NULL;
    out->pendidikan_cpns = rng_pick(r, p->track->pendidikan);
    if (!choose_cpns(r, out, p)) {
        p->track = &tracks[0];
        p->field = NULL;
        out->pendidikan_cpns = rng_pick(r, tracks[0].pendidikan);
        choose_cpns(r, out, p);
    }
    if (strcmp(out->pendidikan_cpns, "5343") == 0) {
        out->jenis_kelamin = 'P'; /* bidan: midwives are women */
    }
    gen_degrees(r, out, p);
    p->years_per_step = rng_percent(r, 70) ? 4 : 5;
    gen_riwayat(r, out, p);

    last = &out->riwayat[out->n_riwayat - 1];
    apr_cpystrn(out->jabatan, last->jabatan, sizeof(out->jabatan));
    out->eselon = last->eselon;
    out->golongan = golongan_ladder[golongan_at(p, TODAY)];
    out->lokasi_kerja = p->unit->kode;
    out->unit_kerja = p->unit->induk ? p->unit->induk : p->unit->kode;
    out->status_pegawai = TODAY - p->cpns < 365 ? "CPNS" : "PNS";
}

static void gen_nip(pgw_demo_pegawai_t *out, const person_t *p)
{
    pgw_date_t cpns;

    number_date(p->cpns, &cpns);
    pgw_nip_format(out->nip, &out->tanggal_lahir, cpns.year, cpns.month,
                   out->jenis_kelamin, p->sequence);
}

/* ------------------------------------------------------------------ */
/* Titles                                                              */

typedef struct title_rule_t {
    const char *majors; /* first digits of the majors it covers */
    const char *title;
} title_rule_t;

static const title_rule_t s1_titles[] = {
    {"13", "S.Kom."},        {"1", "S.T."},         {"2", "S.E."},
    {"24", "S.AP."},         {"31", "S.H."},        {"32", "S.IP."},
    {"33", "S.I.Kom."},      {"34", "S.Psi."},      {"35", "S.Sos."},
    {"36", "S.Si."},         {"42", "S.Kep., Ns."}, {"44", "S.KM."},
    {"45", "S.Farm., Apt."}, {"5", "S.Pd."},
};

static const title_rule_t s2_titles[] = {
    {"13", "M.Kom."}, {"17", "M.T."},   {"22", "M.M."},  {"24", "M.Si."},
    {"31", "M.H."},   {"44", "M.K.M."}, {"52", "M.Pd."},
};

static const title_rule_t d3_titles[] = {
    {"13", "A.Md.Kom."},  {"42", "A.Md.Kep."}, {"43", "A.Md.Keb."},
    {"45", "A.Md.Farm."}, {"46", "A.Md.AK."},  {"47", "A.Md.Gz."},
};

/* The longest matching prefix wins: "24" over "2". */
static const char *title_for(const title_rule_t *rules, int n, const char *kode,
                             const char *otherwise)
{
    const char *best = otherwise;
    apr_size_t best_len = 0;
    int i;

    for (i = 0; i < n; i++) {
        apr_size_t len = strlen(rules[i].majors);

        if (strncmp(kode + 2, rules[i].majors, len) == 0 && len > best_len) {
            best = rules[i].title;
            best_len = len;
        }
    }
    return best;
}

static void add_title(char *buf, apr_size_t size, const char *title,
                      const char *sep)
{
    apr_size_t len = strlen(buf);

    if (title == NULL) {
        return;
    }
    if (len > 0) {
        apr_cpystrn(buf + len, sep, size - len);
        len = strlen(buf);
    }
    apr_cpystrn(buf + len, title, size - len);
}

static void add_depan(pgw_demo_pegawai_t *out, const char *title)
{
    add_title(out->gelar_depan, sizeof(out->gelar_depan), title, " ");
}

/* Titles before the name: a doctorate, the first degree's when it goes
 * in front (dr., drg., and the Drs./Dra./Ir. of graduates before 1994),
 * and the hajj. Returns 1 when the first degree's title went in front. */
static int gen_gelar_depan(rng_t *r, pgw_demo_pegawai_t *out, const person_t *p)
{
    int male = out->jenis_kelamin == 'L';
    int old = out->tanggal_lahir.year + 23 < 1994;
    int in_front = 1;

    if (p->s3) {
        add_depan(out, "Dr.");
    }
    if (p->s1 == NULL || strncmp(p->s1, "61", 2) != 0) {
        in_front = 0;
    }
    else if (strcmp(p->s1, "6141") == 0) {
        add_depan(out, "dr.");
    }
    else if (strcmp(p->s1, "6148") == 0) {
        add_depan(out, "drg.");
    }
    else if (old && p->s1[2] == '1') {
        add_depan(out, "Ir.");
    }
    else if (old) {
        add_depan(out, male ? "Drs." : "Dra.");
    }
    else {
        in_front = 0;
    }
    if (p->muslim && TODAY_Y - out->tanggal_lahir.year >= 40
        && rng_percent(r, 12)) {
        add_depan(out, male ? "H." : "Hj.");
    }
    return in_front;
}

static void gen_gelar(rng_t *r, pgw_demo_pegawai_t *out, const person_t *p)
{
    const char *cpns = out->pendidikan_cpns;
    char *b = out->gelar_belakang;
    apr_size_t size = sizeof(out->gelar_belakang);
    int s1_in_front = gen_gelar_depan(r, out, p);

    if (p->s1 == NULL && strncmp(cpns, "53", 2) == 0) {
        add_title(b, size,
                  title_for(d3_titles, N_ELEM(d3_titles), cpns, "A.Md."), ", ");
    }
    else if (p->s1 != NULL && strncmp(p->s1, "54", 2) == 0) {
        add_title(b, size, strcmp(p->s1, "5432") == 0 ? "S.STP." : "S.ST.",
                  ", ");
    }
    else if (p->s1 != NULL && !s1_in_front) {
        add_title(b, size,
                  title_for(s1_titles, N_ELEM(s1_titles), p->s1, "S.Sos."),
                  ", ");
    }
    if (p->s2 != NULL) {
        add_title(b, size,
                  title_for(s2_titles, N_ELEM(s2_titles), p->s2, "M.Si."),
                  ", ");
    }
}

/* ------------------------------------------------------------------ */
/* The data form                                                       */

static void put_ddmmyy(char *out, int day, int month, int year)
{
    out[0] = (char)('0' + day / 10);
    out[1] = (char)('0' + day % 10);
    out[2] = (char)('0' + month / 10);
    out[3] = (char)('0' + month % 10);
    out[4] = (char)('0' + year / 10 % 10);
    out[5] = (char)('0' + year % 10);
}

/* No. KK: the issuing district, the issue date DDMMYY, a sequence. */
static void gen_kk(rng_t *r, pgw_demo_pegawai_t *out, const char *wilayah)
{
    long born = date_number(&out->tanggal_lahir);
    long from = add_years(born, 20);
    pgw_date_t d;

    if (from < day_number(2000, 1, 1)) {
        from = day_number(2000, 1, 1);
    }
    number_date(from + rng_below(r, (int)(TODAY - from)), &d);
    memcpy(out->no_kk, wilayah, 6);
    put_ddmmyy(out->no_kk + 6, d.day, d.month, d.year);
    apr_snprintf(out->no_kk + 12, 5, "%04d", rng_range(r, 1, 9999));
}

/* The 15-digit NPWP of before July 2024: 8 digits, a Luhn check digit
 * over them, the tax office (3 digits) and 000 for a head of household. */
static void gen_npwp_old(rng_t *r, char out[17])
{
    int i, sum = 0;

    rng_digits(r, out, 8);
    for (i = 7; i >= 0; i--) {
        int v = out[i] - '0';

        if ((7 - i) % 2 == 0) {
            v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        }
        sum += v;
    }
    out[8] = (char)('0' + (10 - sum % 10) % 10);
    apr_snprintf(out + 9, 8, "%03d000", rng_range(r, 11, 99));
}

static void gen_hp(rng_t *r, char out[17])
{
    static const char *const prefixes[] = {
        "11", "12", "13", "21", "22", "23", "51", "52", "53", "14", "15",
        "16", "55", "56", "57", "58", "17", "18", "19", "59", "77", "78",
        "95", "96", "97", "98", "99", "81", "82", "83", "87", "88", "89"};
    int rest = rng_range(r, 7, 9);

    memcpy(out, "08", 2);
    memcpy(out + 2, prefixes[rng_below(r, N_ELEM(prefixes))], 2);
    rng_digits(r, out + 4, rest);
    out[4 + rest] = '\0';
}

/* Lower-case letters of one word of the name, at most max of them. */
static apr_size_t email_word(const char *word, char *out, apr_size_t max)
{
    apr_size_t n = 0;

    for (; *word != '\0' && *word != ' ' && n < max; word++) {
        if (*word >= 'A' && *word <= 'Z') {
            out[n++] = (char)(*word - 'A' + 'a');
        }
    }
    return n;
}

static void gen_email(rng_t *r, pgw_demo_pegawai_t *out)
{
    static const char *const domains[] = {"gmail.com", "gmail.com",
                                          "gmail.com", "yahoo.co.id",
                                          "yahoo.com", "jakarta.go.id"};
    const char *last = strrchr(out->nama, ' ');
    char local[40];
    apr_size_t n = email_word(out->nama, local, 16);

    if (last != NULL) {
        local[n++] = '.';
        n += email_word(last + 1, local + n, 16);
    }
    local[n] = '\0';
    apr_snprintf(out->email, sizeof(out->email), "%s%02d@%s", local,
                 out->tanggal_lahir.year % 100,
                 domains[rng_below(r, N_ELEM(domains))]);
}

/* No. TASPEN as the manual's shows it: the NIP without the century of
 * either date, and a 0. */
static void gen_taspen(pgw_demo_pegawai_t *out)
{
    memcpy(out->no_taspen, out->nip + 2, 6);
    memcpy(out->no_taspen + 6, out->nip + 10, 4);
    memcpy(out->no_taspen + 10, out->nip + 14, 4);
    memcpy(out->no_taspen + 14, "0", 2);
}

static void gen_cards(rng_t *r, pgw_demo_pegawai_t *out, const person_t *p)
{
    pgw_date_t cpns;

    number_date(p->cpns, &cpns);
    if (rng_percent(r, 60)) {
        gen_taspen(out);
    }
    if (out->status_pegawai[0] == 'P' && rng_percent(r, 80)) {
        int series = (cpns.year - 1980) / 2;

        out->no_karpeg[0] = (char)('A' + (series < 25 ? series : 25));
        rng_digits(r, out->no_karpeg + 1, 6);
    }
    if (rng_percent(r, 55)) {
        memcpy(out->no_bpjs, "000", 3);
        rng_digits(r, out->no_bpjs + 3, 10);
    }
    if (TODAY_Y - out->tanggal_lahir.year >= 28 && rng_percent(r, 50)) {
        rng_digits(r, out->no_karis_karsu, 6);
        out->no_karis_karsu[6] = 'K';
    }
}

static const char *pick_gol_darah(rng_t *r)
{
    int x = rng_below(r, 100);

    return x < 37 ? "O" : x < 63 ? "A" : x < 92 ? "B" : "AB";
}

static void gen_data_form(rng_t *r, pgw_demo_pegawai_t *out, const person_t *p)
{
    char wilayah[7];

    pick_wilayah(r, wilayah);
    pgw_nik_format(out->nik, wilayah, &out->tanggal_lahir, out->jenis_kelamin,
                   p->sequence);
    gen_kk(r, out, wilayah);
    if (rng_percent(r, 85)) {
        apr_snprintf(out->no_rek_bank_dki, 4, "%03d", rng_range(r, 101, 799));
        rng_digits(r, out->no_rek_bank_dki + 3, 8);
    }
    if (rng_percent(r, 35)) {
        memcpy(out->npwp, out->nik, 17);
    }
    else if (rng_percent(r, 50)) {
        gen_npwp_old(r, out->npwp);
    }
    out->gol_darah = rng_percent(r, 60) ? pick_gol_darah(r) : NULL;
    if (rng_percent(r, 20)) {
        memcpy(out->no_telp, "021", 3);
        out->no_telp[3] = (char)('2' + rng_below(r, 7));
        rng_digits(r, out->no_telp + 4, 7);
    }
    if (rng_percent(r, 90)) {
        gen_hp(r, out->no_hp);
    }
    if (rng_percent(r, 15)) {
        out->pendidikan_cpns = NULL; /* not filled in yet */
    }
    gen_cards(r, out, p);
    if (rng_percent(r, 55)) {
        gen_email(r, out);
    }
}

void pgw_demo_generate(const pgw_demo_t *d, long index, pgw_demo_pegawai_t *out)
{
    person_t p;
    rng_t r;

    memset(out, 0, sizeof(*out));
    memset(&p, 0, sizeof(p));
    rng_seed(&r, d->seed, (apr_uint64_t)index);
    gen_identity(d, index, &r, out, &p);
    gen_career(&r, out, &p);
    gen_name(&r, out, &p);
    gen_nip(out, &p);
    gen_gelar(&r, out, &p);
    gen_data_form(&r, out, &p);
}

/* ------------------------------------------------------------------ */
/* The manual's employees                                              */

#define BKD      "07000000"
#define PUSDATIN "07050000"

static void manual_row(pgw_demo_pegawai_t *out, int y, int m, int d,
                       const char *lokasi, const char *jabatan,
                       const char *golongan, const char *no_sk, int sk_y,
                       int sk_m, int sk_d)
{
    pgw_demo_jabatan_t *row = &out->riwayat[out->n_riwayat++];

    row->tmt.year = y;
    row->tmt.month = m;
    row->tmt.day = d;
    row->lokasi = lokasi;
    apr_cpystrn(row->jabatan, jabatan, sizeof(row->jabatan));
    row->golongan = golongan;
    row->eselon = "00";
    apr_cpystrn(row->no_sk, no_sk, sizeof(row->no_sk));
    row->tanggal_sk.year = sk_y;
    row->tanggal_sk.month = sk_m;
    row->tanggal_sk.day = sk_d;
}

static void manual_common(pgw_demo_pegawai_t *out, const char *nrk,
                          const char *nip, int birth_month, int birth_day)
{
    apr_cpystrn(out->nrk, nrk, sizeof(out->nrk));
    apr_cpystrn(out->nip, nip, sizeof(out->nip));
    out->tanggal_lahir.year = 1983;
    out->tanggal_lahir.month = birth_month;
    out->tanggal_lahir.day = birth_day;
    out->jenis_kelamin = 'L';
    out->status_pegawai = "PNS";
    out->golongan = "24";
    out->eselon = "00";
    out->unit_kerja = PUSDATIN;
    out->lokasi_kerja = PUSDATIN;
    manual_row(out, 2011, 5, 2, BKD, "STAF", "23", "516/2011", 2011, 4, 11);
}

/* The first screenshot and the data form of the manual (Gambar 1, 2).
 * BPJS stays empty: the manual's field holds the word "BPJS". */
static void manual_staf(pgw_demo_pegawai_t *out)
{
    manual_common(out, PGW_DEMO_NRK_STAF, "198307052011011018", 7, 5);
    manual_row(out, 2015, 1, 2, BKD, "STAF TEKNIK TINGKAT TERAMPIL", "23",
               "01 Tahun 2015", 2015, 4, 8);
    manual_row(out, 2016, 9, 1, PUSDATIN, "STAF TEKNIK TINGKAT TERAMPIL", "24",
               "28/2016", 2016, 8, 31);
    manual_row(out, 2017, 1, 3, PUSDATIN, "STAF TEKNIK TINGKAT TERAMPIL", "24",
               "12 TAHUN 2017", 2017, 1, 3);
    apr_cpystrn(out->nama, "HENDRA SAPUTRA", sizeof(out->nama));
    apr_cpystrn(out->gelar_belakang, "A.Md.", sizeof(out->gelar_belakang));
    out->tempat_lahir = "JAKARTA";
    apr_cpystrn(out->jenis_jabatan, "U", sizeof(out->jenis_jabatan));
    apr_cpystrn(out->jabatan, "STAF TEKNIK TINGKAT TERAMPIL",
                sizeof(out->jabatan));
    out->agama = "1";
    apr_cpystrn(out->no_taspen, "830705110110180", sizeof(out->no_taspen));
    apr_cpystrn(out->nik, "3174090507831001", sizeof(out->nik));
    apr_cpystrn(out->no_kk, "1374091908131016", sizeof(out->no_kk));
    apr_cpystrn(out->no_rek_bank_dki, "50220242733",
                sizeof(out->no_rek_bank_dki));
    apr_cpystrn(out->npwp, "784024523017000", sizeof(out->npwp));
    apr_cpystrn(out->no_hp, "08211332055", sizeof(out->no_hp));
    out->pendidikan_cpns = "5313";
    apr_cpystrn(out->no_karpeg, "Q219306", sizeof(out->no_karpeg));
    apr_cpystrn(out->no_karis_karsu, "105610K", sizeof(out->no_karis_karsu));
}

/* The third screenshot of the manual (Gambar 3). The data form is left
 * empty, as for an employee who has not filled it in yet. */
static void manual_operator(pgw_demo_pegawai_t *out)
{
    manual_common(out, PGW_DEMO_NRK_OPERATOR, "198306112010111019", 6, 11);
    manual_row(out, 2015, 1, 2, BKD, "STAF TEKNIS TINGKAT TERAMPIL", "23",
               "01 Tahun 2015", 2015, 4, 8);
    manual_row(out, 2016, 4, 1, PUSDATIN,
               "KASATLAK SISTEM INFORMASI KEPEGAWAIAN", "24", "13 TAHUN 2016",
               2016, 4, 1);
    manual_row(out, 2017, 1, 3, PUSDATIN, "STAF TEKNIS TINGKAT TERAMPIL", "24",
               "12 TAHUN 2017", 2017, 1, 3);
    manual_row(out, 2017, 4, 3, PUSDATIN,
               "KEPALA SATUAN PELAKSANA SISTEM INFORMASI KEPEGAWAIAN", "24",
               "29 TAHUN 2017", 2017, 4, 3);
    apr_cpystrn(out->nama, "DEDI KURNIAWAN", sizeof(out->nama));
    apr_cpystrn(out->gelar_belakang, "S.Kom.", sizeof(out->gelar_belakang));
    out->tempat_lahir = "PEBAYURAN";
    apr_cpystrn(out->jenis_jabatan, "S", sizeof(out->jenis_jabatan));
    apr_cpystrn(out->jabatan,
                "KEPALA SATUAN PELAKSANA SISTEM INFORMASI KEPEGAWAIAN",
                sizeof(out->jabatan));
}

void pgw_demo_manual(int which, pgw_demo_pegawai_t *out)
{
    memset(out, 0, sizeof(*out));
    if (which == 0) {
        manual_staf(out);
    }
    else {
        manual_operator(out);
    }
}

/* ------------------------------------------------------------------ */
/* The SQL script                                                      */

/* SQLite parses one INSERT per this many rows: big enough to be fast,
 * small enough to keep each statement's parse tree small. */
#define SQLITE_ROWS_PER_INSERT 500

typedef struct writer_t {
    FILE *out;
    pgw_demo_format_e format;
    const char *table, *columns;
    long rows;  /* of the current table */
    int fields; /* of the current row */
} writer_t;

static int is_pgsql(const writer_t *w)
{
    return w->format == PGW_DEMO_PGSQL;
}

static void table_begin(writer_t *w, const char *table, const char *columns)
{
    w->table = table;
    w->columns = columns;
    w->rows = 0;
    if (is_pgsql(w)) {
        fprintf(w->out, "COPY %s (%s) FROM STDIN;\n", table, columns);
    }
}

static void table_end(writer_t *w)
{
    if (is_pgsql(w)) {
        fputs("\\.\n", w->out);
    }
    else if (w->rows > 0) {
        fputs(";\n", w->out);
    }
}

static void row_begin(writer_t *w)
{
    w->fields = 0;
    if (is_pgsql(w)) {
        return;
    }
    if (w->rows % SQLITE_ROWS_PER_INSERT == 0) {
        fprintf(w->out, "%sINSERT INTO %s (%s) VALUES\n(",
                w->rows > 0 ? ";\n" : "", w->table, w->columns);
    }
    else {
        fputs(",\n(", w->out);
    }
}

static void row_end(writer_t *w)
{
    putc(is_pgsql(w) ? '\n' : ')', w->out);
    w->rows++;
}

static void field_begin(writer_t *w)
{
    if (w->fields++ > 0) {
        putc(is_pgsql(w) ? '\t' : ',', w->out);
    }
}

static void put_null(writer_t *w)
{
    fputs(is_pgsql(w) ? "\\N" : "NULL", w->out);
}

/* COPY's text format gives backslash, tab and line ends a meaning;
 * SQL literals only the quote. */
static void put_escaped(writer_t *w, const char *s)
{
    for (; *s != '\0'; s++) {
        if (!is_pgsql(w)) {
            if (*s == '\'') {
                putc('\'', w->out);
            }
            putc(*s, w->out);
        }
        else if (*s == '\\' || *s == '\t' || *s == '\n' || *s == '\r') {
            putc('\\', w->out);
            putc(*s == '\\'   ? '\\'
                 : *s == '\t' ? 't'
                 : *s == '\n' ? 'n'
                              : 'r',
                 w->out);
        }
        else {
            putc(*s, w->out);
        }
    }
}

static void field_text(writer_t *w, const char *s)
{
    field_begin(w);
    if (s == NULL || *s == '\0') {
        put_null(w);
        return;
    }
    if (!is_pgsql(w)) {
        putc('\'', w->out);
    }
    put_escaped(w, s);
    if (!is_pgsql(w)) {
        putc('\'', w->out);
    }
}

static void put_number(writer_t *w, long v, int width)
{
    char buf[24];
    int n = 0;

    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 || n < width);
    while (n > 0) {
        putc(buf[--n], w->out);
    }
}

static void field_date(writer_t *w, const pgw_date_t *d)
{
    field_begin(w);
    if (d->year == 0) {
        put_null(w);
        return;
    }
    if (!is_pgsql(w)) {
        putc('\'', w->out);
    }
    put_number(w, d->year, 4);
    putc('-', w->out);
    put_number(w, d->month, 2);
    putc('-', w->out);
    put_number(w, d->day, 2);
    if (!is_pgsql(w)) {
        putc('\'', w->out);
    }
}

static void field_number(writer_t *w, long v)
{
    field_begin(w);
    put_number(w, v, 1);
}

#define PEGAWAI_COLUMNS                                                        \
    "nrk, nip, nama, gelar_depan, gelar_belakang, tempat_lahir, "              \
    "tanggal_lahir, jenis_kelamin, status_pegawai, golongan, eselon, "         \
    "jenis_jabatan, jabatan, unit_kerja, lokasi_kerja, agama, "                \
    "no_taspen, nik, no_kk, no_rek_bank_dki, npwp, gol_darah, no_telp, "       \
    "no_hp, pendidikan_cpns, no_karpeg, no_bpjs, no_karis_karsu, email"

#define RIWAYAT_COLUMNS                                                        \
    "nrk, tmt, lokasi, jabatan, golongan, eselon, no_sk, tanggal_sk"

#define ACCOUNT_COLUMNS                                                        \
    "nrk, password_hash, must_change_password, created_at, "                   \
    "password_changed_at"

static void put_identity(writer_t *w, const pgw_demo_pegawai_t *e)
{
    char jk[2] = {e->jenis_kelamin, '\0'};

    field_text(w, e->nrk);
    field_text(w, e->nip);
    field_text(w, e->nama);
    field_text(w, e->gelar_depan);
    field_text(w, e->gelar_belakang);
    field_text(w, e->tempat_lahir);
    field_date(w, &e->tanggal_lahir);
    field_text(w, jk);
    field_text(w, e->status_pegawai);
    field_text(w, e->golongan);
    field_text(w, e->eselon);
    field_text(w, e->jenis_jabatan);
    field_text(w, e->jabatan);
    field_text(w, e->unit_kerja);
    field_text(w, e->lokasi_kerja);
}

static void put_data_form(writer_t *w, const pgw_demo_pegawai_t *e)
{
    field_text(w, e->agama);
    field_text(w, e->no_taspen);
    field_text(w, e->nik);
    field_text(w, e->no_kk);
    field_text(w, e->no_rek_bank_dki);
    field_text(w, e->npwp);
    field_text(w, e->gol_darah);
    field_text(w, e->no_telp);
    field_text(w, e->no_hp);
    field_text(w, e->pendidikan_cpns);
    field_text(w, e->no_karpeg);
    field_text(w, e->no_bpjs);
    field_text(w, e->no_karis_karsu);
    field_text(w, e->email);
}

static void put_pegawai(writer_t *w, const pgw_demo_pegawai_t *e)
{
    row_begin(w);
    put_identity(w, e);
    put_data_form(w, e);
    row_end(w);
}

static void put_riwayat(writer_t *w, const pgw_demo_pegawai_t *e)
{
    int k;

    for (k = 0; k < e->n_riwayat; k++) {
        const pgw_demo_jabatan_t *row = &e->riwayat[k];

        row_begin(w);
        field_text(w, e->nrk);
        field_date(w, &row->tmt);
        field_text(w, row->lokasi);
        field_text(w, row->jabatan);
        field_text(w, row->golongan);
        field_text(w, row->eselon);
        field_text(w, row->no_sk);
        field_date(w, &row->tanggal_sk);
        row_end(w);
    }
}

static void put_account(writer_t *w, const char *nrk, const char *hash)
{
    row_begin(w);
    field_text(w, nrk);
    field_text(w, hash);
    field_number(w, 0);
    field_number(w, CREATED_AT);
    field_number(w, CREATED_AT);
    row_end(w);
}

/* Index -2 and -1 are the manual's employees, 0 onwards generated. */
static void employee(const pgw_demo_t *d, long index, pgw_demo_pegawai_t *e)
{
    if (index < 0) {
        pgw_demo_manual((int)(index + 2), e);
    }
    else {
        pgw_demo_generate(d, index, e);
    }
}

/* Each table is written in its own pass over the employees, generating
 * them again, so that memory stays constant and foreign keys always
 * find their parent rows already loaded. */
static void write_table(writer_t *w, const pgw_demo_t *d, long count,
                        const char *table, const char *columns,
                        void (*put)(writer_t *, const pgw_demo_pegawai_t *))
{
    pgw_demo_pegawai_t e;
    long i;

    table_begin(w, table, columns);
    for (i = -2; i < count; i++) {
        employee(d, i, &e);
        put(w, &e);
    }
    table_end(w);
}

static void write_accounts(writer_t *w, long count, const char *hash_generated,
                           const char *const hash_manual[2])
{
    char nrk[12];
    long i;

    table_begin(w, "account", ACCOUNT_COLUMNS);
    put_account(w, PGW_DEMO_NRK_STAF, hash_manual[0]);
    put_account(w, PGW_DEMO_NRK_OPERATOR, hash_manual[1]);
    for (i = 0; i < count; i++) {
        format_nrk(i, nrk);
        put_account(w, nrk, hash_generated);
    }
    table_end(w);
}

static void write_prologue(writer_t *w, apr_uint64_t seed, long count)
{
    fprintf(
        w->out,
        "-- mod_pegawai demo data written by pgw_demo: seed %" APR_UINT64_T_FMT
        ", the manual's 2 employees and %ld\n"
        "-- generated ones. Load it once into a database that\n"
        "-- sql/migrate.sh has brought up to date.\n",
        seed, count);
    if (is_pgsql(w)) {
        fputs("\\set ON_ERROR_STOP on\n", w->out);
    }
    else {
        fputs("PRAGMA foreign_keys = ON;\n", w->out);
    }
    fputs("BEGIN;\n", w->out);
}

static void write_epilogue(writer_t *w)
{
    fputs("INSERT INTO account_role (nrk, role) VALUES ('" PGW_DEMO_NRK_OPERATOR
          "', 'operator');\n"
          "COMMIT;\n",
          w->out);
    if (is_pgsql(w)) {
        /* Fresh statistics, so that the first queries are planned on
         * the loaded tables rather than on empty ones. */
        fputs("ANALYZE pegawai;\nANALYZE riwayat_jabatan;\n"
              "ANALYZE account;\n",
              w->out);
    }
}

apr_status_t pgw_demo_write(FILE *out, pgw_demo_format_e format,
                            apr_uint64_t seed, long count,
                            const char *hash_generated,
                            const char *const hash_manual[2])
{
    writer_t w;
    pgw_demo_t d;

    if (count < 0 || count > PGW_DEMO_MAX_COUNT) {
        return APR_EINVAL;
    }
    memset(&w, 0, sizeof(w));
    w.out = out;
    w.format = format;
    pgw_demo_init(&d, seed);

    write_prologue(&w, seed, count);
    write_table(&w, &d, count, "pegawai", PEGAWAI_COLUMNS, put_pegawai);
    write_table(&w, &d, count, "riwayat_jabatan", RIWAYAT_COLUMNS, put_riwayat);
    write_accounts(&w, count, hash_generated, hash_manual);
    write_epilogue(&w);

    if (fflush(out) != 0 || ferror(out)) {
        return errno != 0 ? APR_FROM_OS_ERROR(errno) : APR_EGENERAL;
    }
    return APR_SUCCESS;
}
