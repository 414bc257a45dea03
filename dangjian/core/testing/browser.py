"""A real browser for the tests of pages where it matters (the phone portal, pages that load
their figures with JavaScript): headless Chromium driven by Selenium.

`make test` installs Chromium and its driver where the machine lets it (Debian's packages
chromium and chromium-driver); without them the browser tests fail and say so."""

import os
import shutil

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

PHONE = (390, 844)
DESKTOP = (1400, 1000)


def _binary(*names):
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def chrome(size=DESKTOP) -> webdriver.Chrome:
    browser = os.environ.get("DANGJIAN_CHROMIUM") or _binary("chromium", "chromium-browser", "google-chrome")
    driver = os.environ.get("DANGJIAN_CHROMEDRIVER") or _binary("chromedriver")
    if not browser or not driver:
        raise RuntimeError(
            "浏览器测试需要 Chromium 与 ChromeDriver：请安装 chromium 与 chromium-driver（make test 会尝试安装），"
            "或用 DANGJIAN_CHROMIUM、DANGJIAN_CHROMEDRIVER 指明位置"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument(f"--window-size={size[0]},{size[1]}")
    # the console, for csp_violations
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=options)


def csp_violations(browser) -> list[str]:
    """What the browser's console reported as refused by the Content-Security-Policy since the
    last call."""
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry["message"] or "Content-Security-Policy" in entry["message"]
    ]


def log_in(browser, base_url, path, username, password, otp=None):
    """Sign in through the page's own login form; `otp` (a function giving the code when it is
    asked) answers the second factor's page that follows."""
    browser.get(base_url + path)
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    if otp is not None:
        field = wait_for(browser, expected_conditions.presence_of_element_located((By.NAME, "otp")))
        field.send_keys(otp())
        field.find_element(By.XPATH, "ancestor::form//*[@type='submit']").click()
        wait_for(browser, lambda b: not b.find_elements(By.NAME, "otp"))


def wait_for(browser, condition, seconds=10):
    return WebDriverWait(browser, seconds).until(condition)


__all__ = ["DESKTOP", "PHONE", "By", "chrome", "csp_violations", "expected_conditions", "log_in", "wait_for"]
