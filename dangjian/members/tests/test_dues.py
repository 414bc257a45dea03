"""党费: the versioned table at every bracket edge, monthly assessments, payments, the monthly
ledger, unpaid warnings and the collection rate (services.dues, selectors, indicators)."""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.core.indicators import Period, compute
from dangjian.core.models import RuleSet
from dangjian.core.rules import rules_for
from dangjian.core.validators import add_months
from dangjian.members import rules, services
from dangjian.members.models import DuesAssessment, DuesBase, DuesCategory, DuesPayment, Member
from dangjian.members.selectors import dues_ledger, unpaid_streaks
from dangjian.members.warnings import dues_warnings
from dangjian.organizations.models import PartyOrganization
from dangjian.organizations.warnings import organization_warnings
from dangjian.testing.factories import make_member, make_user

D = datetime.date
M = Decimal


@contextmanager
def refused(field):
    with pytest.raises(ValidationError) as excinfo:
        yield excinfo
    assert field in excinfo.value.message_dict, excinfo.value.message_dict


def message(excinfo, field):
    return " ".join(excinfo.value.message_dict[field])


BASE_FROM = D(2024, 1, 1)


def set_base(member, effective_from=BASE_FROM, category=DuesCategory.EMPLOYED, income=None, fixed=None):
    return services.dues_base_set(
        actor=None,
        member=member,
        effective_from=effective_from,
        category=category,
        income=M(income) if income is not None else None,
        fixed_amount=M(fixed) if fixed is not None else None,
    )


def assess(organization, month):
    return services.dues_assess(actor=None, organization=organization, month=month)


def pay(member, month, amount, paid_on=None, voluntary=False, actor=None):
    return services.dues_pay(
        actor=actor,
        member=member,
        month=month,
        amount=M(amount),
        paid_on=paid_on or month + datetime.timedelta(days=9),
        voluntary=voluntary,
    )


def payable(member, month):
    return DuesAssessment.objects.get(member=member, month=month).payable


def member_with_base(organization, income="4000.00", category=DuesCategory.EMPLOYED, **fields):
    member = make_member(organization, **fields)
    set_base(member, category=category, income=income if category in ("employed", "retired") else None)
    return member


def months(first: datetime.date, count: int):
    return [add_months(first, i) for i in range(count)]


# -- the table -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("income", "dues"),
    [
        ("0.00", "0.00"),
        ("1000.00", "5.00"),
        ("3000.00", "15.00"),
        ("3000.01", "30.00"),
        ("5000.00", "50.00"),
        ("5000.01", "75.00"),
        ("10000.00", "150.00"),
        ("10000.01", "200.00"),
        ("25000.00", "500.00"),
    ],
)
def test_employed_members_pay_one_rate_on_the_whole_income_after_tax(db, income, dues):
    amount = services.dues_amount(DuesCategory.EMPLOYED, income=M(income))
    assert amount == M(dues)
    assert amount.as_tuple().exponent == -2  # an exact amount in fen


@pytest.mark.parametrize(
    ("pension", "dues"),
    [("3000.00", "15.00"), ("5000.00", "25.00"), ("5000.01", "50.00"), ("8000.00", "80.00")],
)
def test_retired_members_pay_half_a_percent_up_to_5000_and_one_percent_above(db, pension, dues):
    assert services.dues_amount(DuesCategory.RETIRED, income=M(pension)) == M(dues)


@pytest.mark.parametrize(
    ("category", "income", "dues"),
    [
        ("employed", "1234.50", "6.17"),  # 6.1725
        ("employed", "1233.00", "6.17"),  # 6.165: half a fen goes up
        ("employed", "1232.99", "6.16"),  # 6.16495
        ("employed", "4000.50", "40.01"),  # 40.005
        ("employed", "6003.00", "90.05"),  # 90.045
        ("retired", "1233.00", "6.17"),  # 6.165
    ],
)
def test_amounts_are_rounded_half_up_to_the_fen(db, category, income, dues):
    assert services.dues_amount(category, income=M(income)) == M(dues)


@pytest.mark.parametrize("category", [DuesCategory.STUDENT, DuesCategory.UNEMPLOYED, DuesCategory.RELIEF])
def test_students_the_unemployed_and_those_on_relief_pay_twenty_fen(db, category):
    assert services.dues_amount(category) == M("0.20")
    assert services.dues_amount(category, income=M("3000.00")) == M("0.20")


