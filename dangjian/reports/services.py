"""Writes of the reports: the summary templates the office uploads (checked before they are kept:
a template naming an unknown code is refused with the code named), and starting a summary."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from dangjian.core.jobs import enqueue
from dangjian.core.scope import restrict
from dangjian.core.services import service
from dangjian.organizations.models import PartyOrganization

from .models import SummaryTemplate
from .summary import check_template, scope_name

GENERATE = "reports.generate_summary"
COCKPIT = "reports.view_cockpit"
SUMMARY_JOB = "summary"


@service
def template_upload(*, actor, name: str, data: bytes, filename: str, note: str = "", use: bool = True):
    if not filename.lower().endswith(".docx"):
        raise ValidationError({"file": "模板应为 Word 文件（.docx）"})
    try:
        check_template(data)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    template = SummaryTemplate(name=name, note=note, uploaded_by=actor)
    template.file.save(filename, ContentFile(data), save=False)
    template.full_clean(exclude=["file"])
    if use:
        SummaryTemplate.objects.filter(in_use=True).update(in_use=False)
        template.in_use = True
    template.save()
    return template


@service
def template_use(*, actor, template: SummaryTemplate | None):
    """Write the summaries with `template` from now on (None: with the default one)."""
    SummaryTemplate.objects.filter(in_use=True).update(in_use=False)
    if template is not None:
        template.in_use = True
        template.save(update_fields=["in_use"])


def template_in_use() -> bytes | None:
    template = SummaryTemplate.objects.filter(in_use=True).first()
    if template is None:
        return None
    with template.file.open("rb") as stored:
        return stored.read()


def check_scope(user, scope):
    """A summary is of what the user may see: an organization in their scope, or the whole zone
    for who sees its root."""
    if user is None:
        return
    if not user.has_perm(GENERATE):
        raise PermissionDenied("您没有生成年度综述的权限")
    visible = restrict(user, PartyOrganization.objects.all(), "view")
    target = scope or PartyOrganization.objects.filter(depth=1).order_by("path").first()
    if target is None or not visible.filter(pk=target.pk).exists():
        raise PermissionDenied(f"超出您的数据授权范围：不能生成“{scope_name(scope)}”的综述")


def summary_start(*, user, year: int, scope=None):
    """Generate the summary in the background (a job; its page shows the progress and, when done,
    the document to download)."""
    check_scope(user, scope)
    return enqueue(
        SUMMARY_JOB,
        user=user,
        title=f"生成{scope_name(scope)}{year}年党建工作综述",
        params={"year": year, "scope": scope.pk if scope else None},
    )
