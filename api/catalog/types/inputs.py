"""How product lists are sorted and filtered (the arguments of every product list)."""

from __future__ import annotations

import graphene

from api.core.metadata import MetadataFilter
from api.core.types import OrderDirection


class ProductOrderField(graphene.Enum):
    NAME = "name"
    RANK = "rank"
    PRICE = "price"
    MINIMAL_PRICE = "minimal_price"
    LAST_MODIFIED_AT = "updated_at"
    CREATED_AT = "created_at"
    PUBLISHED_AT = "published_at"
    PUBLISHED = "published"
    TYPE = "type"
    RATING = "rating"
    COLLECTION = "collection"
    # Saleor's deprecated names, which older storefronts still send.
    DATE = "date"
    LAST_MODIFIED = "last_modified"
    PUBLICATION_DATE = "publication_date"

    @property
    def description(self):
        return {
            "name": "Sort products by name.",
            "rank": "Sort products by search rank; only with a search filter.",
            "price": "Sort products by price (lowest variant price in the channel).",
            "minimal_price": "Sort products by the lowest variant price.",
            "updated_at": "Sort products by update date.",
            "created_at": "Sort products by creation date.",
            "published_at": "Sort products by publication date.",
            "published": "Sort products by publication date.",
            "type": "Sort products by product type.",
            "rating": "Sort products by rating (unrated last when descending).",
            "collection": "Sort products by their position in collections.",
            "date": "Sort products by update date (deprecated: LAST_MODIFIED_AT).",
            "last_modified": "Sort products by update date (deprecated: LAST_MODIFIED_AT).",
            "publication_date": "Sort products by publication date (deprecated: "
                                "PUBLISHED_AT).",
        }.get(self.value)


class ProductOrder(graphene.InputObjectType):
    field = ProductOrderField(description="Sort products by the selected field.")
    direction = graphene.Argument(OrderDirection, required=True)


class PriceRangeInput(graphene.InputObjectType):
    gte = graphene.Float(description="Price greater than or equal to.")
    lte = graphene.Float(description="Price less than or equal to.")


class StockAvailability(graphene.Enum):
    IN_STOCK = "in_stock"
    OUT_OF_STOCK = "out_of_stock"


class ProductConditions:
    """Conditions ``filter`` and ``where`` share (``api.catalog.filters.conditions``)."""

    stock_availability = graphene.Field(StockAvailability)
    is_published = graphene.Boolean(description="Published in the channel (only the "
                                                "operators see unpublished products).")
    is_visible_in_listing = graphene.Boolean()
    has_category = graphene.Boolean()
    published_from = graphene.DateTime(description="Published by this time.")
    available_from = graphene.DateTime(description="On sale by this time.")
    gift_card = graphene.Boolean(description="No gift cards are sold here: true matches no "
                                             "product.")
    has_preordered_variants = graphene.Boolean(description="Nothing is sold on preorder "
                                                           "here: true matches no product.")
    metadata = graphene.List(graphene.NonNull(MetadataFilter),
                             description="No product carries metadata here: any item "
                                         "matches no product.")


class ProductFilterInput(graphene.InputObjectType, ProductConditions):
    search = graphene.String()
    categories = graphene.List(graphene.NonNull(graphene.ID))
    collections = graphene.List(graphene.NonNull(graphene.ID))
    product_types = graphene.List(graphene.NonNull(graphene.ID))
    price = graphene.Field(PriceRangeInput)
    minimal_price = graphene.Field(PriceRangeInput)
    is_available = graphene.Boolean()
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))
    pavilions = graphene.List(graphene.NonNull(graphene.ID),
                              description="County pavilions (extension).")
    organizations = graphene.List(graphene.NonNull(graphene.ID),
                                  description="Sellers (extension).")
    attributes = graphene.List(graphene.NonNull("api.catalog.search.AttributeInput"),
                               description="Attribute values, e.g. grade 特级.")


PRODUCT_ARGS = dict(
    filter=graphene.Argument(ProductFilterInput),
    sort_by=graphene.Argument(ProductOrder),
    search=graphene.String(),
    where=graphene.Argument("api.catalog.where.ProductWhereInput",
                            description="Where filtering options for products."),
)
