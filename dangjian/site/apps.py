from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The composition root: the admin site and its sidebar, the /api/v1/ router, the dashboard
    and figure pages, the demo zone command, assembled from what every app registers."""

    name = "dangjian.site"
    label = "site"
    verbose_name = "站点"
