"""What a user may type as a link and upload as a file, checked the same way by every app's
services (so the API, the workbench pages and the admin share one rule).

Links: only ``http`` and ``https`` (a ``javascript:`` or ``data:`` link shown on a page would
run in the visitor's browser).

Files: recognised by their content, never by the sender's name or content type: a PDF starts
with ``%PDF-``; an image is what Pillow reads from its header (JPEG, PNG or WEBP), within a
pixel budget checked before any pixel is decoded. The stored name is chosen by the server (a
random stem with the extension of the recognised type) and private documents live under
``private/``, which the media route does not serve: they are read through a view that checks
who may read them and answers with the right type, ``nosniff`` and ``attachment``.
Only the storage API is used (``FieldFile.save``/``open``), so the files may be on the local
disc or in an object store."""

from __future__ import annotations

import uuid
import warnings
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .errors import field_error

URL_MAX_LENGTH = 200  # Django's URLField default, the column the links are stored in
PRIVATE_PREFIX = "private/"

PDF, JPEG, PNG, WEBP = "pdf", "jpg", "png", "webp"
DOCUMENT_TYPES = (PDF, JPEG, PNG, WEBP)
CONTENT_TYPES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png",
                 WEBP: "image/webp"}
_PILLOW_FORMATS = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP}

_url_validator = URLValidator(schemes=["http", "https"])


def default_pixel_budget() -> int:
    return getattr(settings, "IMAGE_MAX_PIXELS", 25_000_000)


def clean_url(value, field: str, code, *, max_length: int = URL_MAX_LENGTH) -> str:
    """``value`` stripped, empty, or a valid http(s) link of at most ``max_length``
    characters; anything else is a field error with ``code``."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if len(text) > max_length:
        raise field_error(field, _("The link is longer than %(limit)s characters.")
                          % {"limit": max_length}, code)
    try:
        _url_validator(text)
    except ValidationError:
        raise field_error(field, _("Enter a web link starting with http:// or https://."),
                          code) from None
    return text


def sniff_type(upload, *, max_pixels: int | None = None) -> str | None:
    """The allowed type of ``upload`` recognised from its bytes (``pdf``, ``jpg``, ``png``,
    ``webp``), or None. Images are checked from their header only: a picture over the pixel
    budget is refused without decoding it."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if isinstance(head, str):
        return None
    if head.startswith(b"%PDF-"):
        return PDF
    budget = max_pixels or default_pixel_budget()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                kind = _PILLOW_FORMATS.get(image.format)
                width, height = image.size
                if kind is None or width * height > budget:
                    return None
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return kind


def check_document(upload, field: str, code, *, max_bytes: int,
                   allowed: tuple[str, ...] = DOCUMENT_TYPES, too_large_code=None) -> str:
    """Refuse anything but an allowed type within ``max_bytes``; return its extension."""
    if upload is None:
        raise field_error(field, _("Upload the document."), code)
    size = getattr(upload, "size", None)
    if size is None:
        raise field_error(field, _("Invalid file."), code)
    if size > max_bytes:
        raise field_error(field, _("The file is too large (%(size)s MB); the limit is "
                                   "%(limit)s MB.") % {"size": round(size / 1048576, 1),
                                                       "limit": round(max_bytes / 1048576, 1)},
                          too_large_code or code)
    kind = sniff_type(upload)
    if kind not in allowed:
        raise field_error(field, _("Upload a PDF, JPEG, PNG or WEBP file; this file is "
                                   "none of these."), code)
    return kind


@deconstructible
class RandomName:
    """``upload_to`` for uploads: ``<folder>/<random>.<ext>``, the extension taken from the
    name the service gives (the recognised type), never from the sender."""

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, _instance, filename: str) -> str:
        ext = PurePosixPath(filename).suffix.lower().lstrip(".")
        if ext not in CONTENT_TYPES:
            ext = "bin"
        return f"{self.folder}/{uuid.uuid4().hex}.{ext}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder


def save_upload(fieldfile, upload, kind: str) -> None:
    """Store ``upload`` in ``fieldfile`` under a server-chosen name of type ``kind``."""
    upload.seek(0)
    fieldfile.save(f"upload.{kind}", upload, save=False)
