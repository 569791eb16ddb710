-- 0004_wilayah_alamat.sql: the country's regions and the employee's
-- address history (issue 4, Riwayat Alamat).
--
-- The four wilayah tables hold Kemendagri's codes: provinsi '31',
-- kabupaten/kota '31.71', kecamatan '31.71.01', kelurahan/desa
-- '31.71.01.1001'. Each code begins with its parent's code and a dot,
-- which the CHECKs hold the rows to. The rows are data, not schema:
-- tools/wilayah.sh loads them from the npm package idn-area-data
-- (docs/WILAYAH.md: source, licence, what ODbL asks of us).

-- ------------------------------------------------------------ wilayah

CREATE TABLE wilayah_provinsi (
    kode TEXT NOT NULL PRIMARY KEY
         CHECK (length(kode) = 2 AND ltrim(kode, '0123456789') = ''),
    nama TEXT NOT NULL
);

CREATE TABLE wilayah_kabupaten (
    kode     TEXT NOT NULL PRIMARY KEY
             CHECK (length(kode) = 5
                    AND ltrim(kode, '0123456789.') = ''),
    provinsi TEXT NOT NULL REFERENCES wilayah_provinsi (kode),
    nama     TEXT NOT NULL,
    CHECK (substr(kode, 1, 3) = provinsi || '.')
);

CREATE INDEX wilayah_kabupaten_provinsi ON wilayah_kabupaten (provinsi);

CREATE TABLE wilayah_kecamatan (
    kode      TEXT NOT NULL PRIMARY KEY
              CHECK (length(kode) = 8
                     AND ltrim(kode, '0123456789.') = ''),
    kabupaten TEXT NOT NULL REFERENCES wilayah_kabupaten (kode),
    nama      TEXT NOT NULL,
    CHECK (substr(kode, 1, 6) = kabupaten || '.')
);

CREATE INDEX wilayah_kecamatan_kabupaten ON wilayah_kecamatan (kabupaten);

-- The last four digits start with 1 for a kelurahan, 2 for a desa.
CREATE TABLE wilayah_kelurahan (
    kode      TEXT NOT NULL PRIMARY KEY
              CHECK (length(kode) = 13
                     AND ltrim(kode, '0123456789.') = ''),
    kecamatan TEXT NOT NULL REFERENCES wilayah_kecamatan (kode),
    nama      TEXT NOT NULL,
    CHECK (substr(kode, 1, 9) = kecamatan || '.')
);

CREATE INDEX wilayah_kelurahan_kecamatan ON wilayah_kelurahan (kecamatan);

-- ------------------------------------------------------------ alamat

