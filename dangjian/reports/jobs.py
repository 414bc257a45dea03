"""The summary written in the background (dangjian.core.jobs), for its user's scope."""

from dangjian.core.jobs import attach_output, job_kind
from dangjian.organizations.models import PartyOrganization

from .services import SUMMARY_JOB, check_scope, template_in_use
from .summary import summary_document, summary_filename


@job_kind(SUMMARY_JOB, label="年度综述")
def write_summary(job, progress):
    year = int(job.params["year"])
    scope = PartyOrganization.objects.get(pk=job.params["scope"]) if job.params.get("scope") else None
    check_scope(job.user, scope)
    data = summary_document(
        year=year, scope=scope, user=job.user, template=template_in_use(), progress=progress
    )
    attach_output(job, data, summary_filename(year, scope))
    job.summary = f"已生成{summary_filename(year, scope)}（{len(data) // 1024 + 1} KB）"
