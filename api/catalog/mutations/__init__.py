"""Catalogue mutations in Saleor's shape, by concern: products, variants and their stock,
channel listings, media; and the operators' own: categories, collections (专题) and
takedowns (下架). Each one checks the caller may manage the organisation that owns the
record (the operators' ones: that the caller is an operator), then calls one service; bad
input comes back as ``errors { field code message }`` and changes nothing."""

import graphene

from .base import (
    ProductChannelListingError,
    ProductError,
    ProductErrorCode,
    ProductMutation,
)
from .categories import CategoryCreate, CategoryDelete, CategoryUpdate
from .channel_listings import ProductChannelListingUpdate, ProductVariantChannelListingUpdate
from .collections import (
    CollectionAddProducts,
    CollectionChannelListingUpdate,
    CollectionCreate,
    CollectionDelete,
    CollectionRemoveProducts,
    CollectionReorderProducts,
    CollectionUpdate,
)
from .media import ProductMediaCreate, ProductMediaReorder
from .moderation import ProductRestore, ProductTakeDown
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
    product_take_down = ProductTakeDown.Field()
    product_restore = ProductRestore.Field()
    category_create = CategoryCreate.Field()
    category_update = CategoryUpdate.Field()
    category_delete = CategoryDelete.Field()
    collection_create = CollectionCreate.Field()
    collection_update = CollectionUpdate.Field()
    collection_delete = CollectionDelete.Field()
    collection_add_products = CollectionAddProducts.Field()
    collection_remove_products = CollectionRemoveProducts.Field()
    collection_reorder_products = CollectionReorderProducts.Field()
    collection_channel_listing_update = CollectionChannelListingUpdate.Field()


__all__ = [
    "CatalogMutations", "ProductChannelListingError", "ProductChannelListingUpdate",
    "ProductCreate", "ProductDelete", "ProductError", "ProductErrorCode", "ProductMediaCreate",
    "ProductMediaReorder", "ProductMutation", "ProductUpdate", "ProductVariantChannelListingUpdate",
    "ProductVariantCreate", "ProductVariantStocksUpdate", "ProductVariantUpdate",
]
