"""The directives as an administrator meets them: `apache2 -t` accepts the
reference configuration and refuses wrong values and broken templates
with a message that names the directive or the file and line."""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from harness import REPO

MODULE = REPO / "mod_pegawai" / ".libs" / "mod_pegawai.so"
MODULES = "/usr/lib/apache2/modules"
CONF_DOC = REPO / "conf" / "pegawai.conf"


def configtest(body, tmp):
    conf = tmp / "httpd.conf"
    conf.write_text(f"""
ServerRoot "{tmp}"
ServerName 127.0.0.1
Listen 127.0.0.1:1
PidFile "{tmp}/httpd.pid"
ErrorLog "{tmp}/error.log"
LoadModule mpm_event_module {MODULES}/mod_mpm_event.so
LoadModule authz_core_module {MODULES}/mod_authz_core.so
LoadModule authn_core_module {MODULES}/mod_authn_core.so
LoadModule authn_file_module {MODULES}/mod_authn_file.so
LoadModule auth_basic_module {MODULES}/mod_auth_basic.so
LoadModule dbd_module {MODULES}/mod_dbd.so
LoadModule alias_module {MODULES}/mod_alias.so
LoadModule pegawai_module {MODULE}
PegawaiCommonPasswords "{REPO}/conf/common-passwords.txt"
{body}
""")
    return subprocess.run(["/usr/sbin/apache2", "-t", "-f", str(conf)],
                          capture_output=True, text=True)


