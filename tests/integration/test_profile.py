"""The profile page (manual section 2), its headers and its escaping."""

import html
import re

import pytest

from harness import login

DEMO_PASSWORD = "rahasia-demo"

# The manual's first screenshot (Gambar 1), grades read as PRODUCT.md says.
MANUAL_181679 = [
    ("03-01-2017", "PUSAT DATA DAN INFORMASI KEPEGAWAIAN",
     "STAF TEKNIK TINGKAT TERAMPIL", "PENGATUR TK.I (II/D)", "00",
     "12 TAHUN 2017", "03-01-2017"),
    ("01-09-2016", "PUSAT DATA DAN INFORMASI KEPEGAWAIAN",
     "STAF TEKNIK TINGKAT TERAMPIL", "PENGATUR TK.I (II/D)", "00",
     "28/2016", "31-08-2016"),
    ("02-01-2015", "BADAN KEPEGAWAIAN DAERAH",
     "STAF TEKNIK TINGKAT TERAMPIL", "PENGATUR (II/C)", "00",
     "01 Tahun 2015", "08-04-2015"),
    ("02-05-2011", "BADAN KEPEGAWAIAN DAERAH", "STAF", "PENGATUR (II/C)",
     "00", "516/2011", "11-04-2011"),
]


def table_rows(page):
    """The cells of the Jabatan Struktural table body, as text."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    assert body, "no table body"
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        rows.append(tuple(html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                          for c in cells))
    return rows


def header_cells(page):
    head = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]


@pytest.fixture
def employee(portal, client):
    portal.sql("DELETE FROM login_throttle")
    assert login(client, "181679", DEMO_PASSWORD).status_code == 303
    return client


def test_profile_shows_the_manuals_table(employee):
    r = employee.get("/profile")
    assert r.status_code == 200
    assert header_cells(r.text) == ["No", "TMT", "Lokasi", "Jabatan",
                                    "Pangkat (Gol)", "Eselon", "No. SK",
                                    "Tg. SK"]
    rows = table_rows(r.text)
    assert [row[1:] for row in rows] == MANUAL_181679
    assert [row[0] for row in rows] == ["1", "2", "3", "4"]


def header_facts(page):
    """The header's facts (manual Gambar 1 and 3), label to value, read
    from the header's own list and not from the table below it."""
    facts = re.search(r'<dl class="facts">(.*?)</dl>', page, re.S).group(1)
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", facts, re.S)
    return {html.unescape(k).strip(): html.unescape(v).strip()
            for k, v in pairs}


def test_profile_header(employee):
    page = employee.get("/profile").text
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "181679 - 198307052011011018" in text
    assert header_facts(page) == {
        "Tempat, tanggal lahir": "JAKARTA, 05-07-1983",
        # A staff post: pelaksana (U), no eselon, grade II/d.
        "Status / Jabatan / Eselon / Pangkat":
            "PNS / U / NON ESELON / PENGATUR TK.I (II/D)",
        "Unit kerja": "PUSAT DATA DAN INFORMASI KEPEGAWAIAN",
        "Jabatan": "STAF TEKNIK TINGKAT TERAMPIL",
        "Lokasi kerja": "PUSAT DATA DAN INFORMASI KEPEGAWAIAN",
    }


def test_second_demo_employee(portal, client):
    portal.sql("DELETE FROM login_throttle")
    login(client, "181678", DEMO_PASSWORD)
    page = client.get("/profile").text
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "181678 - 198306112010111019" in text
    # Gambar 3: PNS / S / NON ESELON / PENGATUR TK.I (II/D), the unit,
    # then the jabatan.
    assert header_facts(page) == {
        "Tempat, tanggal lahir": "PEBAYURAN, 11-06-1983",
        "Status / Jabatan / Eselon / Pangkat":
            "PNS / S / NON ESELON / PENGATUR TK.I (II/D)",
        "Unit kerja": "PUSAT DATA DAN INFORMASI KEPEGAWAIAN",
        "Jabatan": "KEPALA SATUAN PELAKSANA SISTEM INFORMASI KEPEGAWAIAN",
        "Lokasi kerja": "PUSAT DATA DAN INFORMASI KEPEGAWAIAN",
    }
    rows = table_rows(page)
    assert len(rows) == 5
    assert rows[0][1] == "03-04-2017"
    assert rows[0][3] == "KEPALA SATUAN PELAKSANA SISTEM INFORMASI " \
                         "KEPEGAWAIAN"
    assert rows[-1][1:] == ("02-05-2011", "BADAN KEPEGAWAIAN DAERAH",
                            "STAF", "PENGATUR (II/C)", "00", "516/2011",
                            "11-04-2011")


def test_security_headers(employee):
    for path in ("/profile", "/login", "/tidak-ada"):
        r = employee.get(path, allow_redirects=False)
        csp = r.headers["Content-Security-Policy"]
        for part in ("default-src 'self'", "frame-ancestors 'none'",
                     "object-src 'none'", "base-uri 'none'"):
            assert part in csp, (path, csp)
        assert "unsafe-inline" not in csp
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"]
        assert r.headers["Cache-Control"] == "no-store"


def test_no_inline_script_or_style(employee):
    page = employee.get("/profile").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert " style=" not in page and "<style" not in page
    assert not re.search(r"\son[a-z]+=", page)


def test_values_are_escaped(portal, client):
    portal.sql("DELETE FROM login_throttle")
    nrk = portal.sql("SELECT nrk FROM account WHERE nrk NOT IN "
                     "('181678', '181679') ORDER BY nrk LIMIT 1 OFFSET 40"
                     )[0][0]
    evil = "<script>alert('x')</script>\"&"
    portal.sql("UPDATE pegawai SET nama = ?, jabatan = ? WHERE nrk = ?",
               evil, evil, nrk)
    portal.sql("UPDATE riwayat_jabatan SET no_sk = ? WHERE nrk = ?", evil,
               nrk)
    login(client, nrk, DEMO_PASSWORD)
    page = client.get("/profile").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page \
        or "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_navigation_shows_only_pages_that_exist(employee):
    page = employee.get("/profile").text
    links = set(re.findall(r'href="(/[^"]*)"', page))
    static = {l for l in links if l.startswith("/static/")}
    for link in links - static:
        r = employee.get(link, allow_redirects=False)
        assert r.status_code in (200, 303), (link, r.status_code)
    forms = set(re.findall(r'action="(/[^"]*)"', page))
    assert forms <= {"/logout"}


def test_another_employees_profile_is_not_reachable(employee):
    # The NRK comes from the session; parameters change nothing.
    for path in ("/profile?nrk=181678", "/profile/181678",
                 "/profile?nip=198306112010111019"):
        r = employee.get(path, allow_redirects=False)
        assert "198306112010111019" not in r.text
        assert "PEBAYURAN" not in r.text


def test_access_log_names_the_user(portal, employee):
    employee.get("/profile?access-log-marker=1")
    assert " 181679 " in portal.access_line("access-log-marker")
