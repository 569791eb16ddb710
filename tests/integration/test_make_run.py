"""`make run`, the README's first command, as a person runs it: it
builds, creates the demo database under $PEGAWAI_DATA, serves on
127.0.0.1:$PEGAWAI_PORT in the foreground, and Ctrl-C stops it with
every child. A second run keeps the database."""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from harness import (_LOG_LEVEL, REPO, PortalSession, free_port,
                     is_warn_or_worse, login, port_answers, selected_driver)

DEMO_PASSWORD = "rahasia-demo"

pytestmark = pytest.mark.skipif(
    selected_driver() != "sqlite3",
    reason="make run serves SQLite; run once, with the SQLite tests")


@pytest.fixture
def data_dir():
    path = Path(tempfile.mkdtemp(prefix="pegawai-make-run-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def start(data, port):
    env = dict(os.environ, PEGAWAI_DATA=str(data), PEGAWAI_PORT=str(port))
    # A process group of its own, as a terminal gives a foreground job.
    proc = subprocess.Popen(["make", "-s", "run"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    deadline = time.monotonic() + 300
    while not port_answers(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("make run did not serve:\n"
                                 + proc.communicate()[0])
        time.sleep(0.2)
    return proc


def ctrl_c(proc, port):
    """SIGINT to the whole foreground group, as the terminal sends it."""
    os.killpg(proc.pid, signal.SIGINT)
    try:
        out = proc.communicate(timeout=20)[0]
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError("make run did not stop on Ctrl-C")
    deadline = time.monotonic() + 10
    while port_answers(port) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not port_answers(port), "a child still serves after Ctrl-C"
    left = subprocess.run(["pgrep", "-g", str(proc.pid)],
                          capture_output=True, text=True).stdout.split()
    assert left == [], "processes left behind: %s" % left
    return out


def test_make_run_serves_the_demo_and_stops_on_ctrl_c(data_dir):
    port = free_port()
    proc = start(data_dir, port)
    try:
        s = PortalSession("http://127.0.0.1:%d" % port)
        assert login(s, "181679", DEMO_PASSWORD).status_code == 303
        r = s.get("/profile")
        assert r.status_code == 200
        assert "12 TAHUN 2017" in r.text
        assert (data_dir / "db" / "pegawai.sqlite").exists()
        assert (data_dir / "conf" / "httpd.conf").exists()
    finally:
        out = ctrl_c(proc, port)
    # Apache's own lines (the error log is the terminal) stay below warn.
    loud = [l for l in out.splitlines()
            if _LOG_LEVEL.match(l) and is_warn_or_worse(l)]
    assert loud == [], out

    # A second run keeps the database: the session of the first is known.
    proc = start(data_dir, port)
    try:
        r = s.get("/profile", allow_redirects=False)
        assert r.status_code == 200
    finally:
        ctrl_c(proc, port)
