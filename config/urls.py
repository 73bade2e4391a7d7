from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from assignments.forms import AdminLoginForm

admin.site.site_header = "Giúp xã – quản trị hệ thống"
admin.site.site_title = "Giúp xã"
admin.site.index_title = "Quản trị dữ liệu"
admin.site.login_form = AdminLoginForm
admin.site.login_template = "admin/login_otp.html"

urlpatterns = [
    path("", include("dashboards.urls")),
    path("", include("assignments.urls")),
    path("", include("assignments.commune_urls")),
    path("", include("contributions.urls")),
    path("", include("reports.urls")),
    path("", include("followup.urls")),
    path("", include("operations.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
