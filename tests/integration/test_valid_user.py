"""AuthType pegawai with `Require valid-user`: any URL space of the same
Apache, not only the portal's pages, can be opened to logged-in employees
by the portal session, and the access log names them (%u)."""

import pytest

from harness import LogWatch, PortalSession, csrf_token, login

DEMO_PASSWORD = "rahasia-demo"

CONF = """
# Added by test_valid_user.py for the length of its tests.
Alias /pegawai-saja "{data}/plain"
<Location "/pegawai-saja">
    Pegawai Off
    AuthType pegawai
    Require valid-user
</Location>
"""


@pytest.fixture(scope="module")
def protected(portal):
    extra = portal.data / "extra.conf"
    plain = extra.read_text()
    extra.write_text(plain + CONF.format(data=portal.data))
    watch = LogWatch(portal.error_log)
    portal.restart()
    try:
        assert watch.unexpected() == []
        yield "/pegawai-saja/ok.txt"
    finally:
        extra.write_text(plain)
        portal.restart()


def test_a_portal_session_opens_any_location(portal, protected, expect_log):
    # Apache's own authz notes a refusal at error level (AH01630).
    expect_log(r"AH01630: ")
    portal.sql("DELETE FROM login_throttle")
    anonymous = PortalSession(portal.base_url)
    r = anonymous.get(protected, allow_redirects=False)
    assert r.status_code in (303, 401), r.status_code
    assert r.status_code != 200

    s = PortalSession(portal.base_url)
    assert login(s, "181679", DEMO_PASSWORD).status_code == 303
    r = s.get(protected)
    assert r.status_code == 200 and r.text == "ok\n"
    line = portal.access_line('"GET /pegawai-saja/ok.txt HTTP/1.1" 200 ')
    assert line.split()[2] == "181679", line

    # After logout the same cookie opens nothing.
    cookie = s.cookies.get("pgw_sesi")
    s.post("/logout",
           data={"csrf_token": csrf_token(s.get("/profile").text)})
    late = PortalSession(portal.base_url)
    late.cookies.set("pgw_sesi", cookie)
    assert late.get(protected, allow_redirects=False).status_code != 200
