"""Catalogue queries: ``products``, ``product``, ``productVariant(s)``, ``categories``,
``category``, ``collections``, ``collection``, ``pavilions``, ``pavilion``, ``attributes``."""

from __future__ import annotations

import graphene

from api.core.connection import connection_args
from api.translations.languages import LanguageCodeEnum
from api.translations.slugs import original_slug

from . import attributes as attributes_api
from . import listing, resolvers, types
from . import search as search_api
from .resolvers import one_of

CHANNEL_ARG = graphene.String(description="Slug of a channel; the default channel if omitted.")


def slug_language_arg():
    return graphene.Argument(LanguageCodeEnum,
                             description="Language code of the slug (a translated slug).")


class CatalogQueries(graphene.ObjectType):
    products = graphene.Field(
        types.ProductCountableConnection,
        channel=CHANNEL_ARG,
        **connection_args(**types.PRODUCT_ARGS),
        description="List of the pavilion's products.",
    )
    product = graphene.Field(
        types.Product, id=graphene.ID(), slug=graphene.String(), channel=CHANNEL_ARG,
        slug_language_code=slug_language_arg(),
        description="Look up a product by ID or slug.",
    )
    product_variant = graphene.Field(
        types.ProductVariant, id=graphene.ID(), sku=graphene.String(), channel=CHANNEL_ARG,
    )
    product_variants = graphene.Field(
        types.ProductVariantCountableConnection,
        ids=graphene.List(graphene.NonNull(graphene.ID)),
        channel=CHANNEL_ARG,
        filter=listing.ProductVariantFilterInput(),
        search=graphene.String(description="Part of a variant's name or SKU."),
        sort_by=listing.ProductVariantSortingInput(),
        **connection_args(),
    )
    categories = graphene.Field(
        types.CategoryCountableConnection,
        level=graphene.Int(description="Filter categories by the nesting level."),
        filter=listing.CategoryFilterInput(),
        where=listing.CategoryWhereInput(),
        sort_by=listing.CategorySortingInput(),
        **connection_args(),
    )
    category = graphene.Field(types.Category, id=graphene.ID(), slug=graphene.String(),
                              slug_language_code=slug_language_arg())
    collections = graphene.Field(
        types.CollectionCountableConnection, channel=CHANNEL_ARG,
        filter=listing.CollectionFilterInput(), where=listing.CollectionWhereInput(),
        sort_by=listing.CollectionSortingInput(), **connection_args(),
    )
    collection = graphene.Field(
        types.Collection, id=graphene.ID(), slug=graphene.String(), channel=CHANNEL_ARG,
        slug_language_code=slug_language_arg(),
    )
    pavilions = graphene.Field(
        types.PavilionCountableConnection, channel=CHANNEL_ARG, **connection_args(),
        description="County pavilions (特色馆).",
    )
    pavilion = graphene.Field(
        types.Pavilion, id=graphene.ID(), slug=graphene.String(), channel=CHANNEL_ARG,
    )

    @staticmethod
    def resolve_products(_root, info, **kwargs):
        return resolvers.resolve_products(info, types.ProductCountableConnection, **kwargs)

    @staticmethod
    def resolve_product(_root, info, id=None, slug=None, channel=None, slug_language_code=None):
        one_of(id=id, slug=slug)
        slug = original_slug("product", slug, slug_language_code)
        return resolvers.resolve_product(info, id=id, slug=slug, channel=channel)

    @staticmethod
    def resolve_product_variant(_root, info, id=None, sku=None, channel=None):
        one_of(id=id, sku=sku)
        return resolvers.resolve_variant(info, id=id, sku=sku, channel=channel)

    @staticmethod
    def resolve_product_variants(_root, info, **kwargs):
        return resolvers.resolve_variants(info, types.ProductVariantCountableConnection, **kwargs)

    @staticmethod
    def resolve_categories(_root, info, **kwargs):
        return resolvers.resolve_categories(info, types.CategoryCountableConnection, **kwargs)

    @staticmethod
    def resolve_category(_root, info, id=None, slug=None, slug_language_code=None):
        slug = original_slug("category", slug, slug_language_code)
        return resolvers.resolve_category(info, id=id, slug=slug)

    @staticmethod
    def resolve_collections(_root, info, **kwargs):
        return resolvers.resolve_collections(info, types.CollectionCountableConnection, **kwargs)

    @staticmethod
    def resolve_collection(_root, info, id=None, slug=None, channel=None,
                           slug_language_code=None):
        one_of(id=id, slug=slug)
        slug = original_slug("collection", slug, slug_language_code)
        return resolvers.resolve_collection(info, id=id, slug=slug, channel=channel)

    @staticmethod
    def resolve_pavilions(_root, info, **kwargs):
        return resolvers.resolve_pavilions(info, types.PavilionCountableConnection, **kwargs)

    @staticmethod
    def resolve_pavilion(_root, info, id=None, slug=None, channel=None):
        return resolvers.resolve_pavilion(info, id=id, slug=slug, channel=channel)

    # Search: api/catalog/search.py
    search_suggestions = search_api.search_suggestions_field
    product_facets = search_api.product_facets_field
    # Attributes for a storefront's filter panel: api/catalog/attributes.py
    attributes = attributes_api.attributes_field
