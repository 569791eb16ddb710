"""pytest fixtures that run the portal in a real apache2.

PEGAWAI_TEST_DB selects the database: sqlite3 (default) or pgsql. For
pgsql a fresh database pegawai_test_<pid> is made through PEGAWAI_PG_DSN
(default: the role tools/pg-test-setup.sh creates) and dropped at the end.

Every test fails when Apache's error log gains a line at warn or above
that the test did not declare with expect_log(regex).

Other variables: PEGAWAI_TEST_KEEP=1 keeps the server root after the run
(it is kept anyway when a test failed), PEGAWAI_TEST_LOGLEVEL sets
LogLevel, PEGAWAI_TEST_DEMO_COUNT the number of generated employees.
"""

import os
import time

import pytest

from harness import (LogWatch, Portal, PortalSession, pg_dsn,
                     pg_unreachable_reason, running_in_ci, selected_driver)

# Why the PostgreSQL run cannot happen, when it cannot.
_pg_problem = None


def pytest_configure(config):
    global _pg_problem
    try:
        driver = selected_driver()
    except ValueError as e:
        raise pytest.UsageError(str(e))
    if driver != "pgsql":
        return
    _pg_problem = pg_unreachable_reason(pg_dsn())
    if _pg_problem and running_in_ci():
        raise pytest.UsageError(
            "PostgreSQL is required under CI=true but is unreachable: %s"
            % _pg_problem)


def pytest_collection_modifyitems(config, items):
    if not _pg_problem:
        return
    skip = pytest.mark.skip(reason="PostgreSQL unreachable: " + _pg_problem)
    for item in items:
        if "portal" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not _pg_problem:
        return
    tr = terminalreporter
    tr.write_sep("!", "PostgreSQL integration tests were SKIPPED", red=True,
                 bold=True)
    tr.write_line(_pg_problem, red=True)
    tr.write_line("Start a test cluster as root with "
                  "`tools/pg-test-setup.sh`, or point PEGAWAI_PG_DSN at a "
                  "role that may CREATE DATABASE.", red=True)


@pytest.fixture(scope="session")
def portal(request):
    """The running portal (harness.Portal): base_url, data, error_log,
    sql(query, *params), stop(), start(), restart(), db_outage()."""
    driver = selected_driver()
    p = Portal(driver, admin_dsn=pg_dsn() if driver == "pgsql" else None)
    try:
        p.setup()
    except BaseException:
        p.teardown(keep=True)
        print("\nserver root kept in %s" % p.data)
        raise
    yield p
    keep = bool(os.environ.get("PEGAWAI_TEST_KEEP")) \
        or request.session.testsfailed > 0
    p.teardown(keep)
    if keep:
        print("\nserver root kept in %s" % p.data)


@pytest.fixture(autouse=True)
def expect_log(portal):
    """Guards every test against unexpected error-log lines. A test that
    expects some calls expect_log(r"PGW00042: ") first; expect_log.lines()
    gives every line written since the test began."""
    watch = LogWatch(portal.error_log)
    yield watch
    # A request's last log line may be written just after its response.
    time.sleep(0.05)
    watch.check()


@pytest.fixture
def client(portal):
    """A requests.Session whose relative URLs go to the portal."""
    with PortalSession(portal.base_url) as s:
        yield s
