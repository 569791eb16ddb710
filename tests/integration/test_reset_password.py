"""tools/reset-password.sh, the helpdesk's reset for an employee who
cannot log in: a temporary password that works once, leads to Ubah
Password before any other page, ends the old sessions, clears the
account's throttle and leaves an audit row without the password. An
employee without a portal account gets one."""

import hashlib
import re
import subprocess

from harness import REPO, PortalSession, csrf_token, login

DEMO_PASSWORD = "rahasia-demo"
TOOL = REPO / "tools" / "reset-password.sh"


def employees(portal, k):
    """The k-th generated employee from the end of the list, a range no
    other test file uses."""
    rows = portal.sql("SELECT nrk FROM pegawai WHERE nrk NOT IN "
                      "('181678', '181679') ORDER BY nrk DESC")
    return rows[k][0]


def reset(portal, nrk):
    target = portal.dsn if portal.driver == "pgsql" \
        else str(portal.sqlite_file)
    return subprocess.run([str(TOOL), portal.driver, target, nrk],
                          capture_output=True, text=True, timeout=120)


def temporary(out):
    m = re.search(r"Password sementara NRK \d+: (\S+)", out)
    assert m, out
    return m.group(1)


def test_reset_gives_a_temporary_password_that_must_be_changed(portal):
    nrk = employees(portal, 3)
    old = PortalSession(portal.base_url)
    assert login(old, nrk, DEMO_PASSWORD).status_code == 303
    key = "a:" + hashlib.sha256(nrk.encode()).hexdigest()
    portal.sql("INSERT INTO login_throttle (throttle_key, failures, "
               "window_start, blocked_until) VALUES (?, 50, 0, 0)", key)

    r = reset(portal, nrk)
    assert r.returncode == 0, r.stderr
    password = temporary(r.stdout)
    assert len(password) == 12
    # Said once, to the operator; not kept anywhere else.
    assert password not in r.stderr
    (hashed, must), = portal.sql("SELECT password_hash, "
                                 "must_change_password FROM account "
                                 "WHERE nrk = ?", nrk)
    assert hashed.startswith("$argon2id$") and must == "1"
    assert password not in portal.sql("SELECT * FROM audit_log WHERE "
                                      "subject_nrk = ?", nrk).__repr__()
    assert portal.sql("SELECT count(*) FROM login_throttle WHERE "
                      "throttle_key = ?", key) == [("0",)]
    (actor, action), = portal.sql("SELECT actor, action FROM audit_log "
                                  "WHERE subject_nrk = ? AND action = "
                                  "'password_reset'", nrk)
    assert actor.startswith("admin:")

    # The old session and the old password are gone.
    assert old.get("/profile", allow_redirects=False).headers[
        "Location"] == "/login"
    assert login(PortalSession(portal.base_url), nrk,
                 DEMO_PASSWORD).status_code == 401

    # The temporary password logs in, but only Ubah Password opens.
    s = PortalSession(portal.base_url)
    assert login(s, nrk, password).status_code == 303
    for path in ("/profile", "/profile/data", "/riwayat/alamat",
                 "/akun/foto"):
        r = s.get(path, allow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["Location"] == "/akun/password", path
    page = s.get("/akun/password").text
    r = s.post("/akun/password", allow_redirects=False,
               data={"csrf_token": csrf_token(page),
                     "password_lama": password,
                     "password_baru": "Kebon-Sirih-Barat-2026",
                     "password_baru2": "Kebon-Sirih-Barat-2026"})
    assert r.status_code == 303, r.text[:500]
    assert s.get("/profile", allow_redirects=False).status_code == 200
    assert portal.sql("SELECT must_change_password FROM account "
                      "WHERE nrk = ?", nrk) == [("0",)]
    # The temporary password worked once: it is replaced now.
    assert login(PortalSession(portal.base_url), nrk,
                 password).status_code == 401


def test_reset_creates_the_account_of_an_employee_without_one(portal):
    nrk = employees(portal, 4)
    portal.sql("DELETE FROM account WHERE nrk = ?", nrk)
    r = reset(portal, nrk)
    assert r.returncode == 0, r.stderr
    s = PortalSession(portal.base_url)
    assert login(s, nrk, temporary(r.stdout)).status_code == 303
    assert s.get("/profile", allow_redirects=False).headers[
        "Location"] == "/akun/password"


def test_reset_refuses_what_is_not_an_employee(portal):
    for nrk, says in (("999999999", "no employee with NRK 999999999"),
                      ("18' OR '1'='1", "NRK must be 1 to 18 digits"),
                      ("", "NRK must be 1 to 18 digits")):
        r = reset(portal, nrk)
        assert r.returncode != 0
        assert says in r.stderr, r.stderr
        assert "Password sementara" not in r.stdout
    assert portal.sql("SELECT count(*) FROM account WHERE nrk = ?",
                      "999999999") == [("0",)]