@pytest.mark.parametrize("fixed", ["0.20", "0.50", "1.00"])
def test_a_farmer_pays_what_the_branch_sets_between_twenty_fen_and_one_yuan(db, fixed):
    assert services.dues_amount(DuesCategory.FARMER, fixed_amount=M(fixed)) == M(fixed)


@pytest.mark.parametrize("fixed", ["0.19", "1.01", None])
def test_a_farmer_amount_outside_twenty_fen_to_one_yuan_is_refused(db, fixed):
    with refused("fixed_amount") as excinfo:
        services.dues_amount(DuesCategory.FARMER, fixed_amount=M(fixed) if fixed else None)
    assert "0.20 至 1.00 元" in message(excinfo, "fixed_amount")


@pytest.mark.parametrize("income", ["-0.01", None])
def test_an_income_that_is_missing_or_negative_is_refused(db, income):
    with refused("income"):
        services.dues_amount(DuesCategory.EMPLOYED, income=M(income) if income else None)


def test_a_base_that_breaks_the_table_is_not_stored(zone):
    member = make_member(zone.branch_a1)
    with refused("fixed_amount"):
        set_base(member, category=DuesCategory.FARMER, fixed="1.01")
    assert not DuesBase.objects.exists()


# -- assessments -----------------------------------------------------------------------------------
def test_a_base_applies_from_the_first_of_its_month(zone):
    member = make_member(zone.branch_a1)
    base = set_base(member, effective_from=D(2025, 3, 15), income="4000.00")
    assert base.effective_from == D(2025, 3, 1)


def test_each_month_is_assessed_on_the_base_in_force_that_month(zone):
    member = make_member(zone.branch_a1)
    set_base(member, effective_from=D(2025, 1, 1), income="4000.00")
    set_base(member, effective_from=D(2025, 4, 1), income="6000.00")
    for month in months(D(2025, 1, 1), 5):
        assess(zone.branch_a1, month + datetime.timedelta(days=14))  # any day of the month
    assert {a.month: a.payable for a in DuesAssessment.objects.filter(member=member)} == {
        D(2025, 1, 1): M("40.00"),
        D(2025, 2, 1): M("40.00"),
        D(2025, 3, 1): M("40.00"),
        D(2025, 4, 1): M("90.00"),
        D(2025, 5, 1): M("90.00"),
    }
    april = DuesAssessment.objects.get(member=member, month=D(2025, 4, 1))
    assert (april.category, april.income, april.organization, april.org_path) == (
        DuesCategory.EMPLOYED,
        M("6000.00"),
        zone.branch_a1,
        zone.branch_a1.path,
    )


def test_a_member_without_a_base_is_listed_and_not_assessed(zone):
    member_with_base(zone.branch_a1)
    make_member(zone.branch_a1, name="无基数")
    result = assess(zone.branch_a1, D(2025, 3, 1))
    assert (result["created"], result["missing_base"]) == (1, ["无基数"])
    assert DuesAssessment.objects.count() == 1


def test_an_assessment_is_made_once_per_member_and_month(zone):
    member = member_with_base(zone.branch_a1, income="4000.00")
    first = assess(zone.branch_a1, D(2025, 3, 1))
    set_base(member, effective_from=D(2024, 1, 1), income="6000.00")  # the base changes afterwards
    again = assess(zone.branch_a1, D(2025, 3, 20))
    assert (first["created"], first["existing"]) == (1, 0)
    assert (again["created"], again["existing"]) == (0, 1)
    assert DuesAssessment.objects.count() == 1
    assert payable(member, D(2025, 3, 1)) == M("40.00")


def test_an_assessment_records_the_rule_version_in_force_that_month(zone):
    member = member_with_base(zone.branch_a1, income="2000.00")
    first = rules_for(rules.DUES)
    table = dict(first.values)
    table["employed"] = [["3000", "0.01"], ["5000", "0.01"], ["10000", "0.015"], [None, "0.02"]]
    second = RuleSet.objects.create(
        key=rules.DUES, version=first.version + 1, effective_from=D(2025, 7, 1), values=table
    )
    june, july = assess(zone.branch_a1, D(2025, 6, 1)), assess(zone.branch_a1, D(2025, 7, 1))
    assert (june["rule"], july["rule"]) == (first, second)
    assert DuesAssessment.objects.get(member=member, month=D(2025, 6, 1)).rule == first
    assert DuesAssessment.objects.get(member=member, month=D(2025, 7, 1)).rule == second
    assert (payable(member, D(2025, 6, 1)), payable(member, D(2025, 7, 1))) == (M("10.00"), M("20.00"))


