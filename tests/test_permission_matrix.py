"""Every URL of the app, for every persona, inside and outside their scope, GET and POST.

The URL names come from the URLconf, so a new URL without a row here fails the test.
Statuses: 200 shown, 302 redirected (after a write, or to the login page), 403 the role may
not do this, 404 the object is outside the persona's scope, 405 wrong method.

Each row is its own test, so xdist spreads the rows over its workers; each row still asks
every persona. The rows share one world per worker (`world` below): building it for each
row cost more than spreading the rows saved.
"""

import datetime

import pytest
from axes.utils import reset as reset_lockouts
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assignments.models import Role, User
from communes.models import CommuneIndicator
from contributions import rollup
from contributions.catalogue import ensure_defaults
from contributions.models import Activity, Comment
from followup.models import (
    CommuneNeed,
    FollowUpCheck,
    HouseholdSupport,
    Meeting,
    NeedResponse,
    PlanItem,
    Task,
)
from reports.models import ReportRun
from reports.periodic import ensure_schedule
from tests.conftest import PERSONAS, build_world
from tests.factories import VillageFactory

ANON = "anonymous"


def expect(default: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    statuses = dict.fromkeys(PERSONAS, default)
    statuses.update(overrides)
    statuses[ANON] = anonymous
    return statuses


def only(
    allowed: set[str], ok: int, other: int, anonymous: int = 302, **overrides: int
) -> dict[str, int]:
    return expect(other, anonymous, **dict.fromkeys(allowed, ok), **overrides)


PROVINCE_ROLES = {
    "secretariat",
    "leadership",
    "agency_leader_a",
    "agency_staff_a",
    "agency_staff_b",
    "commune_officer",
    "district_officer",
}
SEES_A = {
    "secretariat",
    "leadership",
    "agency_leader_a",
    "agency_staff_a",
    "commune_officer",
    "district_officer",
    "national",
}
SEES_B = {"secretariat", "leadership", "agency_staff_b", "national"}
SECRETARIATS = {"secretariat", "other_province"}
# The centre: a national role in both provinces; it reads everything either province's
# leadership reads and writes nothing (every write row leaves it at its 403 or 404 default).
CENTRE = {"national"}
SEES_OTHER = {"other_province", "national"}
AGENCY_PEOPLE = {"agency_leader_a", "agency_staff_a", "agency_staff_b"}
A_PEOPLE = {"agency_leader_a", "agency_staff_a"}
INVISIBLE_A = {"agency_staff_b", "other_province", "superuser"}
TWO_FACTOR = {"secretariat", "other_province", "superuser", "national"}
READ_POST = expect(405, anonymous=405)
# A household's personal data: the secretariat of its province alone; another province's 404.
HOUSEHOLD_REQUEST = expect(403, secretariat=200, other_province=404)
REASON = {"reason": "Số lượng chưa khớp biên bản bàn giao"}
# Villages and indicators of the commune (or of the commune it absorbed): its officer and the
# province's secretariat; another province's secretariat does not find it.
COMMUNE_DATA = expect(403, secretariat=200, commune_officer=200, other_province=404)


def scoped(allowed: set[str], ok: int) -> dict[str, int]:
    """An action on a record of agency A: `allowed` may, other viewers 403, the rest 404."""
    statuses = expect(403)
    statuses.update(dict.fromkeys(INVISIBLE_A, 404))
    statuses.update(dict.fromkeys(allowed, ok))
    return statuses


def app_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return names


def cases(w):
    """(url name, kwargs, method, data, expected statuses by persona)."""
    target = w.users["agency_staff_a"]
    target_role = target.roles.get()
    role_data = {"kind": "agency_staff", "agency": w.agency_b.pk}
    return [
        # The same to everyone, no data: 503 here, as the world has no worker heartbeat.
        ("healthz", {}, "get", None, expect(503, anonymous=503)),
        ("healthz", {}, "post", {}, READ_POST),
        ("home", {}, "get", None, expect(200, national=302)),  # to its comparison of provinces
        ("home", {}, "post", {}, READ_POST),
        ("decision_list", {}, "get", None, expect(200)),
        ("decision_list", {}, "post", {}, READ_POST),
        ("decision_detail", {"pk": w.decision.pk}, "get", None, only(PROVINCE_ROLES | CENTRE, 200, 404)),
        ("decision_detail", {"pk": w.other_decision.pk}, "get", None, only(SEES_OTHER, 200, 404)),
        ("decision_detail", {"pk": w.decision.pk}, "post", {}, READ_POST),
        ("decision_remap", {"pk": w.old_decision.pk}, "get", None, expect(403, secretariat=200, other_province=404)),
        ("decision_remap", {"pk": w.old_decision.pk}, "post", {"number": ""}, expect(403, secretariat=200, other_province=404)),
        ("decision_confirm", {"pk": w.decision.pk}, "get", None, expect(403, secretariat=302, other_province=404)),
        ("decision_create", {}, "get", None, only(SECRETARIATS, 200, 403)),
        ("decision_create", {}, "post", {"number": ""}, only(SECRETARIATS, 200, 403)),
        ("decision_edit", {"pk": w.decision.pk}, "get", None, expect(403, secretariat=200, other_province=404)),
        ("decision_edit", {"pk": w.decision.pk}, "post", {"number": ""}, expect(403, secretariat=200, other_province=404)),
        ("decision_edit", {"pk": w.other_decision.pk}, "get", None, expect(403, secretariat=404, other_province=200)),
        ("decision_delete", {"pk": w.decision.pk}, "get", None, expect(403, secretariat=200, other_province=404)),
        ("decision_delete", {"pk": w.decision.pk}, "post", {}, expect(403, secretariat=302, other_province=404)),
        ("decision_annex", {"pk": w.decision.pk}, "get", None, expect(403, secretariat=302, other_province=404)),
        ("decision_annex", {"pk": w.decision.pk}, "post", {}, expect(403, secretariat=302, other_province=404)),
        ("decision_annex_template", {"pk": w.decision.pk}, "get", None, expect(403, secretariat=200, other_province=404)),
        ("decision_annex_template", {"pk": w.decision.pk}, "post", {}, READ_POST),
        ("decision_assignment_add", {"pk": w.decision.pk}, "get", None, expect(403, secretariat=200, other_province=404)),
        ("decision_assignment_add", {"pk": w.decision.pk}, "post", {}, expect(403, secretariat=200, other_province=404)),
        ("decision_assignment_change", {"pk": w.decision.pk, "assignment_pk": w.assignment_a.pk}, "get", None, expect(403, secretariat=200, other_province=404)),
        ("decision_assignment_change", {"pk": w.decision.pk, "assignment_pk": w.assignment_a.pk}, "post", {"action": "end"}, expect(403, secretariat=200, other_province=404)),
        ("decision_assignment_change", {"pk": w.decision.pk, "assignment_pk": w.other_assignment.pk}, "get", None, expect(403, secretariat=404, other_province=404)),
        ("decision_confirm", {"pk": w.decision.pk}, "post", {}, expect(403, secretariat=302, other_province=404)),
        ("assignment_detail", {"pk": w.assignment_a.pk}, "get", None, only(SEES_A, 200, 404)),
        ("assignment_detail", {"pk": w.old_assignment_a.pk}, "get", None, only(SEES_A, 200, 404)),
        ("assignment_detail", {"pk": w.assignment_b.pk}, "get", None, only(SEES_B, 200, 404)),
        ("assignment_detail", {"pk": w.other_assignment.pk}, "get", None, only(SEES_OTHER, 200, 404)),
        ("assignment_detail", {"pk": w.assignment_a.pk}, "post", {}, READ_POST),
        ("activity_detail", {"pk": w.activity_a.pk}, "get", None, only(SEES_A, 200, 404)),
        ("activity_detail", {"pk": w.old_activity_a.pk}, "get", None, only(SEES_A, 200, 404)),
        ("activity_detail", {"pk": w.activity_b.pk}, "get", None, only(SEES_B, 200, 404)),
        ("activity_detail", {"pk": w.other_activity.pk}, "get", None, only(SEES_OTHER, 200, 404)),
        ("activity_detail", {"pk": w.activity_a.pk}, "post", {}, READ_POST),
        ("my_communes", {}, "get", None, expect(200)),
        ("my_communes", {}, "post", {}, READ_POST),
        ("activity_list", {}, "get", None, expect(200)),
        ("activity_list", {}, "post", {}, READ_POST),
        ("activity_export", {}, "get", None, expect(200)),
        ("activity_export", {}, "post", {}, READ_POST),
        ("activity_create", {}, "get", None, only(AGENCY_PEOPLE, 200, 403)),
        ("activity_create", {}, "post", {"title": ""}, only(AGENCY_PEOPLE, 200, 403)),
        ("contribution_row", {}, "get", None, expect(200)),
        ("contribution_row", {}, "post", {}, READ_POST),
        ("activity_edit", {"pk": w.activity_a.pk}, "get", None, scoped(A_PEOPLE, 200)),
        ("activity_edit", {"pk": w.activity_a.pk}, "post", {"title": ""}, scoped(A_PEOPLE, 200)),
        ("activity_edit", {"pk": w.confirmed_activity_a.pk}, "get", None, scoped(set(), 200)),
        ("activity_submit", {"pk": w.activity_a.pk}, "get", None, READ_POST),
        ("activity_submit", {"pk": w.activity_a.pk}, "post", {}, scoped({"agency_leader_a"}, 302)),
        ("activity_confirm", {"pk": w.submitted_activity_a.pk}, "get", None, READ_POST),
        ("activity_confirm", {"pk": w.submitted_activity_a.pk}, "post", {}, scoped({"commune_officer"}, 302)),
        ("activity_confirm", {"pk": w.activity_a.pk}, "post", {}, scoped(set(), 302)),
        ("activity_return", {"pk": w.submitted_activity_a.pk}, "get", None, READ_POST),
        ("activity_return", {"pk": w.submitted_activity_a.pk}, "post", REASON, scoped({"commune_officer", "district_officer"}, 302)),
        ("activity_reopen", {"pk": w.confirmed_activity_a.pk}, "get", None, READ_POST),
        ("activity_reopen", {"pk": w.confirmed_activity_a.pk}, "post", REASON, scoped({"secretariat"}, 302)),
        ("comment_add", {"pk": w.activity_a.pk}, "get", None, READ_POST),
        ("comment_add", {"pk": w.activity_a.pk}, "post", {"text": "Đề nghị bổ sung ảnh"}, scoped(SEES_A - CENTRE, 302)),
        ("attachment_upload", {"pk": w.activity_a.pk}, "get", None, READ_POST),
        ("attachment_upload", {"pk": w.activity_a.pk}, "post", {}, scoped(A_PEOPLE, 302)),
        ("attachment_file", {"pk": w.attachment_a.pk}, "get", None, only(SEES_A, 200, 404)),
        ("attachment_file", {"pk": w.attachment_a.pk}, "post", {}, READ_POST),
        ("import_upload", {}, "get", None, only(AGENCY_PEOPLE, 200, 403)),
        ("import_upload", {}, "post", {}, only(AGENCY_PEOPLE, 200, 403)),
        ("import_template", {}, "get", None, only(AGENCY_PEOPLE, 200, 403)),
        ("import_template", {}, "post", {}, READ_POST),
        ("import_job", {"pk": w.import_job_a.pk}, "get", None, only({"agency_staff_a"}, 200, 404)),
        ("import_job", {"pk": w.import_job_a.pk}, "post", {}, READ_POST),
        ("import_job_progress", {"pk": w.import_job_a.pk}, "get", None, only({"agency_staff_a"}, 200, 404)),
        ("import_job_progress", {"pk": w.import_job_a.pk}, "post", {}, READ_POST),
        ("import_job_commit", {"pk": w.import_job_a.pk}, "get", None, READ_POST),
        ("import_job_commit", {"pk": w.import_job_a.pk}, "post", {}, only({"agency_staff_a"}, 302, 404)),
        ("import_job_resend", {"pk": w.import_job_a.pk}, "get", None, READ_POST),
        ("import_job_resend", {"pk": w.import_job_a.pk}, "post", {}, only({"agency_staff_a"}, 302, 404)),
        ("field_visit_list", {}, "get", None, expect(200)),
        ("field_visit_list", {}, "post", {}, READ_POST),
        ("field_visit_create", {}, "get", None, only(AGENCY_PEOPLE, 200, 403)),
        ("field_visit_create", {}, "post", {"purpose": ""}, only(AGENCY_PEOPLE, 200, 403)),
        ("province_dashboard", {}, "get", None, expect(200, national=302)),
        ("province_dashboard", {}, "post", {}, READ_POST),
        ("review_table", {}, "get", None, expect(200, superuser=404, national=302)),
        ("agency_dashboard", {"pk": w.agency_a.pk}, "get", None, only(SEES_A, 200, 404)),
        ("agency_dashboard", {"pk": w.agency_b.pk}, "get", None, only(SEES_B, 200, 404)),
        ("agency_dashboard", {"pk": w.agency_a.pk}, "post", {}, READ_POST),
        ("review_table", {}, "post", {}, READ_POST),
        ("commune_dashboard", {"pk": w.commune.pk}, "get", None, only(SEES_A, 200, 404)),
        ("commune_dashboard", {"pk": w.legacy_commune.pk}, "get", None, only(SEES_A, 200, 404)),
        ("commune_dashboard", {"pk": w.commune_b.pk}, "get", None, only(SEES_B, 200, 404)),
        ("commune_dashboard", {"pk": w.commune.pk}, "post", {}, READ_POST),
        ("report_list", {}, "get", None, expect(200)),
        ("report_list", {}, "post", {}, READ_POST),
        ("report_create", {}, "get", None, only(SECRETARIATS, 200, 403)),
        ("report_create", {}, "post", {"scope": ""}, only(SECRETARIATS, 200, 403)),
        ("report_detail", {"pk": w.report_draft.pk}, "get", None, only({"secretariat"}, 200, 404)),
        ("report_detail", {"pk": w.report_issued.pk}, "get", None, only({"secretariat", "leadership", "national"}, 200, 404)),
        ("report_detail", {"pk": w.other_report.pk}, "get", None, only(SEES_OTHER, 200, 404)),
        ("report_detail", {"pk": w.report_draft.pk}, "post", {}, READ_POST),
        ("report_progress", {"pk": w.report_draft.pk}, "get", None, only({"secretariat"}, 200, 404)),
        ("report_progress", {"pk": w.report_draft.pk}, "post", {}, READ_POST),
        ("report_edit", {"pk": w.report_draft.pk}, "get", None, expect(404, secretariat=200)),  # a draft is the secretariat's alone
        ("report_edit", {"pk": w.report_draft.pk}, "post", {"document_date": "không phải ngày"}, expect(404, secretariat=200)),
        ("report_edit", {"pk": w.report_issued.pk}, "get", None, expect(404, secretariat=403, leadership=403, national=403)),
        ("report_rebuild", {"pk": w.report_issued.pk}, "get", None, READ_POST),
        ("report_rebuild", {"pk": w.report_issued.pk}, "post", {}, expect(404, secretariat=302, leadership=403, national=403)),
        ("report_issue", {"pk": w.report_draft.pk}, "get", None, READ_POST),
        ("report_issue", {"pk": w.report_draft.pk}, "post", {}, expect(404, secretariat=302)),
        ("report_resend", {"pk": w.report_draft.pk}, "get", None, READ_POST),
        ("report_resend", {"pk": w.report_draft.pk}, "post", {}, expect(404, secretariat=302)),
        ("report_download", {"pk": w.report_issued.pk, "kind": "pdf"}, "get", None, only({"secretariat", "leadership", "national"}, 200, 404)),
        ("report_download", {"pk": w.report_draft.pk, "kind": "xlsx"}, "get", None, only({"secretariat"}, 200, 404)),
        ("report_download", {"pk": w.report_issued.pk, "kind": "pdf"}, "post", {}, READ_POST),
        ("audit_log", {}, "get", None, only(SECRETARIATS, 200, 403)),
        ("audit_log", {}, "post", {}, READ_POST),
        ("user_list", {}, "get", None, only(SECRETARIATS, 200, 403)),
        ("user_list", {}, "post", {}, READ_POST),
        ("user_create", {}, "get", None, only(SECRETARIATS, 200, 403)),
        ("user_create", {}, "post", {"username": ""}, only(SECRETARIATS, 200, 403)),
        ("user_detail", {"pk": target.pk}, "get", None, expect(403, secretariat=200, other_province=404)),
        ("user_detail", {"pk": target.pk}, "post", {"username": ""}, expect(403, secretariat=200, other_province=404)),
        ("user_role_add", {"pk": target.pk}, "get", None, expect(405, anonymous=405)),
        ("user_role_add", {"pk": target.pk}, "post", role_data, expect(403, secretariat=302, other_province=404)),
        ("user_role_remove", {"pk": target.pk, "role_pk": target_role.pk}, "get", None, expect(405, anonymous=405)),
        ("user_role_remove", {"pk": target.pk, "role_pk": target_role.pk}, "post", {}, expect(403, secretariat=302, other_province=404)),
        ("user_set_active", {"pk": target.pk}, "get", None, expect(405, anonymous=405)),
        ("user_set_active", {"pk": target.pk}, "post", {"active": "0"}, expect(403, secretariat=302, other_province=404)),
        ("user_two_factor_reset", {"pk": target.pk}, "get", None, READ_POST),
        ("user_two_factor_reset", {"pk": target.pk}, "post", {}, expect(403, secretariat=302, other_province=404)),
        ("user_reinvite", {"pk": target.pk}, "get", None, READ_POST),
        ("user_reinvite", {"pk": target.pk}, "post", {}, expect(403, secretariat=302, other_province=404)),
        ("agency_list", {}, "get", None, only(SECRETARIATS, 200, 403)),
        ("agency_list", {}, "post", {"name": ""}, only(SECRETARIATS, 200, 403)),
        ("agency_edit", {"pk": w.agency_a.pk}, "get", None, expect(403, secretariat=200, other_province=404)),
        ("agency_edit", {"pk": w.agency_a.pk}, "post", {"name": ""}, expect(403, secretariat=200, other_province=404)),
        ("agency_merge", {"pk": w.agency_a.pk}, "get", None, expect(403, secretariat=200, other_province=404)),
        ("agency_merge", {"pk": w.agency_a.pk}, "post", {"sources": ["x"]}, expect(403, secretariat=200, other_province=404)),
        ("national_overview", {}, "get", None, only(CENTRE, 200, 403)),
        ("national_overview", {}, "post", {}, READ_POST),
        ("province_settings", {}, "get", None, only(SECRETARIATS, 200, 403)),
        ("province_settings", {}, "post", {"giupxa_since": "không phải ngày"}, only(SECRETARIATS, 200, 403)),
        ("user_import", {}, "get", None, only(SECRETARIATS, 200, 403)),
        ("user_import", {}, "post", {}, only(SECRETARIATS, 200, 403)),
        ("user_import_template", {}, "get", None, only(SECRETARIATS, 200, 403)),
        ("user_import_template", {}, "post", {}, READ_POST),
        ("agency_staff", {}, "get", None, only({"agency_leader_a"}, 200, 403)),
        ("agency_staff", {}, "post", {"email": ""}, only({"agency_leader_a"}, 200, 403)),
        # anyone may open an invitation; a forged one is not found
        ("invitation_accept", {"token": "gia-mao"}, "get", None, expect(404, anonymous=404)),
        ("invitation_accept", {"token": "gia-mao"}, "post", {}, expect(404, anonymous=404)),
        ("login", {}, "get", None, expect(200, anonymous=200)),
        ("login", {}, "post", {"username": "x", "password": "y"}, expect(200, anonymous=200)),
        ("logout", {}, "get", None, expect(405, anonymous=405)),
        ("logout", {}, "post", {}, expect(302)),
        ("password_change", {}, "get", None, expect(200)),
        ("password_change", {}, "post", {}, expect(200)),
        ("password_change_done", {}, "get", None, expect(200)),
        ("password_reset", {}, "get", None, expect(200, anonymous=200)),
        ("password_reset", {}, "post", {"email": ""}, expect(200, anonymous=200)),
        ("password_reset_done", {}, "get", None, expect(200, anonymous=200)),
        ("password_reset_confirm", {"uidb64": "MQ", "token": "sai-ma"}, "get", None, expect(200, anonymous=200)),
        ("password_reset_complete", {}, "get", None, expect(200, anonymous=200)),
        ("two_factor", {}, "get", None, expect(200)),
        ("two_factor", {}, "post", {"token": "000000"}, expect(200)),
        ("two_factor_verify", {}, "get", None, only(TWO_FACTOR, 302, 200)),
        ("two_factor_verify", {}, "post", {"token": "000000"}, only(TWO_FACTOR, 302, 200)),
        ("two_factor_recovery", {}, "get", None, READ_POST),
        ("two_factor_recovery", {}, "post", {}, only(TWO_FACTOR, 200, 403)),
        ("two_factor_disable", {}, "get", None, expect(405, anonymous=405)),
        ("two_factor_disable", {}, "post", {}, expect(403)),
        ("need_list", {}, "get", None, expect(200)),
        ("need_list", {}, "post", {}, READ_POST),
        ("need_create", {}, "get", None, only({"commune_officer"}, 200, 403)),
        ("need_create", {}, "post", {"title": ""}, only({"commune_officer"}, 200, 403)),
        ("need_detail", {"pk": w.need_a.pk}, "get", None, only(SEES_A, 200, 404)),
        ("need_detail", {"pk": w.need_b.pk}, "get", None, only(SEES_B, 200, 404)),
        ("need_detail", {"pk": w.need_a.pk}, "post", {}, READ_POST),
        ("need_respond", {"pk": w.need_a.pk}, "get", None, READ_POST),
        ("need_respond", {"pk": w.need_a.pk}, "post", {"kind": "accept"}, scoped(A_PEOPLE, 302)),
        ("need_link", {"pk": w.need_a.pk}, "get", None, READ_POST),
        ("need_link", {"pk": w.need_a.pk}, "post", {"activity": w.submitted_activity_a.pk}, scoped(A_PEOPLE, 302)),
        ("need_unlink", {"pk": w.need_a.pk, "activity_pk": w.confirmed_activity_a.pk}, "get", None, READ_POST),
        ("need_unlink", {"pk": w.need_a.pk, "activity_pk": w.confirmed_activity_a.pk}, "post", {}, scoped(A_PEOPLE | {"secretariat"}, 302)),
        ("need_unlink", {"pk": w.need_b.pk, "activity_pk": w.activity_b.pk}, "post", {}, only({"secretariat", "agency_staff_b"}, 302, 404, leadership=403, national=403)),
        ("need_unlink", {"pk": w.need_a.pk, "activity_pk": w.activity_b.pk}, "post", {}, expect(404)),
        ("need_mark_met", {"pk": w.need_a.pk}, "get", None, READ_POST),
        ("need_mark_met", {"pk": w.need_a.pk}, "post", {}, scoped({"commune_officer"}, 302)),
        ("follow_up_list", {}, "get", None, expect(200)),
        ("follow_up_list", {}, "post", {}, READ_POST),
        ("support_create", {"pk": w.activity_a.pk}, "get", None, scoped(A_PEOPLE, 200)),
        ("support_create", {"pk": w.activity_a.pk}, "post", {"household": ""}, scoped(A_PEOPLE, 200)),
        ("support_create", {"pk": w.activity_b.pk}, "get", None, expect(404, agency_staff_b=200, secretariat=403, leadership=403, national=403)),
        ("check_record", {"pk": w.open_check_a.pk}, "get", None, scoped(A_PEOPLE, 200)),
        ("check_record", {"pk": w.open_check_a.pk}, "post", {"outcome": ""}, scoped(A_PEOPLE, 200)),
        ("check_photo", {"pk": w.check_a.pk}, "get", None, only(SEES_A, 200, 404)),
        ("check_photo", {"pk": w.check_a.pk}, "post", {}, READ_POST),
        ("household_search", {}, "get", None, only(SECRETARIATS, 200, 403)),
        ("household_search", {}, "post", {}, READ_POST),
        ("personal_data_log", {}, "get", None, only(SECRETARIATS, 200, 403)),
        ("personal_data_log", {}, "post", {}, READ_POST),
        ("household_detail", {"pk": w.check_a.support.pk}, "get", None, HOUSEHOLD_REQUEST),
        ("household_detail", {"pk": w.check_a.support.pk}, "post", {}, READ_POST),
        ("household_export", {"pk": w.check_a.support.pk}, "get", None, HOUSEHOLD_REQUEST),
        ("household_export", {"pk": w.check_a.support.pk}, "post", {}, READ_POST),
        ("household_correct", {"pk": w.check_a.support.pk}, "get", None, HOUSEHOLD_REQUEST),
        ("household_correct", {"pk": w.check_a.support.pk}, "post", {"household": ""}, HOUSEHOLD_REQUEST),
        ("household_erase", {"pk": w.check_a.support.pk}, "get", None, HOUSEHOLD_REQUEST),
        ("household_erase", {"pk": w.check_a.support.pk}, "post", {"note": ""}, HOUSEHOLD_REQUEST),
        ("meeting_list", {}, "get", None, expect(200)),
        ("meeting_list", {}, "post", {}, READ_POST),
        ("meeting_create", {}, "get", None, only(SECRETARIATS, 200, 403)),
        ("meeting_create", {}, "post", {"title": ""}, only(SECRETARIATS, 200, 403)),
        ("meeting_detail", {"pk": w.meeting.pk}, "get", None, only(PROVINCE_ROLES | CENTRE, 200, 404)),
        ("meeting_detail", {"pk": w.other_meeting.pk}, "get", None, only(SEES_OTHER, 200, 404)),
        ("meeting_detail", {"pk": w.meeting.pk}, "post", {}, READ_POST),
        ("task_create", {"pk": w.meeting.pk}, "get", None, READ_POST),
        ("task_create", {"pk": w.meeting.pk}, "post", {"what": ""}, expect(403, secretariat=200, other_province=404, superuser=404)),
        ("task_list", {}, "get", None, expect(200)),
        ("task_list", {}, "post", {}, READ_POST),
        ("task_done", {"pk": w.task_a.pk}, "get", None, READ_POST),
        ("task_done", {"pk": w.task_a.pk}, "post", {"evidence": "Đã bàn giao 12 con bò"}, expect(403, secretariat=302, agency_leader_a=302, agency_staff_a=302, other_province=404, superuser=404)),
        ("notification_list", {}, "get", None, expect(200)),
        ("notification_list", {}, "post", {}, READ_POST),
        ("notification_settings", {}, "get", None, READ_POST),
        ("notification_settings", {}, "post", {"tasks": "on"}, expect(302)),
        ("notification_read", {}, "get", None, READ_POST),
        ("notification_read", {}, "post", {}, expect(302)),
        ("plan_detail", {"pk": w.assignment_a.pk, "year": 2026}, "get", None, only(SEES_A, 200, 404)),
        ("plan_detail", {"pk": w.assignment_b.pk, "year": 2026}, "get", None, only(SEES_B, 200, 404)),
        ("plan_detail", {"pk": w.assignment_a.pk, "year": 2026}, "post", {}, READ_POST),
        ("plan_save", {"pk": w.assignment_a.pk, "year": 2026}, "get", None, READ_POST),
        ("plan_save", {"pk": w.assignment_a.pk, "year": 2026}, "post", {"planned_days_per_quarter": "15"}, scoped(A_PEOPLE, 302)),
        ("plan_item_add", {"pk": w.assignment_a.pk, "year": 2026}, "get", None, READ_POST),
        ("plan_item_add", {"pk": w.assignment_a.pk, "year": 2026}, "post", {"title": ""}, scoped(A_PEOPLE, 200)),
        ("plan_item_delete", {"pk": w.plan_item_a.pk}, "get", None, READ_POST),
        ("plan_item_delete", {"pk": w.plan_item_a.pk}, "post", {}, scoped(A_PEOPLE, 302)),
        # The commune's own data: its officer and the province's secretariat; other roles 403.
        ("commune_data", {}, "get", None, expect(403, secretariat=200, other_province=200, commune_officer=302)),
        ("commune_data", {}, "post", {}, READ_POST),
        ("commune_villages", {"pk": w.commune.pk}, "get", None, COMMUNE_DATA),
        ("commune_villages", {"pk": w.legacy_commune.pk}, "get", None, COMMUNE_DATA),
        ("commune_villages", {"pk": w.commune_b.pk}, "get", None, expect(403, secretariat=200, commune_officer=404, other_province=404)),
        ("commune_villages", {"pk": w.commune.pk}, "post", {"name": ""}, COMMUNE_DATA),
        ("village_edit", {"pk": w.village.pk}, "get", None, COMMUNE_DATA),
        ("village_edit", {"pk": w.village.pk}, "post", {"name": ""}, COMMUNE_DATA),
        ("village_edit", {"pk": w.village_b.pk}, "get", None, expect(403, secretariat=200, commune_officer=404, other_province=404)),
        ("village_close", {"pk": w.village.pk}, "get", None, COMMUNE_DATA),
        ("village_close", {"pk": w.village.pk}, "post", {"closed_on": "không phải ngày"}, COMMUNE_DATA),
        ("village_merge", {"pk": w.village.pk}, "get", None, COMMUNE_DATA),
        ("village_merge", {"pk": w.village.pk}, "post", {"target": ""}, COMMUNE_DATA),
        ("village_merge", {"pk": w.village_b.pk}, "post", {"target": ""}, expect(403, secretariat=200, commune_officer=404, other_province=404)),
        ("commune_indicators", {"pk": w.commune.pk}, "get", None, COMMUNE_DATA),
        ("commune_indicators", {"pk": w.commune_b.pk}, "get", None, expect(403, secretariat=200, commune_officer=404, other_province=404)),
        ("commune_indicators", {"pk": w.commune.pk}, "post", {}, READ_POST),
        ("commune_indicator_add", {"pk": w.commune.pk}, "get", None, COMMUNE_DATA),
        ("commune_indicator_add", {"pk": w.commune.pk}, "post", {"year": "năm ngoái"}, COMMUNE_DATA),
        ("commune_indicator_edit", {"pk": w.commune.pk, "year": 2025}, "get", None, COMMUNE_DATA),
        ("commune_indicator_edit", {"pk": w.commune.pk, "year": 2025}, "post", {"poor_household_rate": "abc"}, COMMUNE_DATA),
        ("commune_indicator_edit", {"pk": w.commune.pk, "year": 2019}, "get", None, expect(403, secretariat=404, commune_officer=404, other_province=404)),
        ("indicator_import", {}, "get", None, only(SECRETARIATS, 200, 403)),
        ("indicator_import", {}, "post", {}, only(SECRETARIATS, 200, 403)),
        ("indicator_import_template", {}, "get", None, only(SECRETARIATS, 200, 403)),
        ("indicator_import_template", {}, "post", {}, READ_POST),
    ]  # fmt: skip


def state(w) -> tuple:
    target = User.objects.get(pk=w.users["agency_staff_a"].pk)
    statuses = tuple(
        Activity.objects.filter(assignment__decision__province=w.province)
        .order_by("pk")
        .values_list("status", flat=True)
    )
    comments = Comment.objects.count()
    reports = tuple(ReportRun.objects.order_by("pk").values_list("status", "final"))
    needs = (
        PlanItem.objects.count(),
        Meeting.objects.count(),
        tuple(Task.objects.order_by("pk").values_list("status", flat=True)),
        tuple(HouseholdSupport.objects.order_by("pk").values_list("household", "erased_at")),
        tuple(FollowUpCheck.objects.order_by("pk").values_list("outcome", flat=True)),
        NeedResponse.objects.count(),
        CommuneNeed.activities.through.objects.count(),
        tuple(CommuneNeed.objects.order_by("pk").values_list("met_at", flat=True)),
    )
    return (
        target.is_active, Role.objects.count(), User.objects.count(), statuses, comments,
        reports, needs,
    )  # fmt: skip


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker):
    """One world for the rows this worker runs, in a transaction that each test nests in (a
    savepoint, rolled back after it) and that is rolled back when the module is done."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        # a transactional test that ran before on this worker left the tables empty
        ensure_defaults()
        ensure_schedule()
        w = build_world()
        _commune_data(w)
        # the needs were raised before the activities, and each has a link to remove
        CommuneNeed.objects.update(raised_at=RAISED_AT)
        _link(w)
        yield w
        transaction.set_rollback(True)


RAISED_AT = datetime.datetime(2026, 1, 5, 8, tzinfo=datetime.UTC)


def _commune_data(w):
    """A village in commune C and one in commune B, and C's indicators for 2025."""
    w.village = VillageFactory(commune=w.commune, name="Nậm Thử")
    w.village_b = VillageFactory(commune=w.commune_b, name="Phìn Thử")
    CommuneIndicator.objects.create(commune=w.commune, year=2025, ntm_criteria_met=12)


