"""A message opened (read, and on to its record) and all marked read, outside the back office's
frame so the enterprise portal uses them too."""

from django.urls import path

from . import views

urlpatterns = [
    path("notifications/<int:pk>/open/", views.open_message, name="notification-open"),
    path("notifications/read-all/", views.read_all, name="notification-read-all"),
]
