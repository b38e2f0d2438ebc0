"""Pavilions (特色馆): each county's storefront under its regional brand."""

from __future__ import annotations

import graphene

from api.core.connection import CountableConnection, connection_args
from api.core.context import ChannelContext
from api.core.dataloaders import then
from api.core.nodes import ModelObjectType
from api.core.types import Image
from api.translations import types as translations
from catalog import models

from .. import dataloaders as dl
from .. import resolvers
from .categories import Collection
from .common import image_url
from .inputs import ProductOrder
from .products import ProductCountableConnection


class Pavilion(ModelObjectType):
    """特色馆: one county's storefront under its regional brand (county-pavilion extension)."""

    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    county = graphene.String(required=True)
    province = graphene.String()
    city = graphene.String()
    regional_brand_name = graphene.String(description="The regional public brand's name.")
    slogan = graphene.String()
    story = graphene.String()
    banner = graphene.Field(Image, size=graphene.Int())
    featured_collections = graphene.List(graphene.NonNull(Collection), required=True)
    products = graphene.Field(ProductCountableConnection,
                              **connection_args(sort_by=graphene.Argument(ProductOrder)))
    translation = translations.translation_field(translations.PavilionTranslation, "pavilion")

    class Meta:
        model = models.Pavilion
        channel_scoped = True

    @staticmethod
    def resolve_banner(root, info, size=None):
        if not root.node.banner:
            return None
        return Image(url=image_url(info, root.node.banner), alt=root.node.name)

    @staticmethod
    def resolve_featured_collections(root, info):
        visible = resolvers.visible_collection_ids(info, root.channel_slug)
        return then(
            dl.FeaturedCollectionsByPavilionIdLoader(info.context).load(root.node.pk),
            lambda cols: [ChannelContext(c, root.channel_slug) for c in cols if c.pk in visible],
        )

    @staticmethod
    def resolve_products(root, info, **kwargs):
        return resolvers.resolve_products(info, ProductCountableConnection,
                                          channel=root.channel_slug,
                                          extra_filter={"pavilion_id": root.node.pk}, **kwargs)

    @classmethod
    def get_queryset(cls, info):
        return models.Pavilion.objects.filter(is_published=True)


class PavilionCountableConnection(CountableConnection):
    class Meta:
        node = Pavilion
