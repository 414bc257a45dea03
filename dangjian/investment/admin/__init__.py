"""Back office of 招商引资, one module per part; the sidebar section of the app."""

from dangjian.core import registry

from . import people, projects  # noqa: F401  (register the admin pages)

registry.nav_section("investment", "招商引资", order=55, module=__name__)
registry.nav_items(
    "investment",
    {
        "title": "招商项目",
        "icon": "handshake",
        "url": "admin:investment_investmentproject_changelist",
        "permissions": "investment.view_investmentproject",
    },
    {
        "title": "招商活动",
        "icon": "flight_takeoff",
        "url": "admin:investment_investmentevent_changelist",
        "permissions": "investment.view_investmentevent",
    },
    {
        "title": "招商人员",
        "icon": "badge",
        "url": "admin:investment_investmentperson_changelist",
        "permissions": "investment.view_investmentperson",
    },
    {
        "title": "招商小分队",
        "icon": "groups",
        "url": "admin:investment_team_changelist",
        "permissions": "investment.view_team",
    },
    {
        "title": "年度招商目标",
        "icon": "flag",
        "url": "admin:investment_annualtarget_changelist",
        "permissions": "investment.view_annualtarget",
    },
    {
        "title": "招商预警与目标进度",
        "icon": "monitoring",
        "url": "admin:investment_overview",
        "permissions": "investment.view_investmentproject",
    },
    module=__name__,
)
