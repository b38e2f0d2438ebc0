"""``{% language_links %}``: the language switch, one link per language of
``settings.LANGUAGES`` (each named in its own language), back to the current page; and the
tags that give a page's products, pavilion and trace data in the page's language."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language

from content import translated

register = template.Library()


@register.inclusion_tag("storefront/_languages.html", takes_context=True)
def language_links(context):
    request = context.get("request")
    here = request.get_full_path() if request is not None else "/"
    current = get_language()
    return {"languages": [
        {"code": code, "name": name, "current": code == current,
         "url": f"{reverse('switch-language', args=[code])}?{urlencode({'next': here})}"}
        for code, name in settings.LANGUAGES]}


# The catalogue's text in the page's language (its translation records), Chinese where a
# record is missing: ``{% translated_products products as products %}``.

@register.simple_tag
def translated_products(items):
    return translated.products(list(items or []))


@register.simple_tag
def translated_product(item):
    """One product, its pavilion's name and its variants' names included."""
    if not item:
        return item
    item = translated.products([item])[0]
    if item.get("pavilion"):
        item = {**item, "pavilion": translated.pavilion(item["pavilion"])}
    if item.get("category"):
        item = {**item, "category": translated.categories([item["category"]])[0]}
    return item


@register.simple_tag
def translated_categories(items):
    return translated.categories(list(items or []))


@register.simple_tag
def translated_category(item):
    return translated.categories([item])[0] if item else item


@register.simple_tag
def translated_variants(variants):
    names = translated.variant_names([v["pk"] for v in variants or []])
    return [{**v, "name": names[v["pk"]]} if v["pk"] in names else v for v in variants or []]


@register.simple_tag
def translated_attributes(items):
    return translated.attributes(list(items or []))


@register.simple_tag
def translated_pavilion(item):
    return translated.pavilion(item)


@register.simple_tag
def translated_pavilions(items):
    return translated.pavilions(list(items or []))


@register.simple_tag
def translated_trace(data):
    return translated.trace(data)
