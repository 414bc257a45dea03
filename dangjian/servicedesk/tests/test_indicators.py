"""requests.approvals_done, requests.services_done and requests.satisfaction exactly as
INDICATORS.md defines them, at the edges of the period and of the scope; and the on-time
acceptance and closing rates per category and per cadre."""

import datetime
from decimal import Decimal

import pytest

from dangjian.core.indicators import Period, compute, get
from dangjian.core.testing.ledgers import import_rows
from dangjian.projects.tests.factories import make_cadre, user_of
from dangjian.servicedesk import services
from dangjian.servicedesk.models import RequestKind, ServiceRequest
from dangjian.servicedesk.selectors import on_time_rates
from dangjian.testing.factories import make_user

from .factories import D, accept, category, close, designate, fresh, rate, submit

pytestmark = pytest.mark.django_db

Y2025 = Period.year(2025)
HEADER = ["事项编号", "企业名称", "事项类型", "事项名称", "受理日期", "办结日期", "办理状态", "满意度"]
KIND_WORDS = {RequestKind.APPROVAL: "审批事项", RequestKind.SERVICE: "服务事项", RequestKind.DEMAND: "诉求"}


def value(code, period=Y2025, **options):
    return compute(code, period=period, **options).value


def titles(code, period=Y2025, **options):
    return sorted(r.title for r in compute(code, period=period, **options).records)


def requests(*specs):
    """Import requests as a ledger states them: (title, kind, closed_on, rating[, enterprise])."""
    rows = [HEADER]
    for spec in specs:
        title, kind, closed_on, rating, *rest = spec
        enterprise = rest[0] if rest else "甲企业"
        accepted_on = min(closed_on, D(2024, 12, 1)) if closed_on else D(2024, 12, 1)
        rows.append(
            [
                "",
                enterprise,
                KIND_WORDS[kind],
                title,
                accepted_on,
                closed_on or "",
                "已办结" if closed_on else "办理中",
                rating or "",
            ]
        )
    report = import_rows("requests", rows)
    assert report.ok, report.errors


def test_the_three_indicators_and_the_on_time_rates_are_registered_with_their_names_and_units():
    found = {
        code: (get(code).name, get(code).unit)
        for code in (
            "requests.approvals_done",
            "requests.services_done",
            "requests.satisfaction",
            "requests.on_time_acceptance",
            "requests.on_time_closing",
        )
    }
    assert found == {
        "requests.approvals_done": ("办理审批事项数", "项"),
        "requests.services_done": ("办理服务事项数", "项"),
        "requests.satisfaction": ("企业满意度", "分"),
        "requests.on_time_acceptance": ("按时受理率", "%"),
        "requests.on_time_closing": ("按时办结率", "%"),
    }
    assert get("requests.on_time_acceptance").filters == ("类别", "承办人")


# -- approvals_done, services_done ---------------------------------------------------------------------
def test_approvals_done_counts_approvals_closed_in_the_period_both_ends_included(zone):
    requests(
        ("年初办结", RequestKind.APPROVAL, D(2025, 1, 1), None),
        ("年末办结", RequestKind.APPROVAL, D(2025, 12, 31), None),
        ("上年末办结", RequestKind.APPROVAL, D(2024, 12, 31), None),
        ("次年初办结", RequestKind.APPROVAL, D(2026, 1, 1), None),
        ("未办结", RequestKind.APPROVAL, None, None),
        ("服务事项", RequestKind.SERVICE, D(2025, 6, 1), None),
        ("诉求", RequestKind.DEMAND, D(2025, 6, 1), None),
    )
    assert value("requests.approvals_done") == 2
    assert titles("requests.approvals_done") == ["年初办结", "年末办结"]
    assert value("requests.approvals_done", Period.year(2024)) == 1
    assert value("requests.approvals_done", Period.year(2026)) == 1


def test_services_done_counts_services_closed_in_the_period_both_ends_included(zone):
    requests(
        ("年初辅导", RequestKind.SERVICE, D(2025, 1, 1), None),
        ("年末辅导", RequestKind.SERVICE, D(2025, 12, 31), 5),
        ("上年辅导", RequestKind.SERVICE, D(2024, 12, 31), None),
        ("次年辅导", RequestKind.SERVICE, D(2026, 1, 1), None),
        ("办理中的辅导", RequestKind.SERVICE, None, None),
        ("审批", RequestKind.APPROVAL, D(2025, 6, 1), None),
    )
    assert titles("requests.services_done") == ["年初辅导", "年末辅导"]
    assert value("requests.services_done") == 2


