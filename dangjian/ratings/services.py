"""The star rating's writes. Each step of a campaign and of an organization's assessment is a
service: it checks the campaign's step and the assessment's state, writes, records a timeline
event and tells whom it concerns; a refusal is a Chinese ValidationError that changes nothing."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.selectors import grant_holders
from dangjian.core.calendar import add_workdays, workdays
from dangjian.core.rules import rules_for
from dangjian.core.scope import ensure_in_scope
from dangjian.core.services import Step, assign, delete_or_explain, save_checked, service
from dangjian.core.timeline import record_event
from dangjian.notifications.models import Kind
from dangjian.notifications.services import notify
from dangjian.organizations.models import PartyOrganization

from . import figures, rules, scoring
from .models import (
    Assessment,
    AssessmentEvent,
    AssessmentFigure,
    AssessmentFile,
    AssessmentItem,
    AssessmentStatus,
    Campaign,
    CampaignEvent,
    CampaignStep,
    FileStage,
    Objection,
    RatingSource,
    Rubric,
    RubricItem,
    StarRating,
    Threshold,
    VetoFinding,
    VetoItem,
    number,
    stars_label,
)

A, C = AssessmentStatus, CampaignStep
CAMPAIGN_FIELDS = (
    "name",
    "year",
    "rubric",
    "period_start",
    "period_end",
    "kinds",
    "natures",
    "self_start",
    "self_end",
    "review_end",
    "document_number",
    "note",
)
ITEM_FIELDS = ("position", "area", "name", "points", "evidence", "methods", "deductions", "measures")
THRESHOLD_FIELDS = ("stars", "min_score", "requires_brand")
VETO_FIELDS = ("position", "name", "cap_stars")


def _today(on):
    return on or timezone.localdate()


def _names(records, most=5) -> str:
    records = list(records)
    shown = "、".join(str(r.organization.name) for r in records[:most])
    return shown + (f"等 {len(records)} 个" if len(records) > most else "")


def _require(actor, permission: str, what: str, *others: str):
    """The actor holds `permission` (or one of `others`); None is the system itself."""
    if actor is not None and not any(actor.has_perm(p) for p in (permission, *others)):
        raise PermissionDenied(f"您没有{what}的权限")


# -- rubrics ------------------------------------------------------------------------------------
def _ensure_editable(rubric):
    if rubric.in_use:
        used = "、".join(c.name for c in rubric.campaigns.all()[:3])
        raise ValidationError(f"“{rubric}”已被评星活动“{used}”使用，不能再修改；请复制为新版本后修改")


def _save_rows(model, rubric, rows, fields, label):
    """Replace the rubric's rows of `model` with `rows` (dicts; a row with an id keeps its record)."""
    kept = {obj.pk: obj for obj in model.objects.filter(rubric=rubric)}
    wanted = []
    for line, row in enumerate(rows, start=1):
        pk = row.get("id")
        obj = kept.get(pk) if pk else None
        if pk and obj is None:
            raise ValidationError(f"第 {line} 行{label}不属于“{rubric}”")
        obj = obj or model(rubric=rubric)
        assign(obj, {k: v for k, v in row.items() if k != "id"}, fields)
        try:
            obj.full_clean(exclude=["rubric"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise ValidationError([f"第 {line} 行{label}：{m}" for m in exc.messages]) from None
        wanted.append(obj)
    keep = {obj.pk for obj in wanted if obj.pk}
    for pk, obj in kept.items():
        if pk not in keep:
            obj.delete()
    # positions and stars may swap between rows: move the kept rows out of the way first
    unique = "position" if hasattr(model, "position") else "stars"
    for index, obj in enumerate(wanted):
        if obj.pk:
            model.objects.filter(pk=obj.pk).update(**{unique: 20000 + index})
    for obj in wanted:
        obj.save()


def _check_unique(rows, key, label, what):
    values = [row.get(key) for row in rows]
    repeated = sorted({v for v in values if values.count(v) > 1}, key=str)
    if repeated:
        raise ValidationError(f"{label}重复：{what(repeated)}")


@service
def rubric_save(*, actor, rubric=None, name, description="", items=None, thresholds=None, vetoes=None):
    """A rubric version and (when given) its items, star thresholds and veto items, as rows."""
    if rubric is None:
        # zone-wide on purpose: the next version number of a rubric's name
        last = Rubric.objects.filter(name=name).aggregate(v=Max("version"))["v"]
        rubric = Rubric(name=name, version=(last or 0) + 1)
    else:
        _ensure_editable(rubric)
        rubric.name = name
    rubric.description = description or ""
    rubric.full_clean()
    rubric.save()
    if items is not None:
        _check_unique(items, "position", "评分细则的序号", lambda v: "、".join(map(str, v)))
        _save_rows(RubricItem, rubric, items, ITEM_FIELDS, "评分细则")
    if thresholds is not None:
        _check_unique(thresholds, "stars", "分数线的星级", lambda v: "、".join(stars_label(s) for s in v))
        _save_rows(Threshold, rubric, thresholds, THRESHOLD_FIELDS, "分数线")
    if vetoes is not None:
        _check_unique(vetoes, "position", "一票否决项的序号", lambda v: "、".join(map(str, v)))
        _save_rows(VetoItem, rubric, vetoes, VETO_FIELDS, "一票否决项")
    return rubric


@service
def rubric_copy(*, actor, rubric):
    """复制为新版本: the next version of the rubric's name, with all its rows, to edit."""
    last = Rubric.objects.filter(name=rubric.name).aggregate(v=Max("version"))["v"]
    copy = Rubric.objects.create(
        name=rubric.name, version=last + 1, based_on=rubric, description=rubric.description
    )
    for item in rubric.items.all():
        RubricItem.objects.create(rubric=copy, **{f: getattr(item, f) for f in ITEM_FIELDS})
    for threshold in rubric.thresholds.all():
        Threshold.objects.create(rubric=copy, **{f: getattr(threshold, f) for f in THRESHOLD_FIELDS})
    for veto in rubric.vetoes.all():
        VetoItem.objects.create(rubric=copy, **{f: getattr(veto, f) for f in VETO_FIELDS})
    return copy


@service
def rubric_delete(*, actor, rubric):
    delete_or_explain(rubric, "；已被评星活动使用的标准不能删除")


# -- campaigns ----------------------------------------------------------------------------------
def _campaign_event(campaign, kind, on, *, actor, note=""):
    return record_event(CampaignEvent, campaign=campaign, kind=kind, on=on, actor=actor, note=note)


def _expect_step(campaign, *steps):
    if campaign.step not in steps:
        names = "、".join(C(s).label for s in steps)
        raise ValidationError(
            {
                "step": f"评星活动“{campaign}”目前处于“{campaign.get_step_display()}”环节，此操作只能在“{names}”环节进行"
            }
        )


@service
def campaign_save(*, actor, campaign=None, **fields):
    creating = campaign is None
    if creating:
        campaign = Campaign()
        year = fields.get("year")
        if year and not fields.get("period_start"):
            fields["period_start"] = datetime.date(year, 1, 1)
        if year and not fields.get("period_end"):
            fields["period_end"] = datetime.date(year, 12, 31)
    elif campaign.step != C.PREPARING:
        settled = {
            "year": "评定年度",
            "rubric": "评星标准",
            "kinds": "参评组织类别",
            "natures": "参评单位性质",
        }
        for name, label in settled.items():
            if name in fields and fields[name] is not None and fields[name] != getattr(campaign, name):
                if name in ("kinds", "natures") and set(fields[name]) == set(getattr(campaign, name)):
                    continue
                raise ValidationError({name: f"活动已开始，不能更改{label}"})
    fields.setdefault("kinds", campaign.kinds or [])
    fields.setdefault("natures", campaign.natures or [])
    assign(
        campaign,
        {k: v for k, v in fields.items() if v is not None or k in ("self_start", "self_end", "review_end")},
        CAMPAIGN_FIELDS,
    )
    campaign.kinds, campaign.natures = list(campaign.kinds or []), list(campaign.natures or [])
    if campaign.rubric_id:
        problems = scoring.rubric_problems(campaign.rubric)
        if problems:
            raise ValidationError({"rubric": [f"“{campaign.rubric}”还不能使用：{p}" for p in problems]})
    campaign.full_clean()
    campaign.save()
    if creating:
        _campaign_event(campaign, CampaignEvent.Kind.CREATED, timezone.localdate(), actor=actor)
    return campaign


@service
def campaign_delete(*, actor, campaign):
    if campaign.step != C.PREPARING or campaign.assessments.exists():
        raise ValidationError("评星活动已开始，不能删除")
    delete_or_explain(campaign)


def participants(campaign, on: datetime.date):
    """The organizations that take part: of the campaign's kinds and 单位性质, founded by `on`
    and not dissolved."""
    # zone-wide on purpose: the zone's campaign covers every organization of its kinds
    organizations = PartyOrganization.objects.filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=on),
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on),
    )
    if campaign.kinds:
        organizations = organizations.filter(kind__in=campaign.kinds)
    if campaign.natures:
        organizations = organizations.filter(unit_nature__in=campaign.natures)
    return organizations.order_by("path")


