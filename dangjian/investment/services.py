"""The writes of investment attraction. Every move of a project's stage is one service that
checks the stage and its day, writes, and records a timeline event; a refusal is a Chinese
ValidationError that changes nothing. A team member's appointment carries the grant that lets
their account see the team's events and projects."""

import datetime
import difflib
import re
import unicodedata
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.utils import timezone

from dangjian.accounts.models import Grant, Role, User
from dangjian.cadres.services import next_login_name
from dangjian.core.scope import ensure_in_scope
from dangjian.core.services import Step, assign, delete_or_explain, save_checked, service
from dangjian.core.timeline import record_event
from dangjian.core.validators import normalize_phone, past_day
from dangjian.projects.models import Project, ProjectCategory, ProjectStatus
from dangjian.projects.services import project_save as key_project_save

from .models import (
    PIPELINE,
    SIGNED_STAGES,
    STAGE_DATE,
    TEAM_ROLES,
    EventPhoto,
    FollowUp,
    FundTranche,
    InvestmentEvent,
    InvestmentPerson,
    InvestmentProject,
    ProjectEvent,
    ProjectEventKind,
    Stage,
    Team,
)

TEAM_FIELDS = ("name", "focus", "established_on", "organization", "note")
PERSON_FIELDS = (
    "name",
    "role",
    "team",
    "unit",
    "covers",
    "phone",
    "appointed_on",
    "term_until",
    "left_on",
    "left_reason",
    "cadre",
    "organization",
    "note",
)
EVENT_FIELDS = (
    "name",
    "held_on",
    "city",
    "form",
    "team",
    "other_participants",
    "met",
    "note",
    "organization",
)
PROJECT_FIELDS = (
    "name",
    "investor",
    "cluster",
    "planned_investment",
    "content",
    "recorded_on",
    "source_event",
    "source_person",
    "team",
    "follower",
    "organization",
    "note",
)


# -- teams ----------------------------------------------------------------------------------------
@service
def team_save(*, actor, instance: Team | None = None, **fields) -> Team:
    team = instance or Team()
    if instance is not None:
        ensure_in_scope(actor, team, "change")
    assign(team, fields, TEAM_FIELDS)
    return save_checked(team, actor=actor, action="change" if instance else "add")


@service
def team_delete(*, actor, team: Team):
    ensure_in_scope(actor, team, "delete")
    delete_or_explain(team)


# -- people ---------------------------------------------------------------------------------------
LOGIN_PREFIX = "zs"  # 招商: zs0001, zs0002, …


def _account_for(person: InvestmentPerson):
    """A team member's account: the zone cadre's own, or one made for them (the system
    administrator sets its password). Ambassadors and advisors are outside people: none."""
    if person.role not in TEAM_ROLES:
        return person.user if person.user_id else None
    if person.cadre_id:
        return person.cadre.user
    if person.user_id:
        return person.user
    # zone-wide on purpose: the same person in another appointment keeps one account
    other = (
        InvestmentPerson.objects.filter(
            name=person.name, role__in=TEAM_ROLES, user__isnull=False, cadre__isnull=True
        )
        .exclude(pk=person.pk)
        .select_related("user")
        .first()
    )
    if other is not None:
        return other.user
    user = User(
        username=next_login_name(prefix=LOGIN_PREFIX), full_name=person.name, title=person.get_role_display()
    )
    user.set_unusable_password()
    user.save()
    return user


def _sync_grant(person: InvestmentPerson):
    """The grant a team appointment carries: role 招商人员 on the team, from the appointment to
    the departure (the day before it: a departure takes effect on its day)."""
    grant = person.grant
    if person.role not in TEAM_ROLES or not person.user_id:
        if grant is not None:
            person.grant = None
            person.save(update_fields=["grant"])
            grant.delete()
        return
    grant = grant or Grant(user=person.user, role=Role.objects.get(code="investment_staff"))
    grant.user = person.user
    grant.content_type = ContentType.objects.get_for_model(Team)
    grant.object_id = person.team_id
    grant.valid_from = person.appointed_on or datetime.date(2000, 1, 1)
    grant.valid_until = person.left_on - datetime.timedelta(days=1) if person.left_on else None
    if grant.valid_until and grant.valid_until < grant.valid_from:
        grant.valid_until = grant.valid_from
    grant.note = "招商小分队任职自动授权"
    grant.full_clean()
    grant.save()
    if person.grant_id != grant.pk:
        person.grant = grant
        person.save(update_fields=["grant"])


