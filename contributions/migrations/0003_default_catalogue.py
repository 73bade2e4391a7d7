"""Load the default fields of work and in-kind catalogue (contributions/catalogue.py)."""

from django.db import migrations

from contributions.catalogue import ensure_defaults


def create(apps, schema_editor):
    ensure_defaults(apps.get_model("contributions", "Category"), apps.get_model("contributions", "Item"))


class Migration(migrations.Migration):
    dependencies = [("contributions", "0002_phase_triggers")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