def _last_named(organization, year):
    return StarRating.objects.filter(organization=organization, year__lt=year).order_by("-year").first()


def _take_figures(assessment, on):
    AssessmentFigure.objects.filter(assessment=assessment).delete()
    AssessmentFigure.objects.bulk_create(
        AssessmentFigure(
            assessment=assessment,
            measure=measure.key,
            label=measure.label,
            value=None if value is None else Decimal(value),
            unit=measure.unit,
            url=url,
            taken_on=on,
        )
        for measure, value, url in figures.take(assessment.organization, assessment.campaign.year, on)
    )


def _tell_secretaries(assessment, *, actor, kind, title, body=""):
    notify(
        grant_holders("secretary", organization=assessment.organization_id),
        actor=actor,
        kind=kind,
        title=title,
        body=body,
        url=reverse("admin:ratings_assessment_change", args=[assessment.pk]),
    )


@service
def campaign_open_self_assessment(*, actor, campaign, on=None):
    """开启自评申报: each taking part gets its assessment, its items and veto checks, and the
    figures of its records for the year; its secretaries are told."""
    _require(actor, "ratings.change_campaign", "组织评星活动")
    _expect_step(campaign, C.PREPARING)
    on = _today(on)
    organizations = list(participants(campaign, on))
    if not organizations:
        raise ValidationError(
            f"没有符合条件的参评组织（组织类别：{campaign.kinds_label}；单位性质：{campaign.natures_label}）"
        )
    rubric = campaign.rubric
    items, vetoes = list(rubric.items.all()), list(rubric.vetoes.all())
    for organization in organizations:
        last = _last_named(organization, campaign.year)
        assessment = Assessment.objects.create(
            campaign=campaign,
            organization=organization,
            brand=organization.brand,
            previous_stars=last.stars if last else None,
            previous_year=last.year if last else None,
        )
        AssessmentItem.objects.bulk_create(AssessmentItem(assessment=assessment, item=i) for i in items)
        VetoFinding.objects.bulk_create(VetoFinding(assessment=assessment, veto=v) for v in vetoes)
        _take_figures(assessment, on)
        _event(assessment, AssessmentEvent.Kind.OPENED, on, actor=actor, note=campaign.name)
        _tell_secretaries(
            assessment,
            actor=actor,
            kind=Kind.RATING_SELF_ASSESSMENT,
            title=f"{campaign.name}已开启自评申报，请填写{organization.name}的自评",
            body=f"截止日期：{campaign.self_end:%Y-%m-%d}" if campaign.self_end else "",
        )
    campaign.step = C.SELF_ASSESSMENT
    if not campaign.self_start:
        campaign.self_start = on
    campaign.save()
    _campaign_event(
        campaign,
        CampaignEvent.Kind.OPENED,
        on,
        actor=actor,
        note=f"自评申报：{len(organizations)} 个组织参评",
    )
    return campaign


