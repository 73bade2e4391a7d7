"""Administrative units before and after the 2025 reform, villages, classes and indicators.

Units of both eras live side by side. Pre-reform units end on 2025-06-30 and carry their
district; current units start on 2025-07-01 and have none. `CommuneSuccession` links each
old commune to the new one(s) it went into.
"""

import datetime

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .querysets import CommuneQuerySet, ProvinceQuerySet, VillageQuerySet

REFORM_DATE = datetime.date(2025, 7, 1)
LAST_PRE_REFORM_DAY = datetime.date(2025, 6, 30)


class Province(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "tinh", "Tỉnh"
        CITY = "thanh_pho", "Thành phố trực thuộc Trung ương"

    code = models.CharField("mã", max_length=2)
    name = models.CharField("tên", max_length=100)
    short_name = models.CharField("tên ngắn", max_length=100)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name="tỉnh sau sắp xếp",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    latitude = models.DecimalField("vĩ độ", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        "kinh độ", max_digits=9, decimal_places=6, null=True, blank=True
    )
    giupxa_since = models.DateField(
        "dùng Giúp xã từ ngày",
        null=True,
        blank=True,
        help_text="Số liệu của các kỳ kết thúc trước ngày này là nhập bù: không xét gửi chậm, "
        "không xét thiếu ngày về xã.",
    )

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        verbose_name = "tỉnh, thành phố"
        verbose_name_plural = "tỉnh, thành phố"
        ordering = ["valid_to", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=True), name="province_current_code"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=False), name="province_legacy_code"
            ),
        ]

    def __str__(self):
        return self.name if self.is_current else f"{self.name} (trước 01/7/2025)"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class District(models.Model):
    """A district (huyện, quận, thị xã, thành phố thuộc tỉnh): pre-reform only."""

    class Kind(models.TextChoices):
        RURAL = "huyen", "Huyện"
        URBAN = "quan", "Quận"
        TOWN = "thi_xa", "Thị xã"
        CITY = "thanh_pho", "Thành phố"

    code = models.CharField("mã", max_length=3, unique=True)
    name = models.CharField("tên", max_length=100)
    short_name = models.CharField("tên ngắn", max_length=100)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    province = models.ForeignKey(
        Province, verbose_name="tỉnh", on_delete=models.PROTECT, related_name="districts"
    )
    latitude = models.DecimalField("vĩ độ", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        "kinh độ", max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        verbose_name = "huyện (trước 01/7/2025)"
        verbose_name_plural = "huyện (trước 01/7/2025)"
        ordering = ["code"]

    def __str__(self):
        return self.name


class Commune(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "xa", "Xã"
        WARD = "phuong", "Phường"
        TOWNSHIP = "thi_tran", "Thị trấn"
        SPECIAL_ZONE = "dac_khu", "Đặc khu"

    code = models.CharField(
        "mã", max_length=5, help_text="Mã đơn vị hành chính của Tổng cục Thống kê"
    )
    name = models.CharField("tên", max_length=100)
    short_name = models.CharField("tên ngắn", max_length=100)
    search_key = models.CharField(
        "khoá tìm kiếm",
        max_length=100,
        db_index=True,
        editable=False,
        help_text="Tên ngắn viết thường, không dấu: để tìm không phân biệt dấu",
    )
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    province = models.ForeignKey(
        Province, verbose_name="tỉnh", on_delete=models.PROTECT, related_name="communes"
    )
    district = models.ForeignKey(
        District,
        verbose_name="huyện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="communes",
    )
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    latitude = models.DecimalField("vĩ độ", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        "kinh độ", max_digits=9, decimal_places=6, null=True, blank=True
    )
    successors = models.ManyToManyField(
        "self",
        verbose_name="đơn vị sau sắp xếp",
        through="CommuneSuccession",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
    )

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "xã, phường"
        verbose_name_plural = "xã, phường"
        ordering = ["province__code", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=True), name="commune_current_code"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=False), name="commune_legacy_code"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="commune_valid_dates",
                violation_error_message="Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
            ),
        ]

    def __str__(self):
        if self.district_id:
            return f"{self.name}, {self.district.name}"
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class CommuneSuccession(models.Model):
    """An old commune went into a new one (a few old communes were split between several)."""

    predecessor = models.ForeignKey(
        Commune, verbose_name="đơn vị cũ", on_delete=models.CASCADE, related_name="+"
    )
    successor = models.ForeignKey(
        Commune, verbose_name="đơn vị mới", on_delete=models.CASCADE, related_name="+"
    )
    is_primary = models.BooleanField(
        "đơn vị nhận chính",
        default=True,
        help_text="Khi xã cũ chia cho nhiều xã mới: xã mới nhận phần chính, dùng khi chuyển đổi.",
    )

    class Meta:
        verbose_name = "sắp xếp đơn vị hành chính 2025"
        verbose_name_plural = "sắp xếp đơn vị hành chính 2025"
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="succession_unique_pair"
            ),
            models.UniqueConstraint(
                fields=["predecessor"], condition=Q(is_primary=True), name="succession_one_primary"
            ),
        ]

    def __str__(self):
        return f"{self.predecessor.name} → {self.successor.name}"


