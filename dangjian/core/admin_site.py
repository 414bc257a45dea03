"""The back office: an unfold-themed admin site whose entry depends on grants (not is_staff),
a sidebar built from the user's permissions, and a dashboard of this year's figures."""

from django.core.exceptions import ValidationError
from django.urls import path, reverse_lazy
from django.utils import timezone
from unfold.forms import AuthenticationForm
from unfold.sites import UnfoldAdminSite


def has_back_office_access(user) -> bool:
    from dangjian.accounts.backends import active_grants

    return bool(
        user and user.is_authenticated and user.is_active and (user.is_superuser or active_grants(user))
    )


class GrantAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确。注意两者都区分大小写。",
        "no_access": "该账号没有有效的授权，请联系安全管理员。",
    }

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise ValidationError(self.error_messages["inactive"], code="inactive")
        if not has_back_office_access(user):
            raise ValidationError(self.error_messages["no_access"], code="no_access")


class DangjianAdminSite(UnfoldAdminSite):
    site_header = "党建引领发展平台"
    site_title = "党建引领发展平台"
    index_title = "工作台"
    login_form = GrantAuthenticationForm

    def has_permission(self, request):
        return has_back_office_access(request.user)

    def get_urls(self):
        from . import admin_views

        custom = [
            path("ledgers/", self.admin_view(admin_views.ledger_index), name="ledgers"),
            path(
                "ledgers/<str:name>/import/", self.admin_view(admin_views.ledger_import), name="ledger_import"
            ),
            path(
                "ledgers/<str:name>/export/", self.admin_view(admin_views.ledger_export), name="ledger_export"
            ),
            path("warnings/", self.admin_view(admin_views.warning_list), name="warnings"),
            path("warnings/count/", self.admin_view(admin_views.warning_count), name="warning_count"),
            path("indicators/", self.admin_view(admin_views.indicator_table), name="indicators"),
            path(
                "indicators/<str:code>/",
                self.admin_view(admin_views.indicator_records),
                name="indicator_records",
            ),
        ]
        return custom + super().get_urls()


def _perm(*perms):
    return lambda request: any(request.user.has_perm(p) for p in perms)


