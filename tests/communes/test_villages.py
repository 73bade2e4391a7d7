"""A commune officer manages the villages of their commune (and of the communes it absorbed):
add, rename, close, merge; closed villages leave choice lists but stay on old records."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment, Role
from communes.models import CommuneSuccession, Village
from contributions.forms import ActivityForm
from followup.models import CommuneNeed, Task
from tests import factories as f


@pytest.fixture
def place(db):
    """Commune C (current) absorbed the pre-reform commune L; D is another commune."""
    province = f.ProvinceFactory()
    district = f.DistrictFactory(province=f.LegacyProvinceFactory(successor=province))
    legacy = f.LegacyCommuneFactory(district=district, name="Xã Nậm Cũ")
    commune = f.CommuneFactory(province=province, name="Xã Nậm Mới")
    CommuneSuccession.objects.create(predecessor=legacy, successor=commune)
    other = f.CommuneFactory(province=province, name="Xã Khác")
    decision = f.DecisionFactory(province=province, status="in_force")
    agency = f.AgencyFactory(province=province)

    def person(kind, **scope):
        return f.RoleFactory(kind=kind, province=province, **scope).user

    return {
        "province": province, "commune": commune, "legacy": legacy, "other": other,
        "decision": decision, "agency": agency,
        "officer": person(Role.Kind.COMMUNE_OFFICER, commune=commune),
        "other_officer": person(Role.Kind.COMMUNE_OFFICER, commune=other),
        "secretariat": person(Role.Kind.SECRETARIAT),
        "staff": person(Role.Kind.AGENCY_STAFF, agency=agency),
    }  # fmt: skip


def _login(client, user):
    client.force_login(user)
    return client


def test_officer_sees_own_and_absorbed_villages(client, place):
    f.VillageFactory(commune=place["commune"], name="Phăng")
    f.VillageFactory(commune=place["legacy"], name="Co Mận")
    page = _login(client, place["officer"]).get(
        reverse("commune_villages", args=[place["commune"].pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bản Phăng" in html
    assert "Bản Co Mận" in html and "Xã Nậm Cũ" in html  # marked with its former commune
    # Their data home goes straight to their commune.
    home = client.get(reverse("commune_data"))
    assert home.status_code == 302
    assert home["Location"] == reverse("commune_villages", args=[place["commune"].pk])


def test_scope_other_officer_404_agency_staff_403(client, place):
    url = reverse("commune_villages", args=[place["commune"].pk])
    village = f.VillageFactory(commune=place["commune"])
    assert _login(client, place["other_officer"]).get(url).status_code == 404
    assert client.get(reverse("village_edit", args=[village.pk])).status_code == 404
    post = client.post(reverse("village_close", args=[village.pk]), {"closed_on": "2026-01-01"})
    assert post.status_code == 404
    assert _login(client, place["staff"]).get(url).status_code == 403
    assert _login(client, place["secretariat"]).get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    assert Village.objects.get(pk=village.pk).closed_on is None


def test_add_village_cleans_name_and_refuses_a_twin(client, place):
    url = reverse("commune_villages", args=[place["commune"].pk])
    _login(client, place["officer"])
    response = client.post(url, {"kind": "ban", "name": "  Bản   Nậm  Chua "})
    assert response.status_code == 302
    village = Village.objects.get(commune=place["commune"])
    assert village.name == "Nậm Chua"
    assert village.history.get().history_change_reason == "Thêm thôn, bản"
    again = client.post(url, {"kind": "thon", "name": "nậm chua"})
    assert again.status_code == 200
    assert "đã có Bản Nậm Chua" in again.content.decode()
    # A different tone mark is a different village.
    assert client.post(url, {"kind": "ban", "name": "Nậm Chùa"}).status_code == 302
    assert Village.objects.filter(commune=place["commune"]).count() == 2


def test_rename_keeps_the_former_name(client, place):
    village = f.VillageFactory(commune=place["commune"], name="Huổi Lếch")
    url = reverse("village_edit", args=[village.pk])
    _login(client, place["officer"])
    assert client.post(url, {"kind": "ban", "name": "Huổi Lếch 1"}).status_code == 302
    village.refresh_from_db()
    assert village.name == "Huổi Lếch 1"
    assert (
        "Đổi tên: Bản Huổi Lếch → Bản Huổi Lếch 1" in village.history.first().history_change_reason
    )
    page = client.get(url).content.decode()
    assert "data-former-names" in page and "Huổi Lếch" in page


def test_close_takes_the_village_out_of_choices_but_not_off_old_records(client, place):
    commune = place["commune"]
    assignment = f.AssignmentFactory(
        decision=place["decision"], agency=place["agency"], commune=commune
    )
    closing = f.VillageFactory(commune=commune, name="Sái Lương")
    staying = f.VillageFactory(commune=commune, name="Púng")
    activity = f.ActivityFactory(assignment=assignment, village=closing)
    page = _login(client, place["officer"]).get(reverse("village_close", args=[closing.pk]))
    assert "1 hoạt động" in page.content.decode()  # the confirmation says what stays
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    refused = client.post(reverse("village_close", args=[closing.pk]), {"closed_on": tomorrow})
    assert "không được sau hôm nay" in refused.content.decode()
    today = timezone.localdate()
    assert (
        client.post(reverse("village_close", args=[closing.pk]), {"closed_on": today}).status_code
        == 302
    )
    closing.refresh_from_db()
    assert closing.closed_on == today

    staff = place["staff"]
    new_form = ActivityForm(user=staff)
    assert set(new_form.fields["village"].queryset) == {staying}
    old_form = ActivityForm(user=staff, instance=activity)
    assert closing in old_form.fields["village"].queryset
    data = {
        "assignment": assignment.pk, "start_date": activity.start_date, "category":
        activity.category_id, "title": activity.title, "village": closing.pk,
        "beneficiaries_count": 0, "version": activity.version,
    }  # fmt: skip
    bound = ActivityForm(data, user=staff, instance=activity)
    assert "village" not in bound.errors, bound.errors
    fresh = ActivityForm({**data, "version": ""}, user=staff)
    assert "village" in fresh.errors


def test_merge_moves_every_record_and_closes_the_village(client, place):
    commune = place["commune"]
    source = f.VillageFactory(commune=place["legacy"], name="Nậm Chua")
    target = f.VillageFactory(commune=commune, name="Nậm Chua 2")
    assignment = f.AssignmentFactory(
        decision=place["decision"], agency=place["agency"], commune=commune
    )
    activity = f.ActivityFactory(assignment=assignment, village=source)
    need = f.NeedFactory(commune=commune, village=source)
    task = f.TaskFactory(
        meeting=f.MeetingFactory(province=place["province"]), assignee="village", village=source
    )
    support = f.SupportFactory(activity=activity, village=source)
    url = reverse("village_merge", args=[source.pk])
    page = _login(client, place["officer"]).get(url).content.decode()
    assert "data-merge-effects" in page and "1 hoạt động" in page  # asked before merging
    assert Village.objects.get(pk=source.pk).closed_on is None
    response = client.post(url, {"target": target.pk})
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.closed_on == timezone.localdate() and source.merged_into == target
    assert "Sáp nhập vào Bản Nậm Chua 2" in source.history.first().history_change_reason
    assert "Nhận Bản Nậm Chua" in target.history.first().history_change_reason
    activity.refresh_from_db()
    assert activity.village == target
    assert CommuneNeed.objects.get(pk=need.pk).village == target
    assert Task.objects.get(pk=task.pk).village == target
    support.refresh_from_db()
    assert support.village == target
    # A merged village offers nothing more to do.
    assert client.post(url, {"target": target.pk}).status_code == 200


def test_merge_refused_when_an_agency_would_help_the_village_twice(client, place):
    commune = place["commune"]
    a = f.VillageFactory(commune=commune, name="Pá Khoang")
    b = f.VillageFactory(commune=commune, name="Pá Khoang 2")
    for village in (a, b):
        f.AssignmentFactory(
            decision=place["decision"], agency=place["agency"], commune=commune, village=village
        )
    response = _login(client, place["officer"]).post(
        reverse("village_merge", args=[a.pk]), {"target": b.pk}
    )
    assert response.status_code == 200
    assert "trước khi sáp nhập" in response.content.decode()
    a.refresh_from_db()
    assert a.closed_on is None and a.merged_into is None
    assert Assignment.objects.filter(village=a).count() == 1


def test_merge_target_must_be_in_scope(client, place):
    source = f.VillageFactory(commune=place["commune"])
    elsewhere = f.VillageFactory(commune=place["other"])
    closed = f.VillageFactory(commune=place["commune"], closed_on=datetime.date(2026, 1, 1))
    f.VillageFactory(commune=place["commune"])  # a village it could go to
    _login(client, place["officer"])
    for target in (elsewhere, closed):
        response = client.post(reverse("village_merge", args=[source.pk]), {"target": target.pk})
        assert response.status_code == 200
        assert "Chọn một thôn, bản trong danh sách" in response.content.decode()
    assert Village.objects.get(pk=source.pk).merged_into is None
