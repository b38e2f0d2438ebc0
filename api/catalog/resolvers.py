"""Catalogue look-ups shared by the root queries, nested fields and ``node(id:)``: what the
caller may see in a channel, wrapped in its ``ChannelContext``. Lists are paged into the
connection type the caller passes."""

from __future__ import annotations

from dataclasses import replace

import graphene
from django.db.models import Q
from graphql import FieldNode, FragmentSpreadNode, GraphQLError, InlineFragmentNode

from api.core.connection import Edge, decode_cursor, paginate, validate_pagination
from api.core.context import ChannelContext, request_channel
from api.core.ids import resolve_global_id
from api.core.metadata import metadata_q
from api.core.permissions import visible_organization_ids
from catalog import models
from catalog import search as catalog_search
from catalog import services as catalog_services

from . import dataloaders as dl
from . import listing
from .filters import SORT_KEYS, product_sort, ranked_products
from .types.common import manages
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
    organization_ids = visible_organization_ids(info)
    queryset = catalog_services.visible_products(ch, organization_ids,
                                                 listings_only=listings_only)
    extra = dict(extra_filter or {})
    collection_pk = extra.pop("collections", None)
    if collection_pk is not None:
        queryset = queryset.filter(collections=collection_pk)
    if extra:
        queryset = queryset.filter(**extra)
    searching = search is not None or bool((filter or {}).get("search") is not None)
    ranked = ranked_products(queryset, ch, filter, search)
    queryset = ranked.queryset
    if where:
        queryset = queryset.filter(where_condition(ch, where))
    queryset, keys, descending = product_sort(queryset, ch, sort_by, searching)

    fields = selected(info, "edges", "node")
    with_category = "category" in fields
    with_thumbnails = "thumbnail" in fields and "media" not in fields
    # A plain browse (the shop's lists, of everything or of a category, pavilion or
    # collection: no filter, search or condition, a shopper's or an operator's view) runs
    # SQL compiled once per process for what it depends on.
    plain = not (filter or where or searching) and not organization_ids
    shape = ("products", ch.pk, listings_only, organization_ids is None, with_category,
             with_thumbnails, _shape_of(extra_filter)) if plain else None

    def page_of(rows):
        # The page's products come with their category and first picture; their other
        # relations are loaded for the whole page at once (prime_products), so each
        # product's resolvers find them ready instead of queueing a deferred batch per
        # field.
        page_rows = rows.select_related("category") if with_category else rows
        if with_thumbnails:
            page_rows = dl.with_thumbnails(page_rows)
        result = paginate(page_rows, page, connection, keys, descending,
                          wrap=lambda p: ChannelContext(p, ch.slug), connection_name="products",
                          shape=shape)
        result.queryset = rows
        dl.prime_products(info.context, [edge.node.node for edge in result.edges], ch.slug,
                          fields, lambda p: manages(info, p.organization_id))
        return result

    if not searching:
        return page_of(queryset)
    if keys[0] == "search_rank" and descending and ranked.head is not None:
        result = _best_matches_page(replace(ranked, queryset=queryset), page, page_of)
    else:
        with catalog_search.gin_plans():
            result = page_of(queryset)
    result.searching = True  # its totalCount matches search vectors (ProductCountableConnection)
    return result


def _shape_of(extra_filter: dict | None) -> tuple:
    """``extra_filter`` (lookups whose values are ids or sets of ids) as part of a shape."""
    return tuple(sorted(
        (lookup, tuple(sorted(value)) if isinstance(value, (set, frozenset, list, tuple))
         else value)
        for lookup, value in (extra_filter or {}).items()))


def _best_matches_page(ranked, page, page_of):
    """A page of a search by relevance: read from the matches next to its cursor (the
    head of the ranking, or the few past the cursor: ``catalog.search.Ranked.windows``)
    when they hold it, else from every match. ``totalCount`` counts every match either way."""
    size = len(SORT_KEYS["rank"]) + 1
    after, before = (decode_cursor(page[key], size) if page.get(key) else None
                     for key in ("after", "before"))
    for window in ranked.windows(page.get("first"), page.get("last"), after, before):
        connection = page_of(window.queryset)
        info = connection.page_info
        # A full page and one more row found there: nothing elsewhere comes before them.
        if window.exhaustive or (info.has_next_page if page.get("first") is not None
                                 else info.has_previous_page):
            connection.queryset = ranked.queryset
            return connection
    with catalog_search.gin_plans():
        return page_of(ranked.queryset)