@service
def campaign_open_review(*, actor, campaign, on=None):
    """结束自评、开启评审. Organizations that did not file are reviewed as they are."""
    _require(actor, "ratings.change_campaign", "组织评星活动")
    _expect_step(campaign, C.SELF_ASSESSMENT)
    on = _today(on)
    waiting = campaign.assessments.filter(status__in=(A.PENDING, A.RETURNED)).count()
    campaign.step = C.REVIEW
    campaign.save()
    note = f"评审；{waiting} 个组织未提交自评" if waiting else "评审"
    _campaign_event(campaign, CampaignEvent.Kind.OPENED, on, actor=actor, note=note)
    return campaign


@service
def campaign_open_decision(*, actor, campaign, on=None):
    """结束评审、提交党工委会议评定: every organization must have been reviewed."""
    _require(actor, "ratings.change_campaign", "组织评星活动")
    _expect_step(campaign, C.REVIEW)
    not_reviewed = campaign.assessments.exclude(status=A.REVIEWED).select_related("organization")
    if not_reviewed.exists():
        raise ValidationError(f"还有组织未完成评审：{_names(not_reviewed)}")
    campaign.step = C.DECISION
    campaign.save()
    _campaign_event(campaign, CampaignEvent.Kind.OPENED, _today(on), actor=actor, note="评定")
    return campaign


