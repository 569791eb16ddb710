"""What an employee does first (manual sections 1 and 2): open the
portal, log in with NRK and password, read the profile."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

MANUAL_ROWS = [
    ["1", "03-01-2017", "PUSAT DATA DAN INFORMASI KEPEGAWAIAN",
     "STAF TEKNIK TINGKAT TERAMPIL", "PENGATUR TK.I (II/D)", "00",
     "12 TAHUN 2017", "03-01-2017"],
    ["2", "01-09-2016", "PUSAT DATA DAN INFORMASI KEPEGAWAIAN",
     "STAF TEKNIK TINGKAT TERAMPIL", "PENGATUR TK.I (II/D)", "00",
     "28/2016", "31-08-2016"],
    ["3", "02-01-2015", "BADAN KEPEGAWAIAN DAERAH",
     "STAF TEKNIK TINGKAT TERAMPIL", "PENGATUR (II/C)", "00",
     "01 Tahun 2015", "08-04-2015"],
    ["4", "02-05-2011", "BADAN KEPEGAWAIAN DAERAH", "STAF",
     "PENGATUR (II/C)", "00", "516/2011", "11-04-2011"],
]


def type_login(browser, nrk, password):
    browser.find_element(By.NAME, "nrk").clear()
    browser.find_element(By.NAME, "nrk").send_keys(nrk)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR,
                         "form[action='/login'] button, "
                         "form[action='/login'] [type=submit]").click()


def table_rows(browser):
    rows = browser.find_elements(By.CSS_SELECTOR, "table tbody tr")
    return [[td.get_attribute("textContent").strip()
             for td in tr.find_elements(By.TAG_NAME, "td")] for tr in rows]


def test_login_and_see_the_manuals_rows(portal, browser, screenshot):
    portal.sql("DELETE FROM login_throttle")
    browser.get(portal.base_url + "/")
    assert browser.current_url.endswith("/login")
    screenshot("login", 360)
    screenshot("login", 1280)

    # A typo first: the page says so and keeps the NRK.
    type_login(browser, "181679", "salah-ketik")
    alert = WebDriverWait(browser, 10).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "[role=alert]")))
    assert "NRK atau password salah" in alert.text
    assert browser.find_element(By.NAME, "nrk").get_attribute(
        "value") == "181679"
    screenshot("login-error", 360)

    browser.find_element(By.NAME, "nrk").clear()
    type_login(browser, "181679", "rahasia-demo")
    WebDriverWait(browser, 10).until(EC.url_contains("/profile"))
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "181679 - 198307052011011018" in body
    assert table_rows(browser) == MANUAL_ROWS
    screenshot("profile", 360)
    screenshot("profile", 1280)


def test_logout_from_the_account_menu(portal, browser):
    portal.sql("DELETE FROM login_throttle")
    browser.get(portal.base_url + "/login")
    type_login(browser, "181678", "rahasia-demo")
    WebDriverWait(browser, 10).until(EC.url_contains("/profile"))
    # The account menu works without script (details/summary) too.
    for summary in browser.find_elements(By.CSS_SELECTOR, "summary"):
        if summary.is_displayed():
            summary.click()
    browser.find_element(By.CSS_SELECTOR,
                         "form[action='/logout'] button").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/login"))
    assert "telah keluar" in browser.find_element(By.TAG_NAME, "body").text
    browser.get(portal.base_url + "/profile")
    assert browser.current_url.endswith("/login")
