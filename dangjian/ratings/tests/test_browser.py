"""The star rating in a real browser: a secretary files the self-assessment (scores entered,
submitted); the zone administrator reviews it and opens the decision; the leader decides; the
zone administrator opens 公示 (dated in the past), sees the 公示 list and names the stars after
the notice's end; the named star shows on the organization's page. No English on these pages."""

import datetime

import pytest

from dangjian.core.testing.browser import By, expected_conditions, wait_for
from dangjian.core.testing.english import english_words
from dangjian.ratings import services
from dangjian.ratings.models import Assessment, AssessmentStatus, CampaignStep, StarRating
from dangjian.testing.factories import PASSWORD, make_user
from dangjian.testing.second_factor import browser_log_in

from .factories import OPEN, campaign, score_all

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_data")]
NOTICE_ON = datetime.date(2025, 12, 1)  # a Monday: the 公示 ended long before today


def body(browser):
    return browser.find_element(By.TAG_NAME, "body").text


def shown(browser, text):
    wait_for(browser, expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "body"), text))


def no_english(browser):
    words = english_words(browser.page_source)
    assert not words, (browser.current_url, words)


def open_page(browser, base, path):
    browser.get(base + path)
    wait_for(browser, expected_conditions.presence_of_element_located((By.TAG_NAME, "h1")))
    no_english(browser)


def take_step(browser, name, label, *, on=None, **fields):
    """Open a step from the record's page (its button may sit in a menu), fill it in and send it."""
    link = browser.find_element(By.CSS_SELECTOR, f"a[href$='/step/{name}/']")
    assert link.get_attribute("textContent").strip() == label
    browser.get(link.get_attribute("href"))
    wait_for(browser, expected_conditions.presence_of_element_located((By.NAME, "on")))
    no_english(browser)
    if on is not None:
        browser.execute_script(
            "arguments[0].value = arguments[1]", browser.find_element(By.NAME, "on"), f"{on:%Y-%m-%d}"
        )
    for name, value in fields.items():
        field = browser.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    browser.find_element(By.NAME, "on").find_element(By.XPATH, "ancestor::form//*[@type='submit']").click()
    shown(browser, f"{label}已记录")


def sign_in(browser, base, user):
    browser.delete_all_cookies()
    browser_log_in(browser, base, "/admin/login/", user, PASSWORD)
    wait_for(browser, lambda b: "/admin/login/" not in b.current_url)


