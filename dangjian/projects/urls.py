"""Pages of 项目包抓 outside the back office: the cadre's phone page for daily records."""

from django.urls import path

from .views import daily

urlpatterns = [
    path("m/daily/", daily, name="daily"),
]
