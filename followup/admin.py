from django.contrib import admin

from .models import (
    AnnualPlan,
    CommuneNeed,
    Digest,
    Meeting,
    NeedResponse,
    Notification,
    PlanItem,
    ReminderSettings,
    Task,
)


class NeedResponseInline(admin.TabularInline):
    model = NeedResponse
    extra = 0
    raw_id_fields = ["agency", "author"]


@admin.register(CommuneNeed)
class CommuneNeedAdmin(admin.ModelAdmin):
    list_display = ["title", "commune", "priority", "estimated_cost", "raised_at", "met_at"]
    list_filter = ["priority"]
    search_fields = ["title", "commune__name"]
    list_select_related = ["commune"]
    raw_id_fields = ["commune", "village", "raised_by", "activities"]
    inlines = [NeedResponseInline]


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0


@admin.register(AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    list_display = ["assignment", "year", "planned_days_per_quarter", "agreed_on"]
    list_filter = ["year"]
    list_select_related = ["assignment__agency", "assignment__commune"]
    raw_id_fields = ["assignment", "created_by"]
    inlines = [PlanItemInline]


# Households' support and checks are not in the admin: personal data is read only on the
# app's pages, which mask names for those who do not need them and log every view
# (followup.services.personal_data).


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    raw_id_fields = ["agency", "commune", "village", "person", "done_by"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "held_on", "province", "chair"]
    list_select_related = ["province"]
    raw_id_fields = ["province", "created_by"]
    inlines = [TaskInline]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["user", "day", "emailed_at", "email_error"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["text", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "digest"]


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "confirm", "tasks", "follow_ups", "needs", "days_on_site", "by_email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
