"""Form Isi Data Pegawai (issue 3, manual section 2.2): GET|POST
/profile/data, the change history at /profile/riwayat and the
completeness indicator of /profile, against a real apache2 on SQLite or
PostgreSQL.

Tests that change data work on generated employees, each on its own
(offsets 230 and up of the generated NRKs, which no other test file
uses), so that they neither disturb one another nor the manual's two
employees the other tests read.
"""

import contextlib
import hashlib
import html
import html.parser
import re
import threading
import time

import pytest

from harness import PortalSession, csrf_token, hidden_fields, login

DEMO_PASSWORD = "rahasia-demo"
SESSION_COOKIE = "pgw_sesi"
DRAFT_COOKIE = "pgw_draf"

# The form's fields in the order it shows them (PRODUCT.md), with the
# label each has on the form and in messages.
FIELDS = ["agama", "jenis_kelamin", "no_taspen", "nik", "no_kk",
          "no_rek_bank_dki", "npwp", "gol_darah", "no_telp", "no_hp",
          "pendidikan_cpns", "no_karpeg", "no_bpjs", "no_karis_karsu",
          "email"]
LABELS = {
    "agama": "Agama", "jenis_kelamin": "Jenis Kelamin",
    "no_taspen": "No. TASPEN", "nik": "NIK",
    "no_kk": "No. Kartu Keluarga", "no_rek_bank_dki": "No. Rek Bank DKI",
    "npwp": "NPWP", "gol_darah": "Gol. Darah", "no_telp": "No. Telp",
    "no_hp": "No. HP",
    "pendidikan_cpns": "Pendidikan pada waktu diangkat CPNS",
    "no_karpeg": "No. KARPEG", "no_bpjs": "No. BPJS Kesehatan",
    "no_karis_karsu": "No. Kartu Suami/Istri", "email": "Email",
}
REQUIRED = ["agama", "jenis_kelamin", "nik", "no_kk", "no_rek_bank_dki",
            "npwp", "gol_darah", "no_hp", "pendidikan_cpns"]
# Columns of pegawai the form must never change.
PROTECTED = ["nrk", "nip", "nama", "gelar_depan", "gelar_belakang",
             "tempat_lahir", "tanggal_lahir", "status_pegawai", "golongan",
             "eselon", "jenis_jabatan", "jabatan", "unit_kerja",
             "lokasi_kerja"]
# Identifiers the change history shows masked but for the last four.
MASKED = ["nik", "no_kk", "npwp", "no_rek_bank_dki", "no_bpjs",
          "no_taspen", "no_karpeg", "no_karis_karsu"]


@pytest.fixture(autouse=True)
def fresh_throttle(portal):
    """Every test logs in from 127.0.0.1; start with no failures."""
    portal.sql("DELETE FROM login_throttle")
    yield


# ------------------------------------------------------------ helpers

_generated = {}


def generated(portal, offset):
    """(nrk, nip) of the generated employee at offset, in NRK order."""
    if not _generated.get(portal.data):
        _generated[portal.data] = portal.sql(
            "SELECT a.nrk, p.nip FROM account a JOIN pegawai p "
            "ON p.nrk = a.nrk WHERE a.nrk NOT IN ('181678', '181679') "
            "ORDER BY a.nrk")
    rows = _generated[portal.data]
    assert len(rows) > offset
    return rows[offset]


def generated_woman(portal, start):
    """The first generated woman (NIP digit 15 is 2) from offset start."""
    for offset in range(start, start + 40):
        nrk, nip = generated(portal, offset)
        if nip[14] == "2":
            return nrk, nip
    raise AssertionError("no woman among the generated employees")


def session_for(portal, nrk):
    s = PortalSession(portal.base_url)
    r = login(s, nrk, DEMO_PASSWORD)
    assert r.status_code == 303, r.status_code
    return s


def session_hash(s):
    return hashlib.sha256(s.cookies.get(SESSION_COOKIE).encode()).hexdigest()


def nik_for(nip, wilayah="317409", sequence=1):
    """The NIK that agrees with the NIP: DDMMYY of its birth date, 40
    added to the day for a woman (Permendagri 72/2019)."""
    day = int(nip[6:8]) + (40 if nip[14] == "2" else 0)
    return "%s%02d%s%s%04d" % (wilayah, day, nip[4:6], nip[2:4], sequence)


def luhn_ok(digits):
    total = 0
    for i, c in enumerate(reversed(digits)):
        v = int(c)
        if i % 2 == 1:
            v = v * 2 - 9 if v * 2 > 9 else v * 2
        total += v
    return total % 10 == 0


def npwp15(serial8, rest="017000"):
    """A 15-digit NPWP: serial, the Luhn check digit, office and branch."""
    for check in "0123456789":
        if luhn_ok(serial8 + check):
            return serial8 + check + rest
    raise AssertionError("no check digit")


def gender(nip):
    return "P" if nip[14] == "2" else "L"


def valid_values(nip):
    """Canonical values of every field that all agree with the NIP."""
    nik = nik_for(nip)
    return {
        "agama": "2", "jenis_kelamin": gender(nip),
        "no_taspen": "TSP83070511", "nik": nik,
        "no_kk": "3174091908131016", "no_rek_bank_dki": "50220242733",
        "npwp": nik, "gol_darah": "AB", "no_telp": "0213842000",
        "no_hp": "081234567890", "pendidikan_cpns": "5313",
        "no_karpeg": "Q219306", "no_bpjs": "0001234567890",
        "no_karis_karsu": "105610K", "email": "budi.santoso@jakarta.go.id",
    }


def stored(portal, nrk, columns=None):
    columns = columns or FIELDS
    row = portal.sql("SELECT %s FROM pegawai WHERE nrk = ?"
                     % ", ".join(columns), nrk)[0]
    return dict(zip(columns, row))


def versi(portal, nrk):
    return int(portal.sql("SELECT versi FROM pegawai WHERE nrk = ?",
                          nrk)[0][0])


def audit_rows(portal, nrk, action="ubah"):
    return portal.sql("SELECT actor, subject_nrk, action, table_name, "
                      "column_name, old_value, new_value, at, client_ip "
                      "FROM audit_log WHERE subject_nrk = ? AND action = ? "
                      "ORDER BY id", nrk, action)


