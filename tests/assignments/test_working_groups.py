"""The Nam Giang case: a Kết luận of the commune's Party committee assigns working groups
(a leader, a deputy, member units) to residential groups of the commune; members log under
their group; the village is the unit helped, and the commune's report shows it."""

import datetime

import pytest
from django.urls import reverse

from assignments.models import Agency, Assignment, Decision, Role
from contributions import services as contribution_services
from contributions.forms import ActivityForm
from contributions.imports.matching import Catalogue
from reports import figures
from tests import factories as f


@pytest.fixture
def nam_giang(db):
    province = f.ProvinceFactory(name="Tỉnh Quảng Ninh")
    commune = f.CommuneFactory(province=province, name="Xã Nam Giang", short_name="Nam Giang")
    tdp1 = f.VillageFactory(commune=commune, name="Phú Cường", kind="to_dan_pho")
    tdp2 = f.VillageFactory(commune=commune, name="Giang Hải", kind="to_dan_pho")
    secretary = f.UserFactory()
    f.RoleFactory(user=secretary, kind=Role.Kind.SECRETARIAT, province=province)
    officer = f.UserFactory()
    f.RoleFactory(user=officer, kind=Role.Kind.COMMUNE_OFFICER, province=province, commune=commune)
    category = f.CategoryFactory(code="SX", name="Hỗ trợ sản xuất")
    return locals()


def test_a_working_group_helps_villages_and_appears_in_its_report(client, nam_giang):
    s = nam_giang
    client.force_login(s["secretary"])
    # The group, as an agency of kind «Tổ công tác» with its leader and member units.
    response = client.post(reverse("agency_list"), {
        "name": "Tổ công tác số 1", "short_name": "TCT1", "kind": "to_cong_tac",
        "is_active": "on", "leader": "", "deputy": "", "member_units": "",
    })  # fmt: skip
    assert "Tổ công tác cần ghi tổ trưởng" in response.content.decode()
    client.post(reverse("agency_list"), {
        "name": "Tổ công tác số 1", "short_name": "TCT1", "kind": "to_cong_tac",
        "is_active": "on", "leader": "Phạm Văn Hùng, Phó Bí thư Đảng ủy xã",
        "deputy": "Vũ Thị Lan, Chủ tịch Hội Phụ nữ xã",
        "member_units": "Hội Phụ nữ xã\n  Đoàn Thanh niên xã \n\nCông an xã",
    })  # fmt: skip
    group = Agency.objects.get(name="Tổ công tác số 1")
    assert group.is_working_group and group.member_unit_list == [
        "Hội Phụ nữ xã", "Đoàn Thanh niên xã", "Công an xã"
    ]  # fmt: skip
    # The commune's conclusion, a decision of the commune level.
    response = client.post(reverse("decision_create"), {
        "level": "commune", "number": "15-KL/ĐU", "signed_on": "2026-01-20",
        "issuer": "Ban Thường vụ Đảng ủy xã Nam Giang", "issuing_province": "",
        "issuing_commune": s["commune"].pk,
        "title": "Kết luận về phân công tổ công tác giúp tổ dân phố",
        "phase_start": "2026-02-01", "phase_end": "2026-12-31", "required_days_per_quarter": "6",
    })  # fmt: skip
    decision = Decision.objects.get(number="15-KL/ĐU")
    assert decision.level == Decision.Level.COMMUNE and decision.issuing_commune == s["commune"]
    # Its annex: a village is required at the commune level.
    table = (
        "Cơ quan\tXã\tThôn\tVai trò\n"
        "Tổ công tác số 1\tNam Giang\tPhú Cường\tChủ trì\n"
        "TCT1\tNam Giang\t\tChủ trì\n"
    )
    page = client.post(reverse("decision_annex", args=[decision.pk]), {"pasted": table})
    assert "Quyết định cấp xã: ghi thôn, tổ dân phố được giúp." in page.content.decode()
    table = table.replace("TCT1\tNam Giang\t\t", "TCT1\tNam Giang\tGiang Hải\t")
    assert (
        client.post(reverse("decision_annex", args=[decision.pk]), {"pasted": table}).status_code
        == 302
    )
    client.post(reverse("decision_confirm", args=[decision.pk]))
    helped = {a.village.name for a in decision.assignments.select_related("village")}
    assert helped == {"Phú Cường", "Giang Hải"}
    # A member logs under the group; the village follows the assignment.
    member = f.UserFactory()
    f.RoleFactory(user=member, kind=Role.Kind.AGENCY_STAFF, province=s["province"], agency=group)
    assignment = decision.assignments.get(village=s["tdp1"])
    client.force_login(member)
    form = client.get(reverse("activity_create")).content.decode()
    assert "Tổ dân phố Phú Cường (Xã Nam Giang)" in form
    category = s["category"]
    activity_form = ActivityForm(
        data={"assignment": assignment.pk, "start_date": "2026-03-05", "category": category.pk,
              "title": "Hỗ trợ giống lúa cho hộ nghèo", "village": s["tdp2"].pk},
        user=member,
    )  # fmt: skip
    assert not activity_form.is_valid()
    assert "Phân công này giúp Tổ dân phố Phú Cường" in str(activity_form.errors)
    activity = contribution_services.activity_create(
        user=member,
        fields={"assignment": assignment, "start_date": datetime.date(2026, 3, 5),
                "category": category,
                "title": "Hỗ trợ giống lúa cho hộ nghèo", "village": assignment.village},
        contributions=[contribution_services.ContributionData(
            kind="cash", value=12_000_000, source="budget")],
    )  # fmt: skip
    leader = f.UserFactory()  # the group's leader sends it to the commune
    f.RoleFactory(user=leader, kind=Role.Kind.AGENCY_LEADER, province=s["province"], agency=group)
    contribution_services.activity_submit(user=leader, activity=activity)
    contribution_services.activity_confirm(user=s["officer"], activity=activity)
    # The commune's report shows the working group at the village it helps.
    scope = figures.scope_assignments(province=s["province"], commune=s["commune"])
    result = figures.compute(
        scope, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31),
        today=datetime.date(2026, 12, 31),
    )  # fmt: skip
    assert result.total_value == 12_000_000
    rows = {(r["agency"], r["commune"]): r["total"] for r in result.annex}
    assert rows == {("Tổ công tác số 1", "Tổ dân phố Phú Cường, Xã Nam Giang"): 12_000_000}
    assert "Tổ dân phố Phú Cường, Xã Nam Giang" in {r["commune"] for r in result.by_commune}


def test_group_import_picks_the_assignment_by_village(nam_giang):
    s = nam_giang
    group = f.AgencyFactory(province=s["province"], name="Tổ công tác số 2", kind="to_cong_tac")
    decision = f.DecisionFactory(
        province=s["province"], level="commune", issuing_commune=s["commune"]
    )
    for village in (s["tdp1"], s["tdp2"]):
        f.AssignmentFactory(decision=decision, agency=group, commune=s["commune"], village=village)
    member = f.UserFactory()
    f.RoleFactory(user=member, kind=Role.Kind.AGENCY_STAFF, province=s["province"], agency=group)
    catalogue = Catalogue(member)
    first = Assignment.objects.get(village=s["tdp1"])
    assert catalogue.village_assignment(first, s["tdp2"], datetime.date(2026, 3, 1)).entry == (
        Assignment.objects.get(village=s["tdp2"])
    )
    missing = catalogue.village_assignment(first, None, datetime.date(2026, 3, 1))
    assert "Ghi thôn, tổ dân phố được giúp" in missing.problem
