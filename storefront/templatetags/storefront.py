"""Template helpers of the storefront: prices, product thumbnails, and the visitor's own
name and cart count in the header (placeholders when the page is rendered for the cache,
see ``storefront.cache``)."""

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from storefront import cache as page_cache

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


@register.simple_tag(takes_context=True)
def visitor_name(context):
    """The signed-in visitor's short name."""
    if page_cache.in_cached_render(context):
        return mark_safe(page_cache.name_placeholder())
    return page_cache.visitor_name(context["request"])


@register.simple_tag(takes_context=True)
def cart_badge(context):
    """The number of units in the visitor's cart (nothing for an empty cart)."""
    if page_cache.in_cached_render(context):
        return mark_safe(page_cache.cart_placeholder())
    return mark_safe(page_cache.cart_badge(context["request"]))
