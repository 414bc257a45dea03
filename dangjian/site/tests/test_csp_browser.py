"""The browser enforces the policy and the browser fixtures see what it refuses: an inline script
put into a page is refused and reported, which the desktop and phone fixtures would fail on."""

import pytest

from dangjian.core.testing.browser import By, chrome, csp_violations, expected_conditions, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_inline_script_is_refused_and_reported(live_server):
    browser = chrome()
    try:
        browser.get(live_server.url + "/portal/login/")
        wait_for(browser, expected_conditions.presence_of_element_located((By.NAME, "username")))
        assert csp_violations(browser) == []
        browser.execute_script(
            "var s = document.createElement('script'); s.textContent = 'document.title = 1 + 1';"
            "document.body.appendChild(s);"
        )
        assert browser.title != "2"
        assert csp_violations(browser)
    finally:
        browser.quit()
