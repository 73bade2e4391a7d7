"""seed_demo: a realistic Điện Biên, deterministic for a day and idempotent."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum

from assignments.models import Agency, Assignment, Decision, Role
from contributions.models import Activity, Category, Contribution, FieldVisit, Item
from core.periods import quarter_bounds

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)


def totals():
    return (
        Agency.objects.count(),
        Assignment.objects.count(),
        Activity.objects.count(),
        Contribution.objects.count(),
        FieldVisit.objects.count(),
        Contribution.objects.aggregate(s=Sum("value"))["s"],
    )


@pytest.fixture
def demo(admin_units):
    call_command("seed_demo", today=TODAY, verbosity=0)


def test_the_demo_is_realistic(demo):
    agencies, assignments, activities, contributions, visits, _ = totals()
    assert 75 <= agencies <= 85
    old = Decision.objects.get(number="1025/QĐ-UBND")
    assert old.status == "replaced"
    assert 90 <= old.assignments.values("commune").distinct().count() <= 100
    new = Decision.objects.get(number="1580/QĐ-UBND", status="in_force")
    assert (
        new.assignments.filter(commune__valid_from=datetime.date(2025, 7, 1)).count()
        == new.assignments.count()
    )
    assert 2_000 <= activities <= 6_000
    assert contributions > 10_000
    assert not Category.objects.exclude(activities__isnull=False).exists()
    assert not Item.objects.exclude(contributions__isnull=False).exists()
    assert set(Activity.objects.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "confirmed",
        "returned",
    }
    assert set(Contribution.objects.values_list("source", flat=True)) == {
        "budget",
        "staff",
        "mobilised",
    }
    assert Activity.objects.filter(is_notable=True, title__contains="nước sinh hoạt").exists()
    assert (
        Activity.objects.filter(is_lasting=True).exists()
        and Activity.objects.filter(is_lasting=False).exists()
    )
    kinds = set(Role.objects.values_list("kind", flat=True))
    assert kinds == {k for k, _ in Role.Kind.choices}


def test_some_agencies_fall_short_of_fifteen_days(demo):
    start, end = quarter_bounds(2026, 3)
    days = (
        FieldVisit.objects.filter(start_date__range=(start, end))
        .values("assignment")
        .annotate(d=Sum("days_on_site"))
    )
    short = [row for row in days if row["d"] < 15]
    assert 0 < len(short) < len(days) / 3


def test_every_activity_lies_in_its_assignment(demo):
    outside = Activity.objects.filter(
        Q(start_date__lt=F("assignment__valid_from")) | Q(start_date__gt=F("assignment__valid_to"))
    )
    assert not outside.exists()
    assert not Activity.objects.filter(start_date__gt=TODAY).exists()


def test_second_run_changes_nothing_and_reset_is_deterministic(demo):
    first = totals()
    call_command("seed_demo", today=TODAY, verbosity=0)
    assert totals() == first
    call_command("seed_demo", today=TODAY, reset=True, verbosity=0)
    assert totals() == first
    assert Activity.objects.values("assignment__commune").annotate(n=Count("pk")).count() > 40


def test_the_demo_secretariat_logs_in_with_a_printed_code(admin_units, capsys):
    from django.test import Client
    from django.urls import reverse

    from demo.builder import DEMO_CODES, PASSWORD

    call_command("seed_demo", today=TODAY)
    out = capsys.readouterr().out
    assert f"mã xác thực: {DEMO_CODES[0]} … {DEMO_CODES[-1]}" in out
    login = {"username": "thuongtruc", "password": PASSWORD}

    client = Client()
    client.post(reverse("login"), login)
    assert "_auth_user_id" not in client.session  # the password alone is refused
    client.post(reverse("login"), {**login, "otp_token": DEMO_CODES[0]})
    assert client.get(reverse("user_list")).status_code == 200
    refused = Client()
    refused.post(reverse("login"), {**login, "otp_token": DEMO_CODES[0]})  # spent
    assert "_auth_user_id" not in refused.session

    call_command("seed_demo", today=TODAY, verbosity=0)  # a new run issues them again
    again = Client()
    again.post(reverse("login"), {**login, "otp_token": DEMO_CODES[0]})
    assert again.get(reverse("user_list")).status_code == 200
