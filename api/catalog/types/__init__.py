"""GraphQL types of the catalogue, named and shaped as in Saleor's storefront schema, by
concern: attributes and product types, media, variants, products, the product list's
sorting and filtering, categories and collections, pavilions.

Nodes that depend on the channel (products, variants, collections, categories' products)
are resolved from a ``ChannelContext`` so the channel flows down the graph."""

from .attributes import (
    Attribute,
    AttributeValue,
    ProductType,
    SelectedAttribute,
    selected_attributes,
)
from .categories import (
    Category,
    CategoryCountableConnection,
    Collection,
    CollectionCountableConnection,
)
from .common import Weight, editorjs, image_url, manages, thumbnail_url, weight_of
from .inputs import (
    PRODUCT_ARGS,
    PriceRangeInput,
    ProductFilterInput,
    ProductOrder,
    ProductOrderField,
    StockAvailability,
)
from .media import ProductMedia, ProductMediaType
from .pavilions import Pavilion, PavilionCountableConnection
from .products import Product, ProductCountableConnection, ProductPricingInfo, price_range
from .variants import (
    ProductVariant,
    ProductVariantChannelListing,
    ProductVariantCountableConnection,
    VariantPricingInfo,
)

__all__ = [
    "PRODUCT_ARGS", "Attribute", "AttributeValue", "Category", "CategoryCountableConnection",
    "Collection", "CollectionCountableConnection", "Pavilion", "PavilionCountableConnection",
    "PriceRangeInput", "Product", "ProductCountableConnection", "ProductFilterInput",
    "ProductMedia", "ProductMediaType", "ProductOrder", "ProductOrderField",
    "ProductPricingInfo", "ProductType", "ProductVariant", "ProductVariantChannelListing",
    "ProductVariantCountableConnection", "SelectedAttribute", "StockAvailability",
    "VariantPricingInfo", "Weight", "editorjs", "image_url", "manages", "price_range",
    "selected_attributes", "thumbnail_url", "weight_of",
]
