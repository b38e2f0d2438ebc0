"""Product filters and sorting for the ``products`` connections (Saleor's
``ProductFilterInput`` and ``ProductOrder``)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from graphql import GraphQLError

from api.core.ids import resolve_global_id
from api.core.metadata import metadata_q
from catalog import search as catalog_search
from catalog import services as catalog_services
from catalog.models import CollectionProduct, Product, ProductChannelListing


def ids_of(global_ids, type_name: str) -> list[int]:
    pks = []
    for gid in global_ids or []:
        _type, pk = resolve_global_id(gid, type_name)
        try:
            pks.append(int(pk))
        except ValueError:
            raise GraphQLError(_("Couldn't resolve id: %(id)s.") % {"id": gid}) from None
    return pks


def attribute_filters(items) -> list[dict]:
    """Saleor's ``AttributeInput`` items as ``catalog.search``'s ``[{slug, values}]``: the
    slugs and names ``value`` names (``eq``/``oneOf``) join ``values``."""
    found = []
    for item in items or []:
        values = list(item.get("values") or [])
        for condition in ((item.get("value") or {}).get(key) or {} for key in ("slug", "name")):
            if condition.get("eq") is not None:
                values.append(condition["eq"])
            values.extend(condition.get("one_of") or [])
        found.append({"slug": item.get("slug"), "values": values})
    return found


def annotate_price(queryset, channel):
    """``queryset`` with ``sort_price``, each product's (discounted) price in ``channel``,
    0 when unpriced: for the price filters and sorts only (it is a subquery per row, and
    the costliest part of the page's SQL to build)."""
    if "sort_price" in queryset.query.annotations:
        return queryset
    listing = ProductChannelListing.objects.filter(product=OuterRef("pk"), channel=channel)
    return queryset.annotate(
        sort_price=Coalesce(
            Subquery(listing.values("discounted_price_amount")[:1]),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        )
    )


def _price_range(queryset, channel, price: dict | None):
    if not price:
        return queryset
    queryset = annotate_price(queryset, channel)
    for bound, lookup in (("gte", "sort_price__gte"), ("lte", "sort_price__lte")):
        value = price.get(bound)
        if value is not None:
            if value < 0:
                raise GraphQLError(_("Price filters cannot be negative."))
            queryset = queryset.filter(**{lookup: Decimal(str(value))})
    return queryset


def filter_products(queryset, channel, filter_input: dict | None, search: str | None):
    """Apply ``filter`` (and the top-level ``search``, unranked) to ``queryset``. For
    counts."""
    return ranked_products(queryset, channel, filter_input, search, rank=False).queryset


def ranked_products(queryset, channel, filter_input: dict | None, search: str | None,
                    rank: bool = True) -> catalog_search.Ranked:
    """``filter_products`` annotated, when searching, with ``search_rank``, with the
    search's head (``catalog.search.Ranked``)."""
    f = dict(filter_input or {})
    text = search if search is not None else f.get("search")
    ranked = catalog_search.Ranked(queryset)
    if text is not None:
        try:
            ranked = (catalog_search.ranked_search(queryset, text, channel.pk) if rank else
                      catalog_search.Ranked(catalog_search.matching_products(queryset, text)))
        except ValidationError as error:
            raise GraphQLError(error.messages[0]) from None
        queryset = ranked.queryset
    if f.get("categories"):
        ids = catalog_services.category_and_descendant_ids(ids_of(f["categories"], "Category"))
        queryset = queryset.filter(category_id__in=ids)
    if f.get("collections"):
        pks = ids_of(f["collections"], "Collection")
        queryset = queryset.filter(
            pk__in=CollectionProduct.objects.filter(collection_id__in=pks).values("product_id")
        )
    if f.get("product_types"):
        queryset = queryset.filter(product_type_id__in=ids_of(f["product_types"], "ProductType"))
    if f.get("ids"):
        queryset = queryset.filter(pk__in=ids_of(f["ids"], "Product"))
    if f.get("slugs"):
        queryset = queryset.filter(slug__in=f["slugs"])
    if f.get("pavilions"):
        queryset = queryset.filter(pavilion_id__in=ids_of(f["pavilions"], "Pavilion"))
    if f.get("organizations"):
        queryset = queryset.filter(organization_id__in=ids_of(f["organizations"], "Organization"))
    if f.get("attributes"):
        queryset = catalog_search.filter_by_attributes(queryset,
                                                       attribute_filters(f["attributes"]))
    queryset = _price_range(queryset, channel, f.get("price"))
    queryset = _price_range(queryset, channel, f.get("minimal_price"))
    if f.get("is_available") is not None:
        condition = catalog_services.purchasable_condition(channel.slug)
        queryset = queryset.filter(condition if f["is_available"] else ~condition)
    return replace(ranked, queryset=queryset.filter(conditions(channel, f)))


def conditions(channel, f: dict) -> Q:
    """The conditions ``filter`` and ``where`` share (``ProductConditions``) as one ``Q``.
    What the pavilion does not sell (gift cards, preorders) or keep (metadata) matches no
    product when asked for, every product when asked against."""
    condition = Q()
    if f.get("stock_availability"):
        in_stock = catalog_services.in_stock_condition(channel.slug)
        condition &= in_stock if f["stock_availability"] == "in_stock" else ~in_stock
    listings = ProductChannelListing.objects.filter(channel=channel)
    for key, rows in (("is_published", listings.filter(is_published=True)),
                      ("is_visible_in_listing", listings.filter(visible_in_listings=True))):
        if f.get(key) is not None:
            listed = Q(pk__in=rows.values("product_id"))
            condition &= listed if f[key] else ~listed
    for key, column in (("published_from", "published_at"),
                        ("available_from", "available_for_purchase_at")):
        if f.get(key) is not None:
            condition &= Q(pk__in=listings.filter(**{f"{column}__lte": f[key]})
                           .values("product_id"))
    if f.get("has_category") is not None:
        condition &= Q(category__isnull=not f["has_category"])
    if f.get("gift_card") or f.get("has_preordered_variants"):
        condition &= Q(pk__in=[])
    return condition & metadata_q(Product, f.get("metadata"))


SORT_KEYS = {
    "name": ["name", "slug"],
    "price": ["sort_price", "slug"],
    "minimal_price": ["sort_price", "slug"],
    "updated_at": ["updated_at"],
    "created_at": ["created_at"],
    "rank": ["search_rank", "slug"],
    "type": ["sort_type", "slug"],
    "rating": ["sort_rating", "slug"],
    "collection": ["sort_collection", "slug"],
}


def _sort_annotations(queryset, channel, field):
    """The annotation a sort key needs (keyset cursors read values from the rows)."""
    if field == "type":
        return queryset.annotate(sort_type=F("product_type__name"))
    if field == "rating":
        return queryset.annotate(sort_rating=Coalesce("rating", Value(0.0)))
    if field == "collection":
        # A product's place in its collections (the lowest, for one in several).
        first = CollectionProduct.objects.filter(product=OuterRef("pk")).order_by("sort_order")
        return queryset.annotate(sort_collection=Coalesce(
            Subquery(first.values("sort_order")[:1]), Value(0)))
    if field in ("price", "minimal_price"):
        return annotate_price(queryset, channel)
    return queryset


# Saleor's other names of the same orders.
_SORT_ALIASES = {"published": "published_at", "publication_date": "published_at",
                 "date": "updated_at", "last_modified": "updated_at"}


def product_sort(queryset, channel, sort_by: dict | None, searching: bool):
    """The sort keys and direction for ``sort_by``; searches default to relevance."""
    field = (sort_by or {}).get("field")
    direction = (sort_by or {}).get("direction")
    field = getattr(field, "value", field)
    direction = getattr(direction, "value", direction)
    if field is None:
        field = "rank" if searching else "name"
        direction = direction or ("desc" if searching else "asc")
    if field == "rank" and not searching:
        raise GraphQLError(_("Sorting by RANK is available only when using a search filter."))
    field = _SORT_ALIASES.get(field, field)
    if field == "published_at":
        listing = ProductChannelListing.objects.filter(product=OuterRef("pk"), channel=channel)
        queryset = queryset.annotate(
            sort_published=Coalesce(Subquery(listing.values("published_at")[:1]),
                                    "created_at"))
        return queryset, ["sort_published"], direction == "desc"
    return _sort_annotations(queryset, channel, field), SORT_KEYS[field], direction == "desc"

