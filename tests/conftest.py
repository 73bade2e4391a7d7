"""Shared fixtures: the administrative units of the demo province, loaded once per session."""

import pytest
from django.core.management import call_command

DIEN_BIEN = "11"
LAO_CAI = "15"


@pytest.fixture(scope="session")
def admin_units(django_db_setup, django_db_blocker):
    """Điện Biên and Lào Cai (current and pre-reform units), loaded once per test session."""
    with django_db_blocker.unblock():
        call_command("load_admin_units", province=[DIEN_BIEN, LAO_CAI], verbosity=0)
