"""Catalogue mutations in Saleor's shape. Each one checks the caller may manage the
organisation that owns the record, then calls one service; bad input comes back as
``errors { field code message }`` and changes nothing."""

from __future__ import annotations

import json

import graphene
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from graphene_file_upload.scalars import Upload

from api.core.context import ChannelContext
from api.core.ids import pk_from_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import AUTHENTICATED, current_user, require_organization
from api.core.scalars import PositiveDecimal
from api.core.types import error_type
from catalog import models
from catalog import services as catalog_services
from catalog.error_codes import ProductErrorCode as ProductErrorCodeEnum
from shop.models import Channel, Organization, Warehouse
from shop import services as shop_services

from . import types

ProductErrorCode = graphene.Enum.from_enum(ProductErrorCodeEnum)
ProductError = error_type(
    "ProductError", ProductErrorCode,
    attributes=graphene.List(graphene.NonNull(graphene.ID)),
    values=graphene.List(graphene.NonNull(graphene.ID)),
)
ProductChannelListingError = error_type(
    "ProductChannelListingError", ProductErrorCode,
    channels=graphene.List(graphene.NonNull(graphene.ID)),
)
E = ProductErrorCodeEnum


class ProductMutation(BaseMutation):
    error_type_class = ProductError
    error_code_enum = ProductErrorCodeEnum

    class Meta:
        abstract = True


def not_found(field: str, message: str | None = None) -> ValidationError:
    return ValidationError({field: ValidationError(
        message or _("Couldn't find the requested object."), code=E.NOT_FOUND.value)})


def get_instance(model, global_id: str, type_name: str, field: str = "id", **filters):
    pk = pk_from_global_id(global_id, type_name, field)
    instance = model.objects.filter(pk=pk, **filters).first()
    if instance is None:
        raise not_found(field, _("Couldn't resolve to a node: %(id)s") % {"id": global_id})
    return instance


def plain_description(value) -> str:
    """Accept EditorJS JSON (as Saleor clients send) or plain text."""
    if value is None:
        return ""
    data = value
    if isinstance(value, str):
        try:
            data = json.loads(value)
        except ValueError:
            return value
    if isinstance(data, dict) and isinstance(data.get("blocks"), list):
        return "\n".join(str(b.get("data", {}).get("text", "")) for b in data["blocks"])
    return str(data) if not isinstance(data, str) else data


def clean_attributes(items) -> list[dict] | None:
    if items is None:
        return None
    cleaned = []
    for item in items:
        entry = {"values": list(item.get("values") or [])}
        if item.get("id"):
            entry["id"] = pk_from_global_id(item["id"], "Attribute", "attributes")
        elif item.get("slug"):
            entry["slug"] = item["slug"]
        else:
            raise ValidationError({"attributes": ValidationError(
                _("Give each attribute an id or a slug."), code=E.REQUIRED.value)})
        cleaned.append(entry)
    return cleaned


def channel_payload(node, _info) -> ChannelContext:
    """Mutation payloads show the node in the default channel (as Saleor does)."""
    return ChannelContext(node, settings.DEFAULT_CHANNEL_SLUG)


class AttributeValueInput(graphene.InputObjectType):
    id = graphene.ID(description="ID of the attribute.")
    slug = graphene.String(description="Slug of the attribute (extension).")
    values = graphene.List(graphene.NonNull(graphene.String),
                           description="The value or values of the attribute.")


class SeoInput(graphene.InputObjectType):
    title = graphene.String()
    description = graphene.String()


class ProductInput(graphene.InputObjectType):
    attributes = graphene.List(graphene.NonNull(AttributeValueInput))
    category = graphene.ID(description="ID of the product's category.")
    description = graphene.JSONString(description="Product description (EditorJS JSON or text).")
    name = graphene.String()
    slug = graphene.String()
    seo = SeoInput()
    weight = PositiveDecimal(description="Weight in kg.")
    rating = graphene.Float()
    pavilion = graphene.ID(description="County pavilion that sells the product (extension).")


