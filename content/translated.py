"""Reading translation records for pages: the text of pavilions, products, variants,
attributes and production bases in the page's language, where a record says something, and
the original (Chinese) text everywhere else. These are the records the API's
``translation(languageCode:)`` fields serve; pages read them in one query per kind of object.

In the original language nothing is looked up: every function returns its input."""

from __future__ import annotations

from django.db.models import CharField, Value
from django.utils.translation import get_language

from .models import (
    AttributeTranslation,
    AttributeValueTranslation,
    BaseTranslation,
    CategoryTranslation,
    PavilionTranslation,
    ProductTranslation,
    ProductVariantTranslation,
)

ORIGINAL = "zh-hans"


def page_language() -> str | None:
    """The active language when it is not the original one (``None`` for Chinese)."""
    language = (get_language() or ORIGINAL).lower()
    return None if language.startswith("zh") else language


def _records(model, language: str, **lookup) -> list:
    return list(model.objects.filter(language_code=language, **lookup))


def product_names(product_ids, language: str | None = None) -> dict[int, str]:
    """``{product id: translated name}`` of the products that have one."""
    language = language or page_language()
    if not language or not product_ids:
        return {}
    return {r.product_id: r.name for r in _records(ProductTranslation, language,
                                                   product_id__in=set(product_ids)) if r.name}


def products(items: list[dict], *, slug="slug") -> list[dict]:
    """Product dicts (a page's cards, or one product) with ``name``, ``alt`` and
    ``descriptionPlaintext`` in the page's language where a record gives them. Each
    translated dict also keeps its original name as ``original_name``."""
    language = page_language()
    if not language or not items:
        return items
    found = {r.product.slug: r for r in ProductTranslation.objects.filter(
        language_code=language, product__slug__in={item[slug] for item in items})
        .select_related("product").only("name", "description", "product__slug")}
    result = []
    for item in items:
        record = found.get(item[slug])
        if record is None or not (record.name or record.description):
            result.append(item)
            continue
        item = {**item, "original_name": item.get("name")}
        if record.name:
            if item.get("alt") == item["original_name"]:
                item["alt"] = record.name
            item["name"] = record.name
        if record.description and "descriptionPlaintext" in item:
            item["descriptionPlaintext"] = record.description
        result.append(item)
    return result


def categories(items: list[dict], *, slug="slug") -> list[dict]:
    """Category dicts with ``name`` in the page's language where a record gives one."""
    language = page_language()
    if not language or not items:
        return items
    names = {r.category.slug: r.name for r in CategoryTranslation.objects.filter(
        language_code=language, category__slug__in={item[slug] for item in items if item})
        .select_related("category") if r.name}
    return [{**item, "name": names[item[slug]]} if item and item[slug] in names else item
            for item in items]


def attributes(items: list[dict]) -> list[dict]:
    """A product's attributes as the API gives them (``[{"attribute": {"name", "slug"},
    "values": [{"name", "slug"}]}]``) with the names of the attributes and of their values
    in the page's language where a record gives one. The records of both come in one
    query, however many attributes the product has."""
    language = page_language()
    if not language or not items:
        return items
    slugs = {item["attribute"]["slug"] for item in items}
    value_slugs = {value["slug"] for item in items for value in item["values"]}
    blank = Value("", output_field=CharField())
    names = {(attribute, value): name for attribute, value, name in (
        AttributeTranslation.objects.filter(language_code=language, attribute__slug__in=slugs)
        .exclude(name="").order_by()
        .values_list("attribute__slug", blank, "name")
        .union(AttributeValueTranslation.objects.filter(
            language_code=language, attribute_value__attribute__slug__in=slugs,
            attribute_value__slug__in=value_slugs).exclude(name="").order_by()
            .values_list("attribute_value__attribute__slug", "attribute_value__slug", "name"),
            all=True))}
    result = []
    for item in items:
        slug = item["attribute"]["slug"]
        result.append({**item, "attribute": {
            **item["attribute"], "name": names.get((slug, ""), item["attribute"]["name"])},
            "values": [{**value, "name": names.get((slug, value["slug"]), value["name"])}
                       for value in item["values"]]})
    return result


def variant_names(variant_ids, language: str | None = None) -> dict[int, str]:
    language = language or page_language()
    if not language or not variant_ids:
        return {}
    return {r.product_variant_id: r.name for r in _records(
        ProductVariantTranslation, language, product_variant_id__in=set(variant_ids)) if r.name}


def pavilion(item: dict | None, *, slug="slug") -> dict | None:
    """A pavilion dict with ``name``, ``slogan`` and ``story`` in the page's language where
    its record gives them (``original_name`` keeps the Chinese name)."""
    return pavilions([item], slug=slug)[0] if item else item


def pavilions(items: list[dict], *, slug="slug") -> list[dict]:
    language = page_language()
    if not language or not items:
        return items
    found = {r.pavilion.slug: r for r in PavilionTranslation.objects.filter(
        language_code=language, pavilion__slug__in={item[slug] for item in items})
        .select_related("pavilion")}
    result = []
    for item in items:
        record = found.get(item[slug])
        if record is not None:
            item = {**item, "original_name": item.get("name")}
            for field in ("name", "slogan", "story"):
                if getattr(record, field) and field in item:
                    item[field] = getattr(record, field)
        result.append(item)
    return result


def trace(data: dict) -> dict:
    """The trace page's data with the product's and variant's names and the bases' names
    and places in the page's language (``original_product`` keeps the Chinese name)."""
    language = page_language()
    if not language:
        return data
    from supplychain.models import GradingInput, TraceCode

    run = (TraceCode.objects.filter(code=data["code"])
           .values("packing_run__variant_id", "packing_run__variant__product_id",
                   "packing_run__graded_lot_id").first())
    if run is None:
        return data
    data = {**data, "original_product": data["product"]}
    product = product_names([run["packing_run__variant__product_id"]], language)
    variant = variant_names([run["packing_run__variant_id"]], language)
    data["product"] = product.get(run["packing_run__variant__product_id"], data["product"])
    data["variant"] = variant.get(run["packing_run__variant_id"], data["variant"])
    lots = GradingInput.objects.filter(
        record__outputs=run["packing_run__graded_lot_id"]).values("sourcing_lot_id")
    bases = {r.base.name: r for r in BaseTranslation.objects.filter(
        language_code=language, base__sourcing_lots__in=lots).select_related("base")}
    origins = []
    for origin in data.get("origins", []):
        record = bases.get((origin.get("base") or {}).get("name"))
        if record is not None:
            origin = {**origin, "base": {**origin["base"],
                                         "name": record.name or origin["base"]["name"],
                                         "location": record.location
                                         or origin["base"]["location"]}}
        origins.append(origin)
    data["origins"] = origins
    return data
