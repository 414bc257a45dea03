"""The writes of talent and innovation. Each is one service: checked, saved and confirmed in the
acting user's scope, a refusal being a Chinese ValidationError that changes nothing.

An enterprise contact submits a talent or an innovation of their enterprise: it is saved 待确认
and the talent office is told; the office confirms it (it counts from then on) or returns it with
a reason, and the enterprise may correct and resubmit it. What the zone records itself is
confirmed when saved. An incubation keeps its enterprise's flag 孵化企业."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.selectors import grant_holders
from dangjian.audit.services import audit_reveal
from dangjian.core.crypto import keyed_hash
from dangjian.core.scope import ensure_in_scope, in_scope
from dangjian.core.services import assign, delete_or_explain, save_checked, service
from dangjian.core.validators import normalize_id_number, normalize_phone, past_day
from dangjian.enterprises.models import Enterprise
from dangjian.notifications.models import Kind
from dangjian.notifications.services import notify

from .models import (
    CooperationUniversity,
    Expert,
    Incubation,
    Innovation,
    InnovationKind,
    Platform,
    PolicySupport,
    Review,
    Talent,
    TalentPolicy,
)

TALENT_FIELDS = (
    "name",
    "id_number",
    "phone",
    "category",
    "source",
    "enterprise",
    "employer",
    "education",
    "title",
    "field",
    "intake_on",
    "exit_on",
    "exit_reason",
    "note",
)
SUPPORT_FIELDS = ("talent", "policy", "paid_on", "amount", "evidence", "note")
EXPERT_FIELDS = ("name", "honour", "institution", "enterprise", "topic", "agreed_on", "agreed_until", "note")
PLATFORM_FIELDS = (
    "name",
    "kind",
    "level",
    "host",
    "enterprise",
    "recognised_on",
    "recognised_month_only",
    "withdrawn_on",
    "withdrawn_reason",
    "note",
)
INCUBATION_FIELDS = ("platform", "enterprise", "entered_on", "left_on", "note")
INNOVATION_FIELDS = (
    "name",
    "kind",
    "level",
    "enterprise",
    "dated_on",
    "ends_on",
    "funding",
    "patent_kind",
    "patent_number",
    "holder",
    "form",
    "note",
)

# who confirms what an enterprise submits
CONFIRM_PERMISSION = {Talent: "talent.confirm_talent", Innovation: "talent.confirm_innovation"}
TALENT_OFFICE = "talent_staff"


def enterprise_named(name: str):
    """The enterprise of the zone with exactly this name, or None (a 工作单位 or 依托单位 that is
    not an enterprise of the zone). Zone-wide on purpose: a name resolves to one enterprise."""
    name = (name or "").strip()
    if not name:
        return None
    found = list(Enterprise.objects.filter(name=name)[:2])
    return found[0] if len(found) == 1 else None


def _unit_and_enterprise(record, unit_field: str, *, relink: bool = False):
    """The unit's name and its enterprise kept together: a chosen enterprise names the unit when
    none is given, and a unit named like one enterprise of the zone links it. `relink`: the unit
    was changed without choosing an enterprise (a ledger row), so the new name decides the
    enterprise, or that there is none."""
    unit = (getattr(record, unit_field) or "").strip()
    if relink:
        record.enterprise = enterprise_named(unit)
    elif record.enterprise_id and not unit:
        unit = record.enterprise.name
    elif unit and not record.enterprise_id:
        record.enterprise = enterprise_named(unit)
    setattr(record, unit_field, unit)


def _relinks(fields: dict, unit_field: str) -> bool:
    return unit_field in fields and "enterprise" not in fields


def _may_confirm(actor, model) -> bool:
    return actor is None or actor.has_perm(CONFIRM_PERMISSION[model])


def _start_review(record, *, actor, created: bool):
    """A new record is confirmed when the zone enters it and waits for the zone when an
    enterprise submits it. Returns whether the talent office is to be told."""
    if not created:
        return False
    if _may_confirm(actor, type(record)):
        record.review = Review.CONFIRMED
        return False
    if not record.enterprise_id:
        # a submission is the enterprise's own: it names the enterprise (in the user's scope)
        raise ValidationError(
            {
                "enterprise": f"请选择{record._meta.get_field('enterprise').verbose_name}：企业提交的记录须属于本企业"
            }
        )
    record.review = Review.PENDING
    record.submitted_by = actor
    record.submitted_at = timezone.now()
    return True


def _admin_url(record) -> str:
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


def _tell_office(record, *, actor):
    label = record._meta.verbose_name
    enterprise = record.enterprise.name if record.enterprise_id else "企业"
    notify(
        grant_holders(TALENT_OFFICE),
        actor=actor,
        kind=Kind.SUBMISSION_PENDING,
        title=f"{enterprise}提交了{label}“{record.name}”，待确认",
        url=_admin_url(record),
    )


# -- talents --------------------------------------------------------------------------------------
def _normalize_talent(talent: Talent, *, relink: bool = False):
    if talent.id_number:
        try:
            talent.id_number = normalize_id_number(talent.id_number)
        except ValidationError as exc:
            raise ValidationError({"id_number": f"公民身份号码{exc.messages[0]}"}) from None
    if talent.phone:
        try:
            talent.phone = normalize_phone(talent.phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages[0]}) from None
    talent.name = (talent.name or "").strip()
    _unit_and_enterprise(talent, "employer", relink=relink)
    talent.refresh_hashes()


def find_talent(*, id_number: str = "", name: str = "", employer: str = ""):
    """The talent the ledger's key names: by ID number when given, else by 姓名 + 工作单位 — the
    talent of that name and employer recorded without an ID number, else the only one recorded
    with one. An ID number not yet recorded finds the talent of that 姓名 + 工作单位 recorded
    without one (the row adds the number). Zone-wide on purpose: a person is one talent in the
    whole installation."""
    if id_number:
        found = Talent.objects.filter(id_number_hash=keyed_hash(normalize_id_number(id_number))).first()
        if found is not None or not name:
            return found
    same = Talent.objects.filter(name=name.strip(), employer=(employer or "").strip())
    found = same.filter(id_number_hash="").first()
    if found is not None or id_number:
        return found
    with_number = list(same[:2])
    return with_number[0] if len(with_number) == 1 else None


def _check_duplicate(talent: Talent, *, actor=None):
    # zone-wide on purpose: an ID number, or a name at one employer, is one talent; the other
    # talent is named only to a user who may see it (an enterprise contact learns no one else's)
    if talent.id_number_hash:
        other = Talent.objects.filter(id_number_hash=talent.id_number_hash).exclude(pk=talent.pk).first()
        if other is not None:
            shown = actor is None or in_scope(actor, other, "view")
            where = f"（{other.name}，{other.employer or '未填工作单位'}）" if shown else ""
            raise ValidationError({"id_number": f"该公民身份号码已在人才库{where}"})
        return
    others = Talent.objects.filter(name=talent.name, employer=talent.employer).exclude(pk=talent.pk)
    if others.filter(id_number_hash="").exists():
        raise ValidationError(
            {
                "name": f"人才库已有{talent.employer or '未填工作单位'}的“{talent.name}”（未填身份证号），请勿重复登记"
            }
        )
    if others.exists():
        raise ValidationError(
            {
                "id_number": f"人才库已有{talent.employer or '未填工作单位'}的“{talent.name}”（已登记公民身份号码），"
                "是同一人请填写其公民身份号码"
            }
        )


@service
def talent_save(*, actor, instance: Talent | None = None, **fields) -> Talent:
    """Record or change a talent. A new one by an enterprise contact is a submission: 待确认, and
    the talent office is told."""
    talent = instance or Talent()
    if instance is not None:
        ensure_in_scope(actor, talent, "change")
    assign(talent, fields, TALENT_FIELDS)
    _normalize_talent(talent, relink=_relinks(fields, "employer"))
    tell = _start_review(talent, actor=actor, created=instance is None)
    talent.full_clean(exclude=["id_number_hash"])
    _check_duplicate(talent, actor=actor)
    talent.save()
    ensure_in_scope(actor, talent, "change" if instance else "add")
    if tell:
        _tell_office(talent, actor=actor)
    return talent


@service
def talent_exit(*, actor, talent: Talent, on, reason: str = "") -> Talent:
    """A talent leaves the pool on `on` (not counted in it from that day)."""
    ensure_in_scope(actor, talent, "change")
    if talent.exit_on:
        raise ValidationError({"on": f"{talent.name}已于 {talent.exit_on:%Y-%m-%d} 出库"})
    past_day(on)
    if on < talent.intake_on:
        raise ValidationError({"on": f"出库日期不能早于入库日期（{talent.intake_on:%Y-%m-%d}）"})
    talent.exit_on, talent.exit_reason = on, (reason or "").strip()
    return save_checked(talent, actor=actor, action="change", exclude=["id_number_hash"])


@service
def talent_delete(*, actor, talent: Talent):
    ensure_in_scope(actor, talent, "delete")
    delete_or_explain(talent, "，请先删除其政策兑现记录")


def talent_reveal(*, actor, talent: Talent, purpose: str = "") -> dict:
    """The full ID and phone numbers, for a user with the permission, logged."""
    if not actor.has_perm("talent.reveal_personal_data"):
        raise PermissionDenied("您没有查看人才完整身份证号和手机号码的权限")
    if not in_scope(actor, talent, "view"):
        raise PermissionDenied("超出您的数据授权范围")
    audit_reveal(user=actor, obj=talent, fields=["公民身份号码", "联系电话"], purpose=purpose)
    return {"id_number": talent.id_number, "phone": talent.phone}


# -- confirming what enterprises submit -----------------------------------------------------------
def _reviewable(actor, record):
    model = type(record)
    if not _may_confirm(actor, model):
        raise PermissionDenied(f"您没有确认企业提交的{model._meta.verbose_name}的权限")
    ensure_in_scope(actor, record, "change")
    if record.review != Review.PENDING:
        raise ValidationError(f"“{record.name}”{record.get_review_display()}，不是待确认的提交")


def _tell_submitter(record, *, actor, kind, title, body=""):
    if record.submitted_by_id:
        notify(
            [record.submitted_by],
            actor=actor,
            kind=kind,
            title=title,
            body=body,
            url=reverse("portal-talent"),
        )


@service
def submission_confirm(*, actor, record):
    """The zone confirms a talent or innovation an enterprise submitted: it counts from now on."""
    _reviewable(actor, record)
    record.review, record.reviewed_by, record.reviewed_at = Review.CONFIRMED, actor, timezone.now()
    record.review_note = ""
    record.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    _tell_submitter(
        record,
        actor=actor,
        kind=Kind.SUBMISSION_CONFIRMED,
        title=f"您提交的{record._meta.verbose_name}“{record.name}”已确认",
    )
    return record


@service
def submission_return(*, actor, record, reason: str):
    """The zone sends a submission back with its reason; the enterprise may correct and resubmit."""
    _reviewable(actor, record)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回原因"})
    record.review, record.reviewed_by, record.reviewed_at = Review.RETURNED, actor, timezone.now()
    record.review_note = reason[:300]
    record.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    _tell_submitter(
        record,
        actor=actor,
        kind=Kind.SUBMISSION_RETURNED,
        title=f"您提交的{record._meta.verbose_name}“{record.name}”被退回",
        body=reason,
    )
    return record


@service
def submission_resubmit(*, actor, record, universities=None, **fields):
    """The enterprise corrects a returned submission and sends it again (待确认)."""
    if not in_scope(actor, record, "view") or not actor.has_perm(
        f"{record._meta.app_label}.add_{record._meta.model_name}"
    ):
        raise PermissionDenied("超出您的数据授权范围")
    if record.review != Review.RETURNED:
        raise ValidationError(
            f"“{record.name}”{record.get_review_display()}，只有被退回的提交可以修改后重新提交"
        )
    enterprise = record.enterprise_id
    if isinstance(record, Talent):
        assign(record, fields, TALENT_FIELDS)
        _normalize_talent(record)
        record.full_clean(exclude=["id_number_hash"])
        _check_duplicate(record, actor=actor)
    else:
        assign(record, fields, INNOVATION_FIELDS)
        _prepare_innovation(record)
        record.full_clean()
    if record.enterprise_id != enterprise:
        raise ValidationError({"enterprise": "不能改为其他企业"})
    record.review, record.submitted_by, record.submitted_at = Review.PENDING, actor, timezone.now()
    record.save()
    if isinstance(record, Innovation):
        _set_universities(record, universities)
    _tell_office(record, actor=actor)
    return record


# -- policy support -------------------------------------------------------------------------------
@service
def policy_save(*, actor, instance: TalentPolicy):
    instance.full_clean()
    instance.save()
    return instance


@service
def support_save(*, actor, instance: PolicySupport | None = None, **fields) -> PolicySupport:
    """A payment under a talent policy: to a confirmed talent, not before their 入库日期 nor after today."""
    support = instance or PolicySupport()
    if instance is not None:
        ensure_in_scope(actor, support, "change")
    assign(support, fields, SUPPORT_FIELDS)
    talent = support.talent
    if talent is not None:
        ensure_in_scope(actor, talent, "change")
        if talent.review != Review.CONFIRMED:
            raise ValidationError({"talent": f"“{talent.name}”尚未确认入库，不能兑现政策"})
    if support.paid_on is not None:
        past_day(support.paid_on, "paid_on")
        if talent is not None and support.paid_on < talent.intake_on:
            raise ValidationError({"paid_on": f"兑现日期不能早于入库日期（{talent.intake_on:%Y-%m-%d}）"})
    if support.policy_id and instance is None and not support.policy.is_active:
        raise ValidationError({"policy": f"人才政策“{support.policy.name}”已停用"})
    return save_checked(support, actor=actor, action="change" if instance else "add")


@service
def support_delete(*, actor, support: PolicySupport):
    ensure_in_scope(actor, support.talent, "change")
    support.delete()


# -- experts --------------------------------------------------------------------------------------
@service
def expert_save(*, actor, instance: Expert | None = None, **fields) -> Expert:
    expert = instance or Expert()
    if instance is not None:
        ensure_in_scope(actor, expert, "change")
    assign(expert, fields, EXPERT_FIELDS)
    return save_checked(expert, actor=actor, action="change" if instance else "add")


@service
def expert_delete(*, actor, expert: Expert):
    ensure_in_scope(actor, expert, "delete")
    delete_or_explain(expert)


# -- platforms and incubation ---------------------------------------------------------------------
@service
def platform_save(*, actor, instance: Platform | None = None, **fields) -> Platform:
    platform = instance or Platform()
    if instance is not None:
        ensure_in_scope(actor, platform, "change")
    assign(platform, fields, PLATFORM_FIELDS)
    platform.name = (platform.name or "").strip()
    _unit_and_enterprise(platform, "host", relink=_relinks(fields, "host"))
    if instance is not None and not platform.incubates and platform.incubations.exists():
        raise ValidationError(
            {"kind": f"“{platform.name}”还有在孵企业，不能改为{platform.get_kind_display()}"}
        )
    return save_checked(platform, actor=actor, action="change" if instance else "add")


@service
def platform_withdraw(*, actor, platform: Platform, on, reason: str) -> Platform:
    """A platform's recognition is withdrawn on `on`: it is not counted from that day."""
    ensure_in_scope(actor, platform, "change")
    if platform.withdrawn_on:
        raise ValidationError({"on": f"“{platform.name}”已于 {platform.withdrawn_on:%Y-%m-%d} 撤销"})
    past_day(on)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写撤销原因"})
    if platform.recognised_on and on < platform.recognised_on:
        raise ValidationError({"on": f"撤销日期不能早于认定日期（{platform.recognised_on:%Y-%m-%d}）"})
    platform.withdrawn_on, platform.withdrawn_reason = on, reason
    return save_checked(platform, actor=actor, action="change")


