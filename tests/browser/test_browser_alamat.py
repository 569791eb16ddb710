"""Riwayat Alamat in Chromium (manual section 3, Gambar 3 to 6): NRK
181678 opens the arrow menu, Riwayat Alamat, Tampilkan, Tambah Data,
chooses a kelurahan of Jakarta Pusat through the selects, ticks "Alamat
KTP sesuai dengan alamat tempat tinggal", presses SIMPAN and finds the
new address first in the list, marked as the current one.

The same path runs a second time with JavaScript switched off in the
browser: the selects then fill in steps through "Perbarui pilihan
wilayah", the KTP block stays on the page, and Hapus posts without
asking."""

import tempfile
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
NRK = "181678"
# Kelurahan Gambir, Kecamatan Gambir, Kota Administrasi Jakarta Pusat,
# DKI Jakarta, whose postal code is 10110.
REGIONS = [("provinsi", "31", "Daerah Khusus Ibukota Jakarta"),
           ("kota", "31.71", "Kota Administrasi Jakarta Pusat"),
           ("kecamatan", "31.71.01", "Gambir"),
           ("kelurahan", "31.71.01.1001", "Gambir")]
STREET = "Jl. Medan Merdeka Barat No. 7"
STREET_NOSCRIPT = "Jl. Museum No. 1"
# An address the employee moved away from, already in the history.
STREET_OLD = "Jl. Kramat Raya No. 45"


def wait(browser, seconds=10):
    return WebDriverWait(browser, seconds)


def body_text(browser):
    return browser.find_element(By.TAG_NAME, "body").text


def log_in(browser, base_url):
    browser.get(base_url + "/login")
    browser.find_element(By.NAME, "nrk").send_keys(NRK)
    browser.find_element(By.NAME, "password").send_keys("rahasia-demo")
    browser.find_element(By.CSS_SELECTOR,
                         "form[action='/login'] button").click()
    wait(browser).until(EC.url_contains("/profile"))


def start_clean(portal):
    portal.sql("DELETE FROM login_throttle")
    portal.sql("DELETE FROM riwayat_alamat WHERE nrk = ?", NRK)


def seed_older(portal):
    """An entry from 2010, stored before the test adds today's."""
    portal.sql("INSERT INTO riwayat_alamat (nrk, tanggal_mulai, alamat, "
               "rt, rw, provinsi, kota, kecamatan, kelurahan, kode_pos, "
               "ktp_sama, alamat_ktp, dibuat_pada) VALUES (?, '2010-05-01', "
               "?, '001', '004', '31', '31.71', '31.71.05', "
               "'31.71.05.1003', '10430', 0, ?, 0)",
               NRK, STREET_OLD, STREET_OLD)


