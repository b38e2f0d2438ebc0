"""GraphQL types of the catalogue, named and shaped as in Saleor's storefront schema.

Nodes that depend on the channel (products, variants, collections, categories' products)
are resolved from a ``ChannelContext`` so the channel flows down the graph."""

from __future__ import annotations

import graphene
from django.urls import reverse

from api.brand import dataloaders as brand_dl
from api.core.connection import CountableConnection, connection_args
from api.core.context import ChannelContext
from api.core.dataloaders import gather, then
from api.core.nodes import ModelObjectType
from api.core.permissions import can_manage_organization, current_user
from api.core.types import (
    Image,
    Money,
    OrderDirection,
    TaxedMoney,
    TaxedMoneyRange,
    ThumbnailFormatEnum,
    money,
    taxed_money,
)
from api.shop import dataloaders as shop_dl
from api.shop.types import Channel, Organization
from catalog import models
from catalog.images import thumbnail_size
from catalog.services import category_and_descendant_ids, is_available_for_purchase

from . import dataloaders as dl
from . import resolvers


def editorjs(text: str) -> dict:
    """Saleor clients expect rich text as EditorJS JSON (sent as a JSON string)."""
    blocks = [{"type": "paragraph", "data": {"text": para}}
              for para in (text or "").split("\n") if para.strip()]
    return {"time": 0, "blocks": blocks, "version": "2.24.3"}


def thumbnail_url(info, media, size, fmt) -> str:
    fmt = (getattr(fmt, "value", fmt) or "original").upper()
    if fmt == "ORIGINAL":
        fmt = "JPEG"
    path = reverse("thumbnail", args=[media.pk, thumbnail_size(size), fmt.lower()])
    return info.context.build_absolute_uri(path)


def image_url(info, field) -> str | None:
    return info.context.build_absolute_uri(field.url) if field else None


class Weight(graphene.ObjectType):
    unit = graphene.String(required=True)
    value = graphene.Float(required=True)


def weight_of(value):
    return Weight(unit="KG", value=float(value)) if value is not None else None


# Attributes ------------------------------------------------------------------------------

class Attribute(ModelObjectType):
    name = graphene.String()
    slug = graphene.String()
    unit = graphene.String()

    class Meta:
        model = models.Attribute

    @classmethod
    def get_queryset(cls, info):
        return models.Attribute.objects.all()


class AttributeValue(ModelObjectType):
    name = graphene.String()
    slug = graphene.String()

    class Meta:
        model = models.AttributeValue


class SelectedAttribute(graphene.ObjectType):
    attribute = graphene.Field(Attribute, required=True)
    values = graphene.List(graphene.NonNull(AttributeValue), required=True)


def selected_attributes(pairs):
    return [SelectedAttribute(attribute=a, values=v) for a, v in pairs]


