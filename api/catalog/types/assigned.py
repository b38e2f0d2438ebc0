"""Saleor's typed attribute API on products and variants: ``assignedAttribute(slug:)``
and ``assignedAttributes(limit:)`` answer one ``AssignedAttribute`` per attribute the
product or variant carries. The pavilion's attributes are all choices (grade 等级,
产地 …): one value is an ``AssignedSingleChoiceAttribute``, several an
``AssignedMultiChoiceAttribute``. The other kinds exist so a Saleor client's fragments on
them validate; nothing resolves to them."""

from __future__ import annotations

import graphene

from api.core.dataloaders import then
from api.translations.languages import LanguageCodeEnum, stored_language
from api.translations.types import LOADERS
from catalog import models

from .. import dataloaders as dl
from .attributes import Attribute


class File(graphene.ObjectType):
    url = graphene.String(required=True)
    content_type = graphene.String()


class AssignedAttribute(graphene.Interface):
    attribute = graphene.Field(Attribute, required=True)


class AssignedChoiceAttributeValue(graphene.ObjectType):
    name = graphene.String()
    slug = graphene.String()
    translation = graphene.String(language_code=graphene.Argument(LanguageCodeEnum,
                                                                  required=True))

    @staticmethod
    def resolve_translation(root, info, language_code):
        key = (root.pk, stored_language(language_code))
        return then(LOADERS["attribute_value"](info.context).load(key),
                    lambda record: record.name if record else None)


def _kind(name, value_field):
    return type(name, (graphene.ObjectType,), {
        "Meta": type("Meta", (), {"interfaces": (AssignedAttribute,)}),
        "value": value_field,
    })


AssignedPlainTextAttribute = type("AssignedPlainTextAttribute", (graphene.ObjectType,), {
    "Meta": type("Meta", (), {"interfaces": (AssignedAttribute,)}),
    "value": graphene.String(),
    "translation": graphene.String(language_code=graphene.Argument(LanguageCodeEnum,
                                                                   required=True)),
})
AssignedBooleanAttribute = _kind("AssignedBooleanAttribute", graphene.Boolean())
AssignedNumericAttribute = _kind("AssignedNumericAttribute", graphene.Float())
AssignedFileAttribute = _kind("AssignedFileAttribute", graphene.Field(File))
AssignedSingleCollectionReferenceAttribute = _kind(
    "AssignedSingleCollectionReferenceAttribute", graphene.Field("api.catalog.types.Collection"))


class AssignedSingleChoiceAttribute(graphene.ObjectType):
    value = graphene.Field(AssignedChoiceAttributeValue)

    class Meta:
        interfaces = (AssignedAttribute,)


class AssignedMultiChoiceAttribute(graphene.ObjectType):
    value = graphene.List(graphene.NonNull(AssignedChoiceAttributeValue), required=True)

    class Meta:
        interfaces = (AssignedAttribute,)


ASSIGNED_TYPES = [AssignedPlainTextAttribute, AssignedBooleanAttribute,
                  AssignedNumericAttribute, AssignedFileAttribute,
                  AssignedSingleCollectionReferenceAttribute, AssignedSingleChoiceAttribute,
                  AssignedMultiChoiceAttribute]


def assigned(pair):
    attribute, values = pair
    if len(values) == 1:
        return AssignedSingleChoiceAttribute(attribute=attribute, value=values[0])
    return AssignedMultiChoiceAttribute(attribute=attribute, value=values)


def _attributes(record, info):
    loader = (dl.AttributesByVariantIdLoader if isinstance(record, models.ProductVariant)
              else dl.AttributesByProductIdLoader)
    return loader(info.context).load(record.pk)


def resolve_assigned_attributes(record, info, limit=None):
    """The product's or the variant's attributes, ``limit`` at most."""
    def shape(pairs):
        pairs = pairs[:limit] if limit else pairs
        return [assigned(pair) for pair in pairs]

    return then(_attributes(record, info), shape)


def resolve_assigned_attribute(record, info, slug):
    def pick(pairs):
        return next((assigned(p) for p in pairs if p[0].slug == slug), None)

    return then(_attributes(record, info), pick)