def notice_end(start: datetime.date, on: datetime.date | None = None) -> tuple[datetime.date, object]:
    """The last day of a 公示 that starts on `start`: its n-th working day (the start counts when
    it is one), with the rule version used."""
    rule = rules_for(rules.NOTICE, on or start)
    days = rule.values["workdays"]
    first_days = workdays(start, start)
    end = add_workdays(start, days - 1) if first_days else add_workdays(start, days)
    return end, rule


@service
def campaign_open_notice(*, actor, campaign, on=None):
    """公示: every organization decided; the 公示 lasts the rule's working days from `on`."""
    _require(actor, "ratings.change_campaign", "组织评星活动")
    _expect_step(campaign, C.DECISION)
    undecided = campaign.assessments.exclude(status=A.DECIDED).select_related("organization")
    if undecided.exists():
        raise ValidationError(f"还有组织未评定星级：{_names(undecided)}")
    on = _today(on)
    campaign.notice_start = on
    campaign.notice_end, campaign.notice_rule = notice_end(on)
    campaign.step = C.NOTICE
    campaign.save()
    _campaign_event(
        campaign,
        CampaignEvent.Kind.OPENED,
        on,
        actor=actor,
        note=f"公示：{on:%Y-%m-%d} 至 {campaign.notice_end:%Y-%m-%d}",
    )
    return campaign


@service
def campaign_name(*, actor, campaign, on=None, document_number=None):
    """命名: after the 公示 has ended and every objection is answered, the stars decided are
    named — each organization's 评星结果 for the year (replacing a result imported for it)."""
    _require(actor, "ratings.change_campaign", "组织评星活动")
    _expect_step(campaign, C.NOTICE)
    on = _today(on)
    if on <= campaign.notice_end:
        raise ValidationError(
            {
                "on": f"公示期至 {campaign.notice_end:%Y-%m-%d} 结束，命名日期应在其后（填写的是 {on:%Y-%m-%d}）"
            }
        )
    open_objections = Objection.objects.filter(assessment__campaign=campaign, answered_on__isnull=True)
    if open_objections.exists():
        raise ValidationError(
            f"还有 {open_objections.count()} 条公示异议未答复：{_names(o.assessment for o in open_objections.select_related('assessment__organization'))}"
        )
    if document_number is not None:
        campaign.document_number = document_number
    label = str(campaign.rubric)
    for assessment in campaign.assessments.select_related("organization"):
        replaced = StarRating.objects.filter(organization=assessment.organization, year=campaign.year).first()
        note = ""
        if replaced is not None:
            if replaced.source == RatingSource.CAMPAIGN:
                raise ValidationError(
                    f"{assessment.organization.name}的 {campaign.year} 年星级已由评星活动“{replaced.campaign}”命名"
                )
            note = f"替换导入的{replaced.stars_label}"
            replaced.delete()
        StarRating.objects.create(
            organization=assessment.organization,
            year=campaign.year,
            stars=assessment.stars,
            score=assessment.review_score,
            rubric_label=label,
            source=RatingSource.CAMPAIGN,
            campaign=campaign,
            assessment=assessment,
            named_on=on,
        )
        assessment.status = A.NAMED
        assessment.save()
        _event(
            assessment,
            AssessmentEvent.Kind.NAMED,
            on,
            actor=actor,
            note="；".join(p for p in (stars_label(assessment.stars), note) if p),
        )
    campaign.step = C.NAMED
    campaign.named_on = on
    campaign.save()
    _campaign_event(campaign, CampaignEvent.Kind.NAMED, on, actor=actor, note=campaign.document_number)
    return campaign


