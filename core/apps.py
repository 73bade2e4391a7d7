from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Dùng chung"

    def ready(self):
        from . import checks, lookups  # noqa: F401 - checks register themselves

        lookups.register()
