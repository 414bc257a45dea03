"""The enterprise portal in a real browser at a phone's width: sign in, submit a request, follow it."""

import pytest
from selenium.webdriver.support.ui import Select

from dangjian.core.testing.browser import By, expected_conditions, log_in, wait_for
from dangjian.projects.tests.factories import make_cadre
from dangjian.servicedesk.models import RequestStatus, ServiceRequest
from dangjian.testing.factories import PASSWORD

from .factories import designate, make_contact

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_data")]


def fits_the_screen(browser):
    return browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def test_a_contact_submits_a_request_on_a_phone_and_follows_it(live_server, phone, zone, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    designate(zone.enterprise_a, make_cadre("王联系"))
    contact = make_contact(zone.enterprise_a)
    log_in(phone, live_server.url, "/portal/login/", contact.username, PASSWORD)
    wait_for(phone, expected_conditions.presence_of_element_located((By.LINK_TEXT, "提交新的诉求")))
    assert fits_the_screen(phone)
    phone.find_element(By.LINK_TEXT, "提交新的诉求").click()
    Select(phone.find_element(By.NAME, "kind")).select_by_visible_text("服务事项")
    Select(phone.find_element(By.NAME, "category")).select_by_visible_text("政策咨询")
    phone.find_element(By.NAME, "title").send_keys("高新技术企业认定辅导")
    phone.find_element(By.NAME, "description").send_keys("请安排专人辅导申报材料")
    assert fits_the_screen(phone)
    phone.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(phone, expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "body"), "办理过程"))
    request = ServiceRequest.objects.get()
    assert (request.title, request.status, request.enterprise) == (
        "高新技术企业认定辅导",
        RequestStatus.SUBMITTED,
        zone.enterprise_a,
    )
    assert request.handler.name == "王联系"
    body = phone.find_element(By.TAG_NAME, "body").text
    assert request.number in body
    assert "已提交" in body
    assert fits_the_screen(phone)


def test_a_contact_sees_why_a_request_was_refused_and_nothing_is_saved(live_server, phone, zone):
    contact = make_contact(zone.enterprise_a)
    log_in(phone, live_server.url, "/portal/login/", contact.username, PASSWORD)
    wait_for(phone, expected_conditions.presence_of_element_located((By.LINK_TEXT, "提交新的诉求")))
    phone.get(live_server.url + "/portal/new/")
    phone.find_element(By.NAME, "title").send_keys("只有标题")
    phone.execute_script("document.querySelector('form').noValidate = true")
    phone.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(phone, expected_conditions.presence_of_element_located((By.CLASS_NAME, "errorlist")))
    assert "该字段是必填项" in phone.find_element(By.CLASS_NAME, "errorlist").text
    assert not ServiceRequest.objects.exists()
