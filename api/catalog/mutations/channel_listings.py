"""Where products are published and what their variants cost, channel by channel."""

from __future__ import annotations

import graphene

from api.core.scalars import PositiveDecimal
from catalog import services as catalog_services
from shop.models import Channel

from .. import types
from .base import (
    ProductChannelListingError,
    ProductMutation,
    channel_payload,
    get_instance,
    get_managed_product,
    get_managed_variant,
)


def _channel(global_id: str, field: str) -> Channel:
    return get_instance(Channel, global_id, "Channel", field)


class ProductChannelListingAddInput(graphene.InputObjectType):
    channel_id = graphene.ID(required=True)
    is_published = graphene.Boolean()
    published_at = graphene.DateTime()
    visible_in_listings = graphene.Boolean()
    is_available_for_purchase = graphene.Boolean()
    available_for_purchase_at = graphene.DateTime()


class ProductChannelListingUpdateInput(graphene.InputObjectType):
    update_channels = graphene.List(graphene.NonNull(ProductChannelListingAddInput))
    remove_channels = graphene.List(graphene.NonNull(graphene.ID))


class ProductChannelListingUpdate(ProductMutation):
    product = graphene.Field(types.Product)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a product to update.")
        input = ProductChannelListingUpdateInput(required=True)

    class Meta:
        description = "Manage product's availability in channels."
        error_type_class = ProductChannelListingError

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        product = get_managed_product(info, id)
        update = []
        for item in input.get("update_channels") or []:
            entry = {k: v for k, v in item.items() if k != "channel_id"}
            entry["channel"] = _channel(item["channel_id"], "updateChannels")
            update.append(entry)
        remove = [_channel(gid, "removeChannels") for gid in input.get("remove_channels") or []]
        product = catalog_services.update_product_channel_listings(product, update, remove)
        return cls(product=channel_payload(product, info))


class ProductVariantChannelListingAddInput(graphene.InputObjectType):
    channel_id = graphene.ID(required=True)
    price = PositiveDecimal(required=True, description="Price of the variant in the channel.")
    cost_price = PositiveDecimal(description="Cost price of the variant in the channel.")


class ProductVariantChannelListingUpdate(ProductMutation):
    variant = graphene.Field(types.ProductVariant)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a product variant to update.")
        input = graphene.List(graphene.NonNull(ProductVariantChannelListingAddInput),
                              required=True)

    class Meta:
        description = "Manage product variant prices in channels."
        error_type_class = ProductChannelListingError

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        variant = get_managed_variant(info, id)
        items = [
            {"channel": _channel(item["channel_id"], "channelId"), "price": item.get("price"),
             "cost_price": item.get("cost_price")}
            for item in input
        ]
        variant = catalog_services.update_variant_channel_listings(variant, items)
        return cls(variant=channel_payload(variant, info))
