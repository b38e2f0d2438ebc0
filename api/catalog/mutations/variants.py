"""Variants of a product and their stock in the seller's warehouses."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from api.core.scalars import PositiveDecimal
from catalog import services as catalog_services
from shop import services as shop_services
from shop.models import Warehouse

from .. import types
from .base import (
    E,
    AttributeValueInput,
    ProductMutation,
    channel_payload,
    clean_attributes,
    get_instance,
    get_managed_product,
    get_managed_variant,
)


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
            # The service names its own field (quantity); the caller sent "stocks". Each
            # error keeps its code (traced_stock_from_packing tells a client why).
            errors = ([e for field in error.error_dict.values() for e in field]
                      if hasattr(error, "error_dict") else error.error_list)
            raise ValidationError({"stocks": errors}) from None


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
