"""One DataLoader per relation of the catalogue (Saleor's
``graphql/product/dataloaders``). Keys with a channel are ``(id, channel_slug)``."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F

from api.core.dataloaders import ByIdLoader, DataLoader, by_key
from catalog.services import available_product_ids
from catalog.models import (
    Category,
    Collection,
    Pavilion,
    Product,
    ProductAttributeValue,
    ProductChannelListing,
    ProductMedia,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
    VariantAttributeValue,
)


class CategoryByIdLoader(ByIdLoader):
    model = Category


class ProductByIdLoader(ByIdLoader):
    model = Product


class ProductTypeByIdLoader(ByIdLoader):
    model = ProductType


class PavilionByIdLoader(ByIdLoader):
    model = Pavilion


class ChildrenByCategoryIdLoader(DataLoader):
    def batch_load(self, keys):
        grouped = by_key(Category.objects.filter(parent_id__in=keys), lambda c: c.parent_id)
        return [grouped.get(key, []) for key in keys]


class MediaByProductIdLoader(DataLoader):
    def batch_load(self, keys):
        grouped = by_key(ProductMedia.objects.filter(product_id__in=keys), lambda m: m.product_id)
        return [grouped.get(key, []) for key in keys]


def _selected_attributes(rows, owner):
    """Group attribute-value rows into ``[(attribute, [values])]`` per owner id."""
    result = defaultdict(dict)
    for row in rows:
        attribute = row.value.attribute
        result[owner(row)].setdefault(attribute.pk, (attribute, []))[1].append(row.value)
    return {key: sorted(attrs.values(), key=lambda a: (a[0].sort_order, a[0].slug))
            for key, attrs in result.items()}


class AttributesByProductIdLoader(DataLoader):
    def batch_load(self, keys):
        rows = ProductAttributeValue.objects.filter(product_id__in=keys).select_related(
            "value__attribute"
        )
        grouped = _selected_attributes(rows, lambda r: r.product_id)
        return [grouped.get(key, []) for key in keys]


class AttributesByVariantIdLoader(DataLoader):
    def batch_load(self, keys):
        rows = VariantAttributeValue.objects.filter(variant_id__in=keys).select_related(
            "value__attribute"
        )
        grouped = _selected_attributes(rows, lambda r: r.variant_id)
        return [grouped.get(key, []) for key in keys]


class ProductListingByProductChannelLoader(DataLoader):
    """Key ``(product_id, channel_slug)`` -> ProductChannelListing or None."""

    def batch_load(self, keys):
        rows = ProductChannelListing.objects.filter(
            product_id__in={k[0] for k in keys}, channel__slug__in={k[1] for k in keys}
        ).annotate(channel_slug=F("channel__slug"))
        found = {(r.product_id, r.channel_slug): r for r in rows}
        return [found.get(key) for key in keys]


class VariantListingsByProductChannelLoader(DataLoader):
    """Key ``(product_id, channel_slug)`` -> the variants' channel listings (prices)."""

    def batch_load(self, keys):
        rows = ProductVariantChannelListing.objects.filter(
            variant__product_id__in={k[0] for k in keys},
            channel__slug__in={k[1] for k in keys},
        ).annotate(product_id=F("variant__product_id"), channel_slug=F("channel__slug"))
        grouped = by_key(rows, lambda r: (r.product_id, r.channel_slug))
        return [grouped.get(key, []) for key in keys]


class VariantListingByVariantChannelLoader(DataLoader):
    """Key ``(variant_id, channel_slug)`` -> ProductVariantChannelListing or None."""

    def batch_load(self, keys):
        rows = ProductVariantChannelListing.objects.filter(
            variant_id__in={k[0] for k in keys}, channel__slug__in={k[1] for k in keys}
        ).annotate(channel_slug=F("channel__slug"))
        found = {(r.variant_id, r.channel_slug): r for r in rows}
        return [found.get(key) for key in keys]


class VariantsByProductChannelLoader(DataLoader):
    """Key ``(product_id, channel_slug, include_unlisted)`` -> variants; shoppers see only
    variants priced in the channel, the seller sees all."""

    def batch_load(self, keys):
        variants = ProductVariant.objects.filter(product_id__in={k[0] for k in keys})
        listed = set(
            ProductVariantChannelListing.objects.filter(
                variant__product_id__in={k[0] for k in keys},
                channel__slug__in={k[1] for k in keys},
            ).values_list("variant_id", "channel__slug")
        )
        grouped = by_key(variants, lambda v: v.product_id)
        return [
            [v for v in grouped.get(pid, []) if include_all or (v.pk, slug) in listed]
            for pid, slug, include_all in keys
        ]


class VariantByIdLoader(ByIdLoader):
    model = ProductVariant
    related = ("product",)


class CollectionsByProductIdLoader(DataLoader):
    def batch_load(self, keys):
        through = Collection.products.through.objects.filter(product_id__in=keys).select_related(
            "collection"
        )
        grouped = by_key(through, lambda r: r.product_id)
        return [[r.collection for r in grouped.get(key, [])] for key in keys]


class FeaturedCollectionsByPavilionIdLoader(DataLoader):
    def batch_load(self, keys):
        through = Pavilion.featured_collections.through.objects.filter(
            pavilion_id__in=keys
        ).select_related("collection")
        grouped = by_key(through, lambda r: r.pavilion_id)
        return [[r.collection for r in grouped.get(key, [])] for key in keys]


class VariantListingsByVariantIdLoader(DataLoader):
    """Key ``variant_id`` -> its channel listings in every channel (for the seller)."""

    def batch_load(self, keys):
        rows = ProductVariantChannelListing.objects.filter(variant_id__in=keys).select_related(
            "channel"
        )
        grouped = by_key(rows, lambda r: r.variant_id)
        return [grouped.get(key, []) for key in keys]


class IsAvailableByProductChannelLoader(DataLoader):
    """Key ``(product_id, channel_slug)`` -> can be bought now: purchasable in the channel
    and at least one priced variant has units available in a warehouse of the channel."""

    def batch_load(self, keys):
        by_channel = by_key(keys, lambda k: k[1])
        available = set()
        for slug, channel_keys in by_channel.items():
            ids = available_product_ids([k[0] for k in channel_keys], slug)
            available |= {(pid, slug) for pid in ids}
        return [key in available for key in keys]