def test_a_rated_request_counts_as_done(zone):
    requests(("已评价", RequestKind.APPROVAL, D(2025, 5, 5), 4))
    assert ServiceRequest.objects.get().status == "rated"
    assert value("requests.approvals_done") == 1


def test_a_request_imported_twice_counts_once(zone):
    spec = ("代办施工许可", RequestKind.APPROVAL, D(2025, 5, 5), None)
    requests(spec)
    requests(spec)
    assert value("requests.approvals_done") == 1


def test_a_request_closed_in_the_service_desk_counts_by_its_closing_day(zone):
    designate(zone.enterprise_a, make_cadre("王联系"))
    request = submit(zone.enterprise_a, on=D(2024, 12, 30), kind=RequestKind.APPROVAL)
    accept(request, on=D(2024, 12, 31))
    assert value("requests.approvals_done", Period.year(2024)) == 0
    close(request, on=D(2025, 1, 2))
    assert value("requests.approvals_done", Period.year(2024)) == 0
    assert value("requests.approvals_done") == 1


def test_the_counts_follow_the_enterprises_organization(zone):
    requests(
        ("甲的审批", RequestKind.APPROVAL, D(2025, 5, 5), None, "甲企业"),
        ("乙的审批", RequestKind.APPROVAL, D(2025, 5, 5), None, "乙企业"),
    )
    assert titles("requests.approvals_done", scope=zone.committee_a) == ["甲的审批"]
    assert titles("requests.approvals_done", scope=zone.branch_b) == ["乙的审批"]
    assert value("requests.approvals_done", scope=zone.branch_a1) == 0
    assert value("requests.approvals_done", scope=zone.root) == 2


# -- satisfaction -----------------------------------------------------------------------------------------
def test_satisfaction_is_the_mean_rating_with_two_decimals(zone):
    requests(*[(f"事项{i}", RequestKind.SERVICE, D(2025, 3, 1), r) for i, r in enumerate([5, 4, 4])])
    assert value("requests.satisfaction") == Decimal("4.33")


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([5, 5, 5, 5, 5, 4, 4, 4], "4.63"),  # 4.625 rounds half up
        ([5, 4, 4, 4, 4, 4, 4, 4], "4.13"),  # 4.125 rounds half up, not to even
        ([5, 4], "4.50"),
        ([3], "3.00"),
        ([5, 5, 4], "4.67"),
    ],
)
def test_satisfaction_rounds_half_up(zone, ratings, expected):
    requests(*[(f"事项{i}", RequestKind.DEMAND, D(2025, 3, 1), r) for i, r in enumerate(ratings)])
    result = value("requests.satisfaction")
    assert (result, str(result)) == (Decimal(expected), expected)


def test_satisfaction_takes_only_rated_requests_closed_in_the_period(zone):
    requests(
        ("期内已评价", RequestKind.SERVICE, D(2025, 12, 31), 3),
        ("期内另一项", RequestKind.APPROVAL, D(2025, 1, 1), 4),
        ("期内未评价", RequestKind.SERVICE, D(2025, 6, 1), None),
        ("上年已评价", RequestKind.SERVICE, D(2024, 12, 31), 1),
        ("次年已评价", RequestKind.SERVICE, D(2026, 1, 1), 1),
    )
    assert value("requests.satisfaction") == Decimal("3.50")
    assert titles("requests.satisfaction") == ["期内另一项", "期内已评价"]


def test_satisfaction_without_any_rating_has_no_value(zone):
    requests(("未评价", RequestKind.SERVICE, D(2025, 6, 1), None))
    assert value("requests.satisfaction") is None


def test_a_rating_given_in_the_next_year_counts_in_the_year_the_request_was_closed(zone):
    designate(zone.enterprise_a, make_cadre("王联系"))
    request = submit(zone.enterprise_a, on=D(2025, 12, 29))
    accept(request, on=D(2025, 12, 29))
    close(request, on=D(2025, 12, 31))
    rate(request, 2, on=D(2026, 1, 3))
    assert value("requests.satisfaction") == Decimal("2.00")
    assert value("requests.satisfaction", Period.year(2026)) is None


