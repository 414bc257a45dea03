"""我的待办: each role's first page lists its work from the records, each item linking to where it
is done, through the user's scope; what is done leaves the list."""

import datetime
from decimal import Decimal

from django.urls import reverse

from dangjian.core.registry import todos
from dangjian.core.testing.codes import make_id_number
from dangjian.members import services as member_services
from dangjian.members.models import DuesCategory
from dangjian.partylife import services as partylife_services
from dangjian.partylife.models import MeetingKind
from dangjian.projects import services as project_services
from dangjian.projects.tests.factories import assign, make_cadre, make_problem, user_of
from dangjian.servicedesk.tests.factories import accept, close, designate, make_contact, submit
from dangjian.testing.factories import make_member, make_user

TODAY = datetime.date(2025, 6, 15)


def group(user, title, today=TODAY):
    found = [g for g in todos(user, today) if g.title == title]
    return found[0] if found else None


def titles(user, title, today=TODAY):
    found = group(user, title, today)
    return [item.title for item in found.items] if found else []


def test_a_secretary_sees_the_meetings_due_in_their_scope_only_until_held(zone, secretary_a):
    found = group(secretary_a, "待开的组织生活")
    assert found.items[0].title == "甲一党支部：主题党日（2025年1月）逾期未开"
    assert found.total == 30  # 19 overdue this year, 11 of the running month, quarter and year
    assert all("乙企业党支部" not in item.title for item in found.items)
    assert found.items[0].overdue  # overdue first
    assert found.items[0].url.startswith(reverse("admin:partylife_meeting_add") + "?organization=")
    before = found.total
    partylife_services.meeting_create(
        actor=secretary_a,
        organization=zone.branch_a1,
        kind=MeetingKind.THEME_DAY,
        held_on=datetime.date(2025, 5, 20),
        theme="五月主题党日",
    )
    after = todos(secretary_a, TODAY, limit=100)[0]
    assert after.total == before - 1
    assert "甲一党支部：主题党日（2025年5月）逾期未开" not in [item.title for item in after.items]


def test_an_overdue_duty_item_is_listed_until_done(zone, secretary_a):
    duty_list = partylife_services.duty_list_create(
        actor=None,
        organization=zone.branch_a1,
        year=2025,
        title="2025年责任清单",
        items=[{"title": "完成换届", "deadline": datetime.date(2025, 6, 14)}],
    )
    assert titles(secretary_a, "逾期的责任清单事项") == ["甲一党支部：完成换届（2025-06-14 到期）"]
    assert group(secretary_a, "逾期的责任清单事项", today=datetime.date(2025, 6, 14)) is None
    partylife_services.duty_item_complete(
        actor=None, item=duty_list.items.get(), on=datetime.date(2025, 6, 14)
    )
    assert group(secretary_a, "逾期的责任清单事项") is None


def test_a_development_step_due_within_a_month_is_listed(zone, secretary_a):
    member_services.development_apply(
        actor=secretary_a,
        organization=zone.branch_a1,
        name="申请人甲",
        id_number=make_id_number(datetime.date(2000, 1, 1), 901, "男"),
        applied_on=datetime.date(2025, 1, 10),
    )
    found = group(secretary_a, "发展党员到期步骤")
    assert found is not None and found.total == 1
    assert found.items[0].title == "申请人甲（甲一党支部）：谈话，已于 2025-02-10 前"
    assert found.items[0].overdue
    # due 2025-02-10: listed from 30 days before
    assert group(secretary_a, "发展党员到期步骤", today=datetime.date(2025, 1, 10)) is None
    soon = group(secretary_a, "发展党员到期步骤", today=datetime.date(2025, 1, 11)).items[0]
    assert (soon.title, soon.overdue) == ("申请人甲（甲一党支部）：谈话，应于 2025-02-10 前", False)


