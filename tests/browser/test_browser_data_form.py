"""Form Isi Data Pegawai in Chromium (manual section 2.2, Gambar 2):
NRK 181679 fills in the form with the manual's values, sees the page's
own check (pegawai-form.js) catch a wrong NIK before anything is sent,
corrects it, presses SIMPAN and is back on the profile with the
confirmation."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

NRK = "181679"
FIELDS = ["agama", "jenis_kelamin", "no_taspen", "nik", "no_kk",
          "no_rek_bank_dki", "npwp", "gol_darah", "no_telp", "no_hp",
          "pendidikan_cpns", "no_karpeg", "no_bpjs", "no_karis_karsu",
          "email"]

# Gambar 2 of the manual, with its typo-free values; BPJS stays empty
# (the manual's field holds the word "BPJS"), and Gol. Darah, empty in
# the manual, is picked.
GAMBAR_2 = {
    "agama": "1", "jenis_kelamin": "L", "no_taspen": "830705110110180",
    "nik": "3174090507831001", "no_kk": "1374091908131016",
    "no_rek_bank_dki": "50220242733", "npwp": "784024523017000",
    "gol_darah": "O", "no_telp": None, "no_hp": "08211332055",
    "pendidikan_cpns": "5313", "no_karpeg": "Q219306", "no_bpjs": None,
    "no_karis_karsu": "105610K", "email": None,
}
WRONG_NIK = "317409050783101"  # a digit left out


def wait(browser, seconds=10):
    return WebDriverWait(browser, seconds)


def log_in(browser, base_url):
    browser.get(base_url + "/login")
    browser.find_element(By.NAME, "nrk").send_keys(NRK)
    browser.find_element(By.NAME, "password").send_keys("rahasia-demo")
    browser.find_element(By.CSS_SELECTOR,
                         "form[action='/login'] button").click()
    wait(browser).until(EC.url_contains("/profile"))


def type_into(browser, name, text):
    field = browser.find_element(By.NAME, name)
    field.clear()
    field.send_keys(text)
    return field


def posts_of_the_form(portal):
    return sum(1 for line in portal.access_log.read_text().splitlines()
               if '"POST /profile/data' in line)


def message_at(browser, name):
    return browser.find_element(By.ID, name + "-galat").text.strip()


def test_fill_the_form_as_gambar_2(portal, browser, screenshot):
    portal.sql("DELETE FROM login_throttle")
    # An employee who has not filled the form in yet.
    portal.sql("UPDATE pegawai SET %s WHERE nrk = ?"
               % ", ".join("%s = NULL" % f for f in FIELDS), NRK)
    log_in(browser, portal.base_url)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Data yang belum diisi" in body

    browser.find_element(By.LINK_TEXT, "Ubah Data Profil").click()
    wait(browser).until(EC.url_contains("/profile/data"))
    assert "Form Isi Data Pegawai 181679" in browser.find_element(
        By.TAG_NAME, "h1").text

    Select(browser.find_element(By.NAME, "agama")).select_by_value("1")
    assert Select(browser.find_element(
        By.NAME, "agama")).first_selected_option.text == "1 - ISLAM"
    browser.find_element(By.CSS_SELECTOR,
                         "input[name=jenis_kelamin][value=L]").click()
    type_into(browser, "no_taspen", GAMBAR_2["no_taspen"])

    # A wrong NIK: the message is there as soon as the field is left,
    # before anything is sent.
    posts = posts_of_the_form(portal)
    nik = type_into(browser, "nik", WRONG_NIK)
    nik.send_keys(Keys.TAB)
    wait(browser).until(lambda b: message_at(b, "nik"))
    assert message_at(browser, "nik") == "NIK harus 16 digit angka"
    assert nik.get_attribute("aria-invalid") == "true"
    assert browser.current_url.endswith("/profile/data")

    for name in ("no_kk", "no_rek_bank_dki", "npwp", "no_hp", "no_karpeg",
                 "no_karis_karsu"):
        type_into(browser, name, GAMBAR_2[name])
    browser.find_element(By.CSS_SELECTOR,
                         "input[name=gol_darah][value=O]").click()
    # The long list of education codes is searchable.
    search = browser.find_element(By.ID, "pendidikan_cpns-cari")
    assert search.is_displayed()
    search.send_keys("d3 informatika")
    search.send_keys(Keys.ENTER)
    chosen = Select(browser.find_element(By.NAME, "pendidikan_cpns"))
    assert chosen.first_selected_option.get_attribute("value") == "5313"
    assert chosen.first_selected_option.text == \
        "5313 - SARMUD/D.III INFORMATIKA"
    screenshot("data-form-error", 360)
    screenshot("data-form-error", 1280)

    # SIMPAN with the wrong NIK is held back by the page.
    browser.find_element(By.XPATH, "//button[normalize-space()='SIMPAN']"
                         ).click()
    summary = wait(browser).until(EC.visibility_of_element_located(
        (By.ID, "ringkasan-periksa")))
    assert "1 isian perlu diperbaiki" in summary.text
    assert browser.switch_to.active_element.get_attribute("name") == "nik"
    assert browser.current_url.endswith("/profile/data")
    assert posts_of_the_form(portal) == posts
    assert portal.sql("SELECT nik FROM pegawai WHERE nrk = ?",
                      NRK) == [(None,)]

    # Corrected, the message goes away while typing.
    nik = type_into(browser, "nik", GAMBAR_2["nik"])
    wait(browser).until(lambda b: message_at(b, "nik") == "")
    assert nik.get_attribute("aria-invalid") is None
    # ... and so does the summary: nothing is left to correct.
    wait(browser).until(EC.invisibility_of_element_located(
        (By.ID, "ringkasan-periksa")))
    screenshot("data-form", 360)
    screenshot("data-form", 1280)

    browser.find_element(By.XPATH, "//button[normalize-space()='SIMPAN']"
                         ).click()
    wait(browser).until(lambda b: b.current_url.endswith("/profile"))
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Data tersimpan. Yang berubah: Agama, Jenis Kelamin, " \
        "No. TASPEN, NIK, No. Kartu Keluarga, No. Rek Bank DKI, NPWP, " \
        "Gol. Darah, No. HP, Pendidikan pada waktu diangkat CPNS, " \
        "No. KARPEG, No. Kartu Suami/Istri." in body
    assert "Data Anda sudah lengkap" in body
    assert "Data yang belum diisi" not in body
    screenshot("data-saved", 360)
    screenshot("data-saved", 1280)

    row = portal.sql("SELECT %s FROM pegawai WHERE nrk = ?"
                     % ", ".join(FIELDS), NRK)[0]
    assert dict(zip(FIELDS, row)) == GAMBAR_2

    # The form shows what was saved.
    browser.find_element(By.LINK_TEXT, "Ubah Data Profil").click()
    wait(browser).until(EC.url_contains("/profile/data"))
    for name in ("nik", "no_kk", "npwp", "no_hp", "no_karpeg"):
        assert browser.find_element(By.NAME, name).get_attribute(
            "value") == GAMBAR_2[name]
    assert browser.find_element(
        By.CSS_SELECTOR, "input[name=gol_darah][value=O]").is_selected()
    # Reloading the profile does not claim the save again.
    browser.get(portal.base_url + "/profile")
    assert "Data tersimpan" not in browser.find_element(
        By.TAG_NAME, "body").text

    # The change history lists the save, the NIK masked.
    browser.get(portal.base_url + "/profile/riwayat")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Data Pegawai" in body
    assert "Halaman 1" not in body  # one page: no pager
    assert GAMBAR_2["nik"] not in body
    assert "*" * 12 + GAMBAR_2["nik"][-4:] in body
    screenshot("riwayat-perubahan", 360)
    screenshot("riwayat-perubahan", 1280)


def test_the_form_works_without_the_script(portal, browser):
    """The server is the authority: with the page's script unable to
    run, a wrong NIK comes back from the server as a 422 with the message
    at the field and the typed values kept."""
    portal.sql("DELETE FROM login_throttle")
    log_in(browser, portal.base_url)
    browser.get(portal.base_url + "/profile/data")
    # What a browser without the script has: no checks, no filter.
    browser.execute_script(
        "var f = document.getElementById('form-data-pegawai');"
        "var c = f.cloneNode(true); f.parentNode.replaceChild(c, f);"
        "c.noValidate = true;")
    type_into(browser, "nik", WRONG_NIK)
    type_into(browser, "no_hp", "0812 1234 5678")
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.XPATH, "//button[normalize-space()='SIMPAN']"
                         ).click()
    # The server's answer is a new page: wait for it before reading.
    wait(browser).until(EC.staleness_of(page))
    wait(browser).until(lambda b: message_at(b, "nik"))
    assert message_at(browser, "nik") == "NIK harus 16 digit angka"
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Data belum disimpan: 1 isian perlu diperbaiki" in body
    assert browser.find_element(By.NAME, "nik").get_attribute(
        "value") == WRONG_NIK
    assert browser.find_element(By.NAME, "no_hp").get_attribute(
        "value") == "0812 1234 5678"


def test_a_form_left_open_over_a_new_login_keeps_what_was_typed(
        portal, browser, screenshot):
    """The session runs out while the form is open; the employee logs in
    again in another tab, comes back and presses SIMPAN. Nothing is
    saved from the old page, but what was typed is there again, and one
    more SIMPAN saves it."""
    portal.sql("DELETE FROM login_throttle")
    before = portal.sql("SELECT no_telp, gol_darah FROM pegawai "
                        "WHERE nrk = ?", NRK)
    log_in(browser, portal.base_url)
    browser.get(portal.base_url + "/profile/data")
    first = browser.current_window_handle
    type_into(browser, "no_telp", "021 3822255")
    browser.find_element(By.CSS_SELECTOR,
                         "input[name=gol_darah][value=B]").click()

    portal.sql("DELETE FROM session WHERE nrk = ?", NRK)
    browser.switch_to.new_window("tab")
    log_in(browser, portal.base_url)
    browser.close()
    browser.switch_to.window(first)

    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.XPATH, "//button[normalize-space()='SIMPAN']"
                         ).click()
    wait(browser).until(EC.staleness_of(page))
    alert = wait(browser).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, ".alert-warn")))
    assert "Isian belum disimpan" in alert.text
    assert browser.find_element(By.NAME, "no_telp").get_attribute(
        "value") == "021 3822255"
    assert browser.find_element(
        By.CSS_SELECTOR, "input[name=gol_darah][value=B]").is_selected()
    assert portal.sql("SELECT no_telp, gol_darah FROM pegawai "
                      "WHERE nrk = ?", NRK) == before
    screenshot("data-form-tab-lama", 360)
    screenshot("data-form-tab-lama", 1280)

    browser.find_element(By.XPATH, "//button[normalize-space()='SIMPAN']"
                         ).click()
    wait(browser).until(lambda b: b.current_url.endswith("/profile"))
    assert "Yang berubah: Gol. Darah, No. Telp." in browser.find_element(
        By.TAG_NAME, "body").text
    assert portal.sql("SELECT no_telp, gol_darah FROM pegawai "
                      "WHERE nrk = ?", NRK) == [("0213822255", "B")]
    portal.sql("UPDATE pegawai SET no_telp = ?, gol_darah = ?, "
               "versi = versi + 1 WHERE nrk = ?", *before[0], NRK)
