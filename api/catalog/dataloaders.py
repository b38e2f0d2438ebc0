"""One DataLoader per relation of the catalogue (Saleor's
``graphql/product/dataloaders``). Keys with a channel are ``(id, channel_slug)``."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Subquery
from graphql_sync_dataloaders import SyncFuture

from api.core.dataloaders import ByIdLoader, DataLoader, by_key
from catalog.models import (
    AttributeValue,
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
from catalog.services import available_product_ids, visible_products


def prime_value(loader: DataLoader, key, value) -> None:
    """Give ``loader`` the value of ``key`` (unless it has it, or has it queued)."""
    if key not in loader._cache:
        future = SyncFuture()
        future.set_result(value)
        loader._cache[key] = future


def prime(loader: DataLoader, keys) -> dict:
    """The values of ``keys``, loaded now in one batch for those ``loader`` does not hold
    yet (resolvers then find them ready: no deferred batch, no pending future per row)."""
    values = {}
    missing = []
    for key in keys:
        future = loader._cache.get(key)
        if future is not None and future.done():
            values[key] = future.result()
        else:
            missing.append(key)
    if missing:
        for key, value in zip(missing, loader.batch_load(missing), strict=True):
            future = loader._cache.get(key)
            if future is None:
                prime_value(loader, key, value)
            elif not future.done():
                # Queued but not sent: answered now, the queued batch skips it.
                loader._queue = [item for item in loader._queue if item[0] != key]
                future.set_result(value)
            values[key] = value
    return values


# A page of products asking for thumbnails only reads each one's first picture with it.
THUMBNAIL_ID, THUMBNAIL_ALT = "thumbnail_media_id", "thumbnail_media_alt"


def with_thumbnails(products):
    """``products`` (a queryset) with the id and alt text of each one's first picture."""
    first = ProductMedia.objects.filter(product=OuterRef("pk")).order_by("sort_order", "pk")
    return products.annotate(**{THUMBNAIL_ID: Subquery(first.values("pk")[:1]),
                                THUMBNAIL_ALT: Subquery(first.values("alt")[:1])})


def prime_products(context, products, channel_slug: str, fields: set[str],
                   include_all) -> None:
    """Load, for a page of ``products`` at once, the relations its selected ``fields``
    need, so that each product's resolvers find them ready. ``include_all(product)``:
    whether the caller sees the product's unlisted variants."""
    if not products:
        return
    if "category" in fields:
        categories = CategoryByIdLoader(context)
        for product in products:  # joined to the page's query (select_related)
            if product.category_id and "category" in product._state.fields_cache:
                prime_value(categories, product.category_id, product.category)
        prime(categories, {p.category_id for p in products if p.category_id})
    if "media" in fields or ("thumbnail" in fields and not hasattr(products[0], THUMBNAIL_ID)):
        prime(MediaByProductIdLoader(context), [p.pk for p in products])
    if fields & {"pricing", "variants", "defaultVariant"}:
        prime(VariantListingsByProductChannelLoader(context),
              [(p.pk, channel_slug) for p in products])
    if fields & {"variants", "defaultVariant"}:
        prime(VariantsByProductChannelLoader(context),
              [(p.pk, channel_slug, include_all(p)) for p in products])


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


class AncestorsByCategoryIdLoader(DataLoader):
    """A category's ancestors, the root first (Saleor's ``get_ancestors()`` order): one
    recursive query walks up the ``parent`` links of every requested category at once."""

    def batch_load(self, keys):
        table = Category._meta.db_table
        rows = Category.objects.raw(
            f"""WITH RECURSIVE up(start_id, id, parent_id) AS (
                    SELECT c.id, p.id, p.parent_id FROM {table} c
                    JOIN {table} p ON p.id = c.parent_id WHERE c.id = ANY(%s)
                    UNION ALL
                    SELECT up.start_id, p.id, p.parent_id FROM up
                    JOIN {table} p ON p.id = up.parent_id)
                SELECT c.*, up.start_id FROM up JOIN {table} c ON c.id = up.id
                ORDER BY c.level""",
            [list(keys)],
        )
        grouped = by_key(rows, lambda c: c.start_id)
        return [grouped.get(key, []) for key in keys]


