"""Product variants: prices per channel, pricing in the caller's channel, availability."""

from __future__ import annotations

import graphene

from api.core.connection import CountableConnection
from api.core.context import ChannelContext
from api.core.dataloaders import gather, then
from api.core.metadata import ObjectWithMetadata
from api.core.nodes import ModelObjectType
from api.core.types import Money, TaxedMoney, money, taxed_money
from api.shop import dataloaders as shop_dl
from api.shop.types import Channel
from api.translations import types as translations
from catalog import models

from .. import dataloaders as dl
from .. import resolvers
from . import assigned
from .attributes import SelectedAttribute, VariantAttributeScope, selected_attributes
from .common import Weight, manages, weight_of


class VariantPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean()
    discount = graphene.Field(TaxedMoney)
    price = graphene.Field(TaxedMoney)
    price_undiscounted = graphene.Field(TaxedMoney)


class ProductVariantChannelListing(graphene.ObjectType):
    channel = graphene.Field(Channel, required=True)
    price = graphene.Field(Money)
    cost_price = graphene.Field(Money)

    @staticmethod
    def resolve_price(root, _info):
        return money(root.price_amount, root.currency)

    @staticmethod
    def resolve_cost_price(root, _info):
        if root.cost_price_amount is None:
            return None
        return money(root.cost_price_amount, root.currency)


class ProductVariant(ModelObjectType, ObjectWithMetadata):
    name = graphene.String(required=True)
    sku = graphene.String()
    gtin = graphene.String(description="GS1 trade item number, when the item has one.")
    product = graphene.Field("api.catalog.types.Product", required=True)
    track_inventory = graphene.Boolean(required=True)
    quantity_limit_per_customer = graphene.Int()
    weight = graphene.Field(Weight)
    attributes = graphene.List(
        graphene.NonNull(SelectedAttribute), required=True,
        variant_selection=graphene.Argument(
            VariantAttributeScope, description="Define scope of returned attributes."))
    media = graphene.List(graphene.NonNull("api.catalog.types.ProductMedia"),
                          description="Media assigned to this variant (the pavilion assigns "
                                      "media to products, so this is empty).")
    translation = translations.translation_field(translations.ProductVariantTranslation,
                                                 "product_variant")
    assigned_attribute = graphene.Field(
        "api.catalog.types.assigned.AssignedAttribute", slug=graphene.String(required=True),
        description="The variant's value for one attribute.")
    assigned_attributes = graphene.List(
        graphene.NonNull("api.catalog.types.assigned.AssignedAttribute"), required=True,
        limit=graphene.Int(description="Maximum number of attributes to return."))
    pricing = graphene.Field(VariantPricingInfo, address=graphene.Argument(
        "api.shop.mutations.inputs.AddressInput",
        description="Destination address for tax calculation; prices here include the tax "
                    "wherever the goods go, so it changes nothing."))
    quantity_available = graphene.Int(description="Units that can be bought in the channel.")
    channel = graphene.String(description="Slug of the channel this variant is shown for.")
    channel_listings = graphene.List(
        graphene.NonNull(ProductVariantChannelListing),
        description="Prices and cost prices per channel; only for the seller and operators.",
    )
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)

    class Meta:
        model = models.ProductVariant
        channel_scoped = True

    resolve_gtin = staticmethod(lambda root, _info: root.node.gtin or None)
    resolve_weight = staticmethod(lambda root, _info: weight_of(root.node.weight))
    resolve_channel = staticmethod(lambda root, _info: root.channel_slug)
    resolve_created = staticmethod(lambda root, _info: root.node.created_at)

    @staticmethod
    def resolve_product(root, info):
        return then(dl.ProductByIdLoader(info.context).load(root.node.product_id),
                    lambda p: ChannelContext(p, root.channel_slug))

    resolve_media = staticmethod(lambda _root, _info: [])

    @staticmethod
    def resolve_attributes(root, info, variant_selection=None):
        # A variant's attributes (grade, net weight) are what a shopper picks it by.
        if getattr(variant_selection, "value", variant_selection) == "not_variant_selection":
            return []
        return then(dl.AttributesByVariantIdLoader(info.context).load(root.node.pk),
                    selected_attributes)

    @staticmethod
    def resolve_assigned_attributes(root, info, limit=None):
        return assigned.resolve_assigned_attributes(root.node, info, limit)

    @staticmethod
    def resolve_assigned_attribute(root, info, slug):
        return assigned.resolve_assigned_attribute(root.node, info, slug)

    @staticmethod
    def resolve_pricing(root, info, address=None):
        def shape(listing):
            if listing is None:
                return None
            price = taxed_money(listing.price_amount, listing.currency)
            return VariantPricingInfo(on_sale=False, discount=None, price=price,
                                      price_undiscounted=price)

        return then(dl.VariantListingByVariantChannelLoader(info.context).load(
            (root.node.pk, root.channel_slug)), shape)

    @staticmethod
    def resolve_quantity_available(root, info):
        return shop_dl.QuantityAvailableByVariantChannelLoader(info.context).load(
            (root.node.pk, root.channel_slug))

    @staticmethod
    def resolve_channel_listings(root, info):
        loads = gather([dl.ProductByIdLoader(info.context).load(root.node.product_id),
                        dl.VariantListingsByVariantIdLoader(info.context).load(root.node.pk)])
        return then(loads, lambda pair: pair[1] if manages(info, pair[0].organization_id)
                    else None)

    @classmethod
    def get_node(cls, info, id):
        return resolvers.resolve_variant(info, id=id, sku=None, channel=None)


class ProductVariantCountableConnection(CountableConnection):
    class Meta:
        node = ProductVariant