def test_members_who_did_not_pay_last_month_are_listed(zone, secretary_a):
    owing = make_member(zone.branch_a1, name="欠缴者")
    paid = make_member(zone.branch_a1, name="已交者")
    for member in (owing, paid):
        member_services.dues_base_set(
            actor=None,
            member=member,
            effective_from=datetime.date(2025, 1, 1),
            category=DuesCategory.EMPLOYED,
            income=Decimal("4000"),
        )
    member_services.dues_assess(actor=None, organization=zone.branch_a1, month=datetime.date(2025, 5, 1))
    payable = paid.dues_assessments.get().payable
    member_services.dues_pay(
        actor=None,
        member=paid,
        month=datetime.date(2025, 5, 1),
        amount=payable,
        paid_on=datetime.date(2025, 5, 3),
    )
    assert titles(secretary_a, "党费欠缴") == ["欠缴者（甲一党支部）：已连续 1 个月未交清党费"]


def test_a_cadre_sees_today_without_a_daily_record_and_their_problems_due(zone):
    cadre = make_cadre("赵干部")
    user = user_of(cadre)
    # TODAY is a Sunday: the working days of the week before, earliest first
    assert titles(user, "未记录日纪实的工作日") == [f"06月{d:02d}日的日纪实未记录" for d in range(9, 14)]
    assert group(user, "未记录日纪实的工作日").items[0].url == "/m/daily/?day=2025-06-09"
    for day in range(9, 14):
        project_services.daily_record_save(
            actor=user, cadre=cadre, day=datetime.date(2025, 6, day), content="走访企业"
        )
    assert group(user, "未记录日纪实的工作日") is None
    monday = datetime.date(2025, 6, 16)
    assert titles(user, "未记录日纪实的工作日", today=monday) == ["今天（06月16日）的日纪实还没有记录"]
    assign(zone.enterprise_a, cadre)
    user = user_of(cadre)
    due = make_problem(
        enterprise=zone.enterprise_a, owner=cadre, deadline=TODAY + datetime.timedelta(days=3), raised=TODAY
    )
    make_problem(
        enterprise=zone.enterprise_a, owner=cadre, deadline=TODAY + datetime.timedelta(days=4), raised=TODAY
    )
    found = group(user, "到期或逾期的问题")
    assert found.total == 1
    assert found.items[0].url == reverse("admin:projects_problem_change", args=[due.pk])
    assert group(make_user("secretary", organization=zone.committee_a), "未记录日纪实的工作日") is None


def test_a_handler_sees_requests_to_accept_then_to_close_and_the_contact_to_rate(zone):
    cadre = designate(zone.enterprise_a, make_cadre("王联系"))
    handler = user_of(cadre)
    contact = make_contact(zone.enterprise_a)
    request = submit(zone.enterprise_a, title="用地审批")
    assert [t.split("：")[1].split("，")[0] for t in titles(handler, "待受理的企业事项")] == ["用地审批"]
    accept(request, handler=cadre)
    assert group(handler, "待受理的企业事项") is None
    assert group(handler, "待办结的企业事项").total == 1
    close(request)
    assert group(handler, "待办结的企业事项") is None
    assert titles(contact, "待本企业处理的事项") == [f"{request.number} 用地审批：已办结，请确认并评价"]
    other = make_contact(zone.enterprise_b)
    assert group(other, "待本企业处理的事项") is None


def test_the_first_page_loads_the_list_and_the_portal_shows_it(client, zone, secretary_a):
    client.force_login(secretary_a)
    page = client.get("/admin/").content.decode()
    assert "我的待办" in page and reverse("admin:todos") in page
    fragment = client.get(reverse("admin:todos")).content.decode()
    assert "待开的组织生活" in fragment and "甲一党支部" in fragment
    whole = client.get(reverse("admin:todos") + "?page=1").content.decode()
    assert "<title>" in whole and "待开的组织生活" in whole
    leader = make_user("leader", organization=zone.root)
    client.force_login(leader)
    assert "目前没有待办事项" in client.get(reverse("admin:todos")).content.decode()


def test_the_portal_lists_what_waits_on_the_enterprise(client, zone):
    cadre = designate(zone.enterprise_a, make_cadre("王联系"))
    request = submit(zone.enterprise_a, title="用工对接")
    accept(request, handler=cadre)
    close(request)
    contact = make_contact(zone.enterprise_a)
    client.force_login(contact)
    page = client.get(reverse("portal-home")).content.decode()
    assert "待本企业处理的事项" in page
    assert f'href="{reverse("portal-detail", args=[request.pk])}"' in page
    assert "已办结，请确认并评价" in page
