"""Attachments and photos through the pages: hostile files refused, real ones rewritten, all
served with the stored type, nosniff, a sandbox and a Content-Disposition."""

import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followup.models import FollowUpCheck
from tests.core.test_uploads import SCRIPT, image_bytes

POLYGLOT = b"RIFF\x00\x10\x00\x00WEBPVP8 " + SCRIPT


def served_headers(response) -> dict:
    return {
        "type": response["Content-Type"],
        "nosniff": response["X-Content-Type-Options"],
        "csp": response["Content-Security-Policy"],
        "disposition": response["Content-Disposition"].split(";")[0],
    }


def test_a_script_bearing_photo_is_refused_and_nothing_is_stored(client, world):
    client.force_login(world.users["agency_staff_a"])
    url = reverse("check_record", args=[world.open_check_a.pk])
    photo = SimpleUploadedFile("anh.html", POLYGLOT, content_type="text/html")
    page = client.post(url, {"checked_on": "2026-10-01", "outcome": "kept", "photo": photo})
    assert "không phải ảnh (JPEG, PNG, WebP)" in page.content.decode()
    check = FollowUpCheck.objects.get(pk=world.open_check_a.pk)
    assert (check.outcome, check.photo.name) == ("", "")


def test_a_real_photo_is_stored_re_encoded_and_served_with_its_type(client, world):
    client.force_login(world.users["agency_staff_a"])
    url = reverse("check_record", args=[world.open_check_a.pk])
    photo = SimpleUploadedFile("anh.js", image_bytes("WEBP") + SCRIPT, content_type="text/js")
    client.post(url, {"checked_on": "2026-10-01", "outcome": "kept", "photo": photo})
    check = FollowUpCheck.objects.get(pk=world.open_check_a.pk)
    assert check.photo.name.endswith(".webp") and "anh" not in check.photo.name
    assert check.photo_type == "image/webp"
    response = client.get(reverse("check_photo", args=[check.pk]))
    body = b"".join(response.streaming_content)
    assert b"<script" not in body and body.startswith(b"RIFF")
    assert served_headers(response) == {
        "type": "image/webp",
        "nosniff": "nosniff",
        "csp": "default-src 'none'; img-src 'self'; sandbox",
        "disposition": "inline",
    }


def test_an_attachment_that_lies_about_its_type_is_refused(client, world):
    client.force_login(world.users["agency_staff_a"])
    url = reverse("attachment_upload", args=[world.activity_a.pk])
    before = world.activity_a.attachments.count()
    fake = SimpleUploadedFile("bien-ban.webp", POLYGLOT, content_type="image/webp")
    real = SimpleUploadedFile("anh.png", image_bytes("PNG"), content_type="image/png")
    response = client.post(url, {"kind": "photo", "files": [real, fake]}, follow=True)
    assert "«bien-ban.webp» không phải ảnh" in response.content.decode()
    assert world.activity_a.attachments.count() == before  # all or nothing


def test_attachments_are_stored_under_generated_names_and_served_safely(client, world):
    from tests.core.test_uploads import pdf_bytes

    client.force_login(world.users["agency_staff_a"])
    url = reverse("attachment_upload", args=[world.activity_a.pk])
    files = [
        SimpleUploadedFile("../../trao qua.jpg", image_bytes("JPEG"), content_type="image/png"),
        SimpleUploadedFile("bien-ban.html", pdf_bytes() + SCRIPT, content_type="text/html"),
    ]
    client.post(url, {"kind": "minutes", "files": files})
    photo, minutes = world.activity_a.attachments.order_by("-pk")[:2][::-1]
    assert (photo.original_name, photo.content_type) == ("trao qua.jpg", "image/jpeg")
    assert (minutes.original_name, minutes.content_type) == ("bien-ban.html", "application/pdf")
    assert photo.file.name.endswith(".jpg") and minutes.file.name.endswith(".pdf")
    assert "trao" not in photo.file.name and "bien" not in minutes.file.name
    served = client.get(reverse("attachment_file", args=[minutes.pk]))
    assert served_headers(served)["type"] == "application/pdf"
    assert served_headers(served)["disposition"] == "attachment"
    assert b"<script" not in b"".join(served.streaming_content)
    assert served_headers(client.get(reverse("attachment_file", args=[photo.pk])))["type"] == (
        "image/jpeg"
    )


def test_too_many_files_at_once_are_refused(client, world):
    client.force_login(world.users["agency_staff_a"])
    url = reverse("attachment_upload", args=[world.activity_a.pk])
    before = world.activity_a.attachments.count()
    files = [SimpleUploadedFile(f"{n}.png", image_bytes("PNG")) for n in range(11)]
    response = client.post(url, {"kind": "photo", "files": files}, follow=True)
    assert "tối đa 10 tệp" in response.content.decode()
    assert world.activity_a.attachments.count() == before


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, world, settings):
    settings.MAX_REQUEST_BYTES = 64 * 1024
    client.force_login(world.users["agency_staff_a"])
    url = reverse("attachment_upload", args=[world.activity_a.pk])
    before = world.activity_a.attachments.count()
    big = SimpleUploadedFile("a.png", image_bytes("PNG") + b"\x00" * 100_000)
    response = client.post(url, {"kind": "photo", "files": [big]})
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in response.content.decode()
    assert world.activity_a.attachments.count() == before


@pytest.mark.django_db(transaction=True)
def test_a_declared_huge_body_is_answered_at_once_without_being_sent(live_server):
    """A client declares 10 GB and sends nothing more: the answer comes before any body."""
    host, port = live_server.thread.host, live_server.thread.port
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 10737418240\r\n\r\n"
        )
        answer = conn.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")


def test_files_stored_before_are_decoded_again_by_the_migrations(world):
    """Files checked only by their first bytes before: a polyglot goes, a real one is
    rewritten under a generated name with its type."""
    import importlib

    from django.apps import apps
    from django.core.files.base import ContentFile

    from tests import factories as f

    hostile = f.AttachmentFactory(activity=world.activity_a, content_type="image/webp",
                                  file=ContentFile(POLYGLOT, name="x.html"))  # fmt: skip
    appended = ContentFile(image_bytes("PNG") + SCRIPT, name="anh.png")
    real = f.AttachmentFactory(activity=world.activity_a, original_name="anh.png", file=appended)
    check = world.open_check_a
    check.photo.save("bo.html", ContentFile(POLYGLOT), save=True)
    kept = world.check_a
    kept.photo.save("bo.png", ContentFile(image_bytes("PNG")), save=True)
    importlib.import_module(
        "contributions.migrations.0010_attachments_decoded"
    ).reclean_attachments(apps, None)
    importlib.import_module("followup.migrations.0006_photo_type").reclean_photos(apps, None)

    assert not type(hostile).objects.filter(pk=hostile.pk).exists()
    real.refresh_from_db()
    assert real.file.name.endswith(".png") and "anh" not in real.file.name
    assert b"<script" not in real.file.read()
    check.refresh_from_db()
    kept.refresh_from_db()
    assert (check.photo.name, check.photo_type) == ("", "")
    assert kept.photo.name.endswith(".png") and kept.photo_type == "image/png"
