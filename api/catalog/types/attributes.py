"""Attributes, their values as selected on products and variants, and product types."""

from __future__ import annotations

import graphene

from api.core.nodes import ModelObjectType
from catalog import models

from .common import Weight, weight_of


class Attribute(ModelObjectType):
    name = graphene.String()
    slug = graphene.String()
    unit = graphene.String()

    class Meta:
        model = models.Attribute

    @classmethod
    def get_queryset(cls, info):
        return models.Attribute.objects.all()


class AttributeValue(ModelObjectType):
    name = graphene.String()
    slug = graphene.String()

    class Meta:
        model = models.AttributeValue


class SelectedAttribute(graphene.ObjectType):
    attribute = graphene.Field(Attribute, required=True)
    values = graphene.List(graphene.NonNull(AttributeValue), required=True)


def selected_attributes(pairs):
    return [SelectedAttribute(attribute=a, values=v) for a, v in pairs]


class ProductType(ModelObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    has_variants = graphene.Boolean(required=True)
    is_shipping_required = graphene.Boolean(required=True)
    weight = graphene.Field(Weight)

    class Meta:
        model = models.ProductType

    resolve_weight = staticmethod(lambda root, _info: weight_of(root.weight))

    @classmethod
    def get_queryset(cls, info):
        return models.ProductType.objects.all()
