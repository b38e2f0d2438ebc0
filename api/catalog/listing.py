"""Saleor's filters, ``where`` inputs and sorting of the category, collection and variant
lists (``categories``, ``collections``, ``productVariants``): the inputs, and what they
make of a queryset. Products have their own (``filters.py``, ``where.py``)."""

from __future__ import annotations

from datetime import UTC, datetime

import graphene
from django.db.models import BooleanField, Count, DateTimeField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from api.core.ids import resolve_global_id
from api.core.metadata import MetadataFilter, metadata_q
from api.core.types import OrderDirection
from catalog import models


def _pks(global_ids, type_name: str) -> list[int]:
    pks = []
    for global_id in global_ids:
        _type, pk = resolve_global_id(global_id, type_name)
        if str(pk).isdigit():
            pks.append(int(pk))
    return pks


# Inputs ---------------------------------------------------------------------------------

class CategoryFilterInput(graphene.InputObjectType):
    search = graphene.String()
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))


def _where_input(name: str):
    """Saleor's ``where`` input of a category or collection list: IDs and metadata, with
    ``AND``/``OR`` lists of the same input (``where_q``)."""
    where = type(name, (graphene.InputObjectType,), {
        "metadata": graphene.List(graphene.NonNull(MetadataFilter)),
        "ids": graphene.List(graphene.NonNull(graphene.ID)),
        "AND": graphene.List(graphene.NonNull(lambda: where), name="AND"),
        "OR": graphene.List(graphene.NonNull(lambda: where), name="OR"),
    })
    return where


CategoryWhereInput = _where_input("CategoryWhereInput")


class CategorySortField(graphene.Enum):
    NAME = "name"
    PRODUCT_COUNT = "product_count"
    SUBCATEGORY_COUNT = "subcategory_count"


class CategorySortingInput(graphene.InputObjectType):
    direction = graphene.Argument(OrderDirection, required=True)
    channel = graphene.String(description="Not needed here: a category's products are "
                                          "counted in every channel.")
    field = graphene.Argument(CategorySortField, required=True)


class CollectionPublished(graphene.Enum):
    PUBLISHED = "published"
    HIDDEN = "hidden"


class CollectionFilterInput(graphene.InputObjectType):
    published = graphene.Argument(CollectionPublished,
                                  description="Published in the channel or not (only the "
                                              "operators see hidden ones).")
    search = graphene.String()
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))
    channel = graphene.String(deprecation_reason="Use the root-level channel argument.")


CollectionWhereInput = _where_input("CollectionWhereInput")


class CollectionSortField(graphene.Enum):
    NAME = "name"
    AVAILABILITY = "availability"
    PRODUCT_COUNT = "product_count"
    PUBLICATION_DATE = "publication_date"
    PUBLISHED_AT = "published_at"


class CollectionSortingInput(graphene.InputObjectType):
    direction = graphene.Argument(OrderDirection, required=True)
    channel = graphene.String(deprecation_reason="Use the root-level channel argument.")
    field = graphene.Argument(CollectionSortField, required=True)


class ProductVariantFilterInput(graphene.InputObjectType):
    search = graphene.String(description="Part of a variant's name or SKU.")
    sku = graphene.List(graphene.NonNull(graphene.String))
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    is_preorder = graphene.Boolean(description="Nothing is sold on preorder here: true "
                                               "matches no variant.")


class ProductVariantSortField(graphene.Enum):
    LAST_MODIFIED_AT = "updated_at"


class ProductVariantSortingInput(graphene.InputObjectType):
    direction = graphene.Argument(OrderDirection, required=True)
    field = graphene.Argument(ProductVariantSortField, required=True)


# What they make of a queryset -----------------------------------------------------------

def where_q(model, type_name: str, where) -> Q:
    """A ``CategoryWhereInput``/``CollectionWhereInput`` as a condition."""
    if not where:
        return Q()
    q = metadata_q(model, where.get("metadata"))
    if where.get("ids") is not None:
        q &= Q(pk__in=_pks(where["ids"], type_name))
    for part in where.get("AND") or ():
        q &= where_q(model, type_name, part)
    if where.get("OR"):
        either = Q(pk__in=[])
        for part in where["OR"]:
            either |= where_q(model, type_name, part)
        q &= either
    return q


def _value(enum_value):
    return getattr(enum_value, "value", enum_value)


def sorted_by(queryset, sort_by, default_keys: list[str], sorts: dict):
    """``(queryset, keys, descending)`` for ``paginate``: ``sorts`` maps a field to its
    keys and the annotations they need; no ``sort_by``, the list's own order."""
    if not sort_by:
        return queryset, default_keys, False
    keys, annotations = sorts[_value(sort_by["field"])]
    return (queryset.annotate(**annotations) if annotations else queryset, keys,
            _value(sort_by.get("direction")) == "desc")


CATEGORY_SORTS = {
    "name": (["name", "slug"], {}),
    "product_count": (["sort_products", "slug"],
                      {"sort_products": Count("products", distinct=True)}),
    "subcategory_count": (["sort_children", "slug"],
                          {"sort_children": Count("children", distinct=True)}),
}


def collection_sorts(channel) -> dict:
    listing = models.CollectionChannelListing.objects.filter(collection=OuterRef("pk"),
                                                             channel=channel)
    # Never published there: first (ascending), as if published at the epoch.
    published_at = {"sort_published": Coalesce(
        Subquery(listing.values("published_at")[:1]),
        Value(datetime(1970, 1, 1, tzinfo=UTC), output_field=DateTimeField()))}
    return {
        "name": (["name", "slug"], {}),
        "availability": (["sort_available", "slug"], {"sort_available": Coalesce(
            Subquery(listing.values("is_published")[:1]), Value(False),
            output_field=BooleanField())}),
        "product_count": (["sort_products", "slug"], {"sort_products": Count(
            "products", distinct=True)}),
        "publication_date": (["sort_published", "slug"], published_at),
        "published_at": (["sort_published", "slug"], published_at),
    }


def collection_filter(queryset, channel, filter_input):
    if not filter_input:
        return queryset
    if filter_input.get("search"):
        queryset = queryset.filter(name__icontains=filter_input["search"])
    if filter_input.get("slugs"):
        queryset = queryset.filter(slug__in=filter_input["slugs"])
    if filter_input.get("ids"):
        queryset = queryset.filter(pk__in=_pks(filter_input["ids"], "Collection"))
    if filter_input.get("published") is not None:
        published = models.CollectionChannelListing.objects.filter(
            channel=channel, is_published=True).values("collection_id")
        if _value(filter_input["published"]) == "published":
            queryset = queryset.filter(pk__in=published)
        else:
            queryset = queryset.exclude(pk__in=published)
    return queryset.filter(metadata_q(models.Collection, filter_input.get("metadata")))


def variant_filter(queryset, filter_input):
    if not filter_input:
        return queryset
    if filter_input.get("sku"):
        queryset = queryset.filter(sku__in=filter_input["sku"])
    if filter_input.get("search"):
        text = filter_input["search"]
        queryset = queryset.filter(Q(name__icontains=text) | Q(sku__icontains=text))
    if filter_input.get("is_preorder"):
        queryset = queryset.none()
    return queryset.filter(metadata_q(models.ProductVariant, filter_input.get("metadata")))
