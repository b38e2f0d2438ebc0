"""Catalogue mutations in Saleor's shape, by concern: products, variants and their stock,
channel listings, media. Each one checks the caller may manage the organisation that owns
the record, then calls one service; bad input comes back as
``errors { field code message }`` and changes nothing."""

import graphene

from .base import (
    ProductChannelListingError,
    ProductError,
    ProductErrorCode,
    ProductMutation,
)
from .channel_listings import ProductChannelListingUpdate, ProductVariantChannelListingUpdate
from .media import ProductMediaCreate, ProductMediaReorder
from .products import ProductCreate, ProductDelete, ProductUpdate
from .variants import ProductVariantCreate, ProductVariantStocksUpdate, ProductVariantUpdate


class CatalogMutations(graphene.ObjectType):
    product_create = ProductCreate.Field()
    product_update = ProductUpdate.Field()
    product_delete = ProductDelete.Field()
    product_variant_create = ProductVariantCreate.Field()
    product_variant_update = ProductVariantUpdate.Field()
    product_variant_stocks_update = ProductVariantStocksUpdate.Field()
    product_channel_listing_update = ProductChannelListingUpdate.Field()
    product_variant_channel_listing_update = ProductVariantChannelListingUpdate.Field()
    product_media_create = ProductMediaCreate.Field()
    product_media_reorder = ProductMediaReorder.Field()


__all__ = [
    "CatalogMutations", "ProductChannelListingError", "ProductChannelListingUpdate",
    "ProductCreate", "ProductDelete", "ProductError", "ProductErrorCode", "ProductMediaCreate",
    "ProductMediaReorder", "ProductMutation", "ProductUpdate", "ProductVariantChannelListingUpdate",
    "ProductVariantCreate", "ProductVariantStocksUpdate", "ProductVariantUpdate",
]
