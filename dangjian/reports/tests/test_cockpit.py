"""The cockpit and the big screen: the cards and chart points are the registry's figures for the
user's scope, each with the address of its records (the month or filter of the point); computed
once per data version and read from the cache until something changes; the leader lands on it;
who may not read figures is refused."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from dangjian.core.indicators import Period, compute
from dangjian.members.models import MemberCategory
from dangjian.partylife import services as partylife
from dangjian.partylife.models import MeetingKind
from dangjian.reports import cockpit
from dangjian.reports.charts import months
from dangjian.testing.factories import make_member, make_user

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def theme_day(org, day):
    return partylife.meeting_create(
        actor=None, organization=org, kind=MeetingKind.THEME_DAY, held_on=day, theme=f"主题党日{day}"
    )


@pytest.fixture
def records(zone):
    for n in range(3):
        make_member(zone.branch_a1, name=f"甲一党员{n}", category=MemberCategory.FULL)
    make_member(zone.branch_b, name="乙党员", category=MemberCategory.FULL)
    theme_day(zone.branch_a1, datetime.date(THIS_YEAR, 3, 10))
    theme_day(zone.branch_a1, datetime.date(THIS_YEAR, 3, 20))
    theme_day(zone.branch_b, datetime.date(THIS_YEAR, 5, 5))
    return zone


def test_every_card_is_the_registrys_figure_with_its_records(records, zone_admin):
    data = cockpit.compute_cockpit(user=zone_admin, year=THIS_YEAR)
    period = Period.year(THIS_YEAR)
    assert [card["code"] for card in data["cards"]] == [c for c in cockpit.KEY_FIGURES]
    for card in data["cards"]:
        value = compute(card["code"], period=period, user=zone_admin).value
        assert card["value"] == (
            None if value is None else float(value) if not isinstance(value, int) else value
        )
        query = parse_qs(urlparse(card["url"]).query)
        assert urlparse(card["url"]).path == f"/admin/indicators/{card['code']}/"
        assert query["year"] == [str(THIS_YEAR)]
    members = next(card for card in data["cards"] if card["code"] == "members.total")
    assert members["text"] == "4名"


def test_each_months_point_is_the_figure_of_that_month_and_opens_it(records, zone_admin):
    chart = cockpit.compute_cockpit(user=zone_admin, year=THIS_YEAR)["charts"]["meetings"]
    theme_days = next(series for series in chart["series"] if series["code"] == "meetings.theme_days")
    assert theme_days["data"][2] == 2 and theme_days["data"][4] == 1 and sum(theme_days["data"]) == 3
    for number, month in enumerate(months(THIS_YEAR), 1):
        assert (
            theme_days["data"][number - 1]
            == compute("meetings.theme_days", period=month, user=zone_admin).value
        )
    assert parse_qs(urlparse(theme_days["urls"][2]).query)["month"] == ["3"]


def test_the_cockpit_of_a_secretary_holds_only_their_subtree(records):
    secretary = make_user("secretary", organization=records.committee_a)
    data = cockpit.compute_cockpit(user=secretary, year=THIS_YEAR)
    members = next(card for card in data["cards"] if card["code"] == "members.total")
    assert members["value"] == 3
    subtrees = data["charts"]["subtrees"]
    assert subtrees["labels"] == ["甲一党支部", "甲二党支部"]
    assert cockpit.scope_of(secretary, records.branch_b.pk) is None  # another's: their own scope
    assert cockpit.scope_of(secretary, "x") is None
    assert cockpit.scope_of(secretary, records.branch_a1.pk) == records.branch_a1


def test_the_cockpit_is_computed_once_until_something_changes(records, zone_admin, monkeypatch):
    calls = []
    real = cockpit.compute_cockpit

    def counted(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(cockpit, "compute_cockpit", counted)
    first = cockpit.cockpit(user=zone_admin, year=THIS_YEAR)
    again = cockpit.cockpit(user=zone_admin, year=THIS_YEAR)
    assert len(calls) == 1 and first == again
    theme_day(records.branch_b, datetime.date(THIS_YEAR, 5, 6))
    fresh = cockpit.cockpit(user=zone_admin, year=THIS_YEAR)
    assert len(calls) == 2
    theme_days = next(s for s in fresh["charts"]["meetings"]["series"] if s["code"] == "meetings.theme_days")
    assert theme_days["data"][4] == 2
    other = make_user("secretary", organization=records.committee_a)
    cockpit.cockpit(user=other, year=THIS_YEAR)
    assert len(calls) == 3  # another scope of grants: its own figures


def test_a_sign_in_a_reveal_or_an_export_is_no_change_of_data(records, zone_admin, monkeypatch):
    from dangjian.audit.models import AuditEntry
    from dangjian.audit.services import audit_record, audit_reveal
    from dangjian.members.models import Member

    calls = []
    real = cockpit.compute_cockpit
    monkeypatch.setattr(cockpit, "compute_cockpit", lambda **kw: calls.append(kw) or real(**kw))
    cockpit.cockpit(user=zone_admin, year=THIS_YEAR)
    version = cockpit.data_version()
    audit_record(AuditEntry.Action.LOGIN, obj=zone_admin, user=zone_admin, message="登录成功")
    audit_reveal(user=zone_admin, fields=["公民身份号码"], obj=Member.objects.first())
    audit_record(AuditEntry.Action.EXPORT, model=Member, user=zone_admin, message="导出台账")
    assert cockpit.data_version() == version
    cockpit.cockpit(user=zone_admin, year=THIS_YEAR)
    assert len(calls) == 1
    theme_day(records.branch_b, datetime.date(THIS_YEAR, 6, 1))
    assert cockpit.data_version() > version
    cockpit.cockpit(user=zone_admin, year=THIS_YEAR)
    assert len(calls) == 2


def test_the_year_against_last_year_and_the_target(records, zone_admin):
    from dangjian.investment.models import AnnualTarget

    AnnualTarget.objects.create(year=THIS_YEAR, events=4)
    make_member(
        records.branch_b,
        name="新党员",
        category=MemberCategory.PROBATIONARY,
        joined=datetime.date(THIS_YEAR, 1, 5),
    )
    data = cockpit.compute_cockpit(user=zone_admin, year=THIS_YEAR)
    events = next(card for card in data["cards"] if card["code"] == "investment.events")
    assert (events["target"], events["target_share"]) == ("4场", 0.0)
    members = next(card for card in data["cards"] if card["code"] == "members.total")
    assert (members["text"], members["last_year"], members["change"]) == ("5名", "4名", "+1名")
    rate = next(card for card in data["cards"] if card["code"] == "meetings.compliance_rate")
    assert rate["change"] is None or rate["change"].endswith("个百分点")


def test_the_leader_lands_on_the_cockpit_and_reaches_the_dashboard(client, records):
    leader = make_user("leader", organization=records.root)
    client.force_login(leader)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == "/admin/cockpit/"
    page = client.get("/admin/cockpit/")
    assert page.status_code == 200
    text = text_of(page)
    assert "驾驶舱" in text and "党员总数" in text and "4名" in text
    assert client.get("/admin/?dashboard=1").status_code == 200


def test_the_big_screen_and_its_refresh_answer_the_same_figures(client, records, zone_admin):
    client.force_login(zone_admin)
    screen = client.get("/admin/screen/")
    assert screen.status_code == 200
    assert "党建引领发展大屏" in text_of(screen) and "/static/reports/screen.css" in screen.content.decode()
    data = client.get("/admin/cockpit/data/").json()
    assert data == cockpit.cockpit(user=zone_admin, year=THIS_YEAR)


def test_who_may_not_read_figures_is_refused(client, records):
    client.force_login(make_user("cadre"))
    for address in ("/admin/cockpit/", "/admin/screen/", "/admin/cockpit/data/", "/admin/summary/"):
        assert client.get(address).status_code == 403, address


def test_a_bad_year_or_scope_is_the_users_whole_scope_this_year(client, records, zone_admin):
    client.force_login(zone_admin)
    data = client.get("/admin/cockpit/data/?year=abc&scope=zz").json()
    assert (data["year"], data["scope"]) == (THIS_YEAR, None)


def test_a_chart_points_records_are_the_months_and_the_filters(client, records, zone_admin):
    client.force_login(zone_admin)
    march = client.get(f"/admin/indicators/meetings.theme_days/?year={THIS_YEAR}&month=3")
    assert march.status_code == 200
    assert f"主题党日{THIS_YEAR}-03-10" in text_of(march) and f"主题党日{THIS_YEAR}-05-05" not in text_of(
        march
    )
    assert f"{THIS_YEAR}-03-01 至 {THIS_YEAR}-03-31" in text_of(march)
    filtered = client.get(f"/admin/indicators/problems.solved/?year={THIS_YEAR}&问题来源=政银企对接")
    assert filtered.status_code == 200 and "问题来源：政银企对接" in text_of(filtered)
