"""Problems: raising, correcting, the steps of their state machine, escalation and the ledger import."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.cadres.models import Assignment, Cadre
from dangjian.core.scope import ensure_in_scope
from dangjian.core.services import Step, assign, delete_or_explain, save_checked, service
from dangjian.core.timeline import record_event
from dangjian.core.validators import past_day
from dangjian.notifications.models import Kind
from dangjian.notifications.services import notify

from ..models import (
    Problem,
    ProblemEvent,
    ProblemStatus,
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


# -- problems -----------------------------------------------------------------------------------------
def _event(problem, kind, on, *, actor, note=""):
    return record_event(ProblemEvent, problem=problem, kind=kind, on=on, actor=actor, note=note)


def _tell_owner(problem, *, actor, why):
    """站内消息 to the cadre now responsible for the problem."""
    if problem.owner_id is None:
        return
    deadline = f"，办理时限 {problem.deadline:%Y-%m-%d}" if problem.deadline else ""
    notify(
        [problem.owner.user],
        actor=actor,
        kind=Kind.PROBLEM_ASSIGNED,
        title=f"问题“{problem.description[:40]}”{why}",
        body=f"{problem.get_category_display()}问题，{problem.raised_on:%Y-%m-%d} 提出{deadline}",
        url=reverse("admin:projects_problem_change", args=[problem.pk]),
    )


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
    past_day(problem.raised_on, "raised_on")
    if not problem.number:
        problem.number = None
    _place_problem(problem)
    save_checked(problem, actor=actor, action="add")
    _event(problem, ProblemEvent.Kind.RAISED, problem.raised_on, actor=actor)
    _tell_owner(problem, actor=actor, why="交由您办理")
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
    past_day(problem.raised_on, "raised_on")
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
    past_day(on, "on")
    if on < problem.raised_on:
        raise ValidationError({"on": "开始办理不能早于提出日期"})
    problem.status = ProblemStatus.IN_PROGRESS
    save_checked(problem, actor=actor, action="change")
    _event(problem, ProblemEvent.Kind.ACCEPTED, on, actor=actor)
    return problem


@service
def problem_progress(*, actor, problem: Problem, on: datetime.date, note: str) -> Problem:
    """办理进展: what was done on an open problem, kept on its timeline. The first progress of a
    problem still 待办 starts it (办理中) on that day."""
    _transition(problem, [ProblemStatus.TODO, ProblemStatus.IN_PROGRESS], actor=actor)
    if not note or not note.strip():
        raise ValidationError({"note": "请填写办理进展"})
    past_day(on, "on")
    if on < problem.raised_on:
        raise ValidationError({"on": "办理进展的日期不能早于提出日期"})
    if problem.status == ProblemStatus.TODO:
        problem.status = ProblemStatus.IN_PROGRESS
        save_checked(problem, actor=actor, action="change")
        _event(problem, ProblemEvent.Kind.ACCEPTED, on, actor=actor)
    _event(problem, ProblemEvent.Kind.PROGRESS, on, actor=actor, note=note.strip())
    return problem


@service
def problem_solve(*, actor, problem: Problem, on: datetime.date, result: str) -> Problem:
    """待办 or 办理中 → 已办结, with the day and what was done."""
    _transition(problem, [ProblemStatus.TODO, ProblemStatus.IN_PROGRESS], actor=actor)
    if not result or not result.strip():
        raise ValidationError({"result": "请填写办理结果"})
    problem.status, problem.closed_on, problem.result = (
        ProblemStatus.SOLVED,
        past_day(on, "closed_on"),
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
    problem.status, problem.closed_on = ProblemStatus.UNSOLVABLE, past_day(on, "closed_on")
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
        past_day(on, "on"),
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
    if before != owner:
        _tell_owner(problem, actor=actor, why="改由您办理")
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


# The steps of a problem after it is raised, as the back office and the API offer them.
PROBLEM_STEPS = {
    "accept": Step("开始办理", problem_accept, ("on",)),
    "progress": Step("记录进展", problem_progress, ("on", ("text", "note"))),
    "solve": Step("办结", problem_solve, ("on", ("text", "result"))),
    "unsolvable": Step("确认无法解决", problem_unsolvable, ("on", ("text", "reason"))),
    "reopen": Step("重新打开", problem_reopen, ("on", ("text", "reason"))),
    "reassign": Step("更换责任人", problem_reassign, ("owner", "deadline")),
}
