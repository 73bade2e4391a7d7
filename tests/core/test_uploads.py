"""Uploads are identified by decoding them, not by their first bytes or their name."""

import io
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from core.uploads import FileRefused, clean_upload

SCRIPT = b"<html><script>fetch('/users/').then(r=>r.text()).then(alert)</script></html>"


def image_bytes(kind: str, size=(40, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, format=kind, **save)
    return out.getvalue()


def pdf_bytes(*, script: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if script:
        from pypdf.actions import JavaScript

        writer.add_open_action(JavaScript(script))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name: str, data: bytes, content_type="image/webp"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_webp_header_in_front_of_html_is_refused():
    # What the probe sent: the first twelve bytes of a WebP, then a page.
    polyglot = b"RIFF\x00\x10\x00\x00WEBPVP8 " + SCRIPT
    with pytest.raises(FileRefused, match="không phải ảnh"):
        clean_upload(upload("anh.html", polyglot))


def test_html_appended_to_a_real_image_does_not_survive():
    for kind, content_type in [("WEBP", "image/webp"), ("PNG", "image/png"),
                               ("JPEG", "image/jpeg")]:  # fmt: skip
        clean = clean_upload(upload("trao-qua.js", image_bytes(kind) + SCRIPT))
        assert (clean.content_type, clean.extension) == (content_type, kind.lower()[:4]
                                                          .replace("jpeg", "jpg"))  # fmt: skip
        assert b"<script" not in clean.content
        assert clean.as_content_file().name.endswith("." + clean.extension)
        assert "trao-qua" not in clean.as_content_file().name
        with Image.open(io.BytesIO(clean.content)) as image:
            assert image.format == kind and image.size == (40, 30)


def test_photo_metadata_is_dropped_and_orientation_kept():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: the re-encoded photo stands the right way up
    exif[0x010F] = "Máy ảnh của anh A"  # the camera's make
    clean = clean_upload(upload("a.jpg", image_bytes("JPEG", (40, 30), exif=exif.tobytes())))
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.size == (30, 40)
        assert not image.getexif()
    assert b"Exif" not in clean.content


def test_a_huge_canvas_in_a_small_file_is_refused_quickly():
    # A PNG that declares 100 000 × 100 000 pixels in a few hundred bytes.
    small = image_bytes("PNG", (1, 1))
    header = bytearray(small)
    header[16:24] = (100_000).to_bytes(4, "big") * 2
    header[29:33] = zlib.crc32(bytes(header[12:29])).to_bytes(4, "big")  # IHDR's checksum
    started = time.monotonic()
    with pytest.raises(FileRefused, match="quá lớn"):
        clean_upload(upload("bom.png", bytes(header), "image/png"))
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "rỗng"),
        (b"MZ\x90\x00 a Windows program", "không phải ảnh"),
        (image_bytes("PNG")[:60], "không phải ảnh"),  # cut off in the middle
        (b"GIF89a" + b"\x00" * 40, "không phải ảnh"),  # a real format, not one we take
        (b"%PDF-1.7\n" + SCRIPT, "không phải tệp PDF"),
    ],
)
def test_what_cannot_be_decoded_is_refused(data, message):
    import weasyprint  # noqa: F401  (it lets Pillow accept cut-off images, process-wide)

    with pytest.raises(FileRefused, match=message):
        clean_upload(upload("tep.png", data))


def test_a_pdf_is_written_anew_without_scripts_or_what_was_appended():
    data = pdf_bytes(script="app.alert('x')") + SCRIPT
    assert b"/JavaScript" in data
    clean = clean_upload(upload("bien-ban.pdf", data, "application/pdf"))
    assert clean.content_type == "application/pdf"
    assert b"<script" not in clean.content and b"/JavaScript" not in clean.content
    assert len(PdfReader(io.BytesIO(clean.content)).pages) == 1


def test_a_pdf_is_refused_where_only_photos_are_taken():
    with pytest.raises(FileRefused, match="chỉ nhận ảnh"):
        clean_upload(upload("a.pdf", pdf_bytes(), "application/pdf"), allow_pdf=False)


def test_a_file_over_the_limit_is_refused_before_decoding():
    with pytest.raises(FileRefused, match="lớn hơn 1 MB"):
        clean_upload(upload("a.png", b"\x89PNG" + b"\x00" * (1024 * 1024)), max_bytes=1024 * 1024)