class _Forms(html.parser.HTMLParser):
    """Every form of a page: its action and the values a browser would
    submit from it (text inputs, checked radios, selected options)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._select = None
        self._option = None

    def _form(self):
        if not self.forms:
            self.forms.append({"action": None, "fields": {}, "names": set()})
        return self.forms[-1]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "fields": {},
                               "names": set()})
        elif tag == "input" and a.get("name"):
            f = self._form()
            f["names"].add(a["name"])
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
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
        elif tag == "option" and self._select:
            self._option = a
            if "selected" in a:
                self._form()["fields"][self._select] = a.get("value")
        elif tag == "textarea" and a.get("name"):
            self._form()["fields"][a["name"]] = ""

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def data_form(page):
    """The values the data form shows (the form that has a nik field)."""
    parser = _Forms()
    parser.feed(page)
    for f in parser.forms:
        if "nik" in f["names"]:
            return f["fields"]
    raise AssertionError("no data form (with a nik field) in the page")


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
    escaped = html.escape(message, quote=True)
    places = [m.start() for m in re.finditer(re.escape(escaped), page)]
    places += [m.start() for m in re.finditer(re.escape(message), page)]
    for place in places:
        nearest = min(spans, key=lambda x: max(0, x[0] - place,
                                               place - x[1]))
        if nearest[2] == field:
            return True
    return False


def open_form(s):
    r = s.get("/profile/data")
    assert r.status_code == 200, r.status_code
    return r.text


def post_form(s, page, changes=(), extra=(), drop=(), url="/profile/data",
              **kwargs):
    """SIMPAN on page: the values it shows, the hidden fields it carries
    (csrf_token, versi, konfirmasi), changes typed over them and extra
    pairs appended; the fields in drop left out."""
    values = {k: v for k, v in data_form(page).items() if v is not None}
    values.update(dict(changes))
    pairs = [(k, v) for k, v in values.items() if k not in drop]
    pairs += list(extra)
    kwargs.setdefault("allow_redirects", False)
    return s.post(url, data=pairs, **kwargs)


def save(s, changes, extra=()):
    """Opens the form, types changes and saves; expects the 303."""
    r = post_form(s, open_form(s), changes, extra)
    assert r.status_code == 303, (r.status_code, text_of(r.text)[:2000])
    return r


# ------------------------------------------------------------ the form

def test_form_shows_the_manuals_values(portal):
    s = session_for(portal, "181679")
    r = s.get("/profile/data")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert r.headers["Cache-Control"] == "no-store"
    text = text_of(r.text)
    assert "Form Isi Data Pegawai 181679" in text
    form = data_form(r.text)
    assert set(FIELDS) <= set(form)
    assert form["agama"] == "1"
    assert form["jenis_kelamin"] == "L"
    assert form["no_taspen"] == "830705110110180"
    assert form["nik"] == "3174090507831001"
    assert form["no_kk"] == "1374091908131016"
    assert form["no_rek_bank_dki"] == "50220242733"
    assert form["npwp"] == "784024523017000"
    assert form["no_hp"] == "08211332055"
    assert form["pendidikan_cpns"] == "5313"
    assert form["no_karpeg"] == "Q219306"
    assert form["no_karis_karsu"] == "105610K"
    assert not form["no_bpjs"] and not form["gol_darah"]
    hidden = hidden_fields(r.text)
    assert hidden["csrf_token"] == csrf_token(r.text)
    assert hidden["versi"] == str(versi(portal, "181679"))
    # Selects show the reference tables as "kode - NAMA".
    assert "1 - ISLAM" in text
    assert "5313 - SARMUD/D.III INFORMATIKA" in text
    for label in LABELS.values():
        assert label in text, label
    for value in ("O", "A", "B", "AB"):
        assert re.search(r'name="gol_darah"[^>]*value="%s"|value="%s"'
                         r'[^>]*name="gol_darah"' % (value, value), r.text)
    # The manual's note: these four may stay empty.
    optional = ("No. TASPEN", "No. KARPEG", "No. BPJS Kesehatan",
                "No. Kartu Suami/Istri")
    assert any(all(label in text[max(0, m.start() - 200):m.start()]
                   for label in optional)
               for m in re.finditer(r"(?i)boleh (di)?kosong", text)), \
        "no note that the four optional fields may stay empty"
    # TUTUP goes back to the profile without saving; SIMPAN sends.
    assert re.search(r'<a [^>]*href="/profile"[^>]*>\s*TUTUP\s*</a>', r.text)
    assert re.search(r'<button [^>]*type="submit"[^>]*>\s*SIMPAN', r.text)


def test_form_requires_a_session(client):
    for path in ("/profile/data", "/profile/riwayat"):
        r = client.get(path, allow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["Location"] == "/login"


def test_post_without_a_session_keeps_nothing(portal, client):
    r = client.post("/profile/data", data={"nik": "3174090507831001",
                                           "csrf_token": "A" * 43},
                    allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"] == "/login"
    assert DRAFT_COOKIE not in r.headers.get("Set-Cookie", "")


# ------------------------------------------------------------ saving

def test_save_and_read_back_every_field(portal):
    nrk, nip = generated(portal, 230)
    want = valid_values(nip)
    # Typed the way people write these numbers on paper.
    nik = want["nik"]
    typed = {
        "agama": " 2 ", "jenis_kelamin": gender(nip).lower(),
        "no_taspen": "tsp 8307-0511",
        "nik": "%s %s\u00a0%s-%s" % (nik[:4], nik[4:8], nik[8:12], nik[12:]),
        "no_kk": "3174.0919.0813.1016", "no_rek_bank_dki": "502-202-427 33",
        "npwp": "%s.%s.%s.%s" % (nik[:4], nik[4:8], nik[8:12], nik[12:]),
        "gol_darah": "ab", "no_telp": "(021) 384-2000",
        "no_hp": "+62 812-3456-7890", "pendidikan_cpns": "5313",
        "no_karpeg": "q219306", "no_bpjs": "0001 2345 6789 0",
        "no_karis_karsu": "105610k",
        "email": "  Budi.Santoso@JAKARTA.Go.Id ",
    }
    before = stored(portal, nrk)
    v0 = versi(portal, nrk)
    s = session_for(portal, nrk)
    r = save(s, typed)

    changed = [f for f in FIELDS if before[f] != want[f]]
    # The confirmation waits with the session, not in the URL.
    assert r.headers["Location"] == "/profile"
    assert stored(portal, nrk) == want
    assert versi(portal, nrk) == v0 + 1
    at, = portal.sql("SELECT diubah_pada FROM pegawai WHERE nrk = ?", nrk)[0]
    assert abs(int(at) - time.time()) < 120

    # The profile confirms what changed, by label.
    profile = s.get(r.headers["Location"])
    assert profile.status_code == 200
    text = text_of(profile.text)
    assert "Data tersimpan. Yang berubah: %s." % ", ".join(
        LABELS[f] for f in changed) in text
    # It is shown once: the next page says nothing of a save.
    again = text_of(s.get("/profile").text)
    assert "Data tersimpan" not in again
    # And a URL cannot make the page claim one (the old ?diubah= list).
    forged = s.get("/profile?diubah=nama,<b>x</b>,nik")
    assert "Data tersimpan" not in text_of(forged.text)
    assert "Yang berubah" not in text_of(forged.text)
    assert "<b>x</b>" not in forged.text

    # The form shows the stored, canonical values.
    form = data_form(open_form(s))
    for f in FIELDS:
        assert form[f] == want[f], f


def test_the_profile_shows_the_new_values(portal):
    nrk, nip = generated(portal, 260)
    s = session_for(portal, nrk)
    r = save(s, dict(valid_values(nip), no_hp="081233334444",
                     email="terlihat@jakarta.go.id"))
    text = text_of(s.get(r.headers["Location"]).text)
    assert "081233334444" in text
    assert "terlihat@jakarta.go.id" in text


def test_other_canonical_forms(portal):
    """The other accepted spellings: 62 without +, a four-letter and a
    long top-level domain, the old NPWP with its punctuation, the new
    16-digit NPWP of a non-individual (0 + the old 15)."""
    nrk, nip = generated(portal, 231)
    s = session_for(portal, nrk)
    old = npwp15("78402452")
    cases = [
        ({"no_hp": "62 811 1234 567", "email": "a.b@kantor.info",
          "npwp": "78.402.452.3-017.000"},
         {"no_hp": "08111234567", "email": "a.b@kantor.info",
          "npwp": "784024523017000"}),
        ({"no_hp": "0811.1234.5678", "email": "Dinas@Jakarta.GO.ID",
          "npwp": "0" + old, "no_telp": "+62 21 384 2000"},
         {"no_hp": "081112345678", "email": "dinas@jakarta.go.id",
          "npwp": "0" + old, "no_telp": "0213842000"}),
        ({"email": "pegawai@bkd.jakarta", "no_telp": "0254-123456"},
         {"email": "pegawai@bkd.jakarta", "no_telp": "0254123456"}),
    ]
    base = valid_values(nip)
    for typed, want in cases:
        save(s, dict(base, **typed))
        got = stored(portal, nrk, list(want))
        assert got == want, typed


def test_optional_fields_can_be_emptied(portal):
    nrk, nip = generated(portal, 233)
    s = session_for(portal, nrk)
    save(s, valid_values(nip))
    # Empty, blanks, or the paper form's "-" for "tidak ada".
    save(s, {"no_taspen": "", "no_karpeg": "-", "no_bpjs": "  ",
             "no_karis_karsu": "", "no_telp": "-", "email": ""})
    got = stored(portal, nrk, ["no_taspen", "no_karpeg", "no_bpjs",
                               "no_karis_karsu", "no_telp", "email"])
    assert set(got.values()) == {None}  # NULL, never ''


def test_saving_the_same_values_changes_nothing(portal):
    nrk, nip = generated(portal, 232)
    s = session_for(portal, nrk)
    save(s, valid_values(nip))
    v = versi(portal, nrk)
    n = len(audit_rows(portal, nrk))
    r = save(s, {})
    assert r.headers["Location"] == "/profile"
    assert versi(portal, nrk) == v
    assert len(audit_rows(portal, nrk)) == n
    page = s.get("/profile")
    assert "Tidak ada perubahan" in text_of(page.text)
    assert "Tidak ada perubahan" not in text_of(s.get("/profile").text)


# ------------------------------------------------------------ validation

# (field, typed value, message shown at the field)
INVALID = [
    ("agama", "99", "Pilih agama dari daftar."),
    ("agama", "Islam", "Pilih Agama dari daftar"),
    ("agama", "", "Agama wajib diisi"),
    ("jenis_kelamin", "X", "Jenis kelamin harus L (Laki-laki) atau P "
                           "(Perempuan)"),
    ("jenis_kelamin", "", "Jenis Kelamin wajib diisi"),
    ("no_taspen", "T" * 19, "No. TASPEN hanya boleh berisi huruf dan "
                            "angka, paling banyak 18 karakter"),
    ("nik", "317409050783100", "NIK harus 16 digit angka"),
    ("nik", "3174093207831001", "Tanggal lahir pada NIK (digit 7-12) "
                                "tidak valid"),
    ("nik", "3174090507830000", "Nomor urut pada NIK (digit 13-16) "
                                "tidak boleh 0000"),
    ("nik", "9974090507831001", "Kode wilayah pada NIK (digit 1-6) "
                                "tidak dikenal"),
    ("nik", "", "NIK wajib diisi"),
    ("nik", "3" * 41, "NIK terlalu panjang"),
    ("no_kk", "137409190813101", "No. Kartu Keluarga harus 16 digit angka"),
    ("no_kk", "9974091908131016", "Kode wilayah pada No. Kartu Keluarga"),
    ("no_rek_bank_dki", "5022024273301", "No. Rek Bank DKI harus berupa "
                                         "angka, paling banyak 12 digit"),
    ("no_rek_bank_dki", "REK-50220", "No. Rek Bank DKI harus berupa angka"),
    ("npwp", "78.402.452.4-017.000", "digit pemeriksa"),
    ("npwp", "78402452301700", "NPWP harus 15 digit"),
    ("npwp", "9974090507831001", "NPWP 16 digit harus sama dengan NIK"),
    ("npwp", "00.000.000.0-000.000", "bukan NPWP yang sah"),
    ("gol_darah", "C", "Golongan darah harus O, A, B, atau AB"),
    ("gol_darah", "", "Gol. Darah wajib diisi"),
    ("no_telp", "0812 3456 7890", "nomor HP diisi pada kolom No. HP"),
    ("no_telp", "384-2000", "No. Telp harus diawali kode wilayah"),
    ("no_hp", "021 384 2000", "Nomor HP harus diawali 08 atau +62 8"),
    ("no_hp", "0812345", "Nomor HP harus diawali 08 atau +62 8"),
    ("no_hp", "", "No. HP wajib diisi"),
    ("pendidikan_cpns", "9999", "Pilih pendidikan dari daftar."),
    ("pendidikan_cpns", "53", "Pilih Pendidikan pada waktu diangkat CPNS "
                              "dari daftar"),
    ("no_karpeg", "Q21/9306", "No. KARPEG hanya boleh berisi huruf dan "
                              "angka, paling banyak 16 karakter"),
    ("no_karpeg", "Q" * 17, "No. KARPEG hanya boleh berisi huruf"),
    ("no_bpjs", "000123456789", "No. BPJS Kesehatan harus 13 digit angka"),
    ("no_karis_karsu", "10561@K", "No. Kartu Suami/Istri hanya boleh "
                                  "berisi huruf dan angka"),
    ("email", "budi@jakarta", "Email tidak valid"),
    ("email", "budi santoso@jakarta.go.id", "Email tidak valid"),
    ("email", "budi@@jakarta.go.id", "Email tidak valid"),
]


@pytest.mark.parametrize("field,value,message", INVALID,
                         ids=["%s=%r" % (f, v[:20]) for f, v, _ in INVALID])
def test_each_invalid_field(portal, field, value, message):
    nrk, nip = generated(portal, 234)
    s = session_for(portal, nrk)
    before = stored(portal, nrk)
    v = versi(portal, nrk)
    # The other fields carry typed (not yet canonical) valid values.
    typed = dict(valid_values(nip), no_hp="+62 812-3456-7890",
                 email="Budi@Jakarta.GO.ID", no_telp="(021) 384-2000")
    typed[field] = value
    page = open_form(s)
    r = post_form(s, page, typed)
    assert r.status_code == 422, (r.status_code, text_of(r.text)[:500])
    assert message_at_field(r.text, field, message), \
        (message, text_of(r.text))
    assert "Data belum disimpan: 1 isian perlu diperbaiki" in text_of(r.text)
    form = data_form(r.text)
    for f in FIELDS:
        if f == field:
            continue
        assert form[f] == typed[f], f  # as typed, not normalised
    if field not in ("agama", "pendidikan_cpns", "jenis_kelamin",
                     "gol_darah"):
        assert form[field] == value  # the wrong value stays to be fixed
    # The form can be sent again: same token, same version.
    assert hidden_fields(r.text)["csrf_token"] == csrf_token(page)
    assert hidden_fields(r.text)["versi"] == str(v)
    assert stored(portal, nrk) == before
    assert versi(portal, nrk) == v


def test_several_errors_at_once(portal):
    nrk, nip = generated(portal, 234)
    s = session_for(portal, nrk)
    bad = {"nik": "1234", "no_hp": "12345", "email": "bukan-email"}
    r = post_form(s, open_form(s), dict(valid_values(nip), **bad))
    assert r.status_code == 422
    text = text_of(r.text)
    assert "Data belum disimpan: 3 isian perlu diperbaiki" in text
    assert message_at_field(r.text, "nik", "NIK harus 16 digit angka")
    assert message_at_field(r.text, "no_hp", "Nomor HP harus diawali 08")
    assert message_at_field(r.text, "email", "Email tidak valid")
    # No message where nothing is wrong.
    assert "wajib diisi" not in text


def test_typed_markup_is_escaped(portal):
    nrk, nip = generated(portal, 234)
    s = session_for(portal, nrk)
    evil = '"><script>alert(1)</script>'
    r = post_form(s, open_form(s), dict(valid_values(nip), no_karpeg=evil,
                                        email=evil))
    assert r.status_code == 422
    assert "<script>alert(1)" not in r.text
    assert data_form(r.text)["no_karpeg"] == evil


def test_too_many_or_too_long_fields_are_refused(portal):
    nrk, nip = generated(portal, 234)
    s = session_for(portal, nrk)
    before = stored(portal, nrk)
    page = open_form(s)
    r = post_form(s, page, extra=[("x%d" % i, "1") for i in range(80)])
    assert r.status_code in (400, 413)
    r = post_form(s, page, {"email": "a" * 5000 + "@jakarta.go.id"})
    assert r.status_code in (400, 413, 422)
    assert stored(portal, nrk) == before


def test_a_too_long_field_says_its_limit(portal):
    """The length bound is the validators' (pgw_field_validate), with
    its one wording: the whole message, and nothing else, at the field."""
    nrk, nip = generated(portal, 234)
    s = session_for(portal, nrk)
    before = stored(portal, nrk)
    cases = [("nik", "3" * 41, "NIK terlalu panjang (maksimal 40 karakter)"),
             ("no_karpeg", "Q" * 41,
              "No. KARPEG terlalu panjang (maksimal 40 karakter)"),
             ("email", "a" * 290 + "@jakarta.go.id",
              "Email terlalu panjang (maksimal 300 karakter)")]
    for field, value, message in cases:
        r = post_form(s, open_form(s), dict(valid_values(nip),
                                            **{field: value}))
        assert r.status_code == 422, (field, r.status_code)
        assert message_at_field(r.text, field, message), text_of(r.text)
        assert re.findall(r">\s*([^<>]*terlalu panjang[^<>]*?)\s*<",
                          r.text) == [message], field
    assert stored(portal, nrk) == before


def test_wrong_content_type_is_refused(portal):
    nrk, _ = generated(portal, 234)
    s = session_for(portal, nrk)
    page = open_form(s)
    r = s.post("/profile/data", json=data_form(page), allow_redirects=False)
    assert r.status_code == 415
    r = s.post("/profile/data", files={"nik": ("a", b"1")},
               data={"csrf_token": csrf_token(page)}, allow_redirects=False)
    assert r.status_code == 415


# ------------------------------------------------------------ fixed fields

def test_fields_the_employee_may_not_change_stay(portal):
    nrk, nip = generated(portal, 235)
    other_nrk, other_nip = generated(portal, 236)
    cols = PROTECTED + ["versi"]
    before = stored(portal, nrk, cols)
    s = session_for(portal, nrk)
    forged = [("nrk", other_nrk), ("nip", other_nip),
              ("nama", "NAMA PALSU"), ("gelar_depan", "Prof."),
              ("tempat_lahir", "BOGOR"), ("tanggal_lahir", "1970-01-01"),
              ("golongan", "45"), ("eselon", "11"),
              ("status_pegawai", "PPPK"), ("jenis_jabatan", "S"),
              ("unit_kerja", "07000000"), ("lokasi_kerja", "07000000"),
              ("jabatan", "KEPALA BADAN"), ("versi_baru", "99"),
              ("diubah_pada", "1"), ("password", "x"), ("role", "operator")]
    r = save(s, dict(valid_values(nip), no_hp="081299998888"), forged)
    # The confirmation names the changed fields, labels that hold dots.
    text = text_of(s.get("/profile").text)
    assert "Data tersimpan. Yang berubah: " in text
    listed = text.split("Yang berubah: ", 1)[1]
    assert "No. HP, " in listed or "No. HP. " in listed
    after = stored(portal, nrk, cols)
    assert int(after.pop("versi")) == int(before.pop("versi")) + 1
    assert after == before
    assert stored(portal, nrk, ["no_hp"]) == {"no_hp": "081299998888"}
    assert portal.sql("SELECT count(*) FROM account_role WHERE nrk = ?",
                      nrk) == [("0",)]
    columns = {c for (c,) in portal.sql(
        "SELECT column_name FROM audit_log WHERE subject_nrk = ? "
        "AND action = 'ubah'", nrk)}
    assert columns <= set(FIELDS)


# ------------------------------------------------------------ other people

def test_another_employees_data_is_unreachable(portal):
    nrk, nip = generated(portal, 237)
    victim, victim_nip = generated(portal, 238)
    vs = session_for(portal, victim)
    save(vs, valid_values(victim_nip))  # the victim has data and history
    victim_before = stored(portal, victim)
    victim_versi = versi(portal, victim)
    victim_audit = len(audit_rows(portal, victim))
    victim_nik = victim_before["nik"]

    s = session_for(portal, nrk)
    mine = stored(portal, nrk, ["nik"])["nik"]
    for path in ("/profile/data?nrk=" + victim,
                 "/profile/data?nip=" + victim_nip,
                 "/profile/data?nrk=%s&nrk=%s" % (victim, victim),
                 "/profile/riwayat?nrk=" + victim,
                 "/profile/riwayat?subject_nrk=" + victim,
                 "/profile/data/" + victim, "/profile/riwayat/" + victim,
                 "/profile/data;nrk=" + victim):
        r = s.get(path, allow_redirects=False)
        assert victim_nip not in r.text, path
        assert victim_nik not in r.text, path
        if r.status_code == 200 and 'name="nik"' in r.text:
            assert data_form(r.text)["nik"] == (mine or ""), path

    # A SIMPAN naming the victim, in the body and in the URL, changes
    # only the employee's own row.
    page = s.get("/profile/data?nrk=" + victim).text
    changes = dict(valid_values(nip), no_hp="081377776666")
    for extra, url in (([("nrk", victim)], "/profile/data"),
                       ([("nrk", victim), ("nip", victim_nip)],
                        "/profile/data?nrk=" + victim),
                       ([("subject_nrk", victim), ("nrk", victim)],
                        "/profile/data?nrk=%s&versi=%d"
                        % (victim, victim_versi))):
        r = post_form(s, page, changes, extra, url=url)
        assert r.status_code == 303, r.status_code
        page = open_form(s)
    assert stored(portal, victim) == victim_before
    assert versi(portal, victim) == victim_versi
    assert len(audit_rows(portal, victim)) == victim_audit
    assert stored(portal, nrk, ["no_hp"]) == {"no_hp": "081377776666"}

    # The victim's form token is worth nothing in the employee's session.
    vtoken = csrf_token(open_form(vs))
    r = post_form(s, open_form(s), {"no_hp": "081355554444"},
                  extra=[("csrf_token", vtoken)], drop=("csrf_token",))
    assert r.status_code == 403


# ------------------------------------------------------------ CSRF

def test_csrf(portal):
    nrk, nip = generated(portal, 239)
    s = session_for(portal, nrk)
    save(s, valid_values(nip))
    before = stored(portal, nrk)
    v = versi(portal, nrk)
    n = len(audit_rows(portal, nrk))
    page = open_form(s)
    changes = {"no_hp": "081211112222"}
    origin = portal.base_url
    refused = [
        dict(drop=("csrf_token",)),
        dict(extra=[("csrf_token", "A" * 43)]),
        dict(extra=[("csrf_token", "pendek")]),
        dict(extra=[("csrf_token", "")]),
        dict(headers={"Origin": "https://evil.example"}),
        dict(headers={"Origin": "null"}),
        dict(headers={"Sec-Fetch-Site": "cross-site"}),
        dict(headers={"Sec-Fetch-Site": "same-site"}),
    ]
    for kw in refused:
        kw = dict(kw)
        if "extra" in kw:
            kw["drop"] = ("csrf_token",)
        r = post_form(s, page, changes, **kw)
        assert r.status_code == 403, kw
        assert "ditolak" in text_of(r.text)
    assert stored(portal, nrk) == before
    assert versi(portal, nrk) == v
    assert len(audit_rows(portal, nrk)) == n
    # The same post from the portal's own page goes through.
    r = post_form(s, page, changes, headers={"Origin": origin,
                                             "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 303
    assert stored(portal, nrk, ["no_hp"]) == {"no_hp": "081211112222"}


def test_a_token_from_before_login_is_refused(portal):
    """The token of an earlier session of the same employee (a form left
    open before logging out and in again) is not accepted."""
    nrk, nip = generated(portal, 240)
    s = session_for(portal, nrk)
    old_page = open_form(s)
    r = s.post("/logout", data={"csrf_token": csrf_token(old_page)},
               allow_redirects=False)
    assert r.status_code == 303
    s2 = session_for(portal, nrk)
    before = stored(portal, nrk)
    r = post_form(s2, old_page, {"no_hp": "081211113333"})
    assert r.status_code == 403
    assert stored(portal, nrk) == before


def test_a_form_left_open_over_a_new_login_comes_back_with_the_typed_values(
        portal):
    """The employee logs in again in another tab while the form is open:
    its SIMPAN is refused (403, nothing saved), but the form comes back
    with what was typed and this session's token, so one more SIMPAN
    saves it. Only for the browser's own same-origin post that names the
    logged-in account; every other refusal shows nothing typed."""
    nrk, nip = generated(portal, 248)
    other, _ = generated(portal, 249)
    s = session_for(portal, nrk)
    save(s, valid_values(nip))
    old_page = open_form(s)
    assert data_form(old_page)["akun"] == nrk
    s.cookies.clear()
    assert login(s, nrk, DEMO_PASSWORD).status_code == 303
    before = stored(portal, nrk)
    n = len(audit_rows(portal, nrk))
    typed = {"no_hp": "081299990241", "email": "tab.lama@jakarta.go.id"}
    own = {"Origin": portal.base_url, "Sec-Fetch-Site": "same-origin"}

    plain = [
        dict(),  # no word from the browser on where the post comes from
        dict(headers={"Origin": "https://evil.example"}),
        dict(headers={"Sec-Fetch-Site": "cross-site"}),
        dict(headers=own, changes={"akun": other}),
        dict(headers=own, drop=("akun",)),
        dict(headers=own, changes={"csrf_token": "pendek"}),
    ]
    for kw in plain:
        changes = dict(typed, **kw.pop("changes", {}))
        r = post_form(s, old_page, changes, **kw)
        assert r.status_code == 403, kw
        assert "081299990241" not in r.text, kw
        assert "tab.lama" not in r.text, kw

    r = post_form(s, old_page, typed, headers=own)
    assert r.status_code == 403
    assert "Isian belum disimpan" in text_of(r.text)
    back = data_form(r.text)
    assert back["no_hp"] == "081299990241"
    assert back["email"] == "tab.lama@jakarta.go.id"
    assert back["csrf_token"] != data_form(old_page)["csrf_token"]
    assert stored(portal, nrk) == before
    assert len(audit_rows(portal, nrk)) == n

    r = post_form(s, r.text, headers=own)
    assert r.status_code == 303, text_of(r.text)[:500]
    assert stored(portal, nrk, ["no_hp", "email"]) == {
        "no_hp": "081299990241", "email": "tab.lama@jakarta.go.id"}


# ------------------------------------------------------------ conflicts

def _conflict_rows(page):
    """(label, mine, current) text triples of the 409's table."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    assert body, "no conflict table"
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)
        rows.append(tuple(text_of(c) for c in cells))
    return rows