def test_a_future_month_cannot_be_assessed_but_the_current_one_can(zone):
    member_with_base(zone.branch_a1)
    this_month = timezone.localdate().replace(day=1)
    with refused("month"):
        assess(zone.branch_a1, add_months(this_month, 1))
    assert assess(zone.branch_a1, this_month)["created"] == 1


def test_an_assessment_covers_the_subtree_and_only_it(zone):
    a1, a2 = member_with_base(zone.branch_a1), member_with_base(zone.branch_a2)
    member_with_base(zone.branch_b)
    assert assess(zone.committee_a, D(2025, 3, 1))["created"] == 2
    assert set(DuesAssessment.objects.values_list("member", flat=True)) == {a1.pk, a2.pk}


def test_a_member_is_assessed_from_the_month_of_joining(zone):
    member = member_with_base(zone.branch_a1, joined=D(2025, 3, 15))
    assess(zone.branch_a1, D(2025, 2, 1))
    assess(zone.branch_a1, D(2025, 3, 1))
    assert list(DuesAssessment.objects.filter(member=member).values_list("month", flat=True)) == [
        D(2025, 3, 1)
    ]


def test_a_member_who_joined_on_the_last_day_of_a_month_is_assessed_for_that_month(zone):
    member = member_with_base(zone.branch_a1, joined=D(2025, 1, 31))
    assess(zone.branch_a1, D(2025, 1, 1))
    assert payable(member, D(2025, 1, 1)) == M("40.00")


def test_a_member_who_left_later_is_still_assessed_for_the_months_before(zone):
    member = member_with_base(zone.branch_a1, name="已转出")
    services.member_leave(actor=None, member=member, on=D(2025, 5, 10), reason="转出区外")
    assess(zone.branch_a1, D(2025, 4, 1))
    assess(zone.branch_a1, D(2025, 6, 1))
    assert list(DuesAssessment.objects.filter(member=member).values_list("month", flat=True)) == [
        D(2025, 4, 1)
    ]


# -- payments --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("amount", "words"), [("0", "大于 0"), ("-5.00", "大于 0"), ("1.005", "精确到分")])
def test_a_payment_that_is_not_a_positive_amount_in_fen_is_refused(zone, amount, words):
    member = make_member(zone.branch_a1)
    with refused("amount") as excinfo:
        pay(member, D(2025, 3, 1), amount)
    assert words in message(excinfo, "amount")
    assert not DuesPayment.objects.exists()


def test_a_payment_of_one_fen_is_recorded_for_the_member_and_by_the_recorder(zone, secretary_a):
    member = make_member(zone.branch_a1)
    payment = pay(member, D(2025, 3, 18), "0.01", paid_on=D(2025, 3, 20), actor=secretary_a)
    payment.refresh_from_db()
    assert (payment.month, payment.amount, payment.paid_on, payment.voluntary) == (
        D(2025, 3, 1),
        M("0.01"),
        D(2025, 3, 20),
        False,
    )
    assert (payment.organization, payment.org_path, payment.recorded_by) == (
        zone.branch_a1,
        zone.branch_a1.path,
        secretary_a,
    )


def test_a_payment_dated_after_today_is_refused(zone):
    member = make_member(zone.branch_a1)
    with refused("paid_on"):
        pay(member, D(2025, 3, 1), "40.00", paid_on=timezone.localdate() + datetime.timedelta(days=1))


def test_no_dues_are_paid_for_a_month_before_joining(zone):
    member = make_member(zone.branch_a1, joined=D(2025, 3, 15))
    with refused("month") as excinfo:
        pay(member, D(2025, 2, 1), "40.00")
    assert "2025-03-15 入党" in message(excinfo, "month")
    assert pay(member, D(2025, 3, 1), "40.00").month == D(2025, 3, 1)


