"""Personal data of households: the purpose shown where it is entered, names masked for
roles that do not need them, every view and export logged, the secretariat's export,
correction and erasure on a household's request (the figures kept), and identities removed
after the retention period."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from followup.models import FollowUpCheck, HouseholdSupport, PersonalDataAccess
from followup.services import personal_data as services
from reports import figures
from tests.factories import ActivityFactory, CheckFactory, SupportFactory

pytestmark = pytest.mark.django_db
NAME = "Giàng A Páo"
SEES_NAMES = ["secretariat", "agency_leader_a", "agency_staff_a", "commune_officer"]
SEES_INITIALS = ["leadership", "district_officer"]


@pytest.fixture
def paos(world):
    """Giàng A Páo, helped twice by agency A in one village; a namesake in another village."""
    support = world.support_a = world.check_a.support
    HouseholdSupport.objects.filter(pk=support.pk).update(household=NAME)
    support.refresh_from_db()
    second = SupportFactory(activity=world.confirmed_activity_a, household=NAME)
    CheckFactory(
        support=second, months=6, due_date=datetime.date(2026, 12, 1),
        checked_on=datetime.date(2026, 11, 2), outcome="sold", note="Bán lấy tiền chữa bệnh",
    )  # fmt: skip
    return support, second


def kept_figures(world):
    result = figures.compute(
        figures.scope_assignments(province=world.province),
        datetime.date(2026, 1, 1), datetime.date(2026, 12, 31),
    )  # fmt: skip
    return result.kept_by_agency, result.kept_by_commune, result.kept_by_kind, result.kept_total


def test_the_form_says_why_the_household_is_recorded(client, world, settings):
    settings.PERSONAL_DATA_RETENTION_YEARS = 7
    client.force_login(world.users["agency_staff_a"])
    page = client.get(reverse("support_create", args=[world.activity_a.pk])).content.decode()
    assert "Mục đích ghi thông tin của hộ." in page
    assert "được xóa 7 năm sau lần kiểm tra cuối" in page
    assert "Không ghi dân tộc" in page


@pytest.mark.parametrize("persona", SEES_NAMES + SEES_INITIALS)
def test_names_are_masked_for_roles_that_do_not_need_them(client, world, paos, persona):
    client.force_login(world.users[persona])
    listing = client.get(reverse("follow_up_list")).content.decode()
    check = client.get(reverse("check_record", args=[world.open_check_a.pk]))
    if persona in SEES_NAMES:
        assert NAME in listing
    else:
        assert NAME not in listing and "G. A. P." in listing
        assert check.status_code == 403  # only the agency records a check
    if persona in ("agency_staff_a", "agency_leader_a"):
        assert f"Hộ {NAME}" in check.content.decode()


def test_one_user_with_two_roles_sees_names_only_where_a_role_needs_them(client, world, paos):
    """Leadership of the province and staff of agency B: B's households by name, A's masked."""
    from assignments.models import Role

    staff_b = world.users["agency_staff_b"]
    Role.objects.create(user=staff_b, kind="leadership", province=world.province)
    SupportFactory(activity=world.activity_b, household="Vàng Thị Mai")
    CheckFactory(support=HouseholdSupport.objects.get(household="Vàng Thị Mai"))
    client.force_login(staff_b)
    listing = client.get(reverse("follow_up_list")).content.decode()
    assert "Vàng Thị Mai" in listing
    assert NAME not in listing and "G. A. P." in listing


def test_the_activity_page_counts_households_and_shows_no_names(client, world, paos):
    client.force_login(world.users["leadership"])
    page = client.get(reverse("activity_detail", args=[world.activity_a.pk])).content.decode()
    assert NAME not in page
    assert f"?activity={world.activity_a.pk}" in page
    listing = client.get(reverse("follow_up_list"), {"activity": world.activity_a.pk})
    assert "G. A. P." in listing.content.decode()
    assert (
        client.get(reverse("follow_up_list"), {"activity": world.activity_b.pk}).status_code == 200
    )
    staff_b = client
    staff_b.force_login(world.users["agency_staff_b"])
    # another agency's activity in the filter is outside the scope
    assert (
        staff_b.get(reverse("follow_up_list"), {"activity": world.activity_a.pk}).status_code == 404
    )


def test_every_view_is_logged_with_who_and_which(client, world, paos):
    support, second = paos
    for persona in ("agency_staff_a", "leadership"):
        client.force_login(world.users[persona])
        client.get(reverse("follow_up_list"))
    client.get(reverse("check_photo", args=[world.check_a.pk]))
    staff, leader = (
        PersonalDataAccess.objects.get(user=world.users[p], page__startswith="Danh sách")
        for p in ("agency_staff_a", "leadership")
    )
    assert staff.action == "view" and staff.names_shown
    assert not leader.names_shown  # initials only
    assert {support.pk, second.pk} <= set(staff.supports.values_list("pk", flat=True))
    assert staff.province == world.province
    photo = PersonalDataAccess.objects.get(page="Ảnh kiểm tra hộ sau hỗ trợ")
    assert list(photo.supports.all()) == [support] and photo.user == world.users["leadership"]

    client.force_login(world.users["secretariat"])
    log = client.get(reverse("personal_data_log")).content.decode()
    assert "Danh sách theo dõi hộ sau hỗ trợ" in log and "(chỉ chữ viết tắt)" in log
    filtered = client.get(reverse("personal_data_log"), {"action": "export"}).content.decode()
    assert "Danh sách theo dõi hộ" not in filtered


def test_the_log_is_the_secretariats_of_its_province(client, world, paos):
    client.force_login(world.users["agency_staff_a"])
    client.get(reverse("follow_up_list"))
    client.force_login(world.users["other_province"])
    assert "Danh sách theo dõi" not in client.get(reverse("personal_data_log")).content.decode()
    assert client.get(reverse("household_detail", args=[paos[0].pk])).status_code == 404
    client.force_login(world.users["leadership"])
    assert client.get(reverse("personal_data_log")).status_code == 403


def test_the_follow_up_list_runs_a_bounded_number_of_queries(
    client, world, paos, django_assert_max_num_queries
):
    for n in range(30):
        CheckFactory(support=SupportFactory(activity=world.activity_a, household=f"Hộ {n}"))
    client.force_login(world.users["leadership"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("follow_up_list")).status_code == 200


def test_the_secretariat_finds_a_household_and_sees_what_is_stored(client, world, paos):
    support, second = paos
    SupportFactory(activity=world.activity_a, household="Giàng A Pảo")  # one tone mark apart
    client.force_login(world.users["secretariat"])
    found = client.get(reverse("household_search"), {"q": "a páo"}).content.decode()
    assert NAME in found and "Giàng A Pảo" not in found
    assert reverse("household_detail", args=[support.pk]) in found
    detail = client.get(reverse("household_detail", args=[second.pk])).content.decode()
    assert "Bán lấy tiền chữa bệnh" in detail  # both supports: one household
    assert "con bò cái giống" in detail and world.agency_a.name in detail
    assert client.get(reverse("household_search"), {"q": "a\x00páo"}).status_code == 200


def test_the_export_holds_every_support_and_check_and_is_logged(client, world, paos):
    support, second = paos
    client.force_login(world.users["secretariat"])
    response = client.get(reverse("household_export", args=[support.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
    assert {r[0] for r in rows} == {NAME}
    assert sorted((r[9], r[12]) for r in rows) == [
        (6, "Còn duy trì, phát huy hiệu quả"), (6, "Đã bán"), (12, None),
    ]  # fmt: skip
    assert "Bán lấy tiền chữa bệnh" in [r[13] for r in rows]
    export = PersonalDataAccess.objects.get(action="export")
    assert set(export.supports.all()) == {support, second}
    assert export.user == world.users["secretariat"]


@pytest.mark.parametrize("persona", ["leadership", "agency_staff_a", "commune_officer"])
def test_only_the_secretariat_handles_requests(client, world, paos, persona):
    client.force_login(world.users[persona])
    pk = paos[0].pk
    for name in ("household_search", "household_detail", "household_export", "household_erase"):
        kwargs = {} if name == "household_search" else {"pk": pk}
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
    client.post(reverse("household_erase", args=[pk]), {"note": "Đơn số 1"})
    assert HouseholdSupport.objects.get(pk=pk).household == NAME


def test_a_correction_changes_every_support_of_the_household_and_is_logged(client, world, paos):
    support, second = paos
    village = world.commune.villages.create(name="Bản Phình")
    client.force_login(world.users["secretariat"])
    url = reverse("household_correct", args=[support.pk])
    refused = client.post(url, {"household": "Giàng A Pao", "standing": "near_poor", "note": ""})
    assert "Đơn yêu cầu" in refused.content.decode()
    assert HouseholdSupport.objects.filter(household=NAME).count() == 2
    client.post(url, {"household": " Giàng  A Pao ", "village": village.pk,
                      "standing": "near_poor", "note": "Đơn ngày 02/12/2026"})  # fmt: skip
    rows = HouseholdSupport.objects.filter(pk__in=[support.pk, second.pk])
    assert set(rows.values_list("household", "village", "standing")) == {
        ("Giàng A Pao", village.pk, "near_poor")
    }
    logged = PersonalDataAccess.objects.get(action="correct")
    assert logged.note == "Đơn ngày 02/12/2026" and NAME not in logged.note


def test_a_village_of_another_commune_is_refused(client, world, paos):
    other = world.commune_b.villages.create(name="Bản Khác")
    client.force_login(world.users["secretariat"])
    url = reverse("household_correct", args=[paos[0].pk])
    page = client.post(url, {"household": NAME, "village": other.pk, "standing": "poor",
                             "note": "Đơn"})  # fmt: skip
    assert page.status_code == 200
    assert HouseholdSupport.objects.get(pk=paos[0].pk).village is None


def test_erasure_asks_first_removes_the_identity_and_keeps_the_figures(
    client, world, paos, django_capture_on_commit_callbacks
):
    support, second = paos
    photo = world.check_a.photo.name
    assert default_storage.exists(photo)
    before = kept_figures(world)
    client.force_login(world.users["secretariat"])
    url = reverse("household_erase", args=[support.pk])
    ask = client.get(url).content.decode()
    assert "Không thể hoàn tác" in ask and "1 ảnh" in ask and "cả 2 lượt hỗ trợ" in ask
    assert HouseholdSupport.objects.filter(household=NAME).count() == 2  # asking changes nothing

    with django_capture_on_commit_callbacks(execute=True):  # the photo goes once committed
        response = client.post(url, {"note": "Đơn của hộ ngày 01/12/2026"}, follow=True)
    assert "số liệu được giữ lại" in response.content.decode()
    assert not HouseholdSupport.objects.filter(household=NAME).exists()
    for row in HouseholdSupport.objects.filter(pk__in=[support.pk, second.pk]):
        assert row.household == services.ERASED_NAME and row.erased_at and row.village is None
    checks = FollowUpCheck.objects.filter(support__in=[support, second])
    assert set(checks.values_list("note", "photo")) == {("", "")}
    assert not default_storage.exists(photo)
    assert kept_figures(world) == before
    erase = PersonalDataAccess.objects.get(action="erase")
    assert set(erase.supports.all()) == {support, second} and erase.note.startswith("Đơn")

    again = client.post(url, {"note": "Đơn lần hai"}, follow=True)
    assert "đã được xóa lúc" in again.content.decode()
    assert PersonalDataAccess.objects.filter(action="erase").count() == 1
    assert client.get(reverse("household_export", args=[support.pk])).status_code == 302


def test_identities_go_after_the_retention_period(world, settings, capsys):
    settings.PERSONAL_DATA_RETENTION_YEARS = 2
    old = SupportFactory(activity=ActivityFactory(assignment=world.old_assignment_a,
                         start_date=datetime.date(2023, 3, 1), end_date=datetime.date(2023, 3, 1)),
                         household="Sùng A Dính")  # fmt: skip
    CheckFactory(support=old, months=6, due_date=datetime.date(2023, 9, 1),
                 checked_on=datetime.date(2023, 9, 2), outcome="kept")  # fmt: skip
    CheckFactory(support=old, months=12, due_date=datetime.date(2024, 3, 1),
                 checked_on=datetime.date(2024, 3, 5), outcome="kept")  # fmt: skip
    recent = world.check_a.support
    today = datetime.date(2026, 3, 6)  # the last check, 05/03/2024, is 2 years and a day old

    call_command("expire_personal_data", dry_run=True, today=today)
    assert "1 lượt hỗ trợ có lần kiểm tra cuối trước 06/03/2024" in capsys.readouterr().out
    assert HouseholdSupport.objects.get(pk=old.pk).erased_at is None
    assert services.expire_identities(datetime.date(2026, 3, 5)) == 0  # not a day early

    call_command("expire_personal_data", today=today)
    assert "Đã xóa thông tin cá nhân của 1 lượt hỗ trợ" in capsys.readouterr().out
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.household == services.ERASED_NAME and old.erased_at
    assert recent.erased_at is None  # its open 12-month check is due in 2027
    expired = PersonalDataAccess.objects.get(action="expire")
    assert expired.user is None and list(expired.supports.all()) == [old]
    assert services.expire_identities(today) == 0  # twice changes nothing


def test_the_retention_job_is_on_the_beat_schedule(world):
    """The migration schedules the task nightly; the task it names exists and runs."""
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    from followup.tasks import expire_personal_data

    migration = importlib.import_module("followup.migrations.0007_personal_data")
    migration.schedule(apps, None)  # as migrate ran it (a flushed test database lost it)
    task = PeriodicTask.objects.get(task="followup.tasks.expire_personal_data")
    assert (task.crontab.hour, task.crontab.minute) == ("3", "30")
    assert task.task == expire_personal_data.name
    assert expire_personal_data.apply(args=["2026-12-03"]).get() == 0