@service
def person_save(*, actor, instance: InvestmentPerson | None = None, **fields) -> InvestmentPerson:
    """An appointment of 招商人员. A team member or leader gets an account (their cadre's, or a
    new one) and the grant on their team for the time they are in post."""
    person = instance or InvestmentPerson()
    if instance is not None:
        ensure_in_scope(actor, person, "change")
    assign(person, fields, PERSON_FIELDS)
    try:
        person.phone = normalize_phone(person.phone) if person.phone else ""
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    if person.left_on is None:
        # zone-wide on purpose: one person holds one role once at a time (checked before the
        # model's constraint, so the message names the person)
        clash = InvestmentPerson.objects.filter(name=person.name, role=person.role, left_on__isnull=True)
        if clash.exclude(pk=person.pk).exists():
            raise ValidationError({"name": f"“{person.name}”已是在任的{person.get_role_display()}"})
    person.full_clean(exclude=["user", "grant"])
    person.user = _account_for(person)
    save_checked(person, actor=actor, action="change" if instance else "add", exclude=["user", "grant"])
    _sync_grant(person)
    return person


@service
def person_leave(*, actor, person: InvestmentPerson, on, reason="") -> InvestmentPerson:
    """The appointment ends on `on` (from that day the person is no longer in post)."""
    ensure_in_scope(actor, person, "change")
    if person.left_on:
        raise ValidationError({"left_on": f"“{person.name}”已于 {person.left_on:%Y-%m-%d} 离任"})
    if on is None:
        raise ValidationError({"left_on": "请填写离任日期"})
    person.left_on, person.left_reason = on, reason or ""
    person.full_clean(exclude=["user", "grant"])
    person.save()
    _sync_grant(person)
    return person


@service
def person_delete(*, actor, person: InvestmentPerson):
    ensure_in_scope(actor, person, "delete")
    grant = person.grant
    delete_or_explain(person)
    if grant is not None:
        grant.delete()


# -- events ---------------------------------------------------------------------------------------
@service
def event_save(
    *, actor, instance: InvestmentEvent | None = None, participants=None, **fields
) -> InvestmentEvent:
    """An event; `participants` (招商人员 who went), when given, replaces the list."""
    event = instance or InvestmentEvent()
    if instance is not None:
        ensure_in_scope(actor, event, "change")
    assign(event, fields, EVENT_FIELDS)
    # zone-wide on purpose: an event is one record whoever recorded it
    clash = InvestmentEvent.objects.filter(name=event.name, held_on=event.held_on).exclude(pk=event.pk)
    if event.name and event.held_on and clash.exists():
        raise ValidationError({"name": f"{event.held_on:%Y-%m-%d} 已有活动“{event.name}”"})
    save_checked(event, actor=actor, action="change" if instance else "add")
    if participants is not None:
        people = list(participants)
        if event.held_on:
            absent = [p.name for p in people if not p.in_post(event.held_on)]
            if absent:
                raise ValidationError(
                    {"participants": f"{'、'.join(absent)}在 {event.held_on:%Y-%m-%d} 不在招商人员任上"}
                )
        event.participants.set(people)
    return event


@service
def event_delete(*, actor, event: InvestmentEvent):
    ensure_in_scope(actor, event, "delete")
    delete_or_explain(event)


@service
def photo_add(*, actor, event: InvestmentEvent, file, caption="") -> EventPhoto:
    ensure_in_scope(actor, event, "change")
    photo = EventPhoto(event=event, file=file, caption=caption or "")
    photo.full_clean()
    photo.save()
    return photo


@service
def photo_delete(*, actor, photo: EventPhoto):
    ensure_in_scope(actor, photo.event, "change")
    photo.delete()


# -- the duplicate check ------------------------------------------------------------------------------
_COMPANY_WORDS = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司")
_PROJECT_WORDS = ("建设项目", "项目")
SIMILAR_RATIO = 0.8


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return re.sub(r"[\s\W_]+", "", text)


