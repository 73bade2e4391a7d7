"""Celery tasks of people's accounts: thin, they call `invitations`."""

from celery import shared_task

from . import invitations
from .models import User


@shared_task(acks_late=True, max_retries=0, soft_time_limit=20 * 60, time_limit=25 * 60)
def send_invitations(links: list[list], invited_by: int | None = None) -> int:
    """Email each invited person their link ([user id, link] pairs, made in the request
    that invited them); returns how many went. A person who has set a password meanwhile is
    skipped."""
    inviter = User.objects.filter(pk=invited_by).first() if invited_by else None
    users = User.objects.in_bulk([pk for pk, _ in links])
    sent = 0
    for pk, url in links:
        user = users.get(pk)
        if user is not None and invitations.is_pending(user):
            sent += invitations.send(user, url, invited_by=inviter)
    return sent
