"""The module inside Apache's authentication: the pegawai authn provider
behind AuthBasicProvider, the login form's provider chain, AuthType
pegawai and the pegawai-role authz provider (see extra.conf)."""

import subprocess

import pytest

from harness import PortalSession, login

DEMO_PASSWORD = "rahasia-demo"


@pytest.fixture(autouse=True)
def fresh_throttle(portal):
    portal.sql("DELETE FROM login_throttle")


def test_basic_auth_with_the_portal_accounts(client, expect_log):
    expect_log(r"AH0161[78]: ")  # mod_auth_basic notes each failure
    assert client.get("/basic/ok.txt").status_code == 401
    r = client.get("/basic/ok.txt", auth=("181679", DEMO_PASSWORD))
    assert r.status_code == 200 and r.text == "ok\n"
    assert client.get("/basic/ok.txt",
                      auth=("181679", "salah")).status_code == 401
    assert client.get("/basic/ok.txt",
                      auth=("999994", DEMO_PASSWORD)).status_code == 401


def test_basic_auth_is_throttled_like_the_form(portal, client, expect_log):
    expect_log(r"AH01617: ")
    for _ in range(4):
        client.get("/basic/ok.txt", auth=("181678", "tebak"))
    # Now blocked: even the right password is refused for a moment.
    r = client.get("/basic/ok.txt", auth=("181678", DEMO_PASSWORD))
    assert r.status_code == 401
    portal.sql("DELETE FROM login_throttle")
    r = client.get("/basic/ok.txt", auth=("181678", DEMO_PASSWORD))
    assert r.status_code == 200


def test_login_chain_falls_through_to_the_file_provider(portal, client):
    # An employee without a portal account, known to the htpasswd file
    # only: the pegawai provider does not know the user, file decides.
    nrk = portal.sql("SELECT nrk FROM account WHERE nrk NOT IN "
                     "('181678', '181679') ORDER BY nrk LIMIT 1 OFFSET 50"
                     )[0][0]
    portal.sql("DELETE FROM session WHERE nrk = ?", nrk)
    portal.sql("DELETE FROM account_role WHERE nrk = ?", nrk)
    portal.sql("DELETE FROM account WHERE nrk = ?", nrk)
    subprocess.run(["htpasswd", "-b", "-B", str(portal.data / "htpasswd"),
                    nrk, "dari-file-lama"], check=True, capture_output=True)
    assert login(client, nrk, "salah").status_code == 401
    r = login(client, nrk, "dari-file-lama")
    assert r.status_code == 303
    assert client.get("/profile").status_code == 200


def test_pegawai_provider_decides_for_its_own_users(client):
    # 181679 is in the htpasswd file with another password, but the
    # portal knows the account, so only the portal's password counts.
    assert login(client, "181679", "dari-file-lama").status_code == 401
    assert login(client, "181679", DEMO_PASSWORD).status_code == 303


def test_a_file_user_who_is_no_employee_cannot_log_in(portal, client):
    subprocess.run(["htpasswd", "-b", "-B", str(portal.data / "htpasswd"),
                    "999995", "bukan-pegawai"], check=True,
                   capture_output=True)
    assert login(client, "999995", "bukan-pegawai").status_code == 401


def test_role_required_location(portal, expect_log):
    expect_log(r"AH01631: user 181679: authorization failure")
    anonymous = PortalSession(portal.base_url)
    r = anonymous.get("/operator/ok.txt", allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/login"

    operator = PortalSession(portal.base_url)
    login(operator, "181678", DEMO_PASSWORD)
    assert portal.sql("SELECT role FROM account_role WHERE nrk = '181678'"
                      ) == [("operator",)]
    assert operator.get("/operator/ok.txt").status_code == 200

    employee = PortalSession(portal.base_url)
    login(employee, "181679", DEMO_PASSWORD)
    assert employee.get("/operator/ok.txt").status_code == 403