def _conflict(portal, nrk, nip, tab1, tab2, s1, s2):
    save(s1, valid_values(nip))
    page1, page2 = open_form(s1), open_form(s2)
    v = versi(portal, nrk)
    assert hidden_fields(page1)["versi"] == hidden_fields(page2)["versi"] \
        == str(v)
    r = post_form(s1, page1, tab1)
    assert r.status_code == 303
    saved = stored(portal, nrk)
    n = len(audit_rows(portal, nrk))

    r = post_form(s2, page2, tab2)
    assert r.status_code == 409, (r.status_code, text_of(r.text)[:500])
    # Nothing overwritten, nothing audited.
    assert stored(portal, nrk) == saved
    assert versi(portal, nrk) == v + 1
    assert len(audit_rows(portal, nrk)) == n
    # The typed values beside the current ones; the form keeps what was
    # typed and carries the newer version.
    rows = _conflict_rows(r.text)
    for field, mine in tab2.items():
        current = saved[field]
        row = [x for x in rows if LABELS[field] in x[0]]
        assert row, (field, rows)
        assert row[0][1:] == (mine, current), row
    form = data_form(r.text)
    for field, mine in tab2.items():
        assert form[field] == mine
    assert hidden_fields(r.text)["versi"] == str(v + 1)
    return r


