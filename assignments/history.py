"""The audit trail: who changed what, when, from what to what (django-simple-history rows).

`record_history` feeds a record's own page; `audit_log` is the secretariat's searchable log
of its province. Both compute field changes from consecutive history rows fetched in one
query per model, never one query per row.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import CharField, Q, QuerySet, Value

ACTIONS = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa"}

# label → (model label, path from the history row to its province id). An account has no
# province of its own: its changes belong to every province where it holds or held a role.
AUDITED = {
    "agency": ("assignments.Agency", "province_id"),
    "decision": ("assignments.Decision", "province_id"),
    "assignment": ("assignments.Assignment", "decision__province_id"),
    "activity": ("contributions.Activity", "assignment__decision__province_id"),
    "contribution": ("contributions.Contribution", "activity__assignment__decision__province_id"),
    "fieldvisit": ("contributions.FieldVisit", "assignment__decision__province_id"),
    "role": ("assignments.Role", "province_id"),
    "user": ("assignments.User", None),
}
# The person a role belongs to is named with it ("Lường Thị Thu: Cán bộ cơ quan – …").
RELATED_FOR_NAME = {"role": ["user"]}


def _in_provinces(label: str, history, province_ids: list[int]):
    path = AUDITED[label][1]
    if path is not None:
        return history.filter(**{f"{path}__in": province_ids})
    holders = _model("role").history.filter(province_id__in=province_ids).values("user_id")
    return history.filter(id__in=holders)


def _object_name(row, label: str) -> str:
    if label == "role" and row.user_id:
        return f"{row.user}: {row}"
    return str(row)


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    action: str
    who: str
    object_label: str
    object_name: str
    object_id: int
    reason: str
    changes: list[Change] = field(default_factory=list)


def _model(label: str):
    return apps.get_model(AUDITED[label][0])


def _display(record, name: str) -> str:
    value = getattr(record, name)
    model_field = record.instance_type._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    return str(value)


IGNORED = {"updated_at", "created_at"}


def _changes(record, previous) -> list[Change]:
    if previous is None:
        return []
    delta = record.diff_against(previous, foreign_keys_are_objs=False)
    changes = []
    for change in delta.changes:
        if change.field in IGNORED:
            continue
        model_field = record.instance_type._meta.get_field(change.field)
        changes.append(
            Change(
                field=str(model_field.verbose_name),
                old=_display(previous, change.field),
                new=_display(record, change.field),
            )
        )
    return changes


def _entries(rows: list, label: str) -> list[HistoryEntry]:
    """Entries for history rows of one model, oldest first within each object."""
    by_object = defaultdict(list)
    for row in rows:
        by_object[row.id].append(row)
    entries = []
    for object_rows in by_object.values():
        object_rows.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for row in object_rows:
            entries.append(
                HistoryEntry(
                    when=row.history_date,
                    action=ACTIONS.get(row.history_type, row.history_type),
                    who=str(row.history_user) if row.history_user_id else "Hệ thống",
                    object_label=str(row.instance_type._meta.verbose_name),
                    object_name=_object_name(row, label),
                    object_id=row.id,
                    reason=row.history_change_reason or "",
                    changes=_changes(row, previous),
                )
            )
            previous = row
    return entries


def record_history(obj, *, related: dict[str, QuerySet] | None = None) -> list[HistoryEntry]:
    """A record's history, newest first, with related records' history (e.g. contributions)."""
    label = obj._meta.model_name
    rows = list(obj.history.select_related("history_user"))
    entries = _entries(rows, label)
    for related_label, history in (related or {}).items():
        entries += _entries(list(history.select_related("history_user")), related_label)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def audit_rows(
    *,
    province_ids: list[int],
    kinds: list[str] | None = None,
    who: str = "",
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet:
    """One UNION ALL over the audited models' history tables, scoped to the provinces."""
    selected = []
    for label in kinds or AUDITED:
        history = _model(label).history.model.objects
        qs = _in_provinces(label, history, province_ids).order_by()
        if who:
            qs = qs.filter(
                Q(history_user__username__icontains=who)
                | Q(history_user__last_name__icontains=who)
                | Q(history_user__first_name__icontains=who)
            )
        if action:
            qs = qs.filter(history_type=action)
        if date_from:
            qs = qs.filter(history_date__date__gte=date_from)
        if date_to:
            qs = qs.filter(history_date__date__lte=date_to)
        selected.append(
            qs.annotate(audit_kind=Value(label, output_field=CharField())).values_list(
                "history_date", "history_id", "audit_kind"
            )
        )
    if not selected:
        return _model("decision").history.none().values_list("history_date", "history_id")
    union = selected[0].union(*selected[1:], all=True) if len(selected) > 1 else selected[0]
    return union.order_by("-history_date", "-history_id")


def audit_entries(page_rows: list[tuple]) -> list[HistoryEntry]:
    """Entries with their changes for one page of `audit_rows`: two queries per model."""
    ids_by_kind = defaultdict(list)
    for _, history_id, kind in page_rows:
        ids_by_kind[kind].append(history_id)
    wanted = {}
    for kind, history_ids in ids_by_kind.items():
        history = _model(kind).history.model.objects
        related = ["history_user", *RELATED_FOR_NAME.get(kind, [])]
        rows = list(history.filter(history_id__in=history_ids).select_related(*related))
        # Every earlier row of the same objects, to tell what each change changed.
        earlier = history.filter(
            id__in={r.id for r in rows}, history_date__lte=max(r.history_date for r in rows)
        ).select_related(*related)
        for entry, row in _paired(list(earlier), kind):
            if row.history_id in history_ids:
                wanted[(kind, row.history_id)] = entry
    return [wanted[(kind, hid)] for _, hid, kind in page_rows if (kind, hid) in wanted]


def _paired(rows: list, label: str):
    by_object = defaultdict(list)
    for row in rows:
        by_object[row.id].append(row)
    for object_rows in by_object.values():
        object_rows.sort(key=lambda r: (r.history_date, r.history_id))
        entries = _entries(object_rows, label)
        yield from zip(entries, object_rows, strict=True)


# The reason written on an agency merged into another (contributions.agency_merge): the
# merged agency's page lists them by it.
MERGE_MARK = "Gộp vào cơ quan số {pk}"


def merged_agencies(target) -> list[tuple[str, datetime.datetime]]:
    """(former agency's name, when) for each agency merged into `target`, oldest first."""
    from .models import Agency

    mark = MERGE_MARK.format(pk=target.pk) + " "
    rows = Agency.history.filter(history_change_reason__startswith=mark).order_by("history_date")
    return [(row.name, row.history_date) for row in rows]
