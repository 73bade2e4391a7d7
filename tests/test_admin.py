"""Django admin works for every model, in Vietnamese."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import (
    ActivityFactory,
    FieldVisitFactory,
    InKindContributionFactory,
    LegacyCommuneFactory,
    PersonFactory,
    ReportRunFactory,
    RoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def one_of_everything():
    InKindContributionFactory()
    FieldVisitFactory()
    PersonFactory()
    RoleFactory()
    ReportRunFactory()
    LegacyCommuneFactory()
    ActivityFactory()


def test_every_model_is_registered():
    registered = {m._meta.label for m in admin.site._registry}
    for label in [
        "communes.Province", "communes.District", "communes.Commune",
        "communes.CommuneSuccession", "communes.Village", "communes.CommuneClassification",
        "communes.CommuneIndicator", "assignments.User", "assignments.Agency",
        "assignments.Person", "assignments.Decision", "assignments.Assignment",
        "assignments.Role", "contributions.Category", "contributions.Item",
        "contributions.Activity", "contributions.Contribution", "contributions.FieldVisit",
        "reports.ReportRun", "followup.CommuneNeed", "followup.AnnualPlan",
        "followup.Meeting", "followup.Notification",
    ]:  # fmt: skip
        assert label in registered
    # Households are personal data, read on the app's pages alone, masked and logged there.
    assert "followup.HouseholdSupport" not in registered
    assert "followup.FollowUpCheck" not in registered
    assert "followup.PersonalDataAccess" not in registered


def test_admin_pages_answer_for_a_superuser(superuser_client, one_of_everything):
    index = superuser_client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "Giúp xã – quản trị hệ thống" in index.content.decode()
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = superuser_client.get(changelist)
        assert response.status_code == 200, changelist
        add = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403)
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert superuser_client.get(change).status_code == 200, change


def test_admin_speaks_vietnamese(superuser_client):
    response = superuser_client.get(reverse("admin:contributions_activity_changelist"))
    assert "hoạt động" in response.content.decode().lower()


def test_admin_refuses_anonymous(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
