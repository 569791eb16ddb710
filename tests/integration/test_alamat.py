"""Riwayat Alamat (issue 4, manual section 3): the address history at
/riwayat/alamat, Tambah Data, corrections (ubah) and deletions (hapus),
and the region lists behind the form's selects (/riwayat/alamat/wilayah),
against a real apache2 on SQLite or PostgreSQL.

Tests that change data work on generated employees, each on its own
(offsets 280 to 299 of the generated NRKs, then 220 to 229, which no
other test file uses), so that they neither disturb one another nor the manual's two
employees the other tests read. Pages are read by field names, values
and hidden inputs, not by their layout.
"""

import hashlib
import html
import html.parser
import contextlib
import json
import re
import subprocess
import threading
import time

import pytest

from harness import PortalSession, csrf_token, hidden_fields, login

DEMO_PASSWORD = "rahasia-demo"
SESSION_COOKIE = "pgw_sesi"
# The first generated employee these tests use (see the docstring).
BASE_OFFSET = 280
# Where they go on from the twentieth (the demo has 300 generated ones).
NEXT_OFFSET = 220

# The form's fields and riwayat_alamat's columns (pgw_alamat.h), in the
# order the form shows them, with the labels its messages use.
FIELDS = ["tanggal_mulai", "alamat", "rt", "rw", "provinsi", "kota",
          "kecamatan", "kelurahan", "kode_pos", "ktp_sama", "alamat_ktp",
          "rt_ktp", "rw_ktp", "provinsi_ktp", "kota_ktp", "kecamatan_ktp",
          "kelurahan_ktp", "kode_pos_ktp", "keterangan"]
REGIONS = ["provinsi", "kota", "kecamatan", "kelurahan"]
# The eight columns of an address; the KTP's carry the suffix _ktp.
ADDRESS = ["alamat", "rt", "rw"] + REGIONS + ["kode_pos"]