def name_key(name: str) -> str:
    """A project's name as the duplicate check compares it: width, case, spaces and punctuation
    ignored, and a trailing 项目 too."""
    key = _plain(name)
    for word in _PROJECT_WORDS:
        if key.endswith(word) and len(key) > len(word):
            key = key[: -len(word)]
            break
    return key


def investor_key(investor: str) -> str:
    """An investor as the duplicate check compares it: 有限公司, 集团 and the like ignored."""
    key = _plain(investor)
    for word in _COMPANY_WORDS:
        if key.endswith(word) and len(key) > len(word):
            key = key[: -len(word)]
            break
    return key


def similar_projects(*, name: str, investor: str = "", exclude=None) -> list[InvestmentProject]:
    """Projects that may be the same as one named `name` with `investor`: the same investor, or
    a name that is the same or nearly so (difflib's ratio at least 0.8 after name_key).
    Candidates are found by index (equal keys, or a name starting alike), then compared."""
    nkey, ikey = name_key(name), investor_key(investor)
    if not nkey:
        return []
    q = Q(name_key=nkey) | Q(name_key__startswith=nkey[:2])
    if ikey:
        q |= Q(investor_key=ikey)
    # zone-wide on purpose: a duplicate is one wherever it was recorded
    candidates = InvestmentProject.objects.filter(q)
    if exclude is not None and exclude.pk:
        candidates = candidates.exclude(pk=exclude.pk)
    found = []
    for other in candidates.order_by("pk")[:500]:
        same_investor = bool(ikey) and other.investor_key == ikey
        ratio = difflib.SequenceMatcher(None, nkey, other.name_key).ratio()
        if same_investor or ratio >= SIMILAR_RATIO:
            found.append(other)
    return found


def _flag_duplicates(project: InvestmentProject, *, actor, on):
    similar = similar_projects(name=project.name, investor=project.investor, exclude=project)
    before = set(project.possible_duplicates.values_list("pk", flat=True))
    project.possible_duplicates.set(similar)
    new = [p for p in similar if p.pk not in before]
    if new:
        names = "、".join(f"“{p.name}”" for p in new[:5])
        record_event(
            ProjectEvent,
            actor=actor,
            on=on,
            project=project,
            kind=ProjectEventKind.DUPLICATE,
            note=f"与{names}可能重复（投资方相同或名称相近），请核实",
        )
    return similar


# -- projects -------------------------------------------------------------------------------------
def _touch(project: InvestmentProject, on: datetime.date):
    if project.last_activity_on is None or on > project.last_activity_on:
        project.last_activity_on = on


@service
def project_save(*, actor, instance: InvestmentProject | None = None, **fields) -> InvestmentProject:
    """A lead recorded, or a project's particulars changed (its stage moves only through the
    steps below). A possible duplicate — the same investor, or a near-identical name — is
    flagged on the project and on its timeline; `project.possible_duplicates` lists them."""
    project = instance or InvestmentProject()
    if instance is not None:
        ensure_in_scope(actor, project, "change")
    assign(project, fields, PROJECT_FIELDS)
    if project.recorded_on is None and instance is None:
        project.recorded_on = timezone.localdate()
    if project.recorded_on and project.recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": "线索日期不能晚于今天"})
    later = [
        project.stage_day(stage)
        for stage in (Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED, Stage.PRODUCING, Stage.TERMINATED)
        if project.stage_day(stage)
    ]
    if project.recorded_on and later and project.recorded_on > min(later):
        raise ValidationError({"recorded_on": f"线索日期不能晚于 {min(later):%Y-%m-%d}（已有的阶段日期）"})
    project.name_key, project.investor_key = name_key(project.name), investor_key(project.investor)
    if project.recorded_on:
        _touch(project, project.recorded_on)
    save_checked(project, actor=actor, action="change" if instance else "add")
    if instance is None:
        record_event(
            ProjectEvent,
            actor=actor,
            on=project.recorded_on,
            project=project,
            kind=ProjectEventKind.RECORDED,
            stage=project.stage,
        )
    _flag_duplicates(project, actor=actor, on=project.recorded_on or timezone.localdate())
    return project