def open_the_list(browser, empty=True):
    """Manual 3.2 to 3.4: the arrow menu, Riwayat Alamat, Tampilkan."""
    menu = browser.find_element(By.CSS_SELECTOR, "details.menu-riwayat")
    assert menu.get_attribute("open") is None
    menu.find_element(By.TAG_NAME, "summary").click()
    link = menu.find_element(By.LINK_TEXT, "Riwayat Alamat")
    assert link.is_displayed()
    assert menu.find_element(By.LINK_TEXT,
                             "Riwayat Perubahan Data").is_displayed()
    link.click()
    wait(browser).until(EC.url_contains("/riwayat/alamat"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Riwayat Alamat"
    assert "Riwayat belum ditampilkan" in body_text(browser)

    browser.find_element(By.XPATH,
                         "//button[normalize-space()='Tampilkan']").click()
    wait(browser).until(EC.url_contains("tampilkan=1"))
    if empty:
        assert "Belum ada alamat yang tercatat" in body_text(browser)


def the_attribution_is_there(browser):
    footer = browser.find_element(By.CSS_SELECTOR, "footer .attribution")
    assert footer.text == ("Berisi data wilayah dari idn-area-data, yang "
                           "tersedia di bawah Open Database License "
                           "(ODbL).")
    hrefs = [a.get_attribute("href")
             for a in footer.find_elements(By.TAG_NAME, "a")]
    assert hrefs == ["https://github.com/fityannugroho/idn-area-data",
                     "https://opendatacommons.org/licenses/odbl/1-0/"]


def option_values(browser, name):
    select = browser.find_element(By.NAME, name)
    return [o.get_attribute("value")
            for o in select.find_elements(By.TAG_NAME, "option")]


def type_into(browser, name, text):
    field = browser.find_element(By.NAME, name)
    field.clear()
    field.send_keys(text)
    return field


def message_at(browser, name):
    return browser.find_element(By.ID, name + "-galat").text.strip()


def simpan(browser):
    old = browser.find_element(By.TAG_NAME, "form")
    browser.find_element(By.XPATH,
                         "//button[normalize-space()='SIMPAN']").click()
    return old


def first_row(browser):
    return browser.find_element(By.CSS_SELECTOR,
                                "table.address-table tbody tr")


def rows(browser):
    return browser.find_elements(By.CSS_SELECTOR,
                                 "table.address-table tbody tr")


def stored(portal):
    """The employee's addresses as text (both drivers alike)."""
    return [tuple(None if v is None else str(v) for v in row)
            for row in portal.sql("SELECT alamat, rt, rw, provinsi, kota, kecamatan, "
                      "kelurahan, kode_pos, ktp_sama, alamat_ktp, rt_ktp, "
                      "rw_ktp, kelurahan_ktp, kode_pos_ktp "
                      "FROM riwayat_alamat WHERE nrk = ? ORDER BY id",
                      NRK)]


def test_tambah_data_as_the_manual_shows(portal, browser, screenshot):
    start_clean(portal)
    seed_older(portal)
    log_in(browser, portal.base_url)
    open_the_list(browser, empty=False)
    assert [STREET_OLD in r.text for r in rows(browser)] == [True]
    the_attribution_is_there(browser)
    screenshot("alamat-empty", 360)

    browser.find_element(By.LINK_TEXT, "Tambah Data").click()
    wait(browser).until(EC.url_contains("/riwayat/alamat/tambah"))
    assert browser.find_element(By.TAG_NAME, "h1").text == \
        "Tambah Data Alamat"
    the_attribution_is_there(browser)
    # The script took the no-script steps away.
    assert not browser.find_elements(By.NAME, "perbarui")
    # Nothing to choose below the province yet.
    assert not browser.find_element(By.NAME, "kota").is_enabled()

    # Each choice fills the select below it from the JSON endpoint.
    for level, (name, code, label) in enumerate(REGIONS):
        select = browser.find_element(By.NAME, name)
        wait(browser).until(lambda b: select.is_enabled() and code in
                            option_values(b, name))
        Select(select).select_by_value(code)
        assert Select(select).first_selected_option.text == label
    # A new province clears what was chosen under it, and the lists
    # follow the new choice.
    Select(browser.find_element(By.NAME, "provinsi")).select_by_value("32")
    wait(browser).until(lambda b: "32.73" in option_values(b, "kota"))
    assert option_values(browser, "kecamatan") == [""]
    assert option_values(browser, "kelurahan") == [""]
    for name, code, _ in REGIONS:
        select = browser.find_element(By.NAME, name)
        wait(browser).until(lambda b: select.is_enabled() and code in
                            option_values(b, name))
        Select(select).select_by_value(code)

    type_into(browser, "alamat", STREET)
    # A wrong RT is caught when the field is left, before any SIMPAN,
    # with the server's words.
    type_into(browser, "rt", "1234").send_keys(Keys.TAB)
    wait(browser).until(lambda b: message_at(b, "rt"))
    assert message_at(browser, "rt") == "RT harus 1 sampai 3 digit angka"
    assert browser.find_element(By.NAME, "rt").get_attribute(
        "aria-invalid") == "true"
    type_into(browser, "rt", "3")
    wait(browser).until(lambda b: message_at(b, "rt") == "")
    type_into(browser, "rw", "2")
    type_into(browser, "kode_pos", "1011").send_keys(Keys.TAB)
    wait(browser).until(lambda b: message_at(b, "kode_pos"))
    assert message_at(browser, "kode_pos") == "Kode Pos harus 5 digit angka"
    # A code of Jawa Barat passes the page's check; the server asks.
    type_into(browser, "kode_pos", "40110")
    wait(browser).until(lambda b: message_at(b, "kode_pos") == "")

    # The checkbox hides the KTP block.
    ktp_block = browser.find_element(By.ID, "blok-ktp")
    assert ktp_block.is_displayed()
    box = browser.find_element(By.NAME, "ktp_sama")
    browser.find_element(
        By.XPATH, "//label[normalize-space()='Alamat KTP sesuai dengan "
        "alamat tempat tinggal']").click()
    assert box.is_selected()
    assert not ktp_block.is_displayed()
    screenshot("alamat-form", 360)
    screenshot("alamat-form", 1280)

    simpan(browser)
    warning = wait(browser).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, ".alert-warn")))
    assert "Kode pos tempat tinggal 40110 tidak lazim" in warning.text
    assert len(stored(portal)) == 1
    # Everything comes back as chosen, the box ticked, its block hidden.
    for name, code, _ in REGIONS:
        assert Select(browser.find_element(
            By.NAME, name)).first_selected_option.get_attribute(
                "value") == code
    assert browser.find_element(By.NAME, "ktp_sama").is_selected()
    assert not browser.find_element(By.ID, "blok-ktp").is_displayed()
    screenshot("alamat-warning", 360)

    type_into(browser, "kode_pos", "10110")
    simpan(browser)
    wait(browser).until(EC.url_contains("disimpan=1"))
    assert "Alamat tersimpan." in body_text(browser)
    row = first_row(browser)
    assert STREET in row.text
    assert "Alamat saat ini" in row.text
    assert "003/002" in row.text
    assert "Gambir" in row.text
    assert "Kota Administrasi Jakarta Pusat" in row.text
    assert "10110" in row.text
    assert "sama dengan alamat tinggal" in row.text
    # Newest first: today's address above the one of 2010, which is no
    # longer the current one.
    listed = rows(browser)
    assert len(listed) == 2
    assert STREET in listed[0].text and STREET_OLD not in listed[0].text
    assert STREET_OLD in listed[1].text and STREET not in listed[1].text
    assert "01-05-2010" in listed[1].text
    assert "Alamat saat ini" not in listed[1].text
    # The KTP address is stored as the residence, not left empty.
    assert stored(portal)[1:] == [
        (STREET, "003", "002", "31", "31.71", "31.71.01", "31.71.01.1001",
         "10110", "1", STREET, "003", "002", "31.71.01.1001", "10110")]
    screenshot("alamat-list", 360)
    screenshot("alamat-list", 1280)

    # Hapus asks first; "Batal" keeps the address.
    row.find_element(By.XPATH,
                     ".//button[starts-with(normalize-space(), 'Hapus')]"
                     ).click()
    alert = wait(browser).until(EC.alert_is_present())
    assert STREET in alert.text
    alert.dismiss()
    assert len(stored(portal)) == 2
    assert STREET in first_row(browser).text


