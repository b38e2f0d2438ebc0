"""Template helpers of the workbench: amounts in yuan, kilograms, product thumbnails."""

from decimal import Decimal

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def yuan(value):
    """¥39.90 from a Decimal; empty for ``None``."""
    if value is None or value == "":
        return ""
    return f"¥{Decimal(str(value)):.2f}"


@register.filter
def kg(value):
    """12.5 kg from a Decimal of kilograms (trailing zeros dropped)."""
    if value is None or value == "":
        return ""
    text = f"{Decimal(str(value)):.3f}".rstrip("0").rstrip(".")
    return f"{text} kg"


@register.simple_tag
def thumb(media_id, size=128, fmt="webp"):
    return reverse("thumbnail", args=[media_id, size, fmt])
