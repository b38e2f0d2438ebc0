"""Categories (a tree) and collections, with the products in each."""

from __future__ import annotations

import graphene

from api.core.connection import CountableConnection, connection_args
from api.core.context import ChannelContext
from api.core.dataloaders import then
from api.core.metadata import ObjectWithMetadata
from api.core.nodes import ModelObjectType
from api.core.types import Image, ThumbnailFormatEnum
from api.translations import types as translations
from catalog import models
from catalog.services import category_and_descendant_ids

from .. import dataloaders as dl
from .. import resolvers
from .common import editorjs, image_url
from .inputs import PRODUCT_ARGS
from .products import ProductCountableConnection


class Category(ModelObjectType, ObjectWithMetadata):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.JSONString()
    seo_title = graphene.String()
    seo_description = graphene.String()
    translation = translations.translation_field(translations.CategoryTranslation, "category")
    level = graphene.Int(required=True)
    parent = graphene.Field(lambda: Category)
    updated_at = graphene.DateTime(required=True)
    background_image = graphene.Field(
        Image, size=graphene.Int(), format=ThumbnailFormatEnum(
            description="Format of the image; the picture is served as it was uploaded."))
    children = graphene.Field(lambda: CategoryCountableConnection, **connection_args())
    ancestors = graphene.Field(lambda: CategoryCountableConnection, **connection_args(),
                               description="List of ancestors of the category, the root first.")
    products = graphene.Field(
        ProductCountableConnection,
        channel=graphene.String(description="Slug of a channel."),
        **connection_args(**PRODUCT_ARGS),
    )

    class Meta:
        model = models.Category
        channel_scoped = True

    resolve_description = staticmethod(lambda root, _info: editorjs(root.node.description))
    resolve_seo_title = staticmethod(lambda root, _info: root.node.seo_title or None)
    resolve_seo_description = staticmethod(lambda root, _info: root.node.seo_description or None)

    @staticmethod
    def resolve_parent(root, info):
        if root.node.parent_id is None:
            return None
        return then(dl.CategoryByIdLoader(info.context).load(root.node.parent_id),
                    lambda c: ChannelContext(c, root.channel_slug))

    @staticmethod
    def resolve_background_image(root, info, size=None, format=None):
        if not root.node.background_image:
            return None
        return Image(url=image_url(info, root.node.background_image), alt=root.node.name)

    @staticmethod
    def resolve_children(root, info, **kwargs):
        return resolvers.resolve_categories(info, CategoryCountableConnection,
                                            parent_id=root.node.pk, channel=root.channel_slug,
                                            **kwargs)

    @staticmethod
    def resolve_ancestors(root, info, **page):
        return then(dl.AncestorsByCategoryIdLoader(info.context).load(root.node.pk),
                    lambda ancestors: resolvers.paginate_list(
                        ancestors, page, CategoryCountableConnection, ["level", "pk"],
                        wrap=lambda c: ChannelContext(c, root.channel_slug),
                        connection_name="ancestors"))

    @staticmethod
    def resolve_products(root, info, channel=None, **kwargs):
        ids = category_and_descendant_ids([root.node.pk])
        return resolvers.resolve_products(info, ProductCountableConnection,
                                          channel=channel or root.channel_slug,
                                          extra_filter={"category_id__in": ids}, **kwargs)

    @classmethod
    def get_queryset(cls, info):
        return models.Category.objects.all()


class CategoryCountableConnection(CountableConnection):
    class Meta:
        node = Category


class Collection(ModelObjectType, ObjectWithMetadata):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.JSONString()
    seo_title = graphene.String()
    seo_description = graphene.String()
    translation = translations.translation_field(translations.CollectionTranslation,
                                                 "collection")
    channel = graphene.String()
    background_image = graphene.Field(
        Image, size=graphene.Int(), format=ThumbnailFormatEnum(
            description="Format of the image; the picture is served as it was uploaded."))
    products = graphene.Field(ProductCountableConnection, **connection_args(**PRODUCT_ARGS))

    class Meta:
        model = models.Collection
        channel_scoped = True

    resolve_description = staticmethod(lambda root, _info: editorjs(root.node.description))
    resolve_seo_title = staticmethod(lambda root, _info: root.node.seo_title or None)
    resolve_seo_description = staticmethod(lambda root, _info: root.node.seo_description or None)
    resolve_channel = staticmethod(lambda root, _info: root.channel_slug)

    @staticmethod
    def resolve_background_image(root, info, size=None, format=None):
        if not root.node.background_image:
            return None
        return Image(url=image_url(info, root.node.background_image), alt=root.node.name)

    @staticmethod
    def resolve_products(root, info, **kwargs):
        return resolvers.resolve_products(info, ProductCountableConnection,
                                          channel=root.channel_slug,
                                          extra_filter={"collections": root.node.pk}, **kwargs)

    @classmethod
    def get_node(cls, info, id):
        return resolvers.resolve_collection(info, id=None, pk=id, slug=None, channel=None)


class CollectionCountableConnection(CountableConnection):
    class Meta:
        node = Collection
