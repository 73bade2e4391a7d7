"""The commune's own data: its villages and its yearly indicators.

Who may do what: a commune officer manages the villages of their commune and of the
pre-reform communes it absorbed, and enters the commune's yearly indicators; the secretariat
does the same for every commune of its province (and imports a year's indicators from
Excel: indicator_import.py). Anyone else is refused (403); a commune outside the user's
scope is not found (404).

A village is never deleted: records name it. Renaming keeps the former name in the village's
history; closing takes it out of choice lists (`VillageQuerySet.open`); merging moves every
record that names it to another village, then closes it. Each change is written to the
village's history with a reason in Vietnamese.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from simple_history.models import HistoricalChanges

from communes.models import Commune, CommuneIndicator, Village
from core.text import clean, tone_key

from .permissions import require_role
from .scoping import RoleKind, user_roles

EDITORS = (RoleKind.SECRETARIAT, RoleKind.COMMUNE_OFFICER)


def require_editor(user) -> None:
    require_role(
        user, *EDITORS,
        message="Chỉ cán bộ xã và văn phòng thường trực của tỉnh quản lý thôn, bản và chỉ tiêu"
        " của xã.",
    )  # fmt: skip


def communes_in_scope(user) -> QuerySet:
    """The communes whose data `user` manages: every commune of a province they are
    secretariat of; a commune officer's commune and the pre-reform communes it absorbed."""
    q = Q(pk__in=[])
    for role in user_roles(user):
        if role.kind == RoleKind.SECRETARIAT:
            q |= Q(province_id=role.province_id) | Q(province__successor_id=role.province_id)
        elif role.kind == RoleKind.COMMUNE_OFFICER:
            q |= Q(pk=role.commune_id) | Q(successors=role.commune_id)
    return Commune.objects.filter(q).distinct()


def villages_in_scope(user) -> QuerySet:
    return Village.objects.filter(commune__in=communes_in_scope(user))


def commune_villages(commune: Commune) -> list[Village]:
    """Every village of the commune and of the pre-reform communes it absorbed, closed ones
    included (a former commune's village of the same name is listed too: it can be merged)."""
    return list(
        Village.objects.filter(Q(commune=commune) | Q(commune__successors=commune))
        .select_related("commune__district", "merged_into")
        .distinct()
        .order_by("commune__valid_to", "commune__name", "closed_on", "name")
    )


def former_names(village: Village) -> list[tuple[str, datetime.datetime]]:
    """(name, until) for each name the village had before its current one, oldest first."""
    rows = village.history.order_by("history_date", "history_id").values_list(
        "name", "history_date"
    )
    names, previous = [], None
    for name, when in rows:
        if previous is not None and name != previous[0]:
            names.append((previous[0], when))
        previous = (name, when)
    return names


def _clean_name(name: str, kind: str) -> str:
    """NFC, single spaces, and without the kind typed in front ("Bản Nậm Chua" → "Nậm Chua"),
    since the page shows the kind before the name."""
    name = clean(name or "")
    prefix = Village.Kind(kind).label if kind in Village.Kind.values else ""
    if prefix and name.casefold().startswith(prefix.casefold() + " "):
        name = name[len(prefix) + 1 :].strip()
    return name


def _check_name(commune: Commune, name: str, *, exclude: int | None = None) -> None:
    if not name:
        raise ValidationError({"name": "Nhập tên thôn, bản."})
    if len(name) > Village._meta.get_field("name").max_length:
        raise ValidationError({"name": "Tên thôn, bản dài quá 100 ký tự."})
    same = [
        v for v in Village.objects.filter(commune=commune).exclude(pk=exclude)
        if tone_key(v.name) == tone_key(name)
    ]  # fmt: skip
    if same:
        raise ValidationError(
            {"name": f"{commune.name} đã có {same[0]}: mỗi thôn, bản trong xã mang một tên riêng."}
        )


@transaction.atomic
def village_add(*, commune: Commune, name: str, kind: str) -> Village:
    name = _clean_name(name, kind)
    _check_name(commune, name)
    village = Village(commune=commune, name=name, kind=kind)
    village.full_clean(validate_unique=False)
    village._change_reason = "Thêm thôn, bản"
    village.save()
    return village


@transaction.atomic
def village_rename(*, village: Village, name: str, kind: str) -> Village:
    """A new name or kind; the history keeps the former one."""
    old = str(village)
    name = _clean_name(name, kind)
    _check_name(village.commune, name, exclude=village.pk)
    if name == village.name and kind == village.kind:
        return village
    village.name, village.kind = name, kind
    village.full_clean(validate_unique=False)
    village._change_reason = f"Đổi tên: {old} → {village}"[:100]
    village.save()
    return village


@transaction.atomic
def village_close(*, village: Village, closed_on: datetime.date, today: datetime.date) -> None:
    """The village leaves choice lists from `closed_on`; records that name it keep it."""
    if village.closed_on:
        raise ValidationError(f"{village} đã ngừng từ {village.closed_on:%d/%m/%Y}.")
    if closed_on > today:
        raise ValidationError({"closed_on": "Ngày ngừng không được sau hôm nay."})
    village.closed_on = closed_on
    village._change_reason = f"Ngừng từ {closed_on:%d/%m/%Y}"
    village.save()


def _relations():
    """Every foreign key to Village but `merged_into` and the history tables' copies, hidden
    ones included (a household's village is one)."""
    return [
        f for f in Village._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and f.one_to_many
        and f.field.name != "merged_into"
        and not issubclass(f.related_model, HistoricalChanges)
    ]  # fmt: skip


