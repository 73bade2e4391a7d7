"""factory_boy factories for every model, on synthetic units (codes never used by real ones).

Tests that need the real units of Điện Biên use the `admin_units` fixture instead.
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from assignments.models import Agency, Assignment, Decision, Person, Role, User
from communes.models import (
    LAST_PRE_REFORM_DAY,
    REFORM_DATE,
    Commune,
    District,
    Province,
    Village,
)
from contributions import rollup
from contributions.models import (
    Activity,
    Attachment,
    Category,
    Contribution,
    FieldVisit,
    ImportJob,
    Item,
)
from core.text import fold
from followup.models import (
    AnnualPlan,
    CommuneNeed,
    FollowUpCheck,
    HouseholdSupport,
    Meeting,
    PlanItem,
    Task,
)
from reports.models import ReportRun


def _letters(n: int) -> str:
    return f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}"


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Province

    code = factory.Sequence(_letters)
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    short_name = factory.LazyAttribute(lambda o: o.name.removeprefix("Tỉnh "))
    kind = Province.Kind.PROVINCE
    valid_from = REFORM_DATE


class LegacyProvinceFactory(ProvinceFactory):
    valid_from = None
    valid_to = LAST_PRE_REFORM_DAY
    successor = factory.SubFactory(ProvinceFactory)


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    code = factory.Sequence(lambda n: f"Z{_letters(n)}")
    name = factory.Sequence(lambda n: f"Huyện Thử {n}")
    short_name = factory.LazyAttribute(lambda o: o.name.removeprefix("Huyện "))
    kind = District.Kind.RURAL
    province = factory.SubFactory(LegacyProvinceFactory)


class CommuneFactory(DjangoModelFactory):
    """A current commune (from 1 July 2025)."""

    class Meta:
        model = Commune

    code = factory.Sequence(lambda n: f"Z{n:04d}")
    name = factory.Sequence(lambda n: f"Xã Bản Thử {n}")
    short_name = factory.LazyAttribute(lambda o: o.name.removeprefix("Xã "))
    search_key = factory.LazyAttribute(lambda o: fold(o.short_name))
    kind = Commune.Kind.COMMUNE
    province = factory.SubFactory(ProvinceFactory)
    valid_from = REFORM_DATE


class LegacyCommuneFactory(CommuneFactory):
    district = factory.SubFactory(DistrictFactory)
    province = factory.LazyAttribute(lambda o: o.district.province)
    valid_from = None
    valid_to = LAST_PRE_REFORM_DAY


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    first_name = "Văn"
    last_name = factory.Sequence(lambda n: f"Nguyễn {n}")
    password = factory.django.Password("mat-khau-thu-nghiem-2026")


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    province = factory.SubFactory(ProvinceFactory)
    name = factory.Sequence(lambda n: f"Sở Thử Nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"STN{n}")
    kind = Agency.Kind.DEPARTMENT


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    agency = factory.SubFactory(AgencyFactory)
    full_name = factory.Sequence(lambda n: f"Lò Văn {n}")


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision

    province = factory.SubFactory(ProvinceFactory)
    number = factory.Sequence(lambda n: f"{100 + n}/QĐ-UBND")
    signed_on = datetime.date(2021, 5, 20)
    issuer = "UBND tỉnh"
    title = "Phân công các cơ quan giúp đỡ các xã đặc biệt khó khăn"
    phase_start = datetime.date(2021, 1, 1)
    phase_end = datetime.date(2026, 12, 31)


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    decision = factory.SubFactory(DecisionFactory)
    agency = factory.SubFactory(
        AgencyFactory, province=factory.SelfAttribute("..decision.province")
    )
    commune = factory.SubFactory(
        CommuneFactory, province=factory.SelfAttribute("..decision.province")
    )
    role = Assignment.Role.LEAD
    valid_from = factory.SelfAttribute("decision.phase_start")
    valid_to = factory.SelfAttribute("decision.phase_end")


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = Role.Kind.SECRETARIAT
    province = factory.SubFactory(ProvinceFactory)


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["code"]

    code = "tang-qua"
    name = "Tặng quà hộ nghèo, gia đình chính sách, dịp Tết"


class ItemFactory(DjangoModelFactory):
    class Meta:
        model = Item
        django_get_or_create = ["name"]

    name = "Xi măng"
    unit = "tấn"
    reference_unit_value = 1_600_000


class _KeepsRollup(DjangoModelFactory):
    """Rows made by a factory bypass the services; refresh the monthly rollups as they do."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        rollup.refresh([rollup.key_of(obj.activity if model_class is Contribution else obj)])
        return obj


