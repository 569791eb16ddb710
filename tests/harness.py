"""The test harness's machinery: a real apache2 serving the portal.

conftest.py turns these into fixtures; tests import the helpers (login,
csrf_token) from here. Nothing in this file knows the portal's pages beyond
the interface fixed in PRODUCT.md (routes, field names, csrf_token).
"""

import contextlib
import html.parser
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[1]
SERVERROOT = REPO / "tools" / "serverroot.sh"
EXTRA_CONF = Path(__file__).resolve().parent / "integration" / \
    "extra.conf"
APACHE2 = os.environ.get("APACHE2", "/usr/sbin/apache2")
RUN_USER = "www-data"

# The role tools/pg-test-setup.sh creates; PEGAWAI_PG_DSN overrides it.
DEFAULT_PG_DSN = ("host=127.0.0.1 port=5432 user=pegawai "
                  "password=pegawai-test dbname=postgres")

# A second password for demo employee 181679, found only in the htpasswd
# file behind the `file` provider (see extra.conf).
HTPASSWD_NRK = "181679"
HTPASSWD_PASSWORD = "dari-file-lama"

# Field and row separators and the NULL marker used to read query results
# from the sqlite3 and psql command-line clients unambiguously.
_FS = "\x1f"
_RS = "\x1e"
_NULL = "\x1dNULL\x1d"


def pg_dsn():
    return os.environ.get("PEGAWAI_PG_DSN") or DEFAULT_PG_DSN


def selected_driver():
    driver = os.environ.get("PEGAWAI_TEST_DB", "sqlite3")
    if driver not in ("sqlite3", "pgsql"):
        raise ValueError("PEGAWAI_TEST_DB must be sqlite3 or pgsql, not %r"
                         % driver)
    return driver


def running_in_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def is_root():
    return os.geteuid() == 0


def psql(dsn, query, timeout=60):
    """Runs SQL through psql; returns its raw unaligned output."""
    env = dict(os.environ, PGCONNECT_TIMEOUT="5")
    proc = subprocess.run(
        ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
         "-F", _FS, "-R", _RS, "-P", "null=" + _NULL, dsn],
        input=query, env=env, capture_output=True, text=True,
        timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError("psql failed (%d): %s"
                           % (proc.returncode, proc.stderr.strip()))
    out = proc.stdout
    return out[:-1] if out.endswith("\n") else out


def pg_unreachable_reason(dsn):
    """None when PostgreSQL answers through dsn, else why not."""
    if shutil.which("psql") is None:
        return "psql is not installed (Debian package postgresql-client)"
    try:
        psql(dsn, "SELECT 1;", timeout=20)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        return "cannot connect with PEGAWAI_PG_DSN: %s" % e
    return None


def _rows(out, row_sep_trails):
    records = out.split(_RS)
    if row_sep_trails or records[-1] == "":
        records = records[:-1]
    return [tuple(None if v == _NULL else v for v in rec.split(_FS))
            for rec in records]


def sql_literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def bind(query, params):
    """Replaces each ? in query by a quoted literal (test data only)."""
    if not params:
        return query
    parts = query.split("?")
    if len(parts) != len(params) + 1:
        raise ValueError("query has %d placeholders, %d params given"
                         % (len(parts) - 1, len(params)))
    out = [parts[0]]
    for value, rest in zip(params, parts[1:]):
        out.append(sql_literal(value))
        out.append(rest)
    return "".join(out)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


# ------------------------------------------------------------ error log

# Apache's default ErrorLogFormat: "[time] [module:level] [pid ...] ...".
_LOG_LEVEL = re.compile(r"^\[[^\]]*\] \[[^\]:]*:(\w+)\]")
_QUIET_LEVELS = {"notice", "info", "debug"} | {"trace%d" % i
                                                for i in range(1, 9)}


def is_crash(line):
    """Apache's report of a child killed by a signal (AH00052 "exit signal
    Segmentation fault") or of one that dumped core."""
    return ("AH00052" in line or "exit signal" in line
            or "dumped core" in line)