# -- an organization's assessment ---------------------------------------------------------------
def _event(assessment, kind, on, *, actor, note=""):
    return record_event(AssessmentEvent, assessment=assessment, kind=kind, on=on, actor=actor, note=note)


def _expect(assessment, *statuses):
    if assessment.status not in statuses:
        names = "、".join(A(s).label for s in statuses)
        raise ValidationError(
            {
                "status": f"{assessment.organization.name}的评星申报目前“{assessment.get_status_display()}”，只有{names}的申报可以这样办理"
            }
        )


def _may_file(assessment):
    campaign = assessment.campaign
    if campaign.step == C.SELF_ASSESSMENT and assessment.status in (A.PENDING, A.RETURNED):
        return
    if campaign.step == C.REVIEW and assessment.status == A.RETURNED:
        return
    if assessment.status in (A.PENDING, A.RETURNED):
        raise ValidationError(f"“{campaign}”的自评申报未开放（目前处于“{campaign.get_step_display()}”环节）")
    raise ValidationError(
        f"{assessment.organization.name}的评星申报{assessment.get_status_display()}，不能再修改；如需修改，请党工委退回"
    )


def may_file(assessment) -> bool:
    """The self-assessment may be filled in and submitted now (for the pages' inputs and buttons)."""
    try:
        _may_file(assessment)
    except ValidationError:
        return False
    return True


def _rows_by_item(assessment, rows, label):
    """Rows for the assessment's items, each naming its AssessmentItem (or its id)."""
    mine = {i.pk: i for i in assessment.items.select_related("item")}
    found = []
    for row in rows:
        key = row.get("item")
        key = getattr(key, "pk", key)
        if key not in mine:
            raise ValidationError({"items": f"评分项 {key} 不属于{assessment.organization.name}的{label}"})
        found.append((mine[key], row))
    return found


@service
def assessment_save(*, actor, assessment, brand=None, self_summary=None, items=(), on=None):
    """填写自评: the brand, the summary, and per item the self score and text (a draft until submitted)."""
    ensure_in_scope(actor, assessment, "change")
    _may_file(assessment)
    if brand is not None:
        assessment.brand = brand
    if self_summary is not None:
        assessment.self_summary = self_summary
    for entry, row in _rows_by_item(assessment, items, "自评"):
        if "self_score" in row:
            entry.self_score = row["self_score"]
        if "self_note" in row:
            entry.self_note = row["self_note"] or ""
        entry.full_clean()
        entry.save()
    assessment.self_score = scoring.total(assessment.items.values_list("self_score", flat=True))
    assessment.full_clean()
    assessment.save()
    return assessment


@service
def assessment_refresh_figures(*, actor, assessment, on=None):
    """重新带入系统数据 while the self-assessment is open."""
    ensure_in_scope(actor, assessment, "change")
    _may_file(assessment)
    on = _today(on)
    _take_figures(assessment, on)
    _event(assessment, AssessmentEvent.Kind.FIGURES, on, actor=actor)
    return assessment


@service
def assessment_submit(*, actor, assessment, on=None):
    """提交自评: every item scored; read-only from now on unless the zone returns it."""
    ensure_in_scope(actor, assessment, "change")
    _may_file(assessment)
    missing = [str(i.item.name) for i in assessment.items.select_related("item") if i.self_score is None]
    if missing:
        raise ValidationError({"items": f"还有 {len(missing)} 项未自评打分：{'、'.join(missing[:5])}"})
    on = _today(on)
    assessment.self_score = scoring.total(assessment.items.values_list("self_score", flat=True))
    assessment.status = A.SUBMITTED
    assessment.submitted_on = on
    assessment.returned_reason = ""
    assessment.save()
    _event(
        assessment,
        AssessmentEvent.Kind.SUBMITTED,
        on,
        actor=actor,
        note=f"自评 {number(assessment.self_score)} 分",
    )
    return assessment


