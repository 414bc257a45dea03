"""The service desk's workflow: 已提交 → 已受理 → 办理中 → 已办结 → 已评价, with 退回补充材料 (back
to the enterprise, which resubmits), 转办 (to a department, with its replies) and 挂起 (with a
reason). Every transition is a service that checks the state and the dates and logs one event
on the request's timeline; a refused one changes nothing."""

from contextlib import contextmanager

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from dangjian.core.calendar import add_workdays
from dangjian.projects.tests.factories import make_cadre, user_of
from dangjian.servicedesk import services
from dangjian.servicedesk.models import Handling, RequestEvent, RequestKind, RequestStatus, ServiceRequest
from dangjian.testing.factories import make_user

from .factories import (
    ONE_DAY,
    D,
    accept,
    category,
    close,
    designate,
    events,
    fresh,
    holiday,
    make_contact,
    rate,
    start,
    submit,
    today,
)

pytestmark = pytest.mark.django_db

S = RequestStatus
E = RequestEvent.Kind
SUBMITTED_AGO = ONE_DAY * 40


@contextmanager
def refused(field):
    with pytest.raises(ValidationError) as excinfo:
        yield excinfo
    assert field in excinfo.value.message_dict, excinfo.value.message_dict


def message(excinfo, field):
    return " ".join(excinfo.value.message_dict[field])


def status_error(current, *allowed):
    return f"事项目前“{current}”，只有{'、'.join(allowed)}的事项可以这样办理"


@pytest.fixture
def request_(zone, cadre):
    return submit(zone.enterprise_a, on=today() - SUBMITTED_AGO, category=category("政策咨询"))


def accepted(request, on=None):
    return accept(request, on=on or request.submitted_on + ONE_DAY)


def in_progress(request):
    accepted(request)
    return start(request)


def returned(request, reason="请补充营业执照复印件"):
    request = fresh(request)
    return services.request_return(
        actor=None, request=request, on=request.submitted_on + ONE_DAY, reason=reason
    )


def suspended(request, on=None, reason="等待企业完成内部决策"):
    request = fresh(request)
    return services.request_suspend(
        actor=None, request=request, on=on or request.accepted_on + ONE_DAY, reason=reason
    )


def transferred(request, department="市场监管局", note=""):
    request = fresh(request)
    return services.request_transfer(
        actor=None, request=request, on=request.accepted_on, department=department, note=note
    )


def closed(request):
    if fresh(request).status == S.SUBMITTED:
        accepted(request)
    return close(request, on=fresh(request).accepted_on + ONE_DAY * 2)


# -- submitting ---------------------------------------------------------------------------------------
def test_a_submitted_request_goes_to_the_enterprises_designated_cadre(request_, cadre):
    request_ = fresh(request_)
    assert request_.status == S.SUBMITTED
    assert request_.handler == cadre
    assert request_.accept_due == add_workdays(request_.submitted_on, 2)
    assert events(request_) == [E.SUBMITTED]
    event = request_.events.get()
    assert event.on == request_.submitted_on
    assert event.note == f"受理期限 {request_.accept_due:%Y-%m-%d}，已分派给联系干部王联系"


def test_a_request_of_an_enterprise_without_a_designated_cadre_waits_for_the_zone_office(zone):
    request = fresh(submit(zone.enterprise_b))
    assert request.handler is None
    assert request.events.get().note.endswith("本企业尚未指定联系干部，由党工委管理员分派")


def test_a_request_goes_to_the_new_designated_cadre_after_a_change(zone, cadre):
    newcomer = designate(zone.enterprise_a, make_cadre("李接任"))
    assert fresh(submit(zone.enterprise_a)).handler == newcomer


def test_requests_are_numbered_by_year_in_order(zone, cadre):
    first = submit(zone.enterprise_a, on=D(2025, 3, 3))
    second = submit(zone.enterprise_b, on=D(2025, 3, 4))
    other_year = submit(zone.enterprise_a, on=D(2024, 12, 31))
    assert (first.number, second.number, other_year.number) == ("SQ2025-0001", "SQ2025-0002", "SQ2024-0001")


