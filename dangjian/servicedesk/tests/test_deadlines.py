"""Deadlines in working days from each category's configuration (a 马上办 request is accepted
within one working day), the on-time flags behind the on-time rates, escalation to the
handler's leader the day after a breached deadline (once), and the automatic confirmation of a
closed request the enterprise has not confirmed within the configured days."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from rest_framework.test import APIClient

from dangjian.core.calendar import add_workdays
from dangjian.core.indicators import Period, compute
from dangjian.core.models import RuleSet
from dangjian.projects.tests.factories import make_cadre
from dangjian.servicedesk import rules, services
from dangjian.servicedesk.models import RequestCategory, RequestEvent, RequestStatus
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
    national_day_2025,
    rate,
    submit,
    today,
)

pytestmark = pytest.mark.django_db

S = RequestStatus
E = RequestEvent.Kind
Y2025 = Period.year(2025)


@pytest.fixture
def leader():
    user = make_user()
    user.full_name = "邢书记"
    user.save()
    return user


@pytest.fixture
def cadre(zone, leader):
    return designate(zone.enterprise_a, make_cadre("王联系", leader=leader))


@pytest.fixture
def immediate():
    return category("马上办")


def new_rule_version(effective_from, **values):
    merged = {"accept_workdays": 2, "close_workdays": 15, "confirm_days": 7, **values}
    return RuleSet.objects.create(
        key=rules.DESK, version=2, effective_from=effective_from, values=merged, note="新版时限"
    )


def escalate(day):
    return services.requests_escalate(actor=None, today=day)


def auto_confirm(day):
    return services.requests_auto_confirm(actor=None, today=day)


# -- deadlines ---------------------------------------------------------------------------------------
def test_a_request_immediately_handled_submitted_on_a_friday_is_due_for_acceptance_on_monday(
    zone, cadre, immediate
):
    request = submit(zone.enterprise_a, on=D(2025, 3, 7), category=immediate)
    assert fresh(request).accept_due == D(2025, 3, 10)


@pytest.mark.parametrize("submitted", [D(2025, 3, 8), D(2025, 3, 9)])
def test_a_request_immediately_handled_submitted_at_the_weekend_is_due_on_monday(
    zone, cadre, immediate, submitted
):
    assert fresh(submit(zone.enterprise_a, on=submitted, category=immediate)).accept_due == D(2025, 3, 10)


def test_a_request_immediately_handled_submitted_on_a_monday_is_due_on_tuesday(zone, cadre, immediate):
    assert fresh(submit(zone.enterprise_a, on=D(2025, 3, 3), category=immediate)).accept_due == D(2025, 3, 4)


def test_a_request_immediately_handled_submitted_the_day_before_a_holiday_is_due_after_it(
    zone, cadre, immediate
):
    holiday(D(2025, 5, 1), "劳动节")  # Thursday
    request = submit(zone.enterprise_a, on=D(2025, 4, 30), category=immediate)
    assert fresh(request).accept_due == D(2025, 5, 2)


def test_a_request_immediately_handled_submitted_the_day_before_national_day_is_due_after_the_holiday(
    zone, cadre, immediate
):
    national_day_2025()
    request = submit(zone.enterprise_a, on=D(2025, 9, 30), category=immediate)
    assert fresh(request).accept_due == D(2025, 10, 9)


def test_a_made_up_working_saturday_can_be_the_due_day(zone, cadre, immediate):
    national_day_2025()
    request = submit(zone.enterprise_a, on=D(2025, 10, 10), category=immediate)
    assert fresh(request).accept_due == D(2025, 10, 11)


def test_a_categorys_own_limits_set_both_deadlines(zone, cadre):
    request = submit(zone.enterprise_a, on=D(2025, 3, 6), category=category("政策咨询"))  # 2 and 10
    assert fresh(request).accept_due == D(2025, 3, 10)
    accept(request, on=D(2025, 3, 10))
    assert fresh(request).close_due == D(2025, 3, 24)


def test_the_closing_deadline_of_a_request_immediately_handled_skips_the_holiday(zone, cadre, immediate):
    national_day_2025()
    request = submit(zone.enterprise_a, on=D(2025, 9, 29), category=immediate)
    accept(request, on=D(2025, 9, 29))
    # 5 working days after 29 Sep: 30 Sep, 9, 10, 11 (Saturday, made up) and 13 Oct
    assert fresh(request).close_due == D(2025, 10, 13)


def test_changing_a_categorys_limits_applies_to_requests_submitted_afterwards(zone, cadre):
    policy = category("政策咨询")
    before = submit(zone.enterprise_a, on=D(2025, 3, 3), category=policy)
    policy.accept_workdays = 5
    policy.save()
    after = submit(zone.enterprise_a, on=D(2025, 3, 3), category=policy)
    assert (fresh(before).accept_due, fresh(after).accept_due) == (D(2025, 3, 5), D(2025, 3, 10))


def test_a_request_without_a_category_takes_the_default_limits(zone, cadre):
    request = submit(zone.enterprise_a, on=D(2025, 3, 3))
    assert fresh(request).accept_due == add_workdays(D(2025, 3, 3), 2)
    accept(request, on=D(2025, 3, 4))
    assert fresh(request).close_due == add_workdays(D(2025, 3, 4), 15)


def test_a_newer_rule_version_sets_the_default_limits_from_its_effective_day(zone, cadre):
    new_rule_version(D(2025, 6, 2), accept_workdays=3, close_workdays=20)
    before = submit(zone.enterprise_a, on=D(2025, 5, 30))
    after = submit(zone.enterprise_a, on=D(2025, 6, 2))
    assert fresh(before).accept_due == add_workdays(D(2025, 5, 30), 2)
    assert fresh(after).accept_due == add_workdays(D(2025, 6, 2), 3)
    assert fresh(after).rule.version == 2
    accept(after, on=D(2025, 6, 3))
    assert fresh(after).close_due == add_workdays(D(2025, 6, 3), 20)


def test_a_category_handled_immediately_must_be_accepted_within_one_working_day():
    with pytest.raises(ValidationError) as excinfo:
        RequestCategory(name="急事急办", is_immediate=True, accept_workdays=2, close_workdays=5).full_clean()
    assert excinfo.value.message_dict["accept_workdays"] == ["“马上办”类别须在 1 个工作日内受理"]


def test_a_category_needs_at_least_one_working_day_to_close():
    with pytest.raises(ValidationError) as excinfo:
        RequestCategory(name="零时限", accept_workdays=1, close_workdays=0).full_clean()
    assert excinfo.value.messages == ["时限至少 1 个工作日"]


# -- on time and late ------------------------------------------------------------------------------------
def test_accepting_on_the_due_day_is_on_time_and_the_day_after_is_late(zone, cadre, immediate):
    on_time = submit(zone.enterprise_a, on=D(2025, 3, 7), category=immediate)
    late = submit(zone.enterprise_a, on=D(2025, 3, 7), category=immediate)
    accept(on_time, on=D(2025, 3, 10))
    accept(late, on=D(2025, 3, 11))
    assert (fresh(on_time).accepted_late, fresh(late).accepted_late) == (False, True)
    assert fresh(late).events.last().note.endswith("（超过受理期限）")
    assert not fresh(on_time).events.last().note.endswith("（超过受理期限）")
    assert compute("requests.on_time_acceptance", period=Y2025).value == 50


def test_closing_on_the_due_day_is_on_time_and_the_day_after_is_late(zone, cadre, immediate):
    on_time = submit(zone.enterprise_a, on=D(2025, 3, 3), category=immediate)
    late = submit(zone.enterprise_a, on=D(2025, 3, 3), category=immediate)
    for request in (on_time, late):
        accept(request, on=D(2025, 3, 3))
    due = fresh(on_time).close_due
    assert due == D(2025, 3, 10)
    close(on_time, on=due)
    close(late, on=due + ONE_DAY)
    assert (fresh(on_time).closed_late, fresh(late).closed_late) == (False, True)
    assert compute("requests.on_time_closing", period=Y2025).value == 50


def test_a_late_acceptance_counts_against_the_cadres_on_time_rate_only(zone, cadre, immediate):
    other = designate(zone.enterprise_b, make_cadre("李联系"))
    mine = submit(zone.enterprise_a, on=D(2025, 3, 7), category=immediate)
    theirs = submit(zone.enterprise_b, on=D(2025, 3, 7), category=immediate)
    accept(mine, on=D(2025, 3, 12))
    accept(theirs, on=D(2025, 3, 10))
    assert compute("requests.on_time_acceptance", period=Y2025, 承办人="王联系").value == 0
    assert compute("requests.on_time_acceptance", period=Y2025, 承办人=other.name).value == 100


# -- escalation ------------------------------------------------------------------------------------------
def test_a_request_not_accepted_is_escalated_the_day_after_its_deadline_and_not_on_it(zone, cadre, immediate):
    request = submit(zone.enterprise_a, on=D(2025, 3, 7), category=immediate)
    due = fresh(request).accept_due
    assert escalate(due) == 0
    assert fresh(request).escalated_on is None
    assert escalate(due + ONE_DAY) == 1
    request = fresh(request)
    assert request.escalated_on == due + ONE_DAY
    last = request.events.last()
    assert (last.kind, last.on) == (E.ESCALATED, due + ONE_DAY)
    assert last.note == "超过受理期限 2025-03-10，已升级至邢书记"


def test_a_request_is_escalated_only_once_for_a_deadline(zone, cadre, immediate):
    request = submit(zone.enterprise_a, on=D(2025, 3, 7), category=immediate)
    escalate(D(2025, 3, 11))
    assert escalate(D(2025, 3, 12)) == 0
    assert escalate(D(2025, 4, 30)) == 0
    assert events(request).count(E.ESCALATED) == 1
    assert fresh(request).escalated_on == D(2025, 3, 11)


def test_a_request_not_closed_in_time_is_escalated_the_day_after_its_closing_deadline(zone, cadre, immediate):
    request = submit(zone.enterprise_a, on=D(2025, 3, 3), category=immediate)
    accept(request, on=D(2025, 3, 3))
    due = fresh(request).close_due
    assert escalate(due) == 0
    assert escalate(due + ONE_DAY) == 1
    assert fresh(request).events.last().note == f"超过办结期限 {due:%Y-%m-%d}，已升级至邢书记"


def test_a_request_escalated_for_late_acceptance_is_escalated_again_when_its_closing_deadline_passes(
    zone, cadre, immediate
):
    request = submit(zone.enterprise_a, on=D(2025, 3, 7), category=immediate)
    escalate(D(2025, 3, 11))
    accept(request, on=D(2025, 3, 12))
    due = fresh(request).close_due
    assert escalate(due) == 0
    assert escalate(due + ONE_DAY) == 1
    notes = list(fresh(request).events.filter(kind=E.ESCALATED).values_list("note", flat=True))
    assert notes == [
        "超过受理期限 2025-03-10，已升级至邢书记",
        f"超过办结期限 {due:%Y-%m-%d}，已升级至邢书记",
    ]


def test_a_resubmitted_request_is_escalated_again_when_its_new_deadline_passes(zone, cadre, immediate):
    request = submit(zone.enterprise_a, on=D(2025, 3, 7), category=immediate)
    escalate(D(2025, 3, 11))
    services.request_return(actor=None, request=fresh(request), on=D(2025, 3, 12), reason="补材料")
    services.request_resubmit(actor=None, request=fresh(request), on=D(2025, 3, 14))
    due = fresh(request).accept_due
    assert due == D(2025, 3, 17)
    assert escalate(due) == 0
    assert escalate(due + ONE_DAY) == 1
    assert fresh(request).events.last().note == "超过受理期限 2025-03-17，已升级至邢书记"


def test_without_a_leader_the_escalation_goes_to_the_zone_office(zone):
    designate(zone.enterprise_b, make_cadre("无领导"))
    request = submit(zone.enterprise_b, on=D(2025, 3, 7), category=category("马上办"))
    escalate(D(2025, 3, 11))
    assert fresh(request).events.last().note == "超过受理期限 2025-03-10，已升级至党工委管理员"


def test_a_request_without_a_handler_is_escalated_to_the_zone_office(zone):
    request = submit(zone.enterprise_b, on=D(2025, 3, 7), category=category("马上办"))
    assert escalate(D(2025, 3, 11)) == 1
    assert fresh(request).events.last().note.endswith("已升级至党工委管理员")


def test_returned_suspended_and_closed_requests_are_not_escalated(zone, cadre, immediate):
    returned = submit(zone.enterprise_a, on=D(2025, 3, 7), category=immediate)
    services.request_return(actor=None, request=returned, on=D(2025, 3, 7), reason="补材料")
    suspended = submit(zone.enterprise_a, on=D(2025, 3, 7), category=immediate)
    accept(suspended, on=D(2025, 3, 7))
    services.request_suspend(actor=None, request=fresh(suspended), on=D(2025, 3, 7), reason="等待")
    closed = submit(zone.enterprise_a, on=D(2025, 3, 7), category=immediate)
    accept(closed, on=D(2025, 3, 7))
    close(closed, on=D(2025, 3, 7))
    assert escalate(today()) == 0
    for request in (returned, suspended, closed):
        assert fresh(request).escalated_on is None
        assert E.ESCALATED not in events(request)


def test_a_suspended_request_resumed_past_its_deadline_is_escalated(zone, cadre, immediate):
    request = submit(zone.enterprise_a, on=D(2025, 3, 3), category=immediate)
    accept(request, on=D(2025, 3, 3))
    services.request_suspend(actor=None, request=fresh(request), on=D(2025, 3, 4), reason="等待")
    services.request_resume(actor=None, request=fresh(request), on=D(2025, 3, 6))
    due = fresh(request).close_due
    assert due == add_workdays(D(2025, 3, 10), 2) == D(2025, 3, 12)
    assert escalate(due) == 0
    assert escalate(due + ONE_DAY) == 1


# -- automatic confirmation ---------------------------------------------------------------------------------
@pytest.fixture
def closed_on_march_10(zone, cadre):
    request = submit(zone.enterprise_a, on=D(2025, 3, 3))
    accept(request, on=D(2025, 3, 3))
    close(request, on=D(2025, 3, 10))
    return fresh(request)


def test_a_closed_request_confirms_itself_after_the_configured_days_and_not_before(closed_on_march_10):
    request = closed_on_march_10
    assert auto_confirm(D(2025, 3, 16)) == 0
    assert fresh(request).status == S.CLOSED
    assert auto_confirm(D(2025, 3, 17)) == 1
    request = fresh(request)
    assert (request.status, request.auto_confirmed, request.confirmed_on, request.rating) == (
        S.RATED,
        True,
        D(2025, 3, 17),
        None,
    )
    last = request.events.last()
    assert (last.kind, last.on) == (E.AUTO_CONFIRMED, D(2025, 3, 17))
    assert last.note == "办结后 7 天内企业未确认，自动确认（未评分）"


def test_an_automatically_confirmed_request_is_confirmed_once(closed_on_march_10):
    auto_confirm(D(2025, 3, 17))
    assert auto_confirm(D(2025, 3, 18)) == 0
    assert events(closed_on_march_10).count(E.AUTO_CONFIRMED) == 1


def test_a_request_the_enterprise_rated_is_not_confirmed_again(closed_on_march_10):
    rate(closed_on_march_10, 4, on=D(2025, 3, 12))
    assert auto_confirm(D(2025, 4, 30)) == 0
    request = fresh(closed_on_march_10)
    assert (request.rating, request.auto_confirmed, request.confirmed_on) == (4, False, D(2025, 3, 12))


def test_an_open_request_is_never_confirmed_automatically(zone, cadre):
    request = submit(zone.enterprise_a, on=D(2025, 3, 3))
    accept(request, on=D(2025, 3, 3))
    assert auto_confirm(today()) == 0
    assert fresh(request).status == S.ACCEPTED


def test_a_newer_rule_version_sets_the_days_to_confirm_for_requests_closed_from_its_effective_day(
    zone, cadre
):
    new_rule_version(D(2025, 6, 2), confirm_days=3)
    older = submit(zone.enterprise_a, on=D(2025, 5, 26))
    newer = submit(zone.enterprise_a, on=D(2025, 5, 26))
    accept(older, on=D(2025, 5, 26))
    accept(newer, on=D(2025, 5, 26))
    close(older, on=D(2025, 5, 30))  # under version 1: 7 days, confirms on 6 June
    close(newer, on=D(2025, 6, 2))  # under version 2: 3 days, confirms on 5 June
    assert auto_confirm(D(2025, 6, 4)) == 0
    assert auto_confirm(D(2025, 6, 5)) == 1
    assert (fresh(older).status, fresh(newer).status) == (S.CLOSED, S.RATED)
    assert fresh(newer).events.last().note == "办结后 3 天内企业未确认，自动确认（未评分）"
    assert auto_confirm(D(2025, 6, 6)) == 1
    assert fresh(older).status == S.RATED


def test_an_automatically_confirmed_request_does_not_count_in_satisfaction(closed_on_march_10, zone):
    rated = submit(zone.enterprise_a, on=D(2025, 3, 3))
    accept(rated, on=D(2025, 3, 3))
    close(rated, on=D(2025, 3, 10))
    rate(rated, 3, on=D(2025, 3, 11))
    auto_confirm(D(2025, 3, 17))
    assert compute("requests.satisfaction", period=Y2025).value == 3


# -- the daily command ---------------------------------------------------------------------------------------
def test_the_daily_command_escalates_and_confirms(zone, cadre, immediate, closed_on_march_10):
    overdue = submit(zone.enterprise_a, on=today() - ONE_DAY * 10, category=immediate)
    out = io.StringIO()
    call_command("servicedesk_daily", stdout=out)
    assert out.getvalue().strip() == "升级 1 个超时事项，自动确认 1 个事项"
    assert fresh(overdue).escalated_on == today()
    assert fresh(closed_on_march_10).status == S.RATED
    event = fresh(overdue).events.last()
    assert (event.kind, event.actor) == (E.ESCALATED, None)
    assert event.actor_label != ""


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        (
            {"is_immediate": True, "accept_workdays": 2},
            "accept_workdays",
            "“马上办”类别须在 1 个工作日内受理",
        ),
        ({"accept_workdays": 0}, "non_field_errors", "时限至少 1 个工作日"),
    ],
)
def test_a_category_configured_through_the_api_is_checked_like_in_the_back_office(zone, data, field, text):
    client = APIClient()
    client.force_authenticate(make_user("zone_admin", organization=zone.root))
    response = client.post(
        "/api/v1/request-categories/", {"name": "急事急办", "close_workdays": 5, **data}, format="json"
    )
    assert response.status_code == 400
    assert response.json()[field] == [text]
    assert not RequestCategory.objects.filter(name="急事急办").exists()