def _check_move_day(project: InvestmentProject, on, field: str):
    past_day(on, field)
    reached = [project.stage_day(s) for s in PIPELINE if project.stage_day(s)]
    latest = max(reached) if reached else None
    if latest and on < latest:
        raise ValidationError({field: f"日期不能早于上一阶段的日期 {latest:%Y-%m-%d}"})


@service
def project_advance(
    *, actor, project: InvestmentProject, stage, on, signed_amount=None, note=""
) -> InvestmentProject:
    """Move the project to the next stage of 线索 → 洽谈 → 签约 → 开工 → 投产 on `on`;
    签约 needs its date and the agreed investment (万元)."""
    ensure_in_scope(actor, project, "change")
    stage = Stage(stage) if stage in Stage.values else None
    if project.stage == Stage.TERMINATED:
        raise ValidationError({"stage": "项目已终止，不能再变更阶段"})
    current = PIPELINE.index(project.stage)
    if current == len(PIPELINE) - 1:
        raise ValidationError({"stage": "项目已投产，是最后一个阶段"})
    expected = PIPELINE[current + 1]
    if stage != expected:
        raise ValidationError(
            {"stage": f"项目处于“{project.get_stage_display()}”阶段，下一步只能是“{expected.label}”或终止"}
        )
    field = STAGE_DATE[stage]
    _check_move_day(project, on, field)
    if stage == Stage.SIGNED:
        if signed_amount in (None, ""):
            raise ValidationError({"signed_amount": "签约须填写签约金额（万元）"})
        signed_amount = Decimal(signed_amount)
        if signed_amount <= 0:
            raise ValidationError({"signed_amount": "签约金额应大于 0"})
        project.signed_amount = signed_amount
    setattr(project, field, on)
    project.stage = stage
    _touch(project, on)
    project.full_clean()
    project.save()
    amount = f"，签约金额 {signed_amount.normalize():f} 万元" if stage == Stage.SIGNED else ""
    record_event(
        ProjectEvent,
        actor=actor,
        on=on,
        project=project,
        kind=ProjectEventKind.STAGE,
        stage=stage,
        note=f"转入“{stage.label}”{amount}{('：' + note) if note else ''}",
    )
    return project


@service
def project_terminate(*, actor, project: InvestmentProject, on, reason) -> InvestmentProject:
    """终止 with its reason, from any stage before 投产."""
    ensure_in_scope(actor, project, "change")
    if project.stage == Stage.TERMINATED:
        raise ValidationError({"stage": "项目已终止"})
    if project.stage == Stage.PRODUCING:
        raise ValidationError({"stage": "项目已投产，不能终止"})
    if not (reason or "").strip():
        raise ValidationError({"termination_reason": "终止须填写原因"})
    _check_move_day(project, on, "terminated_on")
    project.stage_before_termination = project.stage
    project.stage, project.terminated_on, project.termination_reason = Stage.TERMINATED, on, reason.strip()
    project.full_clean()
    project.save()
    record_event(
        ProjectEvent,
        actor=actor,
        on=on,
        project=project,
        kind=ProjectEventKind.STAGE,
        stage=Stage.TERMINATED,
        note=f"终止：{reason.strip()}",
    )
    return project


@service
def project_resume(*, actor, project: InvestmentProject, on, note="") -> InvestmentProject:
    """A terminated project taken up again, at the stage it was terminated from."""
    ensure_in_scope(actor, project, "change")
    if project.stage != Stage.TERMINATED:
        raise ValidationError({"stage": "只有已终止的项目可以恢复"})
    past_day(on, "on")
    if project.terminated_on and on < project.terminated_on:
        raise ValidationError({"on": f"日期不能早于终止日期 {project.terminated_on:%Y-%m-%d}"})
    project.stage = project.stage_before_termination or Stage.LEAD
    project.terminated_on, project.termination_reason, project.stage_before_termination = None, "", ""
    _touch(project, on)
    project.full_clean()
    project.save()
    record_event(
        ProjectEvent,
        actor=actor,
        on=on,
        project=project,
        kind=ProjectEventKind.STAGE,
        stage=project.stage,
        note=f"恢复跟进，回到“{project.get_stage_display()}”{('：' + note) if note else ''}",
    )
    return project


