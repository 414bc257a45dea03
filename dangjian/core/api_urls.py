from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from dangjian.accounts.api import GrantViewSet, RoleViewSet, UserViewSet
from dangjian.audit.api import AuditEntryViewSet
from dangjian.enterprises.api import EnterpriseViewSet, EnterpriseYearViewSet, IndustryClusterViewSet
from dangjian.members.api import (
    DevelopmentCaseViewSet,
    DuesAssessmentViewSet,
    DuesBaseViewSet,
    DuesPaymentViewSet,
    MemberViewSet,
)
from dangjian.organizations.api import OrganizationViewSet, PostViewSet
from dangjian.partylife.api import (
    ActivityViewSet,
    DocumentViewSet,
    DutyListViewSet,
    MeetingViewSet,
    TrainingViewSet,
)
from dangjian.projects.api import (
    AssessmentRunViewSet,
    CadreViewSet,
    DailyRecordViewSet,
    DispatchMeetingViewSet,
    MonthlySummaryViewSet,
    ProblemViewSet,
    ProjectViewSet,
)
from dangjian.servicedesk.api import RequestCategoryViewSet, ServiceRequestViewSet

from . import api_views

router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("posts", PostViewSet, basename="post")
router.register("members", MemberViewSet, basename="member")
router.register("development", DevelopmentCaseViewSet, basename="developmentcase")
router.register("dues/bases", DuesBaseViewSet, basename="duesbase")
router.register("dues/payments", DuesPaymentViewSet, basename="duespayment")
router.register("dues/assessments", DuesAssessmentViewSet, basename="duesassessment")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("trainings", TrainingViewSet, basename="training")
router.register("activities", ActivityViewSet, basename="activity")
router.register("documents", DocumentViewSet, basename="document")
router.register("duty-lists", DutyListViewSet, basename="dutylist")
router.register("cadres", CadreViewSet, basename="cadre")
router.register("projects", ProjectViewSet, basename="project")
router.register("problems", ProblemViewSet, basename="problem")
router.register("daily-records", DailyRecordViewSet, basename="dailyrecord")
router.register("dispatch-meetings", DispatchMeetingViewSet, basename="dispatchmeeting")
router.register("monthly-summary", MonthlySummaryViewSet, basename="monthlysummary")
router.register("assessments", AssessmentRunViewSet, basename="assessmentrun")
router.register("requests", ServiceRequestViewSet, basename="servicerequest")
router.register("request-categories", RequestCategoryViewSet, basename="requestcategory")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("enterprise-years", EnterpriseYearViewSet, basename="enterpriseyear")
router.register("clusters", IndustryClusterViewSet, basename="cluster")
router.register("users", UserViewSet, basename="user")
router.register("roles", RoleViewSet, basename="role")
router.register("grants", GrantViewSet, basename="grant")
router.register("audit", AuditEntryViewSet, basename="auditentry")

urlpatterns = [
    path("", include(router.urls)),
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("ledgers/", api_views.LedgerListView.as_view(), name="api-ledgers"),
    path("ledgers/<str:name>/import/", api_views.LedgerImportView.as_view(), name="api-ledger-import"),
    path("ledgers/<str:name>/export/", api_views.LedgerExportView.as_view(), name="api-ledger-export"),
    path("indicators/", api_views.IndicatorListView.as_view(), name="api-indicators"),
    path("indicators/<str:code>/", api_views.IndicatorDetailView.as_view(), name="api-indicator"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
