"""Finding what a row names: its commune (hence the assignment), village, field and item.

Each is found by its official code or the label the template's drop-down shows, then by
its exact name (NFC, case and the placement of a tone mark aside: "Hòa" is "Hoà"), and only
then ignoring accents and tone marks, when that points to a single name. Nậm Chảy (Mường
Khương) and Nậm Chày (Văn Bàn) are the same letters without their tone marks: "Nam Chay"
is a problem that names both with their district and code, never a guess; and an exact name
of a commune the agency does not help is refused, never folded onto one it does.
"""

import datetime
from collections import defaultdict

from django.db.models import Q

from assignments.models import Assignment
from communes.labels import LABEL, commune_label, village_label
from communes.models import REFORM_DATE, Commune, CommuneSuccession, Village
from core.matching import Match, Register
from core.text import clean, fold, tone_key

from ..models import Category, Item


class Catalogue:
    """Everything a row is matched against, loaded once per file (six queries)."""

    def __init__(self, user):
        self.assignments = list(
            Assignment.objects.loggable_by(user)
            .select_related("commune__district", "agency", "decision", "village")
            .order_by("pk")
        )
        self._assignments_of = defaultdict(list)
        for assignment in self.assignments:
            self._assignments_of[assignment.commune_id].append(assignment)
        communes = list({a.commune_id: a.commune for a in self.assignments}.values())
        self.communes = Register(
            communes,
            names=lambda c: (c.short_name, c.name),
            codes=lambda c: (c.code,),
            labels=lambda c: (commune_label(c),),
        )
        provinces = {a.decision.province_id for a in self.assignments}
        self._province = Register(
            Commune.objects.filter(
                Q(province__in=provinces) | Q(province__successor__in=provinces)
            ).only("code", "short_name", "name", "valid_to"),
            names=lambda c: (c.short_name, c.name),
            codes=lambda c: (c.code,),
        )
        self.categories = Register(
            Category.objects.filter(is_active=True),
            names=lambda c: (c.name,),
            codes=lambda c: (c.code,),
        )
        self.items = Register(
            Item.objects.filter(is_active=True),
            names=lambda i: (i.name,),
            labels=lambda i: (str(i),),
        )
        # A village follows its commune into its successor: a current commune's register
        # holds its own villages and those of the former communes it absorbed.
        self._villages = defaultdict(list)
        ids = [c.pk for c in communes]
        absorbed = list(
            CommuneSuccession.objects.filter(successor__in=ids).values_list(
                "predecessor", "successor"
            )
        )
        villages = Village.objects.open().filter(commune__in={*ids, *(old for old, _ in absorbed)})
        for village in villages:
            self._villages[village.commune_id].append(village)
        for old, new in absorbed:
            names = {v.name for v in self._villages[new]}
            self._villages[new] += [v for v in self._villages[old] if v.name not in names]
        self._village_registers: dict[int, Register] = {}

    # -- communes and assignments

    def assignment_for(self, text: str, day: datetime.date | None) -> Match:
        """The assignment the row is for: the commune `text` names, in the era of `day`
        (a pre-reform commune before 1 July 2025, a current one from then), assigned to the
        user's agency on that day. Without a day, only the name is checked."""
        communes, problem = self._communes_named(text, day)
        if problem:
            return Match(problem=problem)
        if day is None:
            return Match()
        in_era = [c for c in communes if _in_era(c, day)]
        if len(in_era) > 1:
            return Match(problem=_several(text, in_era, "ghi mã xã hoặc chọn trong danh sách"))
        valid = [
            a
            for a in (self._assignments_of[in_era[0].pk] if in_era else ())
            if a.valid_from <= day <= a.valid_to
        ]
        if not valid:
            return Match(
                problem=f"Xã «{text}» không thuộc các xã cơ quan bạn được phân công vào ngày"
                f" {day:%d/%m/%Y} (ngày nằm ngoài thời gian phân công, hoặc tên xã cũ dùng"
                " cho ngày từ 01/7/2025)."
            )
        agencies = sorted({a.agency.name for a in valid})
        if len(agencies) > 1:
            return Match(
                problem=f"Xã «{text}» được phân công cho nhiều cơ quan của bạn"
                f" ({', '.join(agencies)}) vào ngày {day:%d/%m/%Y}: hãy nhập bằng tài khoản"
                " của từng cơ quan."
            )
        return Match(valid[0])

    def village_assignment(self, assignment, village, day) -> Match:
        """Among the agency's assignments to villages of `assignment`'s commune valid on
        `day`, the one helping `village` (a working group helps villages, not the commune)."""
        helping = {
            a.village_id: a
            for a in self._assignments_of[assignment.commune_id]
            if a.village_id and (day is None or a.valid_from <= day <= a.valid_to)
        }
        if village is not None and village.pk in helping:
            return Match(helping[village.pk])
        if village is None and len(helping) == 1:
            return Match(next(iter(helping.values())))
        names = ", ".join(sorted(str(a.village) for a in helping.values()))
        if village is None:
            return Match(problem=f"Ghi thôn, tổ dân phố được giúp: {names}.")
        return Match(problem=f"Đơn vị bạn không được phân công giúp {village}; chỉ: {names}.")

    def _communes_named(self, text: str, day: datetime.date | None) -> tuple[list, str]:
        """The agency's communes `text` names (of both eras; the caller picks by day)."""
        on_day = f" vào ngày {day:%d/%m/%Y}" if day else ""
        not_assigned = f"Xã «{text}» không thuộc các xã cơ quan bạn được phân công{on_day}."
        label = LABEL.fullmatch(text)
        if label is not None:
            code, name = label["code"], label["name"]
            found = self.communes.by_code(code)
            if not found:
                if self._province.by_code(code):
                    return [], not_assigned
                return [], f"Không tìm thấy xã mã {code} trong tỉnh."
            if name and not any(_names_agree(name, c) for c in found):
                return [], (
                    f"Xã «{text}»: mã {code} là xã {found[0].short_name}, không phải «{name}»;"
                    " sửa tên hoặc mã cho khớp."
                )
            return found, ""
        found = self.communes.exact(text)
        if found:
            return found, ""
        if self._province.exact(text):
            return [], not_assigned
        # Accent-blind, among the communes of the row's era when it has a day: a 2026 row
        # cannot mean a commune that ended in 2025.
        found = self.communes.accent_blind(text)
        found = [c for c in found if day is None or _in_era(c, day)] or found
        if len({self.communes.name_of(c) for c in found}) > 1:
            return [], _several(text, found, "ghi đúng tên có dấu hoặc mã xã")
        if found:
            return found, ""
        if self._province.accent_blind(text):
            return [], not_assigned
        return [], f"Không tìm thấy xã «{text}» trong tỉnh."

    # -- the other lists

    def village_for(self, text: str, commune: Commune) -> Match:
        register = self._village_registers.get(commune.pk)
        if register is None:
            register = self._village_registers[commune.pk] = Register(
                self._villages[commune.pk],
                names=lambda v: (v.name, str(v)),
                labels=lambda v: (village_label(v, commune),),
            )
        return register.find(
            text,
            what="thôn, bản",
            missing=f"Xã {commune.short_name} không có thôn, bản «{text}».",
        )

    def category_for(self, text: str) -> Match:
        return self.categories.find(text, what="lĩnh vực")

    def item_for(self, text: str) -> Match:
        return self.items.find(text, what="hiện vật", label=lambda item: item.name)


def _in_era(commune: Commune, day: datetime.date) -> bool:
    """Pre-reform communes for days before 1 July 2025, current ones from then."""
    return commune.is_current == (day >= REFORM_DATE)


def _names_agree(name: str, commune: Commune) -> bool:
    """The name part of a label agrees with the commune its code names: exactly, or
    written without any accent at all ("Nam Chay (mã 02770)" is Nậm Chảy by its code)."""
    names = (commune.short_name, commune.name)
    if tone_key(name) in map(tone_key, names):
        return True
    return clean(name).casefold() == fold(name) and fold(name) in map(fold, names)


def _several(text: str, communes: list, advice: str) -> str:
    listed = ", ".join(sorted(commune_label(c) for c in communes))
    return f"«{text}» khớp nhiều xã: {listed}; {advice}."
