"""Shapes the catalogue's types share: rich text, image URLs, weights, and whether the
caller manages a record's organisation."""

from __future__ import annotations

import graphene
from django.urls import reverse

from api.core.permissions import can_manage_organization, current_user
from catalog.images import thumbnail_size
from shop.public_urls import absolute_url


def editorjs(text: str) -> dict:
    """Saleor clients expect rich text as EditorJS JSON (sent as a JSON string)."""
    blocks = [{"type": "paragraph", "data": {"text": para}}
              for para in (text or "").split("\n") if para.strip()]
    return {"time": 0, "blocks": blocks, "version": "2.24.3"}


def thumbnail_url(info, media, size, fmt) -> str:
    fmt = (getattr(fmt, "value", fmt) or "original").upper()
    if fmt == "ORIGINAL":
        fmt = "JPEG"
    path = reverse("thumbnail", args=[media.pk, thumbnail_size(size), fmt.lower()])
    return absolute_url(path)


def image_url(info, field) -> str | None:
    return absolute_url(field.url) if field else None


class Weight(graphene.ObjectType):
    unit = graphene.String(required=True)
    value = graphene.Float(required=True)


def weight_of(value):
    return Weight(unit="KG", value=float(value)) if value is not None else None


def manages(info, organization_id) -> bool:
    return can_manage_organization(current_user(info), organization_id)
