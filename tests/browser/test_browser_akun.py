"""The account's arrow menu in Chromium (manual section 4, Gambar 7 to
9): a generated employee opens Upload Foto, chooses a portrait JPEG,
sees it drawn with the 3:4 frame and the checks before SIMPAN, saves it
and finds it on the profile; a photo below the minimum size is held
back by the page and, sent anyway, refused by the server with the rule
and what the file had. Then Ubah Password: a wrong current password, a
too common new one, a good change, and a new login with it."""

from pathlib import Path

from PIL import Image

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

DEMO_PASSWORD = "rahasia-demo"
NEW_PASSWORD = "Kopi-Tubruk-di-Senen-2026"
MANUAL_NRKS = "('181678', '181679')"


def wait(browser, seconds=10):
    return WebDriverWait(browser, seconds)


def body_text(browser):
    return browser.find_element(By.TAG_NAME, "body").text


def employee(portal):
    """A generated employee no other browser test uses, with the demo
    password and no photo, whatever an earlier run left behind."""
    rows = []
    # Offset 400, or 200 when fewer are generated (tools/serverroot.sh
    # makes 300 unless PEGAWAI_TEST_DEMO_COUNT says otherwise); no other
    # test file uses either.
    for offset in (400, 200):
        rows = rows or portal.sql(
            "SELECT nrk FROM account WHERE nrk NOT IN " + MANUAL_NRKS
            + " ORDER BY nrk LIMIT 1 OFFSET ?", offset)
    nrk = rows[0][0]
    portal.sql("DELETE FROM login_throttle")
    portal.sql("DELETE FROM foto WHERE nrk = ?", nrk)
    # Every generated account shares the demo password's hash.
    portal.sql("UPDATE account SET must_change_password = 0, password_hash "
               "= (SELECT password_hash FROM account WHERE nrk NOT IN "
               + MANUAL_NRKS + " AND nrk <> ? ORDER BY nrk LIMIT 1) "
               "WHERE nrk = ?", nrk, nrk)
    return nrk


def make_jpeg(path, width, height):
    """A vertical blue-to-white gradient, as a phone's JPEG."""
    img = Image.new("RGB", (width, height))
    img.putdata([(v, v, 255) for y in range(height)
                 for v in [y * 255 // max(height - 1, 1)]
                 for x in range(width)])
    img.save(str(path), "JPEG", quality=90)
    return str(path)


def make_phone_jpeg(path, width, height):
    """A photo as a phone takes it: detailed enough that 8 megapixels
    make a file of several MB."""
    noise = Image.effect_noise((width, height), 60).convert("RGB")
    gradient = Image.linear_gradient("L").resize((width, height))
    Image.blend(gradient.convert("RGB"), noise, 0.5).save(
        str(path), "JPEG", quality=95)
    return str(path)


def log_in(browser, base_url, nrk, password):
    browser.get(base_url + "/login")
    browser.find_element(By.NAME, "nrk").send_keys(nrk)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR,
                         "form[action='/login'] button").click()
    wait(browser).until(EC.url_contains("/profile"))


def account_menu(browser, item, shot=None):
    """Manual 4.1 and 4.2: the arrow of the account, then its item;
    shot(), when given, is called while the menu is open."""
    menu = browser.find_element(By.CSS_SELECTOR, "details.account")
    menu.find_element(By.TAG_NAME, "summary").click()
    links = [a.text for a in
             menu.find_elements(By.CSS_SELECTOR, ".account-links a")]
    assert links == ["Ubah Password", "Upload Foto"]
    if shot:
        shot()
    menu.find_element(By.LINK_TEXT, item).click()


def image_loaded(browser, img):
    return browser.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth;", img)


def checks(browser, kind=None):
    """The checks the page lists (of one kind: ok, galat, peringatan),
    without the words for screen readers, read at once: the script
    replaces the list when it has read the file."""
    return browser.execute_script(
        "var kind = arguments[0];"
        "return Array.from(document.querySelectorAll('#periksa li'))"
        ".filter(function (li) { return !kind ||"
        " li.className === 'periksa-' + kind; })"
        ".map(function (li) { return li.lastChild.textContent; });", kind)


