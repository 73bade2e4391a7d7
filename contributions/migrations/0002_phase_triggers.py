"""Install the phase triggers (contributions/triggers.py); apps.py re-installs them after
every migrate, since SQLite loses them when a migration rebuilds the table."""

from django.db import migrations

from contributions import triggers


def create(apps, schema_editor):
    triggers.install(schema_editor.connection)


def drop(apps, schema_editor):
    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("contributions", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