@service
def project_delete(*, actor, project: InvestmentProject):
    ensure_in_scope(actor, project, "delete")
    if project.tranches.exists():
        raise ValidationError(f"“{project.name}”已登记到位资金，不能删除；可终止项目")
    delete_or_explain(project)


# -- follow-ups -----------------------------------------------------------------------------------
@service
def follow_up_add(*, actor, project: InvestmentProject, on, content, way="", next_step="") -> FollowUp:
    ensure_in_scope(actor, project, "change")
    past_day(on, "on")
    if on < project.recorded_on:
        raise ValidationError({"on": f"跟进日期不能早于线索日期 {project.recorded_on:%Y-%m-%d}"})
    if not (content or "").strip():
        raise ValidationError({"content": "请填写跟进情况"})
    follow_up = FollowUp(
        project=project, on=on, content=content.strip(), way=way or "", next_step=next_step or ""
    )
    follow_up.by = actor
    follow_up.full_clean()
    follow_up.save()
    _touch(project, on)
    project.save(update_fields=["last_activity_on", "updated_at"])
    record_event(
        ProjectEvent,
        actor=actor,
        on=on,
        project=project,
        kind=ProjectEventKind.FOLLOW_UP,
        note=content.strip(),
    )
    return follow_up


def _recompute_activity(project: InvestmentProject):
    days = [project.stage_day(s) for s in (*PIPELINE, Stage.TERMINATED) if project.stage_day(s)]
    latest = project.follow_ups.aggregate(latest=Max("on"))["latest"]
    if latest:
        days.append(latest)
    project.last_activity_on = max(days) if days else None
    project.save(update_fields=["last_activity_on", "updated_at"])


@service
def follow_up_delete(*, actor, follow_up: FollowUp):
    project = follow_up.project
    ensure_in_scope(actor, project, "change")
    follow_up.delete()
    _recompute_activity(project)


# -- funds in place -------------------------------------------------------------------------------
@service
def tranche_add(
    *, actor, project: InvestmentProject, received_on, amount, evidence=None, evidence_note=""
) -> FundTranche:
    """一笔到位资金 of a signed project, on or after its 签约日期."""
    ensure_in_scope(actor, project, "change")
    if project.stage not in SIGNED_STAGES:
        raise ValidationError(
            {"project": f"项目处于“{project.get_stage_display()}”阶段，签约后才能登记到位资金"}
        )
    past_day(received_on, "received_on")
    if project.signed_on and received_on < project.signed_on:
        raise ValidationError({"received_on": f"到位日期不能早于签约日期 {project.signed_on:%Y-%m-%d}"})
    tranche = FundTranche(
        project=project, received_on=received_on, amount=amount, evidence_note=evidence_note or ""
    )
    if evidence:
        tranche.evidence = evidence
    tranche.full_clean()
    tranche.save()
    record_event(
        ProjectEvent,
        actor=actor,
        on=received_on,
        project=project,
        kind=ProjectEventKind.FUNDS,
        note=f"到位资金 {tranche.amount.normalize():f} 万元",
    )
    return tranche


@service
def tranche_delete(*, actor, tranche: FundTranche):
    ensure_in_scope(actor, tranche.project, "change")
    tranche.delete()


# -- carried into the key projects (项目包抓) -----------------------------------------------------------
_STATUS_OF = {
    Stage.SIGNED: ProjectStatus.PRELIMINARY,
    Stage.STARTED: ProjectStatus.UNDER_CONSTRUCTION,
    Stage.PRODUCING: ProjectStatus.IN_PRODUCTION,
}