def sidebar_navigation(request):
    item = dict
    return [
        {
            "title": "工作台",
            "items": [
                item(title="首页", icon="dashboard", link=reverse_lazy("admin:index")),
                item(
                    title="组织预警",
                    icon="warning",
                    link=reverse_lazy("admin:warnings"),
                    permission=_perm("organizations.view_partyorganization"),
                ),
                item(
                    title="指标",
                    icon="monitoring",
                    link=reverse_lazy("admin:indicators"),
                    permission=_perm("indicators.view_indicators"),
                ),
            ],
        },
        {
            "title": "党组织与党员",
            "collapsible": True,
            "items": [
                item(
                    title="组织体系",
                    icon="account_tree",
                    link=reverse_lazy("admin:organizations_partyorganization_changelist"),
                    permission=_perm("organizations.view_partyorganization"),
                ),
                item(
                    title="阵地与岗区",
                    icon="flag",
                    link=reverse_lazy("admin:organizations_post_changelist"),
                    permission=_perm("organizations.view_post"),
                ),
                item(
                    title="党员花名册",
                    icon="groups",
                    link=reverse_lazy("admin:members_member_changelist"),
                    permission=_perm("members.view_member"),
                ),
                item(
                    title="组织关系记录",
                    icon="history",
                    link=reverse_lazy("admin:members_membership_changelist"),
                    permission=_perm("members.view_membership"),
                ),
            ],
        },
        {
            "title": "组织生活",
            "collapsible": True,
            "items": [
                item(
                    title="会议",
                    icon="groups_3",
                    link=reverse_lazy("admin:partylife_meeting_changelist"),
                    permission=_perm("partylife.view_meeting"),
                ),
                item(
                    title="落实情况",
                    icon="fact_check",
                    link=reverse_lazy("admin:partylife_compliance"),
                    permission=_perm("partylife.view_meeting"),
                ),
                item(
                    title="教育培训",
                    icon="school",
                    link=reverse_lazy("admin:partylife_training_changelist"),
                    permission=_perm("partylife.view_training"),
                ),
                item(
                    title="活动",
                    icon="volunteer_activism",
                    link=reverse_lazy("admin:partylife_activity_changelist"),
                    permission=_perm("partylife.view_activity"),
                ),
                item(
                    title="发文",
                    icon="description",
                    link=reverse_lazy("admin:partylife_document_changelist"),
                    permission=_perm("partylife.view_document"),
                ),
                item(
                    title="责任清单",
                    icon="checklist",
                    link=reverse_lazy("admin:partylife_dutylist_changelist"),
                    permission=_perm("partylife.view_dutylist"),
                ),
                item(
                    title="标准责任清单",
                    icon="playlist_add_check",
                    link=reverse_lazy("admin:partylife_standarddutylist_changelist"),
                    permission=_perm("partylife.add_standarddutylist"),
                ),
            ],
        },
        {
            "title": "发展党员与党费",
            "collapsible": True,
            "items": [
                item(
                    title="发展党员",
                    icon="person_add",
                    link=reverse_lazy("admin:members_developmentcase_changelist"),
                    permission=_perm("members.view_developmentcase"),
                ),
                item(
                    title="发展流程",
                    icon="linear_scale",
                    link=reverse_lazy("admin:members_developmentcase_pipeline"),
                    permission=_perm("members.view_developmentcase"),
                ),
                item(
                    title="党费台账",
                    icon="payments",
                    link=reverse_lazy("admin:members_dues_ledger"),
                    permission=_perm("members.view_duesassessment"),
                ),
                item(
                    title="党费交纳",
                    icon="receipt_long",
                    link=reverse_lazy("admin:members_duespayment_changelist"),
                    permission=_perm("members.view_duesassessment"),
                ),
                item(
                    title="党费基数",
                    icon="calculate",
                    link=reverse_lazy("admin:members_duesbase_changelist"),
                    permission=_perm("members.view_duesassessment"),
                ),
            ],
        },
        {
            "title": "项目包抓",
            "collapsible": True,
            "items": [
                item(
                    title="周调度",
                    icon="event_note",
                    link=reverse_lazy("admin:projects_dispatch_board"),
                    permission=_perm("projects.view_dispatchmeeting"),
                ),
                item(
                    title="重点项目",
                    icon="construction",
                    link=reverse_lazy("admin:projects_project_changelist"),
                    permission=_perm("projects.view_project"),
                ),
                item(
                    title="堵点难点问题",
                    icon="report",
                    link=reverse_lazy("admin:projects_problem_changelist"),
                    permission=_perm("projects.view_problem"),
                ),
                item(
                    title="日纪实",
                    icon="edit_calendar",
                    link=reverse_lazy("admin:projects_dailyrecord_changelist"),
                    permission=_perm("projects.view_dailyrecord"),
                ),
                item(
                    title="月总结",
                    icon="summarize",
                    link=reverse_lazy("admin:projects_monthly"),
                    permission=_perm("projects.view_dailyrecord"),
                ),
                item(
                    title="年度考核",
                    icon="leaderboard",
                    link=reverse_lazy("admin:projects_assessmentrun_changelist"),
                    permission=_perm("projects.view_assessmentrun"),
                ),
                item(
                    title="包抓干部",
                    icon="badge",
                    link=reverse_lazy("admin:projects_cadre_changelist"),
                    permission=_perm("projects.view_cadre"),
                ),
            ],
        },
        {
            "title": "企业服务",
            "collapsible": True,
            "items": [
                item(
                    title="诉求与服务事项",
                    icon="support_agent",
                    link=reverse_lazy("admin:servicedesk_servicerequest_changelist"),
                    permission=_perm("servicedesk.view_servicerequest"),
                ),
                item(
                    title="按时率",
                    icon="timer",
                    link=reverse_lazy("admin:servicedesk_rates"),
                    permission=_perm("servicedesk.view_servicerequest"),
                ),
                item(
                    title="诉求类别与时限",
                    icon="tune",
                    link=reverse_lazy("admin:servicedesk_requestcategory_changelist"),
                    permission=_perm("servicedesk.change_requestcategory"),
                ),
            ],
        },
        {
            "title": "企业",
            "collapsible": True,
            "items": [
                item(
                    title="企业名录",
                    icon="factory",
                    link=reverse_lazy("admin:enterprises_enterprise_changelist"),
                    permission=_perm("enterprises.view_enterprise"),
                ),
                item(
                    title="企业年度数据",
                    icon="bar_chart",
                    link=reverse_lazy("admin:enterprises_enterpriseyear_changelist"),
                    permission=_perm("enterprises.view_enterpriseyear"),
                ),
                item(
                    title="产业集群",
                    icon="category",
                    link=reverse_lazy("admin:enterprises_industrycluster_changelist"),
                    permission=_perm("enterprises.change_industrycluster"),
                ),
            ],
        },
        {
            "title": "台账",
            "items": [
                item(
                    title="导入与导出",
                    icon="upload_file",
                    link=reverse_lazy("admin:ledgers"),
                    permission=lambda request: any(
                        lg.may(request.user) or lg.may(request.user, export=True) for lg in _ledgers()
                    ),
                ),
            ],
        },
        {
            "title": "系统",
            "collapsible": True,
            "items": [
                item(
                    title="用户",
                    icon="person",
                    link=reverse_lazy("admin:accounts_user_changelist"),
                    permission=_perm("accounts.view_user"),
                ),
                item(
                    title="角色",
                    icon="badge",
                    link=reverse_lazy("admin:accounts_role_changelist"),
                    permission=_perm("accounts.view_role"),
                ),
                item(
                    title="授权",
                    icon="key",
                    link=reverse_lazy("admin:accounts_grant_changelist"),
                    permission=_perm("accounts.view_grant"),
                ),
                item(
                    title="审计日志",
                    icon="policy",
                    link=reverse_lazy("admin:audit_auditentry_changelist"),
                    permission=_perm("audit.view_auditentry"),
                ),
            ],
        },
    ]


def _ledgers():
    from dangjian.core.ledgers import ledgers

    return ledgers()


DASHBOARD_CODES = [
    "orgs.branches",
    "orgs.standardized_rate",
    "members.total",
    "members.newly_developed",
    "meetings.theme_days",
    "meetings.compliance_rate",
    "dues.collection_rate",
    "trainings.attendance",
    "posts.model_posts",
    "enterprises.high_tech",
    "documents.issued",
    "activities.enterprise_visits",
]


def dashboard_callback(request, context):
    from dangjian.indicators import registry

    user = request.user
    cards = []
    if user.has_perm("indicators.view_indicators"):
        period = registry.Period.year(timezone.localdate().year)
        for code in DASHBOARD_CODES:
            indicator = registry.get(code)
            value = indicator(registry.Context(period=period, user=user)).value
            cards.append(
                {
                    "code": code,
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "value": "—" if value is None else value,
                }
            )
        context["dashboard_year"] = period.start.year
    # the number of warnings is loaded by the page once it is shown (see warning_count)
    shows_warnings = user.has_perm("organizations.view_partyorganization")
    context.update({"dashboard_cards": cards, "shows_warnings": shows_warnings})
    return context
