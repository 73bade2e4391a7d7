"""Personal data of households (Luật Bảo vệ dữ liệu cá nhân, in force 1 January 2026).

- Every page and file that shows household data writes one row of the access log
  (`log_access`): who, when, which households, whether the names were shown.
- On a household's request the secretariat of the province exports, corrects or erases its
  data (`household_export`, `household_correct`, `household_erase`); erasure removes the
  identity (name, village, notes, photos) and keeps the figures (the kind of support, its
  checks' dates and outcomes), so no report changes.
- `expire_identities` removes the identity of households whose last check lies more than
  PERSONAL_DATA_RETENTION_YEARS ago (beat: every night).
"""

import datetime
import io

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assignments.scoping import RoleKind, role_provinces
from communes.models import Village
from core import workbook as xl
from core.text import clean

from ..models import FollowUpCheck, HouseholdSupport, PersonalDataAccess

Action = PersonalDataAccess.Action
ERASED_NAME = "(đã xóa thông tin cá nhân)"
PURPOSE = (
    "Họ tên và thôn, bản của hộ được ghi để cơ quan giúp đỡ và xã tìm lại hộ khi kiểm tra "
    "sau 6 và 12 tháng xem hỗ trợ còn duy trì, phát huy hay không. Chỉ cơ quan giúp đỡ, cán "
    "bộ xã và văn phòng thường trực tỉnh thấy họ tên; mọi lần xem, xuất đều được ghi nhật ký; "
    "thông tin được xóa {years} năm sau lần kiểm tra cuối. Không ghi dân tộc, số định danh hay "
    "thông tin sức khỏe của hộ."
)


def purpose() -> str:
    """Why a household's data is recorded, shown where it is entered."""
    return PURPOSE.format(years=settings.PERSONAL_DATA_RETENTION_YEARS)


def _province_id(support: HouseholdSupport) -> int:
    """The programme's province (`select_related("activity__assignment__decision")`)."""
    return support.activity.assignment.decision.province_id


def log_access(
    *, user, action: str, supports, page: str, names_shown: bool = False, note: str = ""
) -> None:
    """One log row per province among `supports` (two queries for a page of one province).
    `user` is None for the retention job."""
    by_province: dict[int, list[int]] = {}
    for support in supports:
        by_province.setdefault(_province_id(support), []).append(support.pk)
    Through = PersonalDataAccess.supports.through  # noqa: N806
    for province_id, ids in by_province.items():
        access = PersonalDataAccess.objects.create(
            user=user if user is not None and user.is_authenticated else None,
            province_id=province_id, action=action, page=page[:200],
            names_shown=names_shown, note=note[:300],
        )  # fmt: skip
        Through.objects.bulk_create(
            Through(personaldataaccess_id=access.pk, householdsupport_id=pk) for pk in ids
        )


def may_handle_requests(user, support: HouseholdSupport) -> bool:
    """Only the secretariat of the support's province answers a household's requests."""
    return _province_id(support) in role_provinces(user, {RoleKind.SECRETARIAT})


def _require(user, supports) -> None:
    if not supports or not all(may_handle_requests(user, s) for s in supports):
        raise PermissionDenied(
            "Chỉ văn phòng thường trực của tỉnh xử lý yêu cầu về dữ liệu cá nhân của hộ."
        )


def _require_reference(note: str) -> str:
    note = clean(note or "")
    if not note:
        raise ValidationError({"note": "Ghi số, ngày của đơn yêu cầu hoặc lý do."})
    return note


EXPORT_HEADERS = [
    ("Chủ hộ", 24), ("Thôn, bản", 18), ("Xã", 18), ("Diện hộ", 14), ("Loại hỗ trợ", 16),
    ("Đã hỗ trợ", 30), ("Hoạt động", 36), ("Ngày hỗ trợ", 12), ("Cơ quan giúp đỡ", 30),
    ("Theo dõi sau (tháng)", 10), ("Hạn theo dõi", 12), ("Ngày kiểm tra", 12),
    ("Kết quả", 26), ("Ghi chú", 30), ("Có ảnh", 8), ("Ghi nhận lúc", 16),
]  # fmt: skip


