"""The back office's date picker in a real browser, in Chinese: the weekday header 一 二 三 四 五
六 日, the month title 2026年11月, 今天 / 昨天 / 明天 / 取消, and the time picker's strings
(现在, 选择时间, …) in the JavaScript catalog, with no English left."""

import datetime
import re

import pytest

from dangjian.core.testing.browser import By, expected_conditions, wait_for
from dangjian.core.testing.english import english_words
from dangjian.projects.tests.factories import make_cadre, make_problem, make_project
from dangjian.testing.factories import PASSWORD
from dangjian.testing.second_factor import browser_log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_data")]

# every string of calendar.js and DateTimeShortcuts.js (the date and the time picker)
PICKER_STRINGS = [
    "Today",
    "Yesterday",
    "Tomorrow",
    "Now",
    "Midnight",
    "6 a.m.",
    "Noon",
    "6 p.m.",
    "Choose a Date",
    "Choose a Time",
    "Choose a time",
    "Cancel",
    "January",
    "November",
    "Sunday",
    "Saturday",
]
ONE_LETTER_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def test_the_date_picker_of_a_change_page_is_in_chinese(live_server, desktop, zone_admin):
    deadline = datetime.date(2026, 11, 20)
    problem = make_problem(
        project=make_project(cadres=[make_cadre()]), raised=datetime.date(2026, 11, 2), deadline=deadline
    )
    browser_log_in(desktop, live_server.url, "/admin/login/", zone_admin, PASSWORD)
    wait_for(desktop, expected_conditions.url_to_be(f"{live_server.url}/admin/"))
    desktop.get(f"{live_server.url}/admin/projects/problem/{problem.pk}/change/")
    field = wait_for(desktop, expected_conditions.presence_of_element_located((By.ID, "id_deadline")))
    assert field.get_attribute("value") == "2026/11/20"  # the locale's input format
    # the picker's links beside the field: 今天 (the theme shows it as an icon) and the calendar
    shortcuts = wait_for(
        desktop,
        lambda browser: browser.find_element(By.ID, "id_deadline").find_element(
            By.XPATH, "following-sibling::span[contains(@class, 'datetimeshortcuts')]"
        ),
    )
    assert "今天" in shortcuts.get_attribute("textContent")
    link = shortcuts.find_element(By.CSS_SELECTOR, "a[id^=calendarlink]")
    assert link.find_element(By.TAG_NAME, "span").get_attribute("title") == "选择日期"
    desktop.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    link.click()
    number = link.get_attribute("id").removeprefix("calendarlink")
    box = wait_for(
        desktop, expected_conditions.visibility_of_element_located((By.ID, f"calendarbox{number}"))
    )
    assert box.find_element(By.TAG_NAME, "caption").text == "2026年11月"
    header = [th.text for th in box.find_elements(By.CSS_SELECTOR, "table tr:first-child th")]
    assert header == ["一", "二", "三", "四", "五", "六", "日"]  # the week starts on Monday in zh-hans
    text = box.text
    for word in ("昨天", "今天", "明天", "取消"):
        assert word in text
    assert english_words(box.get_attribute("outerHTML")) == []
    assert not re.search(r"\b(S M T W T F S|November|Today|Cancel)\b", text)
    # the next month: the title keeps the Chinese order
    box.find_element(By.CSS_SELECTOR, "a.calendarnav-next").click()
    assert box.find_element(By.TAG_NAME, "caption").text == "2026年12月"
    # choosing a day fills the field
    box.find_element(By.XPATH, ".//td/a[text()='8']").click()
    wait_for(desktop, expected_conditions.invisibility_of_element(box))
    assert desktop.find_element(By.ID, "id_deadline").get_attribute("value") == "2026/12/08"
    # the time picker uses the same catalog: each of its strings, and the weekdays, are Chinese
    translated = desktop.execute_script(
        "return arguments[0].map(s => gettext(s))"
        " .concat(arguments[1].map(d => pgettext('one letter ' + d, d[0])));",
        PICKER_STRINGS,
        ONE_LETTER_DAYS,
    )
    assert english_words(" ".join(translated)) == [], translated
    assert translated[PICKER_STRINGS.index("Now")] == "现在"
    assert translated[PICKER_STRINGS.index("Choose a time")] == "选择时间"
    assert translated[PICKER_STRINGS.index("Cancel")] == "取消"
    assert translated[len(PICKER_STRINGS) :] == ["日", "一", "二", "三", "四", "五", "六"]