def records_naming(village: Village) -> list[tuple[str, int]]:
    """(what, how many) for every kind of record that names the village."""
    counts = []
    for relation in _relations():
        count = relation.related_model._default_manager.filter(
            **{relation.field.name: village}
        ).count()
        if count:
            counts.append((str(relation.related_model._meta.verbose_name_plural), count))
    return sorted(counts)


def merge_targets(source: Village) -> QuerySet:
    """Where a village can go: an open village of its own commune, or of the commune its
    former commune went into."""
    commune = source.commune
    return (
        Village.objects.open()
        .filter(Q(commune=commune) | Q(commune__in=commune.successors.all()))
        .exclude(pk=source.pk)
        .select_related("commune")
        .order_by("commune__valid_to", "name")
    )


@dataclass
class MergePlan:
    source: Village
    target: Village
    moved: list[tuple[str, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def merge_plan(*, source: Village, target: Village) -> MergePlan:
    """What a merge moves and what stops it; nothing written."""
    from .models import Assignment

    plan = MergePlan(source, target, moved=records_naming(source))
    if source.closed_on:
        plan.problems.append(f"{source} đã ngừng từ {source.closed_on:%d/%m/%Y}.")
    if not merge_targets(source).filter(pk=target.pk).exists():
        plan.problems.append(
            f"Không sáp nhập được {source} vào {target}: chỉ sáp nhập vào thôn, bản đang hoạt"
            " động của cùng xã (hoặc của xã mới mà xã cũ đã nhập vào)."
        )
    # The unique constraints of the records that name a village (an agency helps a village
    # once under a decision): a record of each that would meet its twin stops the merge.
    for relation in _relations():
        model, name = relation.related_model, relation.field.name
        manager = model._default_manager
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ()) or ()
            if name not in fields:
                continue
            others = [f for f in fields if f != name]
            theirs = set(manager.filter(**{name: target}).values_list(*others))
            for pk, *values in manager.filter(**{name: source}).values_list("pk", *others):
                if tuple(values) in theirs:
                    record = manager.get(pk=pk)
                    plan.problems.append(
                        f"Đã có {model._meta.verbose_name} «{record}» cho cả {source} và {target}"
                        f" ({_constraint_hint(constraint)}): hãy kết thúc hoặc bỏ một bản"
                        " trước khi sáp nhập."
                    )
    for assignment in Assignment.objects.filter(village=source).exclude(commune=target.commune):
        plan.problems.append(
            f"Phân công «{assignment}» giúp {source} của {assignment.commune.name}: một phân"
            f" công chỉ giúp thôn của chính xã đó, nên không sáp nhập được vào {target}"
            f" ({target.commune.name})."
        )
    return plan


def _constraint_hint(constraint) -> str:
    message = getattr(constraint, "violation_error_message", "") or ""
    return message.rstrip(".") if message and "%(" not in message else "trùng nhau"


@transaction.atomic
def village_merge(*, source: Village, target: Village, today: datetime.date) -> MergePlan:
    """Move every record naming `source` to `target`, then close `source` as merged into it,
    in one transaction; ValidationError if the plan found a problem (nothing changes)."""
    source = Village.objects.select_for_update().get(pk=source.pk)
    plan = merge_plan(source=source, target=target)
    if plan.problems:
        raise ValidationError(plan.problems)
    for relation in _relations():
        relation.related_model._default_manager.filter(**{relation.field.name: source}).update(
            **{relation.field.name: target}
        )
    moved = sum(count for _, count in plan.moved)
    source.closed_on, source.merged_into = today, target
    source._change_reason = f"Sáp nhập vào {target} ({moved} hồ sơ chuyển theo)"[:100]
    source.save()
    target._change_reason = f"Nhận {source} sáp nhập vào"[:100]
    target.save()
    return plan


# -- yearly indicators

INDICATOR_FIELDS = (
    "poor_household_rate", "near_poor_household_rate", "ntm_criteria_met",
    "ntm_criteria_total", "ntm_reached",
)  # fmt: skip
FIRST_YEAR, LAST_YEAR = 2015, 2100


def check_rate(value: Decimal | None, label: str) -> list[str]:
    """The problems of a rate in percent: 0 to 100, at most two decimals."""
    if value is None:
        return []
    if not value.is_finite() or not 0 <= value <= 100:
        return [f"{label} phải từ 0 đến 100 (%)."]
    if value != value.quantize(Decimal("0.01")):
        return [f"{label} ghi tối đa 2 chữ số thập phân."]
    return []


def check_indicators(values: dict) -> dict[str, list[str]]:
    """Cross-field rules of a year's indicators (field → messages)."""
    errors = {}
    met, total = values.get("ntm_criteria_met"), values.get("ntm_criteria_total")
    if met is not None and total is not None and met > total:
        errors["ntm_criteria_met"] = [
            f"Số tiêu chí đạt ({met}) không thể vượt tổng số tiêu chí ({total})."
        ]
    return errors


@transaction.atomic
def indicator_save(*, commune: Commune, year: int, values: dict) -> CommuneIndicator:
    """The commune's indicators for `year`, created or replaced."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}."})
    errors = check_indicators(values)
    if errors:
        raise ValidationError(errors)
    indicator = CommuneIndicator.objects.filter(commune=commune, year=year).first()
    indicator = indicator or CommuneIndicator(commune=commune, year=year)
    for name in INDICATOR_FIELDS:
        setattr(indicator, name, values.get(name))
    indicator.full_clean(validate_unique=False)
    indicator.save()
    return indicator
