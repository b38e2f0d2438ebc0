"""Catalogue look-ups shared by the root queries, nested fields and ``node(id:)``: what the
caller may see in a channel, wrapped in its ``ChannelContext``. Lists are paged into the
connection type the caller passes."""

from __future__ import annotations

from django.db.models import Q
from graphql import GraphQLError

from api.core.connection import paginate
from api.core.context import ChannelContext, request_channel
from api.core.ids import resolve_global_id
from api.core.permissions import visible_organization_ids
from catalog import models
from catalog import services as catalog_services

from .filters import filter_products, product_sort
from .where import where_condition


def _pk(global_id, type_name):
    _type, pk = resolve_global_id(global_id, type_name)
    if not pk.isdigit():
        raise GraphQLError(f"Couldn't resolve id: {global_id}.")
    return int(pk)


def one_of(**lookups):
    given = [k for k, v in lookups.items() if v is not None]
    if len(given) != 1:
        names = ", ".join(f"'{k}'" for k in lookups)
        raise GraphQLError(f"Argument {names}: exactly one must be provided.")


# Products --------------------------------------------------------------------------------

def resolve_products(info, connection, channel=None, filter=None, search=None, sort_by=None,
                     extra_filter=None, listings_only=True, where=None, **page):
    ch = request_channel(info, channel)
    queryset = catalog_services.visible_products(ch, visible_organization_ids(info),
                                                 listings_only=listings_only)
    extra = dict(extra_filter or {})
    collection_pk = extra.pop("collections", None)
    if collection_pk is not None:
        queryset = queryset.filter(collections=collection_pk)
    if extra:
        queryset = queryset.filter(**extra)
    searching = search is not None or bool((filter or {}).get("search") is not None)
    queryset = filter_products(queryset, ch, filter, search)
    if where:
        queryset = queryset.filter(where_condition(ch, where))
    queryset, keys, descending = product_sort(queryset, ch, sort_by, searching)
    return paginate(queryset, page, connection, keys, descending,
                    wrap=lambda p: ChannelContext(p, ch.slug), connection_name="products")


def resolve_product(info, id=None, pk=None, slug=None, channel=None, external_reference=None):
    ch = request_channel(info, channel)
    if id is not None:
        pk = _pk(id, "Product")
    queryset = catalog_services.visible_products(ch, visible_organization_ids(info),
                                                 listings_only=False)
    product = queryset.filter(**({"pk": pk} if pk is not None else {"slug": slug})).first()
    return ChannelContext(product, ch.slug) if product else None


def resolve_variant(info, id=None, sku=None, channel=None):
    ch = request_channel(info, channel)
    variant_qs = models.ProductVariant.objects.all()
    if id is not None:
        variant_qs = variant_qs.filter(pk=id if str(id).isdigit() else _pk(id, "ProductVariant"))
    else:
        variant_qs = variant_qs.filter(sku=sku)
    org_ids = visible_organization_ids(info)
    products = catalog_services.visible_products(ch, org_ids, listings_only=False)
    variant = variant_qs.filter(product__in=products).select_related("product").first()
    if variant is None:
        return None
    manages = org_ids is None or variant.product.organization_id in org_ids
    if not manages and not variant.channel_listings.filter(channel=ch).exists():
        return None
    return ChannelContext(variant, ch.slug)


def resolve_variants(info, connection, ids=None, channel=None, filter=None, product=None,
                     **page):
    ch = request_channel(info, channel)
    org_ids = visible_organization_ids(info)
    products = catalog_services.visible_products(ch, org_ids, listings_only=False)
    queryset = models.ProductVariant.objects.filter(product__in=products)
    if org_ids is not None:
        queryset = queryset.filter(
            Q(channel_listings__channel=ch) | Q(product__organization_id__in=org_ids)
        ).distinct()
    if product is not None:
        queryset = queryset.filter(product_id=product)
    if ids:
        queryset = queryset.filter(pk__in=[_pk(i, "ProductVariant") for i in ids])
    if filter and filter.get("sku"):
        queryset = queryset.filter(sku__in=filter["sku"])
    return paginate(queryset, page, connection, ["sku"],
                    wrap=lambda v: ChannelContext(v, ch.slug), connection_name="productVariants")


# Categories, collections, pavilions ------------------------------------------------------

def resolve_categories(info, connection, level=None, parent_id=None, channel=None, filter=None, **page):
    queryset = models.Category.objects.all()
    if level is not None:
        queryset = queryset.filter(level=level)
    if parent_id is not None:
        queryset = queryset.filter(parent_id=parent_id)
    if filter and filter.get("search"):
        queryset = queryset.filter(name__icontains=filter["search"])
    if filter and filter.get("slugs"):
        queryset = queryset.filter(slug__in=filter["slugs"])
    if filter and filter.get("ids"):
        queryset = queryset.filter(pk__in=[_pk(i, "Category") for i in filter["ids"]])
    channel_slug = request_channel(info, channel).slug
    return paginate(queryset, page, connection,
                    ["level", "sort_order", "slug"],
                    wrap=lambda c: ChannelContext(c, channel_slug), connection_name="categories")


def resolve_category(info, id=None, slug=None):
    one_of(id=id, slug=slug)
    lookup = {"pk": _pk(id, "Category")} if id else {"slug": slug}
    category = models.Category.objects.filter(**lookup).first()
    return ChannelContext(category, request_channel(info, None).slug) if category else None


def visible_collection_ids(info, channel_slug: str) -> set[int]:
    """Collections published in the channel (all of them for operators); per request."""
    cache = info.context.__dict__.setdefault("_visible_collections", {})
    if channel_slug not in cache:
        queryset = models.Collection.objects.all()
        if visible_organization_ids(info) is not None:
            queryset = queryset.filter(channel_listings__channel__slug=channel_slug,
                                       channel_listings__is_published=True)
        cache[channel_slug] = set(queryset.values_list("pk", flat=True))
    return cache[channel_slug]


def resolve_collections(info, connection, channel=None, filter=None, **page):
    ch = request_channel(info, channel)
    queryset = models.Collection.objects.filter(pk__in=visible_collection_ids(info, ch.slug))
    if filter and filter.get("search"):
        queryset = queryset.filter(name__icontains=filter["search"])
    return paginate(queryset, page, connection, ["slug"],
                    wrap=lambda c: ChannelContext(c, ch.slug), connection_name="collections")


def resolve_collection(info, id=None, pk=None, slug=None, channel=None):
    ch = request_channel(info, channel)
    if id is not None:
        pk = _pk(id, "Collection")
    lookup = {"pk": pk} if pk is not None else {"slug": slug}
    collection = models.Collection.objects.filter(
        pk__in=visible_collection_ids(info, ch.slug), **lookup
    ).first()
    return ChannelContext(collection, ch.slug) if collection else None


def resolve_pavilions(info, connection, channel=None, **page):
    ch = request_channel(info, channel)
    queryset = models.Pavilion.objects.filter(is_published=True)
    return paginate(queryset, page, connection, ["sort_order", "slug"],
                    wrap=lambda p: ChannelContext(p, ch.slug), connection_name="pavilions")


def resolve_pavilion(info, id=None, slug=None, channel=None):
    one_of(id=id, slug=slug)
    ch = request_channel(info, channel)
    lookup = {"pk": _pk(id, "Pavilion")} if id else {"slug": slug}
    pavilion = models.Pavilion.objects.filter(is_published=True, **lookup).first()
    return ChannelContext(pavilion, ch.slug) if pavilion else None