def choose(browser, path):
    browser.find_element(By.NAME, "foto").send_keys(path)
    wait(browser).until(
        lambda b: checks(b) and checks(b) != ["Memeriksa foto..."])


def message_at(browser, name):
    """The message under a field, read at once (the page may be
    replaced by the server's answer meanwhile)."""
    return browser.execute_script(
        "var p = document.getElementById(arguments[0]);"
        "return p ? p.textContent.trim() : '';", name + "-galat")


def fill_password(browser, lama, baru, baru2=None):
    for name, value in (("password_lama", lama), ("password_baru", baru),
                        ("password_baru2", baru if baru2 is None else baru2)):
        field = browser.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.XPATH,
                         "//button[normalize-space()='SIMPAN']").click()
    # Every answer is a new page (the form has no script): wait for it,
    # so that nothing is read from the page that was left.
    wait(browser).until(EC.staleness_of(page))


def test_upload_foto_then_see_it_on_the_profile(portal, browser, screenshot,
                                                tmp_path):
    nrk = employee(portal)
    portrait = make_jpeg(tmp_path / "potret.jpg", 600, 800)
    small = make_jpeg(tmp_path / "kecil.jpg", 240, 320)
    log_in(browser, portal.base_url, nrk, DEMO_PASSWORD)
    # No photo yet: the initials stand in for it.
    assert not browser.find_elements(By.CSS_SELECTOR, "img.photo-img")

    account_menu(browser, "Upload Foto",
                 lambda: (screenshot("akun-menu", 360),
                          screenshot("akun-menu", 1280)))
    wait(browser).until(EC.url_contains("/akun/foto"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Upload Foto"
    rules = browser.find_element(By.CSS_SELECTOR, "ul.aturan").text
    for rule in ("JPEG atau PNG", "2.0 MB", "300x400", "Tegak (potret)",
                 "3:4 atau 2:3"):
        assert rule in rules
    assert "Belum ada foto" in body_text(browser)
    assert not browser.find_element(By.ID, "pratinjau").is_displayed()
    screenshot("akun-foto", 360)
    screenshot("akun-foto", 1280)

    # The preview: the file drawn on the canvas, the checks passed.
    choose(browser, portrait)
    canvas = browser.find_element(By.ID, "pratinjau-kanvas")
    assert canvas.is_displayed()
    found = checks(browser)
    assert checks(browser, "ok") == found
    assert found[0] == "Jenis file JPEG"
    assert found[1].startswith("Ukuran file ") and found[1].endswith(" KB")
    assert found[2:] == ["Ukuran foto 600x800 piksel", "Tegak (potret)",
                         "Perbandingan sisi mendekati 3:4 atau 2:3"]
    # Something was drawn: the middle of the canvas is opaque.
    alpha = browser.execute_script(
        "var c = arguments[0];"
        "return c.getContext('2d').getImageData(c.width / 2, c.height / 2,"
        " 1, 1).data[3];", canvas)
    assert alpha == 255
    assert "600x800" in canvas.get_attribute("aria-label")
    screenshot("akun-foto-pratinjau", 360)
    screenshot("akun-foto-pratinjau", 1280)

    browser.find_element(By.XPATH,
                         "//button[normalize-space()='SIMPAN']").click()
    wait(browser).until(EC.url_contains("tersimpan=1"))
    assert "Foto tersimpan." in body_text(browser)
    current = browser.find_element(By.CSS_SELECTOR, "img.foto-bingkai")
    wait(browser).until(lambda b: image_loaded(b, current))
    screenshot("akun-foto-tersimpan", 360)

    # The profile shows it in place of the initials.
    browser.find_element(By.LINK_TEXT, "Profil").click()
    wait(browser).until(EC.url_contains("/profile"))
    photo = browser.find_element(By.CSS_SELECTOR, "img.photo-img")
    wait(browser).until(lambda b: image_loaded(b, photo))
    assert photo.get_attribute("alt").startswith("Foto")
    assert photo.get_attribute("src").endswith("/profile/foto")
    size = photo.size
    assert abs(size["width"] * 4 - size["height"] * 3) <= 4
    screenshot("akun-profil-foto", 360)
    screenshot("akun-profil-foto", 1280)

    # Too small: the page says so and holds SIMPAN back...
    account_menu(browser, "Upload Foto")
    wait(browser).until(EC.url_contains("/akun/foto"))
    choose(browser, small)
    assert checks(browser, "galat") == [
        "Foto 240x320 piksel, minimal 300x400"]
    browser.find_element(By.XPATH,
                         "//button[normalize-space()='SIMPAN']").click()
    held = browser.find_element(By.ID, "ringkasan-periksa")
    wait(browser).until(lambda b: held.is_displayed())
    assert "foto 240x320 piksel, minimal 300x400" in held.text
    assert "/akun/foto" in browser.current_url
    assert "tersimpan" not in browser.current_url

    # ...and sent without the page's checks (form.submit() fires no
    # submit event), the server refuses it with the same words.
    browser.execute_script("document.getElementById('form-foto').submit();")
    refused = wait(browser).until(EC.visibility_of_element_located(
        (By.ID, "ringkasan-galat")))
    assert refused.get_attribute("role") == "alert"
    assert "Foto belum disimpan" in refused.text
    assert "foto 240x320 piksel, minimal 300x400" in refused.text
    screenshot("akun-foto-ditolak", 360)
    # The stored photo is still the first one.
    assert portal.sql("SELECT width, height FROM foto WHERE nrk = ? AND "
                      "aktif = 1", nrk) == [("600", "800")]


def test_ubah_password_then_log_in_with_it(portal, browser, screenshot):
    nrk = employee(portal)
    log_in(browser, portal.base_url, nrk, DEMO_PASSWORD)
    account_menu(browser, "Ubah Password")
    wait(browser).until(EC.url_contains("/akun/password"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ubah Password"
    rules = browser.find_element(By.ID, "syarat-password").text
    assert "Paling sedikit 8 karakter" in rules
    assert "NRK, NIP, atau tanggal lahir" in rules
    for name, autocomplete in (("password_lama", "current-password"),
                               ("password_baru", "new-password"),
                               ("password_baru2", "new-password")):
        field = browser.find_element(By.NAME, name)
        assert field.get_attribute("type") == "password"
        assert field.get_attribute("autocomplete") == autocomplete
        assert field.get_attribute("maxlength") is None
    screenshot("akun-password", 360)
    screenshot("akun-password", 1280)

    fill_password(browser, "bukan-password-saya", NEW_PASSWORD)
    wait(browser).until(lambda b: message_at(b, "password_lama"))
    assert message_at(browser, "password_lama") == "Password lama salah."
    assert browser.find_element(By.NAME, "password_lama").get_attribute(
        "aria-invalid") == "true"
    assert "Password belum diubah" in browser.find_element(
        By.ID, "ringkasan-galat").text
    # Typed passwords never come back in the page.
    for name in ("password_lama", "password_baru", "password_baru2"):
        assert browser.find_element(By.NAME, name).get_attribute(
            "value") == ""

    fill_password(browser, DEMO_PASSWORD, "password123")
    wait(browser).until(lambda b: message_at(b, "password_baru"))
    assert message_at(browser, "password_baru") == \
        "Password ini terlalu umum dan mudah ditebak; pilih yang lain."
    assert message_at(browser, "password_lama") == ""
    screenshot("akun-password-galat", 360)
    screenshot("akun-password-galat", 1280)

    fill_password(browser, DEMO_PASSWORD, NEW_PASSWORD)
    wait(browser).until(EC.url_contains("diubah="))
    flash = browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert "Password berhasil diubah" in flash
    assert "sesi lain" in flash
    screenshot("akun-password-diubah", 360)

    menu = browser.find_element(By.CSS_SELECTOR, "details.account")
    menu.find_element(By.TAG_NAME, "summary").click()
    menu.find_element(By.XPATH, ".//button[normalize-space()='Keluar']"
                      ).click()
    wait(browser).until(EC.url_contains("/login"))

    # The old password no longer opens the account; the new one does.
    portal.sql("DELETE FROM login_throttle")
    browser.find_element(By.NAME, "nrk").send_keys(nrk)
    browser.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    browser.find_element(By.CSS_SELECTOR,
                         "form[action='/login'] button").click()
    wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, "[role=alert]")))
    assert "/login" in browser.current_url
    portal.sql("DELETE FROM login_throttle")
    log_in(browser, portal.base_url, nrk, NEW_PASSWORD)
    assert nrk in body_text(browser)


def test_a_temporary_password_comes_first(portal, browser, screenshot):
    nrk = employee(portal)
    log_in(browser, portal.base_url, nrk, DEMO_PASSWORD)
    portal.sql("UPDATE account SET must_change_password = 1 WHERE nrk = ?",
               nrk)
    try:
        browser.get(portal.base_url + "/profile")
        wait(browser).until(EC.url_contains("/akun/password"))
        notice = browser.find_element(By.CSS_SELECTOR, "section.wajib")
        assert "Ganti password sementara" in notice.text
        # Nothing to close to: every other page leads back here.
        assert not browser.find_elements(By.LINK_TEXT, "TUTUP")
        screenshot("akun-password-wajib", 360)
    finally:
        portal.sql("UPDATE account SET must_change_password = 0 "
                   "WHERE nrk = ?", nrk)


def test_a_phone_photo_over_the_size_limit_is_shrunk_before_upload(
        portal, browser, screenshot, tmp_path):
    """An 8-megapixel phone photo of several MB is over the 2 MB rule:
    with the script, the browser draws it again at 1200x1600 and sends
    that JPEG instead, which the server takes like any other."""
    nrk = employee(portal)
    phone = make_phone_jpeg(tmp_path / "IMG_20261204.jpg", 2448, 3264)
    original = Path(phone).stat().st_size
    assert original > 4 * 1024 * 1024
    log_in(browser, portal.base_url, nrk, DEMO_PASSWORD)
    browser.get(portal.base_url + "/akun/foto")
    choose(browser, phone)
    found = checks(browser)
    assert checks(browser, "ok") == found, found
    assert found[1].startswith("Ukuran file %.1f MB, lebih dari 2.0 MB: "
                               "diperkecil di peramban menjadi "
                               % (original / 1048576.0)), found[1]
    assert found[1].endswith(" (1200x1600 piksel) sebelum dikirim")
    assert found[2] == "Ukuran foto 2448x3264 piksel"
    sent = browser.execute_script(
        "var f = document.querySelector('input[name=foto]').files[0];"
        "return [f.name, f.type, f.size];")
    assert sent[0] == "IMG_20261204.jpg" and sent[1] == "image/jpeg"
    assert sent[2] <= 2 * 1024 * 1024
    screenshot("akun-foto-diperkecil", 360)
    screenshot("akun-foto-diperkecil", 1280)

    browser.find_element(By.XPATH,
                         "//button[normalize-space()='SIMPAN']").click()
    wait(browser).until(EC.url_contains("tersimpan=1"))
    assert "Foto tersimpan." in body_text(browser)
    # Stored at the output size, from the 1200x1600 the browser sent.
    assert portal.sql("SELECT width, height FROM foto WHERE nrk = ? AND "
                      "aktif = 1", nrk) == [("600", "800")]

    # SIMPAN pressed at once, while the page still reads the file: it
    # waits for the shrunk copy rather than sending the original.
    browser.get(portal.base_url + "/akun/foto")
    browser.find_element(By.NAME, "foto").send_keys(phone)
    browser.find_element(By.XPATH,
                         "//button[normalize-space()='SIMPAN']").click()
    wait(browser, 30).until(EC.url_contains("tersimpan=1"))
    assert portal.sql("SELECT count(*) FROM foto WHERE nrk = ?",
                      nrk) == [("2",)]
