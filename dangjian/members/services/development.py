"""发展党员: each step of the way from application to full membership is a service that checks
the rules (versioned, recorded on the step), writes the date and who recorded it, and logs the
step on the case's timeline. Dates change only through `development_correct_date`."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dangjian.core.crypto import keyed_hash
from dangjian.core.rules import rules_for
from dangjian.core.scope import ensure_in_scope
from dangjian.core.services import Step, service
from dangjian.core.timeline import record_event
from dangjian.core.validators import (
    add_months,
    add_years,
    chinese_number,
    id_birth_date,
    id_sex,
    normalize_id_number,
    past_day,
    period_text,
)

from .. import rules
from ..models import (
    DateCorrection,
    DevelopmentCase,
    DevelopmentEvent,
    DevelopmentStage,
    Member,
    MemberCategory,
    MembershipStatus,
)
from ..models.development import DevelopmentStep
from .roster import check_organization, member_create, member_leave, member_update

DATE_FIELDS = (
    "applied_on",
    "talked_on",
    "activist_on",
    "candidate_on",
    "training_completed_on",
    "admitted_on",
    "approved_on",
    "extended_on",
    "regularized_on",
    "cancelled_on",
)
# What the steps record on a case (shown, never typed: each changes through its step or a
# date correction), after its dates
STEP_FIELDS = (
    "training_days",
    "training_hours",
    "introducer_names",
    "extended_months",
    "cancel_reason",
    "member",
)


def probation_due(case: DevelopmentCase) -> datetime.date | None:
    """The day the probation ends: one year after the branch meeting's resolution, plus any
    extension."""
    if not case.admitted_on:
        return None
    due = add_years(case.admitted_on, 1)
    return add_months(due, case.extended_months) if case.extended_months else due


def latest_date(case: DevelopmentCase) -> datetime.date | None:
    """The day of the case's most recent recorded step."""
    known = [getattr(case, name) for name in DATE_FIELDS if getattr(case, name)]
    return max(known) if known else None


def _redo_message(values, limit) -> str:
    """Admitted too long ago to be approved (the versioned limit, six months by default)."""
    months = chinese_number(values["approval_redo_months"])
    return f"支部大会接收已超过{months}个月（{limit:%Y-%m-%d}），须重新履行接收手续"


def check_dates(case: DevelopmentCase, rule=None):
    """The order and spacing of the dates that are known; raises one ValidationError with every
    field that breaks a rule. Without `rule`, the version in force on the case's latest date.
    Returns the rule version used."""
    rule = rule or rules_for(rules.DEVELOPMENT, latest_date(case))
    values = rule.values
    errors = {}
    birth = id_birth_date(case.id_number) if case.id_number else None
    if birth and case.applied_on and case.applied_on < add_years(birth, values["min_age"]):
        errors["applied_on"] = f"申请入党时未满 {values['min_age']} 周岁（出生于 {birth:%Y-%m-%d}）"
    if case.applied_on and case.applied_on > timezone.localdate():
        errors["applied_on"] = "申请入党日期不能晚于今天"
    if case.talked_on and case.applied_on and case.talked_on < case.applied_on:
        errors["talked_on"] = "谈话日期不能早于申请入党日期"
    if case.activist_on and case.applied_on and case.activist_on <= case.applied_on:
        errors["activist_on"] = "确定积极分子日期应在申请入党之后"
    if case.candidate_on and case.activist_on:
        earliest = add_years(case.activist_on, values["activist_min_years"])
        if case.candidate_on < earliest:
            errors["candidate_on"] = (
                f"确定发展对象应在列为积极分子满 {values['activist_min_years']} 年之后（最早 {earliest:%Y-%m-%d}）"
            )
    if case.admitted_on and case.candidate_on and case.admitted_on <= case.candidate_on:
        errors["admitted_on"] = "接收预备党员日期应在确定发展对象之后"
    if case.training_completed_on and case.admitted_on and case.training_completed_on > case.admitted_on:
        errors["training_completed_on"] = "集中培训应在支部大会接收之前结业"
    if case.approved_on and case.admitted_on and case.approved_on < case.admitted_on:
        errors["approved_on"] = "审批日期不能早于支部大会接收日期"
    if case.approved_on and case.admitted_on:
        limit = add_months(case.admitted_on, values["approval_redo_months"])
        if case.approved_on > limit:
            errors["approved_on"] = _redo_message(values, limit)
    if case.regularized_on and not case.admitted_on:
        errors["regularized_on"] = "没有接收预备党员日期，不能有转正日期"
    if case.regularized_on and case.admitted_on:
        one_year = add_years(case.admitted_on, values["probation_years"])
        longest = add_months(one_year, values["extension_max_months"])
        if case.extended_months:
            expected = probation_due(case)
            if case.regularized_on != expected:
                errors["regularized_on"] = (
                    f"延长预备期 {case.extended_months} 个月，转正日期应为 {expected:%Y-%m-%d}"
                )
        elif not (case.regularized_on == one_year or one_year < case.regularized_on <= longest):
            errors["regularized_on"] = (
                f"转正日期应为接收之日满{period_text(values['probation_years'] * 12)}（{one_year:%Y-%m-%d}），"
                f"延长预备期的最迟 {longest:%Y-%m-%d}"
            )
    if errors:
        raise ValidationError(errors)
    return rule


