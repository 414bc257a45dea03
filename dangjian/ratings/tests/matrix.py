"""The star rating's part of the scope matrix (dangjian.core.testing.scope_matrix): the named
stars (评星结果, also seen by the enterprise's contact) and the assessments of a campaign in
its self-assessment (made by the campaign, never created or deleted by hand)."""

from dangjian.core.testing.scope_matrix import ModelSpec, register_matrix
from dangjian.organizations.models import OrgKind, PartyOrganization, UnitNature
from dangjian.ratings import services
from dangjian.ratings.models import Assessment, Rubric, StarRating

YEAR = 2025


def _ratings(world):
    z = world.zone
    return {
        side: services.rating_import(actor=None, organization=org, year=2023, stars=3, score=75)
        for side, org in (("a", z.branch_a1), ("b", z.branch_b))
    }


def _assessments(world):
    """A campaign of two of the zone's branches (甲一 and 乙, made 非公企业 for it; the other
    apps' matrix organizations stay out of it, so they can still be deleted), open for
    self-assessment."""
    z = world.zone
    PartyOrganization.objects.filter(pk__in=[z.branch_a1.pk, z.branch_b.pk]).update(
        unit_nature=UnitNature.NON_PUBLIC
    )
    for org in (z.branch_a1, z.branch_b):  # the world's objects as stored, for the tests that save them
        org.unit_nature = UnitNature.NON_PUBLIC
    campaign = services.campaign_save(
        actor=None,
        name="矩阵评星活动",
        year=YEAR,
        rubric=Rubric.objects.get(name="非公企业党组织评星晋级标准", version=1),
        kinds=[OrgKind.BRANCH],
        natures=[UnitNature.NON_PUBLIC],
    )
    services.campaign_open_self_assessment(actor=None, campaign=campaign)
    world.rating_campaign = campaign
    return {
        side: campaign.assessments.get(organization=org)
        for side, org in (("a", z.branch_a1), ("b", z.branch_b))
    }


register_matrix(
    table="""
role               model           rec scope list   detail create change delete
zone_admin         starrating      a   in    seen   200    201    200    204
zone_admin         starrating      b   in    seen   200    201    200    204
zone_admin         assessment      a   in    seen   200    403    200    403
zone_admin         assessment      b   in    seen   200    403    200    403

leader             starrating      a   in    seen   200    403    403    403
leader             starrating      b   in    seen   200    403    403    403
leader             assessment      a   in    seen   200    403    403    403
leader             assessment      b   in    seen   200    403    403    403

secretary          starrating      a   in    seen   200    403    403    403
secretary          starrating      b   out   hidden 404    403    403    403
secretary          assessment      a   in    seen   200    403    200    403
secretary          assessment      b   out   hidden 404    403    404    403

cadre              starrating      a   none  403    403    403    403    403
cadre              starrating      b   none  403    403    403    403    403
cadre              assessment      a   none  403    403    403    403    403
cadre              assessment      b   none  403    403    403    403    403

enterprise_contact starrating      a   in    seen   200    403    403    403
enterprise_contact starrating      b   out   hidden 404    403    403    403
enterprise_contact assessment      a   none  403    403    403    403    403
enterprise_contact assessment      b   none  403    403    403    403    403

system_admin       starrating      a   none  403    403    403    403    403
system_admin       starrating      b   none  403    403    403    403    403
system_admin       assessment      a   none  403    403    403    403    403
system_admin       assessment      b   none  403    403    403    403    403

security_admin     starrating      a   none  403    403    403    403    403
security_admin     starrating      b   none  403    403    403    403    403
security_admin     assessment      a   none  403    403    403    403    403
security_admin     assessment      b   none  403    403    403    403    403

audit_admin        starrating      a   none  403    403    403    403    403
audit_admin        starrating      b   none  403    403    403    403    403
audit_admin        assessment      a   none  403    403    403    403    403
audit_admin        assessment      b   none  403    403    403    403    403
""",
    specs=[
        ModelSpec(
            key="starrating",
            model=StarRating,
            admin_name="ratings_starrating",
            api_basename="starrating",
            change_field="stars",
            change_value=4,
            build=_ratings,
            api_create=lambda w, choice: {"organization": choice.pk, "year": 2021, "stars": 4, "score": "80"},
            choice_field="organization",
            choices={"a": "branch_a1", "b": "branch_b"},
        ),
        ModelSpec(
            key="assessment",
            model=Assessment,
            admin_name="ratings_assessment",
            api_basename="ratingassessment",
            change_field="self_summary",
            change_value="矩阵修改",
            build=_assessments,
            api_create=lambda w, choice: {"campaign": w.rating_campaign.pk, "organization": choice.pk},
            choice_field="organization",
            choices={"a": "branch_a1", "b": "branch_b"},
        ),
    ],
    module=__name__,
)
