from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Agency, Assignment, Decision, Person, Role, User


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    raw_id_fields = ["province", "agency", "district", "commune"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_superuser"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "province", "agency", "district", "commune"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__last_name", "agency__name"]
    list_select_related = ["user", "province", "agency", "district", "commune__district"]
    raw_id_fields = ["user", "province", "agency", "district", "commune"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "province", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    list_select_related = ["province"]
    raw_id_fields = ["province"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "position", "agency", "user", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["full_name", "agency__name"]
    list_select_related = ["agency", "user"]
    raw_id_fields = ["agency", "user"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fk_name = "decision"
    extra = 0
    raw_id_fields = ["agency", "commune", "paired_company", "remapped_from"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "signed_on", "province", "phase_start", "phase_end", "status"]
    list_filter = ["status"]
    search_fields = ["number", "title"]
    list_select_related = ["province"]
    raw_id_fields = ["province", "replaces"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["agency", "commune", "role", "decision", "valid_from", "valid_to"]
    list_filter = ["role", "decision__status"]
    search_fields = ["agency__name", "commune__name", "decision__number"]
    list_select_related = ["agency", "commune__district", "decision"]
    raw_id_fields = ["decision", "agency", "commune", "paired_company", "remapped_from"]
