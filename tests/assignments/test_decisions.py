"""Decisions in the app: the secretariat creates a draft (pre-reform provinces for decisions
signed before 1 July 2025), fills its annex from Excel or a pasted Word table (every problem
listed, all or nothing), adopts it, supersedes it, and adds, ends or moves assignments, each
in the history and the audit log."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from assignments import annex_import, history
from assignments.models import Agency, Assignment, Decision, Role
from communes.models import LAST_PRE_REFORM_DAY, REFORM_DATE
from tests import factories as f


@pytest.fixture
def province_setup(db):
    province = f.ProvinceFactory(name="Tỉnh Lào Cai")
    old_a = f.LegacyProvinceFactory(name="Tỉnh Lào Cai", successor=province)
    old_b = f.LegacyProvinceFactory(name="Tỉnh Yên Bái", successor=province)
    secretary = f.UserFactory()
    f.RoleFactory(user=secretary, kind=Role.Kind.SECRETARIAT, province=province)
    sở_nn = f.AgencyFactory(
        province=province, name="Sở Nông nghiệp và Môi trường", short_name="SNNMT"
    )
    sở_tc = f.AgencyFactory(province=province, name="Sở Tài chính", short_name="STC")
    bank = f.AgencyFactory(
        province=province, name="Ngân hàng Chính sách xã hội tỉnh", short_name="NHCSXH",
        kind=Agency.Kind.COMPANY,
    )  # fmt: skip
    # Two communes whose names differ by one tone mark are two communes.
    chay = f.CommuneFactory(
        province=province, name="Xã Nậm Chày", short_name="Nậm Chày", code="09901"
    )
    chay2 = f.CommuneFactory(
        province=province, name="Xã Nậm Chảy", short_name="Nậm Chảy", code="09902"
    )
    ban_xeo = f.CommuneFactory(
        province=province, name="Xã Bản Xèo", short_name="Bản Xèo", code="09903"
    )
    old_commune = f.LegacyCommuneFactory(
        name="Xã Cốc Lầu", short_name="Cốc Lầu", district=f.DistrictFactory(province=old_a)
    )
    return {
        "province": province, "old_a": old_a, "old_b": old_b, "secretary": secretary,
        "sở_nn": sở_nn, "sở_tc": sở_tc, "bank": bank, "chay": chay, "chay2": chay2,
        "ban_xeo": ban_xeo, "old_commune": old_commune,
    }  # fmt: skip


def _decision_data(**overrides):
    data = {
        "level": "province", "number": "1234/QĐ-UBND", "signed_on": "2026-02-10",
        "issuer": "UBND tỉnh", "issuing_province": "", "issuing_commune": "",
        "title": "Phân công các cơ quan giúp đỡ các xã giai đoạn 2026–2030",
        "phase_start": "2026-03-01", "phase_end": "2030-12-31",
        "required_days_per_quarter": "15",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_secretariat_creates_a_draft_decision(client, province_setup):
    client.force_login(province_setup["secretary"])
    response = client.post(reverse("decision_create"), _decision_data())
    decision = Decision.objects.get(number="1234/QĐ-UBND")
    assert response.status_code == 302
    assert decision.status == Decision.Status.DRAFT
    assert decision.province == province_setup["province"]
    assert decision.issuing_province == province_setup["province"]
    page = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert "Nhập phụ lục" in page and "Dự thảo" in page
    # A draft counts nowhere: no agency may log against it.
    assert not Assignment.objects.adopted().filter(decision=decision).exists()


def test_a_pre_reform_decision_names_the_former_province(client, province_setup):
    client.force_login(province_setup["secretary"])
    data = _decision_data(number="708/QĐ-UBND", signed_on="2022-04-15",
                          phase_start="2022-01-01", phase_end="2025-12-31")  # fmt: skip
    response = client.post(reverse("decision_create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "trước 01/7/2025: chọn tỉnh ban hành theo địa giới cũ" in page
    assert "Tỉnh Lào Cai hoặc Tỉnh Yên Bái" in page
    assert not Decision.objects.filter(number="708/QĐ-UBND").exists()
    data["issuing_province"] = province_setup["old_a"].pk
    assert client.post(reverse("decision_create"), data).status_code == 302
    decision = Decision.objects.get(number="708/QĐ-UBND")
    assert decision.issuing_province == province_setup["old_a"]
    assert decision.province == province_setup["province"]  # scoping stays on today's
    # Its annex takes the former province's communes, not today's.
    reading = annex_import.read(decision, pasted="Sở Tài chính\tCốc Lầu\nSở Tài chính\tBản Xèo")
    assert [p.row for p in reading.problems] == [2]
    assert "không có trong danh mục" in reading.problems[0].message
    assert reading.rows[0].commune == province_setup["old_commune"]


def test_a_number_used_twice_is_refused_in_vietnamese(client, province_setup):
    f.DecisionFactory(province=province_setup["province"], number="1234/QĐ-UBND")
    client.force_login(province_setup["secretary"])
    response = client.post(reverse("decision_create"), _decision_data())
    assert response.status_code == 200
    assert "Tỉnh đã có quyết định mang số hiệu này." in response.content.decode()


def test_a_former_province_after_the_reform_is_refused(client, province_setup):
    client.force_login(province_setup["secretary"])
    response = client.post(
        reverse("decision_create"),
        _decision_data(issuing_province=province_setup["old_b"].pk),
    )
    assert "chỉ tồn tại đến 30/06/2025" in response.content.decode()
    assert not Decision.objects.exists()


def _draft(setup, **kw):
    return f.DecisionFactory(
        province=setup["province"], issuing_province=setup["province"],
        status=Decision.Status.DRAFT, number="1234/QĐ-UBND", signed_on=datetime.date(2026, 2, 10),
        phase_start=datetime.date(2026, 3, 1), phase_end=datetime.date(2030, 12, 31), **kw,
    )  # fmt: skip


WORD_TABLE = (
    "STT\tCơ quan, đơn vị\tXã\tVai trò\tDoanh nghiệp\n"
    "1\tSở Nông nghiệp và Môi trường\tNậm Chày\tChủ trì\tNHCSXH\n"
    "2\tSTC\t09902\tPhối hợp\t\n"
    "3\tSở Tài chinh\tBan Xeo\tChủ trì\t\n"  # accent-blind: one agency, one commune
    "4\tSở Xây dựng\tNam Chay\tChủ trì\t\n"  # unknown agency; two communes match
)


def test_pasted_word_table_lists_every_problem_and_adds_nothing(client, province_setup):
    decision = _draft(province_setup)
    client.force_login(province_setup["secretary"])
    response = client.post(reverse("decision_annex", args=[decision.pk]), {"pasted": WORD_TABLE})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Phụ lục có 2 lỗi (3 dòng đọc được): chưa thêm phân công nào." in page
    assert "Cơ quan «Sở Xây dựng» không có trong danh mục." in page
    assert "«Nam Chay» khớp nhiều xã" in page and "Nậm Chày (mã 09901)" in page
    assert not decision.assignments.exists()
    # The row fixed, everything is added in one go, each in the audit log.
    fixed = WORD_TABLE.replace(
        "4\tSở Xây dựng\tNam Chay", "4\tSở Nông nghiệp và Môi trường\tNậm Chảy"
    )
    response = client.post(reverse("decision_annex", args=[decision.pk]), {"pasted": fixed})
    assert response.status_code == 302
    rows = {
        (a.agency.short_name, a.commune.code, a.role, a.paired_company_id)
        for a in decision.assignments.select_related("agency", "commune")
    }
    bank = province_setup["bank"].pk
    assert rows == {
        ("SNNMT", "09901", "lead", bank), ("STC", "09902", "support", None),
        ("STC", "09903", "lead", None), ("SNNMT", "09902", "lead", None),
    }  # fmt: skip
    audit = history.audit_entries(list(history.audit_rows(
        province_ids=[province_setup["province"].pk], kinds=["assignment"]
    )))  # fmt: skip
    assert len(audit) == 4
    assert {e.reason for e in audit} == {"Nhập phụ lục"}
    assert {e.who for e in audit} == {str(province_setup["secretary"])}


def test_excel_annex_matches_by_code_and_refuses_duplicates(client, province_setup):
    decision = _draft(province_setup)
    f.AssignmentFactory(
        decision=decision, agency=province_setup["sở_tc"], commune=province_setup["chay"]
    )
    book = Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    sheet.append([c.title for c in annex_import.COLUMNS.values()])
    sheet.append(["Sở Nông nghiệp và Môi trường (SNNMT)", "Nậm Chảy (mã 09902)", None, "Phối hợp"])
    sheet.append(["Sở Tài chính", 9901, None, None])  # the code, as Excel keeps a number
    sheet.append(["SNNMT", "09902", None, None])  # the same pair as row 2
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "phu-luc.xlsx"
    client.force_login(province_setup["secretary"])
    page = client.post(
        reverse("decision_annex", args=[decision.pk]), {"file": buffer}
    ).content.decode()
    assert "Quyết định đã có phân công Sở Tài chính giúp Xã Nậm Chày." in page
    assert "Trùng với dòng 2." in page
    assert decision.assignments.count() == 1


def test_annex_template_opens_and_lists_the_communes(client, province_setup):
    from openpyxl import load_workbook

    decision = _draft(province_setup)
    client.force_login(province_setup["secretary"])
    response = client.get(reverse("decision_annex_template", args=[decision.pk]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Phụ lục", "Danh mục"]
    communes = [row[1] for row in book["Danh mục"].iter_rows(min_row=2, values_only=True) if row[1]]
    assert "Nậm Chày (mã 09901)" in communes and "Nậm Chảy (mã 09902)" in communes


def test_garbage_file_is_refused_and_nothing_added(client, province_setup):
    decision = _draft(province_setup)
    fake = io.BytesIO(b"STT,Co quan\n1,So Tai chinh\n")
    fake.name = "phu-luc.xlsx"
    client.force_login(province_setup["secretary"])
    page = client.post(
        reverse("decision_annex", args=[decision.pk]), {"file": fake}
    ).content.decode()
    assert "không phải tệp Excel .xlsx" in page
    assert not decision.assignments.exists()


def test_adopt_then_supersede_ends_the_old_assignments(client, province_setup):
    decision = _draft(province_setup)
    old = f.AssignmentFactory(
        decision=decision, agency=province_setup["sở_tc"], commune=province_setup["chay"]
    )
    client.force_login(province_setup["secretary"])
    page = client.get(reverse("decision_confirm", args=[decision.pk])).content.decode()
    assert "1 phân công có hiệu lực" in page  # it says what adopting does before doing it
    decision.refresh_from_db()
    assert decision.status == Decision.Status.DRAFT
    assert client.post(reverse("decision_confirm", args=[decision.pk])).status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.IN_FORCE
    # Superseded by a later decision from 01/01/2028.
    response = client.post(reverse("decision_remap", args=[decision.pk]), {
        "number": "99/QĐ-UBND", "signed_on": "2027-12-15", "phase_start": "2028-01-01",
        "phase_end": "2030-12-31",
    })  # fmt: skip
    assert response.status_code == 302
    new = Decision.objects.get(number="99/QĐ-UBND")
    assert new.replaces == decision and new.status == Decision.Status.DRAFT
    assert new.assignments.get().agency == province_setup["sở_tc"]
    client.post(reverse("decision_confirm", args=[new.pk]))
    decision.refresh_from_db()
    old.refresh_from_db()
    assert decision.status == Decision.Status.REPLACED
    assert old.valid_to == datetime.date(2027, 12, 31)
    day = datetime.date(2028, 3, 1)
    assert list(Assignment.objects.active_on(day).filter(commune=province_setup["chay"])) == [
        new.assignments.get()
    ]


def test_a_draft_is_deleted_after_asking_an_adopted_one_never(client, province_setup):
    draft = _draft(province_setup)
    f.AssignmentFactory(
        decision=draft, agency=province_setup["sở_tc"], commune=province_setup["chay"]
    )
    adopted = f.DecisionFactory(province=province_setup["province"])
    client.force_login(province_setup["secretary"])
    assert "1 phân công" in client.get(reverse("decision_delete", args=[draft.pk])).content.decode()
    assert Decision.objects.filter(pk=draft.pk).exists()
    client.post(reverse("decision_delete", args=[draft.pk]))
    assert not Decision.objects.filter(pk=draft.pk).exists()
    client.post(reverse("decision_delete", args=[adopted.pk]))
    assert Decision.objects.filter(pk=adopted.pk).exists()


def test_adopted_decision_keeps_its_phase(client, province_setup):
    decision = f.DecisionFactory(province=province_setup["province"])
    client.force_login(province_setup["secretary"])
    data = _decision_data(
        number=decision.number, signed_on="2021-05-20", phase_start="2020-01-01",
        issuing_province=province_setup["old_a"].pk, title="Trích yếu đã sửa",
    )  # fmt: skip
    assert client.post(reverse("decision_edit", args=[decision.pk]), data).status_code == 302
    decision.refresh_from_db()
    assert decision.title == "Trích yếu đã sửa"
    assert decision.phase_start == datetime.date(2021, 1, 1)  # disabled field: unchanged


@pytest.fixture
def adopted(province_setup):
    decision = f.DecisionFactory(
        province=province_setup["province"], phase_start=datetime.date(2026, 1, 1),
        phase_end=datetime.date(2030, 12, 31),
    )  # fmt: skip
    assignment = f.AssignmentFactory(
        decision=decision, agency=province_setup["sở_tc"], commune=province_setup["chay"]
    )
    return decision, assignment


def test_end_an_assignment_refuses_to_orphan_records(client, province_setup, adopted):
    decision, assignment = adopted
    f.ActivityFactory(assignment=assignment, start_date=datetime.date(2026, 9, 10))
    client.force_login(province_setup["secretary"])
    url = reverse("decision_assignment_change", args=[decision.pk, assignment.pk])
    page = client.post(url, {"action": "end", "end-ended_on": "2026-08-31",
                             "end-reason": "QĐ 55/QĐ-UBND"}).content.decode()  # fmt: skip
    assert "đã ghi 1 hoạt động, chuyến về xã sau ngày 31/08/2026" in page
    assignment.refresh_from_db()
    assert assignment.valid_to == datetime.date(2030, 12, 31)
    response = client.post(url, {"action": "end", "end-ended_on": "2026-12-31",
                                 "end-reason": "QĐ 55/QĐ-UBND"})  # fmt: skip
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.valid_to == datetime.date(2026, 12, 31)
    entry = history.record_history(assignment)[0]
    assert entry.reason == "Kết thúc: QĐ 55/QĐ-UBND"
    assert [(c.old, c.new) for c in entry.changes] == [("31/12/2030", "31/12/2026")]


def test_move_an_assignment_to_another_agency(client, province_setup, adopted):
    decision, assignment = adopted
    activity = f.ActivityFactory(assignment=assignment, start_date=datetime.date(2026, 5, 10))
    client.force_login(province_setup["secretary"])
    url = reverse("decision_assignment_change", args=[decision.pk, assignment.pk])
    response = client.post(url, {
        "action": "move", "move-agency": province_setup["sở_nn"].pk,
        "move-moved_on": "2026-07-01", "move-reason": "Sáp nhập sở",
    })  # fmt: skip
    assert response.status_code == 302
    assignment.refresh_from_db()
    moved = Assignment.objects.get(remapped_from=assignment)
    assert assignment.valid_to == datetime.date(2026, 6, 30)
    assert (moved.agency, moved.valid_from, moved.valid_to) == (
        province_setup["sở_nn"],
        datetime.date(2026, 7, 1),
        datetime.date(2030, 12, 31),
    )
    activity.refresh_from_db()
    assert activity.assignment == assignment  # the work stays with who did it
    # Another agency's decision or another province's assignment is a 404.
    other = f.AssignmentFactory()
    assert (
        client.get(reverse("decision_assignment_change", args=[decision.pk, other.pk])).status_code
        == 404
    )


def test_add_an_assignment_to_an_adopted_decision(client, province_setup, adopted):
    decision, _ = adopted
    client.force_login(province_setup["secretary"])
    response = client.post(reverse("decision_assignment_add", args=[decision.pk]), {
        "agency": province_setup["sở_nn"].pk, "commune": province_setup["ban_xeo"].pk,
        "role": "lead", "valid_from": "2027-01-01", "valid_to": "2031-06-30",
    })  # fmt: skip
    assert "Hiệu lực phải trong giai đoạn của quyết định" in response.content.decode()
    response = client.post(reverse("decision_assignment_add", args=[decision.pk]), {
        "agency": province_setup["sở_nn"].pk, "commune": province_setup["ban_xeo"].pk,
        "role": "lead", "valid_from": "2027-01-01", "valid_to": "2030-12-31",
    })  # fmt: skip
    assert response.status_code == 302
    added = decision.assignments.get(commune=province_setup["ban_xeo"])
    assert history.record_history(added)[0].who == str(province_setup["secretary"])


def test_legacy_commune_assignment_stops_at_the_reform(province_setup):
    from assignments.services import assignment_add

    decision = f.DecisionFactory(
        province=province_setup["province"], issuing_province=province_setup["old_a"],
        phase_start=datetime.date(2022, 1, 1), phase_end=datetime.date(2025, 12, 31),
    )  # fmt: skip
    added = assignment_add(assignment=Assignment(
        decision=decision, agency=province_setup["sở_tc"], commune=province_setup["old_commune"],
        valid_from=decision.phase_start, valid_to=decision.phase_end,
    ))  # fmt: skip
    assert added.valid_to == LAST_PRE_REFORM_DAY < REFORM_DATE


def test_decision_pages_run_a_bounded_number_of_queries(
    client, province_setup, adopted, django_assert_max_num_queries
):
    decision, assignment = adopted
    for _ in range(30):
        commune = f.CommuneFactory(province=province_setup["province"])
        f.AssignmentFactory(decision=decision, agency=province_setup["sở_nn"], commune=commune)
    client.force_login(province_setup["secretary"])
    pages = [
        reverse("decision_list"),
        reverse("decision_detail", args=[decision.pk]),
        reverse("decision_edit", args=[decision.pk]),
        reverse("decision_assignment_add", args=[decision.pk]),
        reverse("decision_assignment_change", args=[decision.pk, assignment.pk]),
        reverse("agency_edit", args=[province_setup["sở_nn"].pk]),
        reverse("agency_merge", args=[province_setup["sở_nn"].pk]),
    ]
    for url in pages:
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200


def test_decomposed_unicode_in_a_pasted_annex_matches(province_setup):
    import unicodedata

    decision = _draft(province_setup)
    table = unicodedata.normalize("NFD", "Sở Tài chính\tNậm Chảy\tPhối hợp\n")
    reading = annex_import.read(decision, pasted=table)
    assert not reading.problems
    assert reading.rows[0].commune == province_setup["chay2"]  # not its tone-mark twin
    assert reading.rows[0].role == Assignment.Role.SUPPORT


def test_an_oversized_paste_is_refused_before_reading(client, province_setup):
    decision = _draft(province_setup)
    client.force_login(province_setup["secretary"])
    response = client.post(
        reverse("decision_annex", args=[decision.pk]), {"pasted": "Sở Tài chính\tX\n" * 20_000}
    )
    assert response.status_code == 200
    assert "200000" in response.content.decode().replace(".", "")
    assert not decision.assignments.exists()