class Village(models.Model):
    class Kind(models.TextChoices):
        HAMLET = "thon", "Thôn"
        VILLAGE = "ban", "Bản"
        RESIDENTIAL_GROUP = "to_dan_pho", "Tổ dân phố"

    commune = models.ForeignKey(
        Commune, verbose_name="xã", on_delete=models.CASCADE, related_name="villages"
    )
    name = models.CharField("tên", max_length=100)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.VILLAGE)
    # A village is never deleted: records name it. Closed (merged into another, or dissolved)
    # it leaves the choice lists and keeps its history.
    closed_on = models.DateField("ngừng từ ngày", null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="sáp nhập vào",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )

    objects = VillageQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="lịch sử thôn, tổ dân phố")  # former names

    class Meta:
        verbose_name = "thôn, bản, tổ dân phố"
        verbose_name_plural = "thôn, bản, tổ dân phố"
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="village_unique_name")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class CommuneClassification(models.Model):
    """A class a commune holds for a phase, e.g. khu vực III in 2021–2025 by 861/QĐ-TTg."""

    class Kind(models.TextChoices):
        REGION_III = "khu_vuc_3", "Xã khu vực III"
        EXTREMELY_DISADVANTAGED = "dbkk", "Xã đặc biệt khó khăn"
        BORDER = "bien_gioi", "Xã biên giới"
        SAFE_ZONE = "atk", "Xã an toàn khu"
        REVOLUTIONARY_MERIT = "co_cong", "Xã có công với cách mạng"
        NTM_BUILDING = "ntm_dang_xay_dung", "Đang xây dựng nông thôn mới"
        NTM_REACHED = "ntm_dat_chuan", "Đạt chuẩn nông thôn mới"

    commune = models.ForeignKey(
        Commune, verbose_name="xã", on_delete=models.CASCADE, related_name="classifications"
    )
    kind = models.CharField("phân loại", max_length=30, choices=Kind.choices)
    start_year = models.PositiveSmallIntegerField("từ năm")
    end_year = models.PositiveSmallIntegerField("đến năm")
    legal_basis = models.CharField("căn cứ", max_length=200, blank=True)

    class Meta:
        verbose_name = "phân loại xã theo giai đoạn"
        verbose_name_plural = "phân loại xã theo giai đoạn"
        ordering = ["commune", "start_year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "kind", "start_year"], name="classification_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="classification_years",
                violation_error_message="Năm kết thúc phải từ năm bắt đầu trở đi.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.start_year}–{self.end_year})"


class CommuneIndicator(models.Model):
    """Yearly outcome indicators of a commune."""

    commune = models.ForeignKey(
        Commune, verbose_name="xã", on_delete=models.CASCADE, related_name="indicators"
    )
    year = models.PositiveSmallIntegerField("năm")
    poor_household_rate = models.DecimalField(
        "tỷ lệ hộ nghèo (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    near_poor_household_rate = models.DecimalField(
        "tỷ lệ hộ cận nghèo (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    ntm_criteria_met = models.PositiveSmallIntegerField("số tiêu chí NTM đạt", default=0)
    ntm_criteria_total = models.PositiveSmallIntegerField("tổng số tiêu chí NTM", default=19)
    ntm_reached = models.BooleanField("đạt chuẩn nông thôn mới", default=False)

    class Meta:
        verbose_name = "chỉ tiêu kết quả của xã"
        verbose_name_plural = "chỉ tiêu kết quả của xã"
        ordering = ["commune", "year"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="indicator_one_per_year"),
            models.CheckConstraint(
                condition=Q(poor_household_rate__gte=0, poor_household_rate__lte=100)
                | Q(poor_household_rate__isnull=True),
                name="indicator_poor_rate_range",
                violation_error_message="Tỷ lệ hộ nghèo phải từ 0 đến 100%.",
            ),
            models.CheckConstraint(
                condition=Q(near_poor_household_rate__gte=0, near_poor_household_rate__lte=100)
                | Q(near_poor_household_rate__isnull=True),
                name="indicator_near_poor_rate_range",
                violation_error_message="Tỷ lệ hộ cận nghèo phải từ 0 đến 100%.",
            ),
            models.CheckConstraint(
                condition=Q(ntm_criteria_met__lte=models.F("ntm_criteria_total")),
                name="indicator_ntm_criteria",
                violation_error_message="Số tiêu chí đạt không thể vượt tổng số tiêu chí.",
            ),
        ]

    def __str__(self):
        return f"{self.commune.name} – {self.year}"
