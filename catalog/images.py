"""Product images with Pillow: checking uploads and making thumbnails.

An upload must really be an image (decoded, not just named so), within the size and
dimension limits from settings. Thumbnails are made once per (image, size, format), in
WEBP or JPEG, and kept as ``Thumbnail`` rows."""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from shop.errors import field_error

from .error_codes import ProductErrorCode
from .models import ProductMedia, Thumbnail

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
EXTENSIONS = {"JPEG": "jpg", "WEBP": "webp", "AVIF": "avif", "PNG": "png", "GIF": "gif"}
# Options of each thumbnail encoder.
ENCODER_OPTIONS = {
    "WEBP": {"quality": 82, "method": 4},
    "AVIF": {"quality": 60, "speed": 8},
    "JPEG": {"quality": 85, "optimize": True, "progressive": True},
}


def thumbnail_formats() -> list[str]:
    """Formats a thumbnail may be asked in: those made ahead for every image, and those
    made on first request only (AVIF, slower to encode)."""
    return [*settings.THUMBNAIL_FORMATS, *settings.THUMBNAIL_ON_DEMAND_FORMATS]


def validate_image(upload, field: str = "image") -> tuple[int, int, str]:
    """Check ``upload`` is a real image within limits; return (width, height, format)."""

    def fail(message, code=ProductErrorCode.NOT_PRODUCTS_IMAGE, **params):
        return field_error(field, message, code, **params)

    def dimensions_error(width, height):
        return fail(_("Image must be between %(low)s and %(high)s pixels on each side; "
                      "this one is %(w)s×%(h)s."), ProductErrorCode.INVALID,
                    low=settings.IMAGE_MIN_DIMENSION, high=settings.IMAGE_MAX_DIMENSION,
                    w=width, h=height)

    size = getattr(upload, "size", None)
    if size is None:
        raise fail(_("Invalid file."))
    if size > settings.IMAGE_MAX_UPLOAD_BYTES:
        raise fail(_("The file is too large (%(size)s MB); the limit is %(limit)s MB."),
                   ProductErrorCode.FILE_TOO_LARGE,
                   size=round(size / 1048576, 1),
                   limit=round(settings.IMAGE_MAX_UPLOAD_BYTES / 1048576, 1))
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            # Over the budget Pillow warns; the budget is checked (and refused) just below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                fmt = image.format
                width, height = image.size
                image.verify()
        if max(width, height) > settings.IMAGE_MAX_DIMENSION:
            # Refused before decoding: a small file can hold a huge, memory-hungry image.
            raise dimensions_error(width, height)
        if width * height > settings.IMAGE_MAX_PIXELS:
            raise fail(_("The image has %(pixels)s million pixels; the limit is %(limit)s "
                         "million."), ProductErrorCode.INVALID,
                       pixels=round(width * height / 1e6, 1),
                       limit=round(settings.IMAGE_MAX_PIXELS / 1e6, 1))
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()  # decodes the pixels: truncated or corrupt files fail here
            # A photo taken sideways is shown (and thumbnailed) upright: report that shape.
            if image.getexif().get(0x0112) in (5, 6, 7, 8):
                width, height = height, width
    except Image.DecompressionBombError:
        # Pillow refuses, from the header, a picture over twice the project's budget.
        raise fail(_("The image has more than %(limit)s million pixels."),
                   ProductErrorCode.INVALID,
                   limit=round(settings.IMAGE_MAX_PIXELS / 1e6, 1)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise fail(_("The file is not an image or is damaged.")) from None
    finally:
        upload.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise fail(_("Unsupported image format %(format)s; use JPEG, PNG, WEBP or GIF."),
                   format=fmt)
    low, high = settings.IMAGE_MIN_DIMENSION, settings.IMAGE_MAX_DIMENSION
    if min(width, height) < low or max(width, height) > high:
        raise dimensions_error(width, height)
    return width, height, fmt


def thumbnail_size(requested: int | None) -> int:
    """The smallest standard size at least ``requested`` (the largest when bigger)."""
    sizes = sorted(settings.THUMBNAIL_SIZES)
    if not requested:
        return sizes[-1]
    return next((s for s in sizes if s >= requested), sizes[-1])


def render_thumbnail(source, size: int, fmt: str) -> bytes:
    """Resize ``source`` (a file) so its longest side is ``size``; encode as ``fmt``."""
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((size, size), Image.Resampling.LANCZOS)
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, (255, 255, 255))
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        elif fmt in ("WEBP", "AVIF") and image.mode not in ("RGB", "RGBA"):
            # Alpha may be a band (LA, PA) or palette transparency (P with "transparency").
            has_alpha = "A" in image.getbands() or "transparency" in image.info
            image = image.convert("RGBA" if has_alpha else "RGB")
        out = io.BytesIO()
        image.save(out, format=fmt, **ENCODER_OPTIONS[fmt])
        return out.getvalue()


def get_or_create_thumbnail(media: ProductMedia, size: int, fmt: str) -> Thumbnail:
    """The stored thumbnail of ``media``, made now if it does not exist yet (idempotent)."""
    fmt = fmt.upper()
    if fmt not in thumbnail_formats():
        raise ValueError(f"unsupported thumbnail format {fmt}")
    size = thumbnail_size(size)
    existing = Thumbnail.objects.filter(media=media, size=size, format=fmt).first()
    if existing is not None:
        return existing
    media.image.open("rb")
    try:
        data = render_thumbnail(media.image, size, fmt)
    finally:
        media.image.close()
    thumb = Thumbnail(media=media, size=size, format=fmt)
    name = f"{media.pk}-{size}.{EXTENSIONS[fmt]}"
    thumb.image.save(name, ContentFile(data), save=False)
    try:
        thumb.save()
    except IntegrityError:  # made concurrently by another worker: keep theirs
        thumb.image.delete(save=False)
        thumb = Thumbnail.objects.get(media=media, size=size, format=fmt)
    return thumb
