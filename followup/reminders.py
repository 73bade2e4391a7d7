"""The morning digest: what waits for each person, in the app and by email, once a day.

`send_digests(day)` is the Celery beat job. For each person with a role it gathers the items
(`digest_items`), claims the person's (user, day) digest row in a transaction, stores the
items as notifications, commits, and only then emails them. Two workers, or a retry after a
crash, meet the unique row and skip the person: a reminder goes out at most once a day (a
crash between the commit and the email loses that day's email, never doubles it).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment, User
from assignments.scoping import AGENCY_ROLES, REVIEWERS, RoleKind, agency_ids, user_roles
from contributions import rollup
from contributions.models import Activity, ReviewStatus
from core.periods import quarter_bounds, quarter_of

from .models import (
    CommuneNeed,
    Digest,
    FollowUpCheck,
    Notification,
    ReminderSettings,
    Task,
)

NEEDS_UNANSWERED_DAYS = 30
TASKS_AHEAD_DAYS = 7


@dataclass(frozen=True)
class Item:
    kind: str  # the ReminderSettings field that turns it off
    text: str
    url: str


def digest_items(user, today: datetime.date) -> list[Item]:
    """What waits for `user` today, by the roles they hold and the reminders they keep."""
    roles = user_roles(user)
    if not roles:
        return []
    wanted = ReminderSettings.objects.filter(user=user).first() or ReminderSettings()
    kinds = {r.kind for r in roles}
    items: list[Item] = []
    if wanted.confirm:
        items += _records(user, kinds)
    if wanted.tasks:
        items += _tasks(user, today)
    if wanted.follow_ups and kinds & AGENCY_ROLES:
        items += _follow_ups(user, today)
    if wanted.needs and kinds & AGENCY_ROLES:
        items += _needs(user, today)
    if wanted.days_on_site and RoleKind.AGENCY_LEADER in kinds:
        items += _days_on_site(user, today)
    return items


def _records(user, kinds) -> list[Item]:
    items = []
    if kinds & REVIEWERS:
        waiting = (
            Activity.objects.visible_to(user, kinds=REVIEWERS)
            .filter(status=ReviewStatus.SUBMITTED)
            .count()
        )
        if waiting:
            url = reverse("activity_list") + "?status=submitted"
            items.append(Item("confirm", f"{waiting} hoạt động đang chờ xã xác nhận.", url))
    if kinds & AGENCY_ROLES:
        returned = (
            Activity.objects.visible_to(user, kinds=AGENCY_ROLES)
            .filter(status=ReviewStatus.RETURNED)
            .count()
        )
        if returned:
            url = reverse("activity_list") + "?status=returned"
            items.append(
                Item("confirm", f"{returned} hoạt động bị xã trả lại, cần sửa và gửi lại.", url)
            )
    return items


def _tasks(user, today) -> list[Item]:
    tasks = (
        Task.objects.visible_to(user)
        .responsible(user)
        .filter(status=Task.Status.OPEN, due_date__lte=today + datetime.timedelta(TASKS_AHEAD_DAYS))
        .select_related("meeting")
        .order_by("due_date")
    )
    return [
        Item(
            "tasks",
            f"{'QUÁ HẠN – ' if t.due_date < today else ''}Nhiệm vụ «{t.what[:120]}» "
            f"hoàn thành trước {t.due_date.day}/{t.due_date.month}/{t.due_date.year}.",
            reverse("meeting_detail", args=[t.meeting_id]),
        )
        for t in tasks
    ]


def _follow_ups(user, today) -> list[Item]:
    due = (
        FollowUpCheck.objects.filter(
            support__activity__in=Activity.objects.visible_to(user, kinds=AGENCY_ROLES)
        )
        .due(today)
        .count()
    )
    if not due:
        return []
    return [
        Item("follow_ups", f"{due} hộ đã đến hạn theo dõi sau hỗ trợ.", reverse("follow_up_list"))
    ]


def _needs(user, today) -> list[Item]:
    agencies = agency_ids(user)
    cutoff = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(NEEDS_UNANSWERED_DAYS), datetime.time()
        )
    )
    communes = Assignment.objects.filter(agency__in=agencies).adopted()
    unanswered = (
        CommuneNeed.objects.filter(commune__in=communes.values("commune"), raised_at__lt=cutoff)
        .filter(met_at=None)
        .exclude(responses__agency__in=agencies)
        .count()
    )
    if not unanswered:
        return []
    return [
        Item(
            "needs",
            f"{unanswered} nhu cầu của xã chưa được cơ quan trả lời "
            f"quá {NEEDS_UNANSWERED_DAYS} ngày.",
            reverse("need_list"),
        )
    ]


def _days_on_site(user, today) -> list[Item]:
    """For agency leaders: assignments below the quarter's days on site, with days left."""
    agencies = agency_ids(user, kinds={RoleKind.AGENCY_LEADER})
    q_start, q_end = quarter_bounds(today.year, quarter_of(today))
    assignments = list(
        Assignment.objects.filter(agency__in=agencies)
        .active_on(today)
        .select_related("commune", "decision")
        .order_by("commune__name")
    )
    days = {
        r["assignment"]: r["days"]
        for r in rollup.read("visit", [a.pk for a in assignments], q_start, today,
                             by=("assignment",))
    }  # fmt: skip
    left = (q_end - today).days + 1
    return [
        Item(
            "days_on_site",
            f"{a.commune.name}: cán bộ mới về xã {days.get(a.pk, 0)}/"
            f"{a.decision.required_days_per_quarter} ngày của quý {quarter_of(today)}; "
            f"còn {left} ngày đến hết quý.",
            reverse("field_visit_create"),
        )
        for a in assignments
        if days.get(a.pk, 0) < a.decision.required_days_per_quarter
    ]


