from django.contrib import admin

from . import rollup
from .models import (
    Activity,
    Attachment,
    Category,
    Comment,
    Contribution,
    FieldVisit,
    ImportBatch,
    Item,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "reference_unit_value", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "unit"]


class RollupAdmin(admin.ModelAdmin):
    """Edits in the admin keep the monthly rollups current, like the services do: the
    months the record was in before and after the change are recomputed."""

    @staticmethod
    def _key(obj):
        return rollup.key_of(obj.activity if isinstance(obj, Contribution) else obj)

    def save_model(self, request, obj, form, change):
        before = self._key(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        obj._rollup_keys = [k for k in (before, self._key(obj)) if k]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        rollup.refresh(getattr(form.instance, "_rollup_keys", [self._key(form.instance)]))

    def delete_model(self, request, obj):
        key = self._key(obj)
        super().delete_model(request, obj)
        rollup.refresh([key])

    def delete_queryset(self, request, queryset):
        keys = [self._key(obj) for obj in queryset]
        super().delete_queryset(request, queryset)
        rollup.refresh(keys)


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0


@admin.register(Activity)
class ActivityAdmin(RollupAdmin):
    list_display = ["title", "start_date", "assignment", "category", "status", "is_notable"]
    list_filter = ["status", "is_lasting", "is_notable", "category"]
    search_fields = ["title", "assignment__agency__name", "assignment__commune__name"]
    date_hierarchy = "start_date"
    list_select_related = ["assignment__agency", "assignment__commune", "category"]
    raw_id_fields = ["assignment", "village", "created_by", "confirmed_by"]
    inlines = [ContributionInline]


@admin.register(Contribution)
class ContributionAdmin(RollupAdmin):
    list_display = ["activity", "kind", "item", "quantity", "value", "source"]
    list_filter = ["kind", "source", "item"]
    search_fields = ["activity__title", "donor_name"]
    list_select_related = ["activity", "item"]
    raw_id_fields = ["activity"]


@admin.register(FieldVisit)
class FieldVisitAdmin(RollupAdmin):
    list_display = ["assignment", "start_date", "end_date", "days_on_site", "status"]
    list_filter = ["status"]
    search_fields = ["assignment__agency__name", "assignment__commune__name", "purpose"]
    date_hierarchy = "start_date"
    list_select_related = ["assignment__agency", "assignment__commune"]
    raw_id_fields = ["assignment", "created_by"]
    filter_horizontal = ["people"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "activity", "size", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["activity"]
    raw_id_fields = ["activity", "uploaded_by"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "agency", "rows", "imported_by", "imported_at"]
    list_select_related = ["agency", "imported_by"]
    raw_id_fields = ["agency", "imported_by"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "activity", "author", "created_at"]
    list_select_related = ["activity", "author"]
    raw_id_fields = ["activity", "author"]