@pytest.fixture
def browser_noscript():
    """Headless Chromium with JavaScript switched off for every page."""
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    profile = tempfile.mkdtemp(prefix="pegawai-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,900",
                 "--blink-settings=scriptEnabled=false",
                 "--user-data-dir=" + profile):
        opts.add_argument(flag)
    drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                           options=opts)
    drv.set_page_load_timeout(30)
    yield drv
    drv.quit()


def screenshot_of(browser, name, width):
    """The screenshot fixture's picture, measured without page script."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(width, 900)
    metrics = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})
    height = int(metrics["cssContentSize"]["height"])
    browser.set_window_size(width, max(900, min(height + 150, 4000)))
    browser.save_screenshot(str(SCREENSHOTS / ("%s-%d.png" % (name, width))))


def perbarui(browser):
    """The first "Perbarui pilihan wilayah": the form comes back with
    the lists under the regions chosen, nothing saved."""
    old = browser.find_element(By.TAG_NAME, "form")
    browser.find_element(By.NAME, "perbarui").click()
    wait(browser).until(EC.staleness_of(old))


def test_tambah_data_without_javascript(portal, browser_noscript):
    browser = browser_noscript
    start_clean(portal)
    log_in(browser, portal.base_url)
    # On a phone the histories are in the account menu, which opens
    # without script too.
    browser.set_window_size(360, 900)
    menu = browser.find_element(By.CSS_SELECTOR, "details.account")
    assert not browser.find_element(
        By.CSS_SELECTOR, "details.menu-riwayat").is_displayed()
    menu.find_element(By.TAG_NAME, "summary").click()
    assert menu.find_element(By.LINK_TEXT,
                             "Riwayat Perubahan Data").is_displayed()
    screenshot_of(browser, "alamat-menu-noscript", 360)
    menu.find_element(By.LINK_TEXT, "Riwayat Alamat").click()
    wait(browser).until(EC.url_contains("/riwayat/alamat"))
    browser.set_window_size(1280, 900)
    browser.find_element(By.XPATH,
                         "//button[normalize-space()='Tampilkan']").click()
    wait(browser).until(EC.url_contains("tampilkan=1"))
    browser.find_element(By.LINK_TEXT, "Tambah Data").click()
    wait(browser).until(EC.url_contains("/riwayat/alamat/tambah"))

    # No script ran: the steps are there and every list but the
    # provinces waits for them.
    assert browser.find_element(By.NAME, "perbarui").is_displayed()
    assert option_values(browser, "kota") == [""]

    type_into(browser, "alamat", STREET_NOSCRIPT)
    type_into(browser, "rt", "7")
    type_into(browser, "rw", "1")
    for name, code, _ in REGIONS:
        assert code in option_values(browser, name), name
        Select(browser.find_element(By.NAME, name)).select_by_value(code)
        if name != "kelurahan":
            perbarui(browser)
        # What was typed and chosen so far stays.
        assert browser.find_element(By.NAME, "alamat").get_attribute(
            "value") == STREET_NOSCRIPT
        assert Select(browser.find_element(
            By.NAME, name)).first_selected_option.get_attribute(
                "value") == code
    assert not stored(portal)
    type_into(browser, "kode_pos", "10110")

    # Without the script the ticked box leaves the KTP block on the
    # page; the server ignores it.
    browser.find_element(By.NAME, "ktp_sama").click()
    assert browser.find_element(By.ID, "blok-ktp").is_displayed()
    screenshot_of(browser, "alamat-form-noscript", 360)
    screenshot_of(browser, "alamat-form-noscript", 1280)

    # Nothing checks RT before it is sent: the server answers at the
    # field, keeping what was typed and chosen.
    type_into(browser, "rt", "1234")
    wait(browser).until(EC.staleness_of(simpan(browser)))
    assert message_at(browser, "rt") == "RT harus 1 sampai 3 digit angka"
    assert "Alamat belum disimpan: 1 isian perlu diperbaiki" in \
        body_text(browser)
    assert browser.find_element(By.NAME, "rt").get_attribute(
        "aria-invalid") == "true"
    assert browser.find_element(By.NAME, "alamat").get_attribute(
        "value") == STREET_NOSCRIPT
    assert Select(browser.find_element(
        By.NAME, "kelurahan")).first_selected_option.get_attribute(
            "value") == REGIONS[-1][1]
    assert browser.find_element(By.NAME, "ktp_sama").is_selected()
    screenshot_of(browser, "alamat-error-noscript", 360)

    type_into(browser, "rt", "7")
    simpan(browser)
    wait(browser).until(EC.url_contains("disimpan=1"))
    row = first_row(browser)
    assert STREET_NOSCRIPT in row.text
    assert "Alamat saat ini" in row.text
    assert "sama dengan alamat tinggal" in row.text
    assert stored(portal) == [
        (STREET_NOSCRIPT, "007", "001", "31", "31.71", "31.71.01",
         "31.71.01.1001", "10110", "1", STREET_NOSCRIPT, "007", "001",
         "31.71.01.1001", "10110")]
    screenshot_of(browser, "alamat-list-noscript", 360)

    # Hapus posts at once: no script to ask.
    row.find_element(By.XPATH,
                     ".//button[starts-with(normalize-space(), 'Hapus')]"
                     ).click()
    wait(browser).until(EC.url_contains("dihapus=1"))
    assert "Alamat dihapus dari riwayat." in body_text(browser)
    assert "Belum ada alamat yang tercatat" in body_text(browser)
    assert not stored(portal)
    with pytest.raises(NoSuchElementException):
        first_row(browser)
