from django.urls import include, path

# uploaded files have no public address: dangjian.site.files serves them within the user's scope
urlpatterns = [path("", include("dangjian.site.urls"))]

# Chinese error pages in the site's look, also in `make run` (which runs without DEBUG)
handler400 = "dangjian.site.errors.bad_request"
handler403 = "dangjian.site.errors.permission_denied"
handler404 = "dangjian.site.errors.page_not_found"
handler500 = "dangjian.site.errors.server_error"
