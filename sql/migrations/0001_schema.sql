-- 0001_schema.sql: every table of docs/DESIGN.md.
--
-- One text for SQLite 3.40 and PostgreSQL 15. migrate.sh replaces @ID@
-- with each dialect's identity column and runs this file in one
-- transaction. Times are BIGINT seconds since the epoch (UTC); dates are
-- DATE ('YYYY-MM-DD'); flags are INTEGER 0/1.
--
-- Identifiers are digit strings (PRODUCT.md, "The data"). The digit
-- checks use ltrim(x, '0123456789') = '' because both dialects have that
-- function and they share no pattern syntax (GLOB versus ~). An empty
-- optional field is stored as NULL, never as '': the checks refuse ''.

-- ------------------------------------------------------------ reference

CREATE TABLE ref_agama (
    kode TEXT NOT NULL PRIMARY KEY,
    nama TEXT NOT NULL
);

-- nama is the form shown on the profile, 'PENGATUR TK.I (II/D)'.
CREATE TABLE ref_golongan (
    kode     TEXT NOT NULL PRIMARY KEY,
    nama     TEXT NOT NULL,
    golongan TEXT NOT NULL UNIQUE,
    pangkat  TEXT NOT NULL
);

CREATE TABLE ref_eselon (
    kode TEXT NOT NULL PRIMARY KEY,
    nama TEXT NOT NULL
);

CREATE TABLE ref_tingkat_pendidikan (
    kode TEXT NOT NULL PRIMARY KEY,
    nama TEXT NOT NULL
);

-- kode is a 2-digit level and a 2-digit major ('5313': D-III,
-- informatika); tingkat is the level in ref_tingkat_pendidikan.
CREATE TABLE ref_pendidikan (
    kode    TEXT NOT NULL PRIMARY KEY
            CHECK (length(kode) = 4 AND ltrim(kode, '0123456789') = ''),
    tingkat TEXT NOT NULL REFERENCES ref_tingkat_pendidikan (kode),
    nama    TEXT NOT NULL
);

CREATE TABLE ref_status_pegawai (
    kode TEXT NOT NULL PRIMARY KEY,
    nama TEXT NOT NULL
);

CREATE TABLE ref_jenis_jabatan (
    kode TEXT NOT NULL PRIMARY KEY,
    nama TEXT NOT NULL
);

CREATE TABLE unit_kerja (
    kode  TEXT NOT NULL PRIMARY KEY,
    nama  TEXT NOT NULL,
    induk TEXT REFERENCES unit_kerja (kode)
);

-- ------------------------------------------------------------ pegawai

CREATE TABLE pegawai (
    nrk             TEXT NOT NULL PRIMARY KEY
                    CHECK (length(nrk) BETWEEN 1 AND 18
                           AND ltrim(nrk, '0123456789') = ''),
    nip             TEXT NOT NULL UNIQUE
                    CHECK (length(nip) = 18
                           AND ltrim(nip, '0123456789') = ''),
    nama            TEXT NOT NULL,
    gelar_depan     TEXT,
    gelar_belakang  TEXT,
    tempat_lahir    TEXT,
    tanggal_lahir   DATE,
    jenis_kelamin   TEXT CHECK (jenis_kelamin IN ('L', 'P')),
    status_pegawai  TEXT REFERENCES ref_status_pegawai (kode),
    golongan        TEXT REFERENCES ref_golongan (kode),
    eselon          TEXT REFERENCES ref_eselon (kode),
    jenis_jabatan   TEXT REFERENCES ref_jenis_jabatan (kode),
    jabatan         TEXT,
    unit_kerja      TEXT REFERENCES unit_kerja (kode),
    lokasi_kerja    TEXT REFERENCES unit_kerja (kode),
    agama           TEXT REFERENCES ref_agama (kode),
    no_taspen       TEXT CHECK (length(no_taspen) BETWEEN 1 AND 18),
    nik             TEXT CHECK (length(nik) = 16
                                AND ltrim(nik, '0123456789') = ''),
    no_kk           TEXT CHECK (length(no_kk) = 16
                                AND ltrim(no_kk, '0123456789') = ''),
    no_rek_bank_dki TEXT CHECK (length(no_rek_bank_dki) BETWEEN 1 AND 12
                                AND ltrim(no_rek_bank_dki,
                                          '0123456789') = ''),
    -- 15 digits (the old form) or 16 (since 1 July 2024).
    npwp            TEXT CHECK (length(npwp) IN (15, 16)
                                AND ltrim(npwp, '0123456789') = ''),
    gol_darah       TEXT CHECK (gol_darah IN ('O', 'A', 'B', 'AB')),
    no_telp         TEXT CHECK (length(no_telp) BETWEEN 5 AND 16
                                AND ltrim(no_telp, '0123456789') = ''),
    -- No digit check: the canonical form of a mobile number belongs to
    -- the validator (it may keep a leading '+').
    no_hp           TEXT CHECK (length(no_hp) BETWEEN 10 AND 16),
    pendidikan_cpns TEXT REFERENCES ref_pendidikan (kode),
    no_karpeg       TEXT CHECK (length(no_karpeg) BETWEEN 1 AND 16),
    no_bpjs         TEXT CHECK (length(no_bpjs) = 13
                                AND ltrim(no_bpjs, '0123456789') = ''),
    no_karis_karsu  TEXT CHECK (length(no_karis_karsu) BETWEEN 1 AND 16),
    email           TEXT CHECK (length(email) BETWEEN 3 AND 254),
    -- Optimistic locking: an UPDATE names the versi it read and adds 1,
    -- so two tabs never overwrite each other silently.
    versi           INTEGER NOT NULL DEFAULT 1 CHECK (versi >= 1),
    diubah_pada     BIGINT
);