def test_a_contact_submits_for_their_enterprise_and_the_request_keeps_who_submitted(zone, cadre, contact):
    request = submit(zone.enterprise_a, actor=contact, kind=RequestKind.APPROVAL)
    request = fresh(request)
    assert (request.submitted_by, request.kind, request.enterprise) == (
        contact,
        RequestKind.APPROVAL,
        zone.enterprise_a,
    )
    assert request.events.get().actor == contact


@pytest.mark.parametrize(
    ("field", "title", "description", "days_ahead", "text"),
    [
        ("title", "  ", "需要十套", 0, "请填写事项名称"),
        ("description", "申请人才公寓", " ", 0, "请写明诉求内容"),
        ("submitted_on", "申请人才公寓", "需要十套", 1, "日期不能晚于今天"),
    ],
)
def test_submitting_without_a_title_or_a_description_or_in_the_future_is_refused(
    zone, cadre, field, title, description, days_ahead, text
):
    with refused(field) as excinfo:
        services.request_submit(
            actor=None,
            enterprise=zone.enterprise_a,
            title=title,
            description=description,
            submitted_on=today() + ONE_DAY * days_ahead,
        )
    assert message(excinfo, field) == text
    assert not ServiceRequest.objects.exists()


def test_a_contact_cannot_submit_for_another_enterprise(zone, cadre, contact):
    with pytest.raises(PermissionDenied):
        submit(zone.enterprise_b, actor=contact)
    assert not ServiceRequest.objects.exists()


# -- 已提交 → 已受理 -------------------------------------------------------------------------------------
def test_accepting_records_the_day_the_way_and_the_closing_deadline(request_, cadre):
    day = request_.submitted_on + ONE_DAY
    accept(request_, on=day, handling=Handling.PROXY, actor=user_of(cadre))
    request_ = fresh(request_)
    assert (request_.status, request_.accepted_on, request_.handling) == (S.ACCEPTED, day, Handling.PROXY)
    assert request_.close_due == add_workdays(day, 10)
    last = request_.events.last()
    assert (last.kind, last.on, last.actor) == (E.ACCEPTED, day, cadre.user)
    assert last.note == f"代办，承办人王联系，办结期限 {request_.close_due:%Y-%m-%d}"


@pytest.mark.parametrize("handling", ["", None])
def test_accepting_without_the_way_of_handling_is_refused(request_, handling):
    with refused("handling") as excinfo:
        accept(request_, handling=handling)
    assert message(excinfo, "handling") == "请选择办理方式（领办、包办或代办）"
    assert fresh(request_).status == S.SUBMITTED
    assert events(request_) == [E.SUBMITTED]


def test_accepting_a_request_without_a_handler_needs_one(zone):
    request = submit(zone.enterprise_b)
    with refused("handler") as excinfo:
        accept(request)
    assert message(excinfo, "handler") == "请指定承办人"
    assert fresh(request).status == S.SUBMITTED
    other = make_cadre("赵承办")
    accept(request, handler=other)
    assert (fresh(request).status, fresh(request).handler) == (S.ACCEPTED, other)


def test_accepting_may_hand_the_request_to_another_handler(request_):
    other = make_cadre("赵承办")
    accept(request_, handler=other)
    assert fresh(request_).handler == other
    assert "承办人赵承办" in fresh(request_).events.last().note


def test_accepting_before_the_day_submitted_is_refused_and_on_it_is_allowed(request_):
    with refused("on") as excinfo:
        accept(request_, on=request_.submitted_on - ONE_DAY)
    assert message(excinfo, "on") == "受理日期不能早于提交日期"
    assert fresh(request_).status == S.SUBMITTED
    assert accept(request_, on=request_.submitted_on).accepted_on == request_.submitted_on


def test_accepting_in_the_future_or_without_a_day_is_refused(request_):
    with refused("on") as excinfo:
        accept(request_, on=today() + ONE_DAY)
    assert message(excinfo, "on") == "日期不能晚于今天"
    with refused("on") as excinfo:
        services.request_accept(actor=None, request=fresh(request_), on=None, handling=Handling.CADRE)
    assert message(excinfo, "on") == "请填写日期"
    assert (fresh(request_).status, events(request_)) == (S.SUBMITTED, [E.SUBMITTED])


def test_accepting_today_is_allowed(request_):
    assert accept(request_, on=today()).accepted_on == today()


