"""Products, resolved from a ``ChannelContext`` so the channel flows down to their
variants, category, collections and pavilion."""

from __future__ import annotations

import graphene

from api.brand import dataloaders as brand_dl
from api.core.connection import CountableConnection, connection_args
from api.core.context import ChannelContext
from api.core.dataloaders import then
from api.core.metadata import ObjectWithMetadata
from api.core.nodes import ModelObjectType
from api.core.types import Image, TaxedMoney, TaxedMoneyRange, ThumbnailFormatEnum, taxed_money
from api.shop import dataloaders as shop_dl
from api.shop.types import Organization
from api.translations import types as translations
from catalog import models
from catalog import search as catalog_search
from catalog.services import is_available_for_purchase

from .. import dataloaders as dl
from .. import resolvers
from .assigned import AssignedAttribute, resolve_assigned_attribute, resolve_assigned_attributes
from .attributes import ProductType, SelectedAttribute, selected_attributes
from .common import Weight, editorjs, manages, thumbnail_url, thumbnail_url_of, weight_of
from .media import ProductMedia
from .moderation import LatestModerationByProductIdLoader, ProductModeration
from .variants import ProductVariant, ProductVariantCountableConnection


class ProductPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean()
    discount = graphene.Field(TaxedMoney)
    price_range = graphene.Field(TaxedMoneyRange)
    price_range_undiscounted = graphene.Field(TaxedMoneyRange)
    display_gross_prices = graphene.Boolean(required=True)


def price_range(listings):
    amounts = [listing.price_amount for listing in listings]
    if not amounts:
        return None
    currency = listings[0].currency
    return TaxedMoneyRange(start=taxed_money(min(amounts), currency),
                           stop=taxed_money(max(amounts), currency))


