"""The cadre's phone pages in a real browser at a phone's width: a cadre signs in at /m/login/,
records the day with a project and a problem found there, sees it kept, records the same day
again and finds the one record updated; follows their problems, records progress on one and
signs out."""

import pytest
from selenium.webdriver.support.ui import Select

from dangjian.core.testing.browser import By, expected_conditions, log_in, wait_for
from dangjian.projects.models import DailyRecord, Problem, ProblemCategory, ProblemEvent, ProblemStatus
from dangjian.testing.factories import PASSWORD

from .factories import ONE_DAY, make_cadre, make_problem, make_project, today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_data")]
DAILY_SAVE = "form[enctype] button[type=submit]"  # not the header's sign-out


def fits_the_screen(browser):
    return browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def test_a_cadre_records_the_day_and_a_problem_on_a_phone(live_server, phone, zone, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cadre = make_cadre("王一博", phone="13900000001")
    cadre.user.set_password(PASSWORD)
    cadre.user.save()
    make_project("两河口城市运动公园", cadres=[cadre])
    make_project("别人的项目", cadres=[make_cadre("李四")])
    log_in(phone, live_server.url, "/m/login/", cadre.user.username, PASSWORD)
    wait_for(phone, expected_conditions.presence_of_element_located((By.NAME, "content")))
    page = phone.find_element(By.TAG_NAME, "body").text
    assert "两河口城市运动公园" in page
    assert "别人的项目" not in page
    assert fits_the_screen(phone)
    phone.find_element(By.XPATH, "//label[contains(., '两河口城市运动公园')]//input").click()
    phone.find_element(By.NAME, "content").send_keys("到项目现场协调施工用电")
    Select(phone.find_element(By.NAME, "problem_category")).select_by_visible_text("要素保障")
    phone.find_element(By.NAME, "problem_description").send_keys("施工临时用电容量不足")
    phone.find_element(By.CSS_SELECTOR, DAILY_SAVE).click()
    wait_for(phone, expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "body"), "日纪实已保存"))
    record = DailyRecord.objects.get()
    assert (record.cadre, record.content) == (cadre, "到项目现场协调施工用电")
    assert [p.name for p in record.projects.all()] == ["两河口城市运动公园"]
    problem = Problem.objects.get()
    assert (problem.category, problem.description, problem.owner) == (
        ProblemCategory.FACTORS,
        "施工临时用电容量不足",
        cadre,
    )
    # the same day again: the page opens the day's record, and saving updates that one record
    assert "已有日纪实" in phone.find_element(By.TAG_NAME, "body").text
    content = phone.find_element(By.NAME, "content")
    assert content.get_attribute("value") == "到项目现场协调施工用电"
    content.send_keys("，下午召开协调会")
    phone.find_element(By.CSS_SELECTOR, DAILY_SAVE).click()
    wait_for(phone, expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "body"), "日纪实已更新"))
    assert list(DailyRecord.objects.values_list("content", flat=True)) == [
        "到项目现场协调施工用电，下午召开协调会"
    ]


def test_a_cadre_signs_in_on_the_phone_follows_a_problem_records_progress_and_signs_out(live_server, phone):
    cadre = make_cadre("王一博", phone="13900000002")
    cadre.user.set_password(PASSWORD)
    cadre.user.save()
    project = make_project("两河口城市运动公园", cadres=[cadre])
    late = make_problem(
        project=project,
        raised=today() - ONE_DAY * 10,
        deadline=today() - ONE_DAY,
        number="WT-2026-001",
        description="施工临时用电容量不足",
    )
    make_problem(
        project=project, deadline=today() + ONE_DAY * 7, number="WT-2026-002", description="渣土外运"
    )
    make_problem(project=make_project("别人的项目", cadres=[make_cadre("李四")]), description="别人的堵点")
    phone.get(live_server.url + "/m/problems/")
    wait_for(phone, expected_conditions.url_contains("/m/login/?next=/m/problems/"))
    assert "包抓干部登录" in phone.find_element(By.TAG_NAME, "body").text
    log_in(phone, live_server.url, "/m/login/?next=/m/problems/", cadre.user.username, PASSWORD)
    wait_for(phone, expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), "我的问题"))
    body = phone.find_element(By.TAG_NAME, "body").text
    assert "王一博" in body and "日纪实" in body and "退出" in body
    assert "WT-2026-001" in body and "WT-2026-002" in body and "别人的堵点" not in body
    assert "两河口城市运动公园" in body and f"{late.deadline:%Y-%m-%d}" in body and "已逾期" in body
    assert fits_the_screen(phone)
    phone.find_element(By.PARTIAL_LINK_TEXT, "WT-2026-001").click()
    wait_for(phone, expected_conditions.presence_of_element_located((By.NAME, "progress-note")))
    assert "办理过程" in phone.find_element(By.TAG_NAME, "body").text
    assert fits_the_screen(phone)
    phone.find_element(By.NAME, "progress-note").send_keys("已协调供电公司增容，下周施工")
    phone.find_element(By.CSS_SELECTOR, "#progress button[type=submit]").click()
    wait_for(
        phone, expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "body"), "已记录办理进展")
    )
    timeline = phone.find_element(By.CSS_SELECTOR, "ol.timeline").text
    assert "办理进展" in timeline and "已协调供电公司增容，下周施工" in timeline
    late.refresh_from_db()
    assert late.status == ProblemStatus.IN_PROGRESS
    assert late.events.filter(kind=ProblemEvent.Kind.PROGRESS, actor=cadre.user).exists()
    phone.find_element(By.CSS_SELECTOR, "form.logout button").click()
    wait_for(phone, expected_conditions.url_to_be(live_server.url + "/m/login/"))
    phone.get(live_server.url + "/m/problems/")
    wait_for(phone, expected_conditions.url_contains("/m/login/?next=/m/problems/"))