def test_accepting_twice_is_refused(request_):
    accepted(request_)
    with refused("status") as excinfo:
        accepted(request_)
    assert message(excinfo, "status") == status_error("已受理", "已提交")
    assert events(request_) == [E.SUBMITTED, E.ACCEPTED]


# -- 已受理 → 办理中 -------------------------------------------------------------------------------------
def test_starting_moves_an_accepted_request_in_progress(request_):
    accepted(request_)
    day = fresh(request_).accepted_on + ONE_DAY
    start(request_, on=day)
    request_ = fresh(request_)
    assert request_.status == S.IN_PROGRESS
    assert (request_.events.last().kind, request_.events.last().on) == (E.STARTED, day)


def test_starting_a_request_not_yet_accepted_is_refused(request_):
    with refused("status") as excinfo:
        services.request_start(actor=None, request=fresh(request_), on=today())
    assert message(excinfo, "status") == status_error("已提交", "已受理")
    assert events(request_) == [E.SUBMITTED]


def test_starting_before_the_day_accepted_is_refused(request_):
    accepted(request_)
    with refused("on") as excinfo:
        start(request_, on=fresh(request_).accepted_on - ONE_DAY)
    assert message(excinfo, "on") == f"日期不能早于上一步“受理”的日期 {fresh(request_).accepted_on:%Y-%m-%d}"
    assert fresh(request_).status == S.ACCEPTED
    assert events(request_) == [E.SUBMITTED, E.ACCEPTED]


def test_starting_in_the_future_is_refused_and_nothing_changes(request_):
    accepted(request_)
    with refused("on") as excinfo:
        start(request_, on=today() + ONE_DAY)
    assert message(excinfo, "on") == "日期不能晚于今天"
    assert fresh(request_).status == S.ACCEPTED
    assert events(request_) == [E.SUBMITTED, E.ACCEPTED]


# -- 退回补充材料 and resubmitting -------------------------------------------------------------------------
@pytest.mark.parametrize("step", ["submitted", "accepted", "in_progress"])
def test_an_open_request_can_be_returned_for_more_materials_with_the_reason_logged(request_, step):
    if step == "accepted":
        accepted(request_)
    elif step == "in_progress":
        in_progress(request_)
    request = fresh(request_)
    day = request.accepted_on or request.submitted_on
    services.request_return(actor=None, request=request, on=day, reason="  请补充环评报告 ")
    request = fresh(request_)
    assert request.status == S.RETURNED
    last = request.events.last()
    assert (last.kind, last.on, last.note) == (E.RETURNED, day, "请补充环评报告")


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_returning_without_a_reason_is_refused(request_, reason):
    with refused("reason") as excinfo:
        returned(request_, reason=reason)
    assert message(excinfo, "reason") == "请说明需要补充的材料"
    assert (fresh(request_).status, events(request_)) == (S.SUBMITTED, [E.SUBMITTED])


def test_returning_before_the_day_submitted_or_in_the_future_is_refused(request_):
    for day in (request_.submitted_on - ONE_DAY, today() + ONE_DAY):
        with refused("on"):
            services.request_return(actor=None, request=fresh(request_), on=day, reason="补材料")
    assert (fresh(request_).status, events(request_)) == (S.SUBMITTED, [E.SUBMITTED])


def test_returning_a_closed_request_is_refused(request_):
    closed(request_)
    with refused("status") as excinfo:
        returned(request_)
    assert message(excinfo, "status") == status_error("已办结", "已提交", "已受理", "办理中")


def test_resubmitting_restarts_the_acceptance_deadline_from_the_day_resubmitted(request_, contact):
    accepted(request_)
    returned(request_)
    day = fresh(request_).submitted_on + ONE_DAY * 10
    services.request_resubmit(actor=contact, request=fresh(request_), on=day, note="已补充营业执照")
    request = fresh(request_)
    assert request.status == S.SUBMITTED
    assert request.accept_due == add_workdays(day, 2)
    assert (request.accepted_on, request.close_due) == (None, None)
    assert request.submitted_on == request_.submitted_on  # the request keeps its first day
    last = request.events.last()
    assert (last.kind, last.on, last.actor) == (E.RESUBMITTED, day, contact)
    assert last.note == f"已补充营业执照；受理期限 {request.accept_due:%Y-%m-%d}"


