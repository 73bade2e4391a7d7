"""Follow-up photos get the type found in their content. Photos stored before were checked
by their first bytes only: each is decoded and re-encoded now and stored under a generated
name; one that is not a real image is removed (its check keeps its outcome and note)."""

from django.db import migrations, models


def reclean_photos(apps, schema_editor):
    from core.uploads import FileRefused, clean_upload

    FollowUpCheck = apps.get_model("followup", "FollowUpCheck")
    for check in FollowUpCheck.objects.exclude(photo="").iterator():
        storage, old_name = check.photo.storage, check.photo.name
        try:
            with storage.open(old_name, "rb") as handle:
                clean = clean_upload(handle, allow_pdf=False)
        except (FileRefused, OSError):
            clean = None
        if clean is not None:
            stored = clean.as_content_file()
            check.photo.save(stored.name, stored, save=False)
            check.photo_type = clean.content_type
        else:
            check.photo, check.photo_type = "", ""
        check.save(update_fields=["photo", "photo_type"])
        if storage.exists(old_name):
            storage.delete(old_name)


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0005_annual_plans"),
    ]

    operations = [
        migrations.AddField(
            model_name="followupcheck",
            name="photo_type",
            field=models.CharField(blank=True, max_length=50, verbose_name="kiểu ảnh"),
        ),
        migrations.RunPython(reclean_photos, migrations.RunPython.noop, elidable=True),
    ]
