"""What Celery beat does at the end of each half-year and year."""

import datetime

from django.core.mail import send_mass_mail
from django.db import transaction

from assignments.models import Decision, Role
from assignments.scoping import AGENCY_ROLES
from core.periods import half_bounds, year_bounds

from . import figures
from .models import ReportRun
from .services import report_run_create


def ended_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """In the first half of a year the last period is the previous year; in the second half,
    the first half of this year."""
    if today.month <= 6:
        return year_bounds(today.year - 1)
    return half_bounds(today.year, 1)


def prepare_reports(today: datetime.date) -> int:
    """Create each province's draft report once (idempotent) and send the reminders."""
    start, end = ended_period(today)
    created = 0
    provinces = {d.province for d in Decision.objects.adopted().select_related("province")}
    for province in provinces:
        with transaction.atomic():
            exists = ReportRun.objects.filter(
                province=province, scope="province", period_start=start, period_end=end
            ).exists()
            if exists:
                continue
            report_run_create(province=province, period_start=start, period_end=end)
            created += 1
        _remind(province, start, end)
    return created


def _remind(province, start, end):
    result = figures.compute(figures.scope_assignments(province=province), start, end, today=end)
    missing = set(result.agencies_in("missing"))
    if not missing:
        return
    roles = Role.objects.filter(
        province=province, agency__name__in=missing, kind__in=AGENCY_ROLES
    ).select_related("user", "agency")
    messages = [
        (
            f"[Giúp xã] Chưa có kết quả giúp xã kỳ {start:%d/%m/%Y} – {end:%d/%m/%Y}",
            f"Kính gửi {role.user.get_full_name() or role.user.username},\n\n"
            f"Hệ thống chưa nhận được kết quả giúp đỡ xã của {role.agency.name} cho kỳ "
            f"{start:%d/%m/%Y} – {end:%d/%m/%Y}. Đề nghị cơ quan cập nhật và gửi hoạt động "
            "để tỉnh tổng hợp báo cáo sơ kết.\n\nVăn phòng thường trực chương trình.",
            None,
            [role.user.email],
        )
        for role in roles
        if role.user.email and role.user.is_active
    ]
    send_mass_mail(messages, fail_silently=False)


def ensure_schedule(crontab_model=None, task_model=None) -> None:
    """The beat jobs: the draft reports at 07:00 on 1 January and 1 July, the reminders'
    digest at 06:30 every day, and every minute the jobs whose worker died or whose queue was
    down sent again (all editable in the admin afterwards)."""
    if crontab_model is None:
        from django_celery_beat.models import CrontabSchedule as crontab_model  # noqa: N813
        from django_celery_beat.models import PeriodicTask as task_model  # noqa: N813
    schedule, _ = crontab_model.objects.get_or_create(
        minute="0", hour="7", day_of_month="1", month_of_year="1,7", day_of_week="*",
        timezone="Asia/Ho_Chi_Minh",
    )  # fmt: skip
    task_model.objects.get_or_create(
        name="Lập dự thảo báo cáo sơ kết và nhắc cơ quan chưa gửi kết quả",
        defaults={"task": "reports.tasks.prepare_period_reports", "crontab": schedule},
    )
    morning, _ = crontab_model.objects.get_or_create(
        minute="30", hour="6", day_of_month="*", month_of_year="*", day_of_week="*",
        timezone="Asia/Ho_Chi_Minh",
    )  # fmt: skip
    task_model.objects.get_or_create(
        name="Gửi bản nhắc việc buổi sáng",
        defaults={"task": "followup.tasks.send_daily_digests", "crontab": morning},
    )
    every_minute, _ = crontab_model.objects.get_or_create(
        minute="*", hour="*", day_of_month="*", month_of_year="*", day_of_week="*",
        timezone="Asia/Ho_Chi_Minh",
    )  # fmt: skip
    for name, task in [
        ("Gửi lại báo cáo không ai lập (tiến trình dừng, hàng đợi gián đoạn)",
         "reports.tasks.resume_report_runs"),
        ("Gửi lại việc kiểm tra, nhập tệp Excel bị gián đoạn",
         "contributions.tasks.resume_import_jobs"),
    ]:  # fmt: skip
        task_model.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": every_minute}
        )