class ChoicesByAttributeLoader(DataLoader):
    """Key ``(attribute_id, channel, organization_ids)`` -> the attribute's values a caller
    may see: for shoppers only values that a product visible in the channel (or one of its
    variants) carries, so a draft's values stay private; every value for operators
    (``organization_ids`` None)."""

    def batch_load(self, keys):
        found = {}
        for (channel, organization_ids), group in by_key(keys, lambda k: (k[1], k[2])).items():
            values = AttributeValue.objects.filter(attribute_id__in={k[0] for k in group})
            if organization_ids is not None:
                products = visible_products(channel, set(organization_ids),
                                            listings_only=False)
                values = values.filter(
                    Q(Exists(ProductAttributeValue.objects.filter(
                        value=OuterRef("pk"), product__in=products)))
                    | Q(Exists(VariantAttributeValue.objects.filter(
                        value=OuterRef("pk"), variant__product__in=products)))
                )
            grouped = by_key(values.order_by("sort_order", "pk"), lambda v: v.attribute_id)
            for key in group:
                found[key] = grouped.get(key[0], [])
        return [found[key] for key in keys]


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


def _listings_with_variants_sql() -> str:
    """The SQL of ``VariantListingsByProductChannelLoader``, written once from the models'
    columns: the same rows as ``ProductVariantChannelListing.objects.filter(
    variant__product_id__in=..., channel__slug__in=...).select_related("variant")`` in
    their ``pk`` order, plus the channel's slug; its two arrays keep the text the same
    whatever the page, so the ORM does not build it again for every page of products."""
    listing, variant = ProductVariantChannelListing._meta, ProductVariant._meta
    channel = ProductVariantChannelListing._meta.get_field("channel").related_model._meta
    columns = [f'l."{field.column}"' for field in listing.concrete_fields] + \
        [f'v."{field.column}"' for field in variant.concrete_fields] + ['c."slug"']
    return (f'SELECT {", ".join(columns)} FROM "{listing.db_table}" l '
            f'JOIN "{variant.db_table}" v ON v."id" = l."variant_id" '
            f'JOIN "{channel.db_table}" c ON c."id" = l."channel_id" '
            f'WHERE v."product_id" = ANY(%s) AND c."slug" = ANY(%s) ORDER BY l."id"')


LISTINGS_WITH_VARIANTS_SQL = _listings_with_variants_sql()
_LISTING_FIELDS = [field.attname for field in ProductVariantChannelListing._meta.concrete_fields]
_VARIANT_FIELDS = [field.attname for field in ProductVariant._meta.concrete_fields]
_LISTING_VARIANT = ProductVariantChannelListing._meta.get_field("variant")


class VariantListingsByProductChannelLoader(DataLoader):
    """Key ``(product_id, channel_slug)`` -> the variants' channel listings (prices), each
    with its variant (``VariantsByProductChannelLoader`` needs no query of its own for a
    shopper, who sees only the priced variants)."""

    def batch_load(self, keys):
        with connection.cursor() as cursor:
            cursor.execute(LISTINGS_WITH_VARIANTS_SQL, [sorted({k[0] for k in keys}),
                                                        sorted({k[1] for k in keys})])
            fetched = cursor.fetchall()
        db, split, end = connection.alias, len(_LISTING_FIELDS), -1
        grouped = defaultdict(list)
        for row in fetched:
            listing = ProductVariantChannelListing.from_db(db, _LISTING_FIELDS, row[:split])
            variant = ProductVariant.from_db(db, _VARIANT_FIELDS, row[split:end])
            _LISTING_VARIANT.set_cached_value(listing, variant)
            grouped[(variant.product_id, row[end])].append(listing)
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
    variants priced in the channel, the seller sees all. The prices come from
    ``VariantListingsByProductChannelLoader`` (loaded once for both), and each variant's
    price in the channel is primed into ``VariantListingByVariantChannelLoader``."""

    def batch_load(self, keys):
        listings = prime(VariantListingsByProductChannelLoader(self.context),
                         {(pid, slug) for pid, slug, _all in keys})
        by_variant = {(row.variant_id, slug): row
                      for (_pid, slug), rows in listings.items() for row in rows}
        unlisted_too = {pid for pid, _slug, include_all in keys if include_all}
        if unlisted_too:
            variants = list(ProductVariant.objects.filter(product_id__in=unlisted_too))
        else:
            variants = []
        seen = {v.pk for v in variants}
        variants += sorted({row.variant.pk: row.variant for row in by_variant.values()
                            if row.variant.pk not in seen}.values(),
                           key=lambda v: (v.sort_order, v.sku or "", v.pk))
        grouped = by_key(variants, lambda v: v.product_id)
        prices = VariantListingByVariantChannelLoader(self.context)
        result = []
        for pid, slug, include_all in keys:
            shown = [v for v in grouped.get(pid, []) if include_all or (v.pk, slug) in by_variant]
            for variant in shown:
                prime_value(prices, (variant.pk, slug), by_variant.get((variant.pk, slug)))
            result.append(shown)
        return result


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
