"""Shared fixtures: real administrative units, and a small world of personas.

The personas follow STYLE.md: staff of agency A, staff of agency B, the leader of A, a
commune officer, a district officer, the secretariat, the leadership, someone from
another province, a superuser with no role, and the centre (a national role in both
provinces).
"""

import contextlib
import datetime
import uuid
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from assignments.models import Role
from communes.models import CommuneSuccession
from contributions import rollup
from tests import factories as f

DIEN_BIEN = "11"
LAO_CAI = "15"


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Uploaded and generated files of this test process go to a folder of its own, never
    the checkout's media/ (parallel test processes number their rows alike, so report
    files of the same number would collide); the real workers a test starts use it too."""
    import os

    from django.conf import settings
    from django.test.signals import setting_changed

    path = str(tmp_path_factory.mktemp("media"))
    settings.MEDIA_ROOT = path
    setting_changed.send(sender=None, setting="MEDIA_ROOT", value=path, enter=True)
    os.environ["MEDIA_ROOT"] = path
    return path


def pytest_collection_modifyitems(items):
    """Every transactional test rolls back by serialization. A transactional test without it
    ends with a flush that runs post_migrate, which makes the content types anew under new
    ids; the next test with serialized_rollback then loads the old rows beside them and
    fails on their unique (app_label, model). Which test follows which depends on xdist."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if not marker.kwargs.get("serialized_rollback"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.fixture(scope="session")
def _admin_units_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_admin_units", province=[DIEN_BIEN, LAO_CAI], verbosity=0)


@pytest.fixture
def admin_units(_admin_units_once, db):
    """Điện Biên and Lào Cai (current and pre-reform units), loaded once per test session.

    A transactional test (the browser tests) empties every table when it ends and restores
    only what the migrations created (serialized_rollback); the next test that needs the
    units loads them again.
    """
    from communes.models import Province

    if not Province.objects.filter(code=DIEN_BIEN, valid_to__isnull=True).exists():
        call_command("load_admin_units", province=[DIEN_BIEN, LAO_CAI], verbosity=0)


@dataclass
class World:
    province: object
    other_province: object
    decision: object
    old_decision: object
    other_decision: object
    agency_a: object
    agency_b: object
    district: object
    legacy_commune: object
    commune: object
    commune_b: object
    assignment_a: object
    old_assignment_a: object
    assignment_b: object
    other_assignment: object
    activity_a: object
    old_activity_a: object
    activity_b: object
    other_activity: object
    submitted_activity_a: object
    confirmed_activity_a: object
    attachment_a: object
    import_job_a: object
    report_draft: object
    report_issued: object
    other_report: object
    need_a: object
    need_b: object
    check_a: object  # recorded, with a photo
    open_check_a: object
    meeting: object
    other_meeting: object
    task_a: object  # for agency A, overdue
    commune_task: object
    plan_item_a: object  # in agency A's 2026 plan for the commune
    users: dict


