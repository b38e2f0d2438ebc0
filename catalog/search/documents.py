"""What search knows about a product, read in batches (a few queries per batch, whatever
its size) for both backends: the database backend's weighted vector and the
Elasticsearch document are made from the same ``ProductSearchData``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Min, Prefetch, Sum

from shop.models import Stock

from ..models import (
    Product,
    ProductAttributeValue,
    ProductChannelListing,
    ProductVariant,
    VariantAttributeValue,
)
from .analysis import WeightedText

GRADE_ATTRIBUTE = "grade"


@dataclass
class ProductSearchData:
    pk: int
    name: str
    slug: str
    description: str = ""
    seo_title: str = ""
    organization: str = ""
    category_id: int | None = None
    categories: list[str] = field(default_factory=list)  # the category, then its parents
    pavilion_id: int | None = None
    pavilion_slug: str = ""
    pavilion: str = ""
    county: str = ""
    brand: str = ""
    attributes: list[str] = field(default_factory=list)
    grades: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    variants: list[str] = field(default_factory=list)
    skus: list[str] = field(default_factory=list)
    # channel slug -> {"published": bool, "price": Decimal | None}
    listings: dict[str, dict] = field(default_factory=dict)
    in_stock: bool = False

    def weighted_text(self) -> WeightedText:
        return WeightedText(
            a=[self.name],
            b=[*self.categories, self.pavilion, self.county, self.brand],
            c=[*(name for _slug, name in self.grades), *self.attributes, *self.variants,
               *self.skus, self.organization, self.seo_title],
            d=[self.description],
        )


def collect(product_ids, commerce: bool = True) -> dict[int, ProductSearchData]:
    """Search data of the given products (missing ones are left out): four queries for
    the text, four more for prices, listings and stock when ``commerce``."""
    ids = list(product_ids)
    products = (
        Product.objects.filter(pk__in=ids)
        .select_related("category__parent", "pavilion", "organization")
        .prefetch_related(
            Prefetch("attribute_values",
                     queryset=ProductAttributeValue.objects.select_related("value")),
            Prefetch("variants", queryset=ProductVariant.objects.prefetch_related(
                Prefetch("attribute_values", queryset=VariantAttributeValue.objects
                         .select_related("value__attribute")))),
        )
    )
    out: dict[int, ProductSearchData] = {}
    for p in products:
        data = ProductSearchData(
            pk=p.pk, name=p.name, slug=p.slug, description=p.description,
            seo_title=p.seo_title, organization=p.organization.name,
        )
        category = p.category
        if category is not None:
            data.category_id = category.pk
            data.categories.append(category.name)
            if category.parent_id:
                data.categories.append(category.parent.name)
        if p.pavilion is not None:
            data.pavilion_id = p.pavilion_id
            data.pavilion_slug = p.pavilion.slug
            data.pavilion = p.pavilion.name
            data.county = p.pavilion.county
            data.brand = p.pavilion.regional_brand_name
        data.attributes = [pav.value.name for pav in p.attribute_values.all()]
        grades = {}
        for variant in p.variants.all():
            data.variants.append(variant.name)
            data.skus.append(variant.sku)
            for vav in variant.attribute_values.all():
                if vav.value.attribute.slug == GRADE_ATTRIBUTE:
                    grades[vav.value.slug] = vav.value.name
        data.grades = sorted(grades.items())
        out[p.pk] = data
    if not commerce:
        return out
    prices = defaultdict(dict)
    for row in (ProductVariant.objects.filter(product_id__in=out)
                .values("product_id", "channel_listings__channel__slug")
                .annotate(low=Min("channel_listings__price_amount"))):
        if row["channel_listings__channel__slug"]:
            prices[row["product_id"]][row["channel_listings__channel__slug"]] = row["low"]
    for listing in (ProductChannelListing.objects.filter(product_id__in=out)
                    .values("product_id", "channel__slug", "is_published")):
        pk = listing["product_id"]
        out[pk].listings[listing["channel__slug"]] = {
            "published": listing["is_published"],
            "price": prices[pk].get(listing["channel__slug"]),
        }
    stocked = set(
        Stock.objects.filter(product_variant__product_id__in=out)
        .values("product_variant__product_id")
        .annotate(free=Sum(F("quantity") - F("quantity_allocated")))
        .filter(free__gt=0)
        .values_list("product_variant__product_id", flat=True)
    )
    untracked = set(ProductVariant.objects.filter(product_id__in=out, track_inventory=False)
                    .values_list("product_id", flat=True))
    for pk, data in out.items():
        data.in_stock = pk in stocked or pk in untracked
    return out


def price_float(value) -> float | None:
    """A price as the float an Elasticsearch ``scaled_float`` field takes."""
    return float(Decimal(value)) if value is not None else None
