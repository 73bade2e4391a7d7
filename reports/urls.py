from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/progress/", views.report_progress, name="report_progress"),
    path("reports/<int:pk>/text/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/rebuild/", views.report_rebuild, name="report_rebuild"),
    path("reports/<int:pk>/issue/", views.report_issue, name="report_issue"),
    path("reports/<int:pk>/resend/", views.report_resend, name="report_resend"),
    path("reports/<int:pk>/file.<str:kind>", views.report_download, name="report_download"),
]
