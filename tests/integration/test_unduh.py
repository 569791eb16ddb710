"""Unduh Data Saya (/profile/unduh): what the portal holds about the
employee and the history of its changes, as one JSON file (UU PDP
No. 27/2022). Only the session's own data, whatever the URL says; no
password hash, session token or CSRF token."""

import json

from harness import PortalSession, csrf_token, login
from test_data_form import save

DEMO_PASSWORD = "rahasia-demo"


def session(portal, nrk):
    portal.sql("DELETE FROM login_throttle")
    s = PortalSession(portal.base_url)
    assert login(s, nrk, DEMO_PASSWORD).status_code == 303
    return s


def download(s, path="/profile/unduh"):
    r = s.get(path)
    assert r.status_code == 200, r.status_code
    return r, json.loads(r.text)


def test_the_download_holds_the_employees_data(portal):
    s = session(portal, "181679")
    r, data = download(s)
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert r.headers["Content-Disposition"] == \
        'attachment; filename="data-pegawai-181679.json"'
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Content-Type-Options"] == "nosniff"

    assert data["nrk"] == "181679"
    # Every column of the employee's row, as the database holds it.
    (nik, npwp, rek, nip), = portal.sql(
        "SELECT nik, npwp, no_rek_bank_dki, nip FROM pegawai "
        "WHERE nrk = '181679'")
    p = data["pegawai"]
    assert (p["nik"], p["npwp"], p["no_rek_bank_dki"], p["nip"]) == \
        (nik, npwp, rek, nip)
    columns = portal.sql("SELECT * FROM pegawai WHERE nrk = '181679'")[0]
    assert len(p) == len(columns)
    # The manual's four positions, newest first, as digit strings.
    assert [j["no_sk"] for j in data["riwayat_jabatan"]] == \
        ["12 TAHUN 2017", "28/2016", "01 Tahun 2015", "516/2011"]
    assert data["akun"]["nrk"] == "181679"
    assert "password_hash" not in data["akun"]
    # This very session is among the ones listed, without its token.
    assert data["sesi"] and all(set(x) == {"created_at", "seen_at",
                                           "client_ip"}
                                for x in data["sesi"])


def complete_employee(portal):
    """A generated employee whose required fields are all filled, from
    the end of the list (a range no other test file uses)."""
    return portal.sql(
        "SELECT nrk FROM pegawai WHERE nrk NOT IN ('181678', '181679') "
        "AND agama IS NOT NULL AND nik IS NOT NULL AND no_kk IS NOT NULL "
        "AND no_rek_bank_dki IS NOT NULL AND npwp IS NOT NULL "
        "AND gol_darah IS NOT NULL AND no_hp IS NOT NULL "
        "AND pendidikan_cpns IS NOT NULL ORDER BY nrk DESC")[10][0]


def test_changes_are_in_the_download(portal):
    nrk = complete_employee(portal)
    s = session(portal, nrk)
    save(s, {"no_telp": "021 3822255"})
    _, data = download(s)
    changes = [c for c in data["riwayat_perubahan"]
               if c["column_name"] == "no_telp"]
    assert changes and changes[-1]["new_value"] == "0213822255"
    assert changes[-1]["actor"] == nrk
    # Full values: the file is the employee's own, unlike the masked page.
    assert data["pegawai"]["no_telp"] == "0213822255"


def test_only_the_sessions_own_data(portal):
    s = session(portal, "181679")
    for path in ("/profile/unduh?nrk=181678", "/profile/unduh?nrk=181678&"
                 "id=1", "/profile/unduh/181678"):
        r = s.get(path)
        if r.status_code == 404:
            continue
        assert r.status_code == 200, (path, r.status_code)
        data = json.loads(r.text)
        assert data["nrk"] == "181679"
        assert "198306112010111019" not in r.text  # 181678's NIP


def test_no_secret_is_in_the_download(portal):
    s = session(portal, "181679")
    r, _ = download(s)
    token = s.cookies.get("pgw_sesi")
    csrf = csrf_token(s.get("/profile").text)
    hashes = [h for h, in portal.sql(
        "SELECT password_hash FROM account WHERE nrk = '181679'")]
    tokens = [t for t, in portal.sql(
        "SELECT token_hash FROM session WHERE nrk = '181679'")]
    for secret in [token, csrf, DEMO_PASSWORD] + hashes + tokens:
        assert secret not in r.text


def test_without_a_session_the_login_form(portal):
    r = PortalSession(portal.base_url).get("/profile/unduh",
                                           allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"] == "/login"


def test_the_profile_links_to_it(portal):
    s = session(portal, "181679")
    assert 'href="/profile/unduh"' in s.get("/profile").text
