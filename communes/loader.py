"""Load Vietnam's administrative units of both eras and the 2025 succession.

Sources, both PyPI packages:
- `vietnam-provinces`: the 34 provinces and 3,321 communes since 1 July 2025, with their
  official codes. Its codes win.
- `vietnamadminunits` (MIT): a SQLite file with the 63 provinces, 696 districts and 10,035
  communes before the reform, coordinates of both eras, and `converter_2025.json`, the
  old-to-new conversion. The two packages disagree on about 120 current codes, so its
  current rows are matched to `vietnam-provinces` by province and name (`tone_key`).

Idempotent: rows are matched by (code, era) and only changed fields are written.
"""

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import vietnamadminunits
from django.db import transaction
from vietnam_provinces import Province as VPProvince
from vietnam_provinces import Ward as VPWard

from core.text import clean, fold, tone_key

from .models import (
    LAST_PRE_REFORM_DAY,
    REFORM_DATE,
    Commune,
    CommuneSuccession,
    District,
    Province,
)

DATA = Path(vietnamadminunits.__file__).parent / "data"
COMMUNE_KINDS = {
    "xã": Commune.Kind.COMMUNE,
    "phường": Commune.Kind.WARD,
    "thị trấn": Commune.Kind.TOWNSHIP,
    "đặc khu": Commune.Kind.SPECIAL_ZONE,
}
DISTRICT_KINDS = {
    "quận": District.Kind.URBAN,
    "huyện": District.Kind.RURAL,
    "thị xã": District.Kind.TOWN,
    "thành phố": District.Kind.CITY,
}


@dataclass
class LoadReport:
    created: dict = field(default_factory=lambda: defaultdict(int))
    updated: dict = field(default_factory=lambda: defaultdict(int))
    codes_differing: int = 0


def _coordinate(value) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 6)))


def _strip_kind(name: str, kinds) -> str:
    lowered = name.lower()
    for prefix in sorted(kinds, key=len, reverse=True):
        if lowered.startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


def _province_short(name: str) -> str:
    return _strip_kind(name, ["tỉnh", "thành phố"])