@service
def project_carry(*, actor, project: InvestmentProject) -> Project:
    """Carry a signed project into the key projects, so cadres take it over: a key project of the
    same name (or the existing one of that name, if it is not another project's), linked both
    ways (`project.key_project`, `key_project.investment_project`)."""
    ensure_in_scope(actor, project, "change")
    if project.stage not in SIGNED_STAGES:
        raise ValidationError(
            {"stage": f"项目处于“{project.get_stage_display()}”阶段，签约后才能转入重点项目"}
        )
    if project.key_project_id:
        raise ValidationError({"key_project": f"已转入重点项目“{project.key_project.name}”"})
    # zone-wide on purpose: a key project's name is unique in the zone
    existing = Project.objects.filter(name=project.name).first()
    if existing is not None:
        if InvestmentProject.objects.filter(key_project=existing).exists():
            raise ValidationError({"key_project": f"重点项目“{existing.name}”已关联其他招商项目"})
        ensure_in_scope(actor, existing, "change")
        key = existing
    else:
        key = key_project_save(
            actor=actor,
            name=project.name,
            category=ProjectCategory.INDUSTRIAL,
            owner_name=project.investor,
            total_investment=project.signed_amount or project.planned_investment or Decimal(0),
            status=_STATUS_OF[project.stage],
            started_on=project.started_on,
            note=f"由招商项目转入（签约日期 {project.signed_on:%Y-%m-%d}）"
            if project.signed_on
            else "由招商项目转入",
        )
    project.key_project = key
    project.save(update_fields=["key_project", "updated_at"])
    record_event(
        ProjectEvent,
        actor=actor,
        on=timezone.localdate(),
        project=project,
        kind=ProjectEventKind.CARRIED,
        note=f"转入重点项目“{key.name}”，由包抓干部接手",
    )
    return key


# -- the ledger's present state -------------------------------------------------------------------------
@service
def project_import_state(
    *, actor, project: InvestmentProject, stage, signed_on=None, signed_amount=None, funds=None
) -> InvestmentProject:
    """The stage a ledger states (the present, however it got there): 签约日期 required from 签约 on;
    its 到位资金 becomes one tranche dated on the 签约日期 unless the project has tranches."""
    ensure_in_scope(actor, project, "change")
    stage = Stage(stage)
    signed = stage in SIGNED_STAGES or (stage == Stage.TERMINATED and signed_on)
    if stage in SIGNED_STAGES and signed_on is None:
        raise ValidationError({"signed_on": f"阶段为“{stage.label}”时须填写签约日期"})
    signed_on = signed_on if signed else None
    if funds and funds > 0 and not signed_on:
        raise ValidationError({"funds": "填写到位资金时须填写签约日期"})
    changed = project.stage != stage or project.signed_on != signed_on
    if signed_amount is not None and project.signed_amount != signed_amount:
        changed = True
    if changed:  # else the ledger states what is recorded: nothing is written
        if stage == Stage.TERMINATED and project.stage != Stage.TERMINATED:
            project.stage_before_termination = project.stage
            project.terminated_on = project.terminated_on or signed_on or project.recorded_on
            project.termination_reason = project.termination_reason or "台账记载已终止"
        elif stage != Stage.TERMINATED:
            project.terminated_on, project.termination_reason, project.stage_before_termination = None, "", ""
        project.stage = stage
        project.signed_on = signed_on
        if signed_amount is not None:
            project.signed_amount = signed_amount
        if project.signed_on:
            _touch(project, project.signed_on)
        project.full_clean()
        project.save()
        record_event(
            ProjectEvent,
            actor=actor,
            on=project.signed_on or project.recorded_on,
            project=project,
            kind=ProjectEventKind.IMPORTED,
            stage=stage,
            note=f"台账记载阶段“{stage.label}”",
        )
    if funds and funds > 0 and not project.tranches.exists():
        FundTranche.objects.create(
            project=project, received_on=project.signed_on, amount=funds, evidence_note="台账导入"
        )
    return project


STAGE_STEPS = {
    "advance": Step("变更阶段", project_advance, ("stage", ("on", "on"), "signed_amount", "note")),
    "terminate": Step("终止项目", project_terminate, (("on", "on"), "reason")),
    "resume": Step("恢复跟进", project_resume, (("on", "on"), "note")),
    "carry": Step("转入重点项目", project_carry),
}


def next_stage(project: InvestmentProject):
    """The stage the project may move to next, or None."""
    if project.stage in PIPELINE[:-1]:  # not 投产 (the last) nor 终止
        return PIPELINE[PIPELINE.index(project.stage) + 1]
    return None