def test_two_tabs_never_overwrite_each_other(portal):
    nrk, nip = generated(portal, 241)
    s = session_for(portal, nrk)
    r = _conflict(portal, nrk, nip, {"no_hp": "081200000001"},
                  {"no_hp": "081200000002", "email": "tab2@jakarta.go.id"},
                  s, s)
    # A second SIMPAN of the 409's form stores what tab 2 typed.
    r = post_form(s, r.text)
    assert r.status_code == 303
    got = stored(portal, nrk, ["no_hp", "email"])
    assert got == {"no_hp": "081200000002", "email": "tab2@jakarta.go.id"}


def test_two_sessions_never_overwrite_each_other(portal):
    nrk, nip = generated(portal, 242)
    s1, s2 = session_for(portal, nrk), session_for(portal, nrk)
    _conflict(portal, nrk, nip, {"nik": nik_for(nip, sequence=2),
                                 "npwp": nik_for(nip, sequence=2)},
              {"no_kk": "3174092010150007"}, s1, s2)


@contextlib.contextmanager
def pegawai_row_locked(portal, nrk, seconds):
    """Holds the employee's row locked from another connection
    (PostgreSQL: FOR UPDATE; SQLite: the database's write lock) for
    seconds, without changing it; the block runs once the lock is held.
    Reads go on meanwhile, so that posts read the row, pass the form's
    version check and then meet at the UPDATE."""
    if portal.driver == "pgsql":
        script = ("BEGIN;\nSELECT versi FROM pegawai WHERE nrk = '%s' "
                  "FOR UPDATE;\n\\echo terkunci\nSELECT pg_sleep(%d);\n"
                  "COMMIT;\n" % (nrk, seconds))
    else:
        script = ("BEGIN IMMEDIATE;\nUPDATE pegawai SET versi = versi "
                  "WHERE nrk = '%s';\n.print terkunci\n.shell sleep %d\n"
                  "COMMIT;\n" % (nrk, seconds))
    with portal.holding(script, "terkunci"):
        yield


