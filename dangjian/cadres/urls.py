"""The cadres' pages were under the projects app before the cadres app existed: old addresses
(bookmarks, links in mails) lead to the same page at its new place."""

from django.urls import re_path
from django.views.generic import RedirectView

urlpatterns = [
    re_path(
        r"^admin/projects/cadre/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/cadres/cadre/%(rest)s", permanent=True, query_string=True),
    ),
]
