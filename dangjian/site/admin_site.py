"""The back office: an unfold-themed admin site whose entry depends on grants (not is_staff),
a sidebar assembled from what every app registers, and a dashboard of this year's figures."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse_lazy
from django.utils import timezone
from unfold.sites import UnfoldAdminSite

from dangjian.accounts.backends import active_grants, has_back_office_access
from dangjian.accounts.forms import GrantAuthenticationForm
from dangjian.accounts.passwords import password_change_reason
from dangjian.core import indicators, registry
from dangjian.core.ledgers import ledgers
from dangjian.core.models import Job
from dangjian.organizations.warnings import WARNINGS_PERMISSION

from .selectors import previous_login_text


class DangjianAdminSite(UnfoldAdminSite):
    site_header = "党建引领发展平台"
    site_title = "党建引领发展平台"
    index_title = "工作台"
    login_form = GrantAuthenticationForm

    def has_permission(self, request):
        return has_back_office_access(request.user)

    def index(self, request, extra_context=None):
        """An enterprise contact works on the portal: signing in here leads there."""
        grants = active_grants(request.user)
        if grants and all(grant.role.code == "enterprise_contact" for grant in grants):
            return redirect("portal-home")
        # the leader's first page is the cockpit (its 工作台 link comes back here with ?dashboard=1)
        if request.user.has_perm("reports.cockpit_home") and not request.GET.get("dashboard"):
            return redirect("admin:reports_cockpit")
        return super().index(request, extra_context)

    def password_change(self, request, extra_context=None):
        """修改密码 (the old one, then the new one twice, within the policy); a user who must change
        it is told why (accounts.middleware leads them here)."""
        reason = password_change_reason(request.user)
        if reason and request.method == "GET":
            messages.warning(request, reason)
        return super().password_change(request, extra_context)

    def get_urls(self):
        from dangjian.reports import views as reports

        from . import job_views, second_factor, views

        custom = [
            path("two-factor/", self.admin_view(second_factor.setup), name="second_factor"),
            # asked right after the password: not behind admin_view, whose page it leads to
            path("two-factor/verify/", second_factor.verify, name="second_factor_verify"),
            path("ledgers/", self.admin_view(views.ledger_index), name="ledgers"),
            path("ledgers/<str:name>/import/", self.admin_view(views.ledger_import), name="ledger_import"),
            path("ledgers/<str:name>/export/", self.admin_view(views.ledger_export), name="ledger_export"),
            path(
                "ledgers/<str:name>/template/", self.admin_view(views.ledger_template), name="ledger_template"
            ),
            path("cockpit/", self.admin_view(reports.cockpit_view), name="reports_cockpit"),
            path("cockpit/data/", self.admin_view(reports.cockpit_data), name="reports_cockpit_data"),
            path("screen/", self.admin_view(reports.screen_view), name="reports_screen"),
            path("summary/", self.admin_view(reports.summary_view), name="reports_summary"),
            path("statistics/", self.admin_view(reports.statistics_view), name="reports_statistics"),
            path("jobs/", self.admin_view(job_views.job_list), name="jobs"),
            path("jobs/<int:pk>/", self.admin_view(job_views.job_detail), name="job"),
            path("jobs/<int:pk>/progress/", self.admin_view(job_views.job_progress), name="job_progress"),
            path("jobs/<int:pk>/download/", self.admin_view(job_views.job_download), name="job_download"),
            path("schedules/", self.admin_view(job_views.schedule_list), name="schedules"),
            path("schedules/<str:key>/run/", self.admin_view(job_views.schedule_run), name="schedule_run"),
            path("warnings/", self.admin_view(views.warning_list), name="warnings"),
            path("warnings/count/", self.admin_view(views.warning_count), name="warning_count"),
            path("todos/", self.admin_view(views.todo_list), name="todos"),
            path("indicators/", self.admin_view(views.indicator_table), name="indicators"),
            path(
                "indicators/<str:code>/", self.admin_view(views.indicator_records), name="indicator_records"
            ),
        ]
        return custom + super().get_urls()


def has_jobs(user) -> bool:
    """Who may use the ledgers, or has started a background job."""
    return may_use_ledgers(user) or Job.objects.filter(user=user).exists()


def may_use_ledgers(user) -> bool:
    return any(lg.may(user) or lg.may(user, export=True) for lg in ledgers())


# The site's own sidebar sections; the apps add theirs in their admin.py (see core.registry).
registry.nav_section("workbench", "工作台", order=0, collapsible=False, module=__name__)
registry.nav_items(
    "workbench",
    {"title": "首页", "icon": "dashboard", "url": "admin:index"},
    {"title": "组织预警", "icon": "warning", "url": "admin:warnings", "permissions": WARNINGS_PERMISSION},
    {
        "title": "指标",
        "icon": "monitoring",
        "url": "admin:indicators",
        "permissions": "indicators.view_indicators",
    },
    module=__name__,
)
registry.nav_section("ledgers", "台账", order=80, collapsible=False, module=__name__)
registry.nav_items(
    "ledgers",
    {"title": "导入与导出", "icon": "upload_file", "url": "admin:ledgers", "visible": may_use_ledgers},
    {"title": "我的后台任务", "icon": "pending_actions", "url": "admin:jobs", "visible": has_jobs},
    module=__name__,
)


def sidebar_navigation(request):
    """unfold's SIDEBAR navigation: every registered section with the entries this user may open."""
    result = []
    for section, items in registry.navigation():
        group = {"title": section.title}
        if section.collapsible:
            group["collapsible"] = True
        group["items"] = [
            {
                "title": item.title,
                "icon": item.icon,
                "link": reverse_lazy(item.url),
                "permission": lambda request, item=item: item.shown_to(request.user),
            }
            for item in items
        ]
        result.append(group)
    return result


def dashboard_callback(request, context):
    user = request.user
    cards = []
    if user.has_perm("indicators.view_indicators"):
        period = indicators.Period.year(timezone.localdate().year)
        for indicator in indicators.dashboard_indicators():
            value = indicator(indicators.Context(period=period, user=user)).value
            cards.append(
                {
                    "code": indicator.code,
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "value": "—" if value is None else value,
                }
            )
        context["dashboard_year"] = period.start.year
    # the number of warnings is loaded by the page once it is shown (see views.warning_count)
    context.update(
        {
            "dashboard_cards": cards,
            "shows_warnings": user.has_perm(WARNINGS_PERMISSION),
            "previous_login": previous_login_text(user),
        }
    )
    return context
