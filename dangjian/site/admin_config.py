from django.contrib.admin.apps import AdminConfig


class DangjianAdminConfig(AdminConfig):
    default_site = "dangjian.site.admin_site.DangjianAdminSite"
