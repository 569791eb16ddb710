"""Browser tests: headless Debian chromium driven by python3-selenium
against the same real apache2 the integration tests use (the portal
fixture of tests/conftest.py)."""

import tempfile
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture
def browser():
    """A fresh headless Chromium per test, with its own profile."""
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    profile = tempfile.mkdtemp(prefix="pegawai-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,900",
                 "--user-data-dir=" + profile):
        opts.add_argument(flag)
    drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                           options=opts)
    drv.set_page_load_timeout(30)
    yield drv
    drv.quit()


@pytest.fixture
def screenshot(browser):
    """screenshot(name, width): saves build/screenshots/<name>-<w>.png of
    the whole page at that width, for a person to look at; at a phone's
    width it also fails when the page scrolls sideways."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name, width):
        browser.set_window_size(width, 900)
        height = browser.execute_script(
            "return document.documentElement.scrollHeight")
        browser.set_window_size(width, max(900, min(height + 150, 4000)))
        path = SCREENSHOTS / ("%s-%d.png" % (name, width))
        browser.save_screenshot(str(path))
        # A phone shows the page without scrolling sideways: nothing is
        # wider than the viewport (tables reflow, long words wrap).
        if width <= 480:
            wide = browser.execute_script(
                "return [document.documentElement.scrollWidth,"
                " window.innerWidth]")
            assert wide[0] <= wide[1], \
                "%s at %d px scrolls sideways: %r" % (name, width, wide)
        return path
    return take
