"""What the domains tell whom: a request assigned (its handler), returned or closed (the
enterprise's contacts, linked to the portal), escalated (the leader it went to, and the handler);
a problem assigned (its owner); and, from the daily `notify_due`, an overdue problem (its owner)
and a development step coming due (the secretaries of the person's organization), each at most
once a day."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from dangjian.accounts.models import Grant
from dangjian.core.models import RuleSet
from dangjian.members import rules
from dangjian.members.tests.development_cases import apply
from dangjian.notifications.models import Kind, Notification
from dangjian.projects import services as project_services
from dangjian.projects.tests.factories import make_cadre, make_problem, make_project, user_of
from dangjian.servicedesk import services as desk_services
from dangjian.servicedesk.models import Handling
from dangjian.servicedesk.tests.factories import accept, close, designate, fresh, make_contact, submit, today
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db
ONE_DAY = datetime.timedelta(days=1)


def inbox(user, kind=None):
    messages = Notification.objects.filter(recipient=user).order_by("id")
    return list(messages.filter(kind=kind) if kind else messages)


def notify_due(day=None):
    out = StringIO()
    call_command("notify_due", *(["--date", day.isoformat()] if day else []), stdout=out)
    return out.getvalue()


# -- the service desk ----------------------------------------------------------------------------
def test_a_submitted_request_tells_the_designated_cadre_it_went_to(zone, cadre, contact):
    request = submit(zone.enterprise_a, actor=contact, title="厂房用电增容")
    [message] = inbox(cadre.user)
    assert message.kind == Kind.REQUEST_ASSIGNED
    assert message.title == f"诉求{request.number}“厂房用电增容”已分派给您办理"
    assert "甲企业" in message.body and "受理期限" in message.body
    assert message.url == f"/admin/servicedesk/servicerequest/{request.pk}/change/"
    assert message.actor == contact
    assert inbox(contact) == []


def test_a_request_without_a_designated_cadre_tells_no_one(zone, contact):
    submit(zone.enterprise_a, actor=contact)
    assert Notification.objects.count() == 0


def test_accepting_with_another_handler_tells_the_new_one_and_accepting_it_oneself_tells_no_one(
    zone, cadre, zone_admin
):
    other = make_cadre("李承办")
    first = submit(zone.enterprise_a)
    accept(first, handler=other, actor=zone_admin)
    assert [m.title for m in inbox(other.user)] == [f"诉求{first.number}“{first.title}”已分派给您办理"]
    assert "办结期限" in inbox(other.user)[0].body
    assert len(inbox(cadre.user)) == 1  # only when it was submitted

    second = submit(zone.enterprise_a)
    accept(second, handling=Handling.CADRE, actor=cadre.user)
    assert len(inbox(cadre.user)) == 2  # the one of its submission, nothing for accepting it


def test_a_returned_request_tells_the_enterprises_contacts_on_their_portal(zone, cadre, contact):
    second_contact = make_contact(zone.enterprise_a)
    former = make_contact(zone.enterprise_a)
    Grant.objects.filter(user=former).update(valid_from=today() - ONE_DAY * 30, valid_until=today() - ONE_DAY)
    elsewhere = make_contact(zone.enterprise_b)
    request = submit(zone.enterprise_a, actor=contact)
    desk_services.request_return(
        actor=cadre.user, request=fresh(request), on=request.submitted_on, reason="请补充营业执照复印件"
    )
    for user in (contact, second_contact):
        [message] = inbox(user)
        assert message.kind == Kind.REQUEST_RETURNED
        assert message.title == f"诉求{request.number}“{request.title}”被退回，请补充材料"
        assert message.body == "请补充营业执照复印件"
        assert message.url == f"/portal/{request.pk}/"
    assert inbox(former) == [] and inbox(elsewhere) == []


def test_a_closed_request_asks_the_contacts_to_confirm_and_rate_it(zone, cadre, contact):
    request = accept(submit(zone.enterprise_a, actor=contact), actor=cadre.user)
    close(request, result="已协调供电公司增容", actor=cadre.user)
    [message] = inbox(contact)
    assert message.kind == Kind.REQUEST_CLOSED
    assert message.title == f"诉求{request.number}“{request.title}”已办结，请确认并评价"
    assert (message.body, message.url) == ("已协调供电公司增容", f"/portal/{request.pk}/")


def test_an_escalated_request_tells_the_leader_it_went_to_and_its_handler(zone):
    leader = make_user()
    cadre = designate(zone.enterprise_a, make_cadre("赵承办", leader=leader))
    request = submit(zone.enterprise_a, on=today() - ONE_DAY * 30)
    desk_services.requests_escalate(actor=None, today=today())
    for user in (leader, cadre.user):
        [message] = inbox(user, Kind.REQUEST_ESCALATED)
        assert message.title == f"诉求{request.number}“{request.title}”超时升级"
        assert "超过受理期限" in message.body and leader.get_full_name() in message.body
        assert message.url == f"/admin/servicedesk/servicerequest/{request.pk}/change/"


def test_without_a_leader_the_escalation_tells_the_zone_administrators_who_see_the_request(
    zone, cadre, zone_admin, secretary_a
):
    below = make_user("zone_admin", organization=zone.branch_b)  # 乙企业党支部: not 甲企业's
    submit(zone.enterprise_a, on=today() - ONE_DAY * 30)
    desk_services.requests_escalate(actor=None, today=today())
    assert len(inbox(zone_admin, Kind.REQUEST_ESCALATED)) == 1
    assert len(inbox(cadre.user, Kind.REQUEST_ESCALATED)) == 1
    assert inbox(below) == [] and inbox(secretary_a) == []


# -- problems ---------------------------------------------------------------------------------------
def test_a_problem_raised_tells_its_owner_and_reassigning_it_tells_the_new_one(zone):
    owner, other = make_cadre("王责任"), make_cadre("李接手")
    problem = make_problem(
        enterprise=zone.enterprise_a,
        owner=owner,
        description="施工许可审批进度缓慢",
        raised=today() - ONE_DAY * 3,
        deadline=today() + ONE_DAY * 10,
    )
    [message] = inbox(owner.user)
    assert message.kind == Kind.PROBLEM_ASSIGNED
    assert message.title == "问题“施工许可审批进度缓慢”交由您办理"
    assert f"办理时限 {problem.deadline:%Y-%m-%d}" in message.body
    assert message.url == f"/admin/projects/problem/{problem.pk}/change/"

    project_services.problem_reassign(actor=None, problem=problem, owner=other)
    assert [m.title for m in inbox(other.user)] == ["问题“施工许可审批进度缓慢”改由您办理"]
    assert len(inbox(owner.user)) == 1


def test_a_problem_its_owner_raises_for_themselves_tells_no_one(zone):
    owner = make_cadre("王责任")
    project = make_project("秦岭数据中心", cadres=[owner])
    make_problem(project=project, actor=user_of(owner))  # to the project's lead: themselves
    assert inbox(owner.user) == []


def test_an_overdue_problem_reminds_its_owner_once_a_day_until_it_is_closed(zone):
    owner = make_cadre("王责任")
    late = make_problem(
        enterprise=zone.enterprise_a,
        owner=owner,
        description="用工缺口",
        raised=today() - ONE_DAY * 20,
        deadline=today() - ONE_DAY * 2,
    )
    make_problem(enterprise=zone.enterprise_a, owner=owner, deadline=today() + ONE_DAY * 10)  # not yet due
    Notification.objects.all().delete()  # the messages of their assignment

    assert "发送 1 条到期提醒" in notify_due()
    [message] = inbox(owner.user)
    assert (message.kind, message.title) == (Kind.PROBLEM_OVERDUE, "问题“用工缺口”已逾期 2 天")
    assert message.url == f"/admin/projects/problem/{late.pk}/change/"
    assert "发送 0 条到期提醒" in notify_due()  # the same day again: nothing repeated
    assert len(inbox(owner.user)) == 1

    tomorrow = today() + ONE_DAY
    notify_due(tomorrow)
    assert [m.title for m in inbox(owner.user)][-1] == "问题“用工缺口”已逾期 3 天"
    project_services.problem_solve(actor=None, problem=late, on=today(), result="已招聘到位")
    assert "发送 0 条到期提醒" in notify_due(tomorrow + ONE_DAY)


# -- development ------------------------------------------------------------------------------------
def test_a_talk_coming_due_reminds_the_secretaries_of_the_applicants_organization_once_a_day(zone):
    branch_secretary = make_user("secretary", organization=zone.branch_a1)
    committee_secretary = make_user("secretary", organization=zone.committee_a)
    other_branch = make_user("secretary", organization=zone.branch_b)
    applied = today() - ONE_DAY * 25  # the talk is due one month after the application
    case = apply(zone.branch_a1, applied=applied, name="张申请")
    apply(zone.branch_a1, applied=today(), name="李刚申请")  # due in a month: not yet

    notify_due()
    [message] = inbox(branch_secretary)
    assert message.kind == Kind.DEVELOPMENT_DUE
    assert message.title.startswith("张申请的“谈话”期限为 ")
    assert "已逾期" not in message.title
    assert message.url == f"/admin/members/developmentcase/{case.pk}/change/"
    assert inbox(committee_secretary) == [] and inbox(other_branch) == []
    notify_due()
    assert len(inbox(branch_secretary)) == 1


def test_an_organization_without_its_own_secretary_has_the_one_above_reminded(zone):
    committee_secretary = make_user("secretary", organization=zone.committee_a)
    apply(zone.branch_a2, applied=today() - ONE_DAY * 40, name="王逾期")
    notify_due()
    [message] = inbox(committee_secretary)
    assert "王逾期的“谈话”期限为" in message.title and "已逾期" in message.title


def test_the_days_of_notice_are_a_versioned_rule(zone):
    secretary = make_user("secretary", organization=zone.branch_a1)
    apply(zone.branch_a1, applied=today() - ONE_DAY * 10, name="陈提前")  # due in about three weeks
    notify_due()
    assert inbox(secretary) == []
    RuleSet.objects.create(
        key=rules.REMINDERS, version=2, effective_from=today(), values={"days_before_due": 30}
    )
    notify_due()
    assert len(inbox(secretary)) == 1
