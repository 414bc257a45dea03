"""Back office of 人才与创新, one module per part; the sidebar section of the app; the panels of
an enterprise's page."""

from dangjian.core import registry

# review after pool: it adds the review queue to the registered talent admin
from . import innovations, panels, platforms, pool, review  # noqa: F401  (register the admin pages)

registry.nav_section("talent", "人才与创新", order=57, module=__name__)
registry.nav_items(
    "talent",
    {
        "title": "人才库",
        "icon": "school",
        "url": "admin:talent_talent_changelist",
        "permissions": "talent.view_talent",
    },
    {
        "title": "创新平台",
        "icon": "science",
        "url": "admin:talent_platform_changelist",
        "permissions": "talent.view_platform",
    },
    {
        "title": "科技创新",
        "icon": "lightbulb",
        "url": "admin:talent_innovation_changelist",
        "permissions": "talent.view_innovation",
    },
    {
        "title": "院士专家",
        "icon": "workspace_premium",
        "url": "admin:talent_expert_changelist",
        "permissions": "talent.view_expert",
    },
    {
        "title": "企业提交待确认",
        "icon": "fact_check",
        "url": "admin:talent_review",
        "permissions": ("talent.confirm_talent", "talent.confirm_innovation"),
    },
    {
        "title": "人才政策",
        "icon": "policy",
        "url": "admin:talent_talentpolicy_changelist",
        "permissions": "talent.view_talentpolicy",
    },
    {
        "title": "人才与创新概览",
        "icon": "monitoring",
        "url": "admin:talent_overview",
        "permissions": ("talent.view_talent", "talent.view_platform", "talent.view_innovation"),
    },
    module=__name__,
)
