"""Shapes the catalogue's types share: rich text, image URLs, weights, and whether the
caller manages a record's organisation."""

from __future__ import annotations

from functools import lru_cache
from html import escape

import graphene
from django.conf import settings
from django.urls import get_script_prefix, reverse

from api.core.permissions import can_manage_organization, current_user
from catalog.images import thumbnail_size
from shop.public_urls import absolute_url


def editorjs(text: str) -> dict:
    """Saleor clients expect rich text as EditorJS JSON (sent as a JSON string). A block's
    text is HTML to them (they put it into the page as it is), so the stored plain text is
    escaped: markup a seller typed reads as text instead of running in their pages."""
    blocks = [{"type": "paragraph", "data": {"text": escape(para)}}
              for para in (text or "").split("\n") if para.strip()]
    return {"time": 0, "blocks": blocks, "version": "2.24.3"}


def thumbnail_url(info, media, size, fmt) -> str:
    return thumbnail_url_of(media.pk, size, fmt)


def thumbnail_url_of(media_id: int, size, fmt) -> str:
    fmt = (getattr(fmt, "value", fmt) or "original").upper()
    if fmt == "ORIGINAL":
        fmt = "JPEG"
    head, tail = _thumbnail_address(thumbnail_size(size), fmt.lower(), settings.PUBLIC_URL,
                                    get_script_prefix())
    return f"{head}{media_id}{tail}"


_MEDIA_PLACEHOLDER = "4294967295"


@lru_cache(maxsize=64)
def _thumbnail_address(size: int, fmt: str, _public_url: str,
                       _prefix: str) -> tuple[str, str]:
    """The absolute address of a thumbnail of this size and format, before and after the
    picture's id (a page of 100 products builds it once, not through the URL resolver and
    the public address a hundred times); keyed by what the address is made from."""
    address = absolute_url(reverse("thumbnail", args=[int(_MEDIA_PLACEHOLDER), size, fmt]))
    head, _placeholder, tail = address.rpartition(_MEDIA_PLACEHOLDER)
    return head, tail


def image_url(info, field) -> str | None:
    return absolute_url(field.url) if field else None


class Weight(graphene.ObjectType):
    unit = graphene.String(required=True)
    value = graphene.Float(required=True)


def weight_of(value):
    return Weight(unit="KG", value=float(value)) if value is not None else None


def manages(info, organization_id) -> bool:
    return can_manage_organization(current_user(info), organization_id)
