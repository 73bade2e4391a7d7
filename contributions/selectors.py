"""Reads of the contributions app that need more than a queryset."""

from assignments.models import Assignment
from assignments.scoping import AGENCY_ROLES, REVIEWERS

from .models import Activity, ReviewStatus


def waiting_for(user):
    """What waits for this user, by role: drafts and returned records for agency people,
    submitted records for commune and district officers."""
    agency = Activity.objects.visible_to(user, kinds=AGENCY_ROLES).filter(
        status__in=[ReviewStatus.DRAFT, ReviewStatus.RETURNED]
    )
    review = Activity.objects.visible_to(user, kinds=REVIEWERS).filter(
        status=ReviewStatus.SUBMITTED
    )
    return agency, review


def may_log_any(user) -> bool:
    """Does the user log work for some agency (and so see the 'new activity' button)?"""
    return Assignment.objects.loggable_by(user).exists()
