"""The browser enforces the policy and the browser fixtures see what it refuses: an inline script
put into a page is refused and reported, which the desktop and phone fixtures would fail on."""

import pytest

from dangjian.core.testing.browser import By, chrome, csp_violations, expected_conditions, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_data")]


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


def test_the_api_documentation_and_the_error_pages_work_under_the_policy(live_server, desktop, zone_admin):
    from dangjian.testing.factories import PASSWORD
    from dangjian.testing.second_factor import browser_log_in

    browser_log_in(desktop, live_server.url, "/admin/login/", zone_admin, PASSWORD)
    wait_for(desktop, expected_conditions.url_to_be(live_server.url + "/admin/"))
    desktop.get(live_server.url + "/api/v1/docs/")
    wait_for(desktop, expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".swagger-ui .info")))
    desktop.get(live_server.url + "/api/v1/redoc/")
    wait_for(
        desktop, expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "#redoc-container h1"))
    )
    # ReDoc's own "API docs by Redocly" logo is on its makers' server: refused, as it should be (nothing
    # is fetched from outside the installation); anything else refused would be a fault
    refused = csp_violations(desktop)
    assert [v for v in refused if "https://cdn.redoc.ly/" not in v] == []
    desktop.get(live_server.url + "/no-such-page/")
    wait_for(desktop, expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "a[data-back]")))
    # the desktop fixture fails on any violation these pages reported