def test_satisfaction_follows_the_scope(zone):
    requests(
        ("甲", RequestKind.SERVICE, D(2025, 3, 1), 5, "甲企业"),
        ("乙", RequestKind.SERVICE, D(2025, 3, 1), 2, "乙企业"),
    )
    assert value("requests.satisfaction", scope=zone.committee_a) == Decimal("5.00")
    assert value("requests.satisfaction", scope=zone.branch_b) == Decimal("2.00")
    assert value("requests.satisfaction") == Decimal("3.50")


# -- on-time rates ----------------------------------------------------------------------------------------
@pytest.fixture
def handled(zone):
    """Requests submitted Friday 7 March 2025 (马上办 due Monday 10, 政策咨询 due Tuesday 11), by 王
    (甲企业) and 李 (乙企业)."""
    wang = designate(zone.enterprise_a, make_cadre("王联系"))
    li = designate(zone.enterprise_b, make_cadre("李联系"))
    immediate, policy = category("马上办"), category("政策咨询")
    friday = D(2025, 3, 7)

    def made(enterprise, cat, accepted_on, closed_after=None):
        request = submit(enterprise, on=friday, category=cat)
        accept(request, on=accepted_on)
        if closed_after is not None:
            request.refresh_from_db()
            close(request, on=request.close_due + datetime.timedelta(days=closed_after))
        return request

    made(zone.enterprise_a, immediate, D(2025, 3, 10), closed_after=0)  # on time, closed on time
    made(zone.enterprise_a, immediate, D(2025, 3, 11), closed_after=1)  # late, closed late
    made(zone.enterprise_a, policy, D(2025, 3, 11), closed_after=0)  # on time
    made(zone.enterprise_b, policy, D(2025, 3, 12), closed_after=5)  # late, late
    made(zone.enterprise_b, immediate, D(2025, 3, 10))  # on time, not closed
    return wang, li


def test_the_on_time_acceptance_rate_over_all_requests_accepted_in_the_period(handled):
    assert value("requests.on_time_acceptance") == Decimal("60.0")
    assert len(compute("requests.on_time_acceptance", period=Y2025).records) == 5
    assert value("requests.on_time_acceptance", Period.year(2024)) is None


def test_the_on_time_closing_rate_over_requests_closed_in_the_period_and_those_left_overdue(handled):
    # four closed (two on time) and one accepted 10 March, due 17 March, never closed
    assert value("requests.on_time_closing") == Decimal("40.0")
    assert len(compute("requests.on_time_closing", period=Y2025).records) == 5
    # on its due day the open one is not yet late, and is not counted
    assert value("requests.on_time_closing", today=D(2025, 3, 17)) == Decimal("50.0")
    assert value("requests.on_time_closing", today=D(2025, 3, 18)) == Decimal("40.0")


def test_the_on_time_rates_per_category(handled):
    assert value("requests.on_time_acceptance", 类别="马上办") == Decimal("66.7")
    assert value("requests.on_time_acceptance", 类别="政策咨询") == Decimal("50.0")
    assert value("requests.on_time_closing", 类别="马上办") == Decimal("33.3")
    assert value("requests.on_time_closing", category=str(category("政策咨询").pk)) == Decimal("50.0")
    assert value("requests.on_time_acceptance", 类别="融资对接") is None


def test_the_on_time_rates_per_cadre(handled):
    _, li = handled
    assert value("requests.on_time_acceptance", 承办人="王联系") == Decimal("66.7")
    assert value("requests.on_time_acceptance", 承办人="李联系") == Decimal("50.0")
    assert value("requests.on_time_closing", 承办人="王联系") == Decimal("66.7")
    assert value("requests.on_time_closing", cadre=str(li.pk)) == Decimal("0.0")
    assert value("requests.on_time_closing", 类别="马上办", 承办人="王联系") == Decimal("50.0")


def test_imported_requests_without_deadlines_do_not_count_in_the_on_time_rates(zone):
    requests(("台账事项", RequestKind.SERVICE, D(2025, 3, 1), 5))
    assert value("requests.on_time_acceptance") is None
    assert value("requests.on_time_closing") is None


def test_the_rates_table_per_category_and_per_cadre(handled, zone):
    admin = make_user("zone_admin", organization=zone.root)
    start, end = D(2025, 1, 1), D(2025, 12, 31)
    by_category = on_time_rates(user=admin, start=start, end=end, by="category")
    assert by_category == {
        "马上办": {"accept": (2, 3), "close": (1, 3)},
        "政策咨询": {"accept": (1, 2), "close": (1, 2)},
    }
    by_cadre = on_time_rates(user=admin, start=start, end=end, by="handler")
    assert by_cadre == {
        "王联系": {"accept": (2, 3), "close": (2, 3)},
        "李联系": {"accept": (1, 2), "close": (0, 2)},
    }