# A residence in Jakarta Pusat as typed (RT and RW without their zeros,
# the date as a date input sends it) and as stored.
HOME = {
    "tanggal_mulai": "2017-01-03", "alamat": "Jl. Kebon Sirih No. 18",
    "rt": "5", "rw": "03", "provinsi": "31", "kota": "31.71",
    "kecamatan": "31.71.01", "kelurahan": "31.71.01.1005",
    "kode_pos": "10120", "keterangan": "Rumah keluarga",
}
HOME_STORED = dict(HOME, tanggal_mulai="2017-01-03", rt="005", rw="003")
# A KTP address in Bandung (Jawa Barat: postal codes 40xxx fit).
KTP = {
    "alamat_ktp": "Jl. Setrasari Kulon No. 7", "rt_ktp": "2",
    "rw_ktp": "11", "provinsi_ktp": "32", "kota_ktp": "32.73",
    "kecamatan_ktp": "32.73.01", "kelurahan_ktp": "32.73.01.1002",
    "kode_pos_ktp": "40152",
}
KTP_STORED = dict(KTP, rt_ktp="002", rw_ktp="011")
# The KTP block left as a form shows it when the checkbox hides it.
KTP_EMPTY = {f + "_ktp": "" for f in ADDRESS}
DKI_KOTA = ["31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]


@pytest.fixture(autouse=True)
def fresh_throttle(portal):
    """Every test logs in from 127.0.0.1; start with no failures."""
    portal.sql("DELETE FROM login_throttle")
    yield


# ------------------------------------------------------------ helpers

def employee(portal, k):
    """The NRK of the k-th generated employee these tests own."""
    assert 0 <= k < 30
    rows = portal.sql("SELECT nrk FROM account WHERE nrk NOT IN "
                      "('181678', '181679') ORDER BY nrk LIMIT 1 OFFSET ?",
                      BASE_OFFSET + k if k < 20 else NEXT_OFFSET + k - 20)
    assert rows, "too few generated employees"
    return rows[0][0]


def session_for(portal, nrk):
    s = PortalSession(portal.base_url)
    r = login(s, nrk, DEMO_PASSWORD)
    assert r.status_code == 303, r.status_code
    return s


def entries(portal, nrk):
    """The employee's riwayat_alamat rows, oldest id first: dicts of
    every field plus id and versi."""
    cols = ["id", "versi"] + ["CAST(tanggal_mulai AS TEXT)"] + FIELDS[1:]
    rows = portal.sql("SELECT %s FROM riwayat_alamat WHERE nrk = ? "
                      "ORDER BY id" % ", ".join(cols), nrk)
    return [dict(zip(["id", "versi"] + FIELDS, row)) for row in rows]


def only_entry(portal, nrk):
    got = entries(portal, nrk)
    assert len(got) == 1, got
    return got[0]


def audit_rows(portal, nrk, action=None):
    """(actor, subject, action, column, old, new, at, ip) of the
    address history's audit rows."""
    query = ("SELECT actor, subject_nrk, action, column_name, old_value, "
             "new_value, at, client_ip FROM audit_log WHERE subject_nrk = ? "
             "AND table_name = 'riwayat_alamat'")
    params = [nrk]
    if action:
        query += " AND action = ?"
        params.append(action)
    return portal.sql(query + " ORDER BY id", *params)


def audit_keys(portal, nrk, action):
    """The row_key of each audit row of action: the entry's id."""
    return [k for (k,) in portal.sql(
        "SELECT row_key FROM audit_log WHERE subject_nrk = ? AND "
        "table_name = 'riwayat_alamat' AND action = ? ORDER BY id",
        nrk, action)]


def snapshot(portal, nrk):
    """Everything a refused request must leave as it was."""
    return entries(portal, nrk), len(audit_rows(portal, nrk))


class _Forms(html.parser.HTMLParser):
    """Every form of a page: its method and action, the values a browser
    would submit from it (text inputs, hidden inputs, checked boxes,
    selected options, textareas) and the options each select offers."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._select = None
        self._textarea = None

    def _form(self):
        if not self.forms:
            self.handle_starttag("form", [])
        return self.forms[-1]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"),
                               "method": (a.get("method") or "get").lower(),
                               "fields": {}, "names": set(), "options": {},
                               "checkboxes": {}})
        elif tag == "input" and a.get("name"):
            f = self._form()
            f["names"].add(a["name"])
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                if kind == "checkbox":
                    f["checkboxes"][a["name"]] = a.get("value") or "on"
                if "checked" in a:
                    f["fields"][a["name"]] = a.get("value") or "on"
                else:
                    f["fields"].setdefault(a["name"], None)
            elif kind not in ("submit", "button", "reset", "image"):
                f["fields"][a["name"]] = a.get("value") or ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            f = self._form()
            f["names"].add(a["name"])
            f["fields"].setdefault(a["name"], None)
            f["options"].setdefault(a["name"], [])
        elif tag == "option" and self._select:
            value = a.get("value")
            f = self._form()
            if value:
                f["options"][self._select].append(value)
            if "selected" in a:
                f["fields"][self._select] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            f = self._form()
            f["names"].add(a["name"])
            f["fields"][a["name"]] = ""

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self._textarea:
            f = self._form()
            f["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the line break that opens a textarea.
            f = self._form()
            value = f["fields"][self._textarea]
            if value.startswith("\n"):
                f["fields"][self._textarea] = value[1:]
            self._textarea = None


def forms(page):
    parser = _Forms()
    parser.feed(page)
    parser.close()
    return parser.forms


def address_form(page):
    """The address form of a page (the one with an alamat field)."""
    for f in forms(page):
        if "alamat" in f["names"] and "kelurahan" in f["names"]:
            return f
    raise AssertionError("no address form in the page")


def text_of(page):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def message_at_field(page, field, message):
    """True when message is written next to field: one of its places in
    the page is nearer to an input of that field than to any other
    field's input (a select counting up to its last option)."""
    spans = []
    for name in FIELDS:
        for m in re.finditer(r'name="%s"' % name, page):
            start = page.rfind("<", 0, m.start())
            end = page.find(">", m.end())
            if page.startswith("<select", start):
                end = page.find("</select>", m.end())
            spans.append((start, end, name))
    assert any(n == field for _, _, n in spans), "no input " + field
    places = set()
    for variant in (message, html.escape(message, quote=True),
                    html.escape(message, quote=False)):
        places |= {m.start() for m in re.finditer(re.escape(variant), page)}
    for place in places:
        nearest = min(spans, key=lambda x: max(0, x[0] - place,
                                               place - x[1]))
        if nearest[2] == field:
            return True
    return False


def open_tambah(s):
    r = s.get("/riwayat/alamat/tambah")
    assert r.status_code == 200, r.status_code
    return r.text


def open_ubah(s, entry_id):
    r = s.get("/riwayat/alamat/ubah?id=%s" % entry_id)
    assert r.status_code == 200, r.status_code
    return r.text


def post_address(s, page, changes=(), drop=(), extra=(), url=None,
                 **kwargs):
    """SIMPAN on page's address form: what it shows and carries (the
    csrf_token, versi and konfirmasi hidden fields), changes typed over
    it (a value None unticks the checkbox), and extra pairs appended;
    the fields in drop left out. Goes to the form's own action unless
    url is given."""
    f = address_form(page)
    values = {k: v for k, v in f["fields"].items() if v is not None}
    for k, v in dict(changes).items():
        if v is None:
            values.pop(k, None)
        else:
            values[k] = v
    pairs = [(k, v) for k, v in values.items() if k not in drop]
    pairs += list(extra)
    kwargs.setdefault("allow_redirects", False)
    return s.post(url or html.unescape(f["action"]), data=pairs, **kwargs)


def typed(ktp_sama=True, **changes):
    """The whole form as an employee types it: the residence, then the
    checkbox ticked with the KTP block left empty, or the Bandung KTP
    address."""
    values = dict(HOME)
    if ktp_sama:
        values.update(KTP_EMPTY, ktp_sama="on")
    else:
        values.update(KTP, ktp_sama=None)
    values.update(changes)
    return values


def shown_errors(page):
    """The messages of a refused form and the warnings, for a failing
    test's report (never asserted on: they are found by layout)."""
    return [text_of(m) for m in re.findall(
        r'<(?:p|li)[^>]*class="[^"]*(?:error|galat)[^"]*"[^>]*>(.*?)</',
        page, re.S) if text_of(m)] + [text_of(m) for m in re.findall(
            r"<li[^>]*>(.*?)</li>", page, re.S) if "lazim" in m]


def add(s, changes):
    """Tambah Data with changes; expects the 303 back to the list."""
    r = post_address(s, open_tambah(s), changes)
    assert r.status_code == 303, (r.status_code, shown_errors(r.text))
    assert r.headers["Location"] == "/riwayat/alamat?tampilkan=1&disimpan=1"
    return r


def list_page(s):
    r = s.get("/riwayat/alamat?tampilkan=1")
    assert r.status_code == 200, r.status_code
    return r.text


def listed_ids(page):
    """The entry ids in the order the list shows them."""
    ids = []
    for i in re.findall(r"/riwayat/alamat/ubah\?id=(\d+)", page):
        if i not in ids:
            ids.append(i)
    return ids


# How the list marks the current address (the newest).
CURRENT_MARK = "Alamat saat ini"


def row_texts(page, ids):
    """The text of the list's row of each entry id: the table row (or
    list item) that holds the entry's ubah link."""
    rows = {}
    for m in re.finditer(r"<(tr|li|article)\b[^>]*>(.*?)</\1>", page, re.S):
        found = re.search(r"/riwayat/alamat/ubah\?id=(\d+)", m.group(2))
        if found:
            rows.setdefault(found.group(1), text_of(m.group(2)))
    assert set(ids) <= set(rows), (ids, list(rows))
    return [rows[i] for i in ids]


def session_hash(s):
    return hashlib.sha256(s.cookies.get(SESSION_COOKIE).encode()).hexdigest()


def expire(portal, s):
    portal.sql("UPDATE session SET seen_at = seen_at - 4000 "
               "WHERE token_hash = ?", session_hash(s))


def children(portal, code):
    """The region codes under code, from the database."""
    table, parent = {2: ("wilayah_kabupaten", "provinsi"),
                     5: ("wilayah_kecamatan", "kabupaten"),
                     8: ("wilayah_kelurahan", "kecamatan")}[len(code)]
    return [k for (k,) in portal.sql("SELECT kode FROM %s WHERE %s = ? "
                                     "ORDER BY kode" % (table, parent),
                                     code)]


def region_name(portal, code):
    table = {2: "wilayah_provinsi", 5: "wilayah_kabupaten",
             8: "wilayah_kecamatan", 13: "wilayah_kelurahan"}[len(code)]
    return portal.sql("SELECT nama FROM %s WHERE kode = ?" % table,
                      code)[0][0]


# ------------------------------------------------------------ the page

def test_the_page_requires_a_session(client):
    for path in ("/riwayat/alamat", "/riwayat/alamat?tampilkan=1",
                 "/riwayat/alamat/tambah", "/riwayat/alamat/ubah?id=1"):
        r = client.get(path, allow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["Location"] == "/login", path
    for path in ("/riwayat/alamat/tambah", "/riwayat/alamat/ubah?id=1",
                 "/riwayat/alamat/hapus"):
        r = client.post(path, data={"id": "1", "versi": "1",
                                    "csrf_token": "A" * 43},
                        allow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["Location"].startswith("/login"), path


def test_tampilkan_lists_without_scripts(portal):
    nrk = employee(portal, 0)
    s = session_for(portal, nrk)
    add(s, typed(alamat="Jl. Tampilkan Tanpa Skrip 1"))
    r = s.get("/riwayat/alamat")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert r.headers["Cache-Control"] == "no-store"
    text = text_of(r.text)
    assert "Riwayat Alamat" in text
    # Tampilkan is a plain GET form to the same page; the history shows
    # only once it is pressed.
    tampilkan = [f for f in forms(r.text)
                 if f["method"] == "get" and "tampilkan" in f["names"]]
    assert tampilkan, "no Tampilkan form"
    assert tampilkan[0]["action"] in ("/riwayat/alamat", "", None)
    assert re.search(r">\s*Tampilkan\s*<", r.text)
    assert "Jl. Tampilkan Tanpa Skrip 1" not in text
    assert 'href="/riwayat/alamat/tambah"' in r.text
    assert "Tambah Data" in text

    page = s.get("/riwayat/alamat", params=tampilkan[0]["fields"]).text
    assert "Jl. Tampilkan Tanpa Skrip 1" in text_of(page)


# ------------------------------------------------------------ adding

def test_add_with_the_checkbox_stores_the_residence_as_ktp(portal):
    nrk = employee(portal, 1)
    s = session_for(portal, nrk)
    page = open_tambah(s)
    f = address_form(page)
    assert html.unescape(f["action"]) == "/riwayat/alamat/tambah"
    assert set(FIELDS) <= f["names"]
    assert f["fields"]["csrf_token"] == csrf_token(page)
    assert "Alamat KTP sesuai dengan alamat tempat tinggal" in text_of(page)
    assert "ktp_sama" in f["checkboxes"]
    t0 = int(time.time())
    r = post_address(s, page, typed())
    assert r.status_code == 303, (r.status_code, text_of(r.text)[:2000])
    assert r.headers["Location"] == "/riwayat/alamat?tampilkan=1&disimpan=1"

    got = only_entry(portal, nrk)
    for field, value in HOME_STORED.items():
        assert got[field] == value, field
    assert got["ktp_sama"] == "1"
    # The KTP address is the residence, not empty fields that would
    # read as missing.
    for field in ADDRESS:
        assert got[field + "_ktp"] == HOME_STORED[field], field
    assert got["versi"] == "1"
    at, = portal.sql("SELECT dibuat_pada FROM riwayat_alamat WHERE id = ?",
                     int(got["id"]))[0]
    assert abs(int(at) - t0) < 120

    page = s.get(r.headers["Location"]).text
    text = text_of(page)
    assert "Alamat tersimpan." in text
    assert listed_ids(page) == [got["id"]]
    assert "Jl. Kebon Sirih No. 18" in text


def test_add_without_the_checkbox_stores_the_ktp_as_given(portal):
    nrk = employee(portal, 2)
    s = session_for(portal, nrk)
    add(s, typed(ktp_sama=False))
    got = only_entry(portal, nrk)
    for field, value in HOME_STORED.items():
        assert got[field] == value, field
    assert got["ktp_sama"] == "0"
    for field, value in KTP_STORED.items():
        assert got[field] == value, field

    # The KTP does not print a postal code: it may stay empty (NULL).
    add(s, typed(ktp_sama=False, tanggal_mulai="04-02-2018",
                 kode_pos_ktp="", keterangan=""))
    got = entries(portal, nrk)[-1]
    assert got["kode_pos_ktp"] is None
    assert got["keterangan"] is None
    assert got["alamat_ktp"] == KTP["alamat_ktp"]


def test_the_hidden_ktp_block_is_ignored_when_ticked(portal):
    """With the checkbox ticked the KTP block is hidden: whatever it
    still holds (a half-finished choice, another address) is neither
    checked nor stored."""
    nrk = employee(portal, 3)
    s = session_for(portal, nrk)
    leftovers = [
        dict(KTP),
        # A kota of another province, left from an earlier choice.
        dict(KTP_EMPTY, provinsi_ktp="31", kota_ktp="32.73"),
        dict(KTP_EMPTY, rt_ktp="abcd", kode_pos_ktp="1"),
    ]
    for n, leftover in enumerate(leftovers):
        r = post_address(s, open_tambah(s),
                         dict(typed(tanggal_mulai="0%d-03-2019" % (n + 1)),
                              **leftover))
        assert r.status_code == 303, (leftover, r.status_code,
                                      text_of(r.text)[:1500])
    for got in entries(portal, nrk):
        assert got["ktp_sama"] == "1"
        for field in ADDRESS:
            assert got[field + "_ktp"] == HOME_STORED[field], field


def test_typed_values_are_stored_canonically(portal):
    nrk = employee(portal, 4)
    s = session_for(portal, nrk)
    add(s, typed(alamat="  Jl.\u00a0Cikini   Raya\n No. 73 ",
                 rt="RT 7", rw="rw.012", tanggal_mulai="2016/5/9",
                 provinsi="31", kota="3171", kecamatan="317101",
                 kelurahan="3171011005", keterangan="  -  "))
    got = only_entry(portal, nrk)
    assert got["alamat"] == "Jl. Cikini Raya No. 73"
    assert (got["rt"], got["rw"]) == ("007", "012")
    assert got["tanggal_mulai"] == "2016-05-09"
    assert [got[f] for f in REGIONS] == [HOME[f] for f in REGIONS]
    assert got["keterangan"] is None
    assert got["alamat_ktp"] == got["alamat"]


def test_an_empty_start_date_is_today(portal):
    nrk = employee(portal, 4)
    s = session_for(portal, nrk)
    n = len(entries(portal, nrk))
    add(s, typed(tanggal_mulai=""))
    got = entries(portal, nrk)[n]
    wib = time.gmtime(time.time() + 7 * 3600)
    assert got["tanggal_mulai"] == time.strftime("%Y-%m-%d", wib)


# ------------------------------------------------------------ the list

def test_the_list_is_newest_first_with_the_current_marked(portal):
    nrk = employee(portal, 5)
    s = session_for(portal, nrk)
    # Added out of order: the list goes by tanggal_mulai, not by id.
    add(s, typed(tanggal_mulai="01-07-2010", alamat="Jl. Lama Sekali 1"))
    add(s, typed(ktp_sama=False, tanggal_mulai="15-08-2020",
                 alamat="Jl. Terbaru 20", keterangan="Pindah tugas"))
    add(s, typed(tanggal_mulai="02-01-2015", alamat="Jl. Tengah 15",
                 kode_pos="10130"))
    by_alamat = {e["alamat"]: e["id"] for e in entries(portal, nrk)}
    page = list_page(s)
    want = [by_alamat["Jl. Terbaru 20"], by_alamat["Jl. Tengah 15"],
            by_alamat["Jl. Lama Sekali 1"]]
    assert listed_ids(page) == want
    text = text_of(page)
    order = [text.find(x) for x in ("Jl. Terbaru 20", "Jl. Tengah 15",
                                    "Jl. Lama Sekali 1")]
    assert -1 not in order and order == sorted(order), order
    # Dates as the manual shows them.
    for date in ("15-08-2020", "02-01-2015", "01-07-2010"):
        assert date in text, date
    # What a row says: RT/RW, the regions by name, the postal code, the
    # KTP address only where it differs, keterangan.
    assert "005/003" in text
    for code in (HOME["provinsi"], HOME["kota"], HOME["kecamatan"],
                 HOME["kelurahan"]):
        assert region_name(portal, code) in text, code
    assert "10120" in text and "10130" in text
    rows = row_texts(page, want)
    assert "Pindah tugas" in rows[0]
    assert KTP["alamat_ktp"] in rows[0]
    assert region_name(portal, KTP["kelurahan_ktp"]) in rows[0]
    assert all(KTP["alamat_ktp"] not in row for row in rows[1:])

    # The current address is marked, and only the first.
    assert CURRENT_MARK in rows[0]
    assert all(CURRENT_MARK not in row for row in rows[1:])


def test_the_list_escapes_what_was_typed(portal):
    nrk = employee(portal, 6)
    s = session_for(portal, nrk)
    evil = 'Jl. <script>alert(1)</script> "Kutip" & Co'
    add(s, typed(alamat=evil, keterangan="<b>tebal</b>"))
    page = list_page(s)
    assert "<script>alert(1)" not in page and "<b>tebal" not in page
    assert evil in text_of(page)
    assert only_entry(portal, nrk)["alamat"] == evil


def test_an_empty_history(portal):
    nrk = employee(portal, 7)
    s = session_for(portal, nrk)
    assert entries(portal, nrk) == []
    page = list_page(s)
    assert listed_ids(page) == []
    assert 'href="/riwayat/alamat/tambah"' in page


# ------------------------------------------------------------ regions

# (changes, the field the message is at, the message)
MISPLACED = [
    ({"kota": "32.73"}, "kota",
     "Kota/kabupaten tidak termasuk provinsi yang dipilih"),
    ({"kecamatan": "31.72.01"}, "kecamatan",
     "Kecamatan tidak termasuk kota/kabupaten yang dipilih"),
    ({"kelurahan": "31.72.01.1001"}, "kelurahan",
     "Kelurahan/desa tidak termasuk kecamatan yang dipilih"),
    # Of the right shape, under the right parent, but no such region.
    ({"kelurahan": "31.71.01.1099"}, "kelurahan",
     "Pilih dari daftar wilayah yang tersedia."),
    ({"kecamatan": "31.71.99", "kelurahan": "31.71.99.1001"}, "kecamatan",
     "Pilih dari daftar wilayah yang tersedia."),
    ({"kota": "31.76", "kecamatan": "31.76.01",
      "kelurahan": "31.76.01.1001"}, "kota",
     "Pilih dari daftar wilayah yang tersedia."),
    ({"provinsi": "99", "kota": "99.71", "kecamatan": "99.71.01",
      "kelurahan": "99.71.01.1001"}, "provinsi",
     "Pilih dari daftar wilayah yang tersedia."),
    # The KTP address is held to the same rules.
    ({"ktp_sama": None, "kota_ktp": "31.71"}, "kota_ktp",
     "Kota/kabupaten tidak termasuk provinsi yang dipilih"),
    ({"ktp_sama": None, "kelurahan_ktp": "32.73.01.1099"}, "kelurahan_ktp",
     "Pilih dari daftar wilayah yang tersedia."),
]


@pytest.mark.parametrize("changes,field,message", MISPLACED,
                         ids=["%s=%s" % (f, c.get(f)) for c, f, _ in
                              MISPLACED])
def test_a_region_outside_its_parent_is_refused(portal, changes, field,
                                                message):
    nrk = employee(portal, 8)
    s = session_for(portal, nrk)
    before = snapshot(portal, nrk)
    values = typed(ktp_sama=changes.get("ktp_sama", "on") is not None)
    values.update(changes)
    r = post_address(s, open_tambah(s), values)
    assert r.status_code == 422, (r.status_code, text_of(r.text)[:1000])
    assert message_at_field(r.text, field, message), text_of(r.text)
    assert "Alamat belum disimpan: 1 isian perlu diperbaiki" \
        in text_of(r.text)
    assert snapshot(portal, nrk) == before


# ------------------------------------------------------------ validation

# (field, typed value, message shown at the field)
INVALID = [
    ("tanggal_mulai", "31-02-2020",
     "Tanggal Mulai Tinggal bukan tanggal yang ada"),
    ("tanggal_mulai", "kemarin", "Tanggal Mulai Tinggal harus tanggal "
                                 "dd-mm-yyyy"),
    ("tanggal_mulai", "01-01-2999",
     "Tanggal Mulai Tinggal tidak boleh setelah hari ini"),
    ("tanggal_mulai", "31-12-1899",
     "Tanggal Mulai Tinggal tidak boleh sebelum tahun 1900"),
    ("alamat", "", "Alamat wajib diisi"),
    ("alamat", "-", "Alamat wajib diisi"),
    ("alamat", "Jl", "Alamat harus 3 sampai 200 karakter"),
    ("alamat", "Jl. " + "Panjang " * 25, "Alamat harus 3 sampai 200 "
                                         "karakter"),
    ("alamat", "Jl. " + "x" * 1001, "Alamat terlalu panjang"),
    ("alamat", "***", "Alamat harus berisi huruf atau angka"),
    ("alamat", "Jl. Melati\x7f No. 1", "Alamat berisi karakter yang "
                                       "tidak dapat disimpan"),
    ("alamat", "Jl. Melati\u009b No. 1", "Alamat berisi karakter yang "
                                         "tidak dapat disimpan"),
    ("alamat", "Jl. \u202eMelati No. 1", "Alamat berisi karakter yang "
                                         "tidak dapat disimpan"),
    ("rt", "", "RT wajib diisi"),
    ("rt", "1234", "RT harus 1 sampai 3 digit angka"),
    ("rt", "5a", "RT harus 1 sampai 3 digit angka"),
    ("rw", "", "RW wajib diisi"),
    ("rw", "RW -3", "RW harus 1 sampai 3 digit angka"),
    ("provinsi", "", "Provinsi wajib diisi"),
    ("provinsi", "3", "Pilih Provinsi dari daftar"),
    ("provinsi", "DKI", "Pilih Provinsi dari daftar"),
    ("kota", "", "Kota/Kabupaten wajib diisi"),
    ("kota", "31.7", "Pilih Kota/Kabupaten dari daftar"),
    ("kecamatan", "", "Kecamatan wajib diisi"),
    ("kecamatan", "31.71.00", "Pilih Kecamatan dari daftar"),
    ("kelurahan", "", "Kelurahan/Desa wajib diisi"),
    ("kelurahan", "31.71.01.10051", "Pilih Kelurahan/Desa dari daftar"),
    ("kode_pos", "", "Kode Pos wajib diisi"),
    ("kode_pos", "1012", "Kode Pos harus 5 digit angka"),
    ("kode_pos", "1O120", "Kode Pos harus 5 digit angka"),
    ("kode_pos", "01012", "Kode Pos di Indonesia tidak diawali angka 0"),
    ("ktp_sama", "mungkin", "Pilihan alamat KTP tidak dikenal"),
    ("alamat_ktp", "", "Alamat KTP wajib diisi"),
    ("rt_ktp", "x", "RT (KTP) harus 1 sampai 3 digit angka"),
    ("rw_ktp", "", "RW (KTP) wajib diisi"),
    ("provinsi_ktp", "", "Provinsi (KTP) wajib diisi"),
    ("kota_ktp", "32", "Pilih Kota/Kabupaten (KTP) dari daftar"),
    ("kecamatan_ktp", "", "Kecamatan (KTP) wajib diisi"),
    ("kelurahan_ktp", "", "Kelurahan/Desa (KTP) wajib diisi"),
    ("kode_pos_ktp", "4015", "Kode Pos (KTP) harus 5 digit angka"),
    ("keterangan", "Catatan " * 26, "Keterangan harus 1 sampai 200 "
                                    "karakter"),
]


def _kept(field):
    """The fields whose typed value the 422 must show again: all but a
    region chosen below a wrong one in the same address (its list is
    not shown until the level above is right)."""
    kept = [f for f in FIELDS if f != field]
    base = field[:-4] if field.endswith("_ktp") else field
    if base in REGIONS:
        suffix = "_ktp" if field.endswith("_ktp") else ""
        below = REGIONS[REGIONS.index(base) + 1:]
        kept = [f for f in kept if f not in [b + suffix for b in below]]
    return kept


@pytest.mark.parametrize("field,value,message", INVALID,
                         ids=["%s=%r" % (f, v[:20]) for f, v, _ in INVALID])
def test_each_invalid_field(portal, field, value, message):
    nrk = employee(portal, 9)
    s = session_for(portal, nrk)
    before = snapshot(portal, nrk)
    # Without the checkbox, so that the KTP fields count; the other
    # fields as typed, not as stored.
    values = typed(ktp_sama=False, keterangan="Kontrak  dua tahun")
    values[field] = value
    page = open_tambah(s)
    r = post_address(s, page, values)
    assert r.status_code == 422, (r.status_code, text_of(r.text)[:500])
    assert message_at_field(r.text, field, message), \
        (message, text_of(r.text))
    assert "Alamat belum disimpan: 1 isian perlu diperbaiki" \
        in text_of(r.text)
    shown = address_form(r.text)["fields"]
    for f in _kept(field):
        want = values.get(f)
        assert (shown.get(f) or None) == (want or None), f
    if field not in REGIONS and not field.endswith(
            tuple("%s_ktp" % x for x in REGIONS)) and field != "ktp_sama":
        assert shown[field] == value  # the wrong value stays to be fixed
    # The form can be sent again: the same token.
    assert hidden_fields(r.text)["csrf_token"] == csrf_token(page)
    assert snapshot(portal, nrk) == before


def test_several_errors_at_once(portal):
    nrk = employee(portal, 9)
    s = session_for(portal, nrk)
    before = snapshot(portal, nrk)
    r = post_address(s, open_tambah(s),
                     typed(rt="abc", kode_pos="999", alamat=""))
    assert r.status_code == 422
    text = text_of(r.text)
    assert "Alamat belum disimpan: 3 isian perlu diperbaiki" in text
    assert message_at_field(r.text, "rt", "RT harus 1 sampai 3 digit")
    assert message_at_field(r.text, "kode_pos", "Kode Pos harus 5 digit")
    assert message_at_field(r.text, "alamat", "Alamat wajib diisi")
    # The hidden KTP block of a ticked checkbox asks for nothing.
    assert "(KTP) wajib diisi" not in text and "KTP wajib" not in text
    assert snapshot(portal, nrk) == before


def test_typed_markup_is_escaped_in_the_form(portal):
    nrk = employee(portal, 9)
    s = session_for(portal, nrk)
    evil = '"><script>alert(1)</script>'
    r = post_address(s, open_tambah(s), typed(rt=evil, keterangan=evil))
    assert r.status_code == 422
    assert "<script>alert(1)" not in r.text
    shown = address_form(r.text)["fields"]
    assert shown["rt"] == evil and shown["keterangan"] == evil


# ------------------------------------------------------------ kode pos

def test_a_postal_code_outside_the_province_is_a_warning(portal):
    nrk = employee(portal, 10)
    s = session_for(portal, nrk)
    before = snapshot(portal, nrk)
    values = typed(kode_pos="40111")
    r = post_address(s, open_tambah(s), values)
    assert r.status_code == 200, (r.status_code, text_of(r.text)[:500])
    text = text_of(r.text)
    assert "Kode pos tempat tinggal 40111 tidak lazim untuk provinsi " \
           "yang dipilih" in text
    assert "10xxx-14xxx" in text
    konfirmasi = hidden_fields(r.text).get("konfirmasi")
    assert konfirmasi
    assert snapshot(portal, nrk) == before
    shown = address_form(r.text)["fields"]
    for f in ("alamat", "rt", "rw", "kode_pos", "tanggal_mulai") + \
            tuple(REGIONS):
        assert shown[f] == values[f], f
    assert shown["ktp_sama"]

    # The confirmation is for these values: another value asks again,
    # and a made-up one is no confirmation.
    r2 = post_address(s, r.text, {"kode_pos": "40112"})
    assert r2.status_code == 200
    assert hidden_fields(r2.text)["konfirmasi"] != konfirmasi
    r3 = post_address(s, r.text, drop=("konfirmasi",),
                      extra=[("konfirmasi", "x" * 64)])
    assert r3.status_code == 200
    assert snapshot(portal, nrk) == before

    # The second identical SIMPAN saves.
    r = post_address(s, r.text)
    assert r.status_code == 303, (r.status_code, text_of(r.text)[:500])
    got = only_entry(portal, nrk)
    assert got["kode_pos"] == got["kode_pos_ktp"] == "40111"


def test_the_ktp_postal_code_is_checked_too(portal):
    nrk = employee(portal, 11)
    s = session_for(portal, nrk)
    values = typed(ktp_sama=False, provinsi_ktp="31", kota_ktp="31.74",
                   kecamatan_ktp="31.74.09", kelurahan_ktp="31.74.09.1002",
                   kode_pos_ktp="40111")
    r = post_address(s, open_tambah(s), values)
    assert r.status_code == 200
    text = text_of(r.text)
    assert "Kode pos KTP 40111 tidak lazim" in text
    assert "Kode pos tempat tinggal" not in text
    assert entries(portal, nrk) == []
    r = post_address(s, r.text)
    assert r.status_code == 303
    got = only_entry(portal, nrk)
    assert (got["kode_pos"], got["kode_pos_ktp"]) == ("10120", "40111")
    # A postal code that fits warns of nothing.
    add(s, typed(tanggal_mulai="01-01-2021", kode_pos="14450"))


# ------------------------------------------------------------ ubah, hapus

def _audited(rows):
    """{column: (old, new)} of audit rows."""
    got = {}
    for _, _, _, column, old, new, _, _ in rows:
        assert column not in got, column
        got[column] = (old, new)
    return got


def _check_audit_rows(rows, nrk, action, t0):
    t1 = int(time.time())
    assert rows
    for actor, subject, act, _, _, _, at, ip in rows:
        assert (actor, subject, act, ip) == (nrk, nrk, action, "127.0.0.1")
        assert t0 - 1 <= int(at) <= t1 + 1  # seconds since epoch, UTC


def test_adding_is_audited(portal):
    nrk = employee(portal, 12)
    s = session_for(portal, nrk)
    t0 = int(time.time())
    add(s, typed(ktp_sama=False))
    rows = audit_rows(portal, nrk)
    _check_audit_rows(rows, nrk, "tambah", t0)
    got = only_entry(portal, nrk)
    # Every value stored, from nothing.
    want = {f: (None, got[f]) for f in FIELDS if got[f] is not None}
    assert _audited(rows) == want
    assert want["ktp_sama"] == (None, "0")
    # Each row names the new entry.
    assert audit_keys(portal, nrk, "tambah") == [got["id"]] * len(rows)


def test_correct_an_entry(portal):
    nrk = employee(portal, 13)
    s = session_for(portal, nrk)
    add(s, typed())
    before = only_entry(portal, nrk)
    n = len(audit_rows(portal, nrk))

    page = open_ubah(s, before["id"])
    f = address_form(page)
    assert html.unescape(f["action"]) == \
        "/riwayat/alamat/ubah?id=" + before["id"]
    hidden = hidden_fields(page)
    assert hidden["versi"] == "1"
    assert hidden["csrf_token"] == csrf_token(page)
    # The form shows what is stored.
    shown = f["fields"]
    for field in ("alamat", "rt", "rw", "kode_pos", "keterangan") + \
            tuple(REGIONS):
        assert shown[field] == HOME_STORED[field], field
    assert shown["ktp_sama"]
    assert "2017" in shown["tanggal_mulai"]

    t0 = int(time.time())
    r = post_address(s, page, {"alamat": "Jl. Kebon Sirih No. 81",
                               "rt": "7", "keterangan": ""})
    assert r.status_code == 303, (r.status_code, text_of(r.text)[:1000])
    assert r.headers["Location"] == "/riwayat/alamat?tampilkan=1&disimpan=1"
    after = only_entry(portal, nrk)
    assert after["id"] == before["id"]
    assert after["versi"] == "2"
    assert (after["alamat"], after["rt"], after["keterangan"]) == (
        "Jl. Kebon Sirih No. 81", "007", None)
    # The KTP copy follows the residence.
    assert (after["alamat_ktp"], after["rt_ktp"]) == (
        "Jl. Kebon Sirih No. 81", "007")
    unchanged = [x for x in FIELDS if x not in (
        "alamat", "rt", "keterangan", "alamat_ktp", "rt_ktp")]
    assert {x: after[x] for x in unchanged} == \
        {x: before[x] for x in unchanged}
    at, = portal.sql("SELECT diubah_pada FROM riwayat_alamat WHERE id = ?",
                     int(after["id"]))[0]
    assert abs(int(at) - t0) < 120

    rows = audit_rows(portal, nrk)[n:]
    _check_audit_rows(rows, nrk, "ubah", t0)
    assert _audited(rows) == {
        "alamat": ("Jl. Kebon Sirih No. 18", "Jl. Kebon Sirih No. 81"),
        "alamat_ktp": ("Jl. Kebon Sirih No. 18", "Jl. Kebon Sirih No. 81"),
        "rt": ("005", "007"), "rt_ktp": ("005", "007"),
        "keterangan": ("Rumah keluarga", None),
    }
    assert audit_keys(portal, nrk, "ubah") == [after["id"]] * len(rows)

    # Saving it unchanged changes and audits nothing but the version.
    page = open_ubah(s, after["id"])
    n = len(audit_rows(portal, nrk))
    r = post_address(s, page)
    assert r.status_code == 303
    assert audit_rows(portal, nrk)[n:] == []
    again = only_entry(portal, nrk)
    assert {x: again[x] for x in FIELDS} == {x: after[x] for x in FIELDS}


def test_untick_the_checkbox_when_correcting(portal):
    nrk = employee(portal, 13)
    s = session_for(portal, nrk)
    add(s, typed(tanggal_mulai="09-09-2019"))
    entry = entries(portal, nrk)[-1]
    r = post_address(s, open_ubah(s, entry["id"]),
                     dict(KTP, ktp_sama=None))
    assert r.status_code == 303, (r.status_code, text_of(r.text)[:1000])
    got = [e for e in entries(portal, nrk) if e["id"] == entry["id"]][0]
    assert got["ktp_sama"] == "0"
    for field, value in KTP_STORED.items():
        assert got[field] == value, field
    assert got["alamat"] == HOME_STORED["alamat"]


def test_delete_an_entry(portal):
    nrk = employee(portal, 14)
    s = session_for(portal, nrk)
    # With empty optional fields: NULLs, which go unaudited.
    add(s, typed(ktp_sama=False, tanggal_mulai="01-01-2012",
                 kode_pos_ktp="", keterangan=""))
    add(s, typed(tanggal_mulai="01-01-2022", alamat="Jl. Tetap Ada 2"))
    gone, kept = entries(portal, nrk)
    n = len(audit_rows(portal, nrk))

    page = list_page(s)
    hapus = [f for f in forms(page)
             if f["action"] == "/riwayat/alamat/hapus"
             and f["fields"].get("id") == gone["id"]]
    assert len(hapus) == 1
    assert hapus[0]["method"] == "post"
    assert hapus[0]["fields"]["versi"] == gone["versi"]
    assert hapus[0]["fields"]["csrf_token"] == csrf_token(page)
    t0 = int(time.time())
    r = s.post("/riwayat/alamat/hapus", data=hapus[0]["fields"],
               allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"] == "/riwayat/alamat?tampilkan=1&dihapus=1"
    assert entries(portal, nrk) == [kept]

    rows = audit_rows(portal, nrk)[n:]
    _check_audit_rows(rows, nrk, "hapus", t0)
    # Every value the entry held, to nothing.
    assert (gone["keterangan"], gone["kode_pos_ktp"]) == (None, None)
    assert _audited(rows) == {f: (gone[f], None) for f in FIELDS
                              if gone[f] is not None}
    assert audit_keys(portal, nrk, "hapus") == [gone["id"]] * len(rows)

    page = s.get(r.headers["Location"]).text
    assert "Alamat dihapus dari riwayat." in text_of(page)
    assert listed_ids(page) == [kept["id"]]
    # Deleting it again finds nothing.
    r = s.post("/riwayat/alamat/hapus", data=hapus[0]["fields"],
               allow_redirects=False)
    assert r.status_code == 404
    r = s.get("/riwayat/alamat/ubah?id=" + gone["id"],
              allow_redirects=False)
    assert r.status_code == 404


def test_a_failed_audit_write_changes_nothing(portal, expect_log):
    """An entry and its audit rows are one transaction: when an audit
    row cannot be written, the insert, update or delete is undone."""
    expect_log(r"PGW\d+: ")
    expect_log(r"(?i)audit|abort|constraint|tes-audit")
    nrk = employee(portal, 15)
    s = session_for(portal, nrk)
    add(s, typed())
    before = snapshot(portal, nrk)
    entry = before[0][0]
    sqlite = portal.driver == "sqlite3"
    # Fails on the keterangan row, which comes after the others.
    if not sqlite:
        portal.sql(
            "CREATE FUNCTION tes_audit_gagal() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'tes-audit'; END $$ LANGUAGE plpgsql;"
            "CREATE TRIGGER tes_audit_gagal BEFORE INSERT ON audit_log "
            "FOR EACH ROW WHEN (NEW.column_name = 'keterangan' AND "
            "NEW.subject_nrk = '%s') EXECUTE FUNCTION tes_audit_gagal();"
            % nrk)
    else:
        portal.sql("CREATE TRIGGER tes_audit_gagal BEFORE INSERT ON "
                   "audit_log WHEN NEW.column_name = 'keterangan' AND "
                   "NEW.subject_nrk = '%s' BEGIN SELECT RAISE(ABORT, "
                   "'tes-audit'); END;" % nrk)
    try:
        s = session_for(portal, nrk)
        r = post_address(s, open_tambah(s),
                         typed(tanggal_mulai="05-05-2020",
                               keterangan="Tidak tersimpan"))
        assert r.status_code >= 500
        r = post_address(s, open_ubah(s, entry["id"]),
                         {"alamat": "Jl. Tidak Berubah 9",
                          "keterangan": "Tidak berubah"})
        assert r.status_code >= 500
        r = s.post("/riwayat/alamat/hapus",
                   data={"id": entry["id"], "versi": entry["versi"],
                         "csrf_token": csrf_token(list_page(s))},
                   allow_redirects=False)
        assert r.status_code >= 500
    finally:
        portal.sql("DROP TRIGGER tes_audit_gagal%s"
                   % (";" if sqlite else
                      " ON audit_log; DROP FUNCTION tes_audit_gagal();"))
    assert snapshot(portal, nrk) == before
    # And the portal goes on working.
    s = session_for(portal, nrk)
    add(s, typed(tanggal_mulai="06-06-2020", keterangan="Tersimpan"))
    assert len(entries(portal, nrk)) == 2


# ------------------------------------------------------------ conflicts

def test_two_tabs_never_overwrite_each_other(portal):
    nrk = employee(portal, 16)
    s = session_for(portal, nrk)
    add(s, typed())
    entry = only_entry(portal, nrk)
    tab1, tab2 = open_ubah(s, entry["id"]), open_ubah(s, entry["id"])
    r = post_address(s, tab1, {"alamat": "Jl. Dari Tab Satu 1"})
    assert r.status_code == 303
    saved = snapshot(portal, nrk)

    r = post_address(s, tab2, {"alamat": "Jl. Dari Tab Dua 2", "rw": "9"})
    assert r.status_code == 409, (r.status_code, text_of(r.text)[:500])
    # Nothing overwritten, nothing audited.
    assert snapshot(portal, nrk) == saved
    # The form keeps what tab 2 typed, with the newer version.
    shown = address_form(r.text)["fields"]
    assert (shown["alamat"], shown["rw"]) == ("Jl. Dari Tab Dua 2", "9")
    assert hidden_fields(r.text)["versi"] == "2"
    # A second SIMPAN of the 409's form stores it knowingly.
    r = post_address(s, r.text)
    assert r.status_code == 303
    got = only_entry(portal, nrk)
    assert (got["alamat"], got["rw"], got["versi"]) == (
        "Jl. Dari Tab Dua 2", "009", "3")


def test_two_sessions_never_overwrite_each_other(portal):
    nrk = employee(portal, 16)
    s1, s2 = session_for(portal, nrk), session_for(portal, nrk)
    add(s1, typed(tanggal_mulai="11-11-2011"))
    entry = entries(portal, nrk)[-1]
    page2 = open_ubah(s2, entry["id"])
    r = post_address(s1, open_ubah(s1, entry["id"]), {"rt": "1"})
    assert r.status_code == 303
    saved = snapshot(portal, nrk)
    r = post_address(s2, page2, {"rt": "2"})
    assert r.status_code == 409
    assert snapshot(portal, nrk) == saved


def test_a_post_without_or_with_a_made_up_version_is_a_conflict(portal):
    nrk = employee(portal, 17)
    s = session_for(portal, nrk)
    add(s, typed())
    entry = only_entry(portal, nrk)
    before = snapshot(portal, nrk)
    page = open_ubah(s, entry["id"])
    for kw in (dict(drop=("versi",)),
               dict(drop=("versi",), extra=[("versi", "7")]),
               dict(drop=("versi",), extra=[("versi", "abc")])):
        r = post_address(s, page, {"rt": "8"}, **kw)
        assert r.status_code == 409, kw
    assert snapshot(portal, nrk) == before


def test_deleting_a_changed_entry_is_a_conflict(portal):
    nrk = employee(portal, 17)
    s = session_for(portal, nrk)
    add(s, typed(tanggal_mulai="02-02-2002"))
    entry = entries(portal, nrk)[-1]
    listing = list_page(s)
    r = post_address(s, open_ubah(s, entry["id"]), {"rt": "4"})
    assert r.status_code == 303
    before = snapshot(portal, nrk)
    # The Hapus button of the list shown before the change.
    stale = [f for f in forms(listing)
             if f["fields"].get("id") == entry["id"]][0]["fields"]
    r = s.post("/riwayat/alamat/hapus", data=stale, allow_redirects=False)
    assert r.status_code == 409
    assert snapshot(portal, nrk) == before
    r = s.post("/riwayat/alamat/hapus",
               data=dict(stale, versi=str(int(stale["versi"]) + 1)),
               allow_redirects=False)
    assert r.status_code == 303


# ------------------------------------------------------------ CSRF

REFUSED = [
    dict(drop=("csrf_token",)),
    dict(drop=("csrf_token",), extra=[("csrf_token", "A" * 43)]),
    dict(drop=("csrf_token",), extra=[("csrf_token", "pendek")]),
    dict(drop=("csrf_token",), extra=[("csrf_token", "")]),
    dict(headers={"Origin": "https://evil.example"}),
    dict(headers={"Origin": "null"}),
    dict(headers={"Sec-Fetch-Site": "cross-site"}),
    dict(headers={"Sec-Fetch-Site": "same-site"}),
]


def test_csrf(portal):
    nrk = employee(portal, 18)
    s = session_for(portal, nrk)
    add(s, typed())
    entry = only_entry(portal, nrk)
    before = snapshot(portal, nrk)
    tambah, ubah = open_tambah(s), open_ubah(s, entry["id"])
    hapus = {"id": entry["id"], "versi": entry["versi"],
             "csrf_token": csrf_token(list_page(s))}
    for kw in REFUSED:
        r = post_address(s, tambah, typed(tanggal_mulai="03-03-2003"), **kw)
        assert r.status_code == 403, ("tambah", kw)
        assert "ditolak" in text_of(r.text)
        r = post_address(s, ubah, {"alamat": "Jl. Palsu 1"}, **kw)
        assert r.status_code == 403, ("ubah", kw)
        data = [(k, v) for k, v in hapus.items()
                if k not in kw.get("drop", ())] + kw.get("extra", [])
        r = s.post("/riwayat/alamat/hapus", data=data,
                   headers=kw.get("headers"), allow_redirects=False)
        assert r.status_code == 403, ("hapus", kw)
    assert snapshot(portal, nrk) == before
    # The same posts from the portal's own pages go through.
    own = {"Origin": portal.base_url, "Sec-Fetch-Site": "same-origin"}
    r = post_address(s, ubah, {"alamat": "Jl. Asli 1"}, headers=own)
    assert r.status_code == 303
    assert only_entry(portal, nrk)["alamat"] == "Jl. Asli 1"


def test_a_token_of_another_session_is_refused(portal):
    nrk, other = employee(portal, 18), employee(portal, 19)
    s, so = session_for(portal, nrk), session_for(portal, other)
    before = snapshot(portal, nrk)
    their_token = csrf_token(open_tambah(so))
    r = post_address(s, open_tambah(s), typed(), drop=("csrf_token",),
                     extra=[("csrf_token", their_token)])
    assert r.status_code == 403
    assert snapshot(portal, nrk) == before


def test_a_form_left_open_over_a_new_login_comes_back_with_the_typed_values(
        portal):
    """Logged in again in another tab while Tambah Data and a correction
    were open: each SIMPAN is refused with nothing saved, and comes back
    with what was typed and this session's token; a post naming another
    account, or without the browser's word that it comes from the
    portal, shows nothing typed."""
    nrk, other = employee(portal, 20), employee(portal, 21)
    s = session_for(portal, nrk)
    add(s, typed())
    entry = only_entry(portal, nrk)
    tambah, ubah = open_tambah(s), open_ubah(s, entry["id"])
    assert address_form(tambah)["fields"]["akun"] == nrk
    s.cookies.clear()
    assert login(s, nrk, DEMO_PASSWORD).status_code == 303
    before = snapshot(portal, nrk)
    own = {"Origin": portal.base_url, "Sec-Fetch-Site": "same-origin"}
    new = typed(alamat="Jl. Tab Lama No. 20", tanggal_mulai="04-04-2004")

    for kw in (dict(), dict(headers={"Origin": "https://evil.example"}),
               dict(headers=own, drop=("akun",))):
        r = post_address(s, tambah, new, **kw)
        assert r.status_code == 403 and "Tab Lama" not in r.text, kw
    r = post_address(s, tambah, dict(new, akun=other), headers=own)
    assert r.status_code == 403 and "Tab Lama" not in r.text

    r = post_address(s, tambah, new, headers=own)
    assert r.status_code == 403
    assert "Isian belum disimpan" in text_of(r.text)
    assert address_form(r.text)["fields"]["alamat"] == "Jl. Tab Lama No. 20"
    r2 = post_address(s, ubah, {"alamat": "Jl. Ubah Lama 21"}, headers=own)
    assert r2.status_code == 403
    back = address_form(r2.text)
    assert back["fields"]["alamat"] == "Jl. Ubah Lama 21"
    assert back["fields"]["versi"] == str(entry["versi"])
    assert snapshot(portal, nrk) == before

    # One more SIMPAN on each saves it.
    assert post_address(s, r.text, headers=own).status_code == 303
    assert post_address(s, r2.text, headers=own).status_code == 303
    alamat = sorted(e["alamat"] for e in entries(portal, nrk))
    assert alamat == ["Jl. Tab Lama No. 20", "Jl. Ubah Lama 21"]


# ------------------------------------------------------------ other people

def test_another_employees_entries_are_unreachable(portal):
    nrk, victim = employee(portal, 19), employee(portal, 18)
    vs = session_for(portal, victim)
    add(vs, typed(alamat="Jl. Rahasia Korban 13", tanggal_mulai="13-01-2013"))
    theirs = [e for e in entries(portal, victim)
              if e["alamat"] == "Jl. Rahasia Korban 13"][0]
    victim_before = snapshot(portal, victim)

    s = session_for(portal, nrk)
    add(s, typed(alamat="Jl. Milik Sendiri 7"))
    mine = only_entry(portal, nrk)
    token = csrf_token(list_page(s))
    # The list never shows them, whatever the URL names.
    for path in ("/riwayat/alamat?tampilkan=1",
                 "/riwayat/alamat?tampilkan=1&nrk=" + victim,
                 "/riwayat/alamat?nrk=%s&tampilkan=1" % victim,
                 "/riwayat/alamat?tampilkan=1&id=" + theirs["id"]):
        page = s.get(path).text
        assert "Jl. Rahasia Korban" not in page, path
        assert theirs["id"] not in listed_ids(page), path
        assert mine["id"] in listed_ids(page), path
    # Their entry cannot be opened, corrected or deleted.
    for path in ("/riwayat/alamat/ubah?id=" + theirs["id"],
                 "/riwayat/alamat/ubah?id=%s&nrk=%s" % (theirs["id"],
                                                        victim)):
        r = s.get(path, allow_redirects=False)
        assert r.status_code == 404, path
        assert "Jl. Rahasia Korban" not in r.text
    own_form = open_ubah(s, mine["id"])
    r = post_address(s, own_form, {"alamat": "Jl. Diambil Alih 1"},
                     url="/riwayat/alamat/ubah?id=" + theirs["id"],
                     drop=("versi",), extra=[("versi", theirs["versi"]),
                                             ("nrk", victim)])
    # Answered as for an entry of one's own deleted meanwhile: the typed
    # form, offered as a new entry of one's own, nothing of theirs.
    assert r.status_code == 409
    assert "Jl. Rahasia Korban" not in r.text
    assert "Jl. Diambil Alih 1" in r.text
    assert html.unescape(address_form(r.text)["action"]) == \
        "/riwayat/alamat/tambah"
    r = s.post("/riwayat/alamat/hapus",
               data={"id": theirs["id"], "versi": theirs["versi"],
                     "csrf_token": token, "nrk": victim},
               allow_redirects=False)
    assert r.status_code == 404
    # Naming them in a new entry adds it to one's own history.
    add(s, typed(alamat="Jl. Punya Sendiri 8", tanggal_mulai="08-08-2018")
        | {"nrk": victim, "id": theirs["id"]})
    assert snapshot(portal, victim) == victim_before
    assert len(entries(portal, nrk)) == 2
    # Ids that are no id at all.
    for arg in ("", "?id=", "?id=abc", "?id=-1", "?id=1.5",
                "?id=99999999999", "?id=%s&id=%s" % (mine["id"], mine["id"]),
                "?id=" + "9" * 30):
        r = s.get("/riwayat/alamat/ubah" + arg, allow_redirects=False)
        assert r.status_code == 404, arg


# ------------------------------------------------------------ sessions

def test_an_expired_session_goes_to_login_and_keeps_what_was_typed(portal):
    nrk = employee(portal, 7)
    s = session_for(portal, nrk)
    before = snapshot(portal, nrk)
    page = open_tambah(s)
    expire(portal, s)
    r = post_address(s, page, typed(alamat="Jl. Draf Tersimpan No. 7",
                                    keterangan="ketik sebelum habis"))
    assert r.status_code == 303
    assert r.headers["Location"] == "/login?habis=1"
    assert "Draf Tersimpan" not in r.headers["Location"]
    assert s.cookies.get("pgw_draf")
    assert snapshot(portal, nrk) == before
    for path in ("/riwayat/alamat?tampilkan=1", "/riwayat/alamat/tambah"):
        r = s.get(path, allow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["Location"].startswith("/login"), path
    r = s.get("/riwayat/alamat/wilayah?induk=31", allow_redirects=False)
    assert r.status_code == 403
    # Logging in again leads back to the form, with what was typed.
    r = login(s, nrk, DEMO_PASSWORD)
    assert r.status_code == 303
    assert r.headers["Location"] == "/riwayat/alamat/tambah"
    page = open_tambah(s)
    assert "Jl. Draf Tersimpan No. 7" in page
    assert "ketik sebelum habis" in page
    # Shown once: the draft is gone afterwards.
    assert "Jl. Draf Tersimpan No. 7" not in open_tambah(s)
    assert snapshot(portal, nrk) == before
    add(s, typed())
    assert len(entries(portal, nrk)) == 1


# ------------------------------------------------------------ wilayah

def _wilayah(s, induk=None):
    params = {} if induk is None else {"induk": induk}
    r = s.get("/riwayat/alamat/wilayah", params=params,
              allow_redirects=False)
    assert r.status_code == 200, (induk, r.status_code)
    assert r.headers["Content-Type"].split(";")[0].strip() == \
        "application/json"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    body = r.json()
    assert list(body) == ["wilayah"]
    for row in body["wilayah"]:
        assert set(row) == {"kode", "nama"}
        assert isinstance(row["kode"], str) and row["nama"]
    return body["wilayah"], r


def test_wilayah_lists_the_children_of_a_region(portal):
    s = session_for(portal, "181679")
    provinces, r = _wilayah(s)
    assert len(provinces) == 38
    codes = [p["kode"] for p in provinces]
    assert codes == sorted(codes)
    assert all(re.fullmatch(r"\d\d", c) for c in codes)
    assert {"kode": "31", "nama": region_name(portal, "31")} in provinces
    # Not personal: a browser may keep it a while, no shared cache.
    assert "private" in r.headers["Cache-Control"]

    kota, _ = _wilayah(s, "31")
    assert [k["kode"] for k in kota] == DKI_KOTA
    assert [k["nama"] for k in kota] == [region_name(portal, c)
                                         for c in DKI_KOTA]
    kecamatan, _ = _wilayah(s, "31.71")
    assert [k["kode"] for k in kecamatan] == children(portal, "31.71")
    assert "31.71.01" in [k["kode"] for k in kecamatan]
    kelurahan, _ = _wilayah(s, "31.71.01")
    assert [k["kode"] for k in kelurahan] == children(portal, "31.71.01")
    assert len(kelurahan) == 6
    assert {"kode": "31.71.01.1005",
            "nama": region_name(portal, "31.71.01.1005")} in kelurahan
    # A code of the right shape with nothing under it.
    assert _wilayah(s, "99")[0] == []
    assert _wilayah(s, "31.76.01")[0] == []
    # Every kecamatan of DKI is reachable from 31.
    total = sum(len(_wilayah(s, k)[0]) for k in DKI_KOTA)
    assert total == 44


def test_wilayah_names_are_json_escaped(portal):
    s = session_for(portal, "181679")
    # idn-area-data has villages whose names hold a double quote
    # (Soka"an, 35.13.15.2017) and non-ASCII letters (Regapu’u).
    quoted = portal.sql("SELECT kode, nama, kecamatan FROM "
                        "wilayah_kelurahan WHERE nama LIKE '%\"%' "
                        "ORDER BY kode LIMIT 1")
    assert quoted, "no region name with a double quote"
    kode, nama, parent = quoted[0]
    rows, r = _wilayah(s, parent)
    assert {"kode": kode, "nama": nama} in rows
    assert json.dumps(nama, ensure_ascii=False)[1:-1] in r.text \
        or json.dumps(nama)[1:-1] in r.text
    wide = portal.sql("SELECT kode, nama, kecamatan FROM wilayah_kelurahan "
                      "WHERE kode = '53.07.01.2021'")
    if wide:
        rows, r = _wilayah(s, wide[0][2])
        assert {"kode": wide[0][0], "nama": wide[0][1]} in rows
    # A name with everything JSON must escape, inserted for the test.
    odd = 'Tes "Kutip" \\ Garis\tMiring </script><b>'
    portal.sql("INSERT INTO wilayah_kelurahan (kode, kecamatan, nama) "
               "VALUES ('31.71.01.2999', '31.71.01', ?)", odd)
    try:
        rows, r = _wilayah(s, "31.71.01")
        assert {"kode": "31.71.01.2999", "nama": odd} in rows
        assert "</script>" not in r.text and "\t" not in r.text
    finally:
        portal.sql("DELETE FROM wilayah_kelurahan WHERE kode = "
                   "'31.71.01.2999'")


@pytest.mark.parametrize("induk", [
    "3", "317", "3171", "31.7", "31.711", "31.71.01.1001",
    "31.71.01.10011", "x" * 40, "ab", "31.7a", "3.171", "31/71",
    "31.71.0'", "31%2C71", "31.71;--",
])
def test_wilayah_refuses_a_bad_induk(portal, induk):
    s = session_for(portal, "181679")
    r = s.get("/riwayat/alamat/wilayah?induk=" + induk,
              allow_redirects=False)
    assert r.status_code == 400, (induk, r.status_code, r.text[:200])


def test_wilayah_needs_a_session(client):
    for path in ("/riwayat/alamat/wilayah",
                 "/riwayat/alamat/wilayah?induk=31"):
        r = client.get(path, allow_redirects=False)
        assert r.status_code == 403, path
        assert '"wilayah"' not in r.text


# ------------------------------------------------------------ no script

def test_the_form_works_in_steps_without_scripts(portal):
    """Without scripts the selects cannot fill themselves: the employee
    picks a province and presses the step button (perbarui=1), which
    redraws the form with the kota of that province, and so on down;
    nothing is stored and nothing is called a mistake until SIMPAN."""
    nrk = employee(portal, 11)
    s = session_for(portal, nrk)
    before = snapshot(portal, nrk)
    page = open_tambah(s)
    f = address_form(page)
    assert len(f["options"]["provinsi"]) == 38
    assert f["options"]["kota"] == []
    assert 'name="perbarui"' in page

    start = {"alamat": "Jl. Langkah Demi Langkah 3", "rt": "3", "rw": "4",
             "kode_pos": "10110", "ktp_sama": "on"}
    steps = [("provinsi", "31", "kota", DKI_KOTA),
             ("kota", "31.71", "kecamatan", children(portal, "31.71")),
             ("kecamatan", "31.71.01", "kelurahan",
              children(portal, "31.71.01"))]
    chosen = dict(start)
    for field, value, below, want in steps:
        chosen[field] = value
        r = post_address(s, page, chosen, extra=[("perbarui", "1")])
        assert r.status_code == 200, (field, r.status_code,
                                      text_of(r.text)[:800])
        f = address_form(r.text)
        assert f["options"][below] == want, below
        assert not f["fields"].get(below)
        for k, v in chosen.items():
            assert (f["fields"].get(k) or None) == v or \
                (k == "ktp_sama" and f["fields"].get(k)), k
        text = text_of(r.text)
        assert "wajib diisi" not in text, text[:800]
        assert "Alamat belum disimpan" not in text
        assert snapshot(portal, nrk) == before
        page = r.text

    # Changing the province again offers that province's kota, and the
    # old choice below it is gone.
    r = post_address(s, page, {"provinsi": "32"},
                     extra=[("perbarui", "1")])
    assert r.status_code == 200
    f = address_form(r.text)
    assert f["options"]["kota"] == children(portal, "32")
    assert not f["fields"].get("kota")
    assert f["options"]["kelurahan"] == []
    assert snapshot(portal, nrk) == before

    # The last step is SIMPAN.
    r = post_address(s, page, {"kelurahan": "31.71.01.1001"})
    assert r.status_code == 303, (r.status_code, text_of(r.text)[:800])
    got = entries(portal, nrk)[-1]
    assert [got[x] for x in REGIONS] == ["31", "31.71", "31.71.01",
                                         "31.71.01.1001"]


# ------------------------------------------------------------ methods

def test_methods(portal):
    s = session_for(portal, "181679")
    for path in ("/riwayat/alamat", "/riwayat/alamat/tambah",
                 "/riwayat/alamat?tampilkan=1"):
        r = s.head(path)
        assert r.status_code == 200, path
        assert r.text == ""
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    allowed = {"/riwayat/alamat": "GET, HEAD",
               "/riwayat/alamat/tambah": "GET, HEAD, POST",
               "/riwayat/alamat/ubah?id=1": "GET, HEAD, POST",
               "/riwayat/alamat/hapus": "POST",
               "/riwayat/alamat/wilayah?induk=31": "GET, HEAD"}
    for path, allow in allowed.items():
        for method in ("PUT", "DELETE", "PATCH", "OPTIONS", "GET", "POST"):
            if method in allow:
                continue
            r = s.request(method, path, data={"x": "1"},
                          allow_redirects=False)
            assert r.status_code == 405, (method, path)
            assert r.headers["Allow"] == allow, (method, path)
    r = s.head("/riwayat/alamat/hapus")
    assert r.status_code == 405
    assert r.headers["Allow"] == "POST"


def test_an_entry_changed_while_it_is_deleted_is_a_conflict(portal):
    """The version is read, then the DELETE runs with it in its WHERE
    clause; when another tab wins in between, nothing is deleted and the
    answer is the same 409. A trigger that skips the delete stands in
    for the other tab."""
    nrk = employee(portal, 18)
    s = session_for(portal, nrk)
    add(s, typed(tanggal_mulai="03-03-2003"))
    entry = entries(portal, nrk)[-1]
    fields = [f for f in forms(list_page(s))
              if f["fields"].get("id") == entry["id"]][0]["fields"]
    if portal.driver == "pgsql":
        portal.sql("CREATE FUNCTION pgw_test_skip() RETURNS trigger "
                   "LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$; "
                   "CREATE TRIGGER pgw_test_skip BEFORE DELETE ON "
                   "riwayat_alamat FOR EACH ROW "
                   "EXECUTE FUNCTION pgw_test_skip()")
        drop = ("DROP TRIGGER pgw_test_skip ON riwayat_alamat; "
                "DROP FUNCTION pgw_test_skip()")
    else:
        portal.sql("CREATE TRIGGER pgw_test_skip BEFORE DELETE ON "
                   "riwayat_alamat BEGIN SELECT RAISE(IGNORE); END")
        drop = "DROP TRIGGER pgw_test_skip"
    before = snapshot(portal, nrk)
    try:
        r = s.post("/riwayat/alamat/hapus", data=fields,
                   allow_redirects=False)
    finally:
        portal.sql(drop)
    assert r.status_code == 409
    assert "baru saja diubah" in text_of(r.text)
    assert snapshot(portal, nrk) == before
    r = s.post("/riwayat/alamat/hapus", data=fields, allow_redirects=False)
    assert r.status_code == 303


# ------------------------------------------------------------ review gaps

def emptied(portal, k):
    """The k-th employee, with no address history left by earlier
    tests."""
    nrk = employee(portal, k)
    portal.sql("DELETE FROM riwayat_alamat WHERE nrk = ?", nrk)
    return nrk


def compared(page):
    """{label: (typed, stored)} of a 409's comparison table."""
    table = re.search(r'<table[^>]*compare-table.*?</table>', page, re.S)
    assert table, "no comparison in the page"
    rows = {}
    for tr in re.findall(r"<tr\b[^>]*>(.*?)</tr>", table.group(0), re.S):
        if 'scope="col"' in tr:
            continue
        cells = [text_of(c) for c in
                 re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", tr, re.S)]
        assert len(cells) == 3, cells
        rows[cells[0]] = (cells[1], cells[2])
    return rows


def test_a_conflict_shows_the_typed_values_beside_the_stored(portal):
    nrk = emptied(portal, 3)
    s = session_for(portal, nrk)
    add(s, typed())
    entry = only_entry(portal, nrk)
    other = [k for k in children(portal, "31.71.01")
             if k != HOME["kelurahan"]][0]
    tab1, tab2 = open_ubah(s, entry["id"]), open_ubah(s, entry["id"])
    r = post_address(s, tab1, {"alamat": "Jl. Dari Tab Satu 1", "rt": "7",
                               "kelurahan": other})
    assert r.status_code == 303
    saved = snapshot(portal, nrk)
    r = post_address(s, tab2, {"alamat": "Jl. Dari Tab Dua 2", "rw": "9"})
    assert r.status_code == 409
    assert snapshot(portal, nrk) == saved
    mine_kel = region_name(portal, HOME["kelurahan"])
    now_kel = region_name(portal, other)
    # Only what differs, typed values in their stored form ("9" is
    # "009"), regions by name; not the KTP block, a copy of the
    # residence on both sides.
    assert compared(r.text) == {
        "Alamat": ("Jl. Dari Tab Dua 2", "Jl. Dari Tab Satu 1"),
        "RT": ("005", "007"), "RW": ("009", "003"),
        "Kelurahan/Desa": (mine_kel, now_kel),
    }
    shown = address_form(r.text)["fields"]
    assert (shown["alamat"], shown["rw"]) == ("Jl. Dari Tab Dua 2", "9")
    assert hidden_fields(r.text)["versi"] == "2"
    r = post_address(s, r.text)
    assert r.status_code == 303
    got = only_entry(portal, nrk)
    assert (got["alamat"], got["rw"], got["kelurahan"], got["versi"]) == (
        "Jl. Dari Tab Dua 2", "009", HOME["kelurahan"], "3")

    # The checkbox unticked on one side: the KTP block differs.
    tab1, tab2 = open_ubah(s, entry["id"]), open_ubah(s, entry["id"])
    assert post_address(s, tab1, {"rt": "1"}).status_code == 303
    r = post_address(s, tab2, dict(KTP, ktp_sama=None))
    assert r.status_code == 409
    rows = compared(r.text)
    assert rows["Alamat KTP sesuai dengan alamat tempat tinggal"] == (
        "Tidak", "Ya")
    assert rows["Alamat KTP"] == (KTP["alamat_ktp"], "Jl. Dari Tab Dua 2")
    assert rows["Provinsi (KTP)"] == (region_name(portal, "32"),
                                      region_name(portal, "31"))
    assert rows["RT"] == ("005", "001")


@contextlib.contextmanager
def held_update(portal, query):
    """Runs query in a transaction of another connection and holds it
    uncommitted inside the block (its row locked, its change unseen by
    others), committing at the end: another tab's save that lands
    between the portal's read of an entry and its UPDATE."""
    cmd = portal.client_command("-bail", "-cmd", ".timeout 5000")
    locker = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    locker.stdin.write("BEGIN;\n%s;\nSELECT 'dikunci';\n" % query)
    locker.stdin.flush()
    if locker.stdout.readline().strip() != "dikunci":
        locker.kill()
        locker.wait(timeout=30)
        raise AssertionError("the other connection's UPDATE failed")
    try:
        yield
    finally:
        locker.stdin.write("COMMIT;\n")
        locker.stdin.close()
        locker.wait(timeout=30)
    assert locker.returncode == 0


def test_a_save_racing_another_tab_is_a_conflict_with_its_version(portal):
    """The portal reads the entry (versi 1, as posted), and another tab
    commits versi 2 before the portal's UPDATE: the UPDATE names versi 1
    and changes nothing, and the 409 carries versi 2 and the values of
    the other tab, so that a second SIMPAN can store the typed ones."""
    nrk = emptied(portal, 4)
    s = session_for(portal, nrk)
    add(s, typed())
    entry = only_entry(portal, nrk)
    page = open_ubah(s, entry["id"])
    result = {}

    def simpan():
        result["r"] = post_address(s, page, {"alamat": "Jl. Tab Ini 1"})

    with held_update(portal, "UPDATE riwayat_alamat SET versi = 2, "
                     "alamat = 'Jl. Tab Lain 2', alamat_ktp = 'Jl. Tab Lain "
                     "2' WHERE id = %s" % entry["id"]):
        t = threading.Thread(target=simpan)
        t.start()
        time.sleep(1.5)
    t.join(timeout=30)
    r = result["r"]
    assert r.status_code == 409, (r.status_code, shown_errors(r.text))
    got = only_entry(portal, nrk)
    assert (got["alamat"], got["versi"]) == ("Jl. Tab Lain 2", "2")
    assert audit_rows(portal, nrk, "ubah") == []
    assert compared(r.text)["Alamat"] == ("Jl. Tab Ini 1", "Jl. Tab Lain 2")
    assert hidden_fields(r.text)["versi"] == "2"
    r = post_address(s, r.text)
    assert r.status_code == 303
    got = only_entry(portal, nrk)
    assert (got["alamat"], got["versi"]) == ("Jl. Tab Ini 1", "3")


def test_an_update_that_changes_no_row_is_a_conflict(portal):
    """As the hapus trigger test: a trigger that skips the UPDATE stands
    in for another tab that won, so that the count of changed rows is
    what decides. Nothing is audited, and the form is the typed one."""
    nrk = emptied(portal, 5)
    s = session_for(portal, nrk)
    add(s, typed())
    entry = only_entry(portal, nrk)
    page = open_ubah(s, entry["id"])
    if portal.driver == "pgsql":
        portal.sql("CREATE FUNCTION pgw_test_skip() RETURNS trigger "
                   "LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$; "
                   "CREATE TRIGGER pgw_test_skip BEFORE UPDATE ON "
                   "riwayat_alamat FOR EACH ROW "
                   "EXECUTE FUNCTION pgw_test_skip()")
        drop = ("DROP TRIGGER pgw_test_skip ON riwayat_alamat; "
                "DROP FUNCTION pgw_test_skip()")
    else:
        portal.sql("CREATE TRIGGER pgw_test_skip BEFORE UPDATE ON "
                   "riwayat_alamat BEGIN SELECT RAISE(IGNORE); END")
        drop = "DROP TRIGGER pgw_test_skip"
    before = snapshot(portal, nrk)
    try:
        r = post_address(s, page, {"alamat": "Jl. Tidak Tersimpan 3"})
    finally:
        portal.sql(drop)
    assert r.status_code == 409
    assert snapshot(portal, nrk) == before
    assert compared(r.text)["Alamat"] == (
        "Jl. Tidak Tersimpan 3", HOME["alamat"])
    assert address_form(r.text)["fields"]["alamat"] == \
        "Jl. Tidak Tersimpan 3"
    assert hidden_fields(r.text)["versi"] == entry["versi"]
    r = post_address(s, r.text)
    assert r.status_code == 303
    assert only_entry(portal, nrk)["alamat"] == "Jl. Tidak Tersimpan 3"


def test_a_delete_whose_commit_fails_is_not_reported_done(portal,
                                                         expect_log):
    """A foreign key checked at COMMIT (a row elsewhere still naming the
    entry) makes the COMMIT fail after the DELETE and its audit rows
    went through: 503, and the entry is still there."""
    if portal.driver != "pgsql":
        pytest.skip("the test's table invalidates SQLite's prepared "
                    "statements before the COMMIT (docs/LIMITATIONS.md)")
    expect_log(r"PGW00013: statement COMMIT failed")
    nrk = emptied(portal, 6)
    s = session_for(portal, nrk)
    add(s, typed())
    entry = only_entry(portal, nrk)
    portal.sql("CREATE TABLE pgw_test_ref (alamat BIGINT REFERENCES "
               "riwayat_alamat (id) DEFERRABLE INITIALLY DEFERRED); "
               "INSERT INTO pgw_test_ref VALUES (%s)" % entry["id"])
    before = snapshot(portal, nrk)
    try:
        r = s.post("/riwayat/alamat/hapus",
                   data={"id": entry["id"], "versi": entry["versi"],
                         "csrf_token": csrf_token(list_page(s))},
                   allow_redirects=False)
    finally:
        portal.sql("DROP TABLE pgw_test_ref")
    assert r.status_code == 503
    assert snapshot(portal, nrk) == before


def test_correcting_an_entry_deleted_meanwhile_keeps_what_was_typed(portal):
    nrk = emptied(portal, 8)
    s = session_for(portal, nrk)
    add(s, typed())
    entry = only_entry(portal, nrk)
    page = open_ubah(s, entry["id"])
    r = s.post("/riwayat/alamat/hapus",
               data={"id": entry["id"], "versi": entry["versi"],
                     "csrf_token": csrf_token(list_page(s))},
               allow_redirects=False)
    assert r.status_code == 303
    before = snapshot(portal, nrk)
    r = post_address(s, page, {"alamat": "Jl. Yang Diketik 5", "rw": "12",
                               "keterangan": "jangan hilang"})
    assert r.status_code == 409
    assert snapshot(portal, nrk) == before
    assert "sudah dihapus" in text_of(r.text)
    # Tambah Data, with what was typed and no version of the old entry.
    f = address_form(r.text)
    assert html.unescape(f["action"]) == "/riwayat/alamat/tambah"
    assert "versi" not in f["fields"] and "id" not in f["fields"]
    assert (f["fields"]["alamat"], f["fields"]["rw"],
            f["fields"]["keterangan"]) == (
        "Jl. Yang Diketik 5", "12", "jangan hilang")
    r = post_address(s, r.text)
    assert r.status_code == 303
    got = only_entry(portal, nrk)
    assert (got["alamat"], got["rw"], got["keterangan"], got["kelurahan"]) \
        == ("Jl. Yang Diketik 5", "012", "jangan hilang", HOME["kelurahan"])
    # Without a valid token the answer is still a refusal.
    r = post_address(s, page, {"alamat": "Jl. Tanpa Token 6"},
                     drop=("csrf_token",))
    assert r.status_code == 403


def test_one_refusal_names_every_wrong_field(portal):
    """A region that does not exist is named with the other mistakes,
    not only once they are corrected."""
    nrk = emptied(portal, 9)
    s = session_for(portal, nrk)
    missing = "31.71.01.9999"  # the shape of a kelurahan of 31.71.01
    assert missing not in children(portal, "31.71.01")
    missing_ktp = "32.73.01.9999"
    assert missing_ktp not in children(portal, "32.73.01")
    r = post_address(s, open_tambah(s),
                     typed(ktp_sama=False, rt="abcd", kelurahan=missing,
                           kelurahan_ktp=missing_ktp, rw_ktp="12345"))
    assert r.status_code == 422
    assert "4 isian" in text_of(r.text), shown_errors(r.text)
    for field in ("kelurahan", "kelurahan_ktp"):
        assert message_at_field(r.text, field,
                                "Pilih dari daftar wilayah yang tersedia."), \
            (field, shown_errors(r.text))
    assert entries(portal, nrk) == []


def test_the_whole_country_is_loaded(portal):
    counts = [int(portal.sql("SELECT count(*) FROM %s" % t)[0][0])
              for t in ("wilayah_provinsi", "wilayah_kabupaten",
                        "wilayah_kecamatan", "wilayah_kelurahan")]
    assert counts == [38, 514, 7285, 83762]
    dki = [int(portal.sql("SELECT count(*) FROM %s WHERE kode LIKE '31.%%'"
                          % t)[0][0])
           for t in ("wilayah_kabupaten", "wilayah_kecamatan",
                     "wilayah_kelurahan")]
    assert dki == [6, 44, 267]
    assert children(portal, "31") == DKI_KOTA


def test_a_correction_survives_an_expired_session(portal):
    nrk = emptied(portal, 10)
    s = session_for(portal, nrk)
    add(s, typed())
    entry = only_entry(portal, nrk)
    path = "/riwayat/alamat/ubah?id=" + entry["id"]
    page = open_ubah(s, entry["id"])
    expire(portal, s)
    r = post_address(s, page, {"alamat": "Jl. Draf Koreksi 10",
                               "rt": "10"})
    assert r.status_code == 303
    assert r.headers["Location"] == "/login?habis=1"
    assert only_entry(portal, nrk) == entry
    r = login(s, nrk, DEMO_PASSWORD)
    assert r.headers["Location"] == path
    page = open_ubah(s, entry["id"])
    shown = address_form(page)["fields"]
    assert (shown["alamat"], shown["rt"]) == ("Jl. Draf Koreksi 10", "10")
    assert hidden_fields(page)["versi"] == entry["versi"]
    r = post_address(s, page)
    assert r.status_code == 303
    got = only_entry(portal, nrk)
    assert (got["alamat"], got["rt"], got["versi"]) == (
        "Jl. Draf Koreksi 10", "010", "2")


def test_a_stale_draft_of_a_correction_is_a_conflict(portal):
    """The draft keeps the version it was typed against: when another
    session saved meanwhile, the restored form's SIMPAN is the 409."""
    nrk = emptied(portal, 11)
    s, other = session_for(portal, nrk), session_for(portal, nrk)
    add(s, typed())
    entry = only_entry(portal, nrk)
    page = open_ubah(s, entry["id"])
    expire(portal, s)
    r = post_address(s, page, {"alamat": "Jl. Draf Basi 11"})
    assert r.headers["Location"] == "/login?habis=1"
    r = post_address(other, open_ubah(other, entry["id"]),
                     {"alamat": "Jl. Sesi Lain 11"})
    assert r.status_code == 303
    saved = snapshot(portal, nrk)
    login(s, nrk, DEMO_PASSWORD)
    page = open_ubah(s, entry["id"])
    assert address_form(page)["fields"]["alamat"] == "Jl. Draf Basi 11"
    r = post_address(s, page)
    assert r.status_code == 409
    assert snapshot(portal, nrk) == saved
    assert compared(r.text)["Alamat"] == ("Jl. Draf Basi 11",
                                          "Jl. Sesi Lain 11")
    assert hidden_fields(r.text)["versi"] == "2"


def test_a_draft_of_a_correction_deleted_meanwhile_is_kept(portal):
    """The entry went while the session was out: after the login the
    draft comes back as Tambah Data, not as a bare 404."""
    nrk = emptied(portal, 13)
    s, other = session_for(portal, nrk), session_for(portal, nrk)
    add(s, typed())
    entry = only_entry(portal, nrk)
    page = open_ubah(s, entry["id"])
    expire(portal, s)
    r = post_address(s, page, {"alamat": "Jl. Draf Yatim 13"})
    assert r.headers["Location"] == "/login?habis=1"
    r = other.post("/riwayat/alamat/hapus",
                   data={"id": entry["id"], "versi": entry["versi"],
                         "csrf_token": csrf_token(list_page(other))},
                   allow_redirects=False)
    assert r.status_code == 303
    r = login(s, nrk, DEMO_PASSWORD)
    assert r.headers["Location"] == "/riwayat/alamat/ubah?id=" + entry["id"]
    page = open_ubah(s, entry["id"])
    assert "sudah dihapus" in text_of(page)
    f = address_form(page)
    assert html.unescape(f["action"]) == "/riwayat/alamat/tambah"
    assert f["fields"]["alamat"] == "Jl. Draf Yatim 13"
    # Shown once; then the entry is simply not found.
    r = s.get("/riwayat/alamat/ubah?id=" + entry["id"],
              allow_redirects=False)
    assert r.status_code == 404
    assert post_address(s, page).status_code == 303
    assert only_entry(portal, nrk)["alamat"] == "Jl. Draf Yatim 13"


def test_a_delete_with_an_expired_session_deletes_nothing(portal):
    nrk = emptied(portal, 12)
    s = session_for(portal, nrk)
    add(s, typed())
    before = snapshot(portal, nrk)
    entry = before[0][0]
    token = csrf_token(list_page(s))
    expire(portal, s)
    r = s.post("/riwayat/alamat/hapus",
               data={"id": entry["id"], "versi": entry["versi"],
                     "csrf_token": token}, allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"].startswith("/login")
    assert snapshot(portal, nrk) == before
    # Logged in again, the same Hapus goes through.
    login(s, nrk, DEMO_PASSWORD)
    r = s.post("/riwayat/alamat/hapus",
               data={"id": entry["id"], "versi": entry["versi"],
                     "csrf_token": csrf_token(list_page(s))},
               allow_redirects=False)
    assert r.status_code == 303
    assert entries(portal, nrk) == []


def test_missing_values_show_the_same_on_both_databases(portal):
    """An entry without RT, RW, regions or postal code (loaded from an
    older system): "-" in their columns and nothing of them in the KTP
    line, whether the driver reads the NULLs as NULL or as ""."""
    nrk = emptied(portal, 14)
    portal.sql("INSERT INTO riwayat_alamat (nrk, tanggal_mulai, alamat, "
               "ktp_sama, alamat_ktp, dibuat_pada) VALUES (?, '2001-02-03', "
               "'Jl. Tanpa Wilayah 1', 0, 'Jl. KTP Tanpa Wilayah 2', 0)",
               nrk)
    entry = only_entry(portal, nrk)
    s = session_for(portal, nrk)
    page = list_page(s)
    row = re.search(r"<tr\b[^>]*>((?:(?!</tr>).)*ubah\?id=%s\b.*?)</tr>"
                    % entry["id"], page, re.S).group(1)
    for label in ("RT/RW", "Kelurahan", "Kecamatan", "Kota/Kabupaten",
                  "Provinsi", "Kode Pos"):
        cell = re.search(r'<td[^>]*data-label="%s"[^>]*>(.*?)</td>'
                         % re.escape(label), row, re.S)
        assert cell, label
        assert text_of(cell.group(1)) in ("-", "-/-"), (label, cell.group(1))
    ktp = re.search(r'<td[^>]*data-label="Alamat KTP"[^>]*>(.*?)</td>',
                    row, re.S)
    assert text_of(ktp.group(1)) == "Jl. KTP Tanpa Wilayah 2"


# ------------------------------------------------------------ one form, one entry

def test_a_second_simpan_of_the_same_form_adds_nothing(portal):
    """A double click, or SIMPAN again after a slow answer: the Tambah
    Data form's own key (kiriman) finds its entry already there, and the
    answer is the same 303. A new form adds a new entry; a post without
    the key (a script of the agency's) adds one each time, as before."""
    nrk = emptied(portal, 22)
    s = session_for(portal, nrk)
    page = open_tambah(s)
    key = address_form(page)["fields"]["kiriman"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", key)
    assert address_form(open_tambah(s))["fields"]["kiriman"] != key

    for _ in range(3):
        r = post_address(s, page, typed())
        assert r.status_code == 303, (r.status_code, shown_errors(r.text))
        assert r.headers["Location"] == \
            "/riwayat/alamat?tampilkan=1&disimpan=1"
    assert len(entries(portal, nrk)) == 1
    assert len(set(audit_keys(portal, nrk, "tambah"))) == 1

    # Even when the second SIMPAN carries other values: the form's entry
    # is in, and a change is a correction (Ubah), not a second entry.
    r = post_address(s, page, typed(alamat="Jl. Lain No. 2"))
    assert r.status_code == 303
    assert [e["alamat"] for e in entries(portal, nrk)] == [
        HOME_STORED["alamat"]]

    add(s, typed(tanggal_mulai="05-05-2005"))
    assert len(entries(portal, nrk)) == 2
    for _ in range(2):
        r = post_address(s, open_tambah(s), typed(), drop=("kiriman",))
        assert r.status_code == 303
    assert len(entries(portal, nrk)) == 4


def test_twin_simpans_at_the_same_moment_add_one_entry(portal, expect_log):
    """The twin is another connection that inserts the form's entry and
    holds it uncommitted: the portal's check does not see it yet, its
    INSERT waits, meets the unique index when the twin commits, and the
    answer is still the 303 of a saved form, with one entry."""
    expect_log(r"PGW00013: statement pgw_alamat_insert failed")
    nrk = emptied(portal, 23)
    s = session_for(portal, nrk)
    add(s, typed())
    first = only_entry(portal, nrk)
    page = open_tambah(s)
    key = address_form(page)["fields"]["kiriman"]
    result = {}

    def simpan():
        result["r"] = post_address(s, page, typed(alamat="Jl. Kembar 2"))

    columns = ", ".join(["nrk", "dibuat_pada"] + FIELDS)
    with held_update(portal, "INSERT INTO riwayat_alamat (%s, kiriman) "
                     "SELECT %s, '%s' FROM riwayat_alamat WHERE id = %s"
                     % (columns, columns, key, first["id"])):
        t = threading.Thread(target=simpan)
        t.start()
        time.sleep(1.5)
    t.join(timeout=30)
    r = result["r"]
    assert r.status_code == 303, (r.status_code, shown_errors(r.text))
    assert r.headers["Location"] == "/riwayat/alamat?tampilkan=1&disimpan=1"
    got = entries(portal, nrk)
    assert len(got) == 2
    assert "Jl. Kembar 2" not in [e["alamat"] for e in got]
    assert len(set(audit_keys(portal, nrk, "tambah"))) == 1