def factory_file(name: str, data: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(data, name=name)


PERSONAS = [
    "secretariat",
    "leadership",
    "agency_leader_a",
    "agency_staff_a",
    "agency_staff_b",
    "commune_officer",
    "district_officer",
    "other_province",
    "superuser",
    "national",
]


def build_world() -> World:
    """Province P with agencies A and B; a pre-reform commune that went into commune C.

    Usually through the `world` fixture; tests/test_permission_matrix.py builds one for all
    its rows."""
    province = f.ProvinceFactory(name="Tỉnh Thử Nghiệm")
    other_province = f.ProvinceFactory(name="Tỉnh Bên Cạnh")
    legacy_province = f.LegacyProvinceFactory(successor=province)
    district = f.DistrictFactory(province=legacy_province)
    legacy_commune = f.LegacyCommuneFactory(district=district, name="Xã Cũ Mường")
    commune = f.CommuneFactory(province=province, name="Xã Mới Mường")
    CommuneSuccession.objects.create(predecessor=legacy_commune, successor=commune)
    commune_b = f.CommuneFactory(province=province, name="Xã Khác Hẳn")

    old_decision = f.DecisionFactory(
        province=province,
        phase_start=datetime.date(2021, 1, 1),
        phase_end=datetime.date(2025, 12, 31),
        status="replaced",
    )
    decision = f.DecisionFactory(
        province=province,
        phase_start=datetime.date(2025, 7, 1),
        phase_end=datetime.date(2030, 12, 31),
        replaces=old_decision,
    )
    other_decision = f.DecisionFactory(province=other_province)
    agency_a = f.AgencyFactory(province=province, name="Ban Dân vận Thử")
    agency_b = f.AgencyFactory(province=province, name="Sở Khác Thử")
    old_assignment_a = f.AssignmentFactory(
        decision=old_decision,
        agency=agency_a,
        commune=legacy_commune,
        valid_to=datetime.date(2025, 6, 30),
    )
    assignment_a = f.AssignmentFactory(decision=decision, agency=agency_a, commune=commune)
    assignment_b = f.AssignmentFactory(decision=decision, agency=agency_b, commune=commune_b)
    other_assignment = f.AssignmentFactory(decision=other_decision)

    activity_a = f.ActivityFactory(assignment=assignment_a, start_date=datetime.date(2026, 3, 2))
    old_activity_a = f.ActivityFactory(
        assignment=old_assignment_a, start_date=datetime.date(2024, 5, 2)
    )
    activity_b = f.ActivityFactory(assignment=assignment_b, start_date=datetime.date(2026, 3, 2))
    other_activity = f.ActivityFactory(assignment=other_assignment)
    submitted_activity_a = f.ActivityFactory(assignment=assignment_a, status="submitted")
    confirmed_activity_a = f.ActivityFactory(assignment=assignment_a, status="confirmed")
    for activity in (
        activity_a,
        old_activity_a,
        activity_b,
        other_activity,
        submitted_activity_a,
        confirmed_activity_a,
    ):
        f.ContributionFactory(activity=activity)
    attachment_a = f.AttachmentFactory(activity=activity_a)
    pdf = factory_file("bao-cao.pdf", b"%PDF-1.7 thu nghiem")
    report_draft = f.ReportRunFactory(province=province, status="done", pdf=pdf, xlsx=pdf)
    report_issued = f.ReportRunFactory(
        province=province, status="issued", final=True, pdf=pdf, xlsx=pdf,
        figures={"total_value": 0, "cash_value": 0, "activities": 0},
    )  # fmt: skip
    other_report = f.ReportRunFactory(province=other_province, status="issued", pdf=pdf)

    need_a = f.NeedFactory(commune=commune)
    need_b = f.NeedFactory(commune=commune_b)
    support_a = f.SupportFactory(activity=activity_a)
    check_a = f.CheckFactory(
        support=support_a, months=6, due_date=datetime.date(2026, 9, 2),
        checked_on=datetime.date(2026, 9, 5), outcome="kept",
        photo=factory_file("bo-giong.png", f.PNG_PIXEL), photo_type="image/png",
    )  # fmt: skip
    open_check_a = f.CheckFactory(support=support_a, months=12, due_date=datetime.date(2027, 3, 2))
    plan_item_a = f.PlanItemFactory(
        plan=f.PlanFactory(assignment=assignment_a, year=2026), category=activity_a.category
    )
    meeting = f.MeetingFactory(province=province)
    other_meeting = f.MeetingFactory(province=other_province)
    task_a = f.TaskFactory(meeting=meeting, agency=agency_a)
    commune_task = f.TaskFactory(
        meeting=meeting, assignee="commune", commune=commune, what="Lập danh sách hộ nghèo",
        due_date=datetime.date(2027, 1, 15),
    )  # fmt: skip

    def person(kind, prov=province, **scope):
        return f.RoleFactory(kind=kind, province=prov, **scope).user

    users = {
        "secretariat": person(Role.Kind.SECRETARIAT),
        "leadership": person(Role.Kind.LEADERSHIP),
        "agency_leader_a": person(Role.Kind.AGENCY_LEADER, agency=agency_a),
        "agency_staff_a": person(Role.Kind.AGENCY_STAFF, agency=agency_a),
        "agency_staff_b": person(Role.Kind.AGENCY_STAFF, agency=agency_b),
        "commune_officer": person(Role.Kind.COMMUNE_OFFICER, commune=commune),
        "district_officer": person(Role.Kind.DISTRICT_OFFICER, district=district),
        "other_province": person(Role.Kind.SECRETARIAT, prov=other_province),
        "superuser": f.UserFactory(is_superuser=True, is_staff=True),
        # the centre: a national role in each province, reading both, writing nothing
        "national": person(Role.Kind.NATIONAL, prov=other_province),
    }
    f.RoleFactory(user=users["national"], kind=Role.Kind.NATIONAL, province=province)
    # A workbook of agency A's staff, checked clean and waiting to be saved.
    import_job_a = f.ImportJobFactory(agency=agency_a, created_by=users["agency_staff_a"])
    return World(
        province=province,
        other_province=other_province,
        decision=decision,
        old_decision=old_decision,
        other_decision=other_decision,
        agency_a=agency_a,
        agency_b=agency_b,
        district=district,
        legacy_commune=legacy_commune,
        commune=commune,
        commune_b=commune_b,
        assignment_a=assignment_a,
        old_assignment_a=old_assignment_a,
        assignment_b=assignment_b,
        other_assignment=other_assignment,
        activity_a=activity_a,
        old_activity_a=old_activity_a,
        activity_b=activity_b,
        other_activity=other_activity,
        submitted_activity_a=submitted_activity_a,
        confirmed_activity_a=confirmed_activity_a,
        attachment_a=attachment_a,
        report_draft=report_draft,
        report_issued=report_issued,
        other_report=other_report,
        need_a=need_a,
        need_b=need_b,
        check_a=check_a,
        open_check_a=open_check_a,
        meeting=meeting,
        other_meeting=other_meeting,
        task_a=task_a,
        commune_task=commune_task,
        plan_item_a=plan_item_a,
        import_job_a=import_job_a,
        users=users,
    )


@pytest.fixture
def world(db):
    yield build_world()
    # Whatever the test did through the app, the monthly rollups still equal the raw rows.
    assert rollup.differences() == dict.fromkeys(rollup.TABLES, 0)


@pytest.fixture(autouse=True)
def verified_logins(monkeypatch):
    """`client.force_login` skips the password; for an account that must use two-factor
    login it also skips the code, as if it had been typed (the session holds a confirmed
    device, exactly what a verified login leaves). tests/assignments/test_two_factor.py
    logs in through the form, code and all."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from assignments.two_factor import requires_two_factor

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if requires_two_factor(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            device = device or TOTPDevice.objects.create(user=user, name="Thử nghiệm")
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness is for attackers, not for the test suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Tasks run in the test's own process unless a test asks for a real worker
    (`@pytest.mark.real_worker`), which it then starts itself."""
    from config.celery import app

    eager = "real_worker" not in request.keywords
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


_emptied = {"flag": False}


@pytest.fixture(autouse=True)
def reference_data(request):
    """A transactional test leaves the database empty (Django restores the migrations' data
    only at the start of the next serialized-rollback test): from then on, each test that
    uses the database gets the reference data the migrations create back, inside its own
    transaction (so it is rolled back with it, and put back again for the next one)."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "world", "admin_units"} & set(request.fixturenames)
    if uses_db and _emptied["flag"] and not (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("db")
        from contributions.catalogue import ensure_defaults
        from operations.schedule import ensure_schedule as ensure_operations_schedule
        from reports.periodic import ensure_schedule

        ensure_defaults()
        ensure_schedule()
        ensure_operations_schedule()
    yield
    if marker is not None and marker.kwargs.get("transaction"):
        _emptied["flag"] = True


def worker_environment(settings, **extra_env) -> dict:
    """The environment of a real worker process: the test database (PostgreSQL) and REDIS_URL;
    skips the test where there is neither."""
    import os

    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL for a real worker")
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        pytest.skip("the worker needs a database it can share: PostgreSQL")
    return {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        **extra_env,
    }


def start_worker(settings, queue: str, name: str, env: dict, pool: str = "solo"):
    """One real Celery worker process consuming `queue`. The solo pool runs the task in that
    very process (a SIGKILL of it kills the task mid-way); time limits need the prefork pool,
    as in production."""
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=1",
         f"--pool={pool}", "-Q", queue, "-n", f"{name}-{queue}@%h", "--without-gossip",
         "--without-mingle", "--loglevel=WARNING"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


@contextlib.contextmanager
def own_queue():
    """A queue of this test's own, so workers of parallel test processes never take each
    other's jobs; tasks are sent there (not run in-process) while the block runs."""
    import os

    from config.celery import app

    queue = f"test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue, app.conf.task_always_eager
    app.conf.task_default_queue, app.conf.task_always_eager = queue, False
    try:
        yield queue
    finally:
        app.conf.task_default_queue, app.conf.task_always_eager = previous


@contextlib.contextmanager
def celery_workers(settings, count: int = 1, pool: str = "solo", **extra_env):
    """`count` real Celery worker processes on REDIS_URL, sharing the test database
    (PostgreSQL), all consuming one queue of this test's own. Yields the queue name."""
    env = worker_environment(settings, **extra_env)
    with own_queue() as queue:
        workers = [start_worker(settings, queue, f"w{n}", env, pool) for n in range(count)]
        try:
            yield queue
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=30)


@pytest.fixture
def celery_worker_process(settings):
    """A real Celery worker process (see `celery_workers`)."""
    with celery_workers(settings) as queue:
        yield queue


DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def dead_broker():
    """The Celery app pointed at a broker that refuses every connection, as when Redis is
    down; the app's connection pools are dropped so nothing reuses a live connection."""
    import kombu.pools

    from config.celery import app
    from core import jobs

    def reset_pools():
        # kombu keeps its connection and producer pools in global registries keyed by the
        # broker URL: closing one pool alone leaves a closed pool there for the next test
        # ("Acquire on closed pool"); kombu.pools.reset closes them all and clears them.
        kombu.pools.reset()
        app._pool = None
        app.amqp._producer_pool = None
        jobs._answers.clear()

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = DEAD_BROKER, False
    reset_pools()
    yield
    app.conf.broker_url, app.conf.task_always_eager = saved
    reset_pools()
