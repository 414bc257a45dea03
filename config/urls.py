from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [path("", include("dangjian.site.urls"))]
if not settings.PRODUCTION:
    # a local run serves uploaded files itself; in production the web server in front does
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

# Chinese error pages in the site's look, also in `make run` (which runs without DEBUG)
handler400 = "dangjian.site.errors.bad_request"
handler403 = "dangjian.site.errors.permission_denied"
handler404 = "dangjian.site.errors.page_not_found"
handler500 = "dangjian.site.errors.server_error"
