"""Upload Foto and Ubah Password (issue 5, manual section 4): GET|POST
/akun/foto, GET /profile/foto and GET|POST /akun/password, against a real
apache2 on SQLite or PostgreSQL.

Every photo is made here, with Pillow or byte by byte: good portraits,
files that break a rule, and hostile files (a PNG that declares 20000 x
20000 pixels in a few bytes, a JPEG with thousands of scans, HTML in a
comment, GPS in EXIF). What the portal stores is read back from the
database and from /profile/foto and taken apart marker by marker.

Tests that change data work on generated employees of their own, each
test on its own unless it says otherwise: offsets 420 to 459 of the
generated NRKs, or 120 to 159 when the server generated fewer than 460
(tools/serverroot.sh makes 300 unless PEGAWAI_TEST_DEMO_COUNT says
more); no other test file uses either range.
"""

import base64
import contextlib
import functools
import hashlib
import html
import io
import os
import re
import socket
import struct
import threading
import time
import zlib
from urllib.parse import quote_plus

import pytest
from PIL import Image

from harness import PortalSession, csrf_token, login

DEMO_PASSWORD = "rahasia-demo"
SESSION_COOKIE = "pgw_sesi"

# The defaults of PRODUCT.md's photo rules, as the configuration of the
# test server leaves them.
MAX_BYTES = 2 * 1024 * 1024
OUTPUT = (600, 800)


@pytest.fixture(autouse=True)
def fresh_throttle(portal):
    """Every test logs in from 127.0.0.1; start with no failures."""
    portal.sql("DELETE FROM login_throttle")
    yield


# ------------------------------------------------------------ employees

_generated = {}


def generated(portal, k):
    """(nrk, nip, tanggal_lahir) of the k-th (0 to 39) generated employee
    of this file's range."""
    if not _generated.get(portal.data):
        _generated[portal.data] = portal.sql(
            "SELECT a.nrk, p.nip, CAST(p.tanggal_lahir AS TEXT) "
            "FROM account a JOIN pegawai p ON p.nrk = a.nrk "
            "WHERE a.nrk NOT IN ('181678', '181679') ORDER BY a.nrk")
    rows = _generated[portal.data]
    assert 0 <= k < 40
    base = 420 if len(rows) >= 460 else 120
    assert len(rows) > base + k, "too few generated employees"
    return rows[base + k]


def new_session(portal):
    return PortalSession(portal.base_url)


def session_for(portal, nrk, password=DEMO_PASSWORD):
    s = new_session(portal)
    r = login(s, nrk, password)
    assert r.status_code == 303, r.status_code
    return s


def text_of(page):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def says(page, message):
    """True when the page's text holds message (the template may start
    it with a capital letter)."""
    return message.lower() in text_of(page).lower()


# ------------------------------------------------------------ images

def encode(img, fmt="JPEG", **options):
    out = io.BytesIO()
    img.save(out, fmt, **options)
    return out.getvalue()