@pytest.fixture
def tmp():
    d = Path(tempfile.mkdtemp(prefix="pegawai-conf-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


def templates(tmp):
    return f'PegawaiTemplateDir "{REPO}/htdocs/templates"'


def test_reference_configuration_is_valid(tmp):
    text = CONF_DOC.read_text()
    text = re.sub(r"^LoadModule .*$", "", text, flags=re.M)
    text = text.replace("/usr/share/mod_pegawai/templates",
                        str(REPO / "htdocs" / "templates"))
    text = text.replace("/usr/share/mod_pegawai/static",
                        str(REPO / "htdocs" / "static"))
    text = text.replace("/var/lib/mod_pegawai", str(tmp))
    text = text.replace("/usr/share/mod_pegawai/common-passwords.txt",
                        str(REPO / "conf" / "common-passwords.txt"))
    r = configtest(text, tmp)
    assert r.returncode == 0, r.stderr
    assert "Syntax OK" in r.stderr


@pytest.mark.parametrize("line, message", [
    ("PegawaiSessionIdleTimeout 5", "PegawaiSessionIdleTimeout"),
    ("PegawaiSessionIdleTimeout lama", "from 60 to 86400"),
    ("PegawaiSessionMaxAge 99999999", "PegawaiSessionMaxAge"),
    ("PegawaiThrottleAccount 500", "from 5 to 100"),
    ("PegawaiThrottleAddress 1", "PegawaiThrottleAddress"),
    ("PegawaiDeviceCookieMaxAge -1", "PegawaiDeviceCookieMaxAge"),
    ("PegawaiCookieSecure Kadang", "Auto, On or Off"),
    ("PegawaiPasswordCost 1 19456", "from 2 to 20"),
    ("PegawaiPasswordCost 2 1024", "from 19456"),
    ("PegawaiMaxFormBody 10", "PegawaiMaxFormBody"),
    ("PegawaiPasswordConcurrency 0", "from 1 to 256"),
    ("PegawaiStaticURL static", "PegawaiStaticURL"),
    ("<Location /login>\nPegawaiLoginProviders tidakada\n</Location>",
     "unknown authn provider 'tidakada'"),
    ("Pegawai Mungkin", "Pegawai"),
    ("PegawaiCommonPasswords /tidak/ada.txt", "PegawaiCommonPasswords"),
    ("PegawaiPhotoTypes gif", "jpeg or png"),
    ("PegawaiPhotoMaxSize 5", "PegawaiPhotoMaxSize"),
    ("PegawaiPhotoMinSize 300", "WIDTHxHEIGHT"),
    ("PegawaiPhotoAspect 3-4", "W:H"),
    ("PegawaiPhotoOutput 600x800 101", "from 30 to 100"),
    ("PegawaiPhotoMaxPixels 10", "PegawaiPhotoMaxPixels"),
    ("PegawaiPhotoConcurrency 0", "PegawaiPhotoConcurrency"),
    ("PegawaiPhotoConcurrency 65", "from 1 to 64"),
    # Rules that together refuse every photo.
    ("PegawaiPhotoAspect 4:3", "PegawaiPhotoPortrait On and "
     "PegawaiPhotoAspect"),
    ("PegawaiPhotoPortrait On\nPegawaiPhotoAspect 1:1 4:3 0%",
     "PegawaiPhotoPortrait On and PegawaiPhotoAspect"),
    ("PegawaiPhotoMinSize 5000x5000\nPegawaiPhotoMaxPixels 20000000",
     "PegawaiPhotoMinSize is more pixels than PegawaiPhotoMaxPixels"),
])
def test_wrong_values_name_the_directive(tmp, line, message):
    r = configtest(templates(tmp) + "\n" + line, tmp)
    assert r.returncode != 0
    assert message in r.stderr, r.stderr


@pytest.mark.parametrize("lines", [
    "PegawaiPhotoPortrait Off\nPegawaiPhotoAspect 4:3",
    # 5% of 1:1 reaches photos a little taller than wide
    "PegawaiPhotoAspect 1:1 5%",
    "PegawaiPhotoAspect any",
    "PegawaiPhotoMinSize 4000x5000\nPegawaiPhotoMaxPixels 20000000",
])
def test_rules_that_admit_some_photo_are_accepted(tmp, lines):
    r = configtest(templates(tmp) + "\n" + lines, tmp)
    assert r.returncode == 0, r.stderr


def vhost(main, inside):
    return ("%s\n<VirtualHost 127.0.0.1:1>\nServerName vhost.test\n%s\n"
            "</VirtualHost>" % (main, inside))


def test_photo_rules_are_inherited_one_by_one(tmp):
    """A virtual host that sets one photo rule keeps the main server's
    others: its aspect 4:3 is valid only with the main server's
    PegawaiPhotoPortrait Off, and its minimum size is refused only
    against the main server's pixel limit."""
    r = configtest(templates(tmp) + "\n" + vhost(
        "PegawaiPhotoPortrait Off", "PegawaiPhotoAspect 4:3"), tmp)
    assert r.returncode == 0, r.stderr
    r = configtest(templates(tmp) + "\n" + vhost(
        "PegawaiPhotoMaxPixels 1000000", "PegawaiPhotoMinSize 2000x2000"),
        tmp)
    assert r.returncode != 0
    assert "PegawaiPhotoMinSize is more pixels" in r.stderr, r.stderr
    # and a virtual host's own rule wins over the main server's
    r = configtest(templates(tmp) + "\n" + vhost(
        "PegawaiPhotoPortrait Off", "PegawaiPhotoPortrait On\n"
        "PegawaiPhotoAspect 4:3"), tmp)
    assert r.returncode != 0
    assert "PegawaiPhotoPortrait On and" in r.stderr, r.stderr


def test_documented_defaults_are_accepted(tmp):
    """Every directive, set to the default conf/pegawai.conf documents,
    passes configtest: the reference and the parser agree."""
    blocks = re.findall(r"# Directive:\s*(\w+)\n# Syntax:.*\n# Default:\s*"
                        r"(.+)\n# Context:\s*(.+)", CONF_DOC.read_text())
    assert len(blocks) >= 13
    lines = []
    for name, default, context in blocks:
        if name == "Pegawai":
            lines.append("<Location /x>\nPegawai %s\n</Location>" % default)
        elif "directory" in context:
            lines.append("<Location /y>\n%s %s\n</Location>"
                         % (name, default))
        elif name in ("PegawaiTemplateDir", "PegawaiCommonPasswords"):
            continue
        else:
            lines.append("%s %s" % (name, default))
    r = configtest(templates(tmp) + "\n" + "\n".join(lines), tmp)
    assert r.returncode == 0, r.stderr


def test_broken_template_fails_configtest_with_file_and_line(tmp):
    broken = tmp / "templates"
    shutil.copytree(REPO / "htdocs" / "templates", broken)
    page = broken / "login.html"
    lines = page.read_text().splitlines()
    body = next(i for i, l in enumerate(lines) if "<body" in l)
    lines.insert(body + 1, "<p>tidak ditutup")
    page.write_text("\n".join(lines) + "\n")
    r = configtest(f'PegawaiTemplateDir "{broken}"', tmp)
    assert r.returncode != 0
    assert re.search(r"login\.html:\d+", r.stderr), r.stderr


def test_unknown_template_directive_fails(tmp):
    broken = tmp / "templates"
    shutil.copytree(REPO / "htdocs" / "templates", broken)
    page = broken / "error.html"
    page.write_text(page.read_text().replace(
        'data-pgw-text="title"', 'data-pgw-tekst="title"', 1))
    r = configtest(f'PegawaiTemplateDir "{broken}"', tmp)
    assert r.returncode != 0
    assert "error.html:" in r.stderr, r.stderr


def test_missing_template_dir(tmp):
    r = configtest(f'PegawaiTemplateDir "{tmp}/tidak-ada"', tmp)
    assert r.returncode != 0
    assert "PegawaiTemplateDir" in r.stderr


def test_default_files_are_checked_by_configtest(tmp):
    """Without PegawaiTemplateDir and PegawaiCommonPasswords the module
    takes the packaged paths under /usr/share/mod_pegawai; where they are
    missing, `apache2 -t` fails and names the directive to set, rather
    than saying "Syntax OK" for a server that cannot start."""
    if Path("/usr/share/mod_pegawai").exists():
        pytest.skip("the packaged files are installed on this machine")
    conf = tmp / "httpd.conf"
    r = configtest(templates(tmp), tmp)
    assert r.returncode == 0, r.stderr
    text = conf.read_text().replace("PegawaiCommonPasswords", "#")
    conf.write_text(text)
    r = subprocess.run(["/usr/sbin/apache2", "-t", "-f", str(conf)],
                       capture_output=True, text=True)
    assert r.returncode != 0
    assert "PGW00004" in r.stderr and "PegawaiCommonPasswords" in r.stderr
    r = configtest("", tmp)
    assert r.returncode != 0
    assert "PGW00001" in r.stderr and "PegawaiTemplateDir" in r.stderr
