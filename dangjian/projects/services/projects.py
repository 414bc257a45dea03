"""Writes of key projects, their milestones and approvals."""

from dangjian.core.scope import ensure_in_scope
from dangjian.core.services import assign, delete_or_explain, save_checked, service
from dangjian.core.validators import past_day
from dangjian.enterprises.models import Enterprise

from ..models import (
    Approval,
    Milestone,
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
        past_day(milestone.actual_on, "actual_on")
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