class ProductCreateInput(ProductInput):
    product_type = graphene.ID(required=True, description="ID of the type the product is based on.")
    organization = graphene.ID(
        description="Seller organisation (extension); defaults to the caller's only one."
    )


def _product_changes(data: dict) -> dict:
    changes = {}
    for field in ("name", "slug", "weight"):
        if field in data:
            changes[field] = data[field]
    if "description" in data:
        changes["description"] = plain_description(data["description"])
    if data.get("seo") is not None:
        if "title" in data["seo"]:
            changes["seo_title"] = data["seo"]["title"] or ""
        if "description" in data["seo"]:
            changes["seo_description"] = data["seo"]["description"] or ""
    if "category" in data:
        changes["category"] = (
            get_instance(models.Category, data["category"], "Category", "category")
            if data["category"] else None
        )
    if "pavilion" in data:
        changes["pavilion"] = (
            get_instance(models.Pavilion, data["pavilion"], "Pavilion", "pavilion")
            if data["pavilion"] else None
        )
    if "attributes" in data:
        changes["attributes"] = clean_attributes(data["attributes"])
    return changes


class ProductCreate(ProductMutation):
    product = graphene.Field(types.Product)

    class Arguments:
        input = ProductCreateInput(required=True, description="Fields required to create a product.")

    class Meta:
        description = "Creates a new product."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        user = current_user(info)
        if input.get("organization"):
            organization = get_instance(Organization, input["organization"], "Organization",
                                        "organization", is_active=True)
        else:
            organizations = Organization.objects.filter(
                pk__in=user.organization_ids(), is_active=True,
                kind__in=[Organization.Kind.COOPERATIVE, Organization.Kind.ENTERPRISE],
            )
            if organizations.count() != 1:
                raise ValidationError({"organization": ValidationError(
                    _("Choose the organisation that sells this product."),
                    code=E.REQUIRED.value)})
            organization = organizations.get()
        require_organization(info, organization.pk)
        product_type = get_instance(models.ProductType, input["product_type"], "ProductType",
                                    "productType")
        changes = _product_changes(input)
        changes.setdefault("name", None)
        product = catalog_services.create_product(organization, product_type, **changes)
        return cls(product=channel_payload(product, info))


def get_managed_product(info, global_id: str, field: str = "id") -> models.Product:
    product = get_instance(models.Product, global_id, "Product", field)
    require_organization(info, product.organization_id)
    return product


class ProductUpdate(ProductMutation):
    product = graphene.Field(types.Product)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a product to update.")
        input = ProductInput(required=True)

    class Meta:
        description = "Updates an existing product."

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        product = get_managed_product(info, id)
        product = catalog_services.update_product(product, **_product_changes(input))
        return cls(product=channel_payload(product, info))


class ProductDelete(ProductMutation):
    product = graphene.Field(types.Product)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a product to delete.")

    class Meta:
        description = "Deletes a product."

    @classmethod
    def perform_mutation(cls, _root, info, id):
        product = get_managed_product(info, id)
        pk = product.pk
        catalog_services.delete_product(product)
        product.pk = pk
        return cls(product=channel_payload(product, info))


class StockInput(graphene.InputObjectType):
    warehouse = graphene.ID(required=True, description="Warehouse holding the stock.")
    quantity = graphene.Int(required=True, description="Units on hand.")


class ProductVariantInput(graphene.InputObjectType):
    attributes = graphene.List(graphene.NonNull(AttributeValueInput))
    sku = graphene.String()
    name = graphene.String()
    gtin = graphene.String(description="GS1 GTIN (extension).")
    track_inventory = graphene.Boolean()
    weight = PositiveDecimal(description="Weight in kg.")
    quantity_limit_per_customer = graphene.Int()


class ProductVariantCreateInput(ProductVariantInput):
    product = graphene.ID(required=True)
    stocks = graphene.List(graphene.NonNull(StockInput))


