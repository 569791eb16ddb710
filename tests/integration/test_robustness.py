"""Garbage in, a clear 4xx out; the database away, a 503 that heals by
itself. Nothing here may crash an Apache child (the error-log guard
fails any test whose request left a warning or a segfault behind)."""

import contextlib
import re
import socket
import subprocess
import time

import pytest

from harness import PortalSession, csrf_token, login

DEMO_PASSWORD = "rahasia-demo"


@pytest.fixture(autouse=True)
def fresh_throttle(portal):
    portal.sql("DELETE FROM login_throttle")


def raw(portal, data, timeout=10):
    """Sends bytes as they are; returns the status code of the answer."""
    with socket.create_connection(("127.0.0.1", portal.port),
                                  timeout=timeout) as s:
        s.sendall(data)
        head = b""
        while b"\r\n" not in head:
            chunk = s.recv(4096)
            if not chunk:
                break
            head += chunk
    return int(head.split(b" ", 2)[1]) if head else None


def login_post(client, body, content_type="application/x-www-form-urlencoded"):
    client.get("/login")
    return client.post("/login", data=body,
                       headers={"Content-Type": content_type},
                       allow_redirects=False)


def test_unknown_route_is_an_indonesian_404(client):
    r = client.get("/tidak-ada")
    assert r.status_code == 404
    assert "tidak ditemukan" in r.text


def test_wrong_methods(client):
    for method, path, allow in (("PUT", "/profile", "GET, HEAD"),
                                ("DELETE", "/login", "GET, HEAD, POST"),
                                ("POST", "/profile", "GET, HEAD"),
                                ("PATCH", "/", "GET, HEAD")):
        r = client.request(method, path, allow_redirects=False)
        assert r.status_code == 405, (method, path)
        assert r.headers["Allow"] == allow


def test_head_of_a_page(client):
    r = client.head("/login")
    assert r.status_code == 200 and r.content == b""


def test_huge_body_is_refused(client):
    token = csrf_token(client.get("/login").text)
    body = "csrf_token=%s&nrk=1&password=%s" % (token, "a" * 200000)
    r = client.post("/login", data=body, allow_redirects=False,
                    headers={"Content-Type":
                             "application/x-www-form-urlencoded"})
    assert r.status_code == 413


def test_huge_chunked_body_is_refused(client):
    def chunks():
        for _ in range(200):
            yield b"a" * 4096
    r = client.post("/login", data=chunks(), allow_redirects=False,
                    headers={"Content-Type":
                             "application/x-www-form-urlencoded"})
    assert r.status_code == 413


def test_announced_huge_body_is_refused_before_it_is_sent(portal):
    status = raw(portal, b"POST /login HTTP/1.1\r\nHost: x\r\n"
                 b"Content-Type: application/x-www-form-urlencoded\r\n"
                 b"Content-Length: 1000000000\r\n\r\n")
    assert status == 413


def _answer_to_an_unsent_body(portal, head):
    """Sends head (announcing 50 MB) and 64 KiB of the body, then reads
    the answer; the time it took and the answer's head."""
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", portal.port),
                                  timeout=5) as s:
        s.sendall(head + b"Content-Length: 52428800\r\n\r\n")
        try:
            s.sendall(b"a" * 65536)
        except OSError:
            pass  # the server may close before taking it all
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except socket.timeout:
            pass
    return time.monotonic() - t0, answer.split(b"\r\n\r\n")[0]


@pytest.mark.parametrize("head, status", [
    # Wrong method: /profile is GET only.
    (b"POST /profile HTTP/1.1\r\nHost: x\r\n"
     b"Content-Type: application/x-www-form-urlencoded\r\n", b" 405 "),
    # Wrong type of body for the login form.
    (b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n",
     b" 415 "),
])
def test_a_huge_body_of_a_refused_request_is_not_read(portal, head, status):
    """The answer comes at once and the connection closes, rather than
    the server reading 50 MB (or waiting for them) before answering."""
    took, answer = _answer_to_an_unsent_body(portal, head)
    assert status in answer.split(b"\r\n")[0], answer[:200]
    assert b"Connection: close" in answer
    assert took < 3, took


def test_invalid_utf8_nul_and_bad_escapes(client):
    for body in (b"nrk=%C0%AF&password=x", b"nrk=\xff\xfe&password=x",
                 b"nrk=18%00&password=x", b"nrk=%zz&password=x",
                 b"nrk=%ED%A0%80&password=x"):
        r = login_post(client, body)
        assert r.status_code == 400, body


