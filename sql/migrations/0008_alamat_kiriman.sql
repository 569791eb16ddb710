-- 0008_alamat_kiriman.sql: one Tambah Data form, one address.
--
-- Each Tambah Data form carries a random key of its own (the hidden field
-- kiriman). The entry it adds keeps the key, so that a second SIMPAN of
-- the same form (a double click, a resend after a slow answer, the back
-- button) finds the entry already there instead of adding it twice. The
-- unique index settles two SIMPANs that arrive at once. Posts without the
-- field (scripts, older pages) leave it NULL, which the index does not
-- compare.

ALTER TABLE riwayat_alamat ADD COLUMN kiriman TEXT;

CREATE UNIQUE INDEX riwayat_alamat_nrk_kiriman ON riwayat_alamat (nrk, kiriman);
