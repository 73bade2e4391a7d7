"""Meeting conclusions as tasks: given by the secretariat, reported done by the party they
are for, overdue ones in red on that party's home page and on the dashboards."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from followup.models import Meeting, Task
from followup.services import meetings as services
from tests.factories import AgencyFactory, TaskFactory

pytestmark = pytest.mark.django_db
MEETING = {"title": "Giao ban quý 3/2026", "held_on": datetime.date(2026, 10, 5),
           "chair": "Phó Chủ tịch UBND tỉnh", "conclusions": "Đẩy nhanh tiến độ."}  # fmt: skip


def test_the_secretariat_records_a_meeting_and_gives_tasks(world):
    secretariat = world.users["secretariat"]
    meeting = services.meeting_create(user=secretariat, fields=dict(MEETING))
    assert meeting.province == world.province
    task = services.task_create(user=secretariat, meeting=meeting, fields={
        "what": "Bàn giao nhà cho 5 hộ", "assignee": "agency", "agency": world.agency_a,
        "commune": world.commune,  # ignored: the kind says agency
        "due_date": datetime.date(2026, 12, 15)})  # fmt: skip
    assert (task.agency, task.commune) == (world.agency_a, None)
    with pytest.raises(PermissionDenied):
        services.meeting_create(user=world.users["leadership"], fields=dict(MEETING))


def test_bad_tasks_are_refused_with_a_clear_message(world):
    secretariat, meeting = world.users["secretariat"], world.meeting
    foreign = AgencyFactory(province=world.other_province)
    cases = [
        ({"assignee": "agency", "agency": foreign}, "không thuộc tỉnh"),
        ({"assignee": "commune"}, "Chọn người"),
        ({"assignee": "agency", "agency": world.agency_a, "due_date": datetime.date(2026, 1, 1)},
         "sau ngày họp"),
        ({"assignee": "person", "person": world.users["other_province"]}, "không tham gia"),
    ]  # fmt: skip
    before = Task.objects.count()
    for extra, message in cases:
        fields = {"what": "x", "due_date": datetime.date(2026, 12, 1), **extra}
        with pytest.raises(ValidationError, match=message):
            services.task_create(user=secretariat, meeting=meeting, fields=fields)
    assert Task.objects.count() == before


def test_the_party_reports_a_task_done_with_evidence(world):
    task = world.task_a
    with pytest.raises(PermissionDenied):  # agency B is not the party
        services.task_done(user=world.users["agency_staff_b"], task=task, evidence="x")
    with pytest.raises(PermissionDenied):  # the commune neither
        services.task_done(user=world.users["commune_officer"], task=task, evidence="x")
    with pytest.raises(ValidationError):
        services.task_done(user=world.users["agency_staff_a"], task=task, evidence="  ")
    services.task_done(user=world.users["agency_staff_a"], task=task, evidence="Đã bàn giao")
    task.refresh_from_db()
    assert (task.status, task.done_by) == ("done", world.users["agency_staff_a"])
    with pytest.raises(PermissionDenied):  # done is done
        services.task_done(user=world.users["secretariat"], task=task, evidence="lại")


def test_commune_tasks_cover_its_villages(world):
    from tests.factories import VillageFactory

    village = VillageFactory(commune=world.commune)
    task = TaskFactory(meeting=world.meeting, assignee="village", village=village)
    assert services.may_report_task(world.users["commune_officer"], task)
    assert not services.may_report_task(world.users["agency_staff_a"], task)


def test_overdue_tasks_show_in_red_on_the_partys_home_and_dashboards(client, world):
    client.force_login(world.users["agency_staff_a"])
    home = client.get(reverse("home")).content.decode()
    assert world.task_a.what in home and 'data-overdue="1"' in home  # due 15/8/2026
    assert 'hoàn thành trước <span class="nowrap">15/8/2026</span>' in home
    assert world.commune_task.what not in home  # the commune's task, not the agency's
    client.force_login(world.users["leadership"])
    overview = client.get(reverse("province_dashboard")).content.decode()
    assert "Nhiệm vụ quá hạn" in overview and world.task_a.what in overview
    client.force_login(world.users["commune_officer"])
    page = client.get(reverse("commune_dashboard", args=[world.commune.pk])).content.decode()
    assert world.commune_task.what in page and world.task_a.what not in page


def test_meeting_pages_are_scoped_and_bounded(client, world, django_assert_max_num_queries):
    for _ in range(10):
        TaskFactory(meeting=world.meeting, agency=world.agency_a)
    client.force_login(world.users["agency_staff_a"])
    # session, user, roles, meeting, its tasks with related rows, the tasks the user may report
    with django_assert_max_num_queries(7):
        page = client.get(reverse("meeting_detail", args=[world.meeting.pk]))
    assert page.status_code == 200 and page.content.decode().count("Báo hoàn thành") >= 11
    assert client.get(reverse("meeting_detail", args=[world.other_meeting.pk])).status_code == 404
    with django_assert_max_num_queries(9):
        assert client.get(reverse("task_list")).status_code == 200
    assert Meeting.objects.visible_to(world.users["agency_staff_a"]).count() == 1
