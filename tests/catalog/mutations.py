"""The catalogue mutations as posted by the workbench and API clients, and the checks the
catalogue's mutation tests share: Saleor's refusal shapes and a snapshot of what a
shopper or seller could notice, to show a refusal changed nothing."""

from __future__ import annotations

from catalog.models import (
    Product,
    ProductChannelListing,
    ProductVariant,
    ProductVariantChannelListing,
)
from shop.models import Stock
from tests.factories import gid

ERRORS = "errors { field code message }"

PRODUCT_CREATE = f"""
mutation($input: ProductCreateInput!) {{
  productCreate(input: $input) {{
    product {{ id name slug descriptionPlaintext category {{ slug }} productType {{ slug }}
               organization {{ slug }} attributes {{ attribute {{ slug }} values {{ name }} }} }}
    {ERRORS}
  }}
}}"""

PRODUCT_UPDATE = f"""
mutation($id: ID!, $input: ProductInput!) {{
  productUpdate(id: $id, input: $input) {{ product {{ id name slug }} {ERRORS} }}
}}"""

PRODUCT_DELETE = f"""
mutation($id: ID!) {{ productDelete(id: $id) {{ product {{ id name }} {ERRORS} }} }}"""

VARIANT_CREATE = f"""
mutation($input: ProductVariantCreateInput!) {{
  productVariantCreate(input: $input) {{
    productVariant {{ id sku name gtin weight {{ unit value }}
                      attributes {{ attribute {{ slug }} values {{ name }} }} }}
    {ERRORS}
  }}
}}"""

VARIANT_UPDATE = f"""
mutation($id: ID!, $input: ProductVariantInput!) {{
  productVariantUpdate(id: $id, input: $input) {{ productVariant {{ id sku name gtin }} {ERRORS} }}
}}"""

STOCKS_UPDATE = f"""
mutation($variantId: ID!, $stocks: [StockInput!]!) {{
  productVariantStocksUpdate(variantId: $variantId, stocks: $stocks) {{
    productVariant {{ id sku quantityAvailable }} {ERRORS}
  }}
}}"""

CHANNEL_LISTING_UPDATE = f"""
mutation($id: ID!, $input: ProductChannelListingUpdateInput!) {{
  productChannelListingUpdate(id: $id, input: $input) {{
    product {{ id isAvailableForPurchase }} {ERRORS}
  }}
}}"""

VARIANT_LISTING_UPDATE = f"""
mutation($id: ID!, $input: [ProductVariantChannelListingAddInput!]!) {{
  productVariantChannelListingUpdate(id: $id, input: $input) {{
    variant {{ id pricing {{ price {{ gross {{ amount currency }} }} }} }}
    {ERRORS}
  }}
}}"""

SHOP_PRODUCTS = """
query { products(first: 10, channel: "default") { edges { node {
  name slug isAvailable
  pricing { priceRange { start { gross { amount currency } } stop { gross { amount currency } } } }
  variants { sku quantityAvailable pricing { price { gross { amount } } } }
} } } }"""


def payload(result: dict, name: str) -> dict:
    assert not result.get("errors"), result["errors"]
    return result["data"][name]


def assert_permission_denied(result: dict, name: str):
    """Saleor's shape: a top-level GraphQL error, the mutation field itself null."""
    assert result["data"][name] is None
    assert result["errors"], result
    error = result["errors"][0]
    assert error["extensions"]["exception"]["code"] == "PermissionDenied"
    assert error["path"] == [name]


def assert_field_error(result: dict, name: str, field: str | None, code: str,
                       payload_key: str | None) -> dict:
    """A user mistake: no top-level errors, one error naming ``field`` with ``code``, and
    the payload's object is null."""
    data = payload(result, name)
    assert [(e["field"], e["code"]) for e in data["errors"]] == [(field, code)], data["errors"]
    assert data["errors"][0]["message"]
    if payload_key is not None:
        assert data[payload_key] is None
    return data["errors"][0]


def snapshot():
    """What a shopper or seller could notice in the catalogue's tables."""
    return {
        "products": sorted(Product.objects.values_list("slug", "name", "organization_id")),
        "variants": sorted(ProductVariant.objects.values_list("sku", "name", "gtin")),
        "listings": sorted(ProductChannelListing.objects.values_list(
            "product_id", "channel_id", "is_published")),
        "prices": sorted(ProductVariantChannelListing.objects.values_list(
            "variant_id", "channel_id", "price_amount", "cost_price_amount")),
        "stocks": sorted(Stock.objects.values_list("product_variant_id", "warehouse_id",
                                                   "quantity")),
    }


def variant_input(persimmon, **extra):
    """A new variant of ``persimmon``, with ``extra`` input fields."""
    return {"product": gid("Product", persimmon.pk), "sku": "NEW-SKU", "name": "二级 250g",
            **extra}


def price_input(variant, channel, price, **extra):
    """productVariantChannelListingUpdate's variables: one price for ``variant`` in
    ``channel``."""
    return {"id": gid("ProductVariant", variant.pk),
            "input": [{"channelId": gid("Channel", channel.pk), "price": price, **extra}]}