def stage_from_dates(case: DevelopmentCase) -> str:
    if case.cancelled_on:
        return DevelopmentStage.CANCELLED
    if case.regularized_on:
        return DevelopmentStage.FULL
    if case.admitted_on:
        return DevelopmentStage.PROBATIONARY
    if case.candidate_on:
        return DevelopmentStage.CANDIDATE
    if case.activist_on:
        return DevelopmentStage.ACTIVIST
    return DevelopmentStage.APPLICANT


def _event(case, step, on, *, actor, note="", rule=None):
    return record_event(DevelopmentEvent, case=case, step=step, on=on, actor=actor, note=note, rule=rule)


def _expect(case, *stages):
    if case.stage not in stages:
        names = "、".join(DevelopmentStage(s).label for s in stages)
        raise ValidationError(f"{case.name}目前是{case.get_stage_display()}，这一步只适用于{names}")


def _save(case, *, actor, action):
    case.full_clean(exclude=["id_number_hash", "org_path"])
    case.save()
    ensure_in_scope(actor, case, action)
    return case


@service
def development_apply(
    *, actor, organization, name: str, id_number: str, applied_on: datetime.date, note: str = ""
) -> DevelopmentCase:
    """入党申请人: 18 or older on the day of the application."""
    try:
        id_number = normalize_id_number(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    # zone-wide on purpose: a person is in the pipeline, or a member, once in the whole installation
    if DevelopmentCase.objects.filter(id_number_hash=keyed_hash(id_number)).exists():
        raise ValidationError({"id_number": "此人已在发展党员名单中"})
    if Member.objects.filter(id_number_hash=keyed_hash(id_number), left_on__isnull=True).exists():
        raise ValidationError({"id_number": "此人已是党员"})
    check_organization(organization, on=applied_on)
    rule = rules_for(rules.DEVELOPMENT, applied_on)
    case = DevelopmentCase(
        organization=organization,
        name=name,
        id_number=id_number,
        applied_on=past_day(applied_on, "applied_on"),
        sex=id_sex(id_number),
        birth_date=id_birth_date(id_number),
    )
    case.refresh_hash()
    check_dates(case, rule)
    _save(case, actor=actor, action="add")
    _event(case, DevelopmentStep.APPLY, applied_on, actor=actor, note=note, rule=rule)
    return case


@service
def development_talk(*, actor, case: DevelopmentCase, on: datetime.date, note: str = "") -> DevelopmentCase:
    """The talk with the applicant (due within one month of the application; later is a warning)."""
    ensure_in_scope(actor, case, "change")
    if case.talked_on:
        raise ValidationError({"talked_on": f"已于 {case.talked_on:%Y-%m-%d} 谈话；如需更正请使用日期更正"})
    case.talked_on = past_day(on)
    rule = rules_for(rules.DEVELOPMENT, on)
    check_dates(case, rule)
    _save(case, actor=actor, action="change")
    due = add_months(case.applied_on, rule.values["talk_within_months"])
    months = chinese_number(rule.values["talk_within_months"])
    late = f"（超过{months}个月时限 {due:%Y-%m-%d}）" if on > due else ""
    _event(case, DevelopmentStep.TALK, on, actor=actor, note=(note + late).strip(), rule=rule)
    return case


def _step(case, field, step, on, *, actor, stage, expect, note=""):
    ensure_in_scope(actor, case, "change")
    _expect(case, *expect)
    setattr(case, field, past_day(on))
    case.stage = stage
    rule = rules_for(rules.DEVELOPMENT, on)
    check_dates(case, rule)
    _save(case, actor=actor, action="change")
    _event(case, step, on, actor=actor, note=note, rule=rule)
    return case


@service
def development_make_activist(*, actor, case, on, note=""):
    """确定为入党积极分子 (after the application)."""
    return _step(
        case,
        "activist_on",
        DevelopmentStep.ACTIVIST,
        on,
        actor=actor,
        stage=DevelopmentStage.ACTIVIST,
        expect=[DevelopmentStage.APPLICANT],
        note=note,
    )


@service
def development_make_candidate(*, actor, case, on, note=""):
    """确定为发展对象 (at least one year as 积极分子)."""
    return _step(
        case,
        "candidate_on",
        DevelopmentStep.CANDIDATE,
        on,
        actor=actor,
        stage=DevelopmentStage.CANDIDATE,
        expect=[DevelopmentStage.ACTIVIST],
        note=note,
    )


@service
def development_record_training(*, actor, case, completed_on, days=None, hours=None, note=""):
    """The short training before admission: at least 3 days or 24 class hours."""
    ensure_in_scope(actor, case, "change")
    _expect(case, DevelopmentStage.ACTIVIST, DevelopmentStage.CANDIDATE)
    if days is None and hours is None:
        raise ValidationError({"days": "请填写培训天数或学时"})
    case.training_completed_on, case.training_days, case.training_hours = (
        past_day(completed_on, "completed_on"),
        days,
        hours,
    )
    rule = rules_for(rules.DEVELOPMENT, completed_on)
    _save(case, actor=actor, action="change")
    _event(
        case,
        DevelopmentStep.TRAINING,
        completed_on,
        actor=actor,
        note=note or f"{days or 0} 天 / {hours or 0} 学时",
        rule=rule,
    )
    return case


def _check_admission(case, on, introducers, rule):
    values = rule.values
    errors = {}
    enough = (case.training_days or 0) >= values["training_min_days"] or (
        (case.training_hours or 0) >= values["training_min_hours"]
    )
    if not case.training_completed_on or not enough:
        errors["training"] = (
            f"接收前须完成不少于 {values['training_min_days']} 天或 {values['training_min_hours']} 学时的集中培训"
        )
    elif case.training_completed_on > on:
        errors["training"] = "集中培训应在支部大会接收之前结业"
    people = list(dict.fromkeys(introducers or []))
    if len(people) != values["introducers"]:
        errors["introducers"] = f"须有 {values['introducers']} 名入党介绍人（现有 {len(people)} 名）"
    not_full = [
        p.name
        for p in people
        if p.category != MemberCategory.FULL or p.left_on is not None or p.status != MembershipStatus.NORMAL
    ]
    if not_full:
        errors["introducers"] = f"入党介绍人须为正式党员：{'、'.join(not_full)}不是"
    if errors:
        raise ValidationError(errors)
    return people


@service
def development_admit(*, actor, case, on, introducers, note=""):
    """支部大会接收为预备党员: a 发展对象 who finished the short training, with two full members as
    introducers. Creates (or links) the member record; the member's 入党日期 is this day. When
    the higher committee did not approve within six months, the admission is redone this way."""
    ensure_in_scope(actor, case, "change")
    rule = rules_for(rules.DEVELOPMENT, on)
    redo = (
        case.stage == DevelopmentStage.PROBATIONARY
        and case.approved_on is None
        and case.admitted_on
        and (timezone.localdate() > add_months(case.admitted_on, rule.values["approval_redo_months"]))
    )
    if not redo:
        _expect(case, DevelopmentStage.CANDIDATE)
    on = past_day(on)
    people = _check_admission(case, on, introducers, rule)
    case.admitted_on, case.stage = on, DevelopmentStage.PROBATIONARY
    case.introducer_names = "、".join(p.name for p in people)
    check_dates(case, rule)
    _save(case, actor=actor, action="change")
    case.introducers.set(people)
    _link_member(case, actor=actor)
    _event(
        case,
        DevelopmentStep.ADMIT,
        on,
        actor=actor,
        rule=rule,
        note=(
            f"超过{chinese_number(rule.values['approval_redo_months'])}个月未审批，重新履行接收手续；"
            if redo
            else ""
        )
        + f"介绍人：{case.introducer_names}"
        + note,
    )
    return case


def _link_member(case, *, actor):
    """The member record of someone admitted: found by ID number (never duplicated) or created;
    its 入党日期 is the admission day."""
    member = case.member or Member.objects.filter(id_number_hash=case.id_number_hash).first()
    fields = {"joined_on": case.admitted_on, "joined_month_only": False}
    if case.regularized_on is not None:
        fields.update(
            category=MemberCategory.FULL,
            regularized_on=case.regularized_on,
            regularized_month_only=False,
            probation_extended=bool(case.extended_months)
            or case.regularized_on != add_years(case.admitted_on, 1),
        )
    elif member is None or member.category == MemberCategory.PROBATIONARY:
        fields.update(
            category=MemberCategory.PROBATIONARY,
            regularized_on=None,
            probation_extended=bool(case.extended_months),
        )
    if member is None:
        member = member_create(
            actor=actor, organization=case.organization, name=case.name, id_number=case.id_number, **fields
        )
    else:
        changes = {k: v for k, v in fields.items() if getattr(member, k) != v}
        if changes:
            member = member_update(actor=actor, member=member, **changes)
    if case.member_id != member.pk:
        case.member = member
        case.save(update_fields=["member", "updated_at"])
    return member


@service
def development_approve(*, actor, case, on, note=""):
    """上级党委审批: within three months of the branch meeting (a warning after three); after six
    the admission must be redone."""
    ensure_in_scope(actor, case, "change")
    _expect(case, DevelopmentStage.PROBATIONARY)
    if case.approved_on:
        raise ValidationError({"approved_on": f"已于 {case.approved_on:%Y-%m-%d} 审批"})
    rule = rules_for(rules.DEVELOPMENT, on)
    on = past_day(on)
    limit = add_months(case.admitted_on, rule.values["approval_redo_months"])
    if on > limit:
        raise ValidationError({"approved_on": _redo_message(rule.values, limit)})
    case.approved_on = on
    check_dates(case, rule)
    _save(case, actor=actor, action="change")
    warning_limit = add_months(case.admitted_on, rule.values["approval_warning_months"])
    months = chinese_number(rule.values["approval_warning_months"])
    late = f"（超过{months}个月时限 {warning_limit:%Y-%m-%d}）" if on > warning_limit else ""
    _event(case, DevelopmentStep.APPROVE, on, actor=actor, note=(note + late).strip(), rule=rule)
    return case


@service
def development_extend(*, actor, case, on, months: int, note=""):
    """延长预备期: once, for 6 to 12 months."""
    ensure_in_scope(actor, case, "change")
    _expect(case, DevelopmentStage.PROBATIONARY)
    rule = rules_for(rules.DEVELOPMENT, on)
    low, high = rule.values["extension_min_months"], rule.values["extension_max_months"]
    if case.extended_months:
        raise ValidationError({"months": "预备期只能延长一次"})
    if months is None or not low <= months <= high:
        raise ValidationError({"months": f"延长预备期应为 {low} 至 {high} 个月"})
    if not case.approved_on:
        raise ValidationError({"months": "上级党委审批后才能延长预备期"})
    case.extended_months, case.extended_on = months, past_day(on)
    _save(case, actor=actor, action="change")
    _link_member(case, actor=actor)
    _event(case, DevelopmentStep.EXTEND, on, actor=actor, note=note or f"延长 {months} 个月", rule=rule)
    return case


@service
def development_regularize(*, actor, case, on, note=""):
    """转为正式党员: on the day the probation ends (one year after admission, plus any extension)."""
    ensure_in_scope(actor, case, "change")
    _expect(case, DevelopmentStage.PROBATIONARY)
    if not case.approved_on:
        raise ValidationError({"regularized_on": "上级党委尚未审批接收，不能转正"})
    due = probation_due(case)
    if on != due:
        raise ValidationError({"regularized_on": f"转正日期应为预备期满之日 {due:%Y-%m-%d}"})
    if due > timezone.localdate():
        raise ValidationError({"regularized_on": f"预备期 {due:%Y-%m-%d} 才满"})
    case.regularized_on, case.stage = on, DevelopmentStage.FULL
    rule = rules_for(rules.DEVELOPMENT, on)
    check_dates(case, rule)
    _save(case, actor=actor, action="change")
    _link_member(case, actor=actor)
    _event(case, DevelopmentStep.REGULARIZE, on, actor=actor, note=note, rule=rule)
    return case


@service
def development_cancel(*, actor, case, on, reason: str):
    """取消预备党员资格: the person leaves the roster on that day."""
    ensure_in_scope(actor, case, "change")
    _expect(case, DevelopmentStage.PROBATIONARY)
    if not reason or not reason.strip():
        raise ValidationError({"cancel_reason": "请填写取消原因"})
    case.cancelled_on, case.cancel_reason, case.stage = (
        past_day(on),
        reason.strip(),
        DevelopmentStage.CANCELLED,
    )
    _save(case, actor=actor, action="change")
    if case.member_id and case.member.left_on is None:
        member_leave(actor=actor, member=case.member, on=on, reason="取消预备党员资格")
    _event(case, DevelopmentStep.CANCEL, on, actor=actor, note=reason, rule=rules_for(rules.DEVELOPMENT, on))
    return case


@service
def development_correct_date(*, actor, case, field: str, value: datetime.date | None, reason: str):
    """Change a recorded date: needs a reason, is kept as a correction and logged."""
    ensure_in_scope(actor, case, "change")
    if field not in DATE_FIELDS:
        raise ValidationError({"field": "不能更正这一项"})
    if not reason or not reason.strip():
        raise ValidationError({"reason": "更正日期须填写原因"})
    old = getattr(case, field)
    if old == value:
        raise ValidationError({field: "新日期与原日期相同"})
    if value and value > timezone.localdate():
        raise ValidationError({field: "日期不能晚于今天"})
    setattr(case, field, value)
    case.stage = stage_from_dates(case)
    rule = check_dates(case)
    _save(case, actor=actor, action="change")
    DateCorrection.objects.create(
        case=case, field=field, old_value=old, new_value=value, reason=reason.strip(), actor=actor
    )
    if case.admitted_on and field in ("admitted_on", "regularized_on"):
        _link_member(case, actor=actor)
    label = DevelopmentCase._meta.get_field(field).verbose_name
    _event(
        case,
        DevelopmentStep.CORRECT,
        timezone.localdate(),
        actor=actor,
        note=f"{label}：{old or '空'} → {value or '空'}；原因：{reason.strip()}",
        rule=rule,
    )
    return case


@service
def development_import(
    *,
    actor,
    id_number: str,
    name: str,
    organization,
    applied_on,
    activist_on=None,
    candidate_on=None,
    admitted_on=None,
    regularized_on=None,
    introducer_names="",
    existing: DevelopmentCase | None = None,
) -> DevelopmentCase:
    """A 发展党员 ledger row: the dates it gives, checked as a chain; someone with a 接收预备党员日期
    is matched to the roster by ID number (or added to it)."""
    case = existing or DevelopmentCase(id_number=id_number)
    if existing is not None:
        ensure_in_scope(actor, existing, "change")
    case.name, case.organization = name, organization
    case.applied_on, case.activist_on, case.candidate_on = applied_on, activist_on, candidate_on
    case.admitted_on, case.regularized_on, case.introducer_names = (
        admitted_on,
        regularized_on,
        introducer_names,
    )
    case.sex, case.birth_date = id_sex(case.id_number), id_birth_date(case.id_number)
    case.stage = stage_from_dates(case)
    case.refresh_hash()
    check_organization(organization, on=admitted_on or applied_on)
    rule = check_dates(case)
    _save(case, actor=actor, action="change" if existing else "add")
    if case.admitted_on:
        _link_member(case, actor=actor)
    _event(
        case, DevelopmentStep.IMPORT, timezone.localdate(), actor=actor, note="发展党员台账导入", rule=rule
    )
    return case


# Every step after the application, as the back office and the API offer them.
DEVELOPMENT_STEPS = {
    "talk": Step("记录谈话", development_talk, ("on", "note")),
    "activist": Step("确定为入党积极分子", development_make_activist, ("on", "note")),
    "candidate": Step("确定为发展对象", development_make_candidate, ("on", "note")),
    "training": Step("集中培训结业", development_record_training, ("completed_on", "days", "hours", "note")),
    "admit": Step("支部大会接收为预备党员", development_admit, ("on", "introducers", "note")),
    "approve": Step("上级党委审批", development_approve, ("on", "note")),
    "extend": Step("延长预备期", development_extend, ("on", "months", "note")),
    "regularize": Step("转为正式党员", development_regularize, ("on", "note")),
    "cancel": Step("取消预备党员资格", development_cancel, ("on", "reason")),
    "correct": Step("更正日期", development_correct_date, ("field", "value", "reason")),
}


__all__ = [
    "DATE_FIELDS",
    "DEVELOPMENT_STEPS",
    "STEP_FIELDS",
    "add_months",
    "check_dates",
    "development_admit",
    "development_apply",
    "development_approve",
    "development_cancel",
    "development_correct_date",
    "development_delete",
    "development_extend",
    "development_import",
    "development_make_activist",
    "development_make_candidate",
    "development_record_training",
    "development_regularize",
    "development_rename",
    "development_talk",
    "probation_due",
    "stage_from_dates",
]


@service
def development_rename(*, actor, case: DevelopmentCase, name: str) -> DevelopmentCase:
    """Correct the name of a person in the pipeline (their dates change only through 更正日期)."""
    ensure_in_scope(actor, case, "change")
    case.name = (name or "").strip()
    return _save(case, actor=actor, action="change")


@service
def development_delete(*, actor, case: DevelopmentCase):
    """Delete a development record entered by mistake; once the person has been admitted, the
    record is part of their member file and stays."""
    ensure_in_scope(actor, case, "delete")
    if case.member_id:
        raise PermissionDenied("已接收为党员的发展记录不能删除")
    case.delete()