class Product(ModelObjectType, ObjectWithMetadata):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.JSONString(description="Description as EditorJS JSON.")
    description_plaintext = graphene.String(required=True)
    seo_title = graphene.String()
    seo_description = graphene.String()
    product_type = graphene.Field(ProductType, required=True)
    category = graphene.Field("api.catalog.types.Category")
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    weight = graphene.Field(Weight)
    rating = graphene.Float()
    channel = graphene.String(description="Slug of the channel this product is shown for.")
    thumbnail = graphene.Field(
        Image,
        size=graphene.Int(default_value=256, description="Size of the image (px)."),
        format=ThumbnailFormatEnum(description="Format of the image."),
    )
    media = graphene.List(graphene.NonNull(ProductMedia))
    variants = graphene.List(graphene.NonNull(ProductVariant))
    default_variant = graphene.Field(ProductVariant)
    product_variants = graphene.Field(ProductVariantCountableConnection,
                                      **connection_args(),
                                      description="The product's variants, page by page.")
    attributes = graphene.List(graphene.NonNull(SelectedAttribute), required=True)
    assigned_attribute = graphene.Field(AssignedAttribute, slug=graphene.String(required=True),
                                        description="The product's value for one attribute.")
    assigned_attributes = graphene.List(
        graphene.NonNull(AssignedAttribute), required=True,
        limit=graphene.Int(description="Maximum number of attributes to return."))
    translation = translations.translation_field(translations.ProductTranslation, "product")
    pricing = graphene.Field(ProductPricingInfo, address=graphene.Argument(
        "api.shop.mutations.inputs.AddressInput",
        description="Destination address for tax calculation; prices here include the tax "
                    "wherever the goods go, so it changes nothing."))
    is_available = graphene.Boolean(
        description="Whether the product is in stock and can be bought.")
    is_available_for_purchase = graphene.Boolean()
    available_for_purchase_at = graphene.DateTime()
    collections = graphene.List(graphene.NonNull("api.catalog.types.Collection"))
    pavilion = graphene.Field("api.catalog.types.Pavilion",
                             description="The county pavilion that sells it.")
    organization = graphene.Field(Organization, description="The seller.")
    regional_brand = graphene.Field(
        "api.brand.types.RegionalBrandBadge",
        description="The regional brand badge, while the seller holds a licence in force "
                    "that covers this product (extension).")
    moderation = graphene.Field(
        ProductModeration,
        description="The pavilion operators' latest decision about the product (taken off "
                    "sale or put back, with the reason); only its seller and the operators "
                    "read it, null for anyone else or when there is none (extension).")

    class Meta:
        model = models.Product
        channel_scoped = True

    resolve_description = staticmethod(lambda root, _info: editorjs(root.node.description))
    resolve_description_plaintext = staticmethod(lambda root, _info: root.node.description)
    resolve_seo_title = staticmethod(lambda root, _info: root.node.seo_title or None)
    resolve_seo_description = staticmethod(lambda root, _info: root.node.seo_description or None)
    resolve_created = staticmethod(lambda root, _info: root.node.created_at)
    resolve_weight = staticmethod(lambda root, _info: weight_of(root.node.weight))
    resolve_channel = staticmethod(lambda root, _info: root.channel_slug)

    @staticmethod
    def resolve_product_type(root, info):
        return dl.ProductTypeByIdLoader(info.context).load(root.node.product_type_id)

    @staticmethod
    def resolve_category(root, info):
        if root.node.category_id is None:
            return None
        return then(dl.CategoryByIdLoader(info.context).load(root.node.category_id),
                    lambda c: ChannelContext(c, root.channel_slug))

    @staticmethod
    def resolve_thumbnail(root, info, size=256, format=None):
        product = root.node
        if hasattr(product, dl.THUMBNAIL_ID):  # read with a page of products
            media_id = getattr(product, dl.THUMBNAIL_ID)
            if media_id is None:
                return None
            return Image(url=thumbnail_url_of(media_id, size, format),
                         alt=getattr(product, dl.THUMBNAIL_ALT) or product.name)

        def shape(media):
            if not media:
                return None
            first = media[0]
            return Image(url=thumbnail_url(info, first, size, format),
                         alt=first.alt or product.name)

        return then(dl.MediaByProductIdLoader(info.context).load(product.pk), shape)

    @staticmethod
    def resolve_media(root, info):
        return dl.MediaByProductIdLoader(info.context).load(root.node.pk)

    @staticmethod
    def _variants(root, info):
        include_all = manages(info, root.node.organization_id)
        return then(
            dl.VariantsByProductChannelLoader(info.context).load(
                (root.node.pk, root.channel_slug, include_all)),
            lambda variants: [ChannelContext(v, root.channel_slug) for v in variants],
        )

    @staticmethod
    def resolve_variants(root, info):
        return Product._variants(root, info)

    @staticmethod
    def resolve_product_variants(root, info, **page):
        return resolvers.resolve_variants(info, ProductVariantCountableConnection,
                                          channel=root.channel_slug, product=root.node.pk,
                                          **page)

    @staticmethod
    def resolve_assigned_attributes(root, info, limit=None):
        return resolve_assigned_attributes(root.node, info, limit)

    @staticmethod
    def resolve_assigned_attribute(root, info, slug):
        return resolve_assigned_attribute(root.node, info, slug)

    @staticmethod
    def resolve_default_variant(root, info):
        return then(Product._variants(root, info), lambda vs: vs[0] if vs else None)

    @staticmethod
    def resolve_attributes(root, info):
        return then(dl.AttributesByProductIdLoader(info.context).load(root.node.pk),
                    selected_attributes)

    @staticmethod
    def resolve_pricing(root, info, address=None):
        def shape(listings):
            if not listings:
                return None
            prices = price_range(listings)
            return ProductPricingInfo(on_sale=False, discount=None, price_range=prices,
                                      price_range_undiscounted=prices, display_gross_prices=True)

        return then(dl.VariantListingsByProductChannelLoader(info.context).load(
            (root.node.pk, root.channel_slug)), shape)

    @staticmethod
    def _listing(root, info):
        return dl.ProductListingByProductChannelLoader(info.context).load(
            (root.node.pk, root.channel_slug))

    @staticmethod
    def resolve_is_available_for_purchase(root, info):
        return then(Product._listing(root, info), is_available_for_purchase)

    @staticmethod
    def resolve_available_for_purchase_at(root, info):
        return then(Product._listing(root, info),
                    lambda listing: listing.available_for_purchase_at if listing else None)

    @staticmethod
    def resolve_is_available(root, info):
        return dl.IsAvailableByProductChannelLoader(info.context).load(
            (root.node.pk, root.channel_slug))

    @staticmethod
    def resolve_collections(root, info):
        visible = resolvers.visible_collection_ids(info, root.channel_slug)
        return then(dl.CollectionsByProductIdLoader(info.context).load(root.node.pk),
                    lambda cols: [ChannelContext(c, root.channel_slug)
                                  for c in cols if c.pk in visible])

    @staticmethod
    def resolve_pavilion(root, info):
        if root.node.pavilion_id is None:
            return None
        return then(dl.PavilionByIdLoader(info.context).load(root.node.pavilion_id),
                    lambda p: ChannelContext(p, root.channel_slug))

    @staticmethod
    def resolve_organization(root, info):
        return shop_dl.OrganizationByIdLoader(info.context).load(root.node.organization_id)

    @staticmethod
    def resolve_regional_brand(root, info):
        return brand_dl.RegionalBrandBadgeByProductIdLoader(info.context).load(root.node.pk)

    @staticmethod
    def resolve_moderation(root, info):
        if not manages(info, root.node.organization_id):
            return None
        return LatestModerationByProductIdLoader(info.context).load(root.node.pk)

    @classmethod
    def get_node(cls, info, id):
        return resolvers.resolve_product(info, id=None, pk=id, slug=None, channel=None)


class ProductCountableConnection(CountableConnection):
    class Meta:
        node = Product

    @staticmethod
    def resolve_total_count(root, info):
        if getattr(root, "searching", False) and getattr(root, "queryset", None) is not None:
            return catalog_search.gin_count(root.queryset)
        return CountableConnection.resolve_total_count(root, info)