def test_two_saves_at_the_same_moment_store_one(portal):
    """Two SIMPANs of one version that both pass the form's version check
    meet in the database: the UPDATE's "AND versi = N" lets one through
    and the other is the 409, with one set of audit rows."""
    nrk, nip = generated(portal, 264)
    s = session_for(portal, nrk)
    save(s, valid_values(nip))
    page = open_form(s)
    v = versi(portal, nrk)
    n = len(audit_rows(portal, nrk))
    typed = {"A": {"no_hp": "081200000011"}, "B": {"no_hp": "081200000012"}}
    barrier = threading.Barrier(2)
    results = {}

    def send(tab):
        c = PortalSession(portal.base_url)
        c.cookies.update(s.cookies)
        barrier.wait()
        results[tab] = post_form(c, page, typed[tab])

    with pegawai_row_locked(portal, nrk, seconds=2):
        threads = [threading.Thread(target=send, args=(t,)) for t in "AB"]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    codes = sorted(r.status_code for r in results.values())
    assert codes == [303, 409], codes
    won = [t for t in "AB" if results[t].status_code == 303][0]
    lost = "B" if won == "A" else "A"
    assert stored(portal, nrk, ["no_hp"]) == typed[won]
    assert versi(portal, nrk) == v + 1
    rows = audit_rows(portal, nrk)[n:]
    assert [(r[4], r[6]) for r in rows] == [("no_hp", typed[won]["no_hp"])]
    # The 409 shows what the loser typed beside what the winner stored.
    conflict = results[lost].text
    row = [x for x in _conflict_rows(conflict) if "No. HP" in x[0]]
    assert row and row[0][1:] == (typed[lost]["no_hp"],
                                  typed[won]["no_hp"]), row
    assert hidden_fields(conflict)["versi"] == str(v + 1)


def test_a_post_without_or_with_a_made_up_version_is_a_conflict(portal):
    nrk, nip = generated(portal, 243)
    s = session_for(portal, nrk)
    save(s, valid_values(nip))
    before = stored(portal, nrk)
    page = open_form(s)
    v = versi(portal, nrk)
    for kw in (dict(drop=("versi",)),
               dict(drop=("versi",), extra=[("versi", str(v + 5))]),
               dict(drop=("versi",), extra=[("versi", "abc")]),
               # Not the stored version's digits, though atoi() reads
               # each of them as the stored version.
               dict(drop=("versi",), extra=[("versi", "%dabc" % v)]),
               dict(drop=("versi",), extra=[("versi", " %d" % v)]),
               dict(drop=("versi",), extra=[("versi", str(v + 2**32))])):
        r = post_form(s, page, {"no_hp": "081244445555"}, **kw)
        assert r.status_code == 409, kw
    assert stored(portal, nrk) == before


