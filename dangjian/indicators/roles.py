"""Who may read the figures."""

from dangjian.accounts.roles import role_permissions

for role in ("zone_admin", "leader", "secretary"):
    role_permissions(role, extra=["indicators.view_indicators"], module=__name__)
