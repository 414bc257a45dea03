from dangjian.accounts.roles import role_permissions

role_permissions(
    "zone_admin",
    {"reports.summarytemplate": ("view", "add", "change", "delete")},
    extra=["reports.generate_summary", "reports.view_cockpit"],
    module=__name__,
)
role_permissions(
    "leader",
    {"reports.summarytemplate": ("view",)},
    extra=["reports.generate_summary", "reports.view_cockpit", "reports.cockpit_home"],
    module=__name__,
)
role_permissions("secretary", extra=["reports.generate_summary", "reports.view_cockpit"], module=__name__)