-- One row per address the employee has lived at, from tanggal_mulai
-- until the next row's; the newest is the current address.
--
-- The residence, then the same eight columns with the suffix _ktp for
-- the address on the KTP. When the employee ticks "Alamat KTP sesuai
-- dengan alamat tempat tinggal" (ktp_sama = 1), the _ktp columns hold a
-- copy of the residence, never NULLs that would read as "missing"; the
-- last CHECK keeps the copy exact.
--
-- The form requires RT, RW and the four regions (pgw_alamat.h); the
-- table lets them be NULL for addresses imported from older records,
-- which often have the street alone. RT and RW are stored zero-padded
-- to three digits ('005'), as the KTP prints them. A code's nesting in
-- its parent is checked here by prefix; its existence by the foreign
-- keys.
CREATE TABLE riwayat_alamat (
    id             @ID@,
    nrk            TEXT NOT NULL REFERENCES pegawai (nrk) ON DELETE CASCADE,
    tanggal_mulai  DATE NOT NULL,
    alamat         TEXT NOT NULL CHECK (length(alamat) BETWEEN 1 AND 200),
    rt             TEXT CHECK (length(rt) = 3
                               AND ltrim(rt, '0123456789') = ''),
    rw             TEXT CHECK (length(rw) = 3
                               AND ltrim(rw, '0123456789') = ''),
    provinsi       TEXT REFERENCES wilayah_provinsi (kode),
    kota           TEXT REFERENCES wilayah_kabupaten (kode),
    kecamatan      TEXT REFERENCES wilayah_kecamatan (kode),
    kelurahan      TEXT REFERENCES wilayah_kelurahan (kode),
    kode_pos       TEXT CHECK (length(kode_pos) = 5
                               AND ltrim(kode_pos, '0123456789') = ''),
    ktp_sama       INTEGER NOT NULL DEFAULT 0 CHECK (ktp_sama IN (0, 1)),
    alamat_ktp     TEXT NOT NULL
                   CHECK (length(alamat_ktp) BETWEEN 1 AND 200),
    rt_ktp         TEXT CHECK (length(rt_ktp) = 3
                               AND ltrim(rt_ktp, '0123456789') = ''),
    rw_ktp         TEXT CHECK (length(rw_ktp) = 3
                               AND ltrim(rw_ktp, '0123456789') = ''),
    provinsi_ktp   TEXT REFERENCES wilayah_provinsi (kode),
    kota_ktp       TEXT REFERENCES wilayah_kabupaten (kode),
    kecamatan_ktp  TEXT REFERENCES wilayah_kecamatan (kode),
    kelurahan_ktp  TEXT REFERENCES wilayah_kelurahan (kode),
    kode_pos_ktp   TEXT CHECK (length(kode_pos_ktp) = 5
                               AND ltrim(kode_pos_ktp, '0123456789') = ''),
    keterangan     TEXT CHECK (length(keterangan) BETWEEN 1 AND 200),
    -- Optimistic locking, as pegawai.versi: an UPDATE names the versi it
    -- read and adds 1.
    versi          INTEGER NOT NULL DEFAULT 1 CHECK (versi >= 1),
    dibuat_pada    BIGINT NOT NULL,
    diubah_pada    BIGINT,
    CHECK (substr(kota, 1, 3) = provinsi || '.'),
    CHECK (substr(kecamatan, 1, 6) = kota || '.'),
    CHECK (substr(kelurahan, 1, 9) = kecamatan || '.'),
    -- A region is chosen only under its parent.
    CHECK ((kota IS NULL OR provinsi IS NOT NULL)
           AND (kecamatan IS NULL OR kota IS NOT NULL)
           AND (kelurahan IS NULL OR kecamatan IS NOT NULL)),
    CHECK (substr(kota_ktp, 1, 3) = provinsi_ktp || '.'),
    CHECK (substr(kecamatan_ktp, 1, 6) = kota_ktp || '.'),
    CHECK (substr(kelurahan_ktp, 1, 9) = kecamatan_ktp || '.'),
    CHECK ((kota_ktp IS NULL OR provinsi_ktp IS NOT NULL)
           AND (kecamatan_ktp IS NULL OR kota_ktp IS NOT NULL)
           AND (kelurahan_ktp IS NULL OR kecamatan_ktp IS NOT NULL)),
    CHECK (ktp_sama = 0
           OR (alamat_ktp = alamat
               AND coalesce(rt_ktp, '') = coalesce(rt, '')
               AND coalesce(rw_ktp, '') = coalesce(rw, '')
               AND coalesce(provinsi_ktp, '') = coalesce(provinsi, '')
               AND coalesce(kota_ktp, '') = coalesce(kota, '')
               AND coalesce(kecamatan_ktp, '') = coalesce(kecamatan, '')
               AND coalesce(kelurahan_ktp, '') = coalesce(kelurahan, '')
               AND coalesce(kode_pos_ktp, '') = coalesce(kode_pos, '')))
);

-- The history is read per employee, newest first.
CREATE INDEX riwayat_alamat_nrk_tanggal_mulai
    ON riwayat_alamat (nrk, tanggal_mulai);