@service
def platform_delete(*, actor, platform: Platform):
    ensure_in_scope(actor, platform, "delete")
    delete_or_explain(platform, "，请先删除其在孵企业")


def _sync_incubated(enterprise: Enterprise):
    """An enterprise with an incubation is 孵化企业; one whose last incubation was removed is not."""
    enterprise = Enterprise.objects.get(pk=enterprise.pk)
    flagged = Incubation.objects.filter(enterprise=enterprise).exists()
    if enterprise.is_incubated != flagged:
        enterprise.is_incubated = flagged
        enterprise.save(update_fields=["is_incubated", "updated_at"])


@service
def incubation_save(*, actor, instance: Incubation | None = None, **fields) -> Incubation:
    incubation = instance or Incubation()
    if instance is not None:
        ensure_in_scope(actor, incubation, "change")
    before = incubation.enterprise if instance is not None else None
    assign(incubation, fields, INCUBATION_FIELDS)
    if incubation.platform_id:
        ensure_in_scope(actor, incubation.platform, "change")
    duplicate = Incubation.objects.filter(
        platform_id=incubation.platform_id, enterprise_id=incubation.enterprise_id
    ).exclude(pk=incubation.pk)
    if incubation.platform_id and incubation.enterprise_id and duplicate.exists():
        raise ValidationError(
            {"enterprise": f"“{incubation.enterprise}”已在“{incubation.platform}”的在孵企业中"}
        )
    save_checked(incubation, actor=actor, action="change" if instance else "add")
    _sync_incubated(incubation.enterprise)
    if before is not None and before.pk != incubation.enterprise_id:
        _sync_incubated(before)
    return incubation


