from django.urls import path

from .views import follow_ups, meetings, needs, notifications, personal_data, plans

urlpatterns = [
    path("needs/", needs.need_list, name="need_list"),
    path("needs/new/", needs.need_create, name="need_create"),
    path("needs/<int:pk>/", needs.need_detail, name="need_detail"),
    path("needs/<int:pk>/respond/", needs.need_respond, name="need_respond"),
    path("needs/<int:pk>/link/", needs.need_link, name="need_link"),
    path(
        "needs/<int:pk>/activities/<int:activity_pk>/unlink/",
        needs.need_unlink,
        name="need_unlink",
    ),
    path("needs/<int:pk>/met/", needs.need_mark_met, name="need_mark_met"),
    path("follow-ups/", follow_ups.follow_up_list, name="follow_up_list"),
    path("activities/<int:pk>/follow-ups/new/", follow_ups.support_create, name="support_create"),
    path("follow-ups/checks/<int:pk>/", follow_ups.check_record, name="check_record"),
    path("follow-ups/checks/<int:pk>/photo/", follow_ups.check_photo, name="check_photo"),
    path("personal-data/", personal_data.household_search, name="household_search"),
    path("personal-data/log/", personal_data.personal_data_log, name="personal_data_log"),
    path(
        "personal-data/households/<int:pk>/",
        personal_data.household_detail,
        name="household_detail",
    ),
    path(
        "personal-data/households/<int:pk>/export/",
        personal_data.household_export,
        name="household_export",
    ),
    path(
        "personal-data/households/<int:pk>/correct/",
        personal_data.household_correct,
        name="household_correct",
    ),
    path(
        "personal-data/households/<int:pk>/erase/",
        personal_data.household_erase,
        name="household_erase",
    ),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/tasks/", meetings.task_create, name="task_create"),
    path("tasks/", meetings.task_list, name="task_list"),
    path("tasks/<int:pk>/done/", meetings.task_done, name="task_done"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path(
        "notifications/settings/",
        notifications.notification_settings,
        name="notification_settings",
    ),
    path("notifications/read/", notifications.notification_read, name="notification_read"),
    path("assignments/<int:pk>/plans/<int:year>/", plans.plan_detail, name="plan_detail"),
    path("assignments/<int:pk>/plans/<int:year>/save/", plans.plan_save, name="plan_save"),
    path("assignments/<int:pk>/plans/<int:year>/items/", plans.plan_item_add, name="plan_item_add"),
    path("plan-items/<int:pk>/delete/", plans.plan_item_delete, name="plan_item_delete"),
]
