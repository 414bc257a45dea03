from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from dangjian.projects.views import daily
from dangjian.servicedesk import portal

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("dangjian.core.api_urls")),
    path("m/daily/", daily, name="daily"),
    path("portal/login/", portal.PortalLoginView.as_view(), name="portal-login"),
    path("portal/", portal.home, name="portal-home"),
    path("portal/new/", portal.new, name="portal-new"),
    path("portal/visits/", portal.visits, name="portal-visits"),
    path("portal/<int:pk>/", portal.detail, name="portal-detail"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
