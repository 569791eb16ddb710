"""The portal behind a TLS-terminating proxy, and a virtual host whose
session directives differ from the defaults.

A second plain-HTTP virtual host is added to the running portal for the
length of this module (as test_https.py adds its TLS host): there
PegawaiCookieSecure On says that browsers reach the portal over https
through a proxy, and the session timeouts are far from their defaults,
so that a module ignoring them would be noticed."""

import re
import time

import pytest
import requests

from harness import LogWatch, PortalSession, csrf_token, free_port

DEMO_PASSWORD = "rahasia-demo"
IDLE = 60
MAX_AGE = 300

PROXY_CONF = """
# Added by test_proxy.py for the length of its tests.
Listen 127.0.0.1:{port}
<VirtualHost 127.0.0.1:{port}>
    ServerName 127.0.0.1
    PegawaiCookieSecure On
    PegawaiSessionIdleTimeout {idle}
    PegawaiSessionMaxAge {max_age}
</VirtualHost>
"""


@pytest.fixture(scope="module")
def proxied(portal):
    """The base URL of the proxied virtual host and its port."""
    port = free_port()
    extra = portal.data / "extra.conf"
    plain = extra.read_text()
    extra.write_text(plain + PROXY_CONF.format(port=port, idle=IDLE,
                                               max_age=MAX_AGE))
    watch = LogWatch(portal.error_log)
    portal.restart()
    base = "http://127.0.0.1:%d" % port
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(base + "/login",
                                timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "no page on the vhost"
            time.sleep(0.1)
        assert watch.unexpected() == []
        yield base, port
    finally:
        extra.write_text(plain)
        portal.restart()


@pytest.fixture(autouse=True)
def fresh_throttle(portal):
    portal.sql("DELETE FROM login_throttle")
    yield


def _form_cookie(r):
    m = re.search(r"pgw_masuk=([A-Za-z0-9_-]+)",
                  r.headers.get("Set-Cookie", ""))
    assert m, r.headers
    return m.group(1)


def _post_login(base, origin):
    """A login through the proxy as a browser on https://... sends it:
    the Secure cookies set over the proxy's https go back with it (sent
    by hand here, since requests keeps Secure cookies off plain http)."""
    page = requests.get(base + "/login", timeout=30)
    assert page.status_code == 200
    token = _form_cookie(page)
    return requests.post(base + "/login", allow_redirects=False, timeout=30,
                         headers={"Origin": origin,
                                  "Cookie": "pgw_masuk=" + token},
                         data={"nrk": "181679", "password": DEMO_PASSWORD,
                               "csrf_token": csrf_token(page.text)})


def test_the_form_cookie_is_secure_behind_the_proxy(proxied):
    page = requests.get(proxied[0] + "/login", timeout=30)
    for line in page.raw.headers.getlist("Set-Cookie"):
        assert "; Secure" in line, line


def test_login_with_the_https_origin_of_the_proxy(proxied):
    base, port = proxied
    r = _post_login(base, "https://127.0.0.1:%d" % port)
    assert r.status_code == 303, r.text[:500]
    cookies = r.raw.headers.getlist("Set-Cookie")
    sesi = [c for c in cookies if c.startswith("__Host-pgw_sesi=")]
    assert len(sesi) == 1, cookies
    attrs = [a.strip() for a in sesi[0].split(";")[1:]]
    assert "Secure" in attrs and "HttpOnly" in attrs and "Path=/" in attrs


def test_a_plain_http_origin_is_refused_behind_the_proxy(proxied):
    base, port = proxied
    r = _post_login(base, "http://127.0.0.1:%d" % port)
    assert r.status_code == 403
    assert "__Host-pgw_sesi" not in r.headers.get("Set-Cookie", "")


def test_the_main_host_still_wants_its_own_http_origin(portal):
    c = PortalSession(portal.base_url)
    page = c.get("/login")
    data = {"nrk": "181679", "password": DEMO_PASSWORD,
            "csrf_token": csrf_token(page.text)}
    r = c.post("/login", data=data, allow_redirects=False,
               headers={"Origin": "https://127.0.0.1:%d" % portal.port})
    assert r.status_code == 403
    r = c.post("/login", data=data, allow_redirects=False,
               headers={"Origin": portal.base_url})
    assert r.status_code == 303


# ------------------------------------------------------------ timeouts

def _session_on(base, port, portal, created_ago, seen_ago):
    """Logs in through the proxied host, then ages the new session."""
    r = _post_login(base, "https://127.0.0.1:%d" % port)
    assert r.status_code == 303
    m = re.search(r"__Host-pgw_sesi=([A-Za-z0-9_-]{43})",
                  r.headers["Set-Cookie"])
    token = m.group(1)
    now = int(time.time())
    portal.sql("UPDATE session SET created_at = ?, seen_at = ? WHERE "
               "seen_at >= ?", now - created_ago, now - seen_ago, now - 30)
    return token


def _profile(base, cookie, token):
    return requests.get(base + "/profile", allow_redirects=False,
                        timeout=30, headers={"Cookie": cookie + "=" + token})


@pytest.mark.parametrize("created_ago, seen_ago", [
    (IDLE + 30, IDLE + 30),      # idle longer than the vhost's timeout
    (MAX_AGE + 30, 5),           # older than the vhost's absolute limit
])
def test_the_vhosts_timeouts_are_applied(proxied, portal, created_ago,
                                         seen_ago):
    base, port = proxied
    portal.sql("DELETE FROM session")
    token = _session_on(base, port, portal, created_ago, seen_ago)
    # The same age is well within the main server's defaults (30 minutes,
    # 12 hours): the session serves a page there...
    r = _profile(portal.base_url, "pgw_sesi", token)
    assert r.status_code == 200
    portal.sql("DELETE FROM session")
    token = _session_on(base, port, portal, created_ago, seen_ago)
    # ...and has ended on the virtual host.
    r = _profile(base, "__Host-pgw_sesi", token)
    assert r.status_code == 303
    assert r.headers["Location"].startswith("/login")


def test_a_fresh_session_serves_the_vhost(proxied, portal):
    base, port = proxied
    token = _session_on(base, port, portal, 10, 10)
    assert _profile(base, "__Host-pgw_sesi", token).status_code == 200
