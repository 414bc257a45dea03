"""The talent office's work in a real browser: it records a talent with an ID number on the
back office's add page, sees the number masked on the talent's page, reveals it (the reveal is in
the audit log), and finds the talent with the platform and the incubation the enterprise has on
the enterprise's own page. No English on these pages."""

import pytest

from dangjian.audit.models import AuditEntry
from dangjian.core.crypto import mask_id_number
from dangjian.core.testing.browser import By, expected_conditions, wait_for
from dangjian.core.testing.english import english_words
from dangjian.talent import services
from dangjian.talent.models import PlatformKind, Talent
from dangjian.talent.tests import factories as f
from dangjian.testing.factories import PASSWORD, make_user
from dangjian.testing.second_factor import browser_log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_data")]
ID_NUMBER = "11010519491231002X"


def text_of(browser):
    return browser.execute_script("return document.body ? document.body.innerText : ''") or ""


def shown(browser, text):
    wait_for(browser, lambda b: text in text_of(b))


def no_english(browser):
    words = english_words(browser.page_source)
    assert not words, (browser.current_url, words)


def set_value(browser, name, value):
    field = browser.find_element(By.NAME, name)
    browser.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))", field, value
    )


def click(browser, element):
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    browser.execute_script("arguments[0].click()", element)


def test_the_office_records_a_talent_reveals_the_number_and_sees_the_enterprises_records(
    live_server, desktop, zone
):
    base = live_server.url
    office = make_user("talent_staff", organization=zone.root)
    incubator = f.platform("商洛高新区科技企业孵化器", kind=PlatformKind.INCUBATOR, host="乙企业")
    services.incubation_save(actor=None, platform=incubator, enterprise=zone.enterprise_b)

    browser_log_in(desktop, base, "/admin/login/", office, PASSWORD)
    wait_for(desktop, lambda b: "/admin/login/" not in b.current_url)
    desktop.get(f"{base}/admin/talent/talent/add/")
    wait_for(desktop, expected_conditions.presence_of_element_located((By.NAME, "name")))
    no_english(desktop)
    desktop.find_element(By.NAME, "name").send_keys("陈思远")
    desktop.find_element(By.NAME, "id_number").send_keys(ID_NUMBER)
    set_value(desktop, "category", "leading")
    set_value(desktop, "source", "introduced")
    desktop.find_element(By.NAME, "employer").send_keys("乙企业")
    set_value(desktop, "intake_on", "2025-03-01")
    click(desktop, desktop.find_element(By.CSS_SELECTOR, "button[name=_continue], input[name=_continue]"))
    wait_for(desktop, lambda b: "/change/" in b.current_url)

    talent = Talent.objects.get(name="陈思远")
    assert talent.enterprise == zone.enterprise_b  # the employer names the enterprise
    page = text_of(desktop)
    assert mask_id_number(ID_NUMBER) in page and ID_NUMBER not in desktop.page_source
    no_english(desktop)

    click(desktop, wait_for(desktop, lambda b: b.find_element(By.PARTIAL_LINK_TEXT, "查看完整号码")))
    wait_for(desktop, expected_conditions.presence_of_element_located((By.NAME, "purpose")))
    purpose = desktop.find_element(By.NAME, "purpose")
    purpose.send_keys("核对人才补贴")
    click(desktop, purpose.find_element(By.XPATH, "./ancestor::form//button[@type='submit']"))
    shown(desktop, "本次查看已记入审计日志")
    assert desktop.find_element(By.ID, "revealed-id").text == ID_NUMBER
    no_english(desktop)
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL, object_id=str(talent.pk)).get()
    assert entry.actor == office and "核对人才补贴" in entry.message

    desktop.get(f"{base}/admin/enterprises/enterprise/{zone.enterprise_b.pk}/change/")
    panels = wait_for(desktop, lambda b: b.find_element(By.ID, "change-panels"))
    assert "陈思远" in panels.text and "商洛高新区科技企业孵化器" in panels.text
    assert ID_NUMBER not in desktop.page_source
    no_english(desktop)