def send_digest(user, day: datetime.date, *, email: bool = True) -> bool:
    """Claim today's digest for `user`, store its items, then email them. False if there was
    nothing to send or another worker already sent it."""
    items = digest_items(user, day)
    if not items:
        return False
    try:
        with transaction.atomic():
            digest = Digest.objects.create(user=user, day=day)
            Notification.objects.bulk_create(
                Notification(user=user, digest=digest, kind=i.kind, text=i.text, url=i.url)
                for i in items
            )
    except IntegrityError:
        return False  # claimed by another worker or an earlier run
    wanted = ReminderSettings.objects.filter(user=user).first() or ReminderSettings()
    if email and wanted.by_email and user.email:
        _email(user, digest, items)
    return True


def _email(user, digest: Digest, items: list[Item]) -> None:
    base = settings.SITE_URL.rstrip("/")
    lines = "\n".join(f"- {i.text} {base}{i.url}" for i in items)
    body = (
        f"Kính gửi {user.get_full_name() or user.username},\n\n"
        f"Các việc đang chờ anh/chị ngày {digest.day:%d/%m/%Y}:\n\n{lines}\n\n"
        "Có thể tắt từng loại nhắc việc tại mục Thông báo trong hệ thống.\n"
        "Văn phòng thường trực chương trình."
    )
    try:
        send_mail(f"[Giúp xã] Việc cần làm ngày {digest.day:%d/%m/%Y}", body, None, [user.email])
    except Exception as error:  # noqa: BLE001 - recorded, never retried: at most once
        Digest.objects.filter(pk=digest.pk).update(email_error=str(error)[:300])
    else:
        Digest.objects.filter(pk=digest.pk).update(emailed_at=timezone.now())


def send_digests(day: datetime.date, *, email: bool = True, people=None) -> int:
    """Every active person with a role (or these people): their digest for `day`. Returns
    how many were sent."""
    if people is None:
        people = User.objects.filter(is_active=True, roles__isnull=False).distinct()
    return sum(send_digest(user, day, email=email) for user in people.order_by("pk"))