def test_the_rates_table_shows_a_cadre_only_what_they_see(handled):
    wang, _ = handled
    rows = on_time_rates(user=user_of(wang), start=D(2025, 1, 1), end=D(2025, 12, 31), by="handler")
    assert list(rows) == ["王联系"]


def test_a_suspended_request_closed_by_its_moved_deadline_is_on_time(zone):
    designate(zone.enterprise_a, make_cadre("王联系"))
    request = submit(zone.enterprise_a, on=D(2025, 3, 3), category=category("马上办"))
    accept(request, on=D(2025, 3, 3))  # due 10 March
    services.request_suspend(
        actor=None, request=ServiceRequest.objects.get(), on=D(2025, 3, 4), reason="等待"
    )
    services.request_resume(actor=None, request=ServiceRequest.objects.get(), on=D(2025, 3, 6))
    close(request, on=D(2025, 3, 12))
    assert value("requests.on_time_closing") == Decimal("100.0")


# -- a breached deadline counts against the rate before it is remedied ------------------------------------
@pytest.fixture
def waiting(zone):
    """A 马上办 request submitted Tuesday 30 December 2025, due for acceptance Wednesday 31 December."""
    designate(zone.enterprise_a, make_cadre("王联系"))
    return submit(zone.enterprise_a, on=D(2025, 12, 30), category=category("马上办"), title="年末诉求")


def test_an_unaccepted_request_is_not_counted_up_to_its_due_day(waiting):
    assert value("requests.on_time_acceptance", today=D(2025, 12, 31)) is None


def test_an_unaccepted_request_counts_late_from_the_day_after_its_due_day_in_the_year_it_fell_due(waiting):
    assert value("requests.on_time_acceptance", today=D(2026, 1, 1)) == Decimal("0.0")
    assert titles("requests.on_time_acceptance", today=D(2026, 1, 1)) == ["年末诉求"]
    assert value("requests.on_time_acceptance", Period.year(2026), today=D(2026, 1, 1)) is None


def test_once_accepted_late_it_counts_in_the_year_it_was_accepted(waiting):
    accept(waiting, on=D(2026, 1, 5))
    assert value("requests.on_time_acceptance", today=D(2026, 2, 1)) is None
    assert value("requests.on_time_acceptance", Period.year(2026), today=D(2026, 2, 1)) == Decimal("0.0")


def test_a_request_sent_back_to_the_enterprise_is_not_counted_while_it_waits_on_them(waiting):
    services.request_return(actor=None, request=fresh(waiting), on=D(2025, 12, 31), reason="补充营业执照")
    assert value("requests.on_time_acceptance", today=D(2026, 3, 1)) is None


def test_an_accepted_request_left_open_past_its_closing_deadline_counts_late_but_not_while_suspended(zone):
    designate(zone.enterprise_a, make_cadre("王联系"))
    request = submit(zone.enterprise_a, on=D(2025, 3, 3), category=category("马上办"))
    accept(request, on=D(2025, 3, 3))  # closing due Monday 10 March
    assert value("requests.on_time_closing", today=D(2025, 3, 10)) is None
    assert value("requests.on_time_closing", today=D(2025, 3, 11)) == Decimal("0.0")
    assert value("requests.on_time_acceptance", today=D(2025, 3, 11)) == Decimal("100.0")
    services.request_suspend(actor=None, request=fresh(request), on=D(2025, 3, 4), reason="等待外部审批")
    assert value("requests.on_time_closing", today=D(2025, 3, 11)) is None


def test_the_rates_table_counts_the_requests_left_overdue_too(waiting, zone):
    admin = make_user("zone_admin", organization=zone.root)
    rows = on_time_rates(
        user=admin, start=D(2025, 1, 1), end=D(2025, 12, 31), by="category", today=D(2026, 1, 1)
    )
    assert rows == {"马上办": {"accept": (0, 1)}}
    assert (
        on_time_rates(
            user=admin, start=D(2025, 1, 1), end=D(2025, 12, 31), by="category", today=D(2025, 12, 31)
        )
        == {}
    )