class ActivityFactory(_KeepsRollup):
    class Meta:
        model = Activity

    assignment = factory.SubFactory(AssignmentFactory)
    start_date = datetime.date(2026, 3, 10)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Tặng quà Tết cho hộ nghèo đợt {n}")


class ContributionFactory(_KeepsRollup):
    class Meta:
        model = Contribution

    activity = factory.SubFactory(ActivityFactory)
    kind = Contribution.Kind.CASH
    value = 10_000_000
    source = Contribution.Source.BUDGET


class InKindContributionFactory(ContributionFactory):
    kind = Contribution.Kind.IN_KIND
    item = factory.SubFactory(ItemFactory)
    quantity = 2
    value = 3_200_000


class FieldVisitFactory(_KeepsRollup):
    class Meta:
        model = FieldVisit

    assignment = factory.SubFactory(AssignmentFactory)
    start_date = datetime.date(2026, 3, 2)
    end_date = datetime.date(2026, 3, 6)
    days_on_site = 5
    purpose = "Làm việc với Đảng ủy xã về kế hoạch năm"


class ReportRunFactory(DjangoModelFactory):
    class Meta:
        model = ReportRun
        skip_postgeneration_save = True

    province = factory.SubFactory(ProvinceFactory)
    scope = ReportRun.Scope.PROVINCE
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 12, 31)


# A small valid PNG, one transparent pixel, that a real decoder reads to the end.
PNG_PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)


class AttachmentFactory(DjangoModelFactory):
    class Meta:
        model = Attachment

    activity = factory.SubFactory(ActivityFactory)
    kind = Attachment.Kind.PHOTO
    file = factory.django.FileField(filename="anh.png", data=PNG_PIXEL)
    original_name = "anh.png"
    content_type = "image/png"
    size = len(PNG_PIXEL)


class VillageFactory(DjangoModelFactory):
    class Meta:
        model = Village

    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Bản Thử {n}")


class NeedFactory(DjangoModelFactory):
    class Meta:
        model = CommuneNeed

    commune = factory.SubFactory(CommuneFactory)
    title = factory.Sequence(lambda n: f"Sửa đường vào bản Phình, đoạn {n}")
    reason = "Mùa mưa xe máy không đi được, học sinh phải nghỉ học."
    estimated_cost = 100_000_000


class SupportFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdSupport

    activity = factory.SubFactory(ActivityFactory)
    household = factory.Sequence(lambda n: f"Lò Văn Hộ {n}")
    kind = HouseholdSupport.Kind.ANIMAL
    given = "1 con bò cái giống"


class CheckFactory(DjangoModelFactory):
    class Meta:
        model = FollowUpCheck

    support = factory.SubFactory(SupportFactory)
    months = 6
    due_date = datetime.date(2026, 9, 2)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    province = factory.SubFactory(ProvinceFactory)
    title = "Hội nghị sơ kết 6 tháng đầu năm 2026"
    held_on = datetime.date(2026, 7, 20)
    chair = "Phó Chủ tịch UBND tỉnh"
    conclusions = "Các cơ quan bảo đảm cử cán bộ về xã đủ 15 ngày mỗi quý."


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task

    meeting = factory.SubFactory(MeetingFactory)
    what = "Hoàn thành bàn giao bò giống cho các hộ nghèo"
    due_date = datetime.date(2026, 8, 15)
    assignee = Task.Assignee.AGENCY


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = AnnualPlan

    assignment = factory.SubFactory(AssignmentFactory)
    year = 2026


class PlanItemFactory(DjangoModelFactory):
    class Meta:
        model = PlanItem

    plan = factory.SubFactory(PlanFactory)
    category = factory.SubFactory(CategoryFactory)
    title = "Tặng quà Tết cho hộ nghèo"
    target_activities = 1


class ImportJobFactory(DjangoModelFactory):
    """A workbook whose check found nothing wrong (its file an empty stand-in)."""

    class Meta:
        model = ImportJob

    file_name = "nhap.xlsx"
    file = factory.django.FileField(filename="tep.xlsx", data=b"PK")
    sha256 = "0" * 64
    size = 2
    status = ImportJob.Status.FINISHED
    result = factory.LazyFunction(lambda: {"ok": True, "rows": 1, "activities": 1,
                                           "total_value": 1_000_000, "visits": 0,
                                           "problem_count": 0, "problems": []})  # fmt: skip
