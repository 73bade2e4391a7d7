"""Build the demo province: Điện Biên's agencies, decisions, communes, a few thousand
activities with their contributions, field visits, indicators and one login per role.

Deterministic for a given day (a fixed seed; data from 2024-01-01 up to `today`), and
idempotent: a second run finds the demo decision and only makes sure the logins exist.
`scale` multiplies the activities, contributions and field visits, for benchmarks.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from assignments.models import Agency, Assignment, Decision, Person, Role, User
from assignments.services import decision_confirm, decision_remap
from assignments.two_factor import RECOVERY_NAME, requires_two_factor
from communes.models import (
    REFORM_DATE,
    Commune,
    CommuneClassification,
    CommuneIndicator,
    District,
    Province,
    Village,
)
from contributions import rollup
from contributions.models import Activity, Category, Contribution, FieldVisit, Item, ReviewStatus
from core.periods import add_months, month_end, months_between, quarter_bounds
from followup.models import (
    AnnualPlan,
    CommuneNeed,
    FollowUpCheck,
    HouseholdSupport,
    Meeting,
    NeedResponse,
    PlanItem,
    Task,
)
from followup.reminders import send_digests

from . import data

PROVINCE_CODE = "11"
OLD_DECISION = "1025/QĐ-UBND"
NEW_DECISION = "1580/QĐ-UBND"
PASSWORD = "giupxa@2026"
START = datetime.date(2024, 1, 1)
GIUPXA_SINCE = datetime.date(2025, 1, 1)
SEED = 20240101
BATCH = 5000


class DemoError(Exception):
    pass


@dataclass
class DemoSummary:
    created: bool
    agencies: int
    assignments: int
    activities: int
    contributions: int
    field_visits: int
    logins: list


def _province() -> Province:
    province = Province.objects.current().filter(code=PROVINCE_CODE).first()
    if province is None:
        raise DemoError(
            "Chưa có đơn vị hành chính của Điện Biên: "
            "chạy `python manage.py load_admin_units` trước."
        )
    return province


def build(*, today: datetime.date, scale: int = 1, reset: bool = False) -> DemoSummary:
    province = _province()
    exists = Decision.objects.filter(province=province, number=OLD_DECISION).exists()
    if exists and reset:
        _delete(province)
        exists = False
    if not exists:
        # The province began with giupxa in 2025 and entered 2024 afterwards ("nhập bù").
        province.giupxa_since = GIUPXA_SINCE
        province.save(update_fields=["giupxa_since"])
        _Builder(province, today, scale).run()
        rollup.rebuild()  # the builder writes in bulk, past the services
        _analyze()
    logins = _logins(province)
    _digests(today)
    return DemoSummary(
        created=not exists,
        agencies=Agency.objects.filter(province=province).count(),
        assignments=Assignment.objects.filter(decision__province=province).count(),
        activities=Activity.objects.filter(assignment__decision__province=province).count(),
        contributions=Contribution.objects.filter(
            activity__assignment__decision__province=province
        ).count(),
        field_visits=FieldVisit.objects.filter(assignment__decision__province=province).count(),
        logins=logins,
    )


def _analyze():
    """Fresh planner statistics after a bulk load: without them PostgreSQL plans the report's
    joins for empty tables (measured: 15 s instead of 0.1 s at 117,000 contributions)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@transaction.atomic
def _delete(province):
    communes = Commune.objects.in_province(province)
    Meeting.objects.filter(province=province).delete()
    CommuneNeed.objects.filter(commune__in=communes).delete()
    Contribution.objects.filter(activity__assignment__decision__province=province).delete()
    Activity.objects.filter(assignment__decision__province=province).delete()
    FieldVisit.objects.filter(assignment__decision__province=province).delete()
    for decision in Decision.objects.filter(province=province).order_by("-phase_start"):
        decision.assignments.all().delete()
        decision.delete()
    Role.objects.filter(province=province).delete()
    Person.objects.filter(agency__province=province).delete()
    Agency.objects.filter(province=province).delete()
    Village.objects.filter(commune__in=communes).delete()
    CommuneIndicator.objects.filter(commune__in=communes).delete()
    CommuneClassification.objects.filter(commune__in=communes).delete()


