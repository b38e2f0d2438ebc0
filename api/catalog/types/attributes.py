"""Attributes, their values as selected on products and variants, and product types."""

from __future__ import annotations

import graphene

from api.core.connection import CountableConnection, connection_args
from api.core.context import request_channel
from api.core.dataloaders import then
from api.core.nodes import ModelObjectType
from api.core.permissions import visible_organization_ids
from api.translations import types as translations
from catalog import models

from .. import dataloaders as dl
from .. import resolvers
from .common import Weight, weight_of


class AttributeInputTypeEnum(graphene.Enum):
    DROPDOWN = "dropdown"
    MULTISELECT = "multiselect"
    FILE = "file"
    REFERENCE = "reference"
    SINGLE_REFERENCE = "single_reference"
    NUMERIC = "numeric"
    RICH_TEXT = "rich_text"
    PLAIN_TEXT = "plain_text"
    SWATCH = "swatch"
    BOOLEAN = "boolean"
    DATE = "date"
    DATE_TIME = "date_time"


class VariantAttributeScope(graphene.Enum):
    ALL = "all"
    VARIANT_SELECTION = "variant_selection"
    NOT_VARIANT_SELECTION = "not_variant_selection"


class AttributeTypeEnum(graphene.Enum):
    PRODUCT_TYPE = "product-type"
    PAGE_TYPE = "page-type"


class Attribute(ModelObjectType):
    name = graphene.String()
    slug = graphene.String()
    unit = graphene.String()
    # The pavilion's attributes are choices from a list of values (grade 特级/一级 …),
    # all of product types, all shown and filterable in the shop.
    input_type = graphene.Field(AttributeInputTypeEnum)
    type = graphene.Field(AttributeTypeEnum)
    with_choices = graphene.Boolean(required=True)
    visible_in_storefront = graphene.Boolean(required=True)
    filterable_in_storefront = graphene.Boolean(required=True)
    value_required = graphene.Boolean(required=True)
    choices = graphene.Field(lambda: AttributeValueCountableConnection, **connection_args(),
                             description="List of the attribute's values.")
    translation = translations.translation_field(translations.AttributeTranslation, "attribute")

    resolve_input_type = staticmethod(lambda _root, _info: AttributeInputTypeEnum.DROPDOWN)
    resolve_type = staticmethod(lambda _root, _info: AttributeTypeEnum.PRODUCT_TYPE)
    resolve_with_choices = staticmethod(lambda _root, _info: True)
    resolve_visible_in_storefront = staticmethod(lambda _root, _info: True)
    resolve_filterable_in_storefront = staticmethod(lambda _root, _info: True)
    resolve_value_required = staticmethod(lambda _root, _info: False)

    class Meta:
        model = models.Attribute

    @staticmethod
    def resolve_choices(root, info, **page):
        # ``attributes(channel:)`` leaves its channel on the rows it lists; an attribute
        # reached another way reads the default channel's products.
        channel = request_channel(info, getattr(root, "channel_slug", None))
        organization_ids = visible_organization_ids(info)
        scope = None if organization_ids is None else frozenset(organization_ids)
        return then(dl.ChoicesByAttributeLoader(info.context).load((root.pk, channel, scope)),
                    lambda values: resolvers.paginate_list(
                        values, page, AttributeValueCountableConnection, ["sort_order", "pk"],
                        connection_name="choices"))

    @classmethod
    def get_queryset(cls, info):
        return models.Attribute.objects.all()


class AttributeCountableConnection(CountableConnection):
    class Meta:
        node = Attribute


class AttributeValue(ModelObjectType):
    """A choice of an attribute. ``value`` (a swatch's colour), ``boolean``, ``dateTime``
    and ``file`` belong to Saleor's other input types and are null for a choice."""

    name = graphene.String()
    slug = graphene.String()
    value = graphene.String()
    boolean = graphene.Boolean()
    date_time = graphene.DateTime()
    file = graphene.Field("api.catalog.types.assigned.File")
    translation = translations.translation_field(translations.AttributeValueTranslation,
                                                 "attribute_value")

    resolve_value = staticmethod(lambda _root, _info: None)
    resolve_boolean = staticmethod(lambda _root, _info: None)
    resolve_date_time = staticmethod(lambda _root, _info: None)
    resolve_file = staticmethod(lambda _root, _info: None)

    class Meta:
        model = models.AttributeValue


class AttributeValueCountableConnection(CountableConnection):
    class Meta:
        node = AttributeValue


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