def test_a_secretary_cannot_record_a_payment_for_a_member_outside_their_subtree(zone, secretary_a):
    from django.core.exceptions import PermissionDenied

    member = make_member(zone.branch_b)
    with pytest.raises(PermissionDenied):
        pay(member, D(2025, 3, 1), "40.00", actor=secretary_a)
    assert not DuesPayment.objects.exists()


# -- the monthly ledger ----------------------------------------------------------------------------
MARCH = D(2025, 3, 1)


@pytest.fixture
def march(zone, zone_admin):
    """甲企业党委 in March 2025: 应缴 40 + 90 + 0.20 + 60 = 190.20."""
    paid = member_with_base(zone.branch_a1, name="甲全交", income="4000.00")
    partly = member_with_base(zone.branch_a2, name="乙少交", income="6000.00")
    student = member_with_base(zone.branch_a1, name="丙未交", category=DuesCategory.STUDENT)
    over = member_with_base(zone.branch_a1, name="丁多交", category=DuesCategory.RETIRED, income="6000.00")
    outside = member_with_base(zone.branch_b, name="戊他处", income="4000.00")
    gone = member_with_base(zone.branch_a1, name="己已走", income="4000.00")
    services.member_leave(actor=None, member=gone, on=D(2025, 2, 10), reason="转出区外")
    assess(zone.root, MARCH)
    pay(paid, MARCH, "40.00")
    pay(paid, MARCH, "100.00", voluntary=True)
    pay(partly, MARCH, "30.00")
    pay(over, MARCH, "100.00")
    pay(outside, MARCH, "40.00")
    pay(student, D(2025, 2, 1), "0.20")  # another month
    return {
        "paid": paid,
        "partly": partly,
        "student": student,
        "over": over,
        "gone": gone,
        "admin": zone_admin,
    }


def test_the_monthly_ledger_has_a_row_per_member_with_payable_paid_and_owed(zone, march):
    ledger = dues_ledger(user=march["admin"], organization=zone.committee_a, month=D(2025, 3, 17))
    rows = {r.member.name: (r.payable, r.paid, r.owed, r.voluntary) for r in ledger.rows}
    assert rows == {
        "甲全交": (M("40.00"), M("40.00"), M("0"), M("100.00")),
        "乙少交": (M("90.00"), M("30.00"), M("60.00"), M("0")),
        "丙未交": (M("0.20"), M("0"), M("0.20"), M("0")),
        "丁多交": (M("60.00"), M("100.00"), M("0"), M("0")),
    }
    assert ledger.month == MARCH


def test_the_monthly_ledger_totals_count_at_most_the_payable_and_keep_voluntary_payments_apart(zone, march):
    ledger = dues_ledger(user=march["admin"], organization=zone.committee_a, month=MARCH)
    assert (ledger.payable, ledger.paid, ledger.owed, ledger.voluntary) == (
        M("190.20"),
        M("130.00"),
        M("60.20"),
        M("100.00"),
    )


def test_the_monthly_ledger_shows_only_members_in_the_users_scope(zone, march, secretary_a):
    ledger = dues_ledger(user=secretary_a, organization=zone.root, month=MARCH)
    assert {r.member.name for r in ledger.rows} == {"甲全交", "乙少交", "丙未交", "丁多交"}


def test_a_member_who_left_during_the_month_stays_in_that_months_ledger(zone, zone_admin):
    member = member_with_base(zone.branch_a1, name="月中离开")
    assess(zone.branch_a1, MARCH)
    services.member_leave(actor=None, member=member, on=D(2025, 3, 20), reason="转出区外")
    ledger = dues_ledger(user=zone_admin, organization=zone.branch_a1, month=MARCH)
    assert [(r.member.name, r.owed) for r in ledger.rows] == [("月中离开", M("40.00"))]
    april = dues_ledger(user=zone_admin, organization=zone.branch_a1, month=D(2025, 4, 1))
    assert april.rows == []


def test_a_member_who_joined_after_the_month_is_not_in_that_months_ledger(zone, zone_admin):
    member_with_base(zone.branch_a1, name="四月入党", joined=D(2025, 4, 1))
    member_with_base(zone.branch_a1, name="三月底入党", joined=D(2025, 3, 31))
    assess(zone.branch_a1, MARCH)
    ledger = dues_ledger(user=zone_admin, organization=zone.branch_a1, month=MARCH)
    assert [(r.member.name, r.payable) for r in ledger.rows] == [("三月底入党", M("40.00"))]


