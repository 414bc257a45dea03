"""The cockpit in a real browser: the leader signs in, lands on the cockpit, whose charts are drawn
(Chart.js served by the site, no CSP refusal), clicks March's bar of 主题党日 and lands on that
month's meetings; a card opens its records; the big screen draws its charts on a dark page. No
English on these pages."""

import datetime

import pytest
from django.utils import timezone
from selenium.webdriver.common.action_chains import ActionChains

from dangjian.core.testing.browser import By, wait_for
from dangjian.core.testing.english import english_words
from dangjian.reports.tests.test_cockpit import theme_day
from dangjian.testing.factories import PASSWORD, make_member, make_user
from dangjian.testing.second_factor import browser_log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_data")]
THIS_YEAR = timezone.localdate().year


def text_of(browser):
    return browser.execute_script("return document.body ? document.body.innerText : ''") or ""


def no_english(browser):
    words = english_words(browser.page_source)
    assert not words, (browser.current_url, words)


POINT = """
const chart = Chart.getChart(document.querySelector('canvas[data-chart="meetings"]'));
const series = chart.data.datasets.findIndex(d => d.label === '主题党日次数');
const bar = chart.getDatasetMeta(series).data[arguments[0]];
const box = chart.canvas.getBoundingClientRect();
return [bar.x - box.width / 2, (bar.y + bar.base) / 2 - box.height / 2];
"""


def test_the_leader_clicks_a_bar_of_the_cockpit_and_lands_on_its_records(live_server, desktop, zone):
    base = live_server.url
    for n in range(3):
        make_member(zone.branch_a1, name=f"党员{n}")
    for day in (10, 20):
        theme_day(zone.branch_a1, datetime.date(THIS_YEAR, 3, day))
    leader = make_user("leader", organization=zone.root)

    browser_log_in(desktop, base, "/admin/login/", leader, PASSWORD)
    wait_for(desktop, lambda b: b.current_url.endswith("/admin/cockpit/"))
    wait_for(
        desktop,
        lambda b: (
            b.find_element(By.CSS_SELECTOR, 'canvas[data-chart="meetings"]').get_attribute("data-drawn")
            == "1"
        ),
    )
    assert "党员总数" in text_of(desktop) and "3名" in text_of(desktop)
    no_english(desktop)

    canvas = desktop.find_element(By.CSS_SELECTOR, 'canvas[data-chart="meetings"]')
    desktop.execute_script("arguments[0].scrollIntoView({block: 'center'})", canvas)
    x, y = desktop.execute_script(POINT, 2)
    ActionChains(desktop).move_to_element_with_offset(canvas, int(x), int(y)).click().perform()
    wait_for(desktop, lambda b: "/admin/indicators/meetings.theme_days/" in b.current_url)
    assert "month=3" in desktop.current_url
    page = text_of(desktop)
    assert f"主题党日{THIS_YEAR}-03-10" in page and f"{THIS_YEAR}-03-01 至 {THIS_YEAR}-03-31" in page
    no_english(desktop)

    desktop.get(f"{base}/admin/cockpit/")
    card = desktop.find_element(By.CSS_SELECTOR, '.cockpit-card[data-code="members.total"]')
    desktop.execute_script("arguments[0].click()", card)
    wait_for(desktop, lambda b: "/admin/indicators/members.total/" in b.current_url)
    assert "党员0" in text_of(desktop)

    desktop.get(f"{base}/admin/screen/")
    wait_for(
        desktop,
        lambda b: (
            b.find_element(By.CSS_SELECTOR, 'canvas[data-chart="meetings"]').get_attribute("data-drawn")
            == "1"
        ),
    )
    background = desktop.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(11, 21, 38)"
    assert "党建引领发展大屏" in text_of(desktop)
    no_english(desktop)