# ------------------------------------------------------------ warnings

def _confirm_flow(portal, nrk, nip, changes, warning):
    s = session_for(portal, nrk)
    save(s, valid_values(nip))
    before = stored(portal, nrk)
    v = versi(portal, nrk)
    typed = dict(valid_values(nip), **changes)
    r = post_form(s, open_form(s), typed)
    assert r.status_code == 200, (r.status_code, text_of(r.text)[:500])
    assert warning in text_of(r.text)
    konfirmasi = hidden_fields(r.text).get("konfirmasi")
    assert konfirmasi
    assert stored(portal, nrk) == before
    form = data_form(r.text)
    for f, value in changes.items():
        assert form[f] == value

    # The confirmation is for these values: another value asks again.
    r2 = post_form(s, r.text, {"no_hp": "081200001111"})
    assert r2.status_code == 200
    assert hidden_fields(r2.text)["konfirmasi"] != konfirmasi
    assert stored(portal, nrk) == before
    # A made-up confirmation is no confirmation.
    r3 = post_form(s, r.text, drop=("konfirmasi",),
                   extra=[("konfirmasi", "x" * 64)])
    assert r3.status_code == 200
    assert stored(portal, nrk) == before

    # The second identical SIMPAN, with the confirmation, saves.
    r = post_form(s, r.text)
    assert r.status_code == 303, (r.status_code, text_of(r.text)[:500])
    assert stored(portal, nrk, list(changes)) == changes
    assert versi(portal, nrk) == v + 1


def test_nik_birth_date_unlike_the_nip_is_a_warning(portal):
    nrk, nip = generated(portal, 244)
    # A day off, as a typo would make it (stays a valid date).
    day = int(nip[6:8])
    wrong_nip = nip[:6] + "%02d" % (day + 1 if day < 28 else day - 1) \
        + nip[8:]
    nik = nik_for(wrong_nip)
    _confirm_flow(portal, nrk, nip, {"nik": nik, "npwp": nik},
                  "Tanggal lahir pada NIK")


def test_nik_gender_unlike_the_nip_is_a_warning(portal):
    nrk, nip = generated(portal, 245)
    flipped = nip[:14] + ("1" if nip[14] == "2" else "2") + nip[15:]
    nik = nik_for(flipped)
    _confirm_flow(portal, nrk, nip, {"nik": nik, "npwp": nik},
                  "Jenis kelamin pada NIK")


def test_jenis_kelamin_unlike_the_nip_is_a_warning(portal):
    nrk, nip = generated(portal, 246)
    other = "L" if gender(nip) == "P" else "P"
    _confirm_flow(portal, nrk, nip, {"jenis_kelamin": other},
                  "Jenis kelamin yang dipilih")


def test_individual_npwp_unlike_the_nik_is_a_warning(portal):
    nrk, nip = generated(portal, 247)
    _confirm_flow(portal, nrk, nip, {"npwp": nik_for(nip, sequence=7)},
                  "NPWP 16 digit orang pribadi sama dengan NIK")


def test_a_womans_nik_has_forty_added_to_the_day(portal):
    nrk, nip = generated_woman(portal, 270)
    nik = nik_for(nip)
    assert int(nik[6:8]) > 40
    s = session_for(portal, nrk)
    save(s, dict(valid_values(nip), nik=nik, npwp=nik))
    assert stored(portal, nrk, ["nik", "jenis_kelamin"]) == {
        "nik": nik, "jenis_kelamin": "P"}
    # Without the 40 it reads as a man's NIK: a warning.
    r = post_form(s, open_form(s), {"nik": nik_for(nip[:14] + "1"
                                                   + nip[15:])})
    assert r.status_code == 200
    assert "Jenis kelamin pada NIK" in text_of(r.text)


# ------------------------------------------------------------ drafts

def _expire(portal, s):
    portal.sql("UPDATE session SET seen_at = seen_at - 4000 "
               "WHERE token_hash = ?", session_hash(s))


def test_an_expired_session_keeps_what_was_typed(portal, expect_log):
    nrk, nip = generated(portal, 250)
    s = session_for(portal, nrk)
    save(s, valid_values(nip))
    before = stored(portal, nrk)
    page = open_form(s)
    _expire(portal, s)
    typed = dict(valid_values(nip), no_hp="0812 7777 0001",
                 email="Draf.Tersimpan@Jakarta.go.id",
                 no_karpeg="drafkarpeg1")
    r = post_form(s, page, typed)
    assert r.status_code == 303
    assert r.headers["Location"] == "/login?habis=1"
    cookie = r.headers.get("Set-Cookie", "")
    assert DRAFT_COOKIE + "=" in cookie
    assert "HttpOnly" in cookie
    token = s.cookies.get(DRAFT_COOKIE)
    assert token and "Tersimpan" not in token
    assert stored(portal, nrk) == before
    # Kept on the server, for this employee, under the token's hash.
    rows = portal.sql("SELECT nrk, form, body FROM form_draft "
                      "WHERE token_hash = ?",
                      hashlib.sha256(token.encode()).hexdigest())
    assert len(rows) == 1 and rows[0][0] == nrk
    assert portal.sql("SELECT count(*) FROM form_draft WHERE token_hash = ?",
                      token) == [("0",)]

    notice = s.get("/login?habis=1")
    assert "Sesi Anda telah berakhir" in text_of(notice.text)
    r = login(s, nrk, DEMO_PASSWORD)
    assert r.status_code == 303
    assert r.headers["Location"] == "/profile/data"
    r = s.get("/profile/data")
    assert r.status_code == 200
    assert "Sesi Anda sempat berakhir" in text_of(r.text)
    form = data_form(r.text)
    for f in FIELDS:
        assert form[f] == typed[f], f
    # Used once: gone from the server and from the browser.
    assert portal.sql("SELECT count(*) FROM form_draft WHERE nrk = ?",
                      nrk) == [("0",)]
    assert not s.cookies.get(DRAFT_COOKIE)
    assert "Sesi Anda sempat berakhir" not in text_of(open_form(s))

    # SIMPAN now stores what was typed before the session ran out.
    r = post_form(s, r.text)
    assert r.status_code == 303
    assert stored(portal, nrk, ["no_hp", "email", "no_karpeg"]) == {
        "no_hp": "081277770001", "email": "draf.tersimpan@jakarta.go.id",
        "no_karpeg": "DRAFKARPEG1"}
    # Typed values never went into a URL or a log line.
    time.sleep(0.2)
    logs = portal.access_log.read_text() + "\n".join(expect_log.lines())
    for secret in ("Tersimpan", "tersimpan", "drafkarpeg", "DRAFKARPEG"):
        assert secret not in logs


