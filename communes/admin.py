from django.contrib import admin

from .models import (
    Commune,
    CommuneClassification,
    CommuneIndicator,
    CommuneSuccession,
    District,
    Province,
    Village,
)


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "valid_from", "valid_to", "successor", "giupxa_since"]
    list_filter = ["kind", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["name", "code"]
    list_select_related = ["successor"]
    raw_id_fields = ["successor"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_select_related = ["province"]
    raw_id_fields = ["province"]


class SuccessionInline(admin.TabularInline):
    model = CommuneSuccession
    fk_name = "predecessor"
    raw_id_fields = ["successor"]
    extra = 0
    verbose_name = "đơn vị sau sắp xếp"
    verbose_name_plural = "đơn vị sau sắp xếp"


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "district", "province", "valid_from", "valid_to"]
    list_filter = ["kind", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["name", "code", "search_key"]
    list_select_related = ["province", "district"]
    raw_id_fields = ["province", "district"]
    inlines = [SuccessionInline]


@admin.register(CommuneSuccession)
class CommuneSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "is_primary"]
    search_fields = ["predecessor__name", "successor__name"]
    list_select_related = ["predecessor__district", "successor"]
    raw_id_fields = ["predecessor", "successor"]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune"]
    list_filter = ["kind"]
    search_fields = ["name", "commune__name"]
    list_select_related = ["commune__district"]
    raw_id_fields = ["commune"]


@admin.register(CommuneClassification)
class CommuneClassificationAdmin(admin.ModelAdmin):
    list_display = ["commune", "kind", "start_year", "end_year", "legal_basis"]
    list_filter = ["kind", "start_year"]
    search_fields = ["commune__name"]
    list_select_related = ["commune__district"]
    raw_id_fields = ["commune"]


@admin.register(CommuneIndicator)
class CommuneIndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "commune",
        "year",
        "poor_household_rate",
        "near_poor_household_rate",
        "ntm_criteria_met",
        "ntm_reached",
    ]
    list_filter = ["year", "ntm_reached"]
    search_fields = ["commune__name"]
    list_select_related = ["commune__district"]
    raw_id_fields = ["commune"]