class ProductType(ModelObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    has_variants = graphene.Boolean(required=True)
    is_shipping_required = graphene.Boolean(required=True)
    weight = graphene.Field(Weight)

    class Meta:
        model = models.ProductType

    resolve_weight = staticmethod(lambda root, _info: weight_of(root.weight))

    @classmethod
    def get_queryset(cls, info):
        return models.ProductType.objects.all()


# Pricing ---------------------------------------------------------------------------------

class ProductPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean()
    discount = graphene.Field(TaxedMoney)
    price_range = graphene.Field(TaxedMoneyRange)
    price_range_undiscounted = graphene.Field(TaxedMoneyRange)
    display_gross_prices = graphene.Boolean(required=True)


class VariantPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean()
    discount = graphene.Field(TaxedMoney)
    price = graphene.Field(TaxedMoney)
    price_undiscounted = graphene.Field(TaxedMoney)


def price_range(listings):
    amounts = [listing.price_amount for listing in listings]
    if not amounts:
        return None
    currency = listings[0].currency
    return TaxedMoneyRange(start=taxed_money(min(amounts), currency),
                           stop=taxed_money(max(amounts), currency))


# Media -----------------------------------------------------------------------------------

class ProductMediaType(graphene.Enum):
    IMAGE = "IMAGE"
    VIDEO = "VIDEO"


class ProductMedia(ModelObjectType):
    sort_order = graphene.Int()
    alt = graphene.String(required=True)
    type = graphene.Field(ProductMediaType, required=True)
    url = graphene.String(
        required=True,
        size=graphene.Int(description="Size of the image (longest side, px)."),
        format=ThumbnailFormatEnum(description="Format of the image."),
    )
    width = graphene.Int()
    height = graphene.Int()

    class Meta:
        model = models.ProductMedia

    resolve_type = staticmethod(lambda _root, _info: "IMAGE")

    @staticmethod
    def resolve_url(root, info, size=None, format=None):
        if not size and not format:
            return image_url(info, root.image)
        return thumbnail_url(info, root, size, format)


# Variants --------------------------------------------------------------------------------

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


def _manages(info, organization_id) -> bool:
    return can_manage_organization(current_user(info), organization_id)


class ProductVariant(ModelObjectType):
    name = graphene.String(required=True)
    sku = graphene.String()
    gtin = graphene.String(description="GS1 trade item number, when the item has one.")
    product = graphene.Field(lambda: Product, required=True)
    track_inventory = graphene.Boolean(required=True)
    quantity_limit_per_customer = graphene.Int()
    weight = graphene.Field(Weight)
    attributes = graphene.List(graphene.NonNull(SelectedAttribute), required=True)
    pricing = graphene.Field(VariantPricingInfo)
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

    @staticmethod
    def resolve_attributes(root, info):
        return then(dl.AttributesByVariantIdLoader(info.context).load(root.node.pk),
                    selected_attributes)

    @staticmethod
    def resolve_pricing(root, info):
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
        return then(loads, lambda pair: pair[1] if _manages(info, pair[0].organization_id)
                    else None)

    @classmethod
    def get_node(cls, info, id):
        return resolvers.resolve_variant(info, id=id, sku=None, channel=None)


# Products --------------------------------------------------------------------------------

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
    featured_collections = graphene.List(graphene.NonNull(lambda: Collection), required=True)
    products = graphene.Field(lambda: ProductCountableConnection,
                              **connection_args(sort_by=graphene.Argument(lambda: ProductOrder)))

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


class Product(ModelObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.JSONString(description="Description as EditorJS JSON.")
    description_plaintext = graphene.String(required=True)
    seo_title = graphene.String()
    seo_description = graphene.String()
    product_type = graphene.Field(ProductType, required=True)
    category = graphene.Field(lambda: Category)
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
    attributes = graphene.List(graphene.NonNull(SelectedAttribute), required=True)
    pricing = graphene.Field(ProductPricingInfo)
    is_available = graphene.Boolean(
        description="Whether the product is in stock and can be bought.")
    is_available_for_purchase = graphene.Boolean()
    available_for_purchase_at = graphene.DateTime()
    collections = graphene.List(graphene.NonNull(lambda: Collection))
    pavilion = graphene.Field(Pavilion, description="The county pavilion that sells it.")
    organization = graphene.Field(Organization, description="The seller.")
    regional_brand = graphene.Field(
        "api.brand.types.RegionalBrandBadge",
        description="The regional brand badge, while the seller holds a licence in force "
                    "that covers this product (extension).")

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
        def shape(media):
            if not media:
                return None
            first = media[0]
            return Image(url=thumbnail_url(info, first, size, format),
                         alt=first.alt or root.node.name)

        return then(dl.MediaByProductIdLoader(info.context).load(root.node.pk), shape)

    @staticmethod
    def resolve_media(root, info):
        return dl.MediaByProductIdLoader(info.context).load(root.node.pk)

    @staticmethod
    def _variants(root, info):
        include_all = _manages(info, root.node.organization_id)
        return then(
            dl.VariantsByProductChannelLoader(info.context).load(
                (root.node.pk, root.channel_slug, include_all)),
            lambda variants: [ChannelContext(v, root.channel_slug) for v in variants],
        )

    @staticmethod
    def resolve_variants(root, info):
        return Product._variants(root, info)

    @staticmethod
    def resolve_default_variant(root, info):
        return then(Product._variants(root, info), lambda vs: vs[0] if vs else None)

    @staticmethod
    def resolve_attributes(root, info):
        return then(dl.AttributesByProductIdLoader(info.context).load(root.node.pk),
                    selected_attributes)

    @staticmethod
    def resolve_pricing(root, info):
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

    @classmethod
    def get_node(cls, info, id):
        return resolvers.resolve_product(info, id=None, pk=id, slug=None, channel=None)


class ProductCountableConnection(CountableConnection):
    class Meta:
        node = Product


class ProductVariantCountableConnection(CountableConnection):
    class Meta:
        node = ProductVariant


# Sorting and filtering -------------------------------------------------------------------

class ProductOrderField(graphene.Enum):
    NAME = "name"
    RANK = "rank"
    PRICE = "price"
    MINIMAL_PRICE = "minimal_price"
    LAST_MODIFIED_AT = "updated_at"
    CREATED_AT = "created_at"
    PUBLISHED_AT = "published_at"

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


class ProductFilterInput(graphene.InputObjectType):
    search = graphene.String()
    categories = graphene.List(graphene.NonNull(graphene.ID))
    collections = graphene.List(graphene.NonNull(graphene.ID))
    product_types = graphene.List(graphene.NonNull(graphene.ID))
    price = graphene.Field(PriceRangeInput)
    minimal_price = graphene.Field(PriceRangeInput)
    is_available = graphene.Boolean()
    stock_availability = graphene.Field(StockAvailability)
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
)


# Categories and collections -------------------------------------------------------------

class Category(ModelObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.JSONString()
    level = graphene.Int(required=True)
    parent = graphene.Field(lambda: Category)
    updated_at = graphene.DateTime(required=True)
    background_image = graphene.Field(Image, size=graphene.Int())
    children = graphene.Field(lambda: CategoryCountableConnection, **connection_args())
    products = graphene.Field(
        ProductCountableConnection,
        channel=graphene.String(description="Slug of a channel."),
        **connection_args(**PRODUCT_ARGS),
    )

    class Meta:
        model = models.Category
        channel_scoped = True

    resolve_description = staticmethod(lambda root, _info: editorjs(root.node.description))

    @staticmethod
    def resolve_parent(root, info):
        if root.node.parent_id is None:
            return None
        return then(dl.CategoryByIdLoader(info.context).load(root.node.parent_id),
                    lambda c: ChannelContext(c, root.channel_slug))

    @staticmethod
    def resolve_background_image(root, info, size=None):
        if not root.node.background_image:
            return None
        return Image(url=image_url(info, root.node.background_image), alt=root.node.name)

    @staticmethod
    def resolve_children(root, info, **kwargs):
        return resolvers.resolve_categories(info, CategoryCountableConnection,
                                            parent_id=root.node.pk, channel=root.channel_slug,
                                            **kwargs)

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


class Collection(ModelObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.JSONString()
    seo_title = graphene.String()
    seo_description = graphene.String()
    channel = graphene.String()
    background_image = graphene.Field(Image, size=graphene.Int())
    products = graphene.Field(ProductCountableConnection, **connection_args(**PRODUCT_ARGS))

    class Meta:
        model = models.Collection
        channel_scoped = True

    resolve_description = staticmethod(lambda root, _info: editorjs(root.node.description))
    resolve_seo_title = staticmethod(lambda root, _info: root.node.seo_title or None)
    resolve_seo_description = staticmethod(lambda root, _info: root.node.seo_description or None)
    resolve_channel = staticmethod(lambda root, _info: root.channel_slug)

    @staticmethod
    def resolve_background_image(root, info, size=None):
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


class PavilionCountableConnection(CountableConnection):
    class Meta:
        node = Pavilion
