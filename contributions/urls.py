from django.urls import path

from . import agency_merge_views, import_views, views, visit_views

urlpatterns = [
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path(
        "province/agencies/<int:pk>/merge/",
        agency_merge_views.agency_merge_view,
        name="agency_merge",
    ),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/export.xlsx", views.activity_export, name="activity_export"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/contribution-row/", views.contribution_row, name="contribution_row"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/submit/", views.activity_submit, name="activity_submit"),
    path("activities/<int:pk>/confirm/", views.activity_confirm, name="activity_confirm"),
    path("activities/<int:pk>/return/", views.activity_return, name="activity_return"),
    path("activities/<int:pk>/reopen/", views.activity_reopen, name="activity_reopen"),
    path("activities/<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("activities/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/<int:pk>/", import_views.import_job, name="import_job"),
    path("import/<int:pk>/progress/", import_views.import_job_progress, name="import_job_progress"),
    path("import/<int:pk>/commit/", import_views.import_job_commit, name="import_job_commit"),
    path("import/<int:pk>/resend/", import_views.import_job_resend, name="import_job_resend"),
    path("field-visits/", visit_views.field_visit_list, name="field_visit_list"),
    path("field-visits/new/", visit_views.field_visit_create, name="field_visit_create"),
]
