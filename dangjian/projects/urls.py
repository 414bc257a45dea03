"""Pages of 项目包抓 outside the back office: the cadre's phone pages (/m/): sign-in (with the second factor of a user who enrolled) and sign-out,
the daily record, and the problems the cadre follows."""

from django.urls import path
from django.views.generic import RedirectView

from .views import PhoneLoginView, PhoneLogoutView, daily, phone_verify, problem_detail, problems

urlpatterns = [
    path("m/", RedirectView.as_view(pattern_name="daily", permanent=False)),
    path("m/login/", PhoneLoginView.as_view(), name="phone-login"),
    path("m/verify/", phone_verify, name="phone-verify"),
    path("m/logout/", PhoneLogoutView.as_view(), name="phone-logout"),
    path("m/daily/", daily, name="daily"),
    path("m/problems/", problems, name="phone-problems"),
    path("m/problems/<int:pk>/", problem_detail, name="phone-problem"),
]