def household_export(*, user, supports: list[HouseholdSupport]) -> bytes:
    """The household's data as a workbook (one row per check), for the household that asked;
    logged. `supports` come with their activity, assignment, commune, agency, village and
    checks loaded."""
    _require(user, supports)
    buffer = io.BytesIO()
    book = xl.new_workbook(buffer)
    styles = xl.Styles(book)
    sheet = book.add_worksheet("Dữ liệu của hộ")
    xl.write_text(sheet, 0, 0, "Dữ liệu cá nhân của hộ lưu trong giúp xã", styles.heading)
    xl.write_text(
        sheet, 1, 0, f"Xuất ngày {timezone.localdate():%d/%m/%Y} theo yêu cầu của hộ.", styles.note
    )
    xl.table_header(sheet, 3, EXPORT_HEADERS, styles)
    row = 4
    for support in supports:
        activity = support.activity
        base = [
            support.household, support.village.name if support.village else "",
            activity.assignment.commune.name, support.get_standing_display(),
            support.get_kind_display(), support.given, activity.title,
        ]  # fmt: skip
        for check in support.checks.all() or [None]:
            for column, value in enumerate(base):
                xl.write_text(sheet, row, column, value, styles.text)
            xl.write_date(sheet, row, 7, activity.start_date, styles.date)
            xl.write_text(sheet, row, 8, activity.assignment.agency.name, styles.text)
            if check is not None:
                sheet.write_number(row, 9, check.months, styles.integer)
                xl.write_date(sheet, row, 10, check.due_date, styles.date)
                xl.write_date(sheet, row, 11, check.checked_on, styles.date)
                xl.write_text(sheet, row, 12, check.get_outcome_display(), styles.text)
                xl.write_text(sheet, row, 13, check.note, styles.text)
                xl.write_text(sheet, row, 14, "có" if check.photo else "", styles.center)
            created = timezone.localtime(support.created_at)
            xl.write_text(sheet, row, 15, f"{created:%d/%m/%Y %H:%M}", styles.text)
            row += 1
    book.close()
    log_access(
        user=user, action=Action.EXPORT, supports=supports,
        page="Xuất dữ liệu của hộ theo yêu cầu", names_shown=True,
    )  # fmt: skip
    return buffer.getvalue()


def village_choices(support: HouseholdSupport):
    """The villages a household of this support's commune can live in (the commune's own and
    those of the commune it became)."""
    commune = support.activity.assignment.commune
    return (
        Village.objects.open(keep=support.village_id)
        .filter(Q(commune=commune) | Q(commune__in=commune.successors.all()))
        .order_by("name")
    )


@transaction.atomic
def household_correct(*, user, supports: list[HouseholdSupport], fields: dict) -> int:
    """Correct the household's name, village and standing on all its supports, on its
    request (`fields["note"]`: the request's reference). The corrected values are not
    copied into the log, only that a correction was made."""
    _require(user, supports)
    note = _require_reference(fields.get("note"))
    household = clean(fields.get("household") or "")
    if not household:
        raise ValidationError({"household": "Nhập họ tên chủ hộ."})
    village = fields.get("village")
    if village is not None and not village_choices(supports[0]).filter(pk=village.pk).exists():
        raise ValidationError({"village": "Thôn, bản đã chọn không thuộc xã được hỗ trợ."})
    ids = [s.pk for s in supports]
    changed = HouseholdSupport.objects.filter(pk__in=ids, erased_at__isnull=True).update(
        household=household, village=village, standing=fields["standing"]
    )
    log_access(
        user=user, action=Action.CORRECT, supports=supports,
        page="Sửa dữ liệu của hộ theo yêu cầu", names_shown=True, note=note,
    )  # fmt: skip
    return changed


def _erase(supports: list[HouseholdSupport], when: datetime.datetime) -> int:
    """Remove the identity, keep the figures. Photos are deleted once the transaction has
    committed (a rollback must not leave records pointing at deleted files)."""
    ids = [s.pk for s in supports]
    checks = FollowUpCheck.objects.filter(support_id__in=ids)
    photos = list(checks.exclude(photo="").values_list("photo", flat=True))
    erased = HouseholdSupport.objects.filter(pk__in=ids, erased_at__isnull=True).update(
        household=ERASED_NAME, village=None, erased_at=when
    )
    checks.update(note="", photo="", photo_type="")
    if photos:
        storage = FollowUpCheck._meta.get_field("photo").storage

        def delete_photos():
            for name in photos:
                storage.delete(name)

        transaction.on_commit(delete_photos)
    return erased


@transaction.atomic
def household_erase(*, user, supports: list[HouseholdSupport], note: str) -> int:
    """Erase the household's personal data on its request; the figures stay."""
    _require(user, supports)
    note = _require_reference(note)
    erased = _erase(supports, timezone.now())
    log_access(
        user=user, action=Action.ERASE, supports=supports,
        page="Xóa dữ liệu của hộ theo yêu cầu", note=note,
    )  # fmt: skip
    return erased


def retention_cutoff(today: datetime.date, years: int | None = None) -> datetime.date:
    """The day before which a last check is old enough for its identity to go."""
    years = settings.PERSONAL_DATA_RETENTION_YEARS if years is None else years
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def expire_identities(
    today: datetime.date | None = None, *, dry_run: bool = False, batch: int = 500
) -> int:
    """Remove the identity of every household whose last check lies more than
    PERSONAL_DATA_RETENTION_YEARS before `today`; returns how many supports. In batches,
    each its own transaction, logged under the retention job."""
    cutoff = retention_cutoff(today or timezone.localdate())
    expired = HouseholdSupport.objects.kept_past(cutoff).order_by("pk")
    if dry_run:
        return expired.count()
    done = 0
    while True:
        with transaction.atomic():
            supports = list(
                HouseholdSupport.objects.filter(
                    pk__in=list(expired.values_list("pk", flat=True)[:batch])
                )
                .select_related("activity__assignment__decision")
                .select_for_update(of=("self",))
            )
            if not supports:
                return done
            done += _erase(supports, timezone.now())
            log_access(
                user=None, action=Action.EXPIRE, supports=supports,
                page="Xóa tự động khi hết thời hạn lưu trữ",
                note=f"Lần kiểm tra cuối trước {cutoff:%d/%m/%Y}",
            )  # fmt: skip