@service
def assessment_return(*, actor, assessment, on=None, reason=None):
    """退回修改, with the reason; the secretaries are told."""
    _require(actor, "ratings.review_assessment", "评审评星申报")
    ensure_in_scope(actor, assessment, "change")
    _expect_step(assessment.campaign, C.SELF_ASSESSMENT, C.REVIEW)
    _expect(assessment, A.SUBMITTED, A.REVIEWED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "退回须说明原因"})
    on = _today(on)
    assessment.status = A.RETURNED
    assessment.returned_reason = reason[:300]
    assessment.save()
    _event(assessment, AssessmentEvent.Kind.RETURNED, on, actor=actor, note=reason)
    _tell_secretaries(
        assessment,
        actor=actor,
        kind=Kind.RATING_RETURNED,
        title=f"{assessment.organization.name}的评星申报被退回修改",
        body=reason,
    )
    return assessment


def _result(assessment):
    """(score, veto cap or None, stars) by the campaign's rubric version."""
    entries = list(AssessmentItem.objects.filter(assessment=assessment))  # not a prefetched, older list
    score = scoring.total(e.review_score for e in entries)
    caps = [f.veto.cap_stars for f in assessment.vetoes.select_related("veto") if f.found]
    cap = min(caps) if caps else None
    stars = scoring.stars_for(
        score,
        scoring.thresholds_of(assessment.campaign.rubric),
        has_brand=bool(assessment.brand.strip()),
        cap=cap,
    )
    return score, cap, stars


@service
def assessment_review(*, actor, assessment, items=(), vetoes=(), brand=None, review_note=None, on=None):
    """评审打分: per item the zone's score, how it was checked and its notes; the veto findings;
    the result computed by the rubric version (score, stars, veto)."""
    _require(actor, "ratings.review_assessment", "评审评星申报")
    ensure_in_scope(actor, assessment, "change")
    _expect_step(assessment.campaign, C.REVIEW)
    _expect(assessment, A.PENDING, A.SUBMITTED, A.REVIEWED)
    for entry, row in _rows_by_item(assessment, items, "评审"):
        for name in ("review_score", "review_methods", "review_note"):
            if name in row:
                setattr(entry, name, row[name] if row[name] is not None or name == "review_score" else "")
        entry.review_methods = list(entry.review_methods or [])
        entry.full_clean()
        entry.save()
    findings = {f.pk: f for f in assessment.vetoes.select_related("veto")}
    for row in vetoes:
        key = getattr(row.get("finding"), "pk", row.get("finding"))
        finding = findings.get(key)
        if finding is None:
            raise ValidationError({"vetoes": f"否决核查 {key} 不属于{assessment.organization.name}的申报"})
        finding.found = bool(row.get("found"))
        finding.note = (row.get("note") or "")[:300]
        if finding.found and not finding.note.strip():
            raise ValidationError({"vetoes": f"认定“{finding.veto}”须写明核实情况"})
        finding.save()
    if brand is not None:
        assessment.brand = brand
    if review_note is not None:
        assessment.review_note = review_note
    missing = [str(e.item.name) for e in assessment.items.select_related("item") if e.review_score is None]
    if missing:
        raise ValidationError({"items": f"还有 {len(missing)} 项未评审打分：{'、'.join(missing[:5])}"})
    on = _today(on)
    score, cap, stars = _result(assessment)
    assessment.review_score, assessment.veto, assessment.computed_stars = score, cap is not None, stars
    assessment.reviewed_on = on
    assessment.status = A.REVIEWED
    assessment.full_clean()
    assessment.save()
    note = f"评审 {number(score)} 分，按标准{stars_label(stars)}" + (
        "（一票否决）" if cap is not None else ""
    )
    _event(assessment, AssessmentEvent.Kind.REVIEWED, on, actor=actor, note=note)
    return assessment


