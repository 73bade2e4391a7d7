"""Set up Django and a throw-away test database for a benchmark."""

import contextlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")


@contextlib.contextmanager
def test_database():
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield name
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
        teardown_test_environment()


def logged_in_client(user):
    """A test client logged in as `user`, with the second factor counted as verified for an
    account that must use it (as a login through the form with a code leaves the session)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from assignments.two_factor import requires_two_factor

    client = Client()
    client.force_login(user)
    if requires_two_factor(user):
        device, _ = StaticDevice.objects.get_or_create(user=user, name="Đo hiệu năng")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
