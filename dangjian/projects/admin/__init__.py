"""Back office of 项目包抓, one module per subdomain; the sidebar section of the app."""

from dangjian.core import registry
from dangjian.core.scope import restrict

from ..models import Project
from . import assessment, daily, dispatch, problems, projects  # noqa: F401  (register the admin pages)

registry.nav_section("projects", "项目包抓", order=50, module=__name__)
registry.nav_items(
    "projects",
    {
        "title": "周调度",
        "icon": "event_note",
        "url": "admin:projects_dispatch_board",
        "permissions": "projects.view_dispatchmeeting",
    },
    {
        "title": "重点项目",
        "icon": "construction",
        "url": "admin:projects_project_changelist",
        "permissions": "projects.view_project",
    },
    {
        "title": "堵点难点问题",
        "icon": "report",
        "url": "admin:projects_problem_changelist",
        "permissions": "projects.view_problem",
    },
    {
        "title": "日纪实",
        "icon": "edit_calendar",
        "url": "admin:projects_dailyrecord_changelist",
        "permissions": "projects.view_dailyrecord",
    },
    {
        "title": "月总结",
        "icon": "summarize",
        "url": "admin:projects_monthly",
        "permissions": "projects.view_dailyrecord",
    },
    {
        "title": "年度考核",
        "icon": "leaderboard",
        "url": "admin:projects_assessmentrun_changelist",
        "permissions": "projects.view_assessmentrun",
    },
    module=__name__,
)


# an enterprise's page lists the key projects it owns (enterprises knows nothing of projects)
def _owned_projects(request, enterprise):
    if not request.user.has_perm("projects.view_project"):
        return None
    owned = restrict(request.user, Project).filter(owner_enterprise=enterprise).order_by("name")
    return ["项目名称", "项目类别", "总投资（万元）", "建设状态", "开工日期"], [
        [p, p.get_category_display(), p.total_investment, p.get_status_display(), p.started_on] for p in owned
    ]


registry.change_panel(
    "enterprises.enterprise", title="重点项目", rows=_owned_projects, order=10, module=__name__
)
