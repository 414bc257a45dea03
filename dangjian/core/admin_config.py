from django.contrib.admin.apps import AdminConfig


class DangjianAdminConfig(AdminConfig):
    default_site = "dangjian.core.admin_site.DangjianAdminSite"
