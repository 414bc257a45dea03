"""The 日纪实 phone page in a real browser: a cadre signs in, records the day with a project and a
problem found there, sees it kept, records the same day again and finds the one record updated."""

import pytest
from selenium.webdriver.support.ui import Select

from dangjian.core.testing.browser import By, expected_conditions, log_in, wait_for
from dangjian.projects.models import DailyRecord, Problem, ProblemCategory
from dangjian.testing.factories import PASSWORD

from .factories import make_cadre, make_project

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_data")]


def test_a_cadre_records_the_day_and_a_problem_on_a_phone(live_server, phone, zone, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cadre = make_cadre("王一博", phone="13900000001")
    cadre.user.set_password(PASSWORD)
    cadre.user.save()
    make_project("两河口城市运动公园", cadres=[cadre])
    make_project("别人的项目", cadres=[make_cadre("李四")])
    log_in(phone, live_server.url, "/admin/login/?next=/m/daily/", cadre.user.username, PASSWORD)
    wait_for(phone, expected_conditions.presence_of_element_located((By.NAME, "content")))
    page = phone.find_element(By.TAG_NAME, "body").text
    assert "两河口城市运动公园" in page
    assert "别人的项目" not in page
    assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    phone.find_element(By.XPATH, "//label[contains(., '两河口城市运动公园')]//input").click()
    phone.find_element(By.NAME, "content").send_keys("到项目现场协调施工用电")
    Select(phone.find_element(By.NAME, "problem_category")).select_by_visible_text("要素保障")
    phone.find_element(By.NAME, "problem_description").send_keys("施工临时用电容量不足")
    phone.find_element(By.CSS_SELECTOR, "form[method=post] button[type=submit]").click()
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
    phone.find_element(By.CSS_SELECTOR, "form[method=post] button[type=submit]").click()
    wait_for(phone, expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "body"), "日纪实已更新"))
    assert list(DailyRecord.objects.values_list("content", flat=True)) == [
        "到项目现场协调施工用电，下午召开协调会"
    ]
