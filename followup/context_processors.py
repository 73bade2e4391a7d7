from django.utils.functional import SimpleLazyObject


def notifications(request):
    """The unread count for the navigation: one indexed count, only when a page shows it."""
    if not request.user.is_authenticated:
        return {}

    def unread():
        return request.user.notifications.filter(read_at=None).count()

    return {"unread_notifications": SimpleLazyObject(unread)}
