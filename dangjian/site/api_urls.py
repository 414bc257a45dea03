"""/api/v1/: the REST resources every app registers in its api.py (core.registry.api_route),
the ledgers, the indicators, token sign-in and the schema with its documentation pages."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from dangjian.core.registry import api_routes
from dangjian.reports import api as reports
from dangjian.site.api_auth import ObtainToken

from . import api


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for route in api_routes():
        router.register(route.prefix, route.viewset, basename=route.basename)
    return router


urlpatterns = [
    path("", include(build_router().urls)),
    path("auth/token/", ObtainToken.as_view(), name="api-token"),
    path("ledgers/", api.LedgerListView.as_view(), name="api-ledgers"),
    path("ledgers/<str:name>/import/", api.LedgerImportView.as_view(), name="api-ledger-import"),
    path("ledgers/<str:name>/export/", api.LedgerExportView.as_view(), name="api-ledger-export"),
    path("ledgers/<str:name>/template/", api.LedgerTemplateView.as_view(), name="api-ledger-template"),
    path("indicators/", api.IndicatorListView.as_view(), name="api-indicators"),
    path("indicators/<str:code>/", api.IndicatorDetailView.as_view(), name="api-indicator"),
    path("jobs/<int:pk>/", api.JobView.as_view(), name="api-job"),
    path("jobs/<int:pk>/download/", api.JobDownloadView.as_view(), name="api-job-download"),
    path("reports/statistics/", reports.StatisticsListView.as_view(), name="api-statistics"),
    path("reports/statistics/<str:key>/", reports.StatisticsTableView.as_view(), name="api-statistics-table"),
    path("reports/cockpit/", reports.CockpitView.as_view(), name="api-cockpit"),
    path("reports/summary/", reports.SummaryView.as_view(), name="api-summary"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view serves Swagger UI's starting script from its own address (?script), not
    # inline, so the CSP needs no 'unsafe-inline' for scripts
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