def test_too_many_fields(client):
    body = "&".join("f%d=1" % i for i in range(500))
    assert login_post(client, body).status_code == 413


def test_wrong_content_type(client):
    assert login_post(client, b'{"nrk": "181679"}',
                      "application/json").status_code == 415


def test_long_nrk_and_password_are_refused_politely(client):
    token = csrf_token(client.get("/login").text)
    r = client.post("/login", data={"nrk": "1" * 40, "password": "x" * 2000,
                                    "csrf_token": token},
                    allow_redirects=False)
    assert r.status_code == 401


def test_garbage_cookies(portal):
    for cookie in ("pgw_sesi=" + "%" * 40, "pgw_sesi=\x01\x02",
                   "pgw_sesi=" + "A" * 5000, ";;;=;=", "pgw_sesi"):
        c = PortalSession(portal.base_url)
        r = c.get("/profile", headers={"Cookie": cookie},
                  allow_redirects=False)
        assert r.status_code in (303, 400), cookie


def test_garbage_request_lines(portal, expect_log):
    expect_log(r"AH\d{5}: ")  # Apache's own notes about bad requests
    for req in (b"GET /profile\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
                b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
                b"GET /" + b"a" * 10000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                b"BREW /profile HTTP/1.1\r\nHost: x\r\n\r\n"):
        status = raw(portal, req)
        assert status is not None and 400 <= status < 500, (req[:30],
                                                           status)


def test_database_outage_gives_503_and_recovers(portal, expect_log):
    # The driver's and mod_dbd's own lines name the failure.
    expect_log(r"PGW0001[1-3]: |DBD|dbd|AH0\d+|database")
    c = PortalSession(portal.base_url)
    assert login(c, "181679", DEMO_PASSWORD).status_code == 303
    with portal.db_outage():
        r = c.get("/profile", allow_redirects=False)
        assert r.status_code == 503
        assert "tidak tersedia" in r.text
        assert r.headers.get("Retry-After")
        lines = expect_log.lines()
        assert any("PGW00011" in l or "PGW00013" in l for l in lines)
    deadline = time.monotonic() + 20
    while True:
        r = c.get("/profile", allow_redirects=False)
        if r.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert r.status_code == 200
    # Every child's pooled connections recover too: connections whose
    # server session ended during the outage are re-established and
    # their statements prepared again, without an error on the way.
    after = len(expect_log.lines())
    for _ in range(40):
        assert c.get("/profile", allow_redirects=False).status_code == 200
    time.sleep(0.1)
    late = [l for l in expect_log.lines()[after:] if "PGW" in l]
    assert late == []


# Identifiers of 181679 (PRODUCT.md): NIK, No. KK, NPWP, No. Rek Bank DKI.
IDENTIFIERS = ("3174090507831001", "1374091908131016", "784024523017000",
               "50220242733")


@contextlib.contextmanager
def module_debug_log(portal):
    """The portal restarted with the pegawai module logging at debug (the
    rest stays at the test level); back as it was at the end."""
    extra = portal.data / "extra.conf"
    plain = extra.read_text()
    extra.write_text(plain + "\n# Added by test_robustness.py\n"
                     "LogLevel warn pegawai:debug\n")
    portal.restart()
    try:
        yield
    finally:
        extra.write_text(plain)
        portal.restart()


