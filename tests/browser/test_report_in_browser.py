"""The secretariat starts a report, watches it build and downloads the PDF and the workbook."""

import pytest
from pypdf import PdfReader

from tests.browser.conftest import log_in, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.real_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_secretariat_builds_and_downloads_a_report(
    page, live_server, world, tmp_path, celery_worker_process
):
    """A real worker on Redis builds the report while the page shows the bar, then the links."""
    log_in(page, live_server, world.users["secretariat"].username)
    page.click("text=Báo cáo")
    page.click("text=Lập báo cáo")
    page.select_option("#id_scope", "province")
    page.select_option("#id_period", "year")
    page.fill("#id_year", "2026")
    page.click("text=Bắt đầu lập báo cáo")
    # The job waits for the worker: the page shows the bar and polls the run...
    page.wait_for_selector("progress")
    screenshot(page, "report-progress")
    # ...until the job has ended; the bar is gone and the links are there.
    page.wait_for_selector("[data-status=done]", timeout=90_000)
    assert page.locator("progress").count() == 0
    screenshot(page, "report-done")

    with page.expect_download() as pdf_download:
        page.click("[data-download=pdf]")
    pdf_path = tmp_path / "bao-cao.pdf"
    pdf_download.value.save_as(pdf_path)
    assert "BÁO CÁO" in PdfReader(pdf_path).pages[0].extract_text()

    with page.expect_download() as xlsx_download:
        page.click("[data-download=xlsx]")
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