@service
def incubation_delete(*, actor, incubation: Incubation):
    ensure_in_scope(actor, incubation.platform, "change")
    enterprise = incubation.enterprise
    incubation.delete()
    _sync_incubated(enterprise)


# -- innovations ----------------------------------------------------------------------------------
def university_names(value) -> list[str]:
    """The universities of a cooperation: a list, or one text of names separated as ledger cells
    are (、 , ， ; ； or a line break); trimmed, each once, in order."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else re.split(r"[、,，;；\n\r]+", str(value))
    names = []
    for item in items:
        name = re.sub(r"[\s\u3000]+", "", str(item))
        if name and name not in names:
            names.append(name)
    return names


def _prepare_innovation(innovation: Innovation):
    innovation.name = (innovation.name or "").strip()
    if innovation.kind == InnovationKind.PATENT and innovation.enterprise_id and not innovation.holder:
        innovation.holder = innovation.enterprise.name


def _set_universities(innovation: Innovation, universities):
    if universities is None:
        if innovation.kind != InnovationKind.COOPERATION and innovation.universities.exists():
            raise ValidationError({"universities": "只有校地合作填写合作高校"})
        if innovation.kind == InnovationKind.COOPERATION and not innovation.universities.exists():
            raise ValidationError({"universities": "校地合作请填写合作高校"})
        return
    names = university_names(universities)
    if innovation.kind == InnovationKind.COOPERATION and not names:
        raise ValidationError({"universities": "校地合作请填写合作高校"})
    if innovation.kind != InnovationKind.COOPERATION and names:
        raise ValidationError({"universities": "只有校地合作填写合作高校"})
    innovation.universities.exclude(name__in=names).delete()
    have = set(innovation.universities.values_list("name", flat=True))
    CooperationUniversity.objects.bulk_create(
        [CooperationUniversity(innovation=innovation, name=name) for name in names if name not in have]
    )


@service
def innovation_save(*, actor, instance: Innovation | None = None, universities=None, **fields) -> Innovation:
    """Record or change an innovation; `universities` (names, or one text of names) for a 校地合作.
    A new one by an enterprise contact is a submission: 待确认, and the talent office is told."""
    innovation = instance or Innovation()
    if instance is not None:
        ensure_in_scope(actor, innovation, "change")
    assign(innovation, fields, INNOVATION_FIELDS)
    _prepare_innovation(innovation)
    tell = _start_review(innovation, actor=actor, created=instance is None)
    # zone-wide on purpose: 名称 + 类型 is one innovation in the whole installation
    other = (
        Innovation.objects.filter(name=innovation.name, kind=innovation.kind)
        .exclude(pk=innovation.pk)
        .first()
    )
    if innovation.name and other is not None:
        raise ValidationError({"name": f"已有{other.get_kind_display()}“{other.name}”，请勿重复登记"})
    save_checked(innovation, actor=actor, action="change" if instance else "add")
    _set_universities(innovation, universities)
    if tell:
        _tell_office(innovation, actor=actor)
    return innovation


@service
def innovation_delete(*, actor, innovation: Innovation):
    ensure_in_scope(actor, innovation, "delete")
    delete_or_explain(innovation)
