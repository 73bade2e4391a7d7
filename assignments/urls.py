from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import (
    account_views,
    agency_views,
    decision_views,
    invitation_views,
    staff_views,
    user_views,
    views,
)
from .forms import LoginForm

urlpatterns = [
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/new/", decision_views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/edit/", decision_views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/delete/", decision_views.decision_delete, name="decision_delete"),
    path("decisions/<int:pk>/annex/", decision_views.decision_annex, name="decision_annex"),
    path(
        "decisions/<int:pk>/annex/template/",
        decision_views.decision_annex_template,
        name="decision_annex_template",
    ),
    path(
        "decisions/<int:pk>/assignments/new/",
        decision_views.assignment_add,
        name="decision_assignment_add",
    ),
    path(
        "decisions/<int:pk>/assignments/<int:assignment_pk>/",
        decision_views.assignment_change,
        name="decision_assignment_change",
    ),
    path("decisions/<int:pk>/remap/", views.decision_remap, name="decision_remap"),
    path("decisions/<int:pk>/confirm/", views.decision_confirm, name="decision_confirm"),
    path("audit/", views.audit_log, name="audit_log"),
    path("province/", views.province_settings, name="province_settings"),
    path("province/agencies/", agency_views.agency_list, name="agency_list"),
    path("province/agencies/<int:pk>/", agency_views.agency_edit, name="agency_edit"),
    path("users/", user_views.user_list, name="user_list"),
    path("users/new/", user_views.user_create, name="user_create"),
    path("users/<int:pk>/", user_views.user_detail, name="user_detail"),
    path("users/<int:pk>/roles/", user_views.user_role_add, name="user_role_add"),
    path(
        "users/<int:pk>/roles/<int:role_pk>/remove/",
        user_views.user_role_remove,
        name="user_role_remove",
    ),
    path("users/<int:pk>/active/", user_views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/invite/", user_views.user_reinvite, name="user_reinvite"),
    path("users/import/", user_views.user_import, name="user_import"),
    path("agency/staff/", staff_views.agency_staff, name="agency_staff"),
    path("users/import/template/", user_views.user_import_template, name="user_import_template"),
    path(
        "users/<int:pk>/two-factor/reset/",
        user_views.user_two_factor_reset,
        name="user_two_factor_reset",
    ),
    # Accounts: Django's auth views with Vietnamese templates.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/invitation/<str:token>/",
        invitation_views.invitation_accept,
        name="invitation_accept",
    ),
    path("accounts/two-factor/", account_views.two_factor, name="two_factor"),
    path("accounts/two-factor/verify/", account_views.two_factor_verify, name="two_factor_verify"),
    path(
        "accounts/two-factor/recovery/",
        account_views.two_factor_recovery,
        name="two_factor_recovery",
    ),
    path(
        "accounts/two-factor/disable/",
        account_views.two_factor_disable,
        name="two_factor_disable",
    ),
]