def test_a_draft_older_than_half_an_hour_is_neither_restored_nor_kept(
        portal):
    """Drafts hold NIK, NPWP and account numbers: past their 30 minutes
    the next login deletes them, whoever they belong to, even when no
    other draft is saved."""
    nrk, nip = generated(portal, 261)
    other, other_nip = generated(portal, 262)
    s = session_for(portal, nrk)
    page = open_form(s)
    _expire(portal, s)
    r = post_form(s, page, dict(valid_values(nip), no_hp="081277770002"))
    assert r.headers["Location"] == "/login?habis=1"
    assert s.cookies.get(DRAFT_COOKIE)
    # Another employee's draft, as old, in another browser.
    s2 = session_for(portal, other)
    page2 = open_form(s2)
    _expire(portal, s2)
    post_form(s2, page2, dict(valid_values(other_nip)))
    # And one of 29 minutes, which stays for its owner.
    young = generated(portal, 263)[0]
    s3 = session_for(portal, young)
    page3 = open_form(s3)
    _expire(portal, s3)
    post_form(s3, page3, {"no_hp": "081277770003"})
    assert int(portal.sql("SELECT count(*) FROM form_draft WHERE nrk IN "
                          "(?, ?, ?)", nrk, other, young)[0][0]) == 3
    portal.sql("UPDATE form_draft SET created_at = ? WHERE nrk IN (?, ?)",
               str(int(time.time()) - 31 * 60), nrk, other)
    portal.sql("UPDATE form_draft SET created_at = ? WHERE nrk = ?",
               str(int(time.time()) - 29 * 60), young)

    r = login(s, nrk, DEMO_PASSWORD)
    assert r.status_code == 303
    assert r.headers["Location"] == "/profile"
    assert "Sesi Anda sempat berakhir" not in text_of(open_form(s))
    assert "081277770002" not in open_form(s)
    assert portal.sql("SELECT nrk FROM form_draft WHERE nrk IN (?, ?, ?)",
                      nrk, other, young) == [(young,)]


def test_a_draft_goes_only_to_its_owner(portal):
    nrk, nip = generated(portal, 251)
    other, other_nip = generated(portal, 252)
    s = session_for(portal, nrk)
    page = open_form(s)
    _expire(portal, s)
    typed = {"no_hp": "081288880002", "no_karpeg": "MILIKA1"}
    r = post_form(s, page, typed)
    assert r.headers["Location"] == "/login?habis=1"
    assert s.cookies.get(DRAFT_COOKIE)

    # Somebody else logs in on that browser.
    r = login(s, other, DEMO_PASSWORD)
    assert r.status_code == 303
    assert r.headers["Location"] == "/profile"
    page = s.get("/profile/data").text
    assert "081288880002" not in page and "MILIKA1" not in page
    assert "Sesi Anda sempat berakhir" not in text_of(page)
    assert data_form(page)["no_hp"] == (stored(portal, other,
                                               ["no_hp"])["no_hp"] or "")


def test_an_expired_post_with_a_wrong_token_keeps_nothing(portal):
    nrk, nip = generated(portal, 253)
    s = session_for(portal, nrk)
    page = open_form(s)
    _expire(portal, s)
    n = portal.sql("SELECT count(*) FROM form_draft")[0][0]
    r = post_form(s, page, {"no_hp": "081299990003"}, drop=("csrf_token",),
                  extra=[("csrf_token", "B" * 43)])
    assert r.status_code == 303
    assert r.headers["Location"].startswith("/login")
    assert DRAFT_COOKIE not in r.headers.get("Set-Cookie", "")
    assert portal.sql("SELECT count(*) FROM form_draft")[0][0] == n


# ------------------------------------------------------------ audit

def test_every_change_is_audited(portal):
    nrk, nip = generated(portal, 254)
    s = session_for(portal, nrk)
    save(s, valid_values(nip))
    n = len(audit_rows(portal, nrk))
    before = stored(portal, nrk)
    t0 = int(time.time())
    changes = {"no_hp": "081266660001", "email": "audit@jakarta.go.id",
               "no_bpjs": ""}
    save(s, changes)
    t1 = int(time.time())
    rows = audit_rows(portal, nrk)[n:]
    got = sorted(rows, key=lambda r: r[4])
    want = sorted([("no_hp", before["no_hp"], "081266660001"),
                   ("email", before["email"], "audit@jakarta.go.id"),
                   ("no_bpjs", before["no_bpjs"], None)])
    assert [(r[4], r[5], r[6]) for r in got] == want
    for actor, subject, action, table, _, _, _, at, ip in rows:
        assert (actor, subject, action, table, ip) == (
            nrk, nrk, "ubah", "pegawai", "127.0.0.1")
        assert t0 - 1 <= int(at) <= t1 + 1  # seconds since epoch, UTC


def test_a_failed_audit_write_saves_nothing(portal, expect_log):
    """The update and its audit rows are one transaction: when an audit
    row cannot be written, the update is rolled back."""
    expect_log(r"PGW\d+: ")
    expect_log(r"(?i)audit|abort|constraint|tes-audit")
    nrk, nip = generated(portal, 255)
    s = session_for(portal, nrk)
    save(s, valid_values(nip))
    before = stored(portal, nrk)
    v = versi(portal, nrk)
    n = len(audit_rows(portal, nrk))
    sqlite = portal.driver == "sqlite3"
    if not sqlite:
        portal.sql(
            "CREATE FUNCTION tes_audit_gagal() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'tes-audit'; END $$ LANGUAGE plpgsql;"
            "CREATE TRIGGER tes_audit_gagal BEFORE INSERT ON audit_log "
            "FOR EACH ROW WHEN (NEW.column_name = 'email' AND "
            "NEW.subject_nrk = '%s') EXECUTE FUNCTION tes_audit_gagal();"
            % nrk)
    else:
        portal.sql("CREATE TRIGGER tes_audit_gagal BEFORE INSERT ON "
                   "audit_log WHEN NEW.column_name = 'email' AND "
                   "NEW.subject_nrk = '%s' BEGIN SELECT RAISE(ABORT, "
                   "'tes-audit'); END;" % nrk)
    try:
        # no_hp's audit row comes first and succeeds, email's fails.
        r = post_form(s, open_form(s), {"no_hp": "081266660002",
                                        "email": "gagal@jakarta.go.id"})
        assert r.status_code >= 500
    finally:
        portal.sql("DROP TRIGGER tes_audit_gagal%s"
                   % (";" if sqlite else
                      " ON audit_log; DROP FUNCTION tes_audit_gagal();"))
    assert stored(portal, nrk) == before
    assert versi(portal, nrk) == v
    assert len(audit_rows(portal, nrk)) == n
    # And the portal goes on working.
    save(s, {"no_hp": "081266660003"})
    assert stored(portal, nrk, ["no_hp"]) == {"no_hp": "081266660003"}


def test_change_history_is_shown_newest_first_and_masked(portal):
    nrk, nip = generated(portal, 256)
    s = session_for(portal, nrk)
    save(s, valid_values(nip))
    nik2 = nik_for(nip, sequence=4321)
    save(s, {"no_hp": "081255550001"})
    time.sleep(1.1)  # a later second: the order is by time
    save(s, {"nik": nik2, "npwp": nik2, "no_rek_bank_dki": "987654321012"})
    time.sleep(1.1)
    save(s, {"email": "riwayat@jakarta.go.id"})

    r = s.get("/profile/riwayat")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    page = r.text
    text = text_of(page)
    # Newest first.
    pos = [text.find(x) for x in ("riwayat@jakarta.go.id", "4321",
                                  "081255550001")]
    assert -1 not in pos and pos == sorted(pos), pos
    # Identifiers masked but for their last four digits.
    for value in (nik2, "987654321012", valid_values(nip)["nik"],
                  valid_values(nip)["no_kk"], "50220242733",
                  "0001234567890", "TSP83070511", "Q219306"):
        assert value not in page, value
    assert "*" * 12 + "4321" in text
    assert "*" * 8 + "1012" in text
    # Who and from where; the time in WIB.
    assert nrk in text and "127.0.0.1" in text
    assert "WIB" in text
    assert "Nomor HP" in text or "No. HP" in text
    # Every audit row of this employee's data is listed.
    rows = audit_rows(portal, nrk)
    assert len(re.findall(r"<tr[^>]*>", re.search(
        r"<tbody>(.*?)</tbody>", page, re.S).group(1))) == len(rows)


def test_the_history_is_linked_from_the_profile(portal):
    s = session_for(portal, "181679")
    page = s.get("/profile").text
    assert 'href="/profile/riwayat"' in page
    assert 'href="/profile/data"' in page


