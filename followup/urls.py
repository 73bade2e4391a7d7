from django.urls import path

from . import views

urlpatterns = [
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/respond/", views.need_respond, name="need_respond"),
    path("needs/<int:pk>/link/", views.need_link, name="need_link"),
    path("needs/<int:pk>/met/", views.need_mark_met, name="need_mark_met"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("activities/<int:pk>/follow-ups/new/", views.support_create, name="support_create"),
    path("follow-ups/checks/<int:pk>/", views.check_record, name="check_record"),
    path("follow-ups/checks/<int:pk>/photo/", views.check_photo, name="check_photo"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/tasks/", views.task_create, name="task_create"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("notifications/read/", views.notification_read, name="notification_read"),
    path("assignments/<int:pk>/plans/<int:year>/", views.plan_detail, name="plan_detail"),
    path("assignments/<int:pk>/plans/<int:year>/save/", views.plan_save, name="plan_save"),
    path("assignments/<int:pk>/plans/<int:year>/items/", views.plan_item_add, name="plan_item_add"),
    path("plan-items/<int:pk>/delete/", views.plan_item_delete, name="plan_item_delete"),
]
