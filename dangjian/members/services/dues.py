"""党费: the monthly amount from the versioned table, the month's assessment per member, and
payments (one by one or imported), voluntary extra payments marked apart."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from dangjian.core.rules import rules_for
from dangjian.core.scope import ensure_in_scope, restrict
from dangjian.core.services import service
from dangjian.core.validators import last_day_of_month

from .. import rules
from ..models import DuesAssessment, DuesBase, DuesCategory, DuesPayment, Member

FEN = Decimal("0.01")


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def dues_amount(
    category: str, *, income: Decimal | None = None, fixed_amount: Decimal | None = None, rule=None
) -> Decimal:
    """The monthly dues. Employed (on income after tax) and retired (on pension): one rate on the
    whole amount, by the bracket the amount falls in (a bound belongs to the lower bracket);
    the result is rounded half up to the fen. Students, the unemployed and those on relief pay
    a fixed 0.20 元; a farmer pays what the branch sets, between 0.20 and 1.00 元."""
    values = (rule or rules_for(rules.DUES)).values
    if category in (DuesCategory.EMPLOYED, DuesCategory.RETIRED):
        if income is None or income < 0:
            raise ValidationError({"income": "请填写月收入（税后）或养老金，不能为负数"})
        for bound, rate in values[category]:
            if bound is None or income <= Decimal(bound):
                return (income * Decimal(rate)).quantize(FEN, rounding=ROUND_HALF_UP)
    if category in values["fixed"]:
        return Decimal(values["fixed"][category])
    if category == DuesCategory.FARMER:
        low, high = Decimal(values["farmer"]["min"]), Decimal(values["farmer"]["max"])
        if fixed_amount is None or not low <= fixed_amount <= high:
            raise ValidationError({"fixed_amount": f"农民党员的党费由支部在 {low} 至 {high} 元之间核定"})
        return fixed_amount.quantize(FEN, rounding=ROUND_HALF_UP)
    raise ValidationError({"category": "未知的交纳类别"})


@service
def dues_base_set(
    *,
    actor,
    member: Member,
    effective_from: datetime.date,
    category: str,
    income: Decimal | None = None,
    fixed_amount: Decimal | None = None,
    note: str = "",
) -> DuesBase:
    """From a month on, the member's dues are computed from this base."""
    ensure_in_scope(actor, member, "change")
    effective_from = month_start(effective_from)
    dues_amount(category, income=income, fixed_amount=fixed_amount)  # validates
    base, _ = DuesBase.objects.update_or_create(
        member=member,
        effective_from=effective_from,
        defaults={"category": category, "income": income, "fixed_amount": fixed_amount, "note": note},
    )
    return base


def base_for(member: Member, month: datetime.date) -> DuesBase | None:
    return member.dues_bases.filter(effective_from__lte=month).order_by("-effective_from").first()


@service
def dues_assess(*, actor, organization, month: datetime.date) -> dict:
    """应缴 for the month for every member of the organization's subtree during that month (joined
    by its last day, not left before its first) that has a base and no assessment yet. Returns
    the counts and the members without a base."""
    month = month_start(month)
    if month > month_start(timezone.localdate()):
        raise ValidationError({"month": "不能计算未来月份的党费"})
    members = (
        Member.objects.filter(org_path__startswith=organization.path)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=month))
        .select_related("organization")
    )
    if actor is not None:
        members = restrict(actor, members, "change")
    done = set(
        DuesAssessment.objects.filter(month=month, member__in=members).values_list("member_id", flat=True)
    )
    rule = rules_for(rules.DUES, month)
    created, missing = 0, []
    for member in members.exclude(pk__in=done).filter(joined_on__lte=last_day_of_month(month)):
        base = base_for(member, month)
        if base is None:
            missing.append(member.name)
            continue
        amount = dues_amount(base.category, income=base.income, fixed_amount=base.fixed_amount, rule=rule)
        assessment = DuesAssessment.objects.create(
            member=member,
            month=month,
            organization=member.organization,
            category=base.category,
            income=base.income if base.fixed_amount is None else base.fixed_amount,
            payable=amount,
            rule=rule,
        )
        ensure_in_scope(actor, assessment, "add")
        created += 1
    return {"created": created, "existing": len(done), "missing_base": missing, "rule": rule}


@service
def dues_pay(
    *,
    actor,
    member: Member,
    month: datetime.date,
    amount: Decimal,
    paid_on: datetime.date,
    voluntary: bool = False,
    note: str = "",
) -> DuesPayment:
    """A payment for a month (voluntary extra payments are marked and kept apart from 实缴)."""
    ensure_in_scope(actor, member, "view")
    month = month_start(month)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "金额应大于 0"})
    if Decimal(amount).quantize(FEN) != Decimal(amount):
        raise ValidationError({"amount": "金额精确到分"})
    if paid_on is None or paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "请填写交纳日期（不能晚于今天）"})
    if member.joined_on and month < month_start(member.joined_on):
        raise ValidationError({"month": f"{member.name}于 {member.joined_on:%Y-%m-%d} 入党，此前没有党费"})
    payment = DuesPayment(
        member=member,
        month=month,
        organization=member.organization,
        amount=amount,
        paid_on=paid_on,
        voluntary=voluntary,
        note=note,
        recorded_by=actor,
    )
    payment.full_clean()
    payment.save()
    ensure_in_scope(actor, payment, "add")
    return payment


@service
def dues_payment_record(
    *,
    actor,
    member: Member,
    month: datetime.date,
    amount: Decimal,
    paid_on: datetime.date,
    voluntary: bool = False,
) -> tuple[DuesPayment, str]:
    """A payment from the 党费交纳 ledger: one row per member, month and kind (regular or voluntary);
    importing the row again changes nothing, a changed amount or date updates it."""
    existing = DuesPayment.objects.filter(
        member=member, month=month_start(month), voluntary=voluntary
    ).first()
    if existing is None:
        return dues_pay(
            actor=actor, member=member, month=month, amount=amount, paid_on=paid_on, voluntary=voluntary
        ), "created"
    if existing.amount == amount and existing.paid_on == paid_on:
        return existing, "unchanged"
    ensure_in_scope(actor, existing, "change")
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "金额应大于 0"})
    existing.amount, existing.paid_on = amount, paid_on
    existing.full_clean()
    existing.save()
    return existing, "updated"


__all__ = [
    "base_for",
    "dues_amount",
    "dues_assess",
    "dues_base_delete",
    "dues_base_set",
    "dues_pay",
    "dues_payment_delete",
    "dues_payment_record",
    "month_start",
]


@service
def dues_base_delete(*, actor, base: DuesBase):
    """Delete a dues base entered by mistake (assessments already made keep their amounts)."""
    ensure_in_scope(actor, base, "delete")
    base.delete()


@service
def dues_payment_delete(*, actor, payment: DuesPayment):
    """Delete a payment recorded by mistake (a payment is corrected by deleting it and recording
    it again)."""
    ensure_in_scope(actor, payment, "delete")
    payment.delete()
