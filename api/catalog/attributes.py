"""Saleor's ``attributes`` query: the catalogue's attributes (grade 等级, origin 产地 ...)
for a storefront's filter panel, narrowed by ``filter: AttributeFilterInput`` or
``where: AttributeWhereInput``. Attribute names are catalogue-wide; ``inCategory`` and
``inCollection`` only count products the caller may see in the channel, so a draft's
product type reveals nothing."""

from __future__ import annotations

import graphene
from django.db.models import Q
from django.utils.translation import gettext as _
from graphql import GraphQLError

from api.core.connection import connection_args
from api.core.context import request_channel
from api.core.permissions import visible_organization_ids
from catalog import models
from catalog import services as catalog_services

from .filters import ids_of
from .resolvers import paginate, visible_collection_ids
from .types.attributes import AttributeCountableConnection, AttributeTypeEnum
from .where import StringFilterInput

MAX_DEPTH = 5


class AttributeFilterInput(graphene.InputObjectType):
    search = graphene.String()
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))
    type = graphene.Field(AttributeTypeEnum)
    with_choices = graphene.Boolean()
    visible_in_storefront = graphene.Boolean()
    filterable_in_storefront = graphene.Boolean()
    value_required = graphene.Boolean()
    in_category = graphene.ID(description="Attributes of the products of a category.")
    in_collection = graphene.ID(description="Attributes of the products of a collection.")


class AttributeTypeEnumFilterInput(graphene.InputObjectType):
    eq = graphene.Field(AttributeTypeEnum)
    one_of = graphene.List(graphene.NonNull(AttributeTypeEnum))


class AttributeWhereInput(graphene.InputObjectType):
    ids = graphene.List(graphene.NonNull(graphene.ID))
    name = graphene.Field(StringFilterInput)
    slug = graphene.Field(StringFilterInput)
    type = graphene.Field(AttributeTypeEnumFilterInput)
    with_choices = graphene.Boolean()
    visible_in_storefront = graphene.Boolean()
    value_required = graphene.Boolean()
    in_category = graphene.ID()
    in_collection = graphene.ID()
    AND = graphene.List(graphene.NonNull(lambda: AttributeWhereInput))
    OR = graphene.List(graphene.NonNull(lambda: AttributeWhereInput))


def _of_products(products) -> Q:
    """Attributes of the product types of ``products`` (on the product or its variants)."""
    types = products.values("product_type_id")
    return Q(pk__in=models.Attribute.objects.filter(
        Q(product_types__in=types) | Q(variant_product_types__in=types)).values("pk"))


def _in_category(info, channel, global_id) -> Q:
    ids = catalog_services.category_and_descendant_ids(ids_of([global_id], "Category"))
    products = catalog_services.visible_products(channel, visible_organization_ids(info))
    return _of_products(products.filter(category_id__in=ids))


def _in_collection(info, channel, global_id) -> Q:
    pks = set(ids_of([global_id], "Collection")) & visible_collection_ids(info, channel.slug)
    products = catalog_services.visible_products(channel, visible_organization_ids(info))
    return _of_products(products.filter(collections__in=pks))


def _flags(conditions: dict) -> Q:
    """Every attribute here is a product type's choice list, shown and filterable in the
    shop and optional: a flag asked the other way matches none."""
    constant = {"with_choices": True, "visible_in_storefront": True,
                "filterable_in_storefront": True, "value_required": False}
    for field, value in constant.items():
        if conditions.get(field) is not None and conditions[field] != value:
            return Q(pk__in=[])
    return Q()


def _types(types) -> Q:
    wanted = [t.value if hasattr(t, "value") else t for t in types]
    return Q() if AttributeTypeEnum.PRODUCT_TYPE.value in wanted else Q(pk__in=[])


def filter_condition(info, channel, conditions: dict | None) -> Q:
    conditions = conditions or {}
    condition = _flags(conditions)
    if conditions.get("search"):
        term = conditions["search"]
        condition &= Q(name__icontains=term) | Q(slug__icontains=term)
    if conditions.get("ids"):
        condition &= Q(pk__in=ids_of(conditions["ids"], "Attribute"))
    if conditions.get("slugs"):
        condition &= Q(slug__in=conditions["slugs"])
    if conditions.get("type") is not None:
        condition &= _types([conditions["type"]])
    if conditions.get("in_category"):
        condition &= _in_category(info, channel, conditions["in_category"])
    if conditions.get("in_collection"):
        condition &= _in_collection(info, channel, conditions["in_collection"])
    return condition


def _values(filter_input) -> list:
    if filter_input.get("eq") is not None:
        return [filter_input["eq"]]
    return list(filter_input.get("one_of") or [])


def where_condition(info, channel, where: dict | None, depth: int = 0) -> Q:
    if depth > MAX_DEPTH:
        raise GraphQLError(_("The where input is nested too deeply."))
    where = where or {}
    condition = _flags(where)
    if where.get("ids"):
        condition &= Q(pk__in=ids_of(where["ids"], "Attribute"))
    for field in ("name", "slug"):
        if where.get(field):
            condition &= Q(**{f"{field}__in": _values(where[field])})
    if where.get("type"):
        condition &= _types(_values(where["type"]))
    if where.get("in_category"):
        condition &= _in_category(info, channel, where["in_category"])
    if where.get("in_collection"):
        condition &= _in_collection(info, channel, where["in_collection"])
    for clause in where.get("AND") or []:
        condition &= where_condition(info, channel, clause, depth + 1)
    if where.get("OR"):
        either = Q(pk__in=[])
        for clause in where["OR"]:
            either |= where_condition(info, channel, clause, depth + 1)
        condition &= either
    return condition


def _in_channel(attribute, channel_slug: str):
    # Read by ``Attribute.choices``: the values it lists are those of this channel.
    attribute.channel_slug = channel_slug
    return attribute


def resolve_attributes(_root, info, channel=None, filter=None, where=None, search=None,
                       **page):
    ch = request_channel(info, channel)
    queryset = models.Attribute.objects.filter(filter_condition(info, ch, filter))
    if search:
        queryset = queryset.filter(filter_condition(info, ch, {"search": search}))
    if where:
        queryset = queryset.filter(where_condition(info, ch, where))
    return paginate(queryset, page, AttributeCountableConnection, ["sort_order", "slug"],
                    wrap=lambda a: _in_channel(a, ch.slug), connection_name="attributes")


attributes_field = graphene.Field(
    AttributeCountableConnection,
    channel=graphene.String(description="Slug of a channel; the default channel if omitted."),
    filter=AttributeFilterInput(),
    where=AttributeWhereInput(),
    search=graphene.String(),
    **connection_args(),
    resolver=resolve_attributes,
    description="List of the catalogue's attributes.",
)
