"""人才与创新's part of 我的待办: for the talent office (人才工作人员, and the zone administrator)
the talents and innovations enterprises submitted that wait for confirmation, each linking to
its page in the back office; for an enterprise contact their enterprise's submissions the zone
returned, to correct and resubmit in the portal. The lists are the selectors' and the user's
scope; here only whose work they are."""

from django.urls import reverse
from django.utils import timezone

from dangjian.core.registry import TodoItem, todo_source
from dangjian.core.scope import restrict

from . import selectors
from .models import Innovation, Review, Talent


def _day(moment):
    return timezone.localdate(moment) if moment else None


def _label(record) -> str:
    kind = record.get_kind_display() if isinstance(record, Innovation) else record._meta.verbose_name
    return f"{kind}“{record.name}”"


def _waiting(user, limit, key, model):
    """The submissions of `model` waiting for the zone that `user` may confirm."""
    if not user.is_authenticated or not user.has_perm(f"talent.confirm_{model._meta.model_name}"):
        return None
    waiting = selectors.pending(user)[key].order_by("submitted_at", "pk")
    total = waiting.count()
    if not total:
        return None
    items = [
        TodoItem(
            f"{record.enterprise.name if record.enterprise_id else '企业'}提交的{_label(record)}，待确认",
            reverse(f"admin:talent_{model._meta.model_name}_change", args=[record.pk]),
            _day(record.submitted_at),
        )
        for record in waiting[:limit]
    ]
    more = f"{reverse(f'admin:talent_{model._meta.model_name}_changelist')}?review__exact={Review.PENDING}"
    return total, items, more


@todo_source("talent_pending", "待确认的企业提交人才", order=67)
def talents_pending(user, today, limit):
    return _waiting(user, limit, "talents", Talent)


@todo_source("innovation_pending", "待确认的企业提交专利等科技创新", order=68)
def innovations_pending(user, today, limit):
    return _waiting(user, limit, "innovations", Innovation)


@todo_source("talent_returned", "被退回的人才与科技创新提交", order=95)
def returned(user, today, limit):
    """An enterprise's returned submissions, for the users who submit (may add, not confirm)."""
    if not user.is_authenticated:
        return None
    records = []
    for model in (Talent, Innovation):
        name = model._meta.model_name
        if user.has_perm(f"talent.add_{name}") and not user.has_perm(f"talent.confirm_{name}"):
            found = restrict(user, model.objects.select_related("enterprise"), "view").filter(
                review=Review.RETURNED
            )
            records.extend(found)
    if not records:
        return None
    records.sort(key=lambda r: (r.reviewed_at is None, r.reviewed_at, r.pk))
    url = reverse("portal-talent")
    items = [
        TodoItem(
            f"{_label(record)}已退回（{record.review_note}），请修改后重新提交", url, _day(record.reviewed_at)
        )
        for record in records[:limit]
    ]
    return len(records), items, url