def _check_stars(assessment, stars, reason):
    """The committee's stars: at most the veto's cap; a result other than the computed one, or a
    move of more than one step from the last named result, needs a recorded reason."""
    last = _last_named(assessment.organization, assessment.campaign.year)
    assessment.previous_stars = last.stars if last else None
    assessment.previous_year = last.year if last else None
    caps = [f.veto.cap_stars for f in assessment.vetoes.select_related("veto") if f.found]
    if caps and stars > min(caps):
        raise ValidationError(
            {"stars": f"{assessment.organization.name}一票否决，最高只能评为{stars_label(min(caps))}"}
        )
    reason = (reason or "").strip()
    if stars != assessment.computed_stars and not reason:
        raise ValidationError(
            {
                "reason": f"{assessment.organization.name}按标准为{stars_label(assessment.computed_stars)}，评定为{stars_label(stars)}须写明理由"
            }
        )
    if scoring.is_jump(assessment.previous_stars, stars) and not reason:
        raise ValidationError(
            {
                "reason": f"{assessment.organization.name}{assessment.previous_year}年为{stars_label(assessment.previous_stars)}，"
                f"本次评为{stars_label(stars)}跨越了 {abs(stars - assessment.previous_stars)} 级，须写明理由"
            }
        )
    return reason


@service
def assessment_decide(*, actor, assessment, stars=None, reason=None, on=None):
    """评定星级 (党工委会议): the computed stars unless the committee records why otherwise."""
    _require(actor, "ratings.decide_assessment", "评定星级")
    _expect_step(assessment.campaign, C.DECISION)
    _expect(assessment, A.REVIEWED, A.DECIDED)
    stars = int(stars) if stars not in (None, "") else assessment.computed_stars
    reason = _check_stars(assessment, stars, reason)
    on = _today(on)
    assessment.stars, assessment.decision_reason, assessment.decided_on = stars, reason, on
    assessment.status = A.DECIDED
    assessment.full_clean()
    assessment.save()
    _event(
        assessment,
        AssessmentEvent.Kind.DECIDED,
        on,
        actor=actor,
        note="；".join(p for p in (stars_label(stars), reason) if p),
    )
    return assessment


@service
def campaign_decide_all(*, actor, campaign, on=None):
    """评定 every reviewed organization at its computed stars (those that need a reason are
    decided one by one)."""
    _require(actor, "ratings.decide_assessment", "评定星级")
    _expect_step(campaign, C.DECISION)
    waiting = list(campaign.assessments.filter(status=A.REVIEWED).select_related("organization"))
    problems = []
    for assessment in waiting:
        try:
            assessment_decide(actor=actor, assessment=assessment, on=on)
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationError(problems)
    return campaign


# -- 公示 and objections --------------------------------------------------------------------------
@service
def objection_add(*, actor, assessment, received_on=None, raised_by="", content=None):
    _require(actor, "ratings.review_assessment", "登记公示异议")
    _expect_step(assessment.campaign, C.NOTICE)
    campaign, received_on = assessment.campaign, _today(received_on)
    if not (campaign.notice_start <= received_on <= campaign.notice_end):
        raise ValidationError(
            {
                "received_on": f"公示期为 {campaign.notice_start:%Y-%m-%d} 至 {campaign.notice_end:%Y-%m-%d}，"
                f"{received_on:%Y-%m-%d} 收到的异议不在公示期内"
            }
        )
    objection = Objection(
        assessment=assessment, received_on=received_on, raised_by=raised_by or "", content=content or ""
    )
    save_checked(objection, actor=actor, action="change")
    _event(assessment, AssessmentEvent.Kind.OBJECTION, received_on, actor=actor, note=objection.content)
    return objection