def is_warn_or_worse(line):
    """Lines at warn and above count; so does any line not in Apache's
    format (a crash report or a library writing to stderr)."""
    m = _LOG_LEVEL.match(line)
    # Apache reports a crashed child at notice level (AH00052 "exit
    # signal Segmentation fault"): a crash always counts.
    if is_crash(line):
        return True
    return not m or m.group(1) not in _QUIET_LEVELS


class LogWatch:
    """The error-log lines written since a mark, and the ones allowed."""

    def __init__(self, path):
        self.path = Path(path)
        self.allowed = []
        self.mark()

    def _size(self):
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def mark(self):
        self.offset = self._size()

    def __call__(self, pattern):
        """Declares that lines matching pattern (re.search) may appear."""
        self.allowed.append(re.compile(pattern))

    def lines(self):
        """All lines written since the mark, at any level."""
        size = self._size()
        start = self.offset if size >= self.offset else 0
        with open(self.path, "rb") as f:
            f.seek(start)
            text = f.read().decode("utf-8", "replace")
        return [ln for ln in text.splitlines() if ln.strip()]

    def unexpected(self):
        """Lines at warn or above that no declared pattern allows; a
        crashed child counts whatever a test declared, since a broad
        pattern such as r"AH\\d{5}: " would otherwise hide it."""
        return [ln for ln in self.lines()
                if is_crash(ln)
                or (is_warn_or_worse(ln)
                    and not any(p.search(ln) for p in self.allowed))]

    def check(self):
        """Fails the current test when unexpected lines were written."""
        unexpected = self.unexpected()
        if unexpected:
            pytest.fail("unexpected lines in %s:\n%s"
                        % (self.path, "\n".join(unexpected)),
                        pytrace=False)


# ------------------------------------------------------------ the portal

