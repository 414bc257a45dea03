"""A campaign on the small test zone (dangjian.testing.factories.Zone), taken to any step."""

import datetime
from decimal import Decimal

from dangjian.organizations.models import OrgKind, UnitNature
from dangjian.ratings import services
from dangjian.ratings.models import Rubric

YEAR = 2025
OPEN = datetime.date(2025, 11, 3)  # a Monday


def default_rubric():
    return Rubric.objects.get(name="非公企业党组织评星晋级标准", version=1)


def non_public(zone):
    """甲企业党委's two branches and 乙企业党支部 are 非公企业 branches."""
    for org in (zone.branch_a1, zone.branch_a2, zone.branch_b):
        org.unit_nature = UnitNature.NON_PUBLIC
        org.save()
        org.refresh_from_db()


def campaign(zone, *, year=YEAR, kinds=(OrgKind.BRANCH,), natures=(UnitNature.NON_PUBLIC,), rubric=None):
    non_public(zone)
    return services.campaign_save(
        actor=None,
        name=f"{year}年度评星晋级·争创双强",
        year=year,
        rubric=rubric or default_rubric(),
        kinds=list(kinds),
        natures=list(natures),
    )


def score_all(assessment, *, review=None, self_score=None):
    """Self-assess (or review) every item at the same share of its points (1 = full marks)."""
    rows = []
    for entry in assessment.items.select_related("item"):
        share = Decimal(str(review if review is not None else self_score))
        value = (entry.item.points * share).quantize(Decimal("0.1"))
        key = "review_score" if review is not None else "self_score"
        rows.append({"item": entry.pk, key: value})
    return rows


def run_to(step, zone, *, scores=None, on=OPEN, **options):
    """A campaign taken to `step` ("self", "review", "decision", "notice", "named"), every
    assessment reviewed at full marks unless `scores` ({organization: share}) says otherwise."""
    c = campaign(zone, **options)
    services.campaign_open_self_assessment(actor=None, campaign=c, on=on)
    if step == "self":
        return c
    for a in c.assessments.all():
        services.assessment_save(actor=None, assessment=a, items=score_all(a, self_score=1))
        services.assessment_submit(actor=None, assessment=a, on=on)
    services.campaign_open_review(actor=None, campaign=c, on=on)
    if step == "review":
        return c
    for a in c.assessments.select_related("organization"):
        share = (scores or {}).get(a.organization, 1)
        services.assessment_review(actor=None, assessment=a, items=score_all(a, review=share), on=on)
    services.campaign_open_decision(actor=None, campaign=c, on=on)
    if step == "decision":
        return c
    services.campaign_decide_all(actor=None, campaign=c, on=on)
    services.campaign_open_notice(actor=None, campaign=c, on=on)
    if step == "notice":
        return c
    c.refresh_from_db()
    services.campaign_name(actor=None, campaign=c, on=c.notice_end + datetime.timedelta(days=1))
    c.refresh_from_db()
    return c
