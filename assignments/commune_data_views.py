"""Pages of the commune's own data: villages and yearly indicators (commune officers and the
secretariat), and the secretariat's import of a year's indicators. Who may do what:
commune_data.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from communes.models import Commune, CommuneIndicator, Village
from core import spreadsheets as sheets
from core.forms import add_service_errors
from core.workbook import CONTENT_TYPE

from . import commune_data, indicator_import
from .commune_data_forms import (
    CloseForm,
    IndicatorForm,
    IndicatorImportForm,
    MergeForm,
    VillageForm,
)
from .permissions import managed_province
from .scoping import RoleKind, role_kinds


def _commune(request, pk) -> Commune:
    """A commune whose data the user manages: 403 for a role that manages none, 404 for a
    commune outside their scope."""
    commune_data.require_editor(request.user)
    communes = commune_data.communes_in_scope(request.user).select_related("district", "province")
    return get_object_or_404(communes, pk=pk)


def _village(request, pk) -> Village:
    commune_data.require_editor(request.user)
    villages = commune_data.villages_in_scope(request.user).select_related(
        "commune__district", "merged_into"
    )
    return get_object_or_404(villages, pk=pk)


def _home_commune(village: Village) -> Commune:
    """The page a village is listed on: its commune's, or that of the commune it went into."""
    return village.commune.successors.first() or village.commune


@require_safe
@login_required
def commune_data_home(request):
    """A commune officer of one commune goes to its villages; others choose a commune."""
    commune_data.require_editor(request.user)
    communes = commune_data.communes_in_scope(request.user)
    if RoleKind.SECRETARIAT not in role_kinds(request.user):
        communes = communes.filter(valid_to__isnull=True)
        if communes.count() == 1:
            return redirect("commune_villages", pk=communes.get().pk)
    rows = (
        communes.filter(valid_to__isnull=True)
        .annotate(
            open_villages=Count("villages", filter=Q(villages__closed_on__isnull=True)),
            last_year=Max("indicators__year"),
        )
        .order_by("name")
    )
    return render(
        request, "assignments/commune_data_home.html",
        {"communes": rows, "secretariat": RoleKind.SECRETARIAT in role_kinds(request.user)},
    )  # fmt: skip


