"""The Debian package as an administrator installs it (packaging/,
`make deb`): its dependencies name Debian 12 packages, it holds what
README.Debian lists, and its own files, unpacked, serve the portal
through the shipped configuration: migrate.sh, the shipped region data,
reset-password.sh with the packaged helper, then a login that must change
the temporary password first."""

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from harness import (APACHE2, REPO, RUN_USER, PortalSession, csrf_token,
                     free_port, is_root, is_warn_or_worse, login,
                     port_answers, selected_driver)

pytestmark = pytest.mark.skipif(
    selected_driver() != "sqlite3",
    reason="the package's own SQLite setup; run once, with the SQLite tests")

MODULES = "/usr/lib/apache2/modules"
SHARE = "/usr/share/mod_pegawai"


@pytest.fixture(scope="module")
def deb():
    out = subprocess.run([str(REPO / "packaging" / "build-deb.sh")],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    path = Path(out.stdout.strip().splitlines()[-1])
    assert path.name.startswith("libapache2-mod-pegawai_")
    return path


@pytest.fixture
def root(deb):
    d = Path(tempfile.mkdtemp(prefix="pegawai-deb-"))
    d.chmod(0o755)
    subprocess.run(["dpkg-deb", "-x", str(deb), str(d / "root")],
                   check=True)
    yield d
    subprocess.run([APACHE2, "-f", str(d / "httpd.conf"), "-k", "stop"],
                   capture_output=True)
    time.sleep(0.5)
    shutil.rmtree(d, ignore_errors=True)


def field(deb, name):
    return subprocess.run(["dpkg-deb", "-f", str(deb), name],
                          capture_output=True, text=True,
                          check=True).stdout.strip()


def test_dependencies_are_debian_packages(deb):
    depends = field(deb, "Depends")
    for group in re.split(r",\s*", depends):
        names = [re.sub(r"\s*\(.*\)", "", alt).strip()
                 for alt in group.split("|")]
        # A virtual package (apache2-api-...) is provided by an installed
        # one; a real one is installed on this Debian 12 machine.
        q = subprocess.run(["dpkg-query", "-W", "-f",
                            "${Package} ${Provides}\\n"],
                           capture_output=True, text=True).stdout
        assert any(re.search(r"(^|[ ,])%s([ ,]|$)" % re.escape(n), q,
                             re.M) for n in names), group
    assert field(deb, "Package") == "libapache2-mod-pegawai"


def test_contents(deb):
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)],
                             capture_output=True, text=True,
                             check=True).stdout
    paths = {l.split()[-1].lstrip(".") for l in listing.splitlines()}
    for p in ("/usr/lib/apache2/modules/mod_pegawai.so",
              "/etc/apache2/mods-available/pegawai.load",
              "/etc/apache2/conf-available/pegawai.conf",
              SHARE + "/templates/profile.html",
              SHARE + "/static/pegawai.css",
              SHARE + "/common-passwords.txt",
              SHARE + "/sql/migrate.sh",
              SHARE + "/wilayah/villages.csv",
              SHARE + "/wilayah/LICENSE.md",
              SHARE + "/tools/reset-password.sh",
              "/usr/lib/mod_pegawai/pgw_temppass"):
        assert p in paths, p
    migrations = sorted(p.name for p in
                        (REPO / "sql" / "migrations").glob("*.sql"))
    assert sorted(Path(p).name for p in paths
                  if p.startswith(SHARE + "/sql/migrations/")
                  and p.endswith(".sql")) == migrations
    conffiles = subprocess.run(["dpkg-deb", "--ctrl-tarfile", str(deb)],
                               capture_output=True, check=True).stdout
    assert b"conffiles" in conffiles


def relocated(text, root):
    return (text.replace(MODULES + "/mod_pegawai.so",
                         str(root / "root" / MODULES.lstrip("/")
                             / "mod_pegawai.so"))
            .replace(SHARE, str(root / "root" / SHARE.lstrip("/")))
            .replace("/var/lib/mod_pegawai",
                     str(root / "root" / "var/lib/mod_pegawai")))


