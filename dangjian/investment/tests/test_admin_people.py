"""The back office of investment teams, people, events and targets, and the warnings and pace
page: each page opens for whom it is for (a team member only for their own team), the child
records show, 离任 is taken through the page, and the page's numbers are those of the selectors."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core.testing.english import english_words
from dangjian.investment import services
from dangjian.investment.admin import people as people_admin
from dangjian.investment.models import (
    AnnualTarget,
    EventForm,
    EventPhoto,
    InvestmentPerson,
    PersonRole,
    Team,
)
from dangjian.investment.tests import factories as f
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db

D = datetime.date


def url(name, *args):
    return reverse(f"admin:{name}", args=args)


def page(client, address, status=200):
    response = client.get(address)
    assert response.status_code == status, (address, response.status_code)
    if status != 200:
        return response
    text = response.content.decode()
    assert not english_words(text), (address, english_words(text))
    return text


@pytest.fixture
def leader(zone):
    return make_user("leader", organization=zone.root)


@pytest.fixture
def world(zone):
    """Two teams; the first with a leader, a member in post and one departed; an event of each."""
    first, second = f.team("第一招商小分队"), f.team("第二招商小分队")
    captain = f.person(
        "王队长", role=PersonRole.LEADER, team=first, appointed_on=D(2024, 1, 1), phone="13800138000"
    )
    member = f.person("李队员", role=PersonRole.MEMBER, team=first, appointed_on=D(2024, 3, 1))
    gone = f.person(
        "赵队员",
        role=PersonRole.MEMBER,
        team=first,
        appointed_on=D(2024, 1, 1),
        left_on=D(2025, 6, 30),
        left_reason="调离",
    )
    other = f.person("钱队员", role=PersonRole.MEMBER, team=second, appointed_on=D(2024, 1, 1))
    ambassador = f.person("孙大使", covers="深圳", appointed_on=D(2025, 1, 1))
    event = f.event(team=first, participants=[captain, member], city="深圳")
    other_event = f.event(
        "苏州推介会", held_on=D(2025, 8, 1), team=second, form=EventForm.PROMOTION, city="苏州"
    )
    lead = f.project("生物医药研发中心项目", team=first, source_event=event)
    return {
        "first": first,
        "second": second,
        "captain": captain,
        "member": member,
        "gone": gone,
        "other": other,
        "ambassador": ambassador,
        "event": event,
        "other_event": other_event,
        "lead": lead,
    }


# -- pages open -------------------------------------------------------------------------------------
def test_every_page_opens_for_the_zone_admin_and_the_leader(client, world, zone_admin, leader):
    AnnualTarget.objects.create(year=2025, events=10, signings=4, funds=Decimal("5000"))
    target = AnnualTarget.objects.get()
    for user in (zone_admin, leader):
        client.force_login(user)
        for address in (
            url("investment_team_changelist"),
            url("investment_team_change", world["first"].pk),
            url("investment_investmentperson_changelist"),
            url("investment_investmentperson_change", world["captain"].pk),
            url("investment_investmentperson_change", world["ambassador"].pk),
            url("investment_investmentevent_changelist"),
            url("investment_investmentevent_change", world["event"].pk),
            url("investment_annualtarget_changelist"),
            url("investment_annualtarget_change", target.pk),
            url("investment_overview"),
        ):
            page(client, address)
    client.force_login(zone_admin)
    for address in (
        url("investment_team_add"),
        url("investment_investmentperson_add"),
        url("investment_investmentevent_add"),
        url("investment_annualtarget_add"),
    ):
        page(client, address)
    text = page(client, "/admin/")
    for title in ("招商小分队", "招商人员", "招商活动", "年度招商目标", "招商预警与目标进度"):
        assert title in text


def test_the_leader_reads_but_does_not_change(client, world, leader):
    client.force_login(leader)
    text = page(client, url("investment_investmentperson_change", world["captain"].pk))
    assert 'name="name"' not in text and "王队长" in text
    assert "*******8000" in text and "13800138000" not in text  # read-only: the phone masked
    assert "登记离任" not in text
    page(client, url("investment_team_add"), 403)
    assert (
        client.post(url("investment_investmentperson_step", world["captain"].pk, "leave")).status_code == 403
    )


def test_a_team_member_sees_only_their_own_team(client, world):
    member = world["member"].user
    client.force_login(member)
    text = page(client, url("investment_team_changelist"))
    assert "第一招商小分队" in text and "第二招商小分队" not in text
    page(client, url("investment_team_change", world["first"].pk))
    page(client, url("investment_team_change", world["second"].pk), 404)
    text = page(client, url("investment_investmentperson_changelist"))
    assert "王队长" in text and "钱队员" not in text and "第二招商小分队" not in text
    page(client, url("investment_investmentperson_change", world["captain"].pk))
    page(client, url("investment_investmentperson_change", world["other"].pk), 404)
    text = page(client, url("investment_investmentevent_changelist"))
    assert "深圳生物医药招商对接会" in text and "苏州推介会" not in text and "第二招商小分队" not in text
    text = page(client, url("investment_investmentevent_change", world["event"].pk))
    assert 'name="name"' in text  # their team's event they may change
    page(client, url("investment_investmentevent_change", world["other_event"].pk), 404)
    page(client, url("investment_overview"))
    page(client, url("investment_annualtarget_changelist"), 403)


# -- the team -------------------------------------------------------------------------------------
def test_the_team_list_counts_without_a_query_per_row(client, world, zone_admin):
    for n in range(5):
        f.team(f"第{n + 3}小分队")
    client.force_login(zone_admin)
    text = page(client, url("investment_team_changelist"))
    assert "王队长" in text
    response = client.get(url("investment_team_changelist"))
    rows = {team.pk: team for team in response.context["cl"].result_list}
    first = rows[world["first"].pk]
    assert (first.leader_now, first.members_now, first.events_total, first.projects_total) == (
        "王队长",
        1,
        1,
        1,
    )
    second = rows[world["second"].pk]
    assert (second.leader_now, second.members_now, second.events_total, second.projects_total) == (
        None,
        1,
        1,
        0,
    )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("investment_team_changelist")).status_code == 200
        # the session's refresh is not the list's
        return [
            q
            for q in captured.captured_queries
            if "SAVEPOINT" not in q["sql"] and "django_session" not in q["sql"]
        ]

    before = len(queries())
    for n in range(10):
        f.team(f"第{n + 10}小分队")
    assert len(queries()) == before


def test_the_team_page_shows_its_people_events_and_projects(client, world, zone_admin):
    client.force_login(zone_admin)
    text = page(client, url("investment_team_change", world["first"].pk))
    for shown in (
        "王队长",
        "李队员",
        "赵队员",
        "2025年6月30日",
        "调离",
        "深圳生物医药招商对接会",
        "生物医药研发中心项目",
    ):
        assert shown in text, shown
    assert "钱队员" not in text
    assert url("investment_investmentperson_change", world["gone"].pk) in text
    assert url("investment_investmentevent_change", world["event"].pk) in text


def test_a_team_is_saved_through_the_page(client, zone, zone_admin):
    client.force_login(zone_admin)
    response = client.post(url("investment_team_add"), {"name": "第三招商小分队", "focus": "新能源"})
    assert response.status_code == 302
    assert Team.objects.get(name="第三招商小分队").focus == "新能源"


def test_a_team_still_referred_to_is_not_deleted_and_says_why(client, world, zone_admin):
    client.force_login(zone_admin)
    team = world["first"]
    response = client.post(url("investment_team_delete", team.pk), {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert Team.objects.filter(pk=team.pk).exists()
    text = response.content.decode()
    assert "不能删除" in text or "受保护" in text
    empty = f.team("空小分队")
    response = client.post(url("investment_team_delete", empty.pk), {"post": "yes"})
    assert response.status_code == 302 and not Team.objects.filter(pk=empty.pk).exists()


# -- people ---------------------------------------------------------------------------------------
def test_the_people_list_answers_who_was_in_post_on_a_day(client, world, zone_admin):
    client.force_login(zone_admin)
    base = url("investment_investmentperson_changelist")

    def names(query):
        response = client.get(f"{base}?{query}")
        assert response.status_code == 200
        return {p.name for p in response.context["cl"].result_list}

    everyone = {"王队长", "李队员", "赵队员", "钱队员", "孙大使"}
    assert names("") == everyone
    assert names("in_post=yes") == everyone - {"赵队员"}
    assert names("in_post=no") == {"赵队员"}
    # a departure takes effect on its day: in post on 29 June, not on 30 June
    assert "赵队员" in names("in_post_on=2025-06-29")
    assert "赵队员" not in names("in_post_on=2025-06-30")
    # appointed on 1 January 2025: not on 31 December 2024, in post on 1 January
    assert "孙大使" not in names("in_post_on=2024-12-31")
    assert "孙大使" in names("in_post_on=2025-01-01")
    assert names("in_post_on=2025-12-31") == everyone - {"赵队员"}
    assert names("role=ambassador") == {"孙大使"}
    assert names(f"team__id__exact={world['second'].pk}") == {"钱队员"}
    response = client.get(f"{base}?in_post_on=2025-13-45")
    assert response.status_code in (200, 302)  # a bad day is refused, never a 500
    text = page(client, base)
    assert "聘期截止" in text and "在任于某日" in text


def test_the_person_page_masks_the_phone_and_shows_account_grant_and_events(client, world, zone_admin):
    client.force_login(zone_admin)
    captain = world["captain"]
    text = page(client, url("investment_investmentperson_change", captain.pk))
    assert "13800138000" not in text and "*******8000" in text
    assert captain.user.username in text
    assert "招商人员" in text and "2024-01-01" in text  # the grant: its role and from when
    assert "深圳生物医药招商对接会" in text
    assert url("investment_investmentevent_change", world["event"].pk) in text
    assert "登记离任" in text


def test_a_person_is_saved_through_the_page_and_the_phone_kept_when_left_empty(client, world, zone_admin):
    client.force_login(zone_admin)
    captain = world["captain"]
    data = {
        "name": "王队长",
        "role": PersonRole.LEADER,
        "team": world["first"].pk,
        "unit": "园区招商局",
        "covers": "长三角",
        "phone": "",
        "appointed_on": "2024-01-01",
        "term_until": "",
        "cadre": "",
        "organization": "",
        "note": "",
    }
    response = client.post(url("investment_investmentperson_change", captain.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    captain.refresh_from_db()
    assert captain.covers == "长三角" and captain.phone == "13800138000"
    response = client.post(
        url("investment_investmentperson_add"),
        {**data, "name": "周大使", "role": PersonRole.AMBASSADOR, "team": "", "phone": "12"},
    )
    assert response.status_code in (200, 302)  # refused in Chinese, on the form or as a message
    assert not InvestmentPerson.objects.filter(name="周大使").exists()


def test_leaving_is_taken_through_the_page(client, world, zone_admin):
    client.force_login(zone_admin)
    member = world["member"]
    step = url("investment_investmentperson_step", member.pk, "leave")
    page(client, step)
    response = client.post(step, {"on": "2025-12-31", "reason": "调任"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_on == D(2025, 12, 31) and member.left_reason == "调任"
    assert member.grant.valid_until == D(2025, 12, 30)
    # once gone, a second departure is refused in Chinese, nothing changed
    response = client.post(step, {"on": "2026-01-31", "reason": "再次"})
    assert response.status_code == 200 and "已于 2025-12-31 离任" in response.content.decode()
    member.refresh_from_db()
    assert member.left_on == D(2025, 12, 31)
    # a departure before the appointment is refused
    other = world["other"]
    response = client.post(
        url("investment_investmentperson_step", other.pk, "leave"), {"on": "2023-12-31", "reason": ""}
    )
    assert response.status_code == 200 and "离任日期不能早于聘任日期" in response.content.decode()
    assert InvestmentPerson.objects.get(pk=other.pk).left_on is None


# -- events ---------------------------------------------------------------------------------------
def test_the_event_list_counts_participants_and_leads_and_filters(client, world, zone_admin):
    client.force_login(zone_admin)
    base = url("investment_investmentevent_changelist")
    response = client.get(base)
    rows = {e.pk: e for e in response.context["cl"].result_list}
    assert (rows[world["event"].pk].participants_total, rows[world["event"].pk].leads_total) == (2, 1)
    assert (rows[world["other_event"].pk].participants_total, rows[world["other_event"].pk].leads_total) == (
        0,
        0,
    )
    f.event("往年对接会", held_on=D(2024, 12, 31), team=world["first"])
    for query, expected in (
        ("year=2025", {"深圳生物医药招商对接会", "苏州推介会"}),
        ("year=2024", {"往年对接会"}),
        ("form=promotion", {"苏州推介会"}),
        ("city=深圳", {"深圳生物医药招商对接会"}),
        (f"team__id__exact={world['second'].pk}", {"苏州推介会"}),
    ):
        response = client.get(f"{base}?{query}")
        assert {e.name for e in response.context["cl"].result_list} == expected, query
    assert client.get(f"{base}?year=abc").status_code in (200, 302)
    page(client, base)


def test_the_event_page_shows_participants_photos_and_leads(client, world, zone_admin):
    client.force_login(zone_admin)
    event = world["event"]
    text = page(client, url("investment_investmentevent_change", event.pk))
    assert "生物医药研发中心项目" in text and "由本活动获得的线索" in text
    assert "活动照片" in text
    # 登记线索 opens the project form with the event and its team filled in
    add = url("investment_investmentproject_add")
    assert f"{add}?source_event={event.pk}&amp;team={world['first'].pk}" in text


def _event_data(event, **values):
    data = {
        "name": event.name,
        "held_on": f"{event.held_on:%Y-%m-%d}",
        "city": event.city,
        "form": event.form,
        "team": event.team_id or "",
        "participants": [p.pk for p in event.participants.all()],
        "other_participants": "",
        "met": "",
        "note": "",
        "organization": "",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        "leads-TOTAL_FORMS": "0",
        "leads-INITIAL_FORMS": "0",
        "leads-MIN_NUM_FORMS": "0",
        "leads-MAX_NUM_FORMS": "1000",
    }
    data.update(values)
    return data


def test_participants_not_in_post_that_day_are_refused(client, world, zone_admin):
    client.force_login(zone_admin)
    event = world["event"]  # 10 May 2025
    gone = world["gone"]  # left 30 June 2025: in post that day
    response = client.post(
        url("investment_investmentevent_change", event.pk),
        _event_data(event, participants=[world["captain"].pk, gone.pk]),
    )
    assert response.status_code == 302
    assert set(event.participants.values_list("name", flat=True)) == {"王队长", "赵队员"}
    late = f.event("年末对接会", held_on=D(2025, 12, 31), team=world["first"])
    response = client.post(
        url("investment_investmentevent_change", late.pk),
        _event_data(late, participants=[gone.pk]),
        follow=True,
    )
    assert "不在招商人员任上" in response.content.decode()
    assert not late.participants.exists()


def test_a_photo_is_added_and_removed_through_the_page(client, world, zone_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(zone_admin)
    event = world["event"]
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff\xe0photo", content_type="image/jpeg")
    data = _event_data(
        event,
        **{"photos-TOTAL_FORMS": "1", "photos-0-caption": "签约现场", "photos-0-file": photo},
    )
    response = client.post(url("investment_investmentevent_change", event.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = EventPhoto.objects.get(event=event)
    assert saved.caption == "签约现场"
    data = _event_data(
        event,
        **{
            "photos-TOTAL_FORMS": "1",
            "photos-INITIAL_FORMS": "1",
            "photos-0-id": saved.pk,
            "photos-0-event": event.pk,
            "photos-0-caption": "签约现场",
            "photos-0-DELETE": "on",
        },
    )
    response = client.post(url("investment_investmentevent_change", event.pk), data)
    assert response.status_code == 302
    assert not EventPhoto.objects.filter(event=event).exists()


def test_a_team_member_may_not_pick_another_teams_people(client, world):
    client.force_login(world["member"].user)
    event = world["event"]
    text = page(client, url("investment_investmentevent_change", event.pk))
    assert "钱队员" not in text
    response = client.post(
        url("investment_investmentevent_change", event.pk),
        _event_data(event, participants=[world["other"].pk]),
    )
    assert response.status_code == 200  # not a choice: a form error
    assert not event.participants.filter(pk=world["other"].pk).exists()


# -- the yearly targets --------------------------------------------------------------------------
def test_a_target_is_saved_through_the_configuration_service(client, zone, zone_admin):
    client.force_login(zone_admin)
    response = client.post(
        url("investment_annualtarget_add"), {"year": "2025", "events": "12", "signings": "3"}
    )
    assert response.status_code == 302
    assert AnnualTarget.objects.get(year=2025).events == 12
    response = client.post(url("investment_annualtarget_add"), {"year": "1999", "events": "1"})
    assert response.status_code == 200 and "年度应为 2000 至 2100 之间的年份" in response.content.decode()


# -- 招商预警与目标进度 ------------------------------------------------------------------------------
@pytest.fixture
def year_2025(world):
    AnnualTarget.objects.create(year=2025, events=4, signings=2, funds=Decimal("1000"))
    f.signed("甲项目", on=D(2025, 3, 1), team=world["first"], cluster=f.cluster("生物医药"))
    p = f.signed("乙项目", on=D(2025, 12, 31), investor="乙公司", cluster=f.cluster("新材料"))
    services.tranche_add(actor=None, project=p, received_on=D(2025, 12, 31), amount=Decimal("250"))
    f.signed("丙项目", on=D(2026, 1, 1), investor="丙公司")
    return world


def _overview(client, query="", today=None, monkeypatch=None):
    if today is not None:
        monkeypatch.setattr(people_admin, "_today", lambda: today)
    response = client.get(url("investment_overview") + (f"?{query}" if query else ""))
    assert response.status_code == 200
    assert not english_words(response.content.decode())
    return response


def test_the_overview_puts_the_targets_beside_what_is_done(client, year_2025, zone_admin, monkeypatch):
    client.force_login(zone_admin)
    response = _overview(client, "year=2025", D(2025, 7, 2), monkeypatch)
    pace = {
        row.label: (row.target, row.done, row.done_share, row.year_share, row.behind)
        for row, *_ in response.context["pace"]
    }
    # 2 July 2025 is the 183rd of 365 days: 50.1% of the year gone
    assert pace["招商对接场次"] == (4, 1, Decimal("25.0"), Decimal("50.1"), True)
    assert pace["签约项目数"] == (2, 2, Decimal("100.0"), Decimal("50.1"), False)
    assert pace["到位资金"] == (Decimal("1000"), Decimal("250"), Decimal("25.0"), Decimal("50.1"), True)
    text = response.content.decode()
    assert "落后于进度" in text and "50.1%" in text
    # the year's last day counts fully; the signing on 1 January 2026 is the next year's
    assert dict(response.context["clusters"]) == {"生物医药": 1, "新材料": 1}
    response = _overview(client, "year=2026", D(2026, 1, 1), monkeypatch)
    assert dict(response.context["clusters"]) == {"未分类": 1}
    assert {row.label: row.year_share for row, *_ in response.context["pace"]}["签约项目数"] == Decimal("0.3")
    assert all(row.target is None and not row.behind for row, *_ in response.context["pace"])
    assert "未设目标" in response.content.decode()


def test_the_overview_shows_the_warnings_and_the_pipeline(client, year_2025, zone_admin, monkeypatch):
    client.force_login(zone_admin)
    # the lead recorded on 6 January 2025 with no follow-up: 30 days on 5 February is the limit
    response = _overview(client, "year=2025", D(2025, 2, 4), monkeypatch)
    assert "生物医药研发中心项目" not in [w.project.name for w, _ in response.context["warnings"]]
    response = _overview(client, "year=2025", D(2025, 2, 5), monkeypatch)
    warned = {w.project.name: (w.code, link) for w, link in response.context["warnings"]}
    assert warned["生物医药研发中心项目"][0] == "stale_lead"
    # signed 1 March 2025, not started: the warning on 1 September 2025, not the day before
    response = _overview(client, "year=2025", D(2025, 8, 31), monkeypatch)
    assert "甲项目" not in {w.project.name for w, _ in response.context["warnings"]}
    response = _overview(client, "year=2025", D(2025, 9, 1), monkeypatch)
    warned = {w.project.name: (w.code, link) for w, link in response.context["warnings"]}
    assert warned["甲项目"][0] == "not_started"
    stages = {label: count for _code, label, count in response.context["stages"]}
    assert stages["线索"] == 1 and stages["签约"] == 3 and stages["终止"] == 0
    assert "甲项目" in response.content.decode()


def test_a_team_member_sees_their_teams_warnings_and_no_pace(client, year_2025, monkeypatch):
    client.force_login(year_2025["member"].user)
    response = _overview(client, "year=2025", D(2025, 9, 1), monkeypatch)
    names = {w.project.name for w, _ in response.context["warnings"]}
    assert names == {"生物医药研发中心项目", "甲项目"}
    assert response.context["pace"] == [] and not response.context["may_pace"]
    assert 'id="pace"' not in response.content.decode()
    assert dict(response.context["clusters"]) == {"生物医药": 1}


def test_a_bad_year_is_a_chinese_message_never_a_500(client, world, zone_admin):
    client.force_login(zone_admin)
    for query in ("year=abc", "year=99999999999999999999", "year=-1", "year="):
        response = client.get(url("investment_overview") + "?" + query)
        assert response.status_code == 200, query
        text = response.content.decode()
        assert not english_words(text)
        assert "year" not in response.context, query  # no figures drawn, the form says why
        assert 'id="pace"' not in text and 'class="text-red-600"' in text, query


def test_the_overview_exports_to_excel(client, year_2025, zone_admin):
    client.force_login(zone_admin)
    response = client.get(url("investment_overview") + "?year=2025&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_overview_needs_the_view_of_projects(client, zone):
    someone = make_user("secretary", organization=zone.committee_a)
    client.force_login(someone)
    assert client.get(url("investment_overview")).status_code == 403


def test_the_overview_opens_on_this_year(client, year_2025, zone_admin):
    from django.utils import timezone

    client.force_login(zone_admin)
    response = client.get(url("investment_overview"))
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


def test_the_lists_export_to_excel(client, world, zone_admin):
    client.force_login(zone_admin)
    for name in ("team", "investmentperson", "investmentevent"):
        response = client.get(url(f"investment_{name}_export"))
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), name
