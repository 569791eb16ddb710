"""The harness itself: server root, apache2, database access, log guard."""

import pytest

from harness import REPO, LogWatch, csrf_token, hidden_fields


def test_server_answers_with_extra_conf(portal, client):
    assert portal.pid() is not None
    r = client.get("/basic/ok.txt")
    # extra.conf's Basic-protected location is in force.
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == 'Basic realm="portal"'


def test_static_css_is_served(portal, client):
    css = REPO / "htdocs" / "static" / "pegawai.css"
    if not css.exists():
        pytest.skip("htdocs/static/pegawai.css does not exist yet")
    r = client.get("/static/pegawai.css")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/css")
    assert r.content == css.read_bytes()


def test_demo_employees_loaded(portal):
    rows = portal.sql("SELECT nrk FROM pegawai WHERE nrk IN (?, ?) "
                      "ORDER BY nrk", "181678", "181679")
    assert rows == [("181678",), ("181679",)]
    (count,), = portal.sql("SELECT count(*) FROM pegawai")
    assert int(count) > 2


def test_sql_helper_returns_text_and_null(portal):
    rows = portal.sql("SELECT 1, NULL, ?", "a'b\nc")
    assert rows == [("1", None, "a'b\nc")]
    assert portal.sql("SELECT 1 WHERE 1 = 0") == []


def test_restart_keeps_serving(portal, client):
    portal.restart()
    assert client.get("/basic/ok.txt").status_code == 401


def _append(path, line):
    with open(path, "a") as f:
        f.write(line + "\n")


def test_log_guard_catches_injected_line(portal, expect_log):
    watch = LogWatch(portal.error_log)
    error = ("[Mon Jan 05 10:00:00.000000 2026] [pegawai:error] "
             "[pid 1:tid 1] PGW99999: injected by test_harness")
    info = ("[Mon Jan 05 10:00:00.000001 2026] [pegawai:info] "
            "[pid 1:tid 1] below warn, ignored")
    stray = "a line outside Apache's format, e.g. a crash report"
    _append(portal.error_log, info)
    assert watch.unexpected() == []
    _append(portal.error_log, error)
    _append(portal.error_log, stray)
    assert watch.unexpected() == [error, stray]
    with pytest.raises(pytest.fail.Exception, match="PGW99999"):
        watch.check()

    # Declared lines pass; this test's own guard sees the same lines.
    watch(r"PGW99999: injected")
    watch(r"^a line outside")
    watch.check()
    expect_log(r"PGW99999: injected")
    expect_log(r"^a line outside")
    assert error in expect_log.lines()


def test_csrf_token_parsing():
    page = ('<form method="post"><input type="text" name="nrk"/>'
            '<input type="hidden" name="csrf_token" value="abc-123"/>'
            '</form>')
    assert csrf_token(page) == "abc-123"
    assert hidden_fields(page) == {"csrf_token": "abc-123"}
    with pytest.raises(AssertionError):
        csrf_token("<form></form>")


def test_log_guard_never_lets_a_crash_through(tmp_path):
    """A crashed child fails the test even when broad patterns, such as
    test_robustness.py's r"AH\\d{5}: ", were declared. (A log of its own:
    the lines would fail the portal's guard of this test too.)"""
    log = tmp_path / "error.log"
    log.write_text("")
    watch = LogWatch(log)
    for pattern in (r"AH\d{5}: ", r"AH0\d+|database", r".*"):
        watch(pattern)
    crash = ("[Mon Jan 05 10:00:00.000002 2026] [core:notice] [pid 1:tid 1] "
             "AH00052: child pid 4242 exit signal Segmentation fault (11)")
    core = ("[Mon Jan 05 10:00:00.000003 2026] [core:notice] [pid 1:tid 1] "
            "AH00051: child pid 4243 exit signal Aborted (6), possible "
            "coredump in /tmp")
    loud = ("[Mon Jan 05 10:00:00.000004 2026] [pegawai:error] "
            "[pid 1:tid 1] PGW99998: declared, so allowed")
    for line in (crash, core, loud):
        _append(log, line)
    assert watch.unexpected() == [crash, core]
    with pytest.raises(pytest.fail.Exception, match="AH00052"):
        watch.check()
