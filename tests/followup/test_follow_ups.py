"""Household follow-ups: checks due 6 and 12 months after the support, recorded once by the
agency that gave it; the share still kept goes to the dashboards and the report."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followup.models import FollowUpCheck, HouseholdSupport
from followup.services import follow_ups as services
from reports import figures
from tests.factories import PNG_PIXEL, ActivityFactory, CheckFactory, SupportFactory

pytestmark = pytest.mark.django_db
SUPPORT = {"household": "Giàng  A Páo", "standing": "poor", "kind": "animal",
           "given": "1 con bò cái giống"}  # fmt: skip


def test_a_followed_support_gets_checks_due_at_6_and_12_months(world):
    support = services.support_create(
        user=world.users["agency_staff_a"], activity=world.activity_a, fields=dict(SUPPORT)
    )
    assert support.household == "Giàng A Páo"  # spaces tidied
    assert [(c.months, c.due_date) for c in support.checks.order_by("months")] == [
        (6, datetime.date(2026, 9, 2)),
        (12, datetime.date(2027, 3, 2)),
    ]
    with pytest.raises(PermissionDenied):
        services.support_create(
            user=world.users["agency_staff_b"], activity=world.activity_a, fields=dict(SUPPORT)
        )
    with pytest.raises(PermissionDenied):  # the commune sees it but does not record it
        services.support_create(
            user=world.users["commune_officer"], activity=world.activity_a, fields=dict(SUPPORT)
        )


def test_recording_a_check_refuses_bad_dates_and_a_second_time(world):
    staff, check = world.users["agency_staff_a"], world.open_check_a
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError, match="tương lai"):
        services.check_record(user=staff, check=check,
                              fields={"checked_on": tomorrow, "outcome": "kept"})  # fmt: skip
    with pytest.raises(ValidationError, match="sau ngày hỗ trợ"):
        services.check_record(user=staff, check=check, fields={
            "checked_on": datetime.date(2026, 1, 1), "outcome": "kept"})  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.check_record(user=world.users["agency_staff_b"], check=check, fields={
            "checked_on": datetime.date(2026, 10, 1), "outcome": "sold"})  # fmt: skip
    lost = {"checked_on": datetime.date(2026, 10, 1), "outcome": "lost", "note": "Bò ốm chết"}
    services.check_record(user=staff, check=check, fields=lost)
    with pytest.raises(ValidationError, match="đã được ghi"):
        services.check_record(user=staff, check=check, fields={
            "checked_on": datetime.date(2026, 10, 2), "outcome": "kept"})  # fmt: skip
    check.refresh_from_db()
    assert (check.outcome, check.checked_by) == ("lost", staff)


def test_the_record_form_takes_a_photo_and_refuses_a_non_image(client, world):
    client.force_login(world.users["agency_staff_a"])
    url = reverse("check_record", args=[world.open_check_a.pk])
    fake = SimpleUploadedFile("anh.jpg", b"MZ not an image", content_type="image/jpeg")
    page = client.post(url, {"checked_on": "2026-10-01", "outcome": "kept", "photo": fake})
    assert "không phải ảnh" in page.content.decode()
    assert FollowUpCheck.objects.get(pk=world.open_check_a.pk).outcome == ""
    photo = SimpleUploadedFile("bo.png", PNG_PIXEL, content_type="image/png")
    response = client.post(url, {"checked_on": "2026-10-01", "outcome": "kept", "photo": photo})
    assert response.status_code == 302
    check = FollowUpCheck.objects.get(pk=world.open_check_a.pk)
    assert check.outcome == "kept" and check.photo
    assert client.get(reverse("check_photo", args=[check.pk])).status_code == 200


def test_kept_shares_per_agency_and_kind_equal_sql_counts(client, world):
    other = SupportFactory(activity=ActivityFactory(assignment=world.assignment_a),
                           kind=HouseholdSupport.Kind.HOUSE)  # fmt: skip
    CheckFactory(support=other, months=6, checked_on=datetime.date(2026, 9, 20), outcome="sold")
    CheckFactory(support=other, months=12, checked_on=datetime.date(2026, 11, 1), outcome="kept")
    result = figures.compute(
        figures.scope_assignments(province=world.province),
        datetime.date(2026, 1, 1), datetime.date(2026, 12, 31),
    )  # fmt: skip
    recorded = FollowUpCheck.objects.exclude(outcome="").filter(
        support__activity__assignment__agency=world.agency_a
    )
    [agency] = [r for r in result.kept_by_agency if r["name"] == world.agency_a.name]
    assert agency["recorded_6"] == recorded.filter(months=6).count() == 2
    assert agency["kept_6"] == recorded.filter(months=6, outcome="kept").count() == 1
    assert (agency["recorded_12"], agency["kept_12"]) == (1, 1)
    kinds = {r["name"]: r for r in result.kept_by_kind}
    assert kinds["Con giống"]["kept_6"] == 1 and kinds["Nhà ở"]["kept_6"] == 0

    client.force_login(world.users["agency_leader_a"])
    period = {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}
    page = client.get(reverse("agency_dashboard", args=[world.agency_a.pk]), period)
    assert 'data-kept="1/2"' in page.content.decode()


def test_follow_up_list_is_scoped_and_bounded(client, world, django_assert_max_num_queries):
    for _ in range(12):
        CheckFactory(support=SupportFactory(activity=world.activity_a))
    CheckFactory(support=SupportFactory(activity=world.activity_b, household="Hộ của B"))
    client.force_login(world.users["commune_officer"])
    # session, user, roles, the visible assignments, count, page of checks with their support,
    # and the view logged (the log row and its households)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("follow_up_list")).content.decode()
    assert "Lò Văn Hộ" in page and "Hộ của B" not in page


def test_follow_up_dates_can_be_set_and_must_make_sense(world):
    staff, activity = world.users["agency_staff_a"], world.activity_a  # given 2 March 2026
    support = services.support_create(user=staff, activity=activity, fields={
        **SUPPORT, "first_due": datetime.date(2026, 6, 1), "second_due": None})  # fmt: skip
    assert [c.due_date for c in support.checks.order_by("months")] == [
        datetime.date(2026, 6, 1), datetime.date(2027, 3, 2)]  # fmt: skip
    with pytest.raises(ValidationError, match="sau ngày hỗ trợ"):
        services.support_create(user=staff, activity=activity, fields={
            **SUPPORT, "first_due": datetime.date(2026, 1, 1)})  # fmt: skip
