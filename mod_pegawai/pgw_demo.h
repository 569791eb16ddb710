/* Deterministic demo data: the two employees of the user manual and any
 * number of generated ones, written as one SQL script for SQLite or
 * PostgreSQL (tools/pgw_demo.c is the command-line front end).
 *
 * Every generated employee is a pure function of (seed, index), so the
 * script is written in constant memory whatever the count, and the same
 * seed always gives the same bytes. Password hashes are salted and so
 * are computed by the caller and passed in.
 *
 * Callers: tools/pgw_demo.c and the unit tests. No httpd.h.
 */
#ifndef PGW_DEMO_H
#define PGW_DEMO_H

#include <stdio.h>

#include <apr.h>
#include <apr_errno.h>

#include "pgw_nip.h"

/* The seed of the demo data that `make run` serves. */
#define PGW_DEMO_DEFAULT_SEED 20170103

/* More than twice the civil servants of all Indonesia (4.3 million). */
#define PGW_DEMO_MAX_COUNT 10000000L

#define PGW_DEMO_MAX_RIWAYAT 6

/* The two employees of the manual, who are never generated. */
#define PGW_DEMO_NRK_STAF     "181679"
#define PGW_DEMO_NRK_OPERATOR "181678"

/* The password of every demo account. */
#define PGW_DEMO_PASSWORD "rahasia-demo"

typedef enum { PGW_DEMO_SQLITE3, PGW_DEMO_PGSQL } pgw_demo_format_e;

/* One row of riwayat_jabatan. Codes point to static strings. */
typedef struct pgw_demo_jabatan_t {
    pgw_date_t tmt;
    const char *lokasi; /* unit_kerja.kode */
    char jabatan[96];
    const char *golongan; /* ref_golongan.kode */
    const char *eselon;   /* ref_eselon.kode */
    char no_sk[40];
    pgw_date_t tanggal_sk;
} pgw_demo_jabatan_t;

/* One row of pegawai and its riwayat_jabatan, oldest first. An empty
 * string or a NULL code is SQL NULL. */
typedef struct pgw_demo_pegawai_t {
    char nrk[12];
    char nip[19];
    char nama[64];
    char gelar_depan[24];
    char gelar_belakang[40];
    const char *tempat_lahir;
    pgw_date_t tanggal_lahir;
    char jenis_kelamin; /* 'L' or 'P' */
    const char *status_pegawai;
    const char *golongan;
    const char *eselon;
    char jenis_jabatan[2];
    char jabatan[96];
    const char *unit_kerja;
    const char *lokasi_kerja;
    const char *agama;
    char no_taspen[19];
    char nik[17];
    char no_kk[17];
    char no_rek_bank_dki[13];
    char npwp[17];
    const char *gol_darah;
    char no_telp[17];
    char no_hp[17];
    const char *pendidikan_cpns; /* ref_pendidikan.kode */
    char no_karpeg[17];
    char no_bpjs[14];
    char no_karis_karsu[17];
    char email[64];
    int n_riwayat;
    pgw_demo_jabatan_t riwayat[PGW_DEMO_MAX_RIWAYAT];
} pgw_demo_pegawai_t;

/* The per-seed state that keeps generated NIPs and NIKs unique. */
typedef struct pgw_demo_t {
    apr_uint64_t seed;
    apr_uint64_t mul, add;
} pgw_demo_t;

void pgw_demo_init(pgw_demo_t *d, apr_uint64_t seed);

/* The index-th generated employee (0 <= index < PGW_DEMO_MAX_COUNT). */
void pgw_demo_generate(const pgw_demo_t *d, long index,
                       pgw_demo_pegawai_t *out);

/* The manual's employees: which 0 is NRK 181679, 1 is NRK 181678. */
void pgw_demo_manual(int which, pgw_demo_pegawai_t *out);

/* Writes the whole script: both manual employees, count generated ones,
 * their accounts, and the operator role of NRK 181678. hash_generated
 * is the password hash of every generated account, hash_manual[0] and
 * [1] those of 181679 and 181678. APR_EINVAL for a count out of range,
 * the errno of a failed write otherwise. */
apr_status_t pgw_demo_write(FILE *out, pgw_demo_format_e format,
                            apr_uint64_t seed, long count,
                            const char *hash_generated,
                            const char *const hash_manual[2]);

#endif
