from django.contrib import admin

from .models import ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "province", "scope", "status", "progress", "created_at"]
    list_filter = ["status", "scope"]
    list_select_related = ["province"]
    raw_id_fields = ["province", "district", "commune", "agency", "requested_by"]
    readonly_fields = ["created_at", "started_at", "finished_at", "attempts"]
