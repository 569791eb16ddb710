-- 0005_foto.sql: the employee's photo (issue 5, manual section 4).
--
-- The photo is stored with the employee, never in a public folder, and is
-- served only through the authorising handler. What is kept is the JPEG
-- the portal re-encoded from the decoded pixels (no metadata), base64
-- encoded so that the same TEXT column works through apr_dbd on SQLite
-- and PostgreSQL alike. A new upload marks the previous photo inactive:
-- the history of photos stays. sha256 (of the JPEG bytes) is the ETag.

CREATE TABLE foto (
    id            @ID@,
    nrk           TEXT NOT NULL REFERENCES pegawai (nrk) ON DELETE CASCADE,
    jpeg_base64   TEXT NOT NULL,
    bytes         INTEGER NOT NULL CHECK (bytes > 0),
    width         INTEGER NOT NULL CHECK (width > 0),
    height        INTEGER NOT NULL CHECK (height > 0),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    aktif         INTEGER NOT NULL DEFAULT 1 CHECK (aktif IN (0, 1)),
    diunggah_pada BIGINT NOT NULL,
    client_ip     TEXT
);

CREATE INDEX foto_nrk_aktif ON foto (nrk, aktif);
