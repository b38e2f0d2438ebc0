"""Template helpers of the storefront: prices and product thumbnails."""

from decimal import Decimal

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def yuan(value):
    """¥39.90 from a Decimal or a float amount; empty for ``None``."""
    if value is None or value == "":
        return ""
    return f"¥{Decimal(str(value)):.2f}"


@register.simple_tag
def thumb(media_id, size=128, fmt="webp"):
    """The catalogue's thumbnail URL of a product image at ``size`` px."""
    return reverse("thumbnail", args=[media_id, size, fmt])
