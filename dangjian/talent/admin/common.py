"""What the back-office pages of 人才与创新 share: links shown only to who may open them, the
"as of a day" list filters, the state of an enterprise's submission, the step buttons."""

import datetime

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from dangjian.core.admin_base import admin_viewer
from dangjian.core.exports import record_url
from dangjian.core.scope import in_scope

from ..models import Review

BUTTON = "border border-base-200 font-medium px-3 py-2 rounded-default text-sm hover:bg-base-100 dark:border-base-700"


def today() -> datetime.date:
    return timezone.localdate()


def link(user, obj, text=None):
    """`obj` as a link to its page when the user may open it, else as text."""
    url = record_url(user, obj)
    text = text if text is not None else str(obj)
    return format_html('<a class="text-primary-600" href="{}">{}</a>', url, text) if url else text


def review_url(user, record) -> str:
    """The page where the zone confirms submissions (another part of the back office), for a
    pending record and a user who may confirm it; '' where there is none."""
    if record.review != Review.PENDING or user is None:
        return ""
    permission = (
        "talent.confirm_talent" if record._meta.model_name == "talent" else "talent.confirm_innovation"
    )
    if not user.has_perm(permission) or not in_scope(user, record, "change"):
        return ""
    try:
        return reverse("admin:talent_review")
    except NoReverseMatch:
        return ""


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


@admin.display(description="确认情况")
def review_state(obj):
    """An enterprise's submission: its state, who submitted it and when, who confirmed or
    returned it and why, and the way to the confirmation page for who may confirm it."""
    if obj is None or obj.pk is None:
        return "—"
    rows = [("确认状态", obj.get_review_display())]
    if obj.submitted_by_id:
        rows += [("提交人", str(obj.submitted_by)), ("提交时间", _when(obj.submitted_at))]
    if obj.reviewed_by_id:
        label = "退回人" if obj.review == Review.RETURNED else "确认人"
        rows += [(label, str(obj.reviewed_by)), (f"{label[:2]}时间", _when(obj.reviewed_at))]
    if obj.review == Review.RETURNED and obj.review_note:
        rows.append(("退回原因", obj.review_note))
    shown = format_html_join(mark_safe("<br>"), "{}：{}", rows)
    url = review_url(admin_viewer(), obj)
    if url:
        shown = format_html('{}<br><a class="text-primary-600" href="{}">去确认</a>', shown, url)
    return shown


def has_submission(obj) -> bool:
    return obj is not None and obj.pk is not None and (obj.submitted_by_id or obj.review != Review.CONFIRMED)
