"""A province starts from an empty database: one shell step (its first secretariat account),
then everything in the browser. Lào Cai, not the demo's Điện Biên. No Django admin, no shell
after the first step: the secretariat adds its agencies, enters a decision and imports its
annex (one bad row, fixed after the problem list), adopts it, invites an agency leader and a
commune officer; the agency logs an activity, the commune confirms it, the report is issued.
"""

import io
import re
from contextlib import redirect_stdout

import pytest
from django.core.management import call_command

from assignments.models import Decision, User
from contributions.catalogue import ensure_defaults
from contributions.models import Activity
from reports.models import ReportRun
from tests.browser.conftest import screenshot
from tests.conftest import LAO_CAI

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "Mật-khẩu-rất-riêng-2026"
LINK = re.compile(r"https?://\S+?/accounts/invitation/[^\s/]+/")


def _accept(page, live_server, url: str, username: str):
    """Open the invitation link, set one's own password, then log in with it."""
    path = url.split("://", 1)[1].split("/", 1)[1]
    page.goto(f"{live_server.url}/{path}")
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.click("button:has-text('Lưu mật khẩu')")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Đăng nhập')")


def _enrol_second_factor(page, user):
    """The secretariat's first login sets up an authenticator app: the test is the app."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.wait_for_selector("[data-secret]")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.fill("#id_token", f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}")
    page.click("form:has(#id_token) button[type=submit]")
    page.click("text=Tôi đã lưu các mã, tiếp tục")


def _invite(page, live_server, *, last, first, email, kind, scope_field, scope_label) -> str:
    page.goto(f"{live_server.url}/users/new/")
    page.fill("#id_last_name", last)
    page.fill("#id_first_name", first)
    page.fill("#id_email", email)
    page.select_option("#id_kind", kind)
    page.select_option(f"#id_{scope_field}", label=scope_label)
    page.click("button:has-text('Gửi lời mời')")
    page.wait_for_selector("text=Đã mời")
    return LINK.search(page.inner_text("main")).group(0)


def test_a_province_starts_from_an_empty_database(browser, live_server, tmp_path):
    # The one shell step. (The units of one province only, to keep the test quick; the
    # command loads the whole country itself when the table is empty.)
    call_command("load_admin_units", province=[LAO_CAI], verbosity=0)
    ensure_defaults()  # the catalogue migrations create (an earlier transactional test
    # on this worker may have emptied it)
    out = io.StringIO()
    with redirect_stdout(out):
        call_command(
            "invite_secretariat", province="Lào Cai", email="hang.nt@laocai.gov.vn",
            name="Nguyễn Thị Hằng", stdout=out,
        )  # fmt: skip
    secretary = User.objects.get(email="hang.nt@laocai.gov.vn")
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN").new_page()
    page.set_default_timeout(20_000)
    _accept(page, live_server, LINK.search(out.getvalue()).group(0), secretary.username)
    _enrol_second_factor(page, secretary)
    page.wait_for_url(f"{live_server.url}/")

    # Agencies.
    page.goto(f"{live_server.url}/province/agencies/")
    for name, short, kind in [("Sở Tài chính", "STC", "so_nganh"),
                              ("Ban Dân vận Tỉnh ủy", "BDVTU", "ban_dang")]:  # fmt: skip
        page.fill("#id_name", name)
        page.fill("#id_short_name", short)
        page.select_option("#id_kind", kind)
        page.click("button:text-is('Thêm')")
        page.wait_for_selector(f"text=Đã thêm {name}")

    # The decision, as a draft, then its annex pasted from Word with one bad row.
    page.goto(f"{live_server.url}/decisions/")
    page.click("text=Nhập quyết định mới")
    page.fill("#id_number", "305/QĐ-UBND")
    page.fill("#id_signed_on", "2026-01-15")
    page.fill("#id_title", "Phân công các cơ quan giúp đỡ các xã đặc biệt khó khăn 2026–2030")
    page.fill("#id_phase_start", "2026-01-01")
    page.fill("#id_phase_end", "2030-12-31")
    page.click("button:has-text('Lưu dự thảo')")
    page.wait_for_selector("text=Đã lưu dự thảo 305/QĐ-UBND")
    decision = Decision.objects.get(number="305/QĐ-UBND")
    communes = list(decision.province.communes.filter(valid_to__isnull=True).order_by("code")[:2])
    table = (
        "STT\tCơ quan, đơn vị\tXã\tVai trò\n"
        f"1\tSở Tài chính\t{communes[0].short_name}\tChủ trì\n"
        f"2\tBDVTU\tXã Không Có Thật\tChủ trì\n"
    )
    page.click("a[href$='/annex/']")
    page.fill("#id_pasted", table)
    page.click("text=Kiểm tra và thêm")
    page.wait_for_selector("[data-problems]")
    assert "Xã «Xã Không Có Thật» không có trong danh mục" in page.inner_text("[data-problems]")
    screenshot(page, "onboarding-annex-problems")
    assert not decision.assignments.exists()
    page.fill("#id_pasted", table.replace("Xã Không Có Thật", communes[1].code))
    page.click("text=Kiểm tra và thêm")
    page.wait_for_selector("text=Đã thêm 2 phân công")
    page.click("text=Ban hành…")
    page.click("button:has-text('Ban hành')")
    page.wait_for_selector("text=Đã ban hành 305/QĐ-UBND với 2 phân công")
    screenshot(page, "onboarding-decision-adopted")

    # People: an agency leader and a commune officer, invited; nobody types their password.
    leader_link = _invite(page, live_server, last="Lường Văn", first="Thắng",
                          email="thang.lv@stc.laocai.gov.vn", kind="agency_leader",
                          scope_field="agency", scope_label="Sở Tài chính (STC)")  # fmt: skip
    officer_link = _invite(page, live_server, last="Giàng A", first="Dình",
                           email="dinh.ga@xa.laocai.gov.vn", kind="commune_officer",
                           scope_field="commune", scope_label=communes[0].name)  # fmt: skip

    # The agency logs an activity and sends it.
    agency = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN").new_page()
    agency.set_default_timeout(20_000)
    _accept(agency, live_server, leader_link, "thang.lv@stc.laocai.gov.vn")
    agency.wait_for_url(f"{live_server.url}/")
    agency.goto(f"{live_server.url}/activities/new/")
    agency.fill("#id_start_date", "2026-03-20")
    agency.select_option("#id_category", index=1)
    agency.fill("#id_title", "Trao bò giống cho hộ nghèo")
    agency.fill("#id_c-0-value", "45.000.000")
    agency.click("[data-save]")
    agency.wait_for_url(re.compile(r"/activities/\d+/$"))
    agency.click("text=Gửi xã xác nhận")
    agency.wait_for_selector("text=Đã gửi hoạt động cho xã xác nhận")
    activity = Activity.objects.get(title="Trao bò giống cho hộ nghèo")

    # The commune confirms it.
    commune = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN").new_page()
    commune.set_default_timeout(20_000)
    _accept(commune, live_server, officer_link, "dinh.ga@xa.laocai.gov.vn")
    commune.wait_for_url(f"{live_server.url}/")
    commune.goto(f"{live_server.url}/activities/{activity.pk}/")
    commune.click("text=Xác nhận đã nhận")
    commune.wait_for_selector("text=hồ sơ đã khóa")
    activity.refresh_from_db()
    assert activity.status == "confirmed"

    # The secretariat issues the year's report.
    page.goto(f"{live_server.url}/reports/")
    page.click("text=Lập báo cáo")
    page.select_option("#id_scope", "province")
    page.select_option("#id_period", "year")
    page.fill("#id_year", "2026")
    page.click("text=Bắt đầu lập báo cáo")
    page.wait_for_selector("[data-status=done]", timeout=90_000)
    page.click("text=Viết nội dung, thông tin văn bản")
    page.fill("#id_document_number", "12/BC-UBND")
    page.click("button:has-text('Chỉ lưu')")
    page.wait_for_selector("[data-status=done]")
    page.click("button:text-is('Ban hành')")
    page.wait_for_selector("text=Đã ban hành lúc", timeout=90_000)
    screenshot(page, "onboarding-report-issued")
    run = ReportRun.objects.get()
    assert run.is_issued and run.province == decision.province
    with page.expect_download() as download:
        page.click("[data-download=pdf]")
    from pypdf import PdfReader

    pdf = tmp_path / "bao-cao.pdf"
    download.value.save_as(pdf)
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Sở Tài chính" in text and "45" in text
    # Nobody went through Django admin: no account is staff.
    assert not User.objects.filter(is_staff=True).exists()
