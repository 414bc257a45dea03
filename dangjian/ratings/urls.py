"""The star rating's page in the enterprise portal."""

from django.urls import path

from dangjian.servicedesk.portal_links import portal_link

from . import portal

urlpatterns = [path("portal/stars/", portal.stars, name="portal-ratings-stars")]

portal_link("本企业党组织星级", "portal-ratings-stars")