def _rows(sql: str, params=()) -> list[sqlite3.Row]:
    connection = sqlite3.connect(f"file:{DATA / 'dataset.db'}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


class _Upserter:
    """Create missing rows and update changed ones, in bulk, keyed by (code, era)."""

    def __init__(self, model, report: LoadReport, existing):
        self.model = model
        self.report = report
        self.existing = existing
        self.to_create, self.to_update, self.fields = [], [], set()

    def put(self, key, values: dict):
        row = self.existing.get(key)
        if row is None:
            row = self.model(**values)
            self.to_create.append(row)
            self.existing[key] = row
            return row
        changed = [name for name, value in values.items() if not self._same(row, name, value)]
        if changed:
            for name in changed:
                setattr(row, name, values[name])
            self.fields.update(changed)
            self.to_update.append(row)
        return row

    @staticmethod
    def _same(row, name: str, value) -> bool:
        # Compare foreign keys by id: reading row.<fk> would cost a query per row.
        if value is None or hasattr(value, "_meta"):
            field = row._meta.get_field(name)
            if field.is_relation:
                return getattr(row, field.attname) == (value.pk if value is not None else None)
        return getattr(row, name) == value

    def flush(self):
        label = self.model._meta.model_name
        self.model.objects.bulk_create(self.to_create, batch_size=2000)
        if self.to_update:
            self.model.objects.bulk_update(self.to_update, sorted(self.fields), batch_size=2000)
        self.report.created[label] += len(self.to_create)
        self.report.updated[label] += len(self.to_update)
        self.to_create, self.to_update, self.fields = [], [], set()


def _era(valid_to) -> str:
    return "current" if valid_to is None else "legacy"


@transaction.atomic
def load(provinces: list[str] | None = None) -> LoadReport:
    """Load everything, or only the given current provinces (2-digit codes) and what they
    absorbed in 2025."""
    report = LoadReport()
    conversion = json.loads((DATA / "converter_2025.json").read_text(encoding="utf-8"))
    wanted = {f"{int(code):02d}" for code in provinces} if provinces else None

    # ---- current provinces and communes (vietnam-provinces), with coordinates from the other
    vp_provinces = {f"{int(p.code):02d}": p for p in VPProvince.iter_all()}
    if wanted:
        unknown = wanted - set(vp_provinces)
        if unknown:
            raise ValueError(f"Không có tỉnh mã {', '.join(sorted(unknown))}.")
    current_codes = sorted(wanted or vp_provinces)
    adu_current = _rows("SELECT * FROM admin_units")
    province_key_by_code, province_coords = {}, {}
    adu_by_name = {}
    for row in adu_current:
        code = f"{int(row['provinceCode']):02d}"
        province_key_by_code[code] = row["provinceKey"]
        province_coords[code] = (row["provinceLat"], row["provinceLon"])
        adu_by_name[(code, tone_key(row["ward"]))] = row

    provinces_existing = {(p.code, _era(p.valid_to)): p for p in Province.objects.all()}
    upsert = _Upserter(Province, report, provinces_existing)
    current_provinces = {}
    for code in current_codes:
        vp = vp_provinces[code]
        name = clean(vp.name)
        if vp.division_type.value == "tỉnh" and not name.startswith("Tỉnh "):
            name = f"Tỉnh {name}"  # the package names cities in full but provinces bare
        lat, lon = province_coords.get(code, (None, None))
        current_provinces[code] = upsert.put(
            (code, "current"),
            {
                "code": code,
                "name": name,
                "short_name": _province_short(name),
                "kind": Province.Kind.CITY
                if name.startswith("Thành phố")
                else Province.Kind.PROVINCE,
                "valid_from": REFORM_DATE,
                "valid_to": None,
                "successor": None,
                "latitude": _coordinate(lat),
                "longitude": _coordinate(lon),
            },
        )
    upsert.flush()

    communes_existing = {(c.code, _era(c.valid_to)): c for c in Commune.objects.all()}
    commune_upsert = _Upserter(Commune, report, communes_existing)
    current_by_key = {}  # (provinceKey, wardKey) of vietnamadminunits → Commune
    for ward in VPWard.iter_all():
        province_code = f"{int(ward.province_code):02d}"
        if province_code not in current_provinces:
            continue
        name = clean(ward.name)
        match = adu_by_name.get((province_code, tone_key(name)))
        if match is None:
            raise ValueError(f"Không khớp được {name} ({province_code}) giữa hai bộ dữ liệu.")
        code = f"{int(ward.code):05d}"
        if int(match["wardCode"]) != int(ward.code):
            report.codes_differing += 1
        kind = COMMUNE_KINDS[ward.division_type.value]
        short = _strip_kind(name, COMMUNE_KINDS)
        commune = commune_upsert.put(
            (code, "current"),
            {
                "code": code,
                "name": name,
                "short_name": short,
                "search_key": fold(short),
                "kind": kind,
                "province": current_provinces[province_code],
                "district": None,
                "valid_from": REFORM_DATE,
                "valid_to": None,
                "latitude": _coordinate(match["wardLat"]),
                "longitude": _coordinate(match["wardLon"]),
            },
        )
        current_by_key[(match["provinceKey"], match["wardKey"])] = commune
    commune_upsert.flush()

    # ---- pre-reform provinces, districts, communes (vietnamadminunits)
    new_key_by_old = {}
    for new_key, old_keys in conversion["DICT_PROVINCE"].items():
        for old_key in old_keys:
            new_key_by_old[old_key] = new_key
    code_by_new_key = {key: code for code, key in province_key_by_code.items()}
    legacy = _rows("SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode")
    legacy = [
        r for r in legacy
        if code_by_new_key.get(new_key_by_old.get(r["provinceKey"])) in current_provinces
    ]  # fmt: skip

    upsert = _Upserter(Province, report, provinces_existing)
    legacy_provinces = {}
    for row in legacy:
        code = f"{int(row['provinceCode']):02d}"
        if code in legacy_provinces:
            continue
        successor = current_provinces[code_by_new_key[new_key_by_old[row["provinceKey"]]]]
        name = clean(row["province"])
        legacy_provinces[code] = upsert.put(
            (code, "legacy"),
            {
                "code": code,
                "name": name,
                "short_name": _province_short(name),
                "kind": Province.Kind.CITY
                if name.startswith("Thành phố")
                else Province.Kind.PROVINCE,
                "valid_from": None,
                "valid_to": LAST_PRE_REFORM_DAY,
                "successor": successor,
                "latitude": _coordinate(row["provinceLat"]),
                "longitude": _coordinate(row["provinceLon"]),
            },
        )
    upsert.flush()

    districts_existing = {(d.code, "legacy"): d for d in District.objects.all()}
    upsert = _Upserter(District, report, districts_existing)
    districts = {}
    for row in legacy:
        code = f"{int(row['districtCode']):03d}"
        if code in districts:
            continue
        name = clean(row["district"])
        districts[code] = upsert.put(
            (code, "legacy"),
            {
                "code": code,
                "name": name,
                "short_name": _strip_kind(name, DISTRICT_KINDS),
                "kind": DISTRICT_KINDS[row["districtType"].lower()],
                "province": legacy_provinces[f"{int(row['provinceCode']):02d}"],
                "latitude": _coordinate(row["districtLat"]),
                "longitude": _coordinate(row["districtLon"]),
            },
        )
    upsert.flush()

    legacy_by_key = {}
    for row in legacy:
        if row["ward"] is None:  # island districts without communes
            continue
        code = f"{int(row['wardCode']):05d}"
        name = clean(row["ward"])
        short = _strip_kind(name, COMMUNE_KINDS)
        legacy_by_key[f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}"] = (
            commune_upsert.put(
                (code, "legacy"),
                {
                    "code": code,
                    "name": name,
                    "short_name": short,
                    "search_key": fold(short),
                    "kind": COMMUNE_KINDS[row["wardType"].lower()],
                    "province": legacy_provinces[f"{int(row['provinceCode']):02d}"],
                    "district": districts[f"{int(row['districtCode']):03d}"],
                    "valid_from": None,
                    "valid_to": LAST_PRE_REFORM_DAY,
                    "latitude": _coordinate(row["wardLat"]),
                    "longitude": _coordinate(row["wardLon"]),
                },
            )
        )
    commune_upsert.flush()

    # ---- the succession: old commune → new commune(s)
    pairs = {}  # (old, new) → is_primary
    for new_province, wards in conversion["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_keys in wards.items():
            successor = current_by_key.get((new_province, new_ward))
            for old_key in old_keys:
                old = legacy_by_key.get(old_key)
                if old is not None and successor is not None:
                    pairs[(old.pk, successor.pk)] = True
    for new_province, olds in conversion["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in olds.items():
            old = legacy_by_key.get(old_key)
            if old is None:
                continue
            for part in parts:
                successor = current_by_key.get((new_province, part["newWardKey"]))
                if successor is not None:
                    pairs[(old.pk, successor.pk)] = bool(part["isDefaultNewWard"])
    existing = {
        (s.predecessor_id, s.successor_id): s
        for s in CommuneSuccession.objects.filter(
            predecessor__in=[c.pk for c in legacy_by_key.values()]
        )
    }
    create, update = [], []
    for (old, new), primary in pairs.items():
        row = existing.get((old, new))
        if row is None:
            create.append(
                CommuneSuccession(predecessor_id=old, successor_id=new, is_primary=primary)
            )
        elif row.is_primary != primary:
            row.is_primary = primary
            update.append(row)
    if update:
        # Clear first so the one-primary constraint holds while primaries move.
        CommuneSuccession.objects.filter(pk__in=[r.pk for r in update]).update(is_primary=False)
        CommuneSuccession.objects.bulk_update([r for r in update if r.is_primary], ["is_primary"])
    CommuneSuccession.objects.bulk_create(create, batch_size=5000)
    report.created["communesuccession"] += len(create)
    report.updated["communesuccession"] += len(update)
    return report
