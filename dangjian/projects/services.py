"""Writes of 项目包抓: projects with milestones and approvals, problems and their state machine,
daily records, dispatch meetings with their follow-ups, monthly notes and the yearly assessment.
(Cadres and their assignments are the cadres app's.)"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.cadres.models import Assignment, Cadre
from dangjian.cadres.services import assigned_targets
from dangjian.core.scope import ensure_in_scope
from dangjian.core.services import assign, delete_or_explain, save_checked, service
from dangjian.core.timeline import record_event
from dangjian.enterprises.models import Enterprise

from .models import (
    Approval,
    DailyPhoto,
    DailyRecord,
    DispatchMeeting,
    FollowUp,
    Milestone,
    MonthlyNote,
    Problem,
    ProblemEvent,
    ProblemSource,
    ProblemStatus,
    Project,
)

PROJECT_FORM_FIELDS = (
    "name",
    "category",
    "owner_name",
    "owner_enterprise",
    "total_investment",
    "annual_investment",
    "status",
    "started_on",
    "completed_on",
    "temp_branch",
    "note",
)
PROBLEM_FORM_FIELDS = (
    "number",
    "source",
    "project",
    "enterprise",
    "category",
    "description",
    "raised_on",
    "owner",
    "deadline",
    "source_activity",
)


def _not_future(day, field):
    if day is None:
        raise ValidationError({field: "请填写日期"})
    if day > timezone.localdate():
        raise ValidationError({field: "日期不能晚于今天"})
    return day


# -- projects ---------------------------------------------------------------------------------------
@service
def project_save(
    *, actor, instance: Project | None = None, started_month_only=False, completed_month_only=False, **fields
) -> Project:
    project = instance or Project()
    if instance is not None:
        ensure_in_scope(actor, project, "change")
    assign(project, fields, PROJECT_FORM_FIELDS)
    project.started_month_only, project.completed_month_only = started_month_only, completed_month_only
    if project.owner_enterprise_id is None and project.owner_name:
        # zone-wide on purpose: an owner name links only to the one enterprise of that name
        found = list(Enterprise.objects.filter(name=project.owner_name)[:2])
        project.owner_enterprise = found[0] if len(found) == 1 else None
    if project.owner_enterprise_id and not project.owner_name:
        project.owner_name = project.owner_enterprise.name
    return save_checked(project, actor=actor, action="change" if instance else "add")


@service
def project_delete(*, actor, project: Project):
    """Delete a project with its milestones, approvals and assignments (and the grants those
    carry); records that must not lose it (problems raised on it) keep it."""
    ensure_in_scope(actor, project, "delete")
    # (a refusal below undoes these too: the service is one transaction)
    for assignment in project.assignments.select_related("grant"):  # logged while the project exists
        assignment.delete()
        if assignment.grant_id:  # the cadre's grant on the project ends with it
            assignment.grant.delete()
    delete_or_explain(project)


@service
def milestone_save(*, actor, project: Project, instance: Milestone | None = None, **fields) -> Milestone:
    ensure_in_scope(actor, project, "change")
    milestone = instance or Milestone(project=project)
    assign(milestone, fields, ("name", "planned_on", "actual_on", "note"))
    if milestone.actual_on:
        _not_future(milestone.actual_on, "actual_on")
    milestone.full_clean()
    milestone.save()
    return milestone


@service
def approval_save(*, actor, project: Project, instance: Approval | None = None, **fields) -> Approval:
    ensure_in_scope(actor, project, "change")
    approval = instance or Approval(project=project)
    assign(approval, fields, ("item", "submitted_on", "approved_on", "note"))
    approval.full_clean()
    approval.save()
    return approval


@service
def milestone_delete(*, actor, milestone: Milestone):
    ensure_in_scope(actor, milestone.project, "change")
    milestone.delete()


@service
def approval_delete(*, actor, approval: Approval):
    ensure_in_scope(actor, approval.project, "change")
    approval.delete()


# -- problems -----------------------------------------------------------------------------------------
def _event(problem, kind, on, *, actor, note=""):
    return record_event(ProblemEvent, problem=problem, kind=kind, on=on, actor=actor, note=note)


def _place_problem(problem: Problem):
    if problem.owner_id is None:
        lead = (
            Assignment.objects.filter(
                end_on__isnull=True,
                is_lead=True,
                **(
                    {"project": problem.project} if problem.project_id else {"enterprise": problem.enterprise}
                ),
            ).first()
            if (problem.project_id or problem.enterprise_id)
            else None
        )
        problem.owner = lead.cadre if lead else None


@service
def problem_raise(*, actor, source_record=None, source_dispatch=None, **fields) -> Problem:
    """A new problem (待办). Without an owner it goes to the lead cadre of its project or enterprise."""
    problem = Problem(source_record=source_record, source_dispatch=source_dispatch)
    assign(problem, fields, PROBLEM_FORM_FIELDS)
    _not_future(problem.raised_on, "raised_on")
    if not problem.number:
        problem.number = None
    _place_problem(problem)
    save_checked(problem, actor=actor, action="add")
    _event(problem, ProblemEvent.Kind.RAISED, problem.raised_on, actor=actor)
    return problem


def _transition(problem, allowed, *, actor):
    ensure_in_scope(actor, problem, "change")
    if problem.status not in allowed:
        names = "、".join(ProblemStatus(s).label for s in allowed)
        raise ValidationError(
            {"status": f"问题目前“{problem.get_status_display()}”，只有{names}的问题可以这样办理"}
        )


@service
def problem_update(*, actor, problem: Problem, **fields) -> Problem:
    """Correct what a problem says (its description, category, deadline, …); its state changes
    only through the steps, its owner through reassignment."""
    ensure_in_scope(actor, problem, "change")
    for name in ("owner",):
        if name in fields and fields[name] != getattr(problem, name):
            raise ValidationError({name: "更换责任人请使用“更换责任人”"})
    assign(problem, fields, PROBLEM_FORM_FIELDS)
    if not problem.number:
        problem.number = None
    _not_future(problem.raised_on, "raised_on")
    return save_checked(problem, actor=actor, action="change")


@service
def problem_delete(*, actor, problem: Problem):
    """Delete a problem recorded by mistake (with its timeline)."""
    ensure_in_scope(actor, problem, "delete")
    delete_or_explain(problem)


@service
def problem_accept(*, actor, problem: Problem, on: datetime.date) -> Problem:
    """待办 → 办理中."""
    _transition(problem, [ProblemStatus.TODO], actor=actor)
    _not_future(on, "on")
    if on < problem.raised_on:
        raise ValidationError({"on": "开始办理不能早于提出日期"})
    problem.status = ProblemStatus.IN_PROGRESS
    save_checked(problem, actor=actor, action="change")
    _event(problem, ProblemEvent.Kind.ACCEPTED, on, actor=actor)
    return problem


@service
def problem_solve(*, actor, problem: Problem, on: datetime.date, result: str) -> Problem:
    """待办 or 办理中 → 已办结, with the day and what was done."""
    _transition(problem, [ProblemStatus.TODO, ProblemStatus.IN_PROGRESS], actor=actor)
    if not result or not result.strip():
        raise ValidationError({"result": "请填写办理结果"})
    problem.status, problem.closed_on, problem.result = (
        ProblemStatus.SOLVED,
        _not_future(on, "closed_on"),
        result,
    )
    save_checked(problem, actor=actor, action="change")
    _event(problem, ProblemEvent.Kind.SOLVED, on, actor=actor, note=result[:300])
    return problem


@service
def problem_unsolvable(*, actor, problem: Problem, on: datetime.date, reason: str) -> Problem:
    """待办 or 办理中 → 无法解决, with the reason."""
    _transition(problem, [ProblemStatus.TODO, ProblemStatus.IN_PROGRESS], actor=actor)
    if not reason or not reason.strip():
        raise ValidationError({"unsolvable_reason": "请填写无法解决的原因"})
    problem.status, problem.closed_on = ProblemStatus.UNSOLVABLE, _not_future(on, "closed_on")
    problem.unsolvable_reason = reason.strip()
    save_checked(problem, actor=actor, action="change")
    _event(problem, ProblemEvent.Kind.UNSOLVABLE, on, actor=actor, note=reason[:300])
    return problem


@service
def problem_reopen(*, actor, problem: Problem, on: datetime.date, reason: str) -> Problem:
    """已办结 or 无法解决 → 办理中 again; the reason is logged."""
    _transition(problem, [ProblemStatus.SOLVED, ProblemStatus.UNSOLVABLE], actor=actor)
    if not reason or not reason.strip():
        raise ValidationError({"reason": "重新打开须填写原因"})
    if on and problem.closed_on and on < problem.closed_on:
        raise ValidationError({"on": f"重新打开的日期不能早于办结日期 {problem.closed_on:%Y-%m-%d}"})
    previous = problem.get_status_display()
    problem.status, problem.closed_on, problem.escalated_on = ProblemStatus.IN_PROGRESS, None, None
    save_checked(problem, actor=actor, action="change")
    _event(
        problem,
        ProblemEvent.Kind.REOPENED,
        _not_future(on, "on"),
        actor=actor,
        note=f"原状态：{previous}；原因：{reason.strip()}"[:300],
    )
    return problem


@service
def problem_reassign(
    *, actor, problem: Problem, owner: Cadre, deadline: datetime.date | None = None
) -> Problem:
    _transition(problem, [ProblemStatus.TODO, ProblemStatus.IN_PROGRESS], actor=actor)
    if owner is None:
        raise ValidationError({"owner": "请选择新的责任人"})
    before = problem.owner
    problem.owner = owner
    if deadline is not None:
        problem.deadline = deadline
    problem.escalated_on = None
    save_checked(problem, actor=actor, action="change")
    _event(
        problem,
        ProblemEvent.Kind.REASSIGNED,
        timezone.localdate(),
        actor=actor,
        note=f"{before or '无'} → {owner}",
    )
    return problem


@service
def problems_escalate(*, actor, today: datetime.date | None = None) -> int:
    """Overdue problems go to the owner's leader: marked, logged on the problem's timeline, and
    shown on the dispatch board. Each problem is escalated once (until it is reassigned)."""
    today = today or timezone.localdate()
    overdue = Problem.objects.filter(
        status__in=[ProblemStatus.TODO, ProblemStatus.IN_PROGRESS],
        deadline__lt=today,
        escalated_on__isnull=True,
    ).select_related("owner__leader")
    count = 0
    for problem in overdue:
        problem.escalated_on = today
        problem.save(update_fields=["escalated_on", "updated_at"])
        leader = problem.owner.leader if problem.owner_id and problem.owner.leader_id else None
        who = leader.get_full_name() if leader else "党工委管理员"
        _event(
            problem,
            ProblemEvent.Kind.ESCALATED,
            today,
            actor=actor,
            note=f"超过办理时限 {problem.deadline:%Y-%m-%d}，已升级至{who}",
        )
        count += 1
    return count


@service
def problem_import(
    *,
    actor,
    existing: Problem | None,
    status: str,
    closed_on=None,
    result: str | None = None,
    unsolvable_reason: str | None = None,
    **fields,
) -> Problem:
    """A 问题清单 row: the state it states, as it stands (办理结果 is the reason of a problem that
    could not be solved); a text not given is left as it is."""
    problem = existing or Problem()
    if existing is not None:
        ensure_in_scope(actor, existing, "change")
    assign(problem, fields, PROBLEM_FORM_FIELDS)
    if not problem.number:
        problem.number = None
    problem.status, problem.closed_on = status, closed_on
    if result is not None:
        problem.result = result
    if unsolvable_reason is not None:
        problem.unsolvable_reason = unsolvable_reason
    _place_problem(problem)
    save_checked(problem, actor=actor, action="change" if existing else "add")
    _event(problem, ProblemEvent.Kind.IMPORTED, timezone.localdate(), actor=actor, note="问题清单台账导入")
    return problem


@service
def daily_record_save(
    *,
    actor,
    cadre: Cadre,
    day: datetime.date,
    content: str,
    projects=(),
    enterprises=(),
    is_visit: bool = False,
    photos=(),
    problems=(),
) -> DailyRecord:
    """日纪实 for a day (one per cadre and day; saving again updates it). Projects and enterprises
    must be ones the cadre was in charge of that day. `problems` raised are dicts with
    category, description and optionally project/enterprise, deadline."""
    if actor is not None and not actor.is_superuser and cadre.user_id != actor.pk:
        raise ValidationError("只能记录自己的日纪实")
    _not_future(day, "day")
    if not content or not content.strip():
        raise ValidationError({"content": "请填写当天的工作纪实"})
    my_projects, my_enterprises = assigned_targets(cadre, day)
    stray = [p.name for p in projects if p.pk not in my_projects] + [
        e.name for e in enterprises if e.pk not in my_enterprises
    ]
    if stray:
        raise ValidationError({"projects": f"{'、'.join(stray)}不是您当天包抓的项目或企业"})
    record = DailyRecord.objects.filter(cadre=cadre, day=day).first() or DailyRecord(cadre=cadre, day=day)
    record.content, record.is_visit = content.strip(), is_visit
    record.full_clean()
    record.save()
    record.projects.set(projects)
    record.enterprises.set(enterprises)
    for photo in photos:
        DailyPhoto.objects.create(record=record, file=photo, caption=getattr(photo, "name", ""))
    for raised in problems:
        problem_raise(
            actor=actor,
            source=ProblemSource.VISIT if is_visit else ProblemSource.PROJECT,
            category=raised["category"],
            description=raised["description"],
            raised_on=day,
            project=raised.get("project"),
            enterprise=raised.get("enterprise"),
            owner=cadre,
            deadline=raised.get("deadline"),
            source_record=record,
        )
    return record


@service
def monthly_note_save(*, actor, cadre: Cadre, month: datetime.date, text: str) -> MonthlyNote:
    if actor is not None and not actor.is_superuser and cadre.user_id != actor.pk:
        raise ValidationError("只能批注自己的月总结")
    note, _ = MonthlyNote.objects.update_or_create(
        cadre=cadre, month=month.replace(day=1), defaults={"text": text}
    )
    return note


# -- dispatch ----------------------------------------------------------------------------------------------
@service
def dispatch_meeting_save(
    *,
    actor,
    week_start: datetime.date,
    held_on: datetime.date,
    host: str = "",
    attendees: str = "",
    minutes: str = "",
) -> DispatchMeeting:
    monday = week_start - datetime.timedelta(days=week_start.weekday())
    meeting = DispatchMeeting.objects.filter(week_start=monday).first() or DispatchMeeting(week_start=monday)
    meeting.held_on, meeting.host, meeting.attendees, meeting.minutes = held_on, host, attendees, minutes
    _not_future(held_on, "held_on")
    meeting.full_clean()
    meeting.save()
    return meeting


@service
def dispatch_meeting_delete(*, actor, meeting: DispatchMeeting):
    """Delete a week's dispatch meeting recorded by mistake; its follow-ups go with it, and the
    problems they raised stay (they are problems of their own now)."""
    ensure_in_scope(actor, meeting, "delete")
    delete_or_explain(meeting)


@service
def follow_up_add(
    *,
    actor,
    meeting: DispatchMeeting,
    text: str,
    owner: Cadre,
    deadline: datetime.date,
    kind: str = FollowUp.Kind.TASK,
    category: str | None = None,
    project=None,
    enterprise=None,
) -> FollowUp:
    """A decision with an owner and a deadline; a problem-kind follow-up becomes a problem."""
    if not text or not text.strip():
        raise ValidationError({"text": "请填写决定事项"})
    if deadline < meeting.held_on:
        raise ValidationError({"deadline": "完成时限不能早于调度会日期"})
    follow_up = FollowUp(meeting=meeting, text=text.strip(), kind=kind, owner=owner, deadline=deadline)
    if kind == FollowUp.Kind.PROBLEM:
        if not category:
            raise ValidationError({"category": "形成问题须选择问题类别"})
        follow_up.problem = problem_raise(
            actor=actor,
            source=ProblemSource.PROJECT if project else ProblemSource.OTHER,
            category=category,
            description=text.strip(),
            raised_on=meeting.held_on,
            project=project,
            enterprise=enterprise,
            owner=owner,
            deadline=deadline,
            source_dispatch=meeting,
        )
    follow_up.full_clean()
    follow_up.save()
    return follow_up


@service
def follow_up_done(*, actor, follow_up: FollowUp, on: datetime.date) -> FollowUp:
    ensure_in_scope(actor, follow_up, "change")
    follow_up.done_on = _not_future(on, "on")
    follow_up.save(update_fields=["done_on"])
    return follow_up


@service
def assessment_run(*, actor, year: int, today: datetime.date | None = None):
    """年度考核: each active cadre's score from the weights in force at the year's end, with the
    ranking; the run stores the rule version and the weights it used."""
    from dangjian.core.rules import rules_for

    from . import rules
    from .models import AssessmentRun, AssessmentScore
    from .selectors import assessment_components, rank, weighted_score

    rule = rules_for(rules.ASSESSMENT, datetime.date(year, 12, 31))
    weights = rule.values["weights"]
    run = AssessmentRun.objects.create(year=year, rule=rule, weights=weights, created_by=actor)
    scored = []
    for cadre in Cadre.objects.filter(is_active=True).order_by("name"):
        components = assessment_components(cadre, year, today)
        score, used = weighted_score(components, weights)
        scored.append(((cadre, components, used), score))
    for (cadre, components, used), score, position in rank(scored):
        AssessmentScore.objects.create(
            run=run,
            cadre=cadre,
            score=score if score is not None else 0,
            rank=position,
            components={
                **{k: (str(v) if v is not None else None) for k, v in components.items()},
                "weights_used": used,
            },
        )
    return run
