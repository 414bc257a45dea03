from dangjian.accounts.roles import role_permissions

role_permissions("zone_admin", extra=["sample_domain.view_sample"], module=__name__)
