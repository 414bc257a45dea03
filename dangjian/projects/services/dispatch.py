"""Weekly dispatch meetings and their follow-ups (a task, or a problem raised)."""

import datetime

from django.core.exceptions import ValidationError

from dangjian.cadres.models import Cadre
from dangjian.core.scope import ensure_in_scope
from dangjian.core.services import delete_or_explain, service
from dangjian.core.validators import past_day

from ..models import (
    DispatchMeeting,
    FollowUp,
    ProblemSource,
)
from .problems import problem_raise


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
    past_day(held_on, "held_on")
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
    follow_up.done_on = past_day(on, "on")
    follow_up.save(update_fields=["done_on"])
    return follow_up