def _variant_changes(data: dict) -> dict:
    changes = {k: data[k] for k in ("sku", "name", "gtin", "track_inventory", "weight",
                                    "quantity_limit_per_customer") if k in data}
    if "attributes" in data:
        changes["attributes"] = clean_attributes(data["attributes"])
    return changes


def _set_stocks(variant, stocks, organization_id):
    for index, item in enumerate(stocks or []):
        warehouse = get_instance(Warehouse, item["warehouse"], "Warehouse", "stocks")
        if warehouse.organization_id != organization_id:
            raise ValidationError({"stocks": ValidationError(
                _("Stock can only be kept in the seller's own warehouses."),
                code=E.INVALID.value)})
        try:
            shop_services.set_stock(variant, warehouse, item["quantity"])
        except ValidationError as error:
            raise ValidationError({"stocks": error.messages[0]}) from None


class ProductVariantCreate(ProductMutation):
    product_variant = graphene.Field(types.ProductVariant)

    class Arguments:
        input = ProductVariantCreateInput(required=True)

    class Meta:
        description = "Creates a new variant for a product."

    @classmethod
    def perform_mutation(cls, _root, info, input):
        product = get_managed_product(info, input["product"], "product")
        changes = _variant_changes(input)
        with transaction.atomic():
            variant = catalog_services.create_variant(product, sku=changes.pop("sku", None),
                                                      **changes)
            _set_stocks(variant, input.get("stocks"), product.organization_id)
        return cls(product_variant=channel_payload(variant, info))


def get_managed_variant(info, global_id: str, field: str = "id") -> models.ProductVariant:
    variant = get_instance(models.ProductVariant, global_id, "ProductVariant", field)
    require_organization(info, variant.product.organization_id)
    return variant


class ProductVariantUpdate(ProductMutation):
    product_variant = graphene.Field(types.ProductVariant)

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductVariantInput(required=True)

    class Meta:
        description = "Updates an existing variant for product."

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        variant = get_managed_variant(info, id)
        variant = catalog_services.update_variant(variant, **_variant_changes(input))
        return cls(product_variant=channel_payload(variant, info))


class ProductVariantStocksUpdate(ProductMutation):
    product_variant = graphene.Field(types.ProductVariant)

    class Arguments:
        variant_id = graphene.ID(required=True)
        stocks = graphene.List(graphene.NonNull(StockInput), required=True)

    class Meta:
        description = "Sets the units on hand of a variant in the seller's warehouses."

    @classmethod
    def perform_mutation(cls, _root, info, variant_id, stocks):
        variant = get_managed_variant(info, variant_id, "variantId")
        with transaction.atomic():
            _set_stocks(variant, stocks, variant.product.organization_id)
        return cls(product_variant=channel_payload(variant, info))


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


class ProductMediaCreateInput(graphene.InputObjectType):
    product = graphene.ID(required=True, description="ID of a product.")
    image = Upload(description="Represents an image file in a multipart request.")
    alt = graphene.String(description="Alt text for a product media.")
    media_url = graphene.String(description="Represents an URL to an external media.")


class ProductMediaCreate(ProductMutation):
    product = graphene.Field(types.Product)
    media = graphene.Field(types.ProductMedia)

    class Arguments:
        input = ProductMediaCreateInput(required=True)

    class Meta:
        description = "Create a media object (image) for a product, from a multipart upload."

    @classmethod
    def perform_mutation(cls, _root, info, input):
        product = get_managed_product(info, input["product"], "product")
        if input.get("media_url"):
            raise ValidationError({"mediaUrl": ValidationError(
                _("External media are not supported; upload the image file."),
                code=E.UNSUPPORTED_MEDIA_PROVIDER.value)})
        image = input.get("image")
        if image is None or not hasattr(image, "read"):
            raise ValidationError({"image": ValidationError(
                _("Upload an image file."), code=E.REQUIRED.value)})
        media = catalog_services.add_product_media(product, image, input.get("alt") or "")
        return cls(product=channel_payload(product, info), media=media)


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