def test_logs_hold_no_secrets(portal, expect_log):
    """Failed, throttled, refused and successful logins, a database
    outage and a malformed form, all with the module at debug: neither
    log holds a password, a token or an identifier."""
    expect_log(r"PGW0001[1-3]: |DBD|dbd|AH0\d+|database")
    secrets = ["rahasia-bocor-%d" % i for i in range(8)]
    tokens = []
    with module_debug_log(portal):
        c = PortalSession(portal.base_url)
        # Wrong passwords, then the throttle's 429, with new guesses.
        codes = [login(c, "181679", pw).status_code for pw in secrets[:6]]
        assert codes[:4] == [401] * 4 and codes[-1] == 429, codes
        tokens.append(c.cookies.get("pgw_masuk"))
        portal.sql("DELETE FROM login_throttle")
        # A password typed into the NRK field, and a malformed body.
        assert login(c, secrets[6], secrets[6]).status_code == 401
        assert login_post(c, ("nrk=181679&password=%s%%zz"
                              % secrets[7])).status_code == 400
        # A login while the database is away.
        with portal.db_outage():
            r = login_post(PortalSession(portal.base_url),
                           {"nrk": "181679", "password": secrets[0]})
            assert r.status_code in (403, 503)
            c2 = PortalSession(portal.base_url)
            page = c2.get("/login")
            r = c2.post("/login", allow_redirects=False,
                        data={"nrk": "181679", "password": secrets[1],
                              "csrf_token": csrf_token(page.text)})
            assert r.status_code == 503
        deadline = time.monotonic() + 20
        while True:
            c = PortalSession(portal.base_url)
            r = login(c, "181679", DEMO_PASSWORD)
            if r.status_code == 303 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert r.status_code == 303
        tokens += [c.cookies.get("pgw_sesi"), c.cookies.get("pgw_perangkat")]
        page = c.get("/profile/data")
        assert IDENTIFIERS[0] in page.text
        tokens.append(csrf_token(page.text))
        lines = expect_log.lines()
        # The module did log at debug or info meanwhile.
        assert any(re.search(r"\[pegawai:(debug|info)\]", l)
                   for l in lines), lines[-20:]
    assert all(tokens), tokens
    for path in (portal.error_log, portal.access_log):
        text = path.read_text()
        for secret in secrets + [DEMO_PASSWORD] + tokens + list(IDENTIFIERS):
            assert secret not in text, (path.name, secret)


def test_a_failed_statement_logs_no_row(portal, expect_log):
    """PostgreSQL follows a constraint failure with "DETAIL: Failing row
    contains (...)": the whole row, NIK and account numbers with it. The
    log keeps the first line of the driver's message only."""
    if portal.driver != "pgsql":
        pytest.skip("PostgreSQL's DETAIL lines; SQLite's message is one "
                    "line without values")
    from test_data_form import data_form
    expect_log(r"PGW000\d\d: ")
    portal.sql("ALTER TABLE pegawai ADD CONSTRAINT uji_simpan_gagal "
               "CHECK (no_hp IS NULL OR no_hp <> '081299990001')")
    try:
        c = PortalSession(portal.base_url)
        assert login(c, "181679", DEMO_PASSWORD).status_code == 303
        page = c.get("/profile/data")
        values = {k: v for k, v in data_form(page.text).items()
                  if v is not None}
        values.update(no_hp="081299990001", gol_darah="O")
        r = c.post("/profile/data", data=values, allow_redirects=False)
        assert r.status_code >= 500, r.status_code
    finally:
        portal.sql("ALTER TABLE pegawai DROP CONSTRAINT uji_simpan_gagal")
    lines = [l for l in expect_log.lines() if "PGW00013" in l]
    assert lines and any("uji_simpan_gagal" in l for l in lines), lines
    text = portal.error_log.read_text()
    assert "Failing row" not in text
    for identifier in IDENTIFIERS + ("081299990001",):
        assert identifier not in text, identifier


def test_children_wait_for_a_locked_sqlite_database(portal, expect_log):
    """Apache's children prepare their statements as they start. When
    the database is locked at that moment (the last connection of the
    previous server checkpointing its WAL, or a sibling child recovering
    it), they wait for the lock instead of failing to prepare: no
    AH00632 in the log, and the first request is served."""
    if portal.driver != "sqlite3":
        pytest.skip("SQLite only: PostgreSQL has no file lock")
    cmd = portal.client_command()
    portal.stop()
    locker = subprocess.Popen(cmd, stdin=subprocess.PIPE, text=True,
                              stdout=subprocess.PIPE)
    try:
        # Exclusive locking in WAL mode shuts readers out as well.
        locker.stdin.write("PRAGMA locking_mode = EXCLUSIVE;\n"
                           "BEGIN EXCLUSIVE;\n"
                           "SELECT 'locked' FROM pegawai LIMIT 1;\n")
        locker.stdin.flush()
        # The pragma answers "exclusive", the query "locked".
        assert locker.stdout.readline().strip() == "exclusive"
        assert locker.stdout.readline().strip() == "locked"
        portal.start()
        time.sleep(1.5)
    finally:
        locker.stdin.write("COMMIT;\n")
        locker.stdin.close()
        locker.wait(timeout=10)
    c = PortalSession(portal.base_url)
    assert login(c, "181679", DEMO_PASSWORD).status_code == 303
    assert c.get("/profile").status_code == 200