CREATE TABLE riwayat_jabatan (
    id         @ID@,
    nrk        TEXT NOT NULL REFERENCES pegawai (nrk) ON DELETE CASCADE,
    tmt        DATE NOT NULL,
    lokasi     TEXT REFERENCES unit_kerja (kode),
    jabatan    TEXT NOT NULL,
    golongan   TEXT REFERENCES ref_golongan (kode),
    eselon     TEXT REFERENCES ref_eselon (kode),
    no_sk      TEXT,
    tanggal_sk DATE
);

CREATE INDEX riwayat_jabatan_nrk_tmt ON riwayat_jabatan (nrk, tmt);

-- ------------------------------------------------------------ accounts

CREATE TABLE account (
    nrk                  TEXT NOT NULL PRIMARY KEY
                         REFERENCES pegawai (nrk) ON DELETE CASCADE,
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0
                         CHECK (must_change_password IN (0, 1)),
    created_at           BIGINT NOT NULL,
    password_changed_at  BIGINT,
    last_login_at        BIGINT
);

CREATE TABLE account_role (
    nrk  TEXT NOT NULL REFERENCES account (nrk) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (nrk, role)
);

-- token_hash is the SHA-256 of the cookie's token: the table never holds
-- a token that could be replayed. The session belongs to the employee,
-- not to a portal account: the login form may have checked the password
-- with another authn provider (LDAP, a file) for an employee without one.
CREATE TABLE session (
    token_hash TEXT NOT NULL PRIMARY KEY,
    nrk        TEXT NOT NULL REFERENCES pegawai (nrk) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    seen_at    BIGINT NOT NULL,
    client_ip  TEXT
);

CREATE INDEX session_nrk ON session (nrk);

-- Expired sessions are purged by seen_at.
CREATE INDEX session_seen_at ON session (seen_at);

-- throttle_key is 'a:<nrk>', 'i:<address>' or 'd:<device-hash>'.
CREATE TABLE login_throttle (
    throttle_key  TEXT NOT NULL PRIMARY KEY,
    failures      INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    window_start  BIGINT NOT NULL DEFAULT 0,
    blocked_until BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE login_device (
    token_hash TEXT NOT NULL PRIMARY KEY,
    nrk        TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- ------------------------------------------------------------ audit

-- No foreign key on purpose: the record of a change (UU PDP 27/2022)
-- outlives the rows it describes.
CREATE TABLE audit_log (
    id          @ID@,
    at          BIGINT NOT NULL,
    actor       TEXT NOT NULL,
    subject_nrk TEXT,
    action      TEXT NOT NULL,
    table_name  TEXT,
    column_name TEXT,
    old_value   TEXT,
    new_value   TEXT,
    client_ip   TEXT
);

CREATE INDEX audit_log_subject_nrk_at ON audit_log (subject_nrk, at);
