"""An investment project in a real browser: the zone administrator records a lead (investor,
industry, team), finds it in the list, moves it to 洽谈, signs it with its day and amount, adds a
tranche of funds in place, carries it into 项目包抓, opens the key project from the link and comes
back by the key project's link. No English on these pages."""

import datetime
from decimal import Decimal

import pytest

from dangjian.core.testing.browser import By, expected_conditions, wait_for
from dangjian.core.testing.english import english_words
from dangjian.investment.models import FundTranche, InvestmentProject, Stage
from dangjian.testing.factories import PASSWORD, make_user
from dangjian.testing.second_factor import browser_log_in

from . import factories as f

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_data")]
NAME = "高端医疗器械生产基地项目"


def text_of(browser):
    # the page's text read in the page: a node held across a navigation can fail in Chromium
    return browser.execute_script("return document.body ? document.body.innerText : ''") or ""


def shown(browser, text):
    wait_for(browser, lambda b: text in text_of(b))


def no_english(browser):
    words = english_words(browser.page_source)
    assert not words, (browser.current_url, words)


def open_page(browser, address):
    browser.get(address)
    wait_for(browser, expected_conditions.presence_of_element_located((By.TAG_NAME, "h1")))
    no_english(browser)


def set_value(browser, name, value):
    """A field's value set as the page would (a date field's picker is not driven)."""
    field = browser.find_element(By.NAME, name)
    browser.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))", field, value
    )


def choose(browser, name, label):
    """Pick the option shown as `label` in the select `name`."""
    select = browser.find_element(By.NAME, name)
    option = next(o for o in select.find_elements(By.TAG_NAME, "option") if o.text.strip() == label)
    browser.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))",
        select,
        option.get_attribute("value"),
    )


def follow(browser, link):
    """Click a link on the page (one under the form's sticky bar is scrolled into view first)."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    browser.execute_script("arguments[0].click()", link)


def take_step(browser, name, label, **fields):
    """Open a step from the project's page by its button, fill it in and send it."""
    link = browser.find_element(By.CSS_SELECTOR, f"a[href$='/step/{name}/']")
    assert link.get_attribute("textContent").strip() == label
    browser.get(link.get_attribute("href"))
    confirm = (By.XPATH, "//form[@method='post']//button[@type='submit'][normalize-space()='确定']")
    wait_for(browser, expected_conditions.presence_of_element_located(confirm))
    no_english(browser)
    for field, value in fields.items():
        set_value(browser, field, value)
    browser.find_element(*confirm).click()
    shown(browser, "已记录")
    no_english(browser)


def test_a_lead_from_its_record_to_the_key_project_and_back(live_server, desktop, zone):
    base = live_server.url
    team = f.team("生物医药招商小分队")
    f.cluster("生物医药")
    zone_admin = make_user("zone_admin", organization=zone.root)
    browser_log_in(desktop, base, "/admin/login/", zone_admin, PASSWORD)
    wait_for(desktop, lambda b: "/admin/login/" not in b.current_url)

    # the lead, with its investor, industry and team
    open_page(desktop, f"{base}/admin/investment/investmentproject/add/")
    desktop.find_element(By.NAME, "name").send_keys(NAME)
    desktop.find_element(By.NAME, "investor").send_keys("甲医疗科技有限公司")
    choose(desktop, "cluster", "生物医药")
    choose(desktop, "team", team.name)
    set_value(desktop, "recorded_on", "2026-01-05")
    desktop.find_element(By.NAME, "_save").click()
    wait_for(desktop, lambda b: b.current_url.rstrip("/").endswith("/investmentproject"))
    project = InvestmentProject.objects.get(name=NAME)
    assert (project.investor, project.cluster.name, project.team, project.stage) == (
        "甲医疗科技有限公司",
        "生物医药",
        team,
        Stage.LEAD,
    )

    # listed; its page opens from the list
    no_english(desktop)
    row = next(r for r in desktop.find_elements(By.CSS_SELECTOR, "#result_list tbody tr") if NAME in r.text)
    assert "甲医疗科技有限公司" in row.text and "线索" in row.text and team.name in row.text
    desktop.find_element(By.LINK_TEXT, NAME).click()
    wait_for(
        desktop,
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "a[href$='/step/advance/']")),
    )
    no_english(desktop)

    # 洽谈, then 签约 with its day and amount
    take_step(desktop, "advance", "转入洽谈", on="2026-02-01")
    project.refresh_from_db()
    assert (project.stage, project.negotiating_on) == (Stage.NEGOTIATING, datetime.date(2026, 2, 1))
    take_step(desktop, "advance", "转入签约", on="2026-03-02", signed_amount="15000")
    project.refresh_from_db()
    assert (project.stage, project.signed_on, project.signed_amount) == (
        Stage.SIGNED,
        datetime.date(2026, 3, 2),
        Decimal("15000"),
    )
    assert "签约金额 15000 万元" in text_of(desktop)

    # a tranche of funds in place, added in its row on the page
    group = desktop.find_element(By.ID, "tranches-group")
    add = next(
        a
        for a in group.find_elements(By.CSS_SELECTOR, "a, button")
        if "添加" in a.get_attribute("textContent")
    )
    desktop.execute_script("arguments[0].click()", add)
    wait_for(desktop, lambda b: b.find_elements(By.NAME, "tranches-0-amount"))
    set_value(desktop, "tranches-0-received_on", "2026-04-01")
    desktop.find_element(By.NAME, "tranches-0-amount").send_keys("3000")
    desktop.find_element(By.NAME, "tranches-0-evidence_note").send_keys("银行进账单")
    desktop.find_element(By.NAME, "_continue").click()
    shown(desktop, "成功")
    tranche = FundTranche.objects.get(project=project)
    assert (tranche.received_on, tranche.amount) == (datetime.date(2026, 4, 1), Decimal("3000"))
    assert "银行进账单" in text_of(desktop) and "3,000" in text_of(desktop)
    no_english(desktop)

    # carried into 项目包抓: the key project opens from the link, and links back
    take_step(desktop, "carry", "转入重点项目")
    project.refresh_from_db()
    key = project.key_project
    assert key is not None and key.name == NAME
    assert not desktop.find_elements(By.CSS_SELECTOR, "a[href$='/step/carry/']")
    follow(desktop, desktop.find_element(By.CSS_SELECTOR, f"a[href$='/projects/project/{key.pk}/change/']"))
    wait_for(desktop, lambda b: f"/projects/project/{key.pk}/change/" in b.current_url)
    shown(desktop, "来源招商项目")
    no_english(desktop)
    back = desktop.find_element(
        By.CSS_SELECTOR, f"a[href$='/investment/investmentproject/{project.pk}/change/']"
    )
    assert back.text.strip() == NAME
    follow(desktop, back)
    wait_for(desktop, lambda b: f"/investmentproject/{project.pk}/change/" in b.current_url)
    shown(desktop, "转入重点项目")
    no_english(desktop)
