"""Writes of 项目包抓: projects with milestones and approvals, problems and their state machine,
daily records, dispatch meetings with their follow-ups, monthly notes and the yearly assessment.
(Cadres and their assignments are the cadres app's.)"""

from .assessment import assessment_run
from .daily import daily_record_save, monthly_note_save
from .dispatch import dispatch_meeting_delete, dispatch_meeting_save, follow_up_add, follow_up_done
from .problems import (
    PROBLEM_FORM_FIELDS,
    PROBLEM_STEPS,
    problem_accept,
    problem_delete,
    problem_import,
    problem_progress,
    problem_raise,
    problem_reassign,
    problem_reopen,
    problem_solve,
    problem_unsolvable,
    problem_update,
    problems_escalate,
)
from .projects import (
    PROJECT_FORM_FIELDS,
    approval_delete,
    approval_save,
    milestone_delete,
    milestone_save,
    project_delete,
    project_save,
)

__all__ = [
    "PROBLEM_FORM_FIELDS",
    "PROBLEM_STEPS",
    "PROJECT_FORM_FIELDS",
    "approval_delete",
    "approval_save",
    "assessment_run",
    "daily_record_save",
    "dispatch_meeting_delete",
    "dispatch_meeting_save",
    "follow_up_add",
    "follow_up_done",
    "milestone_delete",
    "milestone_save",
    "monthly_note_save",
    "problem_accept",
    "problem_delete",
    "problem_import",
    "problem_progress",
    "problem_raise",
    "problem_reassign",
    "problem_reopen",
    "problem_solve",
    "problem_unsolvable",
    "problem_update",
    "problems_escalate",
    "project_delete",
    "project_save",
]