class _Builder:
    def __init__(self, province, today, scale):
        self.province = province
        self.today = today
        self.scale = max(1, scale)
        self.rng = random.Random(SEED)
        self.categories = {c.code: c for c in Category.objects.all()}
        self.items = {i.name: i for i in Item.objects.all()}
        # About one agency in seven sends staff less than 15 days a quarter and does less.
        self.weak = {name for index, (name, _, _) in enumerate(data.AGENCIES) if index % 7 == 3}

    @transaction.atomic
    def run(self):
        self.agencies = self._agencies()
        self.old_decision, self.old_assignments = self._old_decision()
        remap = decision_remap(
            decision=self.old_decision,
            number=NEW_DECISION,
            signed_on=datetime.date(2025, 6, 26),
            phase_start=REFORM_DATE,
            phase_end=datetime.date(2030, 12, 31),
        )
        self.new_decision = decision_confirm(decision=remap.decision)
        # A total order: the random draws below must meet the assignments in the same order
        # on every run and on every database.
        self.new_assignments = list(
            self.new_decision.assignments.select_related("agency", "commune").order_by(
                "commune__code", "agency__name"
            )
        )
        self.villages = self._villages()
        self._people()
        self._notable()
        self._activities()
        self._field_visits()
        self._indicators_and_classes()
        self._needs()
        self._follow_ups()
        self._meetings()
        self._plans()
        self._working_group()

    # -- agencies, decisions, assignments
    def _agencies(self) -> dict[str, Agency]:
        Agency.objects.bulk_create(
            [
                Agency(province=self.province, name=name, short_name=short, kind=kind)
                for name, short, kind in data.AGENCIES
            ]
        )
        return {a.name: a for a in Agency.objects.filter(province=self.province)}

    def _old_communes(self) -> list[Commune]:
        legacy = list(
            Commune.objects.legacy()
            .filter(province__successor=self.province, kind=Commune.Kind.COMMUNE)
            .select_related("district")
            .order_by("district__code", "code")
        )
        named = {(d, c) for _, d, c in data.NAMED_ASSIGNMENTS}
        first = [c for c in legacy if (c.district.name, c.short_name) in named]
        rest = [c for c in legacy if c not in first]
        return first + rest[: 95 - len(first)]

    def _old_decision(self):
        decision = Decision.objects.create(
            province=self.province,
            number=OLD_DECISION,
            signed_on=datetime.date(2021, 5, 20),
            issuer="UBND tỉnh Điện Biên",
            # Signed in 2021 by the Điện Biên of before 1 July 2025.
            issuing_province=self.province.predecessors.first(),
            title=(
                "Phân công các cơ quan, đơn vị giúp đỡ các xã đặc biệt khó khăn giai đoạn 2021–2025"
            ),
            phase_start=datetime.date(2021, 1, 1),
            phase_end=datetime.date(2025, 12, 31),
            required_days_per_quarter=15,
        )
        communes = self._old_communes()
        named = {(d, c): self.agencies[a] for a, d, c in data.NAMED_ASSIGNMENTS}
        leads = [a for a in self.agencies.values() if a.kind not in ("doanh_nghiep",)]
        companies = [a for a in self.agencies.values() if a.kind == "doanh_nghiep"]
        used_leads = {a.pk for a in named.values()}
        free = [a for a in leads if a.pk not in used_leads]
        rows = []
        for index, commune in enumerate(communes):
            lead = named.get((commune.district.name, commune.short_name)) or free[index % len(free)]
            paired = companies[index % len(companies)] if index % 6 == 0 else None
            rows.append((lead, commune, Assignment.Role.LEAD, paired))
            if index % 3 == 1:
                helper = (
                    companies[(index // 3) % len(companies)] if index % 2 else free[-1 - index % 20]
                )
                if helper.pk != lead.pk:
                    rows.append((helper, commune, Assignment.Role.SUPPORT, None))
        assignments = Assignment.objects.bulk_create(
            [
                Assignment(
                    decision=decision,
                    agency=agency,
                    commune=commune,
                    role=role,
                    paired_company=paired,
                    valid_from=datetime.date(2021, 1, 1),
                    valid_to=datetime.date(2025, 6, 30),
                )
                for agency, commune, role, paired in rows
            ]
        )
        return decision, assignments

    def _villages(self) -> dict[int, list[Village]]:
        communes = {a.commune_id for a in self.old_assignments + self.new_assignments}
        rows = []
        for commune_id in sorted(communes):
            names = self.rng.sample(data.VILLAGE_NAMES, 3)
            rows += [Village(commune_id=commune_id, name=name) for name in names]
        Village.objects.bulk_create(rows)
        villages = {}
        for village in Village.objects.filter(commune_id__in=communes):
            villages.setdefault(village.commune_id, []).append(village)
        return villages

    def _people(self):
        rows = []
        for agency in self.agencies.values():
            for n in range(3):
                name = f"{self.rng.choice(data.FAMILY)} {self.rng.choice(data.GIVEN)}"
                rows.append(Person(agency=agency, full_name=name, position=data.POSITIONS[n]))
        Person.objects.bulk_create(rows)
        self.people = {}
        for person in Person.objects.filter(agency__province=self.province).order_by("pk"):
            self.people.setdefault(person.agency_id, []).append(person)

    # -- activities and contributions
    def _assignment_on(self, agency_name: str, commune_name: str, day: datetime.date):
        pool = self.old_assignments if day < REFORM_DATE else self.new_assignments
        for assignment in pool:
            if assignment.agency.name == agency_name and (
                assignment.commune.short_name == commune_name
                or (
                    day >= REFORM_DATE
                    and assignment.remapped_from
                    and assignment.remapped_from.commune.short_name == commune_name
                )
            ):
                return assignment
        raise DemoError(f"Không thấy phân công {agency_name} – {commune_name}")

    def _notable(self):
        for agency, commune, day, category, title, parts, lasting in data.NOTABLE:
            date = datetime.date.fromisoformat(day)
            if date > self.today:
                continue
            activity = Activity.objects.create(
                assignment=self._assignment_on(agency, commune, date),
                start_date=date,
                category=self.categories[category],
                title=title,
                is_lasting=lasting,
                is_notable=True,
                beneficiaries_count=self.rng.randint(40, 400),
                beneficiaries_kind="hộ nghèo, người dân",
                status=ReviewStatus.CONFIRMED,
            )
            Contribution.objects.bulk_create(
                [
                    Contribution(
                        activity=activity,
                        kind="cash" if item is None else "in_kind",
                        item=self.items.get(item) if item else None,
                        quantity=Decimal(quantity) if quantity is not None else None,
                        value=value,
                        source="budget" if item is None else "mobilised",
                        donor_name="" if item is None else self.rng.choice(data.DONORS),
                    )
                    for item, quantity, value in parts
                ]
            )

    def _status(self, day: datetime.date) -> tuple[str, str]:
        age = (self.today - day).days
        roll = self.rng.random()
        if age > 60:
            if roll < 0.93:
                return ReviewStatus.CONFIRMED, ""
            if roll < 0.97:
                return ReviewStatus.SUBMITTED, ""
            return ReviewStatus.RETURNED, "Chưa có biên bản bàn giao có xác nhận của thôn, bản."
        if roll < 0.3:
            return ReviewStatus.DRAFT, ""
        if roll < 0.65:
            return ReviewStatus.SUBMITTED, ""
        if roll < 0.75:
            return ReviewStatus.RETURNED, "Số lượng hiện vật chưa khớp với danh sách hộ nhận."
        return ReviewStatus.CONFIRMED, ""

    def _contribution(self, activity: Activity, item_name: str | None) -> Contribution:
        rng = self.rng
        source = rng.choices(["budget", "staff", "mobilised"], weights=[5, 2, 3])[0]
        donor = rng.choice(data.DONORS) if source == "mobilised" else ""
        if item_name is None:
            value = rng.randint(2, 60) * 500_000
            return Contribution(
                activity=activity, kind="cash", value=value, source=source, donor_name=donor
            )
        item = self.items[item_name]
        if item.reference_unit_value >= 10_000_000:  # houses, computers
            quantity = Decimal(rng.randint(1, 2))
        elif item.reference_unit_value >= 1_000_000:  # cement, animals, desks
            quantity = Decimal(rng.randint(1, 8))
        else:
            quantity = Decimal(max(1, int(rng.lognormvariate(2.5, 0.8))))
        value = (
            int(quantity * item.reference_unit_value * Decimal(rng.uniform(0.85, 1.15)) / 1000)
            * 1000
        )
        return Contribution(
            activity=activity,
            kind="in_kind",
            item=item,
            quantity=quantity,
            value=value,
            source=source,
            donor_name=donor,
        )

    def _activities(self):
        codes = list(data.WORK)
        months = months_between(START, self.today)
        activities, pending = [], []
        for assignment in self.old_assignments + self.new_assignments:
            villages = self.villages.get(assignment.commune_id, [])
            weak = assignment.agency.name in self.weak
            for month in months:
                last = month_end(month)
                if not (assignment.valid_from <= month <= assignment.valid_to):
                    continue
                for _ in range(self.scale):
                    if self.rng.random() < (0.5 if weak else 0.9):
                        day = month + datetime.timedelta(
                            days=self.rng.randint(0, (last - month).days)
                        )
                        if day > self.today or day > assignment.valid_to:
                            continue
                        code = self.rng.choices(codes, weights=[3, 2, 5, 3, 4, 3, 3, 4, 3, 9, 2])[0]
                        titles, item_names = data.WORK[code]
                        status, reason = self._status(day)
                        activity = Activity(
                            assignment=assignment,
                            start_date=day,
                            category=self.categories[code],
                            title=self.rng.choice(titles),
                            village=self.rng.choice(villages)
                            if villages and self.rng.random() < 0.6
                            else None,
                            beneficiaries_count=self.rng.randint(5, 300),
                            beneficiaries_kind=self.rng.choice(
                                ["hộ nghèo", "học sinh", "người dân", "hộ cận nghèo"]
                            ),
                            is_lasting=code
                            in {
                                "phat-trien-san-xuat",
                                "tap-huan",
                                "ha-tang",
                                "nha-o",
                                "tu-van-chinh-sach",
                            },
                            is_notable=False,
                            status=status,
                            return_reason=reason,
                        )
                        activities.append(activity)
                        count = self.rng.choices([1, 2, 3, 4, 5], weights=[1, 3, 3, 3, 2])[0]
                        pending.append([self.rng.choice(item_names) for _ in range(count)])
                if len(activities) >= BATCH:
                    self._flush(activities, pending)
                    activities, pending = [], []
        self._flush(activities, pending)
        # Every item of the catalogue at least once, so each shows in the reports.
        used = set(
            Contribution.objects.filter(
                activity__assignment__decision__province=self.province
            ).values_list("item__name", flat=True)
        )
        missing = [name for name in self.items if name not in used]
        if missing:
            activity = Activity.objects.filter(assignment__decision__province=self.province).first()
            Contribution.objects.bulk_create(
                [self._contribution(activity, name) for name in missing]
            )

    def _working_group(self):
        """The Nam Giang case: a Kết luận of Sính Phình's Party committee gives a working
        group two of the commune's villages for 2026; its members log under the group. Its
        own random stream, so the rest of the demo stays what it was."""
        commune = next(
            (a.commune for a in self.new_assignments if a.commune.short_name == "Sính Phình"),
            None,
        )
        villages = self.villages.get(commune.pk, [])[:2] if commune else []
        if not villages:
            return
        rng = random.Random(SEED + 15)
        group = Agency.objects.create(
            province=self.province, name=WORKING_GROUP, short_name="TCT1 Sính Phình",
            kind=Agency.Kind.WORKING_GROUP,
            leader="Thào A Lử, Phó Bí thư Thường trực Đảng ủy xã",
            deputy="Mùa Thị Dợ, Chủ tịch Hội Liên hiệp Phụ nữ xã",
            member_units="Đảng ủy xã\nUBND xã\nỦy ban Mặt trận Tổ quốc xã\n"
            "Hội Liên hiệp Phụ nữ xã\nĐoàn Thanh niên xã",
        )  # fmt: skip
        start, end = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
        decision = Decision.objects.create(
            province=self.province, issuing_province=self.province,
            level=Decision.Level.COMMUNE, issuing_commune=commune, number="08-KL/ĐU",
            signed_on=datetime.date(2026, 1, 12), issuer="Ban Thường vụ Đảng ủy xã Sính Phình",
            title="Kết luận về phân công tổ công tác giúp đỡ các bản khó khăn năm 2026",
            phase_start=start, phase_end=end, required_days_per_quarter=6,
        )  # fmt: skip
        titles = {"phat-trien-san-xuat": "Hỗ trợ giống ngô, phân bón cho hộ nghèo của bản",
                  "ha-tang": "Cùng bản làm đường nội bản, rãnh thoát nước"}  # fmt: skip
        activities, amounts = [], []
        for village in villages:
            assignment = Assignment.objects.create(
                decision=decision, agency=group, commune=commune, village=village,
                valid_from=start, valid_to=end,
            )  # fmt: skip
            for month in months_between(start, min(self.today, end)):
                day = month + datetime.timedelta(days=rng.randint(0, 20))
                if day > self.today:
                    continue
                code = rng.choice(sorted(titles))
                status = ReviewStatus.CONFIRMED if (self.today - day).days > 30 else (
                    ReviewStatus.SUBMITTED)  # fmt: skip
                activities.append(Activity(
                    assignment=assignment, start_date=day, category=self.categories[code],
                    title=titles[code], village=village, beneficiaries_count=rng.randint(8, 40),
                    beneficiaries_kind="hộ nghèo", is_lasting=True, status=status,
                ))  # fmt: skip
                amounts.append(rng.randint(4, 30) * 500_000)
        Activity.objects.bulk_create(activities)
        Contribution.objects.bulk_create(
            Contribution(activity=a, kind="cash", value=v, source="staff")
            for a, v in zip(activities, amounts, strict=True)
        )

    def _flush(self, activities, pending):
        if not activities:
            return
        Activity.objects.bulk_create(activities, batch_size=BATCH)
        contributions = [
            self._contribution(activity, item)
            for activity, items in zip(activities, pending, strict=True)
            for item in items
        ]
        Contribution.objects.bulk_create(contributions, batch_size=BATCH)

    # -- field visits
    def _field_visits(self):
        rows, people = [], []
        for assignment in self.old_assignments + self.new_assignments:
            weak = assignment.agency.name in self.weak
            year, quarter = START.year, 1
            while quarter_bounds(year, quarter)[0] <= self.today:
                q_start, q_end = quarter_bounds(year, quarter)
                q_start = max(q_start, assignment.valid_from)
                q_end = min(q_end, assignment.valid_to, self.today)
                if q_start <= q_end:
                    target = self.rng.randint(5, 12) if weak else self.rng.randint(15, 20)
                    target = target * self.scale
                    day = q_start
                    while target > 0 and day <= q_end:
                        length = min(target, self.rng.randint(3, 6), (q_end - day).days + 1)
                        end = day + datetime.timedelta(days=length - 1)
                        rows.append(
                            FieldVisit(
                                assignment=assignment,
                                start_date=day,
                                end_date=end,
                                days_on_site=length,
                                purpose=self.rng.choice(
                                    [
                                        "Làm việc với Đảng ủy, UBND xã về kế hoạch năm",
                                        "Kiểm tra mô hình sinh kế đã hỗ trợ",
                                        "Khảo sát nhu cầu của các thôn, bản",
                                        "Bàn giao công trình, hiện vật hỗ trợ",
                                    ]
                                ),
                                status=ReviewStatus.CONFIRMED
                                if end < self.today - datetime.timedelta(days=30)
                                else ReviewStatus.SUBMITTED,
                            )
                        )
                        people.append(self.people.get(assignment.agency_id, [])[:2])
                        target -= length
                        day = end + datetime.timedelta(days=self.rng.randint(3, 12))
                year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
        FieldVisit.objects.bulk_create(rows, batch_size=BATCH)
        through = FieldVisit.people.through
        through.objects.bulk_create(
            [
                through(fieldvisit_id=v.pk, person_id=p.pk)
                for v, ps in zip(rows, people, strict=True)
                for p in ps
            ],
            batch_size=BATCH,
        )

    # -- needs the communes raised, answered and met (some not yet)
    def _needs(self):
        today = timezone.make_aware(datetime.datetime.combine(self.today, datetime.time(9)))
        raised_by_commune = set()
        for assignment in self.new_assignments:
            if assignment.role != Assignment.Role.LEAD:
                continue
            for title, reason, cost, priority in self.rng.sample(
                data.NEEDS, self.rng.randint(1, 3)
            ):
                if (assignment.commune_id, title) in raised_by_commune:
                    continue  # another lead agency of the commune drew the same need
                raised_by_commune.add((assignment.commune_id, title))
                need = CommuneNeed.objects.create(
                    commune=assignment.commune, title=title, reason=reason,
                    estimated_cost=cost, priority=priority,
                    village=self.rng.choice(self.villages.get(assignment.commune_id) or [None]),
                )  # fmt: skip
                raised = today - datetime.timedelta(days=self.rng.randint(5, 300))
                CommuneNeed.objects.filter(pk=need.pk).update(raised_at=raised)
                fate = self.rng.random()
                if fate < 0.25:
                    continue  # not answered yet: shows in the reminders
                kind = "accept" if fate < 0.85 else self.rng.choice(["ask", "decline"])
                NeedResponse.objects.create(
                    need=need, agency=assignment.agency, kind=kind,
                    text="" if kind == "accept" else "Đề nghị xã gửi danh sách hộ cụ thể."
                    if kind == "ask" else "Năm nay cơ quan chưa bố trí được kinh phí.",
                )  # fmt: skip
                if kind == "accept":
                    done = list(
                        Activity.objects.filter(
                            assignment=assignment, start_date__gte=raised.date()
                        ).order_by("start_date")[: self.rng.randint(0, 3)]
                    )
                    need.activities.add(*done)
                    confirmed = [a for a in done if a.status == ReviewStatus.CONFIRMED]
                    if len(confirmed) >= 2 and self.rng.random() < 0.6:
                        # The commune officer confirmed the need met, a few days after the
                        # last of its activities.
                        met = max(a.start_date for a in confirmed) + datetime.timedelta(days=7)
                        met_at = timezone.make_aware(
                            datetime.datetime.combine(met, datetime.time(10))
                        )  # noqa: E501
                        CommuneNeed.objects.filter(pk=need.pk).update(met_at=min(met_at, today))

    # -- households followed after support: most still keep it, some sold it or lost it
    def _follow_ups(self):
        households = data.HOUSEHOLDS
        kinds = {
            "phat-trien-san-xuat": ("animal", "1 con bò cái giống"),
            "nha-o": ("house", "Hỗ trợ làm nhà 40 triệu đồng"),
        }
        activities = (
            Activity.objects.filter(assignment__in=self.new_assignments, category__code__in=kinds)
            .select_related("category", "assignment")
            .order_by("start_date", "pk")
        )
        picked = list(activities)[:: max(1, 4 * self.scale)]
        # the demo agency's own households first, so its logins see follow-ups
        own = [a for a in activities if a.assignment.agency_id == self.agencies[
            "Ban Dân vận Tỉnh ủy"].pk][:8]  # fmt: skip
        activities = own + [a for a in picked if a not in own]
        checks = []
        for activity in activities:
            kind, given = kinds[activity.category.code]
            support = HouseholdSupport.objects.create(
                activity=activity, household=self.rng.choice(households), kind=kind, given=given,
                standing=self.rng.choice(["poor", "poor", "near_poor"]),
                village=self.rng.choice(self.villages.get(activity.assignment.commune_id) or [None]),  # noqa: E501
            )  # fmt: skip
            for months in (6, 12):
                due = add_months(activity.start_date, months)
                check = FollowUpCheck(support=support, months=months, due_date=due)
                if due <= self.today and self.rng.random() < 0.8:
                    check.checked_on = due + datetime.timedelta(days=self.rng.randint(0, 20))
                    check.checked_on = min(check.checked_on, self.today)
                    check.outcome = self.rng.choices(
                        ["kept", "sold", "lost", "unused"], weights=[14, 3, 2, 1]
                    )[0]
                checks.append(check)
        FollowUpCheck.objects.bulk_create(checks)

    # -- this year's plans, made with the communes; some fields over target, some short
    def _plans(self):
        year = self.today.year
        codes = ["phat-trien-san-xuat", "tap-huan", "tang-qua", "y-te", "giao-duc"]
        categories = [self.categories[c] for c in codes if c in self.categories]
        plans, items = [], []
        for assignment in self.new_assignments:
            if assignment.role != Assignment.Role.LEAD or not categories:
                continue
            plan = AnnualPlan(
                assignment=assignment, year=year, agreed_on=datetime.date(year, 1, 15),
                planned_days_per_quarter=assignment.decision.required_days_per_quarter,
            )  # fmt: skip
            plans.append(plan)
            for category in self.rng.sample(categories, min(3, len(categories))):
                items.append(
                    PlanItem(
                        plan=plan, category=category, title=f"{category.name} tại xã",
                        quarter=self.rng.choice([None, 2, 3, 4]),
                        target_activities=self.rng.randint(2, 6) * self.scale,
                        target_value=self.rng.choice([None, 50_000_000, 120_000_000]),
                    )
                )  # fmt: skip
        AnnualPlan.objects.bulk_create(plans)
        PlanItem.objects.bulk_create(items)

    # -- a review meeting and the tasks it gave, some overdue, one done
    def _meetings(self):
        held = self.today - datetime.timedelta(days=120)
        meeting = Meeting.objects.create(
            province=self.province, held_on=held, place="Hội trường UBND tỉnh",
            title=f"Hội nghị sơ kết công tác giúp đỡ xã 6 tháng đầu năm {held.year}",
            chair="Phó Chủ tịch UBND tỉnh", participants="Các cơ quan, đơn vị được phân công; "
            "UBND các xã đặc biệt khó khăn",
            conclusions="1. Các cơ quan bảo đảm cử cán bộ về xã ít nhất 15 ngày mỗi quý.\n"
            "2. Chuyển từ tặng quà sang hỗ trợ sinh kế lâu dài, có theo dõi sau hỗ trợ.\n"
            "3. Các xã chủ động nêu nhu cầu, rà soát danh sách hộ nghèo cần hỗ trợ.",
        )  # fmt: skip
        weak = sorted(self.weak)
        sinh_phinh = Commune.objects.current().get(province=self.province, short_name="Sính Phình")
        rows = [
            Task(meeting=meeting, assignee="agency", agency=self.agencies[name],
                 what="Bảo đảm cử cán bộ về xã đủ 15 ngày mỗi quý; báo cáo số ngày thực tế.",
                 due_date=self.today - datetime.timedelta(days=30))
            for name in weak[:3]
        ]  # fmt: skip
        rows += [
            Task(meeting=meeting, assignee="commune", commune=sinh_phinh,
                 what="Rà soát, lập danh sách hộ nghèo cần hỗ trợ bò giống.",
                 due_date=self.today + datetime.timedelta(days=5)),
            Task(meeting=meeting, assignee="agency", agency=self.agencies["Ban Dân vận Tỉnh ủy"],
                 what="Tổng hợp kết quả giúp đỡ xã cả năm, gửi Văn phòng UBND tỉnh.",
                 due_date=self.today + datetime.timedelta(days=20)),
            Task(meeting=meeting, assignee="agency", agency=self.agencies["Sở Y tế"],
                 what="Tổ chức khám bệnh, cấp thuốc miễn phí tại các xã biên giới.",
                 due_date=held + datetime.timedelta(days=60), status="done",
                 evidence="Đã khám cho 1.250 lượt người tại 6 xã.",
                 done_on=held + datetime.timedelta(days=55)),
        ]  # fmt: skip
        Task.objects.bulk_create(rows)

    # -- outcomes
    def _indicators_and_classes(self):
        olds = sorted({a.commune for a in self.old_assignments}, key=lambda c: c.code)
        reaching = {c.pk for c in olds[5:40:5]}  # 7 communes reach the new-rural standard
        indicators, classes = [], []
        for commune in olds:
            poor = Decimal(self.rng.randint(380, 680)) / 10
            met = self.rng.randint(5, 9)
            for year in range(2020, 2025):
                reached = commune.pk in reaching and year == 2024
                indicators.append(
                    CommuneIndicator(
                        commune=commune,
                        year=year,
                        poor_household_rate=poor,
                        near_poor_household_rate=Decimal(self.rng.randint(80, 180)) / 10,
                        ntm_criteria_met=19 if reached else met,
                        ntm_criteria_total=19,
                        ntm_reached=reached,
                    )
                )
                poor = max(Decimal("2.0"), poor - Decimal(self.rng.randint(40, 75)) / 10)
                met = min(18, met + self.rng.randint(0, 2))
            classes.append(
                CommuneClassification(
                    commune=commune,
                    kind="khu_vuc_3",
                    start_year=2021,
                    end_year=2025,
                    legal_basis="861/QĐ-TTg",
                )
            )
            classes.append(
                CommuneClassification(
                    commune=commune,
                    kind="dbkk",
                    start_year=2021,
                    end_year=2025,
                    legal_basis="861/QĐ-TTg",
                )
            )
            if commune.district.short_name in {"Mường Nhé", "Nậm Pồ", "Mường Chà", "Điện Biên"}:
                classes.append(
                    CommuneClassification(
                        commune=commune,
                        kind="bien_gioi",
                        start_year=2021,
                        end_year=2025,
                        legal_basis="Nghị định 34/2014/NĐ-CP",
                    )
                )
        news = sorted({a.commune for a in self.new_assignments}, key=lambda c: c.code)
        for commune in news:
            indicators.append(
                CommuneIndicator(
                    commune=commune,
                    year=2025,
                    poor_household_rate=Decimal(self.rng.randint(120, 300)) / 10,
                    near_poor_household_rate=Decimal(self.rng.randint(60, 140)) / 10,
                    ntm_criteria_met=self.rng.randint(10, 17),
                    ntm_criteria_total=19,
                )
            )
        CommuneIndicator.objects.bulk_create(indicators)
        CommuneClassification.objects.bulk_create(classes)


BDV = ("agency", "Ban Dân vận Tỉnh ủy")
WORKING_GROUP = "Tổ công tác số 1 của Đảng ủy xã Sính Phình"
LOGINS = [
    # username, full name, role kind, scope
    ("thuongtruc", ("Nguyễn Thị", "Hằng"), Role.Kind.SECRETARIAT, None),
    ("lanhdao", ("Lò Văn", "Mừng"), Role.Kind.LEADERSHIP, None),
    ("trunguong", ("Trần Văn", "An"), Role.Kind.NATIONAL, None),
    (
        "bdv.lanhdao",
        ("Quàng Văn", "Bình"),
        Role.Kind.AGENCY_LEADER,
        ("agency", "Ban Dân vận Tỉnh ủy"),
    ),
    ("bdv.canbo", ("Lường Thị", "Thu"), Role.Kind.AGENCY_STAFF, BDV),
    ("xa.sinhphinh", ("Giàng A", "Dình"), Role.Kind.COMMUNE_OFFICER, ("commune", "Sính Phình")),
    ("totcongtac", ("Mùa Thị", "Dợ"), Role.Kind.AGENCY_LEADER, ("agency", WORKING_GROUP)),
    ("huyen.tuachua", ("Vừ A", "Chứ"), Role.Kind.DISTRICT_OFFICER, ("district", "Huyện Tủa Chùa")),
]


def _digests(today: datetime.date) -> None:
    """Today's reminders for the demo logins, in the app only (no email from a demo)."""
    send_digests(
        today, email=False, people=User.objects.filter(username__in=[row[0] for row in LOGINS])
    )


# The secretariat and superusers must log in with a second factor. A demo has no phone to
# enrol, so these accounts get fixed one-time recovery codes, issued anew on every run.
DEMO_CODES = [f"demo{n:02}" for n in range(1, 21)]


def _demo_codes(user) -> str:
    """Fixed recovery codes for an account that must use two-factor login; '' for others."""
    if not requires_two_factor(user):
        return ""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    device.throttle_reset()  # a wrong code typed in an earlier try waits no longer
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in DEMO_CODES)
    return f"mã xác thực: {DEMO_CODES[0]} … {DEMO_CODES[-1]} (mỗi mã dùng một lần)"


def _logins(province) -> list[tuple[str, str, str, str]]:
    """One user per role (and a superuser), created once; their password and, where the role
    needs them, their demo recovery codes are reset each run."""
    rows = []
    for username, (last, first), kind, scope in LOGINS:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"last_name": last, "first_name": first, "email": f"{username}@giupxa.vn"},
        )
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        values = {"agency": None, "district": None, "commune": None}
        if scope and scope[0] == "agency":
            values["agency"] = Agency.objects.get(province=province, name=scope[1])
            Person.objects.get_or_create(
                agency=values["agency"], user=user, defaults={"full_name": f"{last} {first}"}
            )
        elif scope and scope[0] == "commune":
            values["commune"] = Commune.objects.current().get(
                province=province, short_name=scope[1]
            )
        elif scope and scope[0] == "district":
            values["district"] = District.objects.get(province__successor=province, name=scope[1])
        Role.objects.get_or_create(user=user, kind=kind, province=province, **values)
        if kind == Role.Kind.NATIONAL:  # the centre reads every province
            for other in Province.objects.current().exclude(pk=province.pk):
                Role.objects.get_or_create(user=user, kind=kind, province=other)
        rows.append((username, PASSWORD, dict(Role.Kind.choices)[kind], _demo_codes(user)))
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"is_staff": True, "is_superuser": True, "email": "admin@giupxa.vn"},
    )
    admin.set_password(PASSWORD)
    admin.save(update_fields=["password"])
    rows.append(("admin", PASSWORD, "Quản trị hệ thống (chỉ trang /admin/)", _demo_codes(admin)))
    return rows
