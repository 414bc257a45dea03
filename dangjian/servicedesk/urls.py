"""The enterprise contact's portal."""

from django.urls import path

from . import portal

urlpatterns = [
    path("portal/login/", portal.PortalLoginView.as_view(), name="portal-login"),
    path("portal/verify/", portal.verify, name="portal-verify"),
    path("portal/", portal.home, name="portal-home"),
    path("portal/new/", portal.new, name="portal-new"),
    path("portal/visits/", portal.visits, name="portal-visits"),
    path("portal/<int:pk>/", portal.detail, name="portal-detail"),
]