class Portal:
    """A running apache2 with mod_pegawai on a throwaway server root."""

    def __init__(self, driver, admin_dsn=None):
        self.driver = driver
        self.admin_dsn = admin_dsn
        self.port = free_port()
        self.base_url = "http://127.0.0.1:%d" % self.port
        # Not pytest's tmp_path: that lives under a 0700 directory which
        # Apache's children (www-data when we are root) cannot enter.
        self.data = Path(tempfile.mkdtemp(prefix="pegawai-test-"))
        self.data.chmod(0o755)
        self.conf = self.data / "conf" / "httpd.conf"
        self.error_log = self.data / "logs" / "error.log"
        self.access_log = self.data / "logs" / "access.log"
        self.sqlite_file = self.data / "db" / "pegawai.sqlite"
        self.dbname = None
        self.dsn = None
        if driver == "pgsql":
            self.dbname = "pegawai_test_%d" % os.getpid()
            # In a libpq conninfo the last dbname wins.
            self.dsn = "%s dbname=%s" % (admin_dsn, self.dbname)

    def url(self, path):
        return self.base_url + path

    def access_line(self, needle, timeout=5):
        """The last access log line containing needle. Apache writes it
        after the answer has gone out, so a client may look first."""
        deadline = time.monotonic() + timeout
        while True:
            lines = [l for l in self.access_log.read_text().splitlines()
                     if needle in l]
            if lines or time.monotonic() > deadline:
                assert lines, "no access log line with %r" % needle
                return lines[-1]
            time.sleep(0.05)

    # -------------------------------------------------------- setting up

    def _write_test_files(self):
        plain = self.data / "plain"
        plain.mkdir()
        (plain / "ok.txt").write_text("ok\n")
        conf = EXTRA_CONF.read_text().replace("@DATA@", str(self.data))
        (self.data / "extra.conf").write_text(conf)
        htpasswd = self.data / "htpasswd"
        subprocess.run(["htpasswd", "-c", "-b", "-B", str(htpasswd),
                        HTPASSWD_NRK, HTPASSWD_PASSWORD],
                       check=True, capture_output=True)
        htpasswd.chmod(0o644)

    def _create_pg_database(self):
        psql(self.admin_dsn, "DROP DATABASE IF EXISTS %s WITH (FORCE);"
             "CREATE DATABASE %s;" % (self.dbname, self.dbname))

    def setup(self):
        """Builds the server root, prepares the database, starts apache2."""
        self._write_test_files()
        if self.driver == "pgsql":
            self._create_pg_database()
        cmd = [str(SERVERROOT), "--data", str(self.data),
               "--port", str(self.port), "--driver", self.driver,
               "--extra-conf", str(self.data / "extra.conf"),
               "--loglevel", os.environ.get("PEGAWAI_TEST_LOGLEVEL", "warn"),
               "--start"]
        if self.driver == "pgsql":
            cmd[-1:-1] = ["--pg-dsn", self.dsn]
        if os.environ.get("PEGAWAI_TEST_DEMO_COUNT"):
            cmd[-1:-1] = ["--demo-count",
                          os.environ["PEGAWAI_TEST_DEMO_COUNT"]]
        watch = LogWatch(self.error_log)
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              timeout=900)
        if proc.returncode != 0:
            raise RuntimeError("tools/serverroot.sh --start failed:\n%s%s"
                               % (proc.stdout, proc.stderr))
        startup = watch.unexpected()
        if startup:
            raise RuntimeError("apache2 logged at warn or above while "
                               "starting:\n" + "\n".join(startup))

    def teardown(self, keep):
        self.stop()
        if self.driver == "pgsql":
            try:
                psql(self.admin_dsn, "DROP DATABASE IF EXISTS %s "
                     "WITH (FORCE);" % self.dbname)
            except RuntimeError as e:
                print("warning: could not drop %s: %s" % (self.dbname, e))
        if not keep:
            shutil.rmtree(self.data, ignore_errors=True)

    # -------------------------------------------------------- apache2

    def pid(self):
        try:
            pid = int((self.data / "run" / "httpd.pid").read_text())
            os.kill(pid, 0)
            return pid
        except (OSError, ValueError):
            return None

    def start(self, timeout=30):
        """Starts apache2 again on the prepared server root."""
        proc = subprocess.run([APACHE2, "-f", str(self.conf), "-k", "start"],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError("apache2 -k start failed: " + proc.stderr)
        deadline = time.monotonic() + timeout
        # The port answers after Apache's first configuration pass; the
        # pid file is written by the second one, which serves.
        while not (port_answers(self.port) and self.pid()):
            if time.monotonic() > deadline:
                raise RuntimeError("apache2 did not answer on port %d"
                                   % self.port)
            time.sleep(0.05)

    def stop(self, timeout=30):
        """Stops apache2 (SIGTERM) and waits until it has exited."""
        pid = self.pid()
        if pid is None:
            return
        os.kill(pid, 15)
        deadline = time.monotonic() + timeout
        while True:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            if time.monotonic() > deadline:
                raise RuntimeError("apache2 (pid %d) did not stop" % pid)
            time.sleep(0.05)
        # The children may still hold the port for a moment.
        while port_answers(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)

    def restart(self):
        self.stop()
        self.start()

    # -------------------------------------------------------- database

    def client_command(self, *options):
        """The database's own command-line client on the test database,
        for a test that holds a transaction open in another connection:
        psql, or sqlite3 with options before the file, run as the user
        Apache's children run as, so that SQLite's journal files it may
        create stay writable for them."""
        if self.driver == "pgsql":
            return ["psql", "-X", "-q", "-t", "-v", "ON_ERROR_STOP=1",
                    self.dsn]
        cmd = ["sqlite3", "-batch"] + list(options) + [str(self.sqlite_file)]
        if is_root():
            cmd = ["runuser", "-u", RUN_USER, "--"] + cmd
        return cmd

    @contextlib.contextmanager
    def holding(self, script, marker):
        """Runs script in the database's own client (another connection)
        and enters the block once the script has printed marker, the
        line after it takes its lock; the script then sleeps, commits and
        must end cleanly."""
        proc = subprocess.Popen(self.client_command(), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        proc.stdin.write(script)
        proc.stdin.close()
        try:
            while True:
                line = proc.stdout.readline()
                assert line, proc.stderr.read()
                if line.strip() == marker:
                    break
            yield
        finally:
            proc.stdout.read()
            err = proc.stderr.read()
            assert proc.wait(timeout=30) == 0, err

    def sql(self, query, *params):
        """Runs SQL on the test database; returns rows as tuples of str
        (None for NULL). `?` in query takes the next param as a literal."""
        query = bind(query, params)
        if self.driver == "pgsql":
            return _rows(psql(self.dsn, query), row_sep_trails=False)
        cmd = ["sqlite3", "-batch", "-bail", "-noheader", "-list",
               "-cmd", ".timeout 5000", "-cmd", "PRAGMA foreign_keys = ON",
               "-separator", _FS, "-newline", _RS, "-nullvalue", _NULL,
               str(self.sqlite_file)]
        # Run as the user Apache's children run as, so that SQLite's
        # journal files it may create stay writable for them.
        if is_root():
            cmd = ["runuser", "-u", RUN_USER, "--"] + cmd
        proc = subprocess.run(cmd, input=query, capture_output=True,
                              text=True, timeout=60)
        if proc.returncode != 0 or proc.stderr.strip():
            raise RuntimeError("sqlite3 failed (%d): %s"
                               % (proc.returncode, proc.stderr.strip()))
        return _rows(proc.stdout, row_sep_trails=True)

    @contextlib.contextmanager
    def db_outage(self):
        """Makes the database unreachable for apache2 inside the block;
        it comes back at the end without restarting apache2, so the
        portal has to recover by itself. The test declares the log lines
        the outage causes with expect_log."""
        if self.driver == "pgsql":
            psql(self.admin_dsn,
                 "ALTER DATABASE %s ALLOW_CONNECTIONS false;"
                 "SELECT count(pg_terminate_backend(pid)) FROM "
                 "pg_stat_activity WHERE datname = '%s' "
                 "AND pid <> pg_backend_pid();" % (self.dbname, self.dbname))
            try:
                yield
            finally:
                psql(self.admin_dsn, "ALTER DATABASE %s ALLOW_CONNECTIONS "
                     "true;" % self.dbname)
            return
        # An open SQLite connection keeps working whatever happens to the
        # file, so restart apache2 while the directory is closed to it.
        db_dir = self.sqlite_file.parent
        mode = db_dir.stat().st_mode & 0o7777
        self.stop()
        db_dir.chmod(0)
        try:
            self.start()
            yield
        finally:
            db_dir.chmod(mode)


# ------------------------------------------------------------ HTTP

class PortalSession(requests.Session):
    """requests.Session whose relative URLs go to the portal."""

    def __init__(self, base_url):
        super().__init__()
        self.base_url = base_url

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base_url + url
        kwargs.setdefault("timeout", 30)
        return super().request(method, url, *args, **kwargs)


class _HiddenFields(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        if tag != "input":
            return
        a = dict(attrs)
        if a.get("type", "").lower() == "hidden" and a.get("name"):
            self.fields.setdefault(a["name"], a.get("value") or "")

    handle_startendtag = handle_starttag


def hidden_fields(page):
    parser = _HiddenFields()
    parser.feed(page)
    return parser.fields


def csrf_token(page):
    """The csrf_token hidden field of the first form that has one."""
    token = hidden_fields(page).get("csrf_token")
    if not token:
        raise AssertionError("no csrf_token hidden field in the page")
    return token


def login(session, nrk, password, base_url=None, **kwargs):
    """GETs /login, then POSTs nrk, password and its csrf_token.
    Returns the POST's response without following redirects (a success
    is 303), unless allow_redirects=True is passed."""
    base = base_url if base_url is not None else getattr(session,
                                                         "base_url", "")
    page = session.get(base + "/login", timeout=30)
    page.raise_for_status()
    kwargs.setdefault("allow_redirects", False)
    kwargs.setdefault("timeout", 30)
    return session.post(base + "/login",
                        data={"nrk": nrk, "password": password,
                              "csrf_token": csrf_token(page.text)},
                        **kwargs)
