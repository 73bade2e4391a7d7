"""Files people upload: identified from their content by a real decoder, rewritten, stored
under a generated name, and served with the type that was stored.

A check of the first bytes is not a guard: "RIFF....WEBP" followed by HTML passes it, and a
file named `.html` would then run in the app's origin for whoever opens it. So every image
is decoded to pixels and encoded again (which also drops EXIF, GPS and any bytes hidden after
the image), and every PDF is parsed and written anew without its scripts or embedded files.
What cannot be decoded is refused with a Vietnamese message and nothing is stored.
"""

import contextlib
import io
import threading
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.http import FileResponse
from PIL import Image, ImageFile, ImageOps

MAX_FILE_BYTES = 10 * 1024 * 1024
# 50 megapixels, a large phone photo; beyond it Pillow would allocate gigabytes for a tiny
# file that declares a huge canvas (a decompression bomb).
MAX_PIXELS = 50_000_000
# Photos are evidence, not prints: the long side is kept to 4096 px.
MAX_SIDE = 4096

IMAGE_FORMATS = {
    # Pillow format → (stored type, extension, save options)
    "JPEG": ("image/jpeg", "jpg", {"quality": 88, "optimize": True}),
    "PNG": ("image/png", "png", {"optimize": True}),
    "WEBP": ("image/webp", "webp", {"quality": 85}),
}
PDF = ("application/pdf", "pdf")
IMAGES_AND_PDF = "ảnh (JPEG, PNG, WebP) hay PDF"
IMAGES = "ảnh (JPEG, PNG, WebP)"


class FileRefused(ValueError):
    """The file is not what an upload may be; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class CleanFile:
    """A decoded and rewritten upload, ready to store."""

    content: bytes
    content_type: str
    extension: str
    original_name: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def as_content_file(self) -> ContentFile:
        """The bytes under a generated name with the right extension: nothing of the
        uploader's file name reaches the storage."""
        return ContentFile(self.content, name=f"{uuid.uuid4().hex}.{self.extension}")


def clean_upload(upload, *, allow_pdf: bool = True, max_bytes: int = MAX_FILE_BYTES) -> CleanFile:
    """Decode `upload` (a Django UploadedFile or any file object with .name) as an image, or
    a PDF when `allow_pdf`; FileRefused otherwise."""
    name = _display_name(getattr(upload, "name", "") or "")
    what = IMAGES_AND_PDF if allow_pdf else IMAGES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise FileRefused(
            f"Tệp «{name}» lớn hơn {max_bytes // (1024 * 1024)} MB: hãy giảm kích thước ảnh"
            " hoặc tách tệp."
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise FileRefused(f"Tệp «{name}» lớn hơn {max_bytes // (1024 * 1024)} MB.")
    if not data:
        raise FileRefused(f"Tệp «{name}» rỗng.")
    if b"%PDF-" in data[:1024]:
        if not allow_pdf:
            raise FileRefused(f"Tệp «{name}» là PDF: ở đây chỉ nhận {what}.")
        return CleanFile(_rewrite_pdf(data, name), *PDF, name)
    content, content_type, extension = _reencode_image(data, name, what)
    return CleanFile(content, content_type, extension, name)


def _display_name(name: str) -> str:
    """The uploader's file name as shown back to people: its last part, printable, short."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "tệp"
    return name[:200]


@contextlib.contextmanager
def _truncated_images_refused():
    """WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES when it is imported, which
    would let a cut-off image through as grey pixels: refuse them while decoding uploads."""
    with _pillow_flags:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


_pillow_flags = threading.Lock()


def _reencode_image(data: bytes, name: str, what: str) -> tuple[bytes, str, str]:
    refused = FileRefused(f"Tệp «{name}» không phải {what}, hoặc ảnh bị hỏng.")
    try:
        with warnings.catch_warnings(), _truncated_images_refused():
            # A DecompressionBombWarning is a refusal here, not a log line.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(IMAGE_FORMATS)) as image:
                kind = image.format
                if image.width * image.height > MAX_PIXELS:
                    raise FileRefused(f"Ảnh «{name}» quá lớn ({image.width}×{image.height} điểm).")
                image.load()
                image = ImageOps.exif_transpose(image)
                frame = _normalised(image, kind)
    except FileRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise FileRefused(f"Ảnh «{name}» quá lớn để xử lý.") from error
    except Exception as error:  # any decoder error means: not an image we accept
        raise refused from error
    content_type, extension, options = IMAGE_FORMATS[kind]
    frame.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    # No exif=, icc_profile= or pnginfo=: nothing of the original's metadata is written.
    frame.save(out, format=kind, **options)
    return out.getvalue(), content_type, extension


def _normalised(image: Image.Image, kind: str) -> Image.Image:
    """One still frame in a mode the format can write (animations keep their first frame)."""
    image.seek(0)
    if kind == "JPEG":
        return image.convert("RGB") if image.mode not in ("RGB", "L") else image.copy()
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        return image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info
                             else "RGB")  # fmt: skip
    return image.copy()


def _rewrite_pdf(data: bytes, name: str) -> bytes:
    """The PDF parsed and written again: pages and their content, without document-level
    scripts, automatic actions or embedded files, and without anything appended to it."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise FileRefused(f"Tệp PDF «{name}» có mật khẩu: hãy bỏ mật khẩu rồi tải lên lại.")
        if len(reader.pages) == 0:
            raise FileRefused(f"Tệp PDF «{name}» không có trang nào.")
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        for page in writer.pages:
            page.pop(NameObject("/AA"), None)
        writer.remove_links()
        out = io.BytesIO()
        writer.write(out)
    except FileRefused:
        raise
    except Exception as error:  # pypdf's many errors all mean: not a sound PDF
        raise FileRefused(f"Tệp «{name}» không phải tệp PDF đọc được.") from error
    return out.getvalue()


def file_response(file, *, content_type: str, filename: str, inline: bool) -> FileResponse:
    """Serve a stored user file with the type recorded when it was stored, never one guessed
    from its name; the browser is told not to sniff, and not to run anything in it."""
    response = FileResponse(
        file,
        content_type=content_type or "application/octet-stream",
        filename=filename,
        as_attachment=not inline,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser rendered it as a document, it would be a sandboxed one with no
    # script, no plugin and no access to the app's origin.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