def test_history_shows_only_ones_own_changes(portal):
    nrk, nip = generated(portal, 257)
    other, other_nip = generated(portal, 258)
    so = session_for(portal, other)
    save(so, dict(valid_values(other_nip), email="orang.lain@jakarta.go.id"))
    s = session_for(portal, nrk)
    for path in ("/profile/riwayat", "/profile/riwayat?nrk=" + other,
                 "/profile/riwayat?subject_nrk=" + other):
        page = s.get(path).text
        assert "orang.lain@jakarta.go.id" not in page
        assert other not in text_of(page)


def _history_rows(page):
    """The history table's rows as tuples of cell texts."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    if not body:
        return []
    return [tuple(text_of(c) for c in re.findall(
        r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S))
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S)]


def _insert_audit(portal, rows):
    """Audit rows (at, actor, subject, action, table, column, old, new,
    ip, row_key) in one statement."""
    values = ", ".join("(%s)" % ", ".join("?" * 10) for _ in rows)
    portal.sql("INSERT INTO audit_log (at, actor, subject_nrk, action, "
               "table_name, column_name, old_value, new_value, client_ip, "
               "row_key) VALUES " + values,
               *[v for row in rows for v in row])


def test_history_shows_the_riwayat_alamat_changes(portal):
    """Every change to the employee's data is theirs to see (UU PDP):
    their Riwayat Alamat entries too, by the address form's labels and
    the entry they belong to; another employee's never."""
    nrk, nip = generated(portal, 265)
    other = generated(portal, 266)[0]
    s = session_for(portal, nrk)
    save(s, dict(valid_values(nip), no_hp="081255550009"))
    now = int(time.time())
    _insert_audit(portal, [
        (now + 1, nrk, nrk, "tambah", "riwayat_alamat", "alamat", None,
         "JL. KRAMAT RAYA NO. 9", "10.0.0.7", "4711"),
        (now + 2, nrk, nrk, "ubah", "riwayat_alamat", "kelurahan",
         "3171071001", "3171071002", "10.0.0.7", "4711"),
        (now + 3, nrk, nrk, "hapus", "riwayat_alamat", "kode_pos", "10430",
         None, "10.0.0.7", "4711"),
        (now + 4, nrk, nrk, "ubah", "riwayat_alamat", "rt", "001", "002",
         "10.0.0.7", None),
        (now + 5, other, other, "tambah", "riwayat_alamat", "alamat", None,
         "JL. ORANG LAIN NO. 1", "10.0.0.8", "4712"),
    ])
    rows = _history_rows(s.get("/profile/riwayat").text)
    # Newest first: the four address changes, then the data form's.
    assert rows[0][1:5] == ("Riwayat Alamat (diubah)", "RT", "001", "002")
    assert rows[1][1:5] == ("Riwayat Alamat, entri 4711 (dihapus)",
                            "Kode Pos", "10430", "(kosong)")
    assert rows[2][1:5] == ("Riwayat Alamat, entri 4711 (diubah)",
                            "Kelurahan/Desa", "3171071001", "3171071002")
    assert rows[3][1:5] == ("Riwayat Alamat, entri 4711 (ditambahkan)",
                            "Alamat", "(kosong)", "JL. KRAMAT RAYA NO. 9")
    assert rows[3][5:] == (nrk, "10.0.0.7")
    assert ("Data Pegawai", "No. HP") in [r[1:3] for r in rows[4:]]
    assert not any("ORANG LAIN" in " ".join(r) for r in rows)
    # Identifiers of the employee's data stay masked beside them.
    save(s, {"nik": nik_for(nip, sequence=2468), "npwp": nik_for(
        nip, sequence=2468)})
    page = s.get("/profile/riwayat").text
    assert nik_for(nip, sequence=2468) not in page
    assert "*" * 12 + "2468" in text_of(page)


def test_history_is_paged_past_a_hundred_changes(portal):
    nrk = generated(portal, 267)[0]
    s = session_for(portal, nrk)
    start = int(time.time()) - 100000
    # 250 changes, one a second; the new value says which.
    _insert_audit(portal, [
        (start + i, nrk, nrk, "ubah", "pegawai", "email", None,
         "ke%03d@jakarta.go.id" % i, "127.0.0.1", None) for i in range(250)])

    def page(n=None):
        r = s.get("/profile/riwayat" + ("?halaman=%d" % n if n else ""))
        assert r.status_code == 200, (n, r.status_code)
        return r.text, [int(row[4][2:5]) for row in _history_rows(r.text)]

    seen = []
    for n, want, older, newer in ((1, range(249, 149, -1), 2, None),
                                  (2, range(149, 49, -1), 3, 1),
                                  (3, range(49, -1, -1), None, 2)):
        text, numbers = page(n)
        assert numbers == list(want), n
        links = re.findall(r'href="/profile/riwayat\?halaman=(\d+)"', text)
        assert sorted(int(x) for x in links) == sorted(
            x for x in (older, newer) if x), (n, links)
        assert "Halaman %d" % n in text_of(text)
        seen += numbers
    assert seen == list(range(249, -1, -1))  # each once, none lost
    assert page()[1] == page(1)[1]
    # Past the end, and what is no page number.
    assert s.get("/profile/riwayat?halaman=4").status_code == 404
    for bad in ("0", "-1", "abc", "", "2x", "99999999999", "10001"):
        r = s.get("/profile/riwayat?halaman=" + bad)
        assert r.status_code == 400, bad
        assert "Nomor halaman riwayat tidak valid" in text_of(r.text)


# ------------------------------------------------------------ completeness

def _completeness(page):
    """The text of the profile's completeness indicator."""
    blocks = re.findall(r'<div class="completeness[^"]*"[^>]*>(.*?)</div>',
                        page, re.S)
    assert blocks, "no completeness indicator on the profile"
    return text_of(" ".join(blocks))


def test_completeness_indicator(portal):
    nrk, nip = generated(portal, 259)
    portal.sql("UPDATE pegawai SET gol_darah = NULL, pendidikan_cpns = NULL,"
               " no_kk = NULL WHERE nrk = ?", nrk)
    s = session_for(portal, nrk)
    page = s.get("/profile").text
    text = _completeness(page)
    assert "belum diisi" in text
    for f in ("gol_darah", "pendidikan_cpns", "no_kk"):
        assert LABELS[f] in text, f
    # Optional fields are never asked for.
    assert "No. KARPEG" not in text and "No. BPJS Kesehatan" not in text
    assert 'href="/profile/data"' in page

    r = post_form(s, open_form(s), dict(valid_values(nip), gol_darah="O"),
                  drop=("no_kk",), extra=[("no_kk", "")])
    assert r.status_code == 422  # still required
    save(s, dict(valid_values(nip), gol_darah="O"))
    text = _completeness(s.get("/profile").text)
    for f in REQUIRED:
        assert LABELS[f] not in text, f
    assert "belum diisi" not in text
    assert "sudah lengkap" in text
    # Emptying an optional field keeps it complete.
    save(s, {"email": "", "no_bpjs": ""})
    assert "sudah lengkap" in _completeness(s.get("/profile").text)


# ------------------------------------------------------------ methods

def test_methods(portal):
    s = session_for(portal, "181679")
    r = s.head("/profile/data")
    assert r.status_code == 200
    assert r.text == ""
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    r = s.head("/profile/riwayat")
    assert r.status_code == 200 and r.text == ""
    for method in ("PUT", "DELETE", "PATCH", "OPTIONS"):
        r = s.request(method, "/profile/data", allow_redirects=False)
        assert r.status_code == 405, method
        assert r.headers["Allow"] == "GET, HEAD, POST"
    for method in ("POST", "PUT", "DELETE"):
        r = s.request(method, "/profile/riwayat", data={"x": "1"},
                      allow_redirects=False)
        assert r.status_code == 405, method
        assert r.headers["Allow"] == "GET, HEAD"
    # The profile is read-only too.
    r = s.post("/profile", data={"nik": "1"}, allow_redirects=False)
    assert r.status_code == 405