# -- unpaid months ---------------------------------------------------------------------------------
TODAY = D(2026, 1, 15)  # the months that have ended: up to December 2025


def unpaid_for(organization, name, unpaid, *, months_assessed=12, partial=False, voluntary=False):
    """A member assessed January–December 2025 who paid all but the last `unpaid` months."""
    member = member_with_base(organization, name=name, income="4000.00")
    for index, month in enumerate(months(D(2025, 1, 1), months_assessed)):
        assess(organization, month)
        if index < months_assessed - unpaid:
            pay(member, month, "40.00")
        elif partial:
            pay(member, month, "39.99")
        elif voluntary:
            pay(member, month, "40.00", voluntary=True)
    return member


def dues_messages(organization, today=TODAY):
    found = dues_warnings(PartyOrganization.objects.filter(pk=organization.pk), today)
    return sorted((w.code, w.message) for w in found)


@pytest.mark.parametrize(
    ("unpaid", "expected"),
    [
        (0, []),
        (2, []),
        (3, [("dues_unpaid", "连续 3 个月以上未交党费：钱某")]),
        (5, [("dues_unpaid", "连续 3 个月以上未交党费：钱某")]),
        (6, [("dues_review", "连续 6 个月以上未交党费，提请支部审查：钱某")]),
        (12, [("dues_review", "连续 6 个月以上未交党费，提请支部审查：钱某")]),
    ],
)
def test_unpaid_months_warn_from_three_and_go_to_the_branch_for_review_from_six(zone, unpaid, expected):
    member = unpaid_for(zone.branch_a1, "钱某", unpaid)
    assert unpaid_streaks([member.pk], D(2025, 12, 1)) == {member.pk: unpaid}
    assert dues_messages(zone.branch_a1) == expected


def test_the_current_month_does_not_count_as_unpaid_before_it_has_ended(zone):
    member = unpaid_for(zone.branch_a1, "钱某", 2)
    assess(zone.branch_a1, D(2026, 1, 1))  # January 2026, not yet over on TODAY
    assert DuesAssessment.objects.filter(member=member).count() == 13
    assert dues_messages(zone.branch_a1) == []
    assert dues_messages(zone.branch_a1, today=D(2026, 2, 1)) == [
        ("dues_unpaid", "连续 3 个月以上未交党费：钱某")
    ]


def test_a_paid_month_ends_the_unpaid_streak(zone):
    member = unpaid_for(zone.branch_a1, "钱某", 2)
    DuesPayment.objects.filter(member=member, month=D(2025, 8, 1)).delete()
    DuesPayment.objects.filter(member=member, month=D(2025, 9, 1)).delete()
    assert unpaid_streaks([member.pk], D(2025, 12, 1)) == {member.pk: 2}
    assert dues_messages(zone.branch_a1) == []


@pytest.mark.parametrize("how", ["partial", "voluntary"])
def test_a_partial_or_voluntary_payment_does_not_count_as_paying_the_month(zone, how):
    member = unpaid_for(zone.branch_a1, "钱某", 3, **{how: True})
    assert unpaid_streaks([member.pk], D(2025, 12, 1)) == {member.pk: 3}
    assert [code for code, _ in dues_messages(zone.branch_a1)] == ["dues_unpaid"]


def test_organization_warnings_include_unpaid_dues_counted_to_the_last_ended_month(zone):
    member = make_member(zone.branch_a1, name="孙欠费")
    set_base(member, effective_from=D(2020, 1, 1), income="4000.00")
    this_month = timezone.localdate().replace(day=1)
    for back in (3, 2, 1):
        assess(zone.branch_a1, add_months(this_month, -back))
    found = organization_warnings(
        user=None, organizations=PartyOrganization.objects.filter(pk=zone.branch_a1.pk)
    )
    assert [(w.code, w.message) for w in found if w.code.startswith("dues")] == [
        ("dues_unpaid", "连续 3 个月以上未交党费：孙欠费")
    ]
    pay(member, add_months(this_month, -1), "40.00", paid_on=timezone.localdate())
    found = organization_warnings(
        user=None, organizations=PartyOrganization.objects.filter(pk=zone.branch_a1.pk)
    )
    assert [w for w in found if w.code.startswith("dues")] == []


