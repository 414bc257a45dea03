"""The background jobs in a real browser: the zone administrator uploads a large roster, lands on
its job's page (the bar full, the dry run's report), confirms the import there and finds both jobs
on 我的后台任务; on 定时任务 runs a daily job now and reads its result. No English on these pages."""

import pytest

from dangjian.core.testing.browser import By, wait_for
from dangjian.core.testing.english import english_words
from dangjian.members.models import Member
from dangjian.site.tests.test_jobs import roster
from dangjian.testing.factories import PASSWORD, make_user
from dangjian.testing.second_factor import browser_log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_data")]


def text_of(browser):
    return browser.execute_script("return document.body ? document.body.innerText : ''") or ""


def shown(browser, text):
    wait_for(browser, lambda b: text in text_of(b))


def no_english(browser):
    words = english_words(browser.page_source)
    assert not words, (browser.current_url, words)


def click(browser, element):
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    browser.execute_script("arguments[0].click()", element)


def test_a_large_roster_is_imported_through_its_job_and_a_daily_job_runs_now(
    live_server, desktop, zone, settings, tmp_path
):
    settings.JOBS_INLINE = True
    settings.JOBS_IMPORT_ROWS = 3
    base = live_server.url
    office = make_user("zone_admin", organization=zone.root)
    path = tmp_path / "党员名册.csv"
    path.write_bytes(roster(zone, 6))

    browser_log_in(desktop, base, "/admin/login/", office, PASSWORD)
    wait_for(desktop, lambda b: "/admin/login/" not in b.current_url)
    desktop.get(f"{base}/admin/ledgers/members/import/")
    desktop.find_element(By.NAME, "file").send_keys(str(path))
    click(desktop, desktop.find_element(By.XPATH, "//button[normalize-space()='上传并试导入']"))
    wait_for(desktop, lambda b: "/admin/jobs/" in b.current_url)
    shown(desktop, "将新增 6 条")
    shown(desktop, "已完成")
    wait_for(desktop, lambda b: b.find_element(By.ID, "job-bar").get_attribute("style") == "width: 100%;")
    no_english(desktop)
    assert not Member.objects.filter(name__startswith="后台").exists()

    click(desktop, desktop.find_element(By.NAME, "confirm"))
    shown(desktop, "已新增 6 条")
    assert Member.objects.filter(name__startswith="后台").count() == 6

    desktop.get(f"{base}/admin/jobs/")
    shown(desktop, "试导入党员花名册（党员名册.csv）")
    rows = desktop.find_elements(By.CSS_SELECTOR, "#job-list tbody tr")
    assert len(rows) == 2 and all("已完成" in row.text for row in rows)
    no_english(desktop)

    desktop.get(f"{base}/admin/schedules/")
    shown(desktop, "每日提醒")
    no_english(desktop)
    row = desktop.find_element(By.ID, "schedule-notify_due")
    click(desktop, row.find_element(By.TAG_NAME, "button"))
    wait_for(desktop, lambda b: "/admin/jobs/" in b.current_url)
    shown(desktop, "已完成")
    assert desktop.find_element(By.ID, "job-output").text
    desktop.get(f"{base}/admin/schedules/")
    assert "尚未运行" not in desktop.find_element(By.ID, "schedule-notify_due").text