def _link(w):
    w.need_a.activities.add(w.confirmed_activity_a)
    w.need_b.activities.add(w.activity_b)


@pytest.fixture
def world(_shared_world, db):
    """tests/conftest.py's world, built once per worker (see `_shared_world`)."""
    yield _shared_world
    assert rollup.differences() == dict.fromkeys(rollup.TABLES, 0)


class _Names:
    """The world before there is a database (at collection, for the test ids): every object
    is its own name, so `w.decision.pk` is "decision". Ids must be the same on every xdist
    worker, hence names and never reprs."""

    def __init__(self, name: str):
        self.pk = name

    def __getattr__(self, name: str) -> "_Names":
        return _Names(name)

    def __getitem__(self, key: str) -> "_Names":
        return _Names(key)

    def __str__(self) -> str:
        return self.pk

    def get(self) -> "_Names":  # target.roles.get()
        return _Names("role")


def _row_id(name: str, kwargs: dict, method: str) -> str:
    return "-".join([name, method, *(f"{key}={value}" for key, value in kwargs.items())])


ROWS = cases(_Names("world"))
ROW_IDS = [_row_id(name, kwargs, method) for name, kwargs, method, *_ in ROWS]


def test_every_url_has_rows_in_the_matrix():
    covered = {name for name, *_ in ROWS}
    assert app_url_names() - covered == set(), "add the new URL to the permission matrix"


