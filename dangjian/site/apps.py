from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The composition root: the admin site and its sidebar, the /api/v1/ router, the dashboard
    and figure pages, the demo zone command, assembled from what every app registers."""

    name = "dangjian.site"
    label = "site"
    verbose_name = "站点"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .signals import say_previous_login

        # after the audit log's own receiver (the audit app is earlier), which records this sign-in
        user_logged_in.connect(say_previous_login, dispatch_uid="say_previous_login")