def test_a_resubmitted_request_is_accepted_again_on_time_against_its_new_deadline(request_, contact):
    returned(request_)
    day = fresh(request_).submitted_on + ONE_DAY * 20
    services.request_resubmit(actor=contact, request=fresh(request_), on=day)
    due = fresh(request_).accept_due
    accept(request_, on=due)
    assert fresh(request_).accepted_late is False


def test_a_resubmitted_request_cannot_be_accepted_before_the_day_it_was_resubmitted(request_, contact):
    returned(request_)
    day = fresh(request_).submitted_on + ONE_DAY * 5
    services.request_resubmit(actor=contact, request=fresh(request_), on=day)
    with refused("on") as excinfo:
        accept(request_, on=day - ONE_DAY)
    assert message(excinfo, "on") == f"日期不能早于上一步“补充后重新提交”的日期 {day:%Y-%m-%d}"
    assert fresh(request_).status == S.SUBMITTED


def test_resubmitting_adds_the_new_files(request_, contact, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    returned(request_)
    upload = SimpleUploadedFile("营业执照.pdf", b"%PDF-1.4", content_type="application/pdf")
    services.request_resubmit(actor=contact, request=fresh(request_), on=today(), files=[upload])
    assert list(fresh(request_).files.values_list("name", flat=True)) == ["营业执照.pdf"]


def test_only_the_enterprises_contact_may_resubmit(zone, request_, cadre):
    returned(request_)
    with pytest.raises(ValidationError) as excinfo:
        services.request_resubmit(actor=user_of(cadre), request=fresh(request_), on=today())
    assert excinfo.value.messages == ["只有本企业的联络员可以确认、评价或补充材料"]
    with pytest.raises(PermissionDenied):
        services.request_resubmit(actor=make_contact(zone.enterprise_b), request=fresh(request_), on=today())
    assert fresh(request_).status == S.RETURNED
    assert E.RESUBMITTED not in events(request_)


def test_resubmitting_a_request_that_was_not_returned_is_refused(request_, contact):
    with refused("status") as excinfo:
        services.request_resubmit(actor=contact, request=fresh(request_), on=today())
    assert message(excinfo, "status") == status_error("已提交", "已退回")


def test_resubmitting_before_the_day_returned_is_refused(request_, contact):
    returned(request_)
    returned_on = fresh(request_).events.last().on
    with refused("on") as excinfo:
        services.request_resubmit(actor=contact, request=fresh(request_), on=returned_on - ONE_DAY)
    assert message(excinfo, "on") == f"日期不能早于上一步“退回补充材料”的日期 {returned_on:%Y-%m-%d}"
    assert fresh(request_).status == S.RETURNED


# -- 转办 ---------------------------------------------------------------------------------------------------
def test_transferring_sends_the_request_to_a_department_and_keeps_it_in_progress(request_):
    accepted(request_)
    transferred(request_, department=" 市场监管局 ", note="协助核查资质")
    request = fresh(request_)
    assert (request.status, request.transferred_to) == (S.IN_PROGRESS, "市场监管局")
    last = request.events.last()
    assert (last.kind, last.note) == (E.TRANSFERRED, "转至市场监管局：协助核查资质")


@pytest.mark.parametrize("department", ["", "  ", None])
def test_transferring_without_a_department_is_refused(request_, department):
    accepted(request_)
    with refused("department") as excinfo:
        transferred(request_, department=department)
    assert message(excinfo, "department") == "请填写转办部门"
    assert (fresh(request_).status, fresh(request_).transferred_to) == (S.ACCEPTED, "")


def test_transferring_a_request_not_yet_accepted_is_refused(request_):
    with refused("status") as excinfo:
        services.request_transfer(actor=None, request=fresh(request_), on=today(), department="税务局")
    assert message(excinfo, "status") == status_error("已提交", "已受理", "办理中")


def test_a_transfer_is_tracked_by_the_departments_replies(request_):
    accepted(request_)
    transferred(request_)
    for day, reply in ((today() - ONE_DAY, "正在核查"), (today(), "核查完毕，符合条件")):
        services.request_transfer_reply(actor=None, request=fresh(request_), on=day, reply=reply)
    replies = fresh(request_).events.filter(kind=E.TRANSFER_REPLY).order_by("id")
    assert [(e.on, e.note) for e in replies] == [
        (today() - ONE_DAY, "市场监管局反馈：正在核查"),
        (today(), "市场监管局反馈：核查完毕，符合条件"),
    ]


def test_a_reply_without_a_transfer_or_without_text_is_refused(request_):
    accepted(request_)
    with refused("reply") as excinfo:
        services.request_transfer_reply(actor=None, request=fresh(request_), on=today(), reply="已办")
    assert message(excinfo, "reply") == "该事项没有转办"
    transferred(request_)
    with refused("reply") as excinfo:
        services.request_transfer_reply(actor=None, request=fresh(request_), on=today(), reply=" ")
    assert message(excinfo, "reply") == "请填写部门反馈"
    assert E.TRANSFER_REPLY not in events(request_)


def test_a_reply_before_the_transfer_is_refused(request_):
    accepted(request_)
    transferred(request_)
    transferred_on = fresh(request_).events.last().on
    with refused("on") as excinfo:
        services.request_transfer_reply(
            actor=None, request=fresh(request_), on=transferred_on - ONE_DAY, reply="已核查"
        )
    assert message(excinfo, "on") == f"日期不能早于上一步“转办”的日期 {transferred_on:%Y-%m-%d}"
    assert E.TRANSFER_REPLY not in events(request_)


def test_a_transfer_to_a_second_department_is_tracked_too(request_):
    accepted(request_)
    transferred(request_, department="市场监管局")
    transferred(request_, department="税务局")
    assert fresh(request_).transferred_to == "税务局"
    notes = list(fresh(request_).events.filter(kind=E.TRANSFERRED).values_list("note", flat=True))
    assert notes == ["转至市场监管局", "转至税务局"]


# -- 挂起 and resuming ------------------------------------------------------------------------------------
def test_suspending_keeps_the_reason_and_logs_it(request_):
    accepted(request_)
    day = fresh(request_).accepted_on + ONE_DAY
    suspended(request_, on=day, reason=" 等待规划调整 ")
    request = fresh(request_)
    assert (request.status, request.suspended_on, request.suspend_reason) == (
        S.SUSPENDED,
        day,
        "等待规划调整",
    )
    last = request.events.last()
    assert (last.kind, last.on, last.note) == (E.SUSPENDED, day, "等待规划调整")


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_suspending_without_a_reason_is_refused(request_, reason):
    accepted(request_)
    with refused("reason") as excinfo:
        suspended(request_, reason=reason)
    assert message(excinfo, "reason") == "挂起须填写原因"
    assert (fresh(request_).status, fresh(request_).suspended_on) == (S.ACCEPTED, None)


def test_suspending_a_request_not_yet_accepted_is_refused(request_):
    with refused("status"):
        services.request_suspend(actor=None, request=fresh(request_), on=today(), reason="等待")


def test_suspending_before_the_day_accepted_or_in_the_future_is_refused(request_):
    accepted(request_)
    for day in (fresh(request_).accepted_on - ONE_DAY, today() + ONE_DAY):
        with refused("on"):
            suspended(request_, on=day)
    assert (fresh(request_).status, events(request_)) == (S.ACCEPTED, [E.SUBMITTED, E.ACCEPTED])


def test_resuming_moves_the_closing_deadline_by_the_working_days_suspended(zone, cadre):
    request = submit(zone.enterprise_a, on=D(2025, 3, 3), category=category("政策咨询"))
    accept(request, on=D(2025, 3, 3))
    assert fresh(request).close_due == D(2025, 3, 17)
    suspended(request, on=D(2025, 3, 10))  # Monday
    holiday(D(2025, 3, 12), "测试假日")
    services.request_resume(actor=None, request=fresh(request), on=D(2025, 3, 17))  # next Monday
    request = fresh(request)
    # suspended Mon 10 – Fri 14 less the holiday: 4 working days
    assert request.close_due == add_workdays(D(2025, 3, 17), 4) == D(2025, 3, 21)
    assert (request.status, request.suspended_on) == (S.IN_PROGRESS, None)
    last = request.events.last()
    assert (last.kind, last.on) == (E.RESUMED, D(2025, 3, 17))
    assert last.note == "挂起 4 个工作日，办结期限顺延至 2025-03-21"


def test_resuming_on_the_day_suspended_keeps_the_deadline(request_):
    accepted(request_)
    due = fresh(request_).close_due
    day = fresh(request_).accepted_on + ONE_DAY
    suspended(request_, on=day)
    services.request_resume(actor=None, request=fresh(request_), on=day)
    assert (fresh(request_).status, fresh(request_).close_due) == (S.IN_PROGRESS, due)


def test_resuming_before_the_day_suspended_or_in_the_future_is_refused(request_):
    accepted(request_)
    day = fresh(request_).accepted_on + ONE_DAY
    suspended(request_, on=day)
    with refused("on") as excinfo:
        services.request_resume(actor=None, request=fresh(request_), on=day - ONE_DAY)
    assert message(excinfo, "on") == "恢复日期不能早于挂起日期"
    with refused("on") as excinfo:
        services.request_resume(actor=None, request=fresh(request_), on=today() + ONE_DAY)
    assert message(excinfo, "on") == "日期不能晚于今天"
    assert fresh(request_).status == S.SUSPENDED


def test_resuming_a_request_that_is_not_suspended_is_refused(request_):
    accepted(request_)
    with refused("status") as excinfo:
        services.request_resume(actor=None, request=fresh(request_), on=today())
    assert message(excinfo, "status") == status_error("已受理", "挂起")


def test_a_suspended_request_cannot_be_closed_until_resumed(request_):
    accepted(request_)
    suspended(request_)
    with refused("status") as excinfo:
        close(request_, on=today())
    assert message(excinfo, "status") == status_error("挂起", "已受理", "办理中")


# -- 办结 ------------------------------------------------------------------------------------------------
def test_closing_records_the_day_and_the_result(request_):
    in_progress(request_)
    day = fresh(request_).accepted_on + ONE_DAY * 3
    close(request_, on=day, result=" 已协调供电局完成增容 ")
    request = fresh(request_)
    assert (request.status, request.closed_on, request.closed_late) == (S.CLOSED, day, False)
    last = request.events.last()
    assert (last.kind, last.on, last.note) == (E.CLOSED, day, "已协调供电局完成增容")


@pytest.mark.parametrize("result", ["", "  ", None])
def test_closing_without_a_result_is_refused(request_, result):
    accepted(request_)
    with refused("result") as excinfo:
        close(request_, result=result)
    assert message(excinfo, "result") == "请填写办理结果"
    assert (fresh(request_).status, fresh(request_).closed_on) == (S.ACCEPTED, None)


def test_closing_before_the_day_accepted_is_refused_and_on_it_is_allowed(request_):
    accepted(request_)
    accepted_on = fresh(request_).accepted_on
    with refused("on") as excinfo:
        close(request_, on=accepted_on - ONE_DAY)
    assert message(excinfo, "on") == "办结日期不能早于受理日期"
    assert close(request_, on=accepted_on).closed_on == accepted_on


def test_closing_in_the_future_is_refused(request_):
    accepted(request_)
    with refused("on") as excinfo:
        close(request_, on=today() + ONE_DAY)
    assert message(excinfo, "on") == "日期不能晚于今天"
    assert fresh(request_).status == S.ACCEPTED


def test_closing_before_the_day_resumed_is_refused(request_):
    accepted(request_)
    suspended(request_)
    resumed_on = fresh(request_).suspended_on + ONE_DAY * 5
    services.request_resume(actor=None, request=fresh(request_), on=resumed_on)
    with refused("on") as excinfo:
        close(request_, on=resumed_on - ONE_DAY)
    assert message(excinfo, "on") == f"日期不能早于上一步“恢复办理”的日期 {resumed_on:%Y-%m-%d}"
    assert fresh(request_).status == S.IN_PROGRESS


@pytest.mark.parametrize("step", ["submitted", "returned"])
def test_closing_a_request_not_accepted_is_refused(request_, step):
    if step == "returned":
        returned(request_)
    with refused("status"):
        close(request_, on=today())
    assert fresh(request_).closed_on is None


# -- confirming and rating ---------------------------------------------------------------------------------
@pytest.mark.parametrize("rating", [1, 3, 5])
def test_the_contact_confirms_and_rates_a_closed_request(request_, contact, rating):
    closed(request_)
    day = fresh(request_).closed_on + ONE_DAY
    rate(request_, rating, comment="办事效率高", on=day, actor=contact)
    request = fresh(request_)
    assert (request.status, request.rating, request.rating_comment, request.confirmed_on) == (
        S.RATED,
        rating,
        "办事效率高",
        day,
    )
    assert request.auto_confirmed is False
    last = request.events.last()
    assert (last.kind, last.on, last.actor, last.note) == (E.RATED, day, contact, f"{rating} 分：办事效率高")


@pytest.mark.parametrize("rating", [0, 6, -1, None])
def test_a_rating_outside_one_to_five_is_refused(request_, contact, rating):
    closed(request_)
    with refused("rating") as excinfo:
        rate(request_, rating, actor=contact)
    assert message(excinfo, "rating") == "满意度应为 1 到 5 分"
    assert (fresh(request_).status, fresh(request_).rating) == (S.CLOSED, None)


@pytest.mark.parametrize("step", ["submitted", "accepted", "in_progress"])
def test_rating_before_the_request_is_closed_is_refused(request_, contact, step):
    if step == "accepted":
        accepted(request_)
    elif step == "in_progress":
        in_progress(request_)
    with refused("status") as excinfo:
        services.request_rate(actor=contact, request=fresh(request_), rating=5)
    assert message(excinfo, "status").endswith("只有已办结的事项可以这样办理")
    assert fresh(request_).rating is None


def test_rating_twice_is_refused(request_, contact):
    closed(request_)
    rate(request_, 4, actor=contact)
    with refused("status"):
        rate(request_, 1, actor=contact)
    assert fresh(request_).rating == 4


def test_only_the_enterprises_contact_may_rate(zone, request_, cadre):
    closed(request_)
    with pytest.raises(ValidationError) as excinfo:
        rate(request_, 5, actor=user_of(cadre))
    assert excinfo.value.messages == ["只有本企业的联络员可以确认、评价或补充材料"]
    with pytest.raises(PermissionDenied):
        rate(request_, 5, actor=make_contact(zone.enterprise_b))
    assert (fresh(request_).status, fresh(request_).rating) == (S.CLOSED, None)


def test_rating_before_the_day_closed_or_in_the_future_is_refused(request_, contact):
    closed(request_)
    closed_on = fresh(request_).closed_on
    with refused("on") as excinfo:
        rate(request_, 5, on=closed_on - ONE_DAY, actor=contact)
    assert message(excinfo, "on") == "确认日期不能早于办结日期"
    with refused("on") as excinfo:
        rate(request_, 5, on=today() + ONE_DAY, actor=contact)
    assert message(excinfo, "on") == "日期不能晚于今天"
    assert fresh(request_).status == S.CLOSED


# -- the timeline -------------------------------------------------------------------------------------------
def test_the_timeline_has_one_event_per_transition_in_order(request_, contact, cadre):
    base = fresh(request_).submitted_on
    actor = user_of(cadre)
    services.request_return(actor=actor, request=fresh(request_), on=base, reason="补材料")
    services.request_resubmit(actor=contact, request=fresh(request_), on=base + ONE_DAY)
    accept(request_, on=base + ONE_DAY * 2, actor=actor)
    start(request_, on=base + ONE_DAY * 3, actor=actor)
    services.request_transfer(
        actor=actor, request=fresh(request_), on=base + ONE_DAY * 4, department="人社局"
    )
    services.request_transfer_reply(actor=actor, request=fresh(request_), on=base + ONE_DAY * 5, reply="已办")
    services.request_suspend(actor=actor, request=fresh(request_), on=base + ONE_DAY * 6, reason="等待")
    services.request_resume(actor=actor, request=fresh(request_), on=base + ONE_DAY * 8)
    close(request_, on=base + ONE_DAY * 9, actor=actor)
    rate(request_, 5, on=base + ONE_DAY * 10, actor=contact)
    timeline = list(fresh(request_).events.order_by("id").values_list("kind", "on", "actor"))
    assert timeline == [
        (E.SUBMITTED, base, None),
        (E.RETURNED, base, cadre.user_id),
        (E.RESUBMITTED, base + ONE_DAY, contact.pk),
        (E.ACCEPTED, base + ONE_DAY * 2, cadre.user_id),
        (E.STARTED, base + ONE_DAY * 3, cadre.user_id),
        (E.TRANSFERRED, base + ONE_DAY * 4, cadre.user_id),
        (E.TRANSFER_REPLY, base + ONE_DAY * 5, cadre.user_id),
        (E.SUSPENDED, base + ONE_DAY * 6, cadre.user_id),
        (E.RESUMED, base + ONE_DAY * 8, cadre.user_id),
        (E.CLOSED, base + ONE_DAY * 9, cadre.user_id),
        (E.RATED, base + ONE_DAY * 10, contact.pk),
    ]
    assert fresh(request_).status == S.RATED


def test_an_event_keeps_the_actors_name_as_it_was(request_, cadre):
    actor = user_of(cadre)
    accept(request_, actor=actor)
    assert fresh(request_).events.last().actor_label == actor.get_username()


def test_a_user_who_may_only_view_cannot_move_a_request(zone, request_):
    viewer = make_user("leader", organization=zone.root)
    with pytest.raises(PermissionDenied):
        accept(request_, actor=viewer)
    assert (fresh(request_).status, events(request_)) == (S.SUBMITTED, [E.SUBMITTED])


# -- the same steps through the API ------------------------------------------------------------------------
def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def step(client, request, name, **data):
    return client.post(f"/api/v1/requests/{request.pk}/steps/{name}/", data, format="json")


def test_the_designated_cadre_takes_a_request_through_its_steps_over_the_api(request_, cadre, contact):
    api, base = api_as(user_of(cadre)), request_.submitted_on
    response = step(api, request_, "accept", on=str(base + ONE_DAY), handling="leader")
    assert (response.status_code, response.json()["status"], response.json()["handling"]) == (
        200,
        S.ACCEPTED,
        "leader",
    )
    assert [e["label"] for e in response.json()["events"]] == ["提交", "受理"]  # the step just taken
    assert step(api, request_, "start", on=str(base + ONE_DAY * 2)).json()["status"] == S.IN_PROGRESS
    response = step(api, request_, "transfer", on=str(base + ONE_DAY * 3), department="税务局", text="核定")
    assert response.json()["transferred_to"] == "税务局"
    assert step(api, request_, "reply", on=str(base + ONE_DAY * 4), text="已核定").status_code == 200
    response = step(api, request_, "close", on=str(base + ONE_DAY * 5), text="已办结")
    assert (response.json()["status"], response.json()["closed_on"]) == (S.CLOSED, str(base + ONE_DAY * 5))
    response = step(api_as(contact), request_, "rate", rating=5, text="满意")
    assert (response.status_code, response.json()["status"], response.json()["rating"]) == (200, S.RATED, 5)
    labels = [e["label"] for e in response.json()["events"]]
    assert labels == ["提交", "受理", "开始办理", "转办", "转办反馈", "办结", "评价"]


@pytest.mark.parametrize(
    ("name", "data", "field", "text"),
    [
        ("accept", {"handling": "cadre"}, "on", "请填写日期"),
        ("accept", {"on": "2999-01-01", "handling": "cadre"}, "on", "日期不能晚于今天"),
        ("return", {"on": "TODAY"}, "reason", "请说明需要补充的材料"),
        ("close", {"on": "TODAY", "text": "办结"}, "status", status_error("已提交", "已受理", "办理中")),
    ],
)
def test_a_refused_step_over_the_api_is_a_400_with_the_chinese_reason(
    request_, cadre, name, data, field, text
):
    data = {k: (str(today()) if v == "TODAY" else v) for k, v in data.items()}
    response = step(api_as(user_of(cadre)), request_, name, **data)
    assert (response.status_code, response.json()[field]) == (400, [text])
    assert events(request_) == [E.SUBMITTED]


def test_a_rating_outside_one_to_five_over_the_api_is_a_400(request_, contact):
    closed(request_)
    response = step(api_as(contact), request_, "rate", rating=6)
    assert (response.status_code, response.json()["rating"]) == (400, ["满意度应为 1 到 5 分"])
    assert fresh(request_).status == S.CLOSED


def test_an_unknown_step_is_not_found(request_, cadre):
    response = step(api_as(user_of(cadre)), request_, "approve")
    assert (response.status_code, response.json()["detail"]) == (404, "没有这个办理环节")