def selected(info, *path: str) -> set[str]:
    """The names of the fields the query selects at ``path`` below the field being
    resolved (fragments followed), e.g. ``("edges", "node")`` of a connection."""
    def fields(selection_set):
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from fields(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = info.fragments.get(selection.name.value)
                if fragment is not None:
                    yield from fields(fragment.selection_set)

    nodes = list(info.field_nodes)
    for name in path:
        nodes = [f for node in nodes for f in fields(node.selection_set) if f.name.value == name]
    return {f.name.value for node in nodes for f in fields(node.selection_set)}


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
                     search=None, sort_by=None, **page):
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
    queryset = listing.variant_filter(queryset, {**(filter or {}),
                                                 **({"search": search} if search else {})})
    queryset, keys, descending = listing.sorted_by(
        queryset, sort_by, ["sku"], {"updated_at": (["updated_at"], {})})
    return paginate(queryset, page, connection, keys, descending=descending,
                    wrap=lambda v: ChannelContext(v, ch.slug), connection_name="productVariants")


# Categories, collections, pavilions ------------------------------------------------------

def resolve_categories(info, connection, level=None, parent_id=None, channel=None, filter=None,
                       where=None, sort_by=None, **page):
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
    if filter and filter.get("metadata"):
        queryset = queryset.filter(metadata_q(models.Category, filter["metadata"]))
    queryset = queryset.filter(listing.where_q(models.Category, "Category", where))
    queryset, keys, descending = listing.sorted_by(
        queryset, sort_by, ["level", "sort_order", "slug"], listing.CATEGORY_SORTS)
    channel_slug = request_channel(info, channel).slug
    return paginate(queryset, page, connection, keys, descending=descending,
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


def resolve_collections(info, connection, channel=None, filter=None, where=None, sort_by=None,
                        **page):
    ch = request_channel(info, channel)
    queryset = models.Collection.objects.filter(pk__in=visible_collection_ids(info, ch.slug))
    queryset = listing.collection_filter(queryset, ch, filter)
    queryset = queryset.filter(listing.where_q(models.Collection, "Collection", where))
    queryset, keys, descending = listing.sorted_by(queryset, sort_by, ["slug"],
                                                   listing.collection_sorts(ch))
    return paginate(queryset, page, connection, keys, descending=descending,
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


# Lists loaded whole ------------------------------------------------------------------------

class _Total:
    """Stands for a connection's queryset when its rows came from a DataLoader:
    ``totalCount`` counts the whole list, not the page."""

    def __init__(self, count: int):
        self._count = count

    def order_by(self):
        return self

    def count(self) -> int:
        return self._count


def paginate_list(items: list, args: dict, connection_type, keys: list[str], wrap=None,
                  connection_name: str = "items"):
    """``paginate`` for a short list already loaded and sorted by ``keys`` (a category's
    ancestors, an attribute's choices): the same cursors (the values of ``keys``), sliced
    in Python so a batched DataLoader can feed many connections from one query."""
    validate_pagination(args, connection_name)
    first, last = args.get("first"), args.get("last")
    after, before = args.get("after"), args.get("before")

    def key_of(item):
        return [getattr(item, key) for key in keys]

    rows = list(items)
    if after:
        bound = decode_cursor(after, len(keys))
        rows = [r for r in rows if key_of(r) > bound]
    if before:
        bound = decode_cursor(before, len(keys))
        rows = [r for r in rows if key_of(r) < bound]
    if last is not None and first is None:
        has_previous, has_next = len(rows) > last, bool(before)
        rows = rows[max(len(rows) - last, 0):] if last else []
    else:
        has_next, has_previous = len(rows) > first, bool(after)
        rows = rows[:first]
    edges = [Edge(wrap(row) if wrap else row, row, keys) for row in rows]
    connection = connection_type(edges=edges, page_info=graphene.relay.PageInfo(
        has_next_page=has_next,
        has_previous_page=has_previous,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    ))
    connection.queryset = _Total(len(items))
    return connection
