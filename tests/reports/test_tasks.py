"""The report-run task computes the figures of its scope and is safe to run twice."""

import datetime

import pytest

from reports.models import ReportRun
from reports.services import report_run_create
from reports.tasks import build_report_run
from tests.factories import ActivityFactory, AssignmentFactory, ContributionFactory

pytestmark = pytest.mark.django_db


def test_report_run_figures(django_capture_on_commit_callbacks):
    assignment = AssignmentFactory()
    activity = ActivityFactory(
        assignment=assignment, start_date=datetime.date(2026, 2, 1), status="confirmed"
    )
    ContributionFactory(activity=activity, value=643_730_000)
    awaiting = ActivityFactory(
        assignment=assignment, start_date=datetime.date(2026, 2, 3), status="submitted"
    )
    ContributionFactory(activity=awaiting, value=16_490_000)
    ContributionFactory(activity=ActivityFactory(), value=5)  # another province
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = report_run_create(
            province=assignment.decision.province,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 12, 31),
        )
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE
    assert run.progress == 100
    assert run.figures["total_value"] == 643_730_000  # what the commune confirmed
    assert run.figures["awaiting_value"] == 16_490_000  # stated beside, not inside
    assert run.figures["basis"] == "confirmed"
    assert run.figures["cash_value"] == 643_730_000
    assert run.figures["activities"] == 1


def test_running_a_done_run_again_changes_nothing():
    run = ReportRun.objects.create(
        province=AssignmentFactory().decision.province,
        scope="province",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    assert build_report_run(run.pk) == "done"
    assert build_report_run(run.pk) == "skipped"
    run.refresh_from_db()
    assert run.attempts == 1
