-- 0003_form_draft.sql: what an employee typed into a form when the
-- session ran out at SIMPAN (issue 3: input is never lost to an expired
-- session). Kept server-side, bound to the employee, short-lived: the
-- browser holds only a random token in a cookie, whose SHA-256 is the
-- key. The draft is deleted when it is restored, and drafts older than
-- half an hour are purged.

CREATE TABLE form_draft (
    token_hash TEXT NOT NULL PRIMARY KEY,
    nrk        TEXT NOT NULL REFERENCES pegawai (nrk) ON DELETE CASCADE,
    form       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX form_draft_created_at ON form_draft (created_at);

-- The employee's change history is read by subject and time.
CREATE INDEX audit_log_subject_table_at
    ON audit_log (subject_nrk, table_name, at);