@login_required
def commune_villages(request, pk):
    """The commune's villages and those of the communes it absorbed; add a village."""
    commune = _commune(request, pk)
    form = VillageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            village = commune_data.village_add(
                commune=commune, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Đã thêm {village} vào {commune.name}.")
            return redirect("commune_villages", pk=commune.pk)
    villages = commune_data.commune_villages(commune)
    return render(
        request, "assignments/commune_villages.html",
        {"commune": commune, "form": form,
         "villages": [v for v in villages if v.commune_id == commune.pk],
         "former": [v for v in villages if v.commune_id != commune.pk]},
    )  # fmt: skip


@login_required
def village_edit(request, pk):
    """Rename a village (or change its kind): records keep naming it, the history keeps the
    former name."""
    village = _village(request, pk)
    form = VillageForm(request.POST or None, initial={"name": village.name, "kind": village.kind})
    if request.method == "POST" and form.is_valid():
        try:
            commune_data.village_rename(
                village=village, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Đã lưu {village}.")
            return redirect("commune_villages", pk=_home_commune(village).pk)
    return render(
        request, "assignments/commune_village_form.html",
        {"village": village, "form": form, "home": _home_commune(village),
         "former": commune_data.former_names(village),
         "records": commune_data.records_naming(village)},
    )  # fmt: skip


@login_required
def village_close(request, pk):
    """Confirm, then close a village: it leaves choice lists, its records keep it."""
    village = _village(request, pk)
    today = timezone.localdate()
    form = CloseForm(request.POST or None, initial={"closed_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            commune_data.village_close(
                village=village, closed_on=form.cleaned_data["closed_on"], today=today
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Đã ngừng {village} từ {village.closed_on:%d/%m/%Y}.")
            return redirect("commune_villages", pk=_home_commune(village).pk)
    return render(
        request, "assignments/commune_village_close.html",
        {"village": village, "form": form, "home": _home_commune(village),
         "records": commune_data.records_naming(village)},
    )  # fmt: skip


@login_required
def village_merge(request, pk):
    """Confirm, then merge a village into another: every record that names it moves, and it
    closes as merged."""
    village = _village(request, pk)
    targets = commune_data.merge_targets(village).filter(
        pk__in=commune_data.villages_in_scope(request.user).values("pk")
    )
    form = MergeForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            plan = commune_data.village_merge(
                source=village, target=target, today=timezone.localdate()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            moved = sum(count for _, count in plan.moved)
            messages.success(
                request, f"Đã sáp nhập {village} vào {target}: {moved} hồ sơ chuyển theo."
            )
            return redirect("commune_villages", pk=_home_commune(target).pk)
    return render(
        request, "assignments/commune_village_merge.html",
        {"village": village, "form": form, "home": _home_commune(village),
         "records": commune_data.records_naming(village), "has_targets": targets.exists()},
    )  # fmt: skip


@require_safe
@login_required
def commune_indicators(request, pk):
    """The commune's indicators year by year (its former communes' too, for earlier years)."""
    commune = _commune(request, pk)
    rows = (
        CommuneIndicator.objects.filter(Q(commune=commune) | Q(commune__successors=commune))
        .select_related("commune__district")
        .distinct()
        .order_by("-year", "commune__name")
    )
    return render(
        request, "assignments/commune_indicators.html",
        {"commune": commune, "rows": rows,
         "classes": commune.classifications.order_by("-start_year", "kind")},
    )  # fmt: skip


@login_required
def commune_indicator_edit(request, pk, year=None):
    """Enter a year's indicators (`year` None: a new year, chosen on the form)."""
    commune = _commune(request, pk)
    indicator = None
    if year is not None:
        indicator = get_object_or_404(CommuneIndicator, commune=commune, year=year)
    initial = {"year": timezone.localdate().year, "ntm_criteria_total": 19}
    if indicator is not None:
        initial = {
            name: getattr(indicator, name) for name in ("year", *commune_data.INDICATOR_FIELDS)
        }
    form = IndicatorForm(request.POST or None, initial=initial, year_fixed=indicator is not None)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["year"]
        if (
            indicator is None
            and CommuneIndicator.objects.filter(commune=commune, year=chosen).exists()
        ):
            form.add_error("year", f"Năm {chosen} đã có số liệu: mở năm đó trong danh sách để sửa.")
        else:
            values = {name: form.cleaned_data[name] for name in commune_data.INDICATOR_FIELDS}
            try:
                commune_data.indicator_save(commune=commune, year=chosen, values=values)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Đã lưu chỉ tiêu năm {chosen} của {commune.name}.")
                return redirect("commune_indicators", pk=commune.pk)
    return render(
        request, "assignments/commune_indicator_form.html",
        {"commune": commune, "form": form, "indicator": indicator},
    )  # fmt: skip


@login_required
def indicator_import_view(request):
    """The secretariat imports a year's indicators and classes for the province's communes:
    every problem listed by row and column and nothing written, or everything written."""
    province = managed_province(request.user)
    year = timezone.localdate().year
    form = IndicatorImportForm(request.POST or None, request.FILES or None, initial={"year": year})
    context = {"form": form, "province": province, "year": year,
               "columns": indicator_import.COLUMNS.values()}  # fmt: skip
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        data = form.cleaned_data["file"].read(sheets.SMALL.upload + 1)
        try:
            reading = indicator_import.read(data, province=province, year=year)
            if reading.problems:
                context["problems"] = reading.problems
                context["readable"] = len(reading.rows)
            else:
                indicators, classes = indicator_import.write_all(reading, year=year)
                messages.success(
                    request,
                    f"Đã ghi chỉ tiêu năm {year} của {indicators} xã và thêm {classes} phân loại.",
                )
                return redirect("indicator_import")
        except sheets.ImportRefused as error:
            form.add_error("file", str(error))
    return render(request, "assignments/commune_indicator_import.html", context)


@require_safe
@login_required
def indicator_import_template(request):
    province = managed_province(request.user)
    year = timezone.localdate().year
    raw = request.GET.get("year", "")
    if raw.isdigit() and commune_data.FIRST_YEAR <= int(raw) <= commune_data.LAST_YEAR:
        year = int(raw)
    response = HttpResponse(indicator_import.template(province, year), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="chi-tieu-xa-{year}.xlsx"'
    return response