@pytest.mark.django_db
@pytest.mark.parametrize("row", range(len(ROWS)), ids=ROW_IDS)
def test_permission_matrix(world, row):
    name, kwargs, method, data, statuses = cases(world)[row]
    url = reverse(name, kwargs=kwargs)
    failures = []
    for persona in [*PERSONAS, ANON]:
        before = state(world)
        reset_lockouts()  # the matrix is not about lockout: tests/test_accounts.py is
        client = Client()
        if persona != ANON:
            client.force_login(world.users[persona])
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        if response.status_code != statuses[persona]:
            failures.append(f"{persona}: {response.status_code}, expected {statuses[persona]}")
        if response.status_code in (403, 404, 405) and state(world) != before:
            failures.append(f"{persona}: changed data")
        if response.status_code == 302 and method == "post":
            _undo(world)
    assert not failures, f"{method.upper()} {url} ({name}):\n" + "\n".join(failures)


def _undo(w):
    """Put the world back as it was after a permitted write."""
    for activity, status in [
        (w.activity_a, "draft"),
        (w.submitted_activity_a, "submitted"),
        (w.confirmed_activity_a, "confirmed"),
    ]:
        Activity.objects.filter(pk=activity.pk).update(status=status)
        rollup.refresh([rollup.key_of(activity)])  # the update went past the services
    Task.objects.update(status="open", evidence="", done_on=None, done_by=None)
    if not PlanItem.objects.filter(pk=w.plan_item_a.pk).exists():
        w.plan_item_a.save(force_insert=True)
    NeedResponse.objects.all().delete()
    CommuneNeed.activities.through.objects.all().delete()
    _link(w)
    CommuneNeed.objects.update(met_at=None)
    target = w.users["agency_staff_a"]
    User.objects.filter(pk=target.pk).update(is_active=True)
    Role.objects.filter(user=target).exclude(agency=w.agency_a).delete()
    Role.objects.get_or_create(
        user=target, kind="agency_staff", province=w.province, agency=w.agency_a
    )


@pytest.mark.django_db
def test_forbidden_pages_answer_in_vietnamese(client, world):
    client.force_login(world.users["agency_staff_a"])
    forbidden = client.get(reverse("user_list"))
    assert forbidden.status_code == 403
    assert "Chỉ văn phòng thường trực" in forbidden.content.decode()
    missing = client.get(reverse("activity_detail", args=[world.activity_b.pk]))
    assert missing.status_code == 404
    assert "ngoài phạm vi" in missing.content.decode()