def portrait(width, height):
    """A picture whose layout shows any turn or mirror: the top quarter
    red, the bottom quarter blue, between them green on the left half and
    white on the right half."""
    img = Image.new("RGB", (width, height), (255, 255, 255))
    img.paste((0, 160, 0), (0, height // 4, width // 2, height * 3 // 4))
    img.paste((255, 0, 0), (0, 0, width, height // 4))
    img.paste((0, 0, 255), (0, height * 3 // 4, width, height))
    return img


def colour_near(img, xy, rgb, tolerance=48):
    got = img.convert("RGB").getpixel(xy)
    return all(abs(a - b) <= tolerance for a, b in zip(got, rgb)), got


def assert_layout(img):
    """The layout portrait() draws, at the stored photo's size."""
    w, h = img.size
    for xy, rgb in (((w // 2, h // 8), (255, 0, 0)),
                    ((w // 2, h * 7 // 8), (0, 0, 255)),
                    ((w // 4, h // 2), (0, 160, 0)),
                    ((w * 3 // 4, h // 2), (255, 255, 255))):
        ok, got = colour_near(img, xy, rgb)
        assert ok, (xy, rgb, got)


def jpeg_segments(data):
    """(marker, start, end) of every marker of a JPEG, in file order; a
    scan's segment runs to the end of its entropy-coded data (RFC-less:
    ITU T.81 B.1.1.5, where 0xFF00 is a stuffed byte and RSTn sits inside
    the data)."""
    assert data[:2] == b"\xff\xd8", "no SOI"
    out, pos = [(0xD8, 0, 2)], 2
    while pos < len(data):
        assert data[pos] == 0xFF, "no marker at %d" % pos
        start = pos
        while data[pos] == 0xFF:  # fill bytes may pad a marker
            pos += 1
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            out.append((marker, start, pos))
            return out
        length, = struct.unpack(">H", data[pos:pos + 2])
        pos += length
        if marker == 0xDA:
            while True:
                pos = data.index(b"\xff", pos)
                follower = data[pos + 1]
                if follower == 0 or 0xD0 <= follower <= 0xD7:
                    pos += 2
                    continue
                break
        out.append((marker, start, pos))
    raise AssertionError("no EOI")


def jpeg_markers(data):
    return [m for m, _, _ in jpeg_segments(data)]


def with_segment(jpeg, marker, payload):
    """jpeg with one more segment right after its JFIF header."""
    segs = jpeg_segments(jpeg)
    at = segs[1][2] if segs[1][0] == 0xE0 else 2
    seg = bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) \
        + payload
    return jpeg[:at] + seg + jpeg[at:]


def exif_with_gps(orientation, note):
    """An APP1 payload: big-endian TIFF, IFD0 with the orientation and a
    pointer to a GPS IFD holding a position south of the equator and
    note as GPSAreaInformation (CIPA DC-008, 4.6.6)."""
    gps_at = 8 + 2 + 2 * 12 + 4
    data_at = gps_at + 2 + 5 * 12 + 4
    lat = struct.pack(">6I", 6, 1, 10, 1, 30, 1)
    lon = struct.pack(">6I", 106, 1, 49, 1, 40, 1)
    area = b"ASCII\0\0\0" + note

    def entry(tag, kind, count, value):
        return struct.pack(">HHI", tag, kind, count) + value

    ifd0 = struct.pack(">H", 2) \
        + entry(0x0112, 3, 1, struct.pack(">HH", orientation, 0)) \
        + entry(0x8825, 4, 1, struct.pack(">I", gps_at)) \
        + struct.pack(">I", 0)
    gps = struct.pack(">H", 5) \
        + entry(0x0001, 2, 2, b"S\0\0\0") \
        + entry(0x0002, 5, 3, struct.pack(">I", data_at)) \
        + entry(0x0003, 2, 2, b"E\0\0\0") \
        + entry(0x0004, 5, 3, struct.pack(">I", data_at + 24)) \
        + entry(0x001C, 7, len(area), struct.pack(">I", data_at + 48)) \
        + struct.pack(">I", 0)
    tiff = b"MM\0\x2a" + struct.pack(">I", 8) + ifd0 + gps
    assert len(tiff) == data_at
    return b"Exif\0\0" + tiff + lat + lon + area


def png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload \
        + struct.pack(">I", zlib.crc32(kind + payload))


def png_file(width, height, depth, colour_type, rows, before_idat=b"",
             after_idat=b""):
    """A PNG built chunk by chunk: rows are the raw scanlines, each
    already carrying its filter byte."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0,
                       0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + before_idat
            + png_chunk(b"IDAT", zlib.compress(rows, 9)) + after_idat
            + png_chunk(b"IEND", b""))


@functools.lru_cache(maxsize=None)
def good_jpeg():
    return encode(portrait(900, 1200), quality=90)


@functools.lru_cache(maxsize=None)
def good_png():
    return encode(portrait(600, 900), "PNG")


@functools.lru_cache(maxsize=None)
def truncated_jpeg():
    # Detail everywhere, so that the cut falls inside the scan data.
    img = Image.merge("RGB", [Image.effect_noise((600, 800), 60)] * 3)
    data = encode(img, quality=90)
    return data[:len(data) * 6 // 10]


@functools.lru_cache(maxsize=None)
def png_20000():
    """20000 x 20000 pixels declared by a 70-byte file (a decompression
    bomb would need its IDAT; the header alone must be enough to say no)."""
    return png_file(20000, 20000, 8, 2, b"\0" * 16)


@functools.lru_cache(maxsize=None)
def many_scans_jpeg(copies=3000):
    """A progressive JPEG with its last scan repeated copies times. A
    flat picture makes that scan a dozen bytes, so the file stays small
    while the decoder would have to go over the coefficients again for
    every copy."""
    data = encode(Image.new("RGB", (300, 400), (120, 140, 160)),
                  quality=90, progressive=True)
    segs = jpeg_segments(data)
    _, start, end = [s for s in segs if s[0] == 0xDA][-1]
    eoi = segs[-1][1]
    return data[:eoi] + data[start:end] * copies + data[eoi:]


@functools.lru_cache(maxsize=None)
def html_comment_jpeg():
    return with_segment(good_jpeg(), 0xFE, HTML_COMMENT)


HTML_COMMENT = (b"<html><body><script>fetch('/akun/password')</script>"
                b"<img src=x onerror=alert(1)></body></html>")
GPS_NOTE = b"RUMAH-DI-CEMPAKA-PUTIH"


@functools.lru_cache(maxsize=None)
def exif_rotated_jpeg():
    """portrait(600, 800) stored turned a quarter to the left (landscape,
    800 x 600), with EXIF orientation 6 saying the viewer must turn it a
    quarter to the right, and a GPS position."""
    stored = portrait(600, 800).transpose(Image.ROTATE_90)
    assert stored.size == (800, 600)
    return with_segment(encode(stored, quality=92), 0xE1,
                        exif_with_gps(6, GPS_NOTE))


@functools.lru_cache(maxsize=None)
def cmyk_jpeg():
    return encode(portrait(450, 600).convert("CMYK"), quality=92)


@functools.lru_cache(maxsize=None)
def png_16bit_alpha():
    """300 x 400, 16 bits a sample, RGBA: the top half opaque orange
    (0xFFFF, 0x8000, 0x0000), the bottom half fully transparent black,
    which must come out white (over a white page)."""
    width, height = 300, 400
    opaque = struct.pack(">4H", 0xFFFF, 0x8000, 0x0000, 0xFFFF) * width
    clear = struct.pack(">4H", 0, 0, 0, 0) * width
    rows = b"".join(b"\0" + (opaque if y < height // 2 else clear)
                    for y in range(height))
    return png_file(width, height, 16, 6, rows)


@functools.lru_cache(maxsize=None)
def animated_png():
    """Two frames of a 300 x 400 picture (APNG: acTL, fcTL, fdAT); the
    first frame alone would be a valid photo."""
    width, height = 300, 400
    frame = b"".join(b"\0" + b"\x80\x40\x20" * width for _ in range(height))

    def fctl(seq):
        return png_chunk(b"fcTL", struct.pack(">IIIIIHHBB", seq, width,
                                              height, 0, 0, 1, 2, 0, 0))
    before = png_chunk(b"acTL", struct.pack(">II", 2, 0)) + fctl(0)
    after = fctl(1) + png_chunk(b"fdAT", struct.pack(">I", 2)
                                + zlib.compress(frame, 9))
    return png_file(width, height, 8, 2, frame, before, after)


@functools.lru_cache(maxsize=None)
def landscape_jpeg():
    return encode(portrait(800, 600), quality=85)


@functools.lru_cache(maxsize=None)
def small_jpeg():
    return encode(portrait(240, 320), quality=85)


@functools.lru_cache(maxsize=None)
def narrow_jpeg():
    return encode(portrait(400, 1000), quality=85)


@functools.lru_cache(maxsize=None)
def gif():
    return encode(portrait(300, 400), "GIF")


@functools.lru_cache(maxsize=None)
def jpeg_huge_header():
    """A JPEG whose frame header declares 30000 x 40000 pixels."""
    data = good_jpeg()
    for marker, start, _ in jpeg_segments(data):
        if marker == 0xC0:
            at = start + 5
            return data[:at] + struct.pack(">HH", 40000, 30000) \
                + data[at + 4:]
    raise AssertionError("no SOF0")


@functools.lru_cache(maxsize=None)
def too_large_file():
    """One byte over the limit: a JPEG padded after its EOI."""
    data = good_jpeg()
    return data + b"\0" * (MAX_BYTES + 1 - len(data))


@functools.lru_cache(maxsize=None)
def large_jpeg():
    """3900 x 5200 (20.3 megapixels, under the 24 MP limit, exactly 3:4)
    at the highest quality that stays under the 2 MB limit: the largest
    photo the rules let through, pixels and bytes."""
    w, h = 3900, 5200
    ramp = Image.linear_gradient("L").resize((w, h))
    noise = Image.effect_noise((w // 16, h // 16), 40).resize(
        (w, h), Image.BICUBIC)
    img = Image.merge("RGB", (ramp, noise,
                              ramp.transpose(Image.FLIP_TOP_BOTTOM)))
    for quality in range(90, 20, -5):
        data = encode(img, quality=quality)
        if len(data) <= MAX_BYTES - 64 * 1024:
            assert len(data) > MAX_BYTES // 2, len(data)
            return data
    raise AssertionError("no quality keeps the large photo under 2 MB")


# Adam7 (PNG specification section 8.2): each pass's first column and
# row, and its steps across and down.
ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
         (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


@functools.lru_cache(maxsize=None)
def interlaced_png(width=3900, height=5200):
    """An Adam7-interlaced RGBA PNG, 3:4, a colour per row: libpng hands
    such a file over whole, so its decoder holds 4 bytes per pixel (31 MB
    here) however small the file is."""
    def colour(y):
        return bytes((y * 255 // height, 96, 255 - y * 255 // height, 255))

    rows = []
    for x0, y0, dx, dy in ADAM7:
        across = (width - x0 + dx - 1) // dx
        rows.extend(b"\0" + colour(y) * across
                    for y in range(y0, height, dy))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 1)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + png_chunk(b"IEND", b""))


@functools.lru_cache(maxsize=None)
def progressive_444_jpeg(width=3900, height=5200):
    """A progressive JPEG without chroma subsampling: libjpeg keeps every
    coefficient of a multi-scan file until its last scan, 2 bytes for each
    of the 3 samples of every pixel (46 MB here)."""
    ramp = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width // 16, height // 16), 40).resize(
        (width, height), Image.BICUBIC)
    img = Image.merge("RGB", (ramp, noise,
                              ramp.transpose(Image.FLIP_TOP_BOTTOM)))
    for quality in range(85, 20, -5):
        data = encode(img, quality=quality, progressive=True, subsampling=0)
        if len(data) <= MAX_BYTES - 64 * 1024:
            return data
    raise AssertionError("no quality keeps the progressive photo under 2 MB")


# ------------------------------------------------------------ uploading

def upload_page(s):
    r = s.get("/akun/foto")
    assert r.status_code == 200, r.status_code
    return r.text


def upload(s, data, filename="foto.jpg", mime="image/jpeg", token=None,
           **kwargs):
    """SIMPAN on Upload Foto with data as the file."""
    if token is None:
        token = csrf_token(upload_page(s))
    kwargs.setdefault("allow_redirects", False)
    return s.post("/akun/foto", data={"csrf_token": token},
                  files={"foto": (filename, data, mime)}, **kwargs)


def stored_photos(portal, nrk):
    """(id, aktif, width, height, sha256) of every photo of nrk."""
    return portal.sql("SELECT id, aktif, width, height, sha256 FROM foto "
                      "WHERE nrk = ? ORDER BY id", nrk)


def active_jpeg(portal, nrk):
    rows = portal.sql("SELECT jpeg_base64 FROM foto WHERE nrk = ? "
                      "AND aktif = 1", nrk)
    assert len(rows) == 1, len(rows)
    return base64.b64decode(rows[0][0])


def served(s):
    r = s.get("/profile/foto")
    assert r.status_code == 200, r.status_code
    assert r.headers["Content-Type"] == "image/jpeg"
    return r.content


def store(portal, s, nrk, data, **kwargs):
    """Uploads data, expects it stored; returns the stored JPEG."""
    r = upload(s, data, **kwargs)
    assert r.status_code == 303, (r.status_code, text_of(r.text)[:600])
    # The page the redirect leads to is not fetched: test_data_form.py
    # looks for the word "tersimpan" (part of a value it types) in the
    # whole access log of the session, and this URL would be there.
    assert r.headers["Location"] == "/akun/foto?tersimpan=1"
    jpeg = active_jpeg(portal, nrk)
    assert served(s) == jpeg
    return jpeg


def assert_clean_jpeg(jpeg):
    """A baseline JFIF JPEG that carries nothing but the picture."""
    markers = jpeg_markers(jpeg)
    assert markers[0] == 0xD8 and markers[-1] == 0xD9
    assert 0xC0 in markers, [hex(m) for m in markers]  # baseline
    assert 0xE1 not in markers, "APP1 (EXIF or XMP) kept"
    assert 0xFE not in markers, "COM kept"
    # No APPn but the JFIF header: no ICC profile, Adobe or maker data.
    assert not [m for m in markers if 0xE1 <= m <= 0xEF]
    assert b"Exif" not in jpeg


def photo_audit(portal, nrk):
    return portal.sql("SELECT actor, action, table_name, old_value, "
                      "new_value, client_ip FROM audit_log "
                      "WHERE subject_nrk = ? AND action = 'foto' "
                      "ORDER BY id", nrk)


# ------------------------------------------------------------ the page

def test_upload_page_states_the_rules(portal):
    nrk, _, _ = generated(portal, 0)
    s = session_for(portal, nrk)
    r = s.get("/akun/foto")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert r.headers["Cache-Control"] == "no-store"
    text = text_of(r.text)
    assert "Upload Foto" in text
    for rule in ("JPEG atau PNG", "2.0 MB", "300x400"):
        assert rule in text, rule
    assert re.search(r"(?i)potret|tegak", text)
    assert "3:4" in text and "2:3" in text
    assert re.search(r'<form[^>]*enctype="multipart/form-data"', r.text)
    assert re.search(r'<input[^>]*type="file"[^>]*name="foto"|'
                     r'<input[^>]*name="foto"[^>]*type="file"', r.text)
    assert re.search(r'accept="image/jpeg,image/png"', r.text)
    assert csrf_token(r.text)
    assert "SIMPAN" in text


def test_pages_require_a_session(portal, client):
    for path in ("/akun/foto", "/akun/password"):
        r = client.get(path, allow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["Location"] == "/login"
    photos = portal.sql("SELECT count(*) FROM foto")
    r = client.post("/akun/foto", data={"csrf_token": "A" * 43},
                    files={"foto": ("f.jpg", good_jpeg(), "image/jpeg")},
                    allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/login"
    assert portal.sql("SELECT count(*) FROM foto") == photos


def test_wrong_methods(portal):
    nrk, _, _ = generated(portal, 0)
    s = session_for(portal, nrk)
    for method, path, allow in (("DELETE", "/akun/foto", "GET, HEAD, POST"),
                                ("PUT", "/akun/password", "GET, HEAD, POST"),
                                ("POST", "/profile/foto", "GET, HEAD")):
        r = s.request(method, path, allow_redirects=False)
        assert r.status_code == 405, (method, path)
        assert r.headers["Allow"] == allow


# ------------------------------------------------------------ storing

def test_good_jpeg_is_stored_and_served(portal):
    nrk, _, _ = generated(portal, 0)
    s = session_for(portal, nrk)
    assert s.get("/profile/foto").status_code == 404
    assert 'src="/profile/foto' not in s.get("/profile").text
    jpeg = store(portal, s, nrk, good_jpeg())
    # The confirmation waits with the session (not in the URL, which is
    # not fetched here) and is shown once.
    assert says(s.get("/akun/foto").text, "Foto tersimpan.")
    assert not says(s.get("/akun/foto").text, "Foto tersimpan.")
    assert_clean_jpeg(jpeg)

    img = Image.open(io.BytesIO(jpeg))
    assert img.format == "JPEG" and img.mode == "RGB"
    assert img.size == OUTPUT  # 900x1200 scaled to fit 600x800
    assert_layout(img)
    (pid, aktif, w, h, sha), = stored_photos(portal, nrk)
    assert (aktif, w, h) == ("1", "600", "800")
    assert sha == hashlib.sha256(jpeg).hexdigest()

    r = s.get("/profile/foto")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp
    cache = r.headers["Cache-Control"]
    assert "private" in cache and "public" not in cache
    etag = r.headers["ETag"]
    assert etag.strip('"') == sha
    assert int(r.headers["Content-Length"]) == len(jpeg)

    again = s.get("/profile/foto", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    stale = s.get("/profile/foto", headers={"If-None-Match": '"%s"'
                                            % ("0" * 64)})
    assert stale.status_code == 200 and stale.content == jpeg
    head = s.head("/profile/foto")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Type"] == "image/jpeg"

    # The upload is audited without the picture itself.
    actor, action, table, old, new, ip = photo_audit(portal, nrk)[-1]
    assert (actor, action, table, ip) == (nrk, "foto", "foto", "127.0.0.1")
    assert old is None and "600x800" in new and len(new) < 100

    # The upload page and the profile now show it, through the handler.
    assert 'src="/profile/foto' in upload_page(s)
    assert 'src="/profile/foto' in s.get("/profile").text


def test_good_png_is_stored_as_jpeg_and_the_old_goes_to_history(portal):
    nrk, _, _ = generated(portal, 1)
    s = session_for(portal, nrk)
    first = store(portal, s, nrk, good_jpeg())
    old_etag = s.get("/profile/foto").headers["ETag"]

    jpeg = store(portal, s, nrk, good_png(), filename="foto.png",
                 mime="image/png")
    assert_clean_jpeg(jpeg)
    img = Image.open(io.BytesIO(jpeg))
    assert img.size == (533, 800)  # 600x900 scaled to fit 600x800
    assert_layout(img)

    rows = stored_photos(portal, nrk)
    assert [r[1] for r in rows] == ["0", "1"]
    assert base64.b64decode(portal.sql(
        "SELECT jpeg_base64 FROM foto WHERE id = ?", int(rows[0][0]))[0][0]) \
        == first
    r = s.get("/profile/foto", headers={"If-None-Match": old_etag})
    assert r.status_code == 200 and r.content == jpeg
    assert r.headers["ETag"] != old_etag
    assert len(photo_audit(portal, nrk)) == 2


def test_html_in_a_comment_is_not_kept(portal):
    nrk, _, _ = generated(portal, 3)
    s = session_for(portal, nrk)
    upload_data = html_comment_jpeg()
    assert 0xFE in jpeg_markers(upload_data)
    jpeg = store(portal, s, nrk, upload_data)
    assert_clean_jpeg(jpeg)
    for needle in (b"<script", b"<html", b"onerror", b"alert"):
        assert needle not in jpeg
    rows = portal.sql("SELECT jpeg_base64 FROM foto WHERE nrk = ?", nrk)
    assert all(b"<script" not in base64.b64decode(r[0]) for r in rows)
    # Served so that even a browser that sniffs would not run anything.
    r = s.get("/profile/foto")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in r.headers["Content-Security-Policy"]


def test_exif_orientation_is_applied_and_gps_dropped(portal):
    nrk, _, _ = generated(portal, 4)
    s = session_for(portal, nrk)
    upload_data = exif_rotated_jpeg()
    assert Image.open(io.BytesIO(upload_data)).size == (800, 600)
    assert GPS_NOTE in upload_data
    jpeg = store(portal, s, nrk, upload_data)
    assert_clean_jpeg(jpeg)
    assert GPS_NOTE not in jpeg
    img = Image.open(io.BytesIO(jpeg))
    # Turned upright: portrait, red on top, green on the left. A turn
    # the wrong way puts blue on top; a mirror puts green on the right.
    assert img.size == (600, 800)
    assert_layout(img)
    (_, _, w, h, _), = stored_photos(portal, nrk)
    assert (w, h) == ("600", "800")


def test_cmyk_jpeg_keeps_its_colours(portal):
    nrk, _, _ = generated(portal, 5)
    s = session_for(portal, nrk)
    upload_data = cmyk_jpeg()
    assert Image.open(io.BytesIO(upload_data)).mode == "CMYK"
    jpeg = store(portal, s, nrk, upload_data)
    assert_clean_jpeg(jpeg)
    img = Image.open(io.BytesIO(jpeg))
    assert img.mode == "RGB" and img.size == (450, 600)
    # Adobe CMYK is stored inverted: read the other way, red turns cyan.
    assert_layout(img)


def test_16bit_png_with_alpha_is_flattened_on_white(portal):
    nrk, _, _ = generated(portal, 6)
    s = session_for(portal, nrk)
    jpeg = store(portal, s, nrk, png_16bit_alpha(), filename="foto.png",
                 mime="image/png")
    assert_clean_jpeg(jpeg)
    img = Image.open(io.BytesIO(jpeg))
    assert img.size == (300, 400)
    for xy, rgb in (((150, 100), (255, 128, 0)),
                    ((150, 300), (255, 255, 255))):
        ok, got = colour_near(img, xy, rgb, tolerance=24)
        assert ok, (xy, rgb, got)


# ------------------------------------------------------------ refusals

# (file, upload name, MIME type the browser sends, status, message)
REFUSED = {
    "truncated_jpeg": (truncated_jpeg, "foto.jpg", "image/jpeg", 422,
                       "berkas foto rusak atau tidak lengkap"),
    "png_20000x20000": (png_20000, "foto.png", "image/png", 422,
                        "foto 20000x20000 piksel terlalu besar, "
                        "maksimal 24 megapiksel"),
    "jpeg_30000x40000_header": (jpeg_huge_header, "foto.jpg", "image/jpeg",
                                422, "foto 30000x40000 piksel terlalu "
                                     "besar, maksimal 24 megapiksel"),
    "progressive_3000_scans": (many_scans_jpeg, "foto.jpg", "image/jpeg",
                               422, "berkas JPEG dengan lebih dari 100 "
                                    "scan tidak diterima"),
    "animated_png": (animated_png, "foto.png", "image/png", 422,
                     "PNG animasi (APNG) tidak diterima, unggah foto diam"),
    "landscape": (landscape_jpeg, "foto.jpg", "image/jpeg", 422,
                  "foto 800x600 piksel tidak tegak (potret): tinggi harus "
                  "lebih besar dari lebar"),
    "too_small": (small_jpeg, "foto.jpg", "image/jpeg", 422,
                  "foto 240x320 piksel, minimal 300x400"),
    "aspect": (narrow_jpeg, "foto.jpg", "image/jpeg", 422,
               "perbandingan sisi foto 400x1000 piksel tidak mendekati "
               "3:4 atau 2:3"),
    "gif": (gif, "foto.gif", "image/gif", 422,
            "jenis berkas GIF tidak diterima, hanya JPEG atau PNG"),
    # The name and the type the browser claims count for nothing.
    "gif_named_jpeg": (gif, "foto.jpg", "image/jpeg", 422,
                       "jenis berkas GIF tidak diterima, hanya JPEG atau "
                       "PNG"),
    "html_named_jpeg": (lambda: HTML_COMMENT, "foto.jpg", "image/jpeg", 422,
                        "berkas bukan foto JPEG atau PNG"),
    "empty": (lambda: b"", "", "application/octet-stream", 422,
              "Pilih file foto terlebih dahulu."),
    "over_2mb": (too_large_file, "foto.jpg", "image/jpeg", 413,
                 "Ukuran foto melebihi batas 2.0 MB."),
}


@pytest.fixture
def photographed(portal):
    """An employee (k = 2) with a photo already stored, and the
    state a refused upload must leave alone."""
    nrk, _, _ = generated(portal, 2)
    s = session_for(portal, nrk)
    if not stored_photos(portal, nrk):
        store(portal, s, nrk, good_jpeg())
    before = (stored_photos(portal, nrk), len(photo_audit(portal, nrk)),
              s.get("/profile/foto").headers["ETag"])
    return nrk, s, before


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_upload(portal, photographed, case):
    nrk, s, before = photographed
    make, name, mime, status, message = REFUSED[case]
    data = make()
    r = upload(s, data, filename=name, mime=mime)
    assert r.status_code == status, (r.status_code, text_of(r.text)[:600])
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    # The upload page again, with the rule that was broken.
    assert says(r.text, message), text_of(r.text)[:1500]
    assert 'name="foto"' in r.text
    assert csrf_token(r.text)
    # Nothing stored, the current photo untouched.
    after = (stored_photos(portal, nrk), len(photo_audit(portal, nrk)),
             s.get("/profile/foto").headers["ETag"])
    assert after == before


def test_body_over_the_limit_is_refused_before_it_is_read(portal,
                                                          photographed):
    nrk, s, before = photographed
    token = csrf_token(upload_page(s))
    body = os.urandom(3 * 1024 * 1024)
    t0 = time.monotonic()
    r = upload(s, body, token=token)
    assert r.status_code == 413
    assert says(r.text, "Ukuran foto melebihi batas 2.0 MB.")
    assert time.monotonic() - t0 < 10

    # Chunked, so that no Content-Length announces it.
    def chunks():
        boundary = "batasfoto"
        yield ("--%s\r\nContent-Disposition: form-data; "
               "name=\"csrf_token\"\r\n\r\n%s\r\n--%s\r\n"
               "Content-Disposition: form-data; name=\"foto\"; "
               "filename=\"f.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
               % (boundary, token, boundary)).encode()
        for _ in range(48):
            yield b"\xff" * 65536
        yield ("\r\n--%s--\r\n" % boundary).encode()
    r = s.post("/akun/foto", data=chunks(), allow_redirects=False,
               headers={"Content-Type": "multipart/form-data; "
                                        "boundary=batasfoto"})
    assert r.status_code == 413
    assert says(r.text, "Ukuran foto melebihi batas 2.0 MB.")
    assert (stored_photos(portal, nrk), len(photo_audit(portal, nrk))) \
        == before[:2]


def multipart_body(parts, boundary="batasfoto"):
    """A multipart/form-data body from (headers, data) pairs, headers a
    list of whole header lines."""
    body = b""
    for headers, data in parts:
        body += b"--" + boundary.encode() + b"\r\n"
        body += b"".join(h.encode() + b"\r\n" for h in headers)
        body += b"\r\n" + data + b"\r\n"
    return body + b"--" + boundary.encode() + b"--\r\n"


def form_part(name, data, *more_headers):
    return (['Content-Disposition: form-data; name="%s"' % name]
            + list(more_headers), data)


def photo_part(data=None):
    return (['Content-Disposition: form-data; name="foto"; '
             'filename="f.jpg"', "Content-Type: image/jpeg"],
            good_jpeg() if data is None else data)


# Each multipart limit refused with a message naming its rule, not the
# photo's size: (parts, message).
MULTIPART_LIMITS = {
    "five_parts": (lambda t: [form_part("csrf_token", t), photo_part()]
                   + [form_part("catatan%d" % i, b"x") for i in range(3)],
                   "terlalu banyak bagian: paling banyak 4"),
    "long_header_block": (
        lambda t: [form_part("csrf_token", t),
                   form_part("catatan", b"x", "X-Catatan: " + "a" * 2100),
                   photo_part()],
        "terlalu panjang: paling banyak 2048 byte"),
    "nine_headers": (
        lambda t: [form_part("csrf_token", t),
                   form_part("catatan", b"x",
                             *["X-Catatan-%d: a" % i for i in range(8)]),
                   photo_part()],
        "terlalu banyak kepala: paling banyak 8"),
    "long_small_field": (
        lambda t: [form_part("csrf_token", t),
                   form_part("catatan", b"x" * 300), photo_part()],
        "selain foto terlalu panjang: paling banyak 256 byte"),
}


@pytest.mark.parametrize("case", list(MULTIPART_LIMITS))
def test_multipart_limits_name_their_rule(portal, photographed, case):
    nrk, s, before = photographed
    token = csrf_token(upload_page(s)).encode()
    parts, message = MULTIPART_LIMITS[case]
    r = s.post("/akun/foto", data=multipart_body(parts(token)),
               allow_redirects=False,
               headers={"Content-Type": "multipart/form-data; "
                                        "boundary=batasfoto"})
    assert r.status_code == 413, r.status_code
    assert says(r.text, message), text_of(r.text)[:600]
    assert not says(r.text, "Ukuran foto melebihi")
    assert (stored_photos(portal, nrk), len(photo_audit(portal, nrk))) \
        == before[:2]


def test_multipart_within_the_limits_is_stored(portal, photographed):
    """The same builder with every limit met: the refusals above are the
    limits', not the builder's."""
    nrk, s, _ = photographed
    token = csrf_token(upload_page(s)).encode()
    parts = [form_part("csrf_token", token),
             form_part("catatan", b"x" * 256,
                       *["X-Catatan-%d: a" % i for i in range(7)]),
             photo_part()]
    r = s.post("/akun/foto", data=multipart_body(parts),
               allow_redirects=False,
               headers={"Content-Type": "multipart/form-data; "
                                        "boundary=batasfoto"})
    assert r.status_code == 303, (r.status_code, text_of(r.text)[:600])


def test_limit_request_body_answers_413(portal, photographed):
    """LimitRequestBody 4096 (extra.conf, for requests carrying the test
    header) under the photo's 2 MB: httpd refuses the body, and that is a
    413, announced by Content-Length or found in a chunked body."""
    nrk, s, before = photographed
    token = csrf_token(upload_page(s)).encode()
    body = multipart_body([form_part("csrf_token", token), photo_part()])
    assert len(body) > 4096
    headers = {"Content-Type": "multipart/form-data; boundary=batasfoto",
               "X-Pegawai-Test-Limit": "kecil"}
    r = s.post("/akun/foto", data=body, headers=headers,
               allow_redirects=False)
    assert r.status_code == 413, (r.status_code, text_of(r.text)[:300])
    r = s.post("/akun/foto", data=iter([body[:3000], body[3000:]]),
               headers=headers, allow_redirects=False)
    assert r.status_code == 413, (r.status_code, text_of(r.text)[:300])
    assert (stored_photos(portal, nrk), len(photo_audit(portal, nrk))) \
        == before[:2]
    # The same body without the header is stored: the limit refused it.
    del headers["X-Pegawai-Test-Limit"]
    r = s.post("/akun/foto", data=body, headers=headers,
               allow_redirects=False)
    assert r.status_code == 303, (r.status_code, text_of(r.text)[:300])


def test_body_read_timeout_answers_408(portal, photographed):
    """A body that stops coming: after Timeout (30 s in the test server)
    httpd's read fails with a timeout, which is a 408, not a malformed
    form (400)."""
    nrk, s, before = photographed
    token = csrf_token(upload_page(s)).encode()
    body = multipart_body([form_part("csrf_token", token), photo_part()])
    cookie = "; ".join("%s=%s" % (c.name, c.value) for c in s.cookies)
    host, port = portal.base_url.split("//")[1].split(":")
    head = ("POST /akun/foto HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\n"
            "Content-Type: multipart/form-data; boundary=batasfoto\r\n"
            "Content-Length: %d\r\n\r\n" % (host, cookie, len(body)))
    with socket.create_connection((host, int(port.rstrip("/")))) as sock:
        sock.settimeout(60)
        sock.sendall(head.encode() + body[:len(body) // 2])
        answer = sock.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 408"), answer[:200]
    assert (stored_photos(portal, nrk), len(photo_audit(portal, nrk))) \
        == before[:2]


def test_a_post_without_a_content_type_is_refused(portal, photographed):
    # The child used to read the missing header as a string and die
    # (AH00052 Segmentation fault), answering nothing at all.
    nrk, s, before = photographed
    token = csrf_token(upload_page(s))
    for body in (b"", ("csrf_token=%s" % token).encode()):
        r = s.post("/akun/foto", data=body, allow_redirects=False)
        assert "Content-Type" not in r.request.headers
        assert r.status_code == 415
        assert says(r.text, "multipart/form-data")
    assert (stored_photos(portal, nrk), len(photo_audit(portal, nrk))) \
        == before[:2]


def test_malformed_bodies_are_refused(portal, photographed):
    nrk, s, before = photographed
    token = csrf_token(upload_page(s))
    # Not multipart at all.
    r = s.post("/akun/foto", data={"csrf_token": token, "foto": "x"},
               allow_redirects=False)
    assert r.status_code == 415
    # Two photos in one form.
    r = s.post("/akun/foto", data={"csrf_token": token},
               files=[("foto", ("a.jpg", good_jpeg(), "image/jpeg")),
                      ("foto", ("b.jpg", good_jpeg(), "image/jpeg"))],
               allow_redirects=False)
    assert r.status_code == 400
    # Cut off before its closing boundary.
    body = (b"--b\r\nContent-Disposition: form-data; name=\"csrf_token\""
            b"\r\n\r\n" + token.encode() + b"\r\n--b\r\nContent-Disposition"
            b": form-data; name=\"foto\"; filename=\"f.jpg\"\r\n\r\n"
            + good_jpeg()[:5000])
    r = s.post("/akun/foto", data=body, allow_redirects=False,
               headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert r.status_code == 400
    assert says(r.text, "Kiriman formulir rusak")
    assert (stored_photos(portal, nrk), len(photo_audit(portal, nrk))) \
        == before[:2]


def test_upload_csrf(portal, photographed):
    nrk, s, before = photographed
    other = session_for(portal, generated(portal, 7)[0])
    token = csrf_token(upload_page(s))
    cases = [
        ({}, None),                                  # no token
        ({}, "A" * 43),                              # a made-up one
        ({}, csrf_token(upload_page(other))),        # another session's
        ({"Origin": "http://evil.example"}, token),
        ({"Sec-Fetch-Site": "cross-site"}, token),
    ]
    for headers, tok in cases:
        data = {"csrf_token": tok} if tok else {}
        r = s.post("/akun/foto", data=data, headers=headers,
                   files={"foto": ("f.jpg", good_jpeg(), "image/jpeg")},
                   allow_redirects=False)
        assert r.status_code == 403, (headers, tok)
    assert (stored_photos(portal, nrk), len(photo_audit(portal, nrk))) \
        == before[:2]
    # The same form, sent from the portal's own page, goes through.
    r = upload(s, good_jpeg(), token=token,
               headers={"Origin": portal.base_url,
                        "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 303


def test_repeated_csrf_token_parts_are_refused(portal, photographed):
    """Each small field has one buffer of 256 bytes: a second csrf_token
    part, or more than fits, is refused whole, never appended (the child
    stays alive: the log guard fails on a crash)."""
    nrk, s, before = photographed
    token = csrf_token(upload_page(s))
    photo = ("foto", ("f.jpg", good_jpeg(), "image/jpeg"))
    for parts in ([("csrf_token", (None, "A" * 256)),
                   ("csrf_token", (None, "B" * 256)), photo],
                  [("csrf_token", (None, token)),
                   ("csrf_token", (None, token)), photo],
                  [("csrf_token", (None, "C" * 257)), photo]):
        r = s.post("/akun/foto", files=parts, allow_redirects=False)
        assert r.status_code in (400, 413), r.status_code
    assert (stored_photos(portal, nrk), len(photo_audit(portal, nrk))) \
        == before[:2]
    assert upload(s, good_jpeg(), token=token).status_code == 303


# ------------------------------------------------------------ whose photo

def test_another_employees_photo_is_unreachable(portal):
    owner_nrk, _, _ = generated(portal, 7)
    other_nrk, _, _ = generated(portal, 8)
    owner = session_for(portal, owner_nrk)
    owners = store(portal, owner, owner_nrk, good_jpeg())
    (owner_id, _, _, _, owner_sha), = [
        r for r in stored_photos(portal, owner_nrk) if r[1] == "1"]

    other = session_for(portal, other_nrk)
    tries = ["/profile/foto?nrk=%s" % owner_nrk,
             "/profile/foto?id=%s" % owner_id,
             "/profile/foto?nrk=%s&id=%s" % (owner_nrk, owner_id),
             "/profile/foto?foto=%s" % owner_sha,
             "/profile/foto/%s" % owner_nrk,
             "/profile/foto/%s" % owner_id,
             "/profile/foto;nrk=%s" % owner_nrk,
             "/profile//foto?nrk=%s" % owner_nrk,
             "/foto/%s" % owner_nrk,
             "/akun/foto?nrk=%s" % owner_nrk]

    def never_the_owners(s):
        for path in tries:
            r = s.get(path, allow_redirects=False)
            assert owners not in r.content, path
            assert r.headers.get("Content-Type") != "image/jpeg" \
                or r.content != owners, path
        r = s.get("/profile/foto", headers={"If-None-Match":
                                            '"%s"' % owner_sha})
        assert r.status_code != 304

    # Without a photo of one's own: nothing, whatever is asked.
    never_the_owners(other)
    assert other.get("/profile/foto").status_code == 404
    # With one: one's own, whatever is asked.
    others = store(portal, other, other_nrk, good_png(), filename="f.png",
                   mime="image/png")
    never_the_owners(other)
    for path in tries[:4]:
        assert other.get(path).content == others, path
    # The owner's own is still the owner's.
    assert served(owner) == owners


def test_no_photo_without_a_session(portal, client):
    nrk, _, _ = generated(portal, 7)
    s = session_for(portal, nrk)
    if not stored_photos(portal, nrk):
        store(portal, s, nrk, good_jpeg())
    for cookies in ({}, {SESSION_COOKIE: "A" * 43},
                    {SESSION_COOKIE: "bukan token"}):
        client.cookies.clear()
        client.cookies.update(cookies)
        for path in ("/profile/foto", "/profile/foto?nrk=%s" % nrk):
            r = client.get(path, allow_redirects=False)
            assert r.status_code in (303, 401, 403), (cookies, path)
            assert r.headers.get("Content-Type") != "image/jpeg"
            assert not r.content.startswith(b"\xff\xd8")
    # A session that has ended is no session.
    token = s.cookies.get(SESSION_COOKIE)
    page = s.get("/profile")
    assert s.post("/logout", data={"csrf_token": csrf_token(page.text)},
                  allow_redirects=False).status_code == 303
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, token)
    r = client.get("/profile/foto", allow_redirects=False)
    assert r.status_code in (303, 401, 403)
    assert not r.content.startswith(b"\xff\xd8")


# ------------------------------------------------------------ load

def apache_children(parent):
    """The pids whose parent is parent (Apache's children)."""
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
        except OSError:
            continue
        # The command may hold spaces and parentheses: fields follow the
        # last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            pids.append(int(name))
    return pids


def status_kib(pid, field):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# What one Apache child may hold at the peak of this test, and why. The
# 20 uploads may all land in one child: ThreadsPerChild 16, so 16 at
# once. A baseline JPEG is decoded row by row into an area-averaging
# scaler (pgw_image_scale.c), so an upload holds its 2 MB body, a few
# rows of 3900 pixels, the 600x800 RGB output (1.4 MB) and the new JPEG
# with its base64 copy (under 0.5 MB): about 5 MB, 80 MB for 16. The
# child at rest is under 20 MB when fresh; once it has run argon2id,
# malloc may keep up to four 19 MB blocks (PegawaiPasswordConcurrency
# 4): 76 MB more. 300 MB leaves room for malloc's per-thread arenas,
# while a child that held the decoded 20-megapixel pictures (61 MB
# each) would pass it with five uploads.
#
# A progressive 4:4:4 JPEG of that size holds 122 MB of coefficients
# while it is decoded, an interlaced RGBA PNG 81 MB of pixels; only
# PegawaiPhotoConcurrency of them are decoded at once in a child (1 in
# extra.conf). One such decode and the 16 uploads' own few MB stay under
# 200 MB above the child at rest; two decodes at once pass it.
DECODE_GROWTH_BOUND_MB = 200
CHILD_RSS_BOUND_MB = 300


def test_memory_stays_bounded_under_20_large_uploads(portal):
    # Each kind a third of the uploads: the baseline JPEG decoded row by
    # row, and the two a decoder must hold whole.
    kinds = [("besar.jpg", large_jpeg(), "image/jpeg"),
             ("progresif.jpg", progressive_444_jpeg(), "image/jpeg"),
             ("interlace.png", interlaced_png(), "image/png")]
    assert all(len(k[1]) < MAX_BYTES for k in kinds)
    employees = [generated(portal, 20 + i)[0] for i in range(5)]
    sessions = [session_for(portal, nrk) for nrk in employees]
    tokens = [csrf_token(upload_page(s)) for s in sessions]
    parent = portal.pid()
    children = apache_children(parent)
    assert children
    at_rest = {pid: status_kib(pid, "VmRSS") for pid in children}

    peak = {}
    done = threading.Event()

    def sample():
        while not done.is_set():
            for pid in apache_children(parent):
                rss = status_kib(pid, "VmRSS")
                peak[pid] = max(peak.get(pid, 0), rss)
            time.sleep(0.01)

    results = [None] * 20
    start = threading.Barrier(20)

    def send(i):
        s = new_session(portal)
        s.cookies.update(sessions[i % 5].cookies)
        start.wait()
        t0 = time.monotonic()
        try:
            r = s.post("/akun/foto", data={"csrf_token": tokens[i % 5]},
                       files={"foto": kinds[i % 3]},
                       allow_redirects=False, timeout=120)
            results[i] = (r.status_code, r.headers.get("Location"), r.text,
                          time.monotonic() - t0)
        except Exception as e:  # reported below, not lost in a thread
            results[i] = (None, None, repr(e), time.monotonic() - t0)
        finally:
            s.close()

    sampler = threading.Thread(target=sample)
    sampler.start()
    threads = [threading.Thread(target=send, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    sampler.join()

    codes = [r[0] for r in results]
    for code, location, text, _ in results:
        assert code == 303 or (code is not None and 400 <= code < 500), \
            (code, text[:300])
        if code == 303:
            assert location == "/akun/foto?tersimpan=1"
        else:  # a clean refusal is the upload page with its message
            assert 'name="foto"' in text, (code, text_of(text)[:300])
    stored = sum(int(portal.sql("SELECT count(*) FROM foto WHERE nrk = ?",
                                nrk)[0][0]) for nrk in employees)
    assert stored == codes.count(303)

    hwm = {pid: status_kib(pid, "VmHWM") for pid in apache_children(parent)}
    report = ("answers %s in %.1f-%.1f s; child RSS at rest %s MB, peak "
              "sampled %s MB, high-water mark %s MB"
              % ({c: codes.count(c) for c in set(codes)},
                 min(r[3] for r in results), max(r[3] for r in results),
                 sorted(v // 1024 for v in at_rest.values()),
                 sorted(v // 1024 for v in peak.values()),
                 sorted(v // 1024 for v in hwm.values())))
    print("\n" + report)
    assert max(peak.values()) < CHILD_RSS_BOUND_MB * 1024, report
    growth = max(peak.get(pid, 0) - kib for pid, kib in at_rest.items())
    assert growth < DECODE_GROWTH_BOUND_MB * 1024, report
    assert max(hwm.values()) < CHILD_RSS_BOUND_MB * 1024, report
    # Every child is still the one that started: none died on the way.
    assert set(children) <= set(apache_children(parent)), report


@functools.lru_cache(maxsize=None)
def png_text_longer_than_the_file():
    """A 300 x 400 header, then a tEXt chunk declaring 1 GB of which the
    file holds 64 bytes (found by fuzz_image): libpng allocates and
    zeroes a chunk's declared length before it reads the data."""
    ihdr = struct.pack(">IIBBBBB", 300, 400, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + struct.pack(">I", 1 << 30) + b"tEXtComment\0" + b"b" * 64)


def test_png_chunk_longer_than_the_file_costs_no_memory(portal,
                                                        photographed):
    nrk, s, before = photographed
    parent = portal.pid()
    hwm = {pid: status_kib(pid, "VmHWM") for pid in apache_children(parent)}
    r = upload(s, png_text_longer_than_the_file(), filename="foto.png",
               mime="image/png")
    assert r.status_code == 422, (r.status_code, text_of(r.text)[:600])
    assert says(r.text, "berkas foto rusak atau tidak lengkap")
    after = (stored_photos(portal, nrk), len(photo_audit(portal, nrk)),
             s.get("/profile/foto").headers["ETag"])
    assert after == before
    # A child started since is measured whole: under CHILD_RSS_BOUND_MB,
    # far from the gigabyte.
    growth = {pid: status_kib(pid, "VmHWM") - hwm.get(pid, 0)
              for pid in apache_children(parent)}
    assert max(growth.values()) < 512 * 1024, growth


@contextlib.contextmanager
def photo_rows_locked(portal, nrk, seconds):
    """Holds the employee's photo rows locked from another connection
    (PostgreSQL: FOR UPDATE; SQLite: the database's write lock) for
    seconds; the block runs once the lock is held."""
    if portal.driver == "pgsql":
        script = ("BEGIN;\nSELECT id FROM foto WHERE nrk = '%s' FOR UPDATE;"
                  "\n\\echo dikunci\nSELECT pg_sleep(%d);\nCOMMIT;\n"
                  % (nrk, seconds))
    else:
        script = ("BEGIN IMMEDIATE;\nUPDATE foto SET aktif = aktif WHERE "
                  "nrk = '%s';\n.print dikunci\n.shell sleep %d\nCOMMIT;\n"
                  % (nrk, seconds))
    with portal.holding(script, "dikunci"):
        yield


def test_two_uploads_meeting_in_the_database_leave_one_active_photo(portal):
    """The previous photo is held locked while two uploads arrive, so
    that both reach the database at once; afterwards exactly one photo is
    the active one."""
    nrk, _, _ = generated(portal, 25)
    s = session_for(portal, nrk)
    store(portal, s, nrk, good_jpeg())
    token = csrf_token(upload_page(s))
    results = []

    def send():
        c = new_session(portal)
        c.cookies.update(s.cookies)
        results.append(upload(c, good_png(), token=token).status_code)

    with photo_rows_locked(portal, nrk, seconds=2):
        threads = [threading.Thread(target=send) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert results == [303, 303]
    rows = stored_photos(portal, nrk)
    assert len(rows) == 3
    assert [r[1] for r in rows].count("1") == 1, rows


# ------------------------------------------------------------ Ubah Password

# A passphrase of exactly 100 characters; its first 72 are what bcrypt
# would have kept.
PASSPHRASE = ("Di ujung gang Kramat ada warung kopi yang buka sampai subuh;"
              " kami pesan kopi tubruk, pisang goreng!!")
assert len(PASSPHRASE) == 100


def password_page(s):
    r = s.get("/akun/password")
    assert r.status_code == 200, r.status_code
    return r.text


def change_password(s, lama, baru, baru2=None, token=None, **kwargs):
    if token is None:
        token = csrf_token(password_page(s))
    kwargs.setdefault("allow_redirects", False)
    data = {"csrf_token": token, "password_lama": lama,
            "password_baru": baru,
            "password_baru2": baru if baru2 is None else baru2}
    return s.post("/akun/password", data=data, **kwargs)


def password_hash(portal, nrk):
    return portal.sql("SELECT password_hash FROM account WHERE nrk = ?",
                      nrk)[0][0]


def sessions_of(portal, nrk):
    return int(portal.sql("SELECT count(*) FROM session WHERE nrk = ?",
                          nrk)[0][0])


def password_audit(portal, nrk):
    return portal.sql("SELECT actor, subject_nrk, table_name, column_name, "
                      "old_value, new_value, client_ip FROM audit_log "
                      "WHERE subject_nrk = ? AND action = 'password' "
                      "ORDER BY id", nrk)


def test_password_page(portal):
    nrk, _, _ = generated(portal, 10)
    s = session_for(portal, nrk)
    r = s.get("/akun/password")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    assert "Ubah Password" in text_of(r.text)
    for name in ("password_lama", "password_baru", "password_baru2"):
        assert re.search(r'<input[^>]*type="password"[^>]*name="%s"|'
                         r'<input[^>]*name="%s"[^>]*type="password"'
                         % (name, name), r.text), name
        # A password is never written back into the page.
    assert csrf_token(r.text)
    assert "SIMPAN" in text_of(r.text)


# (password_baru, password_baru2 or None for the same, message); {nrk},
# {nip} and the birth-date fields are filled from the employee.
REFUSED_PASSWORDS = {
    "too_short": ("Kopi7!", None, "Password baru minimal 8 karakter."),
    "common": ("password123", None, "Password ini terlalu umum"),
    "common_upper_case": ("PASSWORD123", None, "Password ini terlalu umum"),
    "common_indonesian": ("rahasia123", None, "Password ini terlalu umum"),
    "one_character": ("zzzzzzzzzzzz", None,
                      "Password tidak boleh hanya satu karakter"),
    "nrk": ("kopi{nrk}manis", None, "Password tidak boleh memuat NRK, NIP, "
                                     "atau tanggal lahir Anda."),
    "nip": ("{nip}", None, "Password tidak boleh memuat NRK"),
    "birth_date": ("lahir{ddmmyyyy}", None, "Password tidak boleh memuat"),
    "birth_date_dashes": ("Senja-{dd-mm-yyyy}", None,
                          "Password tidak boleh memuat"),
    "birth_date_iso": ("{yyyy-mm-dd}-jakarta", None,
                       "Password tidak boleh memuat"),
    "mismatch": ("Tanjung-Priok-1983", "Tanjung-Priok-1984",
                 "Konfirmasi password baru tidak sama."),
    "confirmation_empty": ("Tanjung-Priok-1983", "",
                           "Konfirmasi password baru tidak sama."),
    "same_as_old": (DEMO_PASSWORD, None,
                    "Password baru harus berbeda dari password lama."),
    "too_long": ("Kopi tubruk " * 100, None,
                 "Password baru terlalu panjang"),
}


def personal(value, nrk, nip, lahir):
    y, m, d = lahir[:10].split("-")
    return value.format(nrk=nrk, nip=nip, ddmmyyyy=d + m + y,
                        **{"dd-mm-yyyy": "%s-%s-%s" % (d, m, y),
                           "yyyy-mm-dd": "%s-%s-%s" % (y, m, d)})


@pytest.mark.parametrize("case", list(REFUSED_PASSWORDS))
def test_refused_new_password(portal, case):
    nrk, nip, lahir = generated(portal, 11)
    baru, baru2, message = REFUSED_PASSWORDS[case]
    baru = personal(baru, nrk, nip, lahir)
    s = session_for(portal, nrk)
    other = session_for(portal, nrk)
    before = (password_hash(portal, nrk), sessions_of(portal, nrk),
              len(password_audit(portal, nrk)))
    r = change_password(s, DEMO_PASSWORD, baru, baru2)
    assert r.status_code == 422, (r.status_code, text_of(r.text)[:500])
    assert says(r.text, message), text_of(r.text)[:1500]
    assert says(r.text, "Password belum diubah")
    # Typed passwords are not echoed back into the page.
    for typed in {DEMO_PASSWORD, baru, baru2 or baru} - {""}:
        assert 'value="%s"' % html.escape(typed) not in r.text
    assert csrf_token(r.text)
    after = (password_hash(portal, nrk), sessions_of(portal, nrk),
             len(password_audit(portal, nrk)))
    assert after == before
    assert other.get("/profile", allow_redirects=False).status_code == 200
    # A refused new password is no failed login.
    assert login(new_session(portal), nrk, DEMO_PASSWORD).status_code == 303


def test_missing_current_password(portal):
    nrk, _, _ = generated(portal, 11)
    s = session_for(portal, nrk)
    before = password_hash(portal, nrk)
    r = change_password(s, "", "Tanjung-Priok-1983")
    assert r.status_code == 422
    assert says(r.text, "Isi password lama Anda.")
    assert password_hash(portal, nrk) == before


def test_wrong_current_password_counts_as_a_failed_login(portal):
    nrk, _, _ = generated(portal, 12)
    s = session_for(portal, nrk)
    before = password_hash(portal, nrk)
    key = "a:" + hashlib.sha256(nrk.encode()).hexdigest()
    codes = []
    for attempt in range(10):
        r = change_password(s, "tebakan-%d" % attempt, "Tanjung-Priok-1983")
        codes.append(r.status_code)
        if r.status_code == 429:
            break
        assert r.status_code == 422
        assert says(r.text, "Password lama salah.")
        failures, = portal.sql("SELECT failures FROM login_throttle "
                               "WHERE throttle_key = ?", key)[0]
        assert int(failures) == attempt + 1
    # The same allowance as the login form: a few tries, then a wait.
    assert 3 <= codes.count(422) <= 5 and codes[-1] == 429, codes
    assert says(r.text, "Terlalu banyak percobaan")
    wait = int(r.headers["Retry-After"])  # as the login form says it
    assert 1 <= wait <= 2
    # The wait is kept in whole seconds, so a wait of 1 may end at once:
    # hold it for the checks that need it, then give it back.
    blocked, = portal.sql("SELECT blocked_until FROM login_throttle "
                          "WHERE throttle_key = ?", key)[0]
    portal.sql("UPDATE login_throttle SET blocked_until = ? "
               "WHERE throttle_key = ?", str(int(time.time()) + 60), key)
    # While the wait lasts the right current password does not help, and
    # the login form is held back for this account as well.
    r = change_password(s, DEMO_PASSWORD, "Tanjung-Priok-1983")
    assert r.status_code == 429
    assert login(new_session(portal), nrk, DEMO_PASSWORD).status_code == 429
    assert password_hash(portal, nrk) == before
    portal.sql("UPDATE login_throttle SET blocked_until = ? "
               "WHERE throttle_key = ?", blocked, key)
    # The wait is short: the owner is not locked out for long.
    time.sleep(max(0.0, int(blocked) - time.time()) + 0.5)
    r = change_password(s, DEMO_PASSWORD, "Tanjung-Priok-1983")
    assert r.status_code == 303, (r.status_code, text_of(r.text)[:300])


def test_parallel_current_password_guesses_get_no_more_tries(portal):
    """The current password typed on Ubah Password is counted before it
    is checked, as on the login form: twenty guesses sent at once from
    one session get no more tries than twenty in a row."""
    from concurrent.futures import ThreadPoolExecutor

    nrk, _, _ = generated(portal, 18)
    s = session_for(portal, nrk)
    portal.sql("DELETE FROM login_throttle")
    token = csrf_token(password_page(s))
    key = "a:" + hashlib.sha256(nrk.encode()).hexdigest()

    def guess(i):
        return change_password(s, "tebakan-%d" % i, "Tanjung-Priok-1983",
                               token=token,
                               headers={"Connection": "close"}).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(guess, range(20)))
    assert set(codes) <= {422, 429}, codes
    assert 3 <= codes.count(422) <= 5, codes
    (failures,), = portal.sql("SELECT failures FROM login_throttle "
                              "WHERE throttle_key = ?", key)
    assert int(failures) == codes.count(422)
    portal.sql("DELETE FROM login_throttle")


def test_two_password_changes_at_once_set_the_one_reported(portal):
    """Two tabs that change the password at the same moment, both with
    the right current password: one is set and said so; the other is
    refused, never reported done for a password that does not work."""
    from concurrent.futures import ThreadPoolExecutor

    nrk, _, _ = generated(portal, 26)
    # Two, so that the attempts counted stay under the throttle.
    tabs = [session_for(portal, nrk) for _ in range(2)]
    tokens = [csrf_token(password_page(s)) for s in tabs]
    new = ["Pulau-Seribu-%d-Tidung" % i for i in range(len(tabs))]

    def change(i):
        return change_password(tabs[i], DEMO_PASSWORD, new[i],
                               token=tokens[i]).status_code

    with ThreadPoolExecutor(max_workers=len(tabs)) as pool:
        codes = list(pool.map(change, range(len(tabs))))
    # A tab that ran after the winner finds its current password wrong.
    assert codes.count(303) == 1 and set(codes) <= {303, 409, 422}, codes
    won = new[codes.index(303)]
    assert login(PortalSession(portal.base_url), nrk,
                 won).status_code == 303
    assert len(password_audit(portal, nrk)) == 1
    s = session_for(portal, nrk, won)
    assert change_password(s, won, DEMO_PASSWORD).status_code == 303
    portal.sql("DELETE FROM login_throttle")


def database_text(portal):
    """Every value of every table, as text."""
    if portal.driver == "pgsql":
        tables = portal.sql("SELECT table_name FROM information_schema."
                            "tables WHERE table_schema = 'public' AND "
                            "table_type = 'BASE TABLE'")
    else:
        tables = portal.sql("SELECT name FROM sqlite_master WHERE "
                            "type = 'table'")
    out = []
    for (table,) in tables:
        for row in portal.sql('SELECT * FROM "%s"' % table):
            out.append(" ".join(v for v in row if v is not None))
    return "\n".join(out)


def files_text(portal):
    """The logs, and for SQLite the database files themselves (a value
    once written may survive in a free page)."""
    paths = list((portal.data / "logs").iterdir())
    if portal.driver != "pgsql":
        paths += list(portal.sqlite_file.parent.iterdir())
    return b"\n".join(p.read_bytes() for p in paths if p.is_file())


def test_password_change(portal):
    nrk, _, _ = generated(portal, 13)
    old_hash = password_hash(portal, nrk)
    other = session_for(portal, nrk)       # another browser, logged in
    s = session_for(portal, nrk)
    old_cookie = s.cookies.get(SESSION_COOKIE)
    assert sessions_of(portal, nrk) == 2

    r = change_password(s, DEMO_PASSWORD, PASSPHRASE)
    assert r.status_code == 303, (r.status_code, text_of(r.text)[:500])
    assert r.headers["Location"] == "/akun/password?diubah=1"
    # A new session for this browser; the old token is dead.
    set_cookie = r.headers.get("Set-Cookie", "")
    assert SESSION_COOKIE + "=" in set_cookie
    new_cookie = s.cookies.get(SESSION_COOKIE)
    assert new_cookie and new_cookie != old_cookie
    assert portal.sql("SELECT count(*) FROM session WHERE token_hash = ?",
                      hashlib.sha256(old_cookie.encode()).hexdigest()) \
        == [("0",)]
    assert sessions_of(portal, nrk) == 1
    page = s.get(r.headers["Location"])
    assert page.status_code == 200
    assert says(page.text, "Password berhasil diubah. 1 sesi lain akun ini "
                           "telah diakhiri.")
    # Shown once, from the session: neither a reload nor a made-up URL
    # makes the page claim a change.
    assert not says(s.get(r.headers["Location"]).text, "berhasil diubah")
    assert not says(s.get("/akun/password?diubah=5").text, "berhasil diubah")
    assert s.get("/profile", allow_redirects=False).status_code == 200

    # The other browser is logged out; so is anyone holding the old token.
    r = other.get("/profile", allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/login"
    stale = new_session(portal)
    stale.cookies.set(SESSION_COOKIE, old_cookie)
    r = stale.get("/profile", allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/login"

    # argon2id (PHC string, RFC 9106 parameters no lower than ASVS's).
    new_hash = password_hash(portal, nrk)
    assert new_hash != old_hash
    m = re.match(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=\d+\$", new_hash)
    assert m, new_hash
    assert int(m.group(1)) >= 19456 and int(m.group(2)) >= 2
    changed_at, = portal.sql("SELECT password_changed_at FROM account "
                             "WHERE nrk = ?", nrk)[0]
    assert abs(int(changed_at) - time.time()) < 120

    # The whole passphrase is the password: never cut, not at bcrypt's 72
    # bytes, not anywhere else.
    for prefix in (PASSPHRASE[:72], PASSPHRASE[:99], DEMO_PASSWORD):
        assert login(new_session(portal), nrk, prefix).status_code == 401
    portal.sql("DELETE FROM login_throttle")
    assert login(new_session(portal), nrk, PASSPHRASE).status_code == 303

    # Audited, without the password or its hash.
    rows = password_audit(portal, nrk)
    assert len(rows) == 1
    actor, subject, table, column, old, new, ip = rows[0]
    assert (actor, subject, ip) == (nrk, nrk, "127.0.0.1")
    assert old is None and new is None
    everything = database_text(portal)
    assert PASSPHRASE not in everything
    assert PASSPHRASE[:40] not in everything
    assert everything.count(new_hash) == 1  # account.password_hash only
    raw = files_text(portal)
    assert PASSPHRASE.encode() not in raw
    assert PASSPHRASE[:40].encode() not in raw
    assert quote_plus(PASSPHRASE[:40]).encode() not in raw


def test_no_other_session_is_said_so(portal):
    nrk, _, _ = generated(portal, 14)
    s = session_for(portal, nrk)
    r = change_password(s, DEMO_PASSWORD, "Monas-di-waktu-senja-7")
    assert r.status_code == 303
    assert r.headers["Location"] == "/akun/password?diubah=0"
    page = s.get(r.headers["Location"])
    assert says(page.text, "Password berhasil diubah. Tidak ada sesi lain "
                           "yang aktif.")
    assert login(new_session(portal), nrk,
                 "Monas-di-waktu-senja-7").status_code == 303


def test_temporary_password_must_be_changed_first(portal):
    nrk, _, _ = generated(portal, 15)
    # Logged in before the reset: the very next request is held too.
    earlier = session_for(portal, nrk)
    portal.sql("UPDATE account SET must_change_password = 1 WHERE nrk = ?",
               nrk)
    r = earlier.get("/profile", allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"] == "/akun/password"

    s = session_for(portal, nrk)
    token = csrf_token(password_page(s))
    held = [("GET", "/"), ("GET", "/profile"), ("GET", "/profile/data"),
            ("GET", "/profile/riwayat"), ("GET", "/riwayat/alamat"),
            ("GET", "/riwayat/alamat/tambah"), ("GET", "/akun/foto"),
            ("GET", "/profile/foto"), ("HEAD", "/profile")]
    for method, path in held:
        r = s.request(method, path, allow_redirects=False)
        assert r.status_code == 303, (method, path, r.status_code)
        assert r.headers["Location"] == "/akun/password", (method, path)
    r = s.post("/profile/data", data={"csrf_token": token, "no_hp":
                                      "081234567890"},
               allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"] == "/akun/password"
    r = upload(s, good_jpeg(), token=token)
    assert r.status_code == 303
    assert r.headers["Location"] == "/akun/password"
    assert not stored_photos(portal, nrk)
    # The page itself, the login page and logout stay reachable.
    assert s.get("/login").status_code == 200
    page = s.get("/akun/password")
    assert page.status_code == 200
    assert re.search(r"(?i)wajib|harus|sementara", text_of(page.text))

    # The temporary password cannot be kept.
    r = change_password(s, DEMO_PASSWORD, DEMO_PASSWORD)
    assert r.status_code == 422
    assert says(r.text, "Password baru harus berbeda dari password lama.")
    assert s.get("/profile", allow_redirects=False).status_code == 303

    r = change_password(s, DEMO_PASSWORD, "Ragunan-pagi-hari-2024")
    assert r.status_code == 303
    assert portal.sql("SELECT must_change_password FROM account "
                      "WHERE nrk = ?", nrk) == [("0",)]
    assert s.get("/profile", allow_redirects=False).status_code == 200
    assert s.get("/akun/foto", allow_redirects=False).status_code == 200
    r = earlier.get("/profile", allow_redirects=False)
    assert r.headers["Location"] == "/login"  # ended with the change


def test_password_csrf(portal):
    nrk, _, _ = generated(portal, 16)
    s = session_for(portal, nrk)
    other = session_for(portal, generated(portal, 17)[0])
    token = csrf_token(password_page(s))
    before = (password_hash(portal, nrk), sessions_of(portal, nrk))
    throttle = portal.sql("SELECT * FROM login_throttle ORDER BY 1")
    cases = [
        ({}, None),
        ({}, "A" * 43),
        ({}, csrf_token(password_page(other))),
        ({"Origin": "http://evil.example"}, token),
        ({"Sec-Fetch-Site": "cross-site"}, token),
        ({"Sec-Fetch-Site": "same-site"}, token),
    ]
    for headers, tok in cases:
        data = {"password_lama": DEMO_PASSWORD,
                "password_baru": "Kalibata-City-2024",
                "password_baru2": "Kalibata-City-2024"}
        if tok:
            data["csrf_token"] = tok
        r = s.post("/akun/password", data=data, headers=headers,
                   allow_redirects=False)
        assert r.status_code == 403, (headers, tok, r.status_code)
    # A forged request with a wrong current password guesses nothing:
    # refused before the password is looked at, so it counts no failure.
    r = s.post("/akun/password", data={"password_lama": "tebakan",
                                       "password_baru": "Kalibata-City-24",
                                       "password_baru2": "Kalibata-City-24"},
               allow_redirects=False)
    assert r.status_code == 403
    assert portal.sql("SELECT * FROM login_throttle ORDER BY 1") == throttle
    assert (password_hash(portal, nrk), sessions_of(portal, nrk)) == before
    # Without a session the form sends to the login page.
    anonymous = new_session(portal)
    r = anonymous.post("/akun/password",
                       data={"csrf_token": token,
                             "password_lama": DEMO_PASSWORD,
                             "password_baru": "Kalibata-City-2024",
                             "password_baru2": "Kalibata-City-2024"},
                       allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/login"
    assert password_hash(portal, nrk) == before[0]
    # The right token from the portal's own page goes through.
    r = change_password(s, DEMO_PASSWORD, "Kalibata-City-2024", token=token,
                        headers={"Origin": portal.base_url,
                                 "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 303
