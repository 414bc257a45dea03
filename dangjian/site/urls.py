"""The site's addresses: the back office, the API, and the pages each app brings in its own
urls.py (the cadres' phone page, the enterprise portal)."""

from importlib import import_module

from django.apps import apps
from django.contrib import admin
from django.urls import include, path
from django.utils.module_loading import module_has_submodule
from django.views.generic import RedirectView

from dangjian.core.files import DOWNLOAD_URL_NAME

from .files import download
from .health import healthz
from .sessions import session_keepalive, session_status


def app_urls() -> list:
    """The urlpatterns of every installed dangjian app that has a urls.py, in app order."""
    patterns = []
    for config in apps.get_app_configs():
        if config.name.startswith("dangjian.") and config.name != __package__:
            if module_has_submodule(config.module, "urls"):
                patterns.append(path("", include(import_module(f"{config.name}.urls"))))
    return patterns


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    # the health check of the database, cache and queue (no sign-in, no personal data)
    path("healthz", healthz, name="healthz"),
    # how long the session has left, and 继续使用 (dangjian/idle.js)
    path("session/status/", session_status, name="session-status"),
    path("session/keepalive/", session_keepalive, name="session-keepalive"),
    # the apps' own pages first: an app may keep an old back-office address working
    *app_urls(),
    # uploaded files, only within the user's scope (there is no public /media/ address)
    path("files/<str:label>/<int:pk>/<str:field>/", download, name=DOWNLOAD_URL_NAME),
    path("admin/", admin.site.urls),
    path("api/v1/", include("dangjian.site.api_urls")),
]
