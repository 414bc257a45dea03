"""An enterprise's patent from its submission to the figure, in real browsers: the contact signs in
to the portal on a phone and submits a patent granted this year, which waits (待确认); the talent
office signs in to the back office, opens 企业提交待确认 from the sidebar and confirms it; the
figure innovation.patents goes up by one and the contact sees 已确认. Then a patent returned with
a reason, corrected and resubmitted. No English on these pages, nothing refused by the CSP."""

import datetime

import pytest
from django.utils import timezone

from dangjian.core.indicators import Period, compute
from dangjian.core.testing.browser import By, expected_conditions, log_in, wait_for
from dangjian.core.testing.english import english_words
from dangjian.servicedesk.tests.factories import make_contact
from dangjian.talent.models import Innovation, Review
from dangjian.testing.factories import PASSWORD, make_user
from dangjian.testing.second_factor import browser_log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_data")]
REVIEW = "/admin/talent/talent/review/"


def text_of(browser):
    return browser.execute_script("return document.body ? document.body.innerText : ''") or ""


def shown(browser, text):
    wait_for(browser, lambda b: text in text_of(b))


def no_english(browser):
    words = english_words(browser.page_source)
    assert not words, (browser.current_url, words)


def fits_the_screen(browser):
    return browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def set_value(browser, name, value):
    """A field's value set as the page would (a date field's picker is not driven)."""
    field = browser.find_element(By.NAME, name)
    browser.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))", field, value
    )


def click(browser, element):
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    browser.execute_script("arguments[0].click()", element)


def link(browser, text):
    return wait_for(browser, expected_conditions.presence_of_element_located((By.PARTIAL_LINK_TEXT, text)))


def submit_patent(phone, name, number, granted):
    click(phone, link(phone, "提交专利或其他科技成果"))
    wait_for(phone, expected_conditions.presence_of_element_located((By.NAME, "patent_number")))
    assert "授权日期" in text_of(phone) and fits_the_screen(phone)
    no_english(phone)
    phone.find_element(By.NAME, "name").send_keys(name)
    phone.find_element(By.NAME, "patent_number").send_keys(number)
    set_value(phone, "patent_kind", "invention")
    set_value(phone, "dated_on", f"{granted:%Y-%m-%d}")
    click(phone, phone.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    shown(phone, f"已提交专利“{name}”，待园区确认")


def row_of(desktop, name):
    return next(
        r for r in desktop.find_elements(By.CSS_SELECTOR, "#pending-innovations tbody tr") if name in r.text
    )


def open_queue(desktop, base):
    desktop.get(f"{base}/admin/")
    click(desktop, wait_for(desktop, lambda b: b.find_element(By.CSS_SELECTOR, f"a[href='{REVIEW}']")))
    wait_for(desktop, lambda b: b.current_url.endswith(REVIEW))
    shown(desktop, "企业提交待确认")
    no_english(desktop)


def patents(year):
    return compute("innovation.patents", period=Period.year(year)).value


def test_a_patent_from_the_enterprise_to_the_figure_and_a_returned_one_resubmitted(
    live_server, phone, desktop, zone
):
    base = live_server.url
    today = timezone.localdate()
    granted = datetime.date(today.year, 1, 1)  # the first day of this year
    contact = make_contact(zone.enterprise_a)
    office = make_user("talent_staff", organization=zone.root)
    before = patents(today.year)

    # the contact submits a patent from the portal on a phone
    log_in(phone, base, "/portal/login/", contact.username, PASSWORD)
    click(phone, link(phone, "本企业人才与创新"))
    shown(phone, "人才与创新")
    assert fits_the_screen(phone)
    no_english(phone)
    submit_patent(phone, "一种中药有效成分提取装置", "ZL202610000001", granted)
    patent = Innovation.objects.get(name="一种中药有效成分提取装置")
    assert (patent.review, patent.enterprise, patent.dated_on) == (Review.PENDING, zone.enterprise_a, granted)
    assert "待确认" in phone.find_element(By.ID, "patents").text
    assert fits_the_screen(phone)
    assert patents(today.year) == before  # waiting: not counted

    # the talent office confirms it from 企业提交待确认
    browser_log_in(desktop, base, "/admin/login/", office, PASSWORD)
    wait_for(desktop, lambda b: "/admin/login/" not in b.current_url)
    open_queue(desktop, base)
    row = row_of(desktop, "一种中药有效成分提取装置")
    assert (
        "甲企业" in row.text and "ZL202610000001" in row.text and f"授权日期 {granted:%Y-%m-%d}" in row.text
    )
    assert (
        row.find_element(By.LINK_TEXT, "一种中药有效成分提取装置")
        .get_attribute("href")
        .endswith(f"/admin/talent/innovation/{patent.pk}/change/")
    )
    click(desktop, row.find_element(By.CSS_SELECTOR, "button[value=confirm]"))
    shown(desktop, "已确认科技创新“一种中药有效成分提取装置”")
    no_english(desktop)
    patent.refresh_from_db()
    assert (patent.review, patent.reviewed_by) == (Review.CONFIRMED, office)
    assert patents(today.year) == before + 1

    # the contact sees it confirmed
    phone.refresh()
    wait_for(phone, lambda b: "已确认" in b.find_element(By.ID, "patents").text)

    # another is returned with a reason, corrected and resubmitted
    submit_patent(phone, "一种中药饮片炮制设备", "ZL2026", granted)
    open_queue(desktop, base)
    row = row_of(desktop, "一种中药饮片炮制设备")
    row.find_element(By.NAME, "reason").send_keys("专利号不完整，请按证书填写")
    click(desktop, row.find_element(By.CSS_SELECTOR, "button[value=return]"))
    shown(desktop, "已退回科技创新“一种中药饮片炮制设备”")
    returned = Innovation.objects.get(name="一种中药饮片炮制设备")
    assert (returned.review, returned.review_note) == (Review.RETURNED, "专利号不完整，请按证书填写")

    phone.refresh()
    shown(phone, "退回原因：专利号不完整，请按证书填写")
    no_english(phone)
    click(phone, link(phone, "修改后重新提交"))
    field = wait_for(phone, expected_conditions.presence_of_element_located((By.NAME, "patent_number")))
    assert field.get_attribute("value") == "ZL2026" and fits_the_screen(phone)
    no_english(phone)
    field.clear()
    field.send_keys("ZL202610000002")
    click(phone, phone.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    shown(phone, "已修改并重新提交“一种中药饮片炮制设备”，待园区确认")
    returned.refresh_from_db()
    assert (returned.review, returned.patent_number) == (Review.PENDING, "ZL202610000002")
    assert patents(today.year) == before + 1

    open_queue(desktop, base)
    row = row_of(desktop, "一种中药饮片炮制设备")
    assert "上次退回：专利号不完整，请按证书填写" in row.text and "ZL202610000002" in row.text
