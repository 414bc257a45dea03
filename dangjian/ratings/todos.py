"""The star rating's part of 我的待办: a self-assessment to file (or filed again after it was
returned) for the secretary, assessments waiting for review for the zone, and decisions waiting
for the leader."""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from dangjian.core.registry import TodoItem, todo_source
from dangjian.core.scope import restrict

from .models import Assessment, AssessmentStatus, CampaignStep

A = AssessmentStatus


def _items(assessments, today, limit, label):
    assessments = assessments.select_related("organization", "campaign").order_by(
        "campaign__self_end", "org_path"
    )
    items = []
    for a in assessments[:limit]:
        due = a.campaign.self_end if a.status != A.SUBMITTED else a.campaign.review_end
        items.append(
            TodoItem(
                f"{a.organization.name}：{a.campaign.name}（{label(a)}）",
                reverse("admin:ratings_assessment_change", args=[a.pk]),
                due,
                bool(due and due < today),
            )
        )
    return assessments.count(), items


@todo_source("rating_self_assessment", "待填报的评星自评", order=60)
def self_assessments(user, today, limit):
    if not user.has_perm("ratings.change_assessment") or user.has_perm("ratings.review_assessment"):
        return None
    waiting = restrict(user, Assessment.objects.all(), "change").filter(
        Q(campaign__step=CampaignStep.SELF_ASSESSMENT, status__in=(A.PENDING, A.RETURNED))
        | Q(campaign__step=CampaignStep.REVIEW, status=A.RETURNED)
    )
    total, items = _items(
        waiting,
        today,
        limit,
        lambda a: "已退回：" + a.returned_reason if a.status == A.RETURNED else "待自评",
    )
    more = f"{reverse('admin:ratings_assessment_changelist')}?{urlencode({'status__in': 'pending,returned'})}"
    return total, items, more


@todo_source("rating_review", "待评审的评星申报", order=61)
def reviews(user, today, limit):
    if not user.has_perm("ratings.review_assessment"):
        return None
    waiting = restrict(user, Assessment.objects.all(), "change").filter(
        campaign__step=CampaignStep.REVIEW, status__in=(A.PENDING, A.SUBMITTED)
    )
    total, items = _items(waiting, today, limit, lambda a: a.get_status_display())
    return (
        total,
        items,
        f"{reverse('admin:ratings_assessment_changelist')}?{urlencode({'status__in': 'pending,submitted'})}",
    )


@todo_source("rating_decision", "待评定的星级", order=62)
def decisions(user, today, limit):
    if not user.has_perm("ratings.decide_assessment"):
        return None
    waiting = restrict(user, Assessment.objects.all(), "view").filter(
        campaign__step=CampaignStep.DECISION, status=A.REVIEWED
    )
    total, items = _items(waiting, today, limit, lambda a: f"按标准{a.get_computed_stars_display()}")
    return (
        total,
        items,
        f"{reverse('admin:ratings_assessment_changelist')}?{urlencode({'status': 'reviewed'})}",
    )
