"""Saleor's ``where: ProductWhereInput`` on product lists: conditions on ids, name, slug,
category, collection, product type, price, attributes and availability, combined with
``AND``/``OR`` lists. Each condition becomes a ``Q`` on the product's primary key, so the
clauses nest freely."""

from __future__ import annotations

from decimal import Decimal

import graphene
from django.db.models import Q
from graphql import GraphQLError

from catalog import models
from catalog import search as catalog_search
from catalog import services as catalog_services

from .filters import annotate_price, attribute_filters, conditions, ids_of
from .types.inputs import ProductConditions


class StringFilterInput(graphene.InputObjectType):
    eq = graphene.String()
    one_of = graphene.List(graphene.NonNull(graphene.String))


class GlobalIDFilterInput(graphene.InputObjectType):
    eq = graphene.ID()
    one_of = graphene.List(graphene.NonNull(graphene.ID))


class DecimalRangeInput(graphene.InputObjectType):
    gte = graphene.Float(description="Decimal value greater than or equal to.")
    lte = graphene.Float(description="Decimal value less than or equal to.")


class DecimalFilterInput(graphene.InputObjectType):
    eq = graphene.Float()
    one_of = graphene.List(graphene.NonNull(graphene.Float))
    range = graphene.Field(DecimalRangeInput)


class ProductWhereInput(graphene.InputObjectType, ProductConditions):
    ids = graphene.List(graphene.NonNull(graphene.ID))
    name = graphene.Field(StringFilterInput)
    slug = graphene.Field(StringFilterInput)
    product_type = graphene.Field(GlobalIDFilterInput)
    category = graphene.Field(GlobalIDFilterInput)
    collection = graphene.Field(GlobalIDFilterInput)
    is_available = graphene.Boolean()
    price = graphene.Field(DecimalFilterInput)
    minimal_price = graphene.Field(DecimalFilterInput)
    attributes = graphene.List(graphene.NonNull("api.catalog.search.AttributeInput"))
    AND = graphene.List(graphene.NonNull(lambda: ProductWhereInput))
    OR = graphene.List(graphene.NonNull(lambda: ProductWhereInput))


def _values(filter_input, cast=str) -> list:
    if filter_input.get("eq") is not None:
        return [cast(filter_input["eq"])]
    return [cast(v) for v in filter_input.get("one_of") or []]


def _ids(filter_input, type_name) -> list[int]:
    return ids_of(_values(filter_input), type_name)


def _price(channel, price) -> Q:
    queryset = annotate_price(models.Product.objects.all(), channel)
    values = _values(price, lambda v: Decimal(str(v)))
    if values:
        queryset = queryset.filter(sort_price__in=values)
    bounds = price.get("range") or {}
    for bound in ("gte", "lte"):
        if bounds.get(bound) is not None:
            if bounds[bound] < 0:
                raise GraphQLError("Price filters cannot be negative.")
            queryset = queryset.filter(**{f"sort_price__{bound}": Decimal(str(bounds[bound]))})
    return Q(pk__in=queryset.values("pk"))


def where_condition(channel, where: dict | None, depth: int = 0) -> Q:
    """The ``Q`` for one ProductWhereInput (an empty one matches everything)."""
    if depth > 5:
        raise GraphQLError("The where input is nested too deeply.")
    condition = Q()
    where = where or {}
    if where.get("ids"):
        condition &= Q(pk__in=ids_of(where["ids"], "Product"))
    for field in ("name", "slug"):
        if where.get(field):
            condition &= Q(**{f"{field}__in": _values(where[field])})
    if where.get("product_type"):
        condition &= Q(product_type_id__in=_ids(where["product_type"], "ProductType"))
    if where.get("category"):
        ids = catalog_services.category_and_descendant_ids(_ids(where["category"], "Category"))
        condition &= Q(category_id__in=ids)
    if where.get("collection"):
        condition &= Q(pk__in=models.CollectionProduct.objects.filter(
            collection_id__in=_ids(where["collection"], "Collection")).values("product_id"))
    for field in ("price", "minimal_price"):
        if where.get(field):
            condition &= _price(channel, where[field])
    if where.get("attributes"):
        matching = catalog_search.filter_by_attributes(models.Product.objects.all(),
                                                       attribute_filters(where["attributes"]))
        condition &= Q(pk__in=matching.values("pk"))
    if where.get("is_available") is not None:
        available = catalog_services.purchasable_condition(channel.slug)
        condition &= available if where["is_available"] else ~available
    condition &= conditions(channel, where)
    for clause in where.get("AND") or []:
        condition &= where_condition(channel, clause, depth + 1)
    if where.get("OR"):
        either = Q(pk__in=[])
        for clause in where["OR"]:
            either |= where_condition(channel, clause, depth + 1)
        condition &= either
    return condition
