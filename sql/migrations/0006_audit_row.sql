-- 0006_audit_row.sql: which row of a table an audit entry is about, and
-- the one-time message a session shows after a save.
--
-- audit_log.row_key names the row of a table with several rows per
-- employee (a Riwayat Alamat entry's id), so that the change history can
-- say which entry changed; it stays NULL for the employee's own row.
--
-- session.flash holds the confirmation of the last save ("Data tersimpan.
-- Yang berubah: ..."), written with the save and cleared by the next page
-- that shows it: the page's wording no longer comes from its URL, where
-- anyone could forge it.

ALTER TABLE audit_log ADD COLUMN row_key TEXT;

ALTER TABLE session ADD COLUMN flash TEXT;
