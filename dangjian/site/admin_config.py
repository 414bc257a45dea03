from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig


class DangjianAdminConfig(AdminConfig):
    default_site = "dangjian.site.admin_site.DangjianAdminSite"


class AxesConfig(AxesAppConfig):
    """django-axes (login lockout), named in Chinese in the back office."""

    verbose_name = "登录锁定"
