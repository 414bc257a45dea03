"""The enterprise contact's pages of 人才与创新 in the portal, and their link in its navigation."""

from django.urls import path

from dangjian.servicedesk.portal_links import portal_link

from . import portal

urlpatterns = [
    path("portal/talent/", portal.home, name="portal-talent"),
    path("portal/talent/new/", portal.talent_new, name="portal-talent-new"),
    path("portal/talent/innovation/new/", portal.innovation_new, name="portal-innovation-new"),
    path("portal/talent/talents/<int:pk>/", portal.talent_detail, name="portal-talent-detail"),
    path("portal/talent/innovations/<int:pk>/", portal.innovation_detail, name="portal-innovation-detail"),
]

portal_link("本企业人才与创新", "portal-talent")