@service
def objection_answer(
    *, actor, objection, answered_on=None, answer=None, upheld=None, stars=None, reason=None
):
    """答复异议; an objection upheld may change the stars decided (with its reason)."""
    _require(actor, "ratings.review_assessment", "答复公示异议", "ratings.decide_assessment")
    assessment = objection.assessment
    _expect_step(assessment.campaign, C.NOTICE)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "请填写答复内容"})
    if upheld is None:
        raise ValidationError({"upheld": "请选择异议是否成立"})
    answered_on = _today(answered_on)
    if answered_on < objection.received_on:
        raise ValidationError({"answered_on": f"答复日期不能早于收到日期 {objection.received_on:%Y-%m-%d}"})
    objection.answer, objection.answered_on, objection.upheld = answer, answered_on, bool(upheld)
    objection.save()
    note = f"{'异议成立' if upheld else '异议不成立'}：{answer}"
    if upheld and stars not in (None, "") and int(stars) != assessment.stars:
        _require(actor, "ratings.decide_assessment", "改变评定星级")
        stars = int(stars)
        reason = _check_stars(assessment, stars, reason or answer)
        note += f"；改为{stars_label(stars)}"
        assessment.stars, assessment.decision_reason = stars, reason
        assessment.save()
    _event(assessment, AssessmentEvent.Kind.ANSWERED, answered_on, actor=actor, note=note)
    return objection


# -- evidence files -----------------------------------------------------------------------------
@service
def file_add(*, actor, assessment, file, name="", item=None, stage=FileStage.SELF):
    """A file of evidence: the secretary's while the self-assessment is open, the reviewer's in review."""
    if stage == FileStage.SELF:
        ensure_in_scope(actor, assessment, "change")
        _may_file(assessment)
    else:
        _require(actor, "ratings.review_assessment", "上传评审材料")
        _expect_step(assessment.campaign, C.REVIEW)
    if item is not None and item.assessment_id != assessment.pk:
        raise ValidationError({"item": "评分项不属于这份申报"})
    record = AssessmentFile(
        assessment=assessment, item=item, stage=stage, file=file, name=name or "", uploaded_by=actor
    )
    save_checked(record, actor=actor, action="change")
    return record


@service
def file_delete(*, actor, record):
    assessment = record.assessment
    if record.stage == FileStage.SELF:
        ensure_in_scope(actor, assessment, "change")
        _may_file(assessment)
    else:
        _require(actor, "ratings.review_assessment", "删除评审材料")
        _expect_step(assessment.campaign, C.REVIEW)
    record.delete()


# -- results of past years (the 评星结果 ledger) ---------------------------------------------------
@service
def rating_import(*, actor, existing=None, organization, year, stars, score=None):
    """A result made outside Dangjian; a result named by a campaign is never overwritten."""
    if existing is not None and existing.source == RatingSource.CAMPAIGN:
        raise ValidationError(
            {
                "year": f"{organization.name}的 {year} 年星级已由评星活动“{existing.campaign}”命名，不能由台账覆盖"
            }
        )
    rating = existing or StarRating(organization=organization, year=year, source=RatingSource.LEDGER)
    if existing is not None:
        ensure_in_scope(actor, existing, "change")
    rating.organization, rating.year, rating.stars, rating.score = organization, year, stars, score
    return save_checked(rating, actor=actor, action="change" if existing else "add")


@service
def rating_delete(*, actor, rating):
    if rating.source == RatingSource.CAMPAIGN:
        raise ValidationError("评星活动命名的结果不能删除")
    ensure_in_scope(actor, rating, "delete")
    rating.delete()


CAMPAIGN_STEPS = {
    "open_self_assessment": Step("开启自评申报", campaign_open_self_assessment, ("on",)),
    "open_review": Step("结束自评，开启评审", campaign_open_review, ("on",)),
    "open_decision": Step("结束评审，提交评定", campaign_open_decision, ("on",)),
    "decide_all": Step("按标准评定全部", campaign_decide_all, ("on",)),
    "open_notice": Step("开始公示", campaign_open_notice, ("on",)),
    "name": Step("公示期满，命名", campaign_name, ("on", "document_number")),
}
ASSESSMENT_STEPS = {
    "submit": Step("提交自评", assessment_submit, ("on",)),
    "refresh": Step("重新带入系统数据", assessment_refresh_figures, ("on",)),
    "return": Step("退回修改", assessment_return, ("on", "reason")),
    "decide": Step("评定星级", assessment_decide, ("on", "stars", "reason")),
}