def test_a_campaign_from_self_assessment_to_the_named_star(live_server, desktop, zone):
    base = live_server.url
    c = campaign(zone)
    services.campaign_open_self_assessment(actor=None, campaign=c, on=OPEN)
    mine = Assessment.objects.get(campaign=c, organization=zone.branch_a1)
    others = list(c.assessments.exclude(pk=mine.pk))
    for other in others:  # the other organizations file outside this journey
        services.assessment_save(actor=None, assessment=other, items=score_all(other, self_score=1))
        services.assessment_submit(actor=None, assessment=other, on=OPEN)
    secretary = make_user("secretary", organization=zone.branch_a1)
    zone_admin = make_user("zone_admin", organization=zone.root)
    leader = make_user("leader", organization=zone.root)
    change = f"/admin/ratings/assessment/{mine.pk}/change/"

    # the secretary finds the assessment in the list, enters the self scores and submits
    sign_in(desktop, base, secretary)
    open_page(desktop, base, "/admin/ratings/assessment/")
    desktop.find_element(By.LINK_TEXT, "甲一党支部").click()
    wait_for(desktop, expected_conditions.presence_of_element_located((By.ID, "items")))
    no_english(desktop)
    text = body(desktop)
    assert "系统数据" in text and "查看记录" in text and "三会一课落实率" in text
    entries = list(mine.items.select_related("item"))
    for entry in entries:
        field = desktop.find_element(By.NAME, f"self_score-{entry.pk}")
        field.clear()
        field.send_keys(f"{entry.item.points:g}")
    desktop.find_element(By.NAME, f"self_note-{entries[0].pk}").send_keys("班子成员配备齐全")
    desktop.find_element(By.CSS_SELECTOR, "button[name=_continue]").click()
    shown(desktop, "自评已保存")
    mine.refresh_from_db()
    assert mine.self_score == 100 and mine.status == AssessmentStatus.PENDING
    take_step(desktop, "submit", "提交自评")
    mine.refresh_from_db()
    assert mine.status == AssessmentStatus.SUBMITTED
    assert not desktop.find_elements(By.NAME, f"self_score-{entries[0].pk}")  # read-only now

    # the zone administrator opens the review, scores the items and opens the decision
    sign_in(desktop, base, zone_admin)
    open_page(desktop, base, f"/admin/ratings/campaign/{c.pk}/change/")
    take_step(desktop, "open_review", "结束自评，开启评审")
    open_page(desktop, base, change)
    assert "班子成员配备齐全" in body(desktop)
    for entry in entries:
        field = desktop.find_element(By.NAME, f"review_score-{entry.pk}")
        field.clear()
        field.send_keys(f"{entry.item.points:g}")
    desktop.execute_script(
        "arguments[0].click()",
        desktop.find_element(By.CSS_SELECTOR, f"input[name='review_methods-{entries[0].pk}'][value='site']"),
    )
    desktop.find_element(By.NAME, "review_note").send_keys("材料齐全，现场查看属实")
    desktop.find_element(By.CSS_SELECTOR, "button[name=_continue]").click()
    shown(desktop, "评审已保存")
    mine.refresh_from_db()
    assert (mine.status, mine.review_score, mine.computed_stars) == (AssessmentStatus.REVIEWED, 100, 4)
    for other in Assessment.objects.filter(pk__in=[o.pk for o in others]):
        services.assessment_review(actor=None, assessment=other, items=score_all(other, review=1), on=OPEN)
    open_page(desktop, base, f"/admin/ratings/campaign/{c.pk}/change/")
    take_step(desktop, "open_decision", "结束评审，提交评定")

    # the leader decides this organization's stars, and the rest at their computed stars
    zone_admin_session = desktop.get_cookies()
    sign_in(desktop, base, leader)
    open_page(desktop, base, change)
    take_step(desktop, "decide", "评定星级")
    mine.refresh_from_db()
    assert (mine.status, mine.stars) == (AssessmentStatus.DECIDED, 4)
    open_page(desktop, base, f"/admin/ratings/campaign/{c.pk}/change/")
    take_step(desktop, "decide_all", "按标准评定全部")

    # the zone administrator opens 公示 (dated in the past), sees the list, and names the stars
    # (back in the session of before: a second sign-in within the same half minute would give
    # the same one-time code, which is refused as replayed)
    desktop.delete_all_cookies()
    for cookie in zone_admin_session:
        desktop.add_cookie(cookie)
    open_page(desktop, base, f"/admin/ratings/campaign/{c.pk}/change/")
    take_step(desktop, "open_notice", "开始公示", on=NOTICE_ON)
    c.refresh_from_db()
    assert c.step == CampaignStep.NOTICE and c.notice_end < datetime.date.today()
    assert desktop.find_elements(By.CSS_SELECTOR, f"a[href$='/campaign/{c.pk}/notice/']")
    open_page(desktop, base, f"/admin/ratings/campaign/{c.pk}/notice/")
    row = next(
        r.text for r in desktop.find_elements(By.CSS_SELECTOR, "#notice tbody tr") if "甲一党支部" in r.text
    )
    assert "100" in row and "四星级" in row
    open_page(desktop, base, f"/admin/ratings/campaign/{c.pk}/change/")
    take_step(desktop, "name", "公示期满，命名", document_number="高新党工委〔2025〕12号")
    c.refresh_from_db()
    assert c.step == CampaignStep.NAMED and c.document_number == "高新党工委〔2025〕12号"
    rating = StarRating.objects.get(organization=zone.branch_a1, year=2025)
    assert (rating.stars, rating.score) == (4, 100)

    # the named star on the organization's page, for its secretary too
    sign_in(desktop, base, secretary)
    open_page(desktop, base, f"/admin/organizations/partyorganization/{zone.branch_a1.pk}/change/")
    text = body(desktop)
    assert "评星结果（历年）" in text and "四星级" in text and "2025" in text
    assert str(c.rubric) in text
