from django.contrib import admin

from dangjian.core import registry
from dangjian.core.admin_base import ScopedAdmin

from .models import Assessment, Campaign, Rubric, StarRating


@admin.register(Rubric)
class RubricAdmin(ScopedAdmin):
    list_display = ["name", "version"]


@admin.register(Campaign)
class CampaignAdmin(ScopedAdmin):
    list_display = ["name", "year", "step"]


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin):
    list_display = ["organization", "campaign", "status"]


@admin.register(StarRating)
class StarRatingAdmin(ScopedAdmin):
    list_display = ["organization", "year", "stars", "score"]


registry.nav_section("ratings", "评星晋级", order=45, module=__name__)
registry.nav_items(
    "ratings",
    {
        "title": "评星申报",
        "icon": "star",
        "url": "admin:ratings_assessment_changelist",
        "permissions": "ratings.view_assessment",
    },
    module=__name__,
)