def test_the_ledger_row_shows_the_unpaid_streak_up_to_its_month(zone, zone_admin):
    unpaid_for(zone.branch_a1, "钱某", 4)
    december = dues_ledger(user=zone_admin, organization=zone.branch_a1, month=D(2025, 12, 1))
    august = dues_ledger(user=zone_admin, organization=zone.branch_a1, month=D(2025, 8, 1))
    assert [r.unpaid_months for r in december.rows] == [4]
    assert [r.unpaid_months for r in august.rows] == [0]


# -- 党费收缴率 ------------------------------------------------------------------------------------
def rate(scope=None, year=2025, user=None):
    return compute("dues.collection_rate", period=Period.year(year), scope=scope, user=user)


def test_the_collection_rate_counts_each_member_month_at_most_at_its_payable(zone):
    over = member_with_base(zone.branch_a1, income="4000.00")
    none = member_with_base(zone.branch_a1, income="4000.00")
    assess(zone.branch_a1, D(2025, 1, 1))
    pay(over, D(2025, 1, 1), "80.00")
    result = rate()
    assert result.value == M("50.0")
    assert (result.detail["payable"], result.detail["collected"]) == (M("80.00"), M("40.00"))
    assert set(result.records.values_list("member", flat=True)) == {over.pk, none.pk}


def test_paying_more_one_month_does_not_cover_another(zone):
    member = member_with_base(zone.branch_a1, income="4000.00")
    assess(zone.branch_a1, D(2025, 1, 1))
    assess(zone.branch_a1, D(2025, 2, 1))
    pay(member, D(2025, 1, 1), "80.00")
    assert rate().value == M("50.0")


def test_voluntary_payments_do_not_count_towards_the_collection_rate(zone):
    member = member_with_base(zone.branch_a1, income="4000.00")
    assess(zone.branch_a1, D(2025, 1, 1))
    pay(member, D(2025, 1, 1), "40.00", voluntary=True)
    assert rate().value == M("0.0")
    pay(member, D(2025, 1, 1), "10.00")
    pay(member, D(2025, 1, 1), "10.00")
    assert rate().value == M("50.0")


def test_the_collection_rate_is_a_percentage_rounded_half_up_to_one_decimal(zone):
    member = member_with_base(zone.branch_a1, income="6000.00")  # 90.00 a month
    assess(zone.branch_a1, D(2025, 1, 1))
    pay(member, D(2025, 1, 1), "0.45")  # 0.5 %
    pay(member, D(2025, 1, 1), "29.59")  # 30.04 in all: 33.377… %
    assert rate().value == M("33.4")


def test_the_collection_rate_follows_the_period_and_the_scope(zone, secretary_a):
    mine = member_with_base(zone.branch_a1, income="4000.00")
    member_with_base(zone.branch_b, income="4000.00")
    assess(zone.root, D(2025, 12, 1))
    assess(zone.root, D(2024, 12, 1))
    pay(mine, D(2025, 12, 1), "40.00")
    assert rate().value == M("50.0")
    assert rate(scope=zone.committee_a).value == M("100.0")
    assert rate(scope=zone.branch_b).value == M("0.0")
    assert rate(user=secretary_a).value == M("100.0")
    assert rate(year=2024).value == M("0.0")
    assert rate(year=2023).value is None


def test_a_user_without_a_grant_gets_no_collection_rate(zone):
    member_with_base(zone.branch_a1)
    assess(zone.branch_a1, D(2025, 1, 1))
    assert rate(user=make_user()).value is None


@pytest.mark.parametrize(("most", "counted"), [(2, 2), (4, 4), (5, 4), (12, 4)])
def test_an_unpaid_streak_read_over_the_latest_months_only_is_counted_up_to_that_many(zone, most, counted):
    member = unpaid_for(zone.branch_a1, "钱某", 4)
    assert unpaid_streaks([member.pk], D(2025, 12, 1), most=most) == {member.pk: counted}


def test_members_given_as_a_queryset_are_counted_like_a_list(zone):
    member = unpaid_for(zone.branch_a1, "钱某", 3)
    assert unpaid_streaks(Member.objects.filter(pk=member.pk).values("pk"), D(2025, 12, 1)) == {member.pk: 3}
