from django.contrib import admin

from .models import CommuneNeed, NeedResponse


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
