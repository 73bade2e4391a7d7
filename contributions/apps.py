from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_triggers(sender, using, **kwargs):
    from django.db import connections

    from . import triggers

    triggers.install(connections[using])


class ContributionsConfig(AppConfig):
    name = "contributions"
    verbose_name = "Hoạt động và đóng góp"

    def ready(self):
        post_migrate.connect(_install_triggers, sender=self)