def run(cmd, **kwargs):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                          check=True, **kwargs)


def test_the_packaged_files_serve_the_portal(root):
    share = root / "root" / SHARE.lstrip("/")
    etc = root / "root" / "etc" / "apache2"
    dbdir = root / "root" / "var/lib/mod_pegawai"
    dbdir.mkdir(parents=True)
    db = dbdir / "pegawai.sqlite"
    # README.Debian's steps, from the package's own files.
    run([str(share / "sql" / "migrate.sh"), "sqlite3", str(db)])
    run([str(share / "tools" / "wilayah.sh"), "--csv",
         str(share / "wilayah"), "sqlite3", str(db)])
    demo = run([str(REPO / "build" / "pgw_demo"), "--count", "0"]).stdout
    subprocess.run(["sqlite3", "-bail", str(db)], input=demo, text=True,
                   check=True, capture_output=True)
    if is_root():
        shutil.chown(dbdir, RUN_USER, RUN_USER)
        for f in dbdir.iterdir():
            shutil.chown(f, RUN_USER, RUN_USER)
    reset = run([str(share / "tools" / "reset-password.sh"), "sqlite3",
                 str(db), "181678"],
                env=dict(os.environ, PGW_TEMPPASS=str(
                    root / "root" / "usr/lib/mod_pegawai/pgw_temppass")))
    temporary = re.search(r"NRK 181678: (\S+)", reset.stdout).group(1)

    port = free_port()
    user = "User %s\nGroup %s\n" % (RUN_USER, RUN_USER) if is_root() \
        else ""
    mods = "".join("LoadModule %s_module %s/mod_%s.so\n" % (m, MODULES, m)
                   for m in ("mpm_event", "authz_core", "authn_core",
                             "auth_basic", "dbd", "alias", "mime"))
    conf = root / "httpd.conf"
    conf.write_text(
        'ServerRoot "%s"\nServerName 127.0.0.1\nListen 127.0.0.1:%d\n'
        'PidFile "%s/httpd.pid"\nMutex file:%s default\n'
        'ErrorLog "%s/error.log"\nTypesConfig /etc/mime.types\n%s%s'
        % (root, port, root, root, root, user, mods)
        + relocated((etc / "mods-available" / "pegawai.load").read_text(),
                    root)
        + relocated((etc / "conf-available" / "pegawai.conf").read_text(),
                    root))
    assert "Syntax OK" in run([APACHE2, "-t", "-f", str(conf)]).stderr
    run([APACHE2, "-f", str(conf), "-k", "start"])
    deadline = time.monotonic() + 30
    while not (port_answers(port) and (root / "httpd.pid").exists()):
        assert time.monotonic() < deadline, "the packaged portal is not up"
        time.sleep(0.1)

    s = PortalSession("http://127.0.0.1:%d" % port)
    assert s.get("/static/pegawai.css").status_code == 200
    assert login(s, "181678", "rahasia-demo").status_code == 401
    assert login(s, "181678", temporary).status_code == 303
    r = s.get("/profile", allow_redirects=False)
    assert r.headers["Location"] == "/akun/password"
    page = s.get("/akun/password").text
    r = s.post("/akun/password", allow_redirects=False,
               data={"csrf_token": csrf_token(page),
                     "password_lama": temporary,
                     "password_baru": "Jalan-Pebayuran-1983",
                     "password_baru2": "Jalan-Pebayuran-1983"})
    assert r.status_code == 303
    profile = s.get("/profile")
    assert profile.status_code == 200
    assert "181678 - 198306112010111019" in profile.text
    loud = [l for l in (root / "error.log").read_text().splitlines()
            if is_warn_or_worse(l)]
    assert loud == []
