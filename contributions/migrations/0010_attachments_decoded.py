"""Attachments stored before were checked by their first bytes only: each is decoded and
rewritten now (images re-encoded, PDFs written anew), stored under a generated name with the
type found in its content; one that is neither a real image nor a readable PDF is removed."""

from django.db import migrations


def reclean_attachments(apps, schema_editor):
    from core.uploads import FileRefused, clean_upload

    Attachment = apps.get_model("contributions", "Attachment")
    for attachment in Attachment.objects.iterator():
        storage, old_name = attachment.file.storage, attachment.file.name
        try:
            with storage.open(old_name, "rb") as handle:
                handle.name = attachment.original_name
                clean = clean_upload(handle)
        except (FileRefused, OSError):
            attachment.delete()
        else:
            stored = clean.as_content_file()
            attachment.file.save(stored.name, stored, save=False)
            attachment.content_type, attachment.size = clean.content_type, clean.size
            attachment.save(update_fields=["file", "content_type", "size"])
        if storage.exists(old_name):
            storage.delete(old_name)


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0009_integrated_source"),
    ]

    operations = [
        migrations.RunPython(reclean_attachments, migrations.RunPython.noop, elidable=True),
    ]
