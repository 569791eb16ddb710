"""The portal behind Apache's own TLS (mod_ssl), as on a government
server that terminates HTTPS itself: under PegawaiCookieSecure Auto the
session cookie gets the Secure flag and the __Host- prefix (ASVS V3.3),
and the portal works as over plain HTTP."""

import re
import subprocess
import time

import pytest
import requests

from harness import LogWatch, PortalSession, csrf_token, free_port

DEMO_PASSWORD = "rahasia-demo"

TLS_CONF = """
# Added by test_https.py for the length of its tests.
<IfModule !ssl_module>
    LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so
</IfModule>
<IfModule !socache_shmcb_module>
    LoadModule socache_shmcb_module /usr/lib/apache2/modules/mod_socache_shmcb.so
</IfModule>
SSLSessionCache "shmcb:{tls}/scache(512000)"
Listen 127.0.0.1:{port}
<VirtualHost 127.0.0.1:{port}>
    ServerName 127.0.0.1
    SSLEngine on
    SSLCertificateFile "{tls}/cert.pem"
    SSLCertificateKeyFile "{tls}/key.pem"
</VirtualHost>
"""


@pytest.fixture(scope="module")
def https(portal):
    """The running portal with a TLS virtual host on a second port; the
    base URL of that host."""
    tls = portal.data / "tls"
    tls.mkdir(exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1",
                    "-addext", "basicConstraints=critical,CA:FALSE",
                    "-keyout", str(tls / "key.pem"),
                    "-out", str(tls / "cert.pem")],
                   check=True, capture_output=True)
    port = free_port()
    extra = portal.data / "extra.conf"
    plain = extra.read_text()
    extra.write_text(plain + TLS_CONF.format(tls=tls, port=port))
    watch = LogWatch(portal.error_log)
    portal.restart()
    base = "https://127.0.0.1:%d" % port
    try:
        # The port answers before Apache's second configuration pass is
        # over; a served page means the children run on its result.
        deadline = time.monotonic() + 20
        while True:
            try:
                with TLSSession(base, str(tls / "cert.pem")) as s:
                    if s.get("/login").status_code == 200:
                        break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "no page over HTTPS"
            time.sleep(0.1)
        # The portal's statements are registered once for the main server
        # and the virtual host that shares its mod_dbd configuration: no
        # "conflicting SQL statements" (AH02653). AH01882 only says that
        # Debian's mod_ssl and libssl3 are of different builds.
        loud = [l for l in watch.unexpected() if "AH01882" not in l]
        assert loud == []
        yield base, str(tls / "cert.pem")
    finally:
        extra.write_text(plain)
        portal.restart()


class TLSSession(PortalSession):
    """Trusts the test's own certificate (a per-request verify, which the
    REQUESTS_CA_BUNDLE of the environment cannot override)."""

    def __init__(self, base_url, ca):
        super().__init__(base_url)
        self.ca = ca

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("verify", self.ca)
        return super().request(method, url, *args, **kwargs)


@pytest.fixture
def tls_client(https):
    with TLSSession(*https) as s:
        yield s


def test_session_cookie_is_secure_with_the_host_prefix(tls_client):
    page = tls_client.get("/login")
    assert page.status_code == 200
    r = tls_client.post("/login", allow_redirects=False,
                        data={"nrk": "181679", "password": DEMO_PASSWORD,
                              "csrf_token": csrf_token(page.text)})
    assert r.status_code == 303, r.text[:500]
    cookies = r.headers.get("Set-Cookie", "")
    m = re.search(r"__Host-pgw_sesi=([A-Za-z0-9_-]{43});([^,]*)", cookies)
    assert m, cookies
    attrs = [a.strip() for a in m.group(2).split(";")]
    assert "Secure" in attrs and "HttpOnly" in attrs
    assert "Path=/" in attrs and "SameSite=Lax" in attrs
    assert not any(a.lower().startswith("domain") for a in attrs)
    # Every cookie the portal sets over HTTPS is Secure.
    for line in r.raw.headers.getlist("Set-Cookie"):
        assert "; Secure" in line, line
    profile = tls_client.get("/profile")
    assert profile.status_code == 200
    assert "198307052011011018" in profile.text


def test_the_plain_session_cookie_is_not_taken_over_https(portal,
                                                         tls_client):
    """A cookie without the prefix (as a plain-HTTP page or a network
    attacker could set it) does not log anyone in over HTTPS."""
    plain = PortalSession(portal.base_url)
    page = plain.get("/login")
    r = plain.post("/login", allow_redirects=False,
                   data={"nrk": "181679", "password": DEMO_PASSWORD,
                         "csrf_token": csrf_token(page.text)})
    assert r.status_code == 303
    token = plain.cookies.get("pgw_sesi")
    assert token
    tls_client.cookies.set("pgw_sesi", token)
    r = tls_client.get("/profile", allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"] == "/login"
