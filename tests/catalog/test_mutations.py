"""Cooperatives manage their own goods through Saleor-shaped mutations, posted to the real
/graphql/ view. Refusals are checked as carefully as the happy path: the caller gets the
right error and nothing in the database changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.models import (
    AttributeValue,
    Product,
    ProductChannelListing,
    ProductVariant,
    ProductVariantChannelListing,
)
from shop.models import Channel, Stock, Warehouse
from tests.factories import gid, make_product

pytestmark = pytest.mark.django_db

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


@pytest.fixture
def wholesale(db):
    """A second channel in which the fixture products are not listed."""
    return Channel.objects.create(slug="wholesale", name="批发", currency_code="CNY")


@pytest.fixture
def create_input(coop, product_type, category):
    return {
        "productType": gid("ProductType", product_type.pk),
        "category": gid("Category", category.pk),
        "name": "渑池牛心柿饼",
        "slug": "niuxin-shibing",
        "description": '{"blocks": [{"type": "paragraph", "data": {"text": "霜降后采摘，自然晾晒。"}}]}',
        "attributes": [{"slug": "origin", "values": ["河南渑池"]}],
    }


# The happy path ---------------------------------------------------------------------------

def test_cooperative_lists_a_new_product_and_shoppers_see_it(
    gql, gql_as, coop, coop_user, channel, create_input
):
    seller = gql_as(coop_user)
    data = payload(seller.post(PRODUCT_CREATE, {"input": create_input}), "productCreate")
    assert data["errors"] == []
    product = data["product"]
    assert product["name"] == "渑池牛心柿饼"
    assert product["slug"] == "niuxin-shibing"
    assert product["descriptionPlaintext"] == "霜降后采摘，自然晾晒。"
    assert product["category"]["slug"] == "dried-persimmon"
    assert product["productType"]["slug"] == "dried-fruit"
    assert product["organization"]["slug"] == coop.slug
    assert product["attributes"] == [
        {"attribute": {"slug": "origin"}, "values": [{"name": "河南渑池"}]}]

    # Not listed yet: shoppers do not see it.
    assert gql.data(SHOP_PRODUCTS)["products"]["edges"] == []

    warehouse = coop.warehouses.get()
    data = payload(seller.post(VARIANT_CREATE, {"input": {
        "product": product["id"], "sku": "NX-500", "name": "特级 500g",
        "gtin": "6901234567892", "weight": "0.5",
        "attributes": [{"slug": "grade", "values": ["特级"]},
                       {"slug": "net-weight", "values": ["500g"]}],
        "stocks": [{"warehouse": gid("Warehouse", warehouse.pk), "quantity": 40}],
    }}), "productVariantCreate")
    assert data["errors"] == []
    variant = data["productVariant"]
    assert variant["sku"] == "NX-500"
    assert variant["gtin"] == "6901234567892"
    assert variant["weight"] == {"unit": "KG", "value": 0.5}
    assert [a["values"][0]["name"] for a in variant["attributes"]] == ["特级", "500g"]

    data = payload(seller.post(CHANNEL_LISTING_UPDATE, {"id": product["id"], "input": {
        "updateChannels": [{"channelId": gid("Channel", channel.pk), "isPublished": True,
                            "visibleInListings": True, "isAvailableForPurchase": True}],
    }}), "productChannelListingUpdate")
    assert data["errors"] == []
    assert data["product"]["isAvailableForPurchase"] is True

    data = payload(seller.post(VARIANT_LISTING_UPDATE, {"id": variant["id"], "input": [
        {"channelId": gid("Channel", channel.pk), "price": "68.80", "costPrice": "30"},
    ]}), "productVariantChannelListingUpdate")
    assert data["errors"] == []
    assert data["variant"]["pricing"]["price"]["gross"] == {"amount": 68.8, "currency": "CNY"}
    listing = ProductVariantChannelListing.objects.get(variant__sku="NX-500")
    assert (listing.price_amount, listing.cost_price_amount) == (Decimal("68.80"), Decimal("30.00"))

    # A second, cheaper variant without stock widens the price range.
    data = payload(seller.post(VARIANT_CREATE, {"input": {
        "product": product["id"], "sku": "NX-250", "name": "一级 250g"}}),
        "productVariantCreate")
    assert data["errors"] == []
    cheap = data["productVariant"]["id"]
    payload(seller.post(VARIANT_LISTING_UPDATE, {"id": cheap, "input": [
        {"channelId": gid("Channel", channel.pk), "price": 29.9}]}),
        "productVariantChannelListingUpdate")

    edges = gql.data(SHOP_PRODUCTS)["products"]["edges"]
    assert len(edges) == 1
    node = edges[0]["node"]
    assert node["slug"] == "niuxin-shibing"
    assert node["isAvailable"] is True
    assert node["pricing"]["priceRange"] == {
        "start": {"gross": {"amount": 29.9, "currency": "CNY"}},
        "stop": {"gross": {"amount": 68.8, "currency": "CNY"}},
    }
    assert {v["sku"]: v["quantityAvailable"] for v in node["variants"]} == {
        "NX-500": 40, "NX-250": 0}

    # Stock counted again: the shopper sees the new quantity.
    data = payload(seller.post(STOCKS_UPDATE, {
        "variantId": variant["id"],
        "stocks": [{"warehouse": gid("Warehouse", warehouse.pk), "quantity": 12}]}),
        "productVariantStocksUpdate")
    assert data["errors"] == []
    assert data["productVariant"]["quantityAvailable"] == 12
    node = gql.data(SHOP_PRODUCTS)["products"]["edges"][0]["node"]
    assert {v["sku"]: v["quantityAvailable"] for v in node["variants"]}["NX-500"] == 12


def test_update_and_delete_own_product(gql, gql_as, coop_user, persimmon):
    seller = gql_as(coop_user)
    product_id = gid("Product", persimmon.pk)
    data = payload(seller.post(PRODUCT_UPDATE, {"id": product_id, "input": {
        "name": "渑池吊柿饼", "slug": "diao-shibing"}}), "productUpdate")
    assert data["errors"] == []
    assert data["product"] == {"id": product_id, "name": "渑池吊柿饼", "slug": "diao-shibing"}
    assert gql.data(SHOP_PRODUCTS)["products"]["edges"][0]["node"]["name"] == "渑池吊柿饼"

    variant = persimmon.variants.first()
    data = payload(seller.post(VARIANT_UPDATE, {"id": gid("ProductVariant", variant.pk),
                                                "input": {"name": "特级 1kg"}}),
                   "productVariantUpdate")
    assert data["errors"] == []
    assert data["productVariant"]["name"] == "特级 1kg"

    data = payload(seller.post(PRODUCT_DELETE, {"id": product_id}), "productDelete")
    assert data["errors"] == []
    assert data["product"] == {"id": product_id, "name": "渑池吊柿饼"}
    assert not Product.objects.filter(pk=persimmon.pk).exists()
    assert gql.data(SHOP_PRODUCTS)["products"]["edges"] == []


def test_withdrawing_from_a_channel_hides_the_product(gql, gql_as, coop_user, persimmon, channel):
    result = gql_as(coop_user).post(CHANNEL_LISTING_UPDATE, {
        "id": gid("Product", persimmon.pk),
        "input": {"removeChannels": [gid("Channel", channel.pk)]}})
    assert payload(result, "productChannelListingUpdate")["errors"] == []
    assert gql.data(SHOP_PRODUCTS)["products"]["edges"] == []
    assert not ProductVariantChannelListing.objects.filter(variant__product=persimmon).exists()


# Who may do what ---------------------------------------------------------------------------

def _attempts(persimmon, coop, channel):
    """One attempt per mutation on ``persimmon`` (owned by ``coop``)."""
    variant = persimmon.variants.order_by("pk").first()
    warehouse = coop.warehouses.get()
    product_id = gid("Product", persimmon.pk)
    variant_id = gid("ProductVariant", variant.pk)
    return [
        ("productUpdate", PRODUCT_UPDATE, {"id": product_id, "input": {"name": "改名"}}),
        ("productDelete", PRODUCT_DELETE, {"id": product_id}),
        ("productVariantCreate", VARIANT_CREATE,
         {"input": {"product": product_id, "sku": "INTRUDER-1"}}),
        ("productVariantUpdate", VARIANT_UPDATE, {"id": variant_id, "input": {"sku": "HIJACKED"}}),
        ("productVariantStocksUpdate", STOCKS_UPDATE,
         {"variantId": variant_id,
          "stocks": [{"warehouse": gid("Warehouse", warehouse.pk), "quantity": 0}]}),
        ("productChannelListingUpdate", CHANNEL_LISTING_UPDATE,
         {"id": product_id, "input": {"updateChannels": [
             {"channelId": gid("Channel", channel.pk), "isPublished": False}]}}),
        ("productChannelListingUpdate", CHANNEL_LISTING_UPDATE,
         {"id": product_id, "input": {"removeChannels": [gid("Channel", channel.pk)]}}),
        ("productVariantChannelListingUpdate", VARIANT_LISTING_UPDATE,
         {"id": variant_id, "input": [{"channelId": gid("Channel", channel.pk), "price": "0.01"}]}),
    ]


@pytest.mark.parametrize("index", range(8))
def test_anonymous_caller_cannot_change_anything(gql, persimmon, coop, channel, index):
    name, query, variables = _attempts(persimmon, coop, channel)[index]
    before = snapshot()
    assert_permission_denied(gql.post(query, variables), name)
    assert snapshot() == before


@pytest.mark.parametrize("index", range(8))
def test_other_cooperative_cannot_touch_my_product(
    gql_as, other_coop_user, persimmon, coop, channel, index
):
    name, query, variables = _attempts(persimmon, coop, channel)[index]
    before = snapshot()
    assert_permission_denied(gql_as(other_coop_user).post(query, variables), name)
    assert snapshot() == before


def test_anonymous_caller_cannot_create_products(gql, create_input):
    before = snapshot()
    assert_permission_denied(gql.post(PRODUCT_CREATE, {"input": create_input}), "productCreate")
    assert snapshot() == before


def test_member_cannot_create_a_product_for_another_organisation(
    gql_as, coop_user, other_coop, create_input
):
    create_input["organization"] = gid("Organization", other_coop.pk)
    before = snapshot()
    assert_permission_denied(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                             "productCreate")
    assert snapshot() == before


def test_member_cannot_stock_my_variant_in_their_own_warehouse(
    gql_as, other_coop_user, other_coop, persimmon
):
    """Even naming their own warehouse, another cooperative may not touch my variant."""
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(other_coop_user).post(STOCKS_UPDATE, {
        "variantId": gid("ProductVariant", variant.pk),
        "stocks": [{"warehouse": gid("Warehouse", other_coop.warehouses.get().pk),
                    "quantity": 999}]})
    assert_permission_denied(result, "productVariantStocksUpdate")
    assert snapshot() == before


def test_operator_can_edit_any_cooperatives_product(gql_as, operator_user, persimmon, channel):
    operator = gql_as(operator_user)
    product_id = gid("Product", persimmon.pk)
    data = payload(operator.post(PRODUCT_UPDATE, {"id": product_id, "input": {"name": "渑池柿饼（下架整改）"}}),
                   "productUpdate")
    assert data["errors"] == []
    variant = persimmon.variants.order_by("pk").first()
    data = payload(operator.post(VARIANT_LISTING_UPDATE, {
        "id": gid("ProductVariant", variant.pk),
        "input": [{"channelId": gid("Channel", channel.pk), "price": "45.00"}]}),
        "productVariantChannelListingUpdate")
    assert data["errors"] == []
    data = payload(operator.post(CHANNEL_LISTING_UPDATE, {"id": product_id, "input": {
        "updateChannels": [{"channelId": gid("Channel", channel.pk), "isPublished": False}]}}),
        "productChannelListingUpdate")
    assert data["errors"] == []
    persimmon.refresh_from_db()
    assert persimmon.name == "渑池柿饼（下架整改）"
    assert ProductVariantChannelListing.objects.get(variant=variant).price_amount == Decimal("45.00")
    assert ProductChannelListing.objects.get(product=persimmon).is_published is False
    data = payload(operator.post(PRODUCT_DELETE, {"id": product_id}), "productDelete")
    assert data["errors"] == []
    assert not Product.objects.filter(pk=persimmon.pk).exists()


def test_operator_creates_a_product_for_a_named_cooperative(
    gql_as, operator_user, coop, create_input
):
    create_input["organization"] = gid("Organization", coop.pk)
    data = payload(gql_as(operator_user).post(PRODUCT_CREATE, {"input": create_input}),
                   "productCreate")
    assert data["errors"] == []
    assert data["product"]["organization"]["slug"] == coop.slug
    assert Product.objects.get(slug="niuxin-shibing").organization == coop


# Bad input: field errors, Saleor codes, nothing changed -------------------------------------

def test_duplicate_slug_is_refused(gql_as, coop_user, persimmon, create_input):
    create_input["slug"] = persimmon.slug
    before = snapshot()
    assert_field_error(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                       "productCreate", "slug", "UNIQUE", "product")
    assert snapshot() == before


def test_duplicate_slug_on_update_is_refused(gql_as, coop_user, coop, product_type, category,
                                             channel, persimmon):
    other = make_product(coop, product_type, category, channel, "核桃", "walnut", ["10.00"])
    before = snapshot()
    result = gql_as(coop_user).post(PRODUCT_UPDATE, {"id": gid("Product", other.pk),
                                                     "input": {"slug": persimmon.slug}})
    assert_field_error(result, "productUpdate", "slug", "UNIQUE", "product")
    assert snapshot() == before


def test_product_without_slug_gets_a_pinyin_slug(gql_as, coop_user, create_input):
    del create_input["slug"]
    data = payload(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                   "productCreate")
    assert data["errors"] == []
    assert data["product"]["slug"] == "mian-chi-niu-xin-shi-bing"


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_is_required(gql_as, coop_user, create_input, name):
    create_input["name"] = name
    before = snapshot()
    assert_field_error(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                       "productCreate", "name", "REQUIRED", "product")
    assert snapshot() == before


def test_missing_name_is_required(gql_as, coop_user, create_input):
    del create_input["name"]
    before = snapshot()
    assert_field_error(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                       "productCreate", "name", "REQUIRED", "product")
    assert snapshot() == before


def test_clearing_name_on_update_is_refused(gql_as, coop_user, persimmon):
    before = snapshot()
    result = gql_as(coop_user).post(PRODUCT_UPDATE, {"id": gid("Product", persimmon.pk),
                                                     "input": {"name": ""}})
    assert_field_error(result, "productUpdate", "name", "REQUIRED", "product")
    assert snapshot() == before


@pytest.mark.parametrize("product_type_id,code", [
    (gid("ProductType", 999999), "NOT_FOUND"),
    (gid("Category", 1), "GRAPHQL_ERROR"),
    ("not-an-id", "GRAPHQL_ERROR"),
])
def test_invalid_product_type_is_a_field_error(gql_as, coop_user, create_input,
                                               product_type_id, code):
    create_input["productType"] = product_type_id
    before = snapshot()
    assert_field_error(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                       "productCreate", "productType", code, "product")
    assert snapshot() == before


def test_unknown_category_is_a_field_error(gql_as, coop_user, create_input):
    create_input["category"] = gid("Category", 999999)
    before = snapshot()
    assert_field_error(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                       "productCreate", "category", "NOT_FOUND", "product")
    assert snapshot() == before


@pytest.mark.parametrize("attributes", [
    [{"slug": "grade", "values": ["特级"]}],     # a variant attribute, not a product one
    [{"slug": "no-such-attribute", "values": ["x"]}],
])
def test_attribute_not_on_product_type_is_invalid(gql_as, coop_user, create_input, attributes):
    create_input["attributes"] = attributes
    before = snapshot()
    values_before = AttributeValue.objects.count()
    assert_field_error(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                       "productCreate", "attributes", "INVALID", "product")
    assert snapshot() == before
    assert AttributeValue.objects.count() == values_before


def test_attribute_not_on_product_type_by_id_is_invalid(gql_as, coop_user, product_type,
                                                        create_input):
    grade = product_type.variant_attributes.get(slug="grade")
    create_input["attributes"] = [{"id": gid("Attribute", grade.pk), "values": ["特级"]}]
    before = snapshot()
    assert_field_error(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                       "productCreate", "attributes", "INVALID", "product")
    assert snapshot() == before


def test_invalid_attribute_on_update_changes_nothing(gql_as, coop_user, persimmon):
    before = snapshot()
    result = gql_as(coop_user).post(PRODUCT_UPDATE, {"id": gid("Product", persimmon.pk), "input": {
        "name": "新名字", "attributes": [{"slug": "grade", "values": ["特级"]}]}})
    assert_field_error(result, "productUpdate", "attributes", "INVALID", "product")
    assert snapshot() == before


def _variant_input(persimmon, **extra):
    return {"product": gid("Product", persimmon.pk), "sku": "NEW-SKU", "name": "二级 250g",
            **extra}


def test_duplicate_sku_is_refused(gql_as, coop_user, persimmon):
    existing = persimmon.variants.first().sku
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": _variant_input(persimmon, sku=existing)})
    assert_field_error(result, "productVariantCreate", "sku", "UNIQUE", "productVariant")
    assert snapshot() == before


def test_duplicate_sku_on_update_is_refused(gql_as, coop_user, persimmon):
    first, second = persimmon.variants.order_by("pk")
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_UPDATE, {"id": gid("ProductVariant", second.pk),
                                                     "input": {"sku": first.sku}})
    assert_field_error(result, "productVariantUpdate", "sku", "UNIQUE", "productVariant")
    assert snapshot() == before


def test_missing_sku_is_required(gql_as, coop_user, persimmon):
    variables = {"input": _variant_input(persimmon)}
    del variables["input"]["sku"]
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE, variables)
    assert_field_error(result, "productVariantCreate", "sku", "REQUIRED", "productVariant")
    assert snapshot() == before


@pytest.mark.parametrize("gtin", ["6901234567893", "69012345678", "69O1234567892"])
def test_wrong_gtin_is_invalid(gql_as, coop_user, persimmon, gtin):
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": _variant_input(persimmon, gtin=gtin)})
    assert_field_error(result, "productVariantCreate", "gtin", "INVALID", "productVariant")
    assert snapshot() == before


def test_wrong_gtin_on_update_is_invalid(gql_as, coop_user, persimmon):
    variant = persimmon.variants.first()
    before = snapshot()
    # 9638507-4 is the textbook GTIN-8; another check digit makes it wrong.
    result = gql_as(coop_user).post(VARIANT_UPDATE, {"id": gid("ProductVariant", variant.pk),
                                                     "input": {"gtin": "96385073"}})
    assert_field_error(result, "productVariantUpdate", "gtin", "INVALID", "productVariant")
    assert snapshot() == before


def test_right_gtin_is_accepted(gql_as, coop_user, persimmon):
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": _variant_input(persimmon, gtin="96385074")})
    data = payload(result, "productVariantCreate")
    assert data["errors"] == []
    assert data["productVariant"]["gtin"] == "96385074"


def test_variant_attribute_not_on_type_is_invalid(gql_as, coop_user, persimmon):
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": _variant_input(
        persimmon, attributes=[{"slug": "origin", "values": ["河南"]}])})
    assert_field_error(result, "productVariantCreate", "attributes", "INVALID", "productVariant")
    assert snapshot() == before


def test_negative_stock_is_refused_and_the_variant_not_created(gql_as, coop_user, coop, persimmon):
    warehouse = coop.warehouses.get()
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": _variant_input(
        persimmon, stocks=[{"warehouse": gid("Warehouse", warehouse.pk), "quantity": -5}])})
    assert_field_error(result, "productVariantCreate", "stocks", "INVALID", "productVariant")
    assert snapshot() == before
    assert not ProductVariant.objects.filter(sku="NEW-SKU").exists()


def test_negative_stock_update_is_refused(gql_as, coop_user, coop, persimmon):
    variant = persimmon.variants.first()
    warehouse = coop.warehouses.get()
    before = snapshot()
    result = gql_as(coop_user).post(STOCKS_UPDATE, {
        "variantId": gid("ProductVariant", variant.pk),
        "stocks": [{"warehouse": gid("Warehouse", warehouse.pk), "quantity": -1}]})
    assert_field_error(result, "productVariantStocksUpdate", "stocks", "INVALID", "productVariant")
    assert snapshot() == before


def test_stock_in_another_organisations_warehouse_is_refused(
    gql_as, coop_user, other_coop, persimmon
):
    variant = persimmon.variants.first()
    theirs = gid("Warehouse", other_coop.warehouses.get().pk)
    before = snapshot()
    result = gql_as(coop_user).post(STOCKS_UPDATE, {
        "variantId": gid("ProductVariant", variant.pk),
        "stocks": [{"warehouse": theirs, "quantity": 5}]})
    assert_field_error(result, "productVariantStocksUpdate", "stocks", "INVALID", "productVariant")
    assert snapshot() == before
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": _variant_input(
        persimmon, stocks=[{"warehouse": theirs, "quantity": 5}])})
    assert_field_error(result, "productVariantCreate", "stocks", "INVALID", "productVariant")
    assert snapshot() == before


def test_unknown_warehouse_is_refused(gql_as, coop_user, persimmon):
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(coop_user).post(STOCKS_UPDATE, {
        "variantId": gid("ProductVariant", variant.pk),
        "stocks": [{"warehouse": gid("Warehouse", 999999), "quantity": 5}]})
    assert_field_error(result, "productVariantStocksUpdate", "stocks", "NOT_FOUND",
                       "productVariant")
    assert snapshot() == before


def test_a_failing_stock_line_rolls_back_the_good_ones(gql_as, coop_user, coop, channel, persimmon):
    second = Warehouse.objects.create(name="二号仓", slug="second-wh", organization=coop)
    second.channels.add(channel)
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(coop_user).post(STOCKS_UPDATE, {
        "variantId": gid("ProductVariant", variant.pk),
        "stocks": [{"warehouse": gid("Warehouse", coop.warehouses.first().pk), "quantity": 3},
                   {"warehouse": gid("Warehouse", second.pk), "quantity": -3}]})
    assert_field_error(result, "productVariantStocksUpdate", "stocks", "INVALID", "productVariant")
    assert snapshot() == before


def _price(variant, channel, price, **extra):
    return {"id": gid("ProductVariant", variant.pk),
            "input": [{"channelId": gid("Channel", channel.pk), "price": price, **extra}]}


@pytest.mark.parametrize("price", ["-1", -0.01, "-100.00"])
def test_negative_price_is_refused(gql_as, coop_user, persimmon, channel, price):
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_LISTING_UPDATE, _price(variant, channel, price))
    assert_field_error(result, "productVariantChannelListingUpdate", "price", "INVALID_PRICE",
                       "variant")
    assert snapshot() == before


def test_negative_cost_price_is_refused(gql_as, coop_user, persimmon, channel):
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_LISTING_UPDATE,
                                    _price(variant, channel, "10", costPrice="-2"))
    assert_field_error(result, "productVariantChannelListingUpdate", "costPrice", "INVALID_PRICE",
                       "variant")
    assert snapshot() == before


@pytest.mark.parametrize("price", ["12.345", 0.001, "99999999999.00"])
def test_price_with_more_than_two_decimals_or_too_large_is_refused(
    gql_as, coop_user, persimmon, channel, price
):
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_LISTING_UPDATE, _price(variant, channel, price))
    assert_field_error(result, "productVariantChannelListingUpdate", "price", "INVALID_PRICE",
                       "variant")
    assert snapshot() == before


@pytest.mark.parametrize("price", ["abc", "NaN", "Infinity", "", True])
def test_non_numeric_price_is_a_graphql_error(gql_as, coop_user, persimmon, channel, price):
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_LISTING_UPDATE, _price(variant, channel, price))
    assert result["errors"]
    assert "price" in result["errors"][0]["message"]
    assert (result.get("data") or {}).get("productVariantChannelListingUpdate") is None
    assert snapshot() == before


def test_non_numeric_price_literal_is_a_graphql_error(gql_as, coop_user, persimmon, channel):
    variant = persimmon.variants.first()
    query = """mutation { productVariantChannelListingUpdate(id: "%s",
        input: [{channelId: "%s", price: "abc"}]) { variant { id } errors { field code } } }""" % (
        gid("ProductVariant", variant.pk), gid("Channel", channel.pk))
    before = snapshot()
    result = gql_as(coop_user).post(query)
    assert result["errors"]
    assert (result.get("data") or {}).get("productVariantChannelListingUpdate") is None
    assert snapshot() == before


def test_pricing_in_a_channel_the_product_is_not_listed_in(
    gql_as, coop_user, persimmon, channel, wholesale
):
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_LISTING_UPDATE, _price(variant, wholesale, "20.00"))
    assert_field_error(result, "productVariantChannelListingUpdate", "channelId",
                       "PRODUCT_NOT_ASSIGNED_TO_CHANNEL", "variant")
    assert snapshot() == before


def test_a_bad_line_rolls_back_the_whole_price_list(gql_as, coop_user, persimmon, channel,
                                                    wholesale):
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_LISTING_UPDATE, {
        "id": gid("ProductVariant", variant.pk),
        "input": [{"channelId": gid("Channel", channel.pk), "price": "1.00"},
                  {"channelId": gid("Channel", wholesale.pk), "price": "2.00"}]})
    assert_field_error(result, "productVariantChannelListingUpdate", "channelId",
                       "PRODUCT_NOT_ASSIGNED_TO_CHANNEL", "variant")
    assert snapshot() == before


def test_same_channel_twice_is_refused(gql_as, coop_user, persimmon, channel):
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_LISTING_UPDATE, {
        "id": gid("ProductVariant", variant.pk),
        "input": [{"channelId": gid("Channel", channel.pk), "price": "1.00"},
                  {"channelId": gid("Channel", channel.pk), "price": "2.00"}]})
    assert_field_error(result, "productVariantChannelListingUpdate", "channelId",
                       "DUPLICATED_INPUT_ITEM", "variant")
    assert snapshot() == before


@pytest.mark.parametrize("channel_id,code", [
    (gid("Channel", 999999), "NOT_FOUND"),
    (gid("Product", 1), "GRAPHQL_ERROR"),
    ("%%%", "GRAPHQL_ERROR"),
])
def test_unknown_or_invalid_channel_id_when_pricing(gql_as, coop_user, persimmon,
                                                    channel_id, code):
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_LISTING_UPDATE, {
        "id": gid("ProductVariant", variant.pk),
        "input": [{"channelId": channel_id, "price": "10.00"}]})
    assert_field_error(result, "productVariantChannelListingUpdate", "channelId", code, "variant")
    assert snapshot() == before


@pytest.mark.parametrize("channel_id,code", [
    (gid("Channel", 999999), "NOT_FOUND"),
    ("garbage", "GRAPHQL_ERROR"),
])
def test_unknown_or_invalid_channel_id_when_listing(gql_as, coop_user, persimmon,
                                                    channel_id, code):
    before = snapshot()
    result = gql_as(coop_user).post(CHANNEL_LISTING_UPDATE, {
        "id": gid("Product", persimmon.pk),
        "input": {"updateChannels": [{"channelId": channel_id, "isPublished": True}]}})
    assert_field_error(result, "productChannelListingUpdate", "updateChannels", code, "product")
    assert snapshot() == before
    result = gql_as(coop_user).post(CHANNEL_LISTING_UPDATE, {
        "id": gid("Product", persimmon.pk), "input": {"removeChannels": [channel_id]}})
    assert_field_error(result, "productChannelListingUpdate", "removeChannels", code, "product")
    assert snapshot() == before


def test_listing_and_withdrawing_the_same_channel_is_refused(gql_as, coop_user, persimmon,
                                                             channel):
    before = snapshot()
    channel_id = gid("Channel", channel.pk)
    result = gql_as(coop_user).post(CHANNEL_LISTING_UPDATE, {
        "id": gid("Product", persimmon.pk),
        "input": {"updateChannels": [{"channelId": channel_id, "isPublished": False}],
                  "removeChannels": [channel_id]}})
    assert_field_error(result, "productChannelListingUpdate", "updateChannels",
                       "DUPLICATED_INPUT_ITEM", "product")
    assert snapshot() == before


def test_unknown_product_id_is_not_found(gql_as, coop_user):
    result = gql_as(coop_user).post(PRODUCT_UPDATE, {"id": gid("Product", 999999),
                                                     "input": {"name": "x"}})
    assert_field_error(result, "productUpdate", "id", "NOT_FOUND", "product")
    result = gql_as(coop_user).post(PRODUCT_DELETE, {"id": gid("ProductVariant", 1)})
    assert_field_error(result, "productDelete", "id", "GRAPHQL_ERROR", "product")


def test_variant_for_unknown_product_is_a_field_error(gql_as, coop_user, persimmon):
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": {
        "product": gid("Product", 999999), "sku": "X-1"}})
    assert_field_error(result, "productVariantCreate", "product", "NOT_FOUND", "productVariant")
    assert snapshot() == before


def test_negative_weight_is_invalid(gql_as, coop_user, persimmon, create_input):
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": _variant_input(persimmon, weight=-1)})
    assert_field_error(result, "productVariantCreate", "weight", "INVALID", "productVariant")
    create_input["weight"] = "-0.5"
    result = gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input})
    assert_field_error(result, "productCreate", "weight", "INVALID", "product")
    assert snapshot() == before


def test_quantity_limit_below_one_is_invalid_and_camel_cased(gql_as, coop_user, persimmon):
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": _variant_input(
        persimmon, quantityLimitPerCustomer=0)})
    assert_field_error(result, "productVariantCreate", "quantityLimitPerCustomer", "INVALID",
                       "productVariant")
    assert snapshot() == before


def test_member_of_two_organisations_must_choose(gql_as, coop_user, other_coop, create_input):
    from shop.models import Membership

    Membership.objects.create(user=coop_user, organization=other_coop)
    before = snapshot()
    result = gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input})
    assert_field_error(result, "productCreate", "organization", "REQUIRED", "product")
    assert snapshot() == before
    create_input["organization"] = gid("Organization", other_coop.pk)
    data = payload(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                   "productCreate")
    assert data["errors"] == []
    assert data["product"]["organization"]["slug"] == other_coop.slug


def test_seller_sees_prices_and_cost_prices_per_channel(gql, gql_as, coop_user, persimmon):
    query = """query { product(slug: "mianchi-shibing") {
      variants { sku channelListings { channel { slug } price { amount } costPrice { amount } } }
    } }"""
    variants = gql_as(coop_user).data(query)["product"]["variants"]
    assert {v["sku"]: v["channelListings"][0]["price"]["amount"] for v in variants} == {
        "mianchi-shibing-0": 58.0, "mianchi-shibing-1": 39.9}
    # Shoppers do not see cost prices at all.
    assert all(v["channelListings"] is None for v in gql.data(query)["product"]["variants"])


@pytest.mark.parametrize("extra,field", [
    ({"slug": "a" * 256}, "slug"),
    ({"seo": {"title": "柿" * 71}}, "seoTitle"),
    ({"seo": {"description": "柿" * 301}}, "seoDescription"),
    ({"attributes": [{"slug": "origin", "values": ["长" * 129]}]}, "attributes"),
])
def test_too_long_text_is_a_field_error_not_a_database_error(
    gql_as, coop_user, create_input, extra, field
):
    create_input.update(extra)
    before = snapshot()
    values_before = AttributeValue.objects.count()
    result = gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input})
    assert_field_error(result, "productCreate", field, "INVALID", "product")
    assert snapshot() == before
    assert AttributeValue.objects.count() == values_before


def test_too_long_seo_title_on_update_is_a_field_error(gql_as, coop_user, persimmon):
    before = snapshot()
    result = gql_as(coop_user).post(PRODUCT_UPDATE, {"id": gid("Product", persimmon.pk),
                                                     "input": {"seo": {"title": "x" * 71}}})
    assert_field_error(result, "productUpdate", "seoTitle", "INVALID", "product")
    assert snapshot() == before


def test_a_long_chinese_name_still_gets_a_storable_slug(gql_as, coop_user, create_input):
    del create_input["slug"]
    create_input["name"] = "渑池" * 125  # 250 characters, the longest name allowed
    data = payload(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                   "productCreate")
    assert data["errors"] == []
    assert data["product"]["slug"].startswith("mian-chi-mian-chi")
    assert len(data["product"]["slug"]) <= 255
    # The same name again gets a distinct slug rather than an error.
    data = payload(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                   "productCreate")
    assert data["errors"] == []
    assert data["product"]["slug"].endswith("-2")


def test_blank_slug_on_update_is_required_not_silently_replaced(gql_as, coop_user, persimmon):
    before = snapshot()
    result = gql_as(coop_user).post(PRODUCT_UPDATE, {"id": gid("Product", persimmon.pk),
                                                     "input": {"slug": "  "}})
    assert_field_error(result, "productUpdate", "slug", "REQUIRED", "product")
    assert snapshot() == before


def test_product_with_traceability_records_cannot_be_deleted(gql, gql_as, coop_user, coop,
                                                             persimmon):
    """A product whose harvest was bought in (a sourcing lot) keeps its trace: deleting it
    is refused with a clear error, not a database exception, and it stays on sale."""
    from django.utils import timezone

    from supplychain.models import Household, SourcingLot

    household = Household.objects.create(organization=coop, head_name="张三", village="坡头村")
    SourcingLot.objects.create(
        organization=coop, lot_number="MC-2024-001", product=persimmon, household=household,
        harvested_on=timezone.localdate(), received_at=timezone.now(),
        quantity_kg=Decimal("100"), unit_price=Decimal("5.00"), amount=Decimal("500.00"))
    before = snapshot()
    result = gql_as(coop_user).post(PRODUCT_DELETE, {"id": gid("Product", persimmon.pk)})
    error = assert_field_error(result, "productDelete", None, "INVALID", "product")
    assert "ProtectedError" not in error["message"] and "SourcingLot" not in error["message"]
    assert snapshot() == before
    assert [e["node"]["slug"] for e in gql.data(SHOP_PRODUCTS)["products"]["edges"]] == [
        persimmon.slug]


@pytest.mark.parametrize("price,stored", [("12.500", "12.50"), ("0", "0.00"), (7, "7.00"),
                                          ("1E+2", "100.00"), (19.9, "19.90")])
def test_prices_with_at_most_two_significant_decimals_are_accepted(
    gql_as, coop_user, persimmon, channel, price, stored
):
    variant = persimmon.variants.first()
    result = gql_as(coop_user).post(VARIANT_LISTING_UPDATE, _price(variant, channel, price))
    assert payload(result, "productVariantChannelListingUpdate")["errors"] == []
    assert ProductVariantChannelListing.objects.get(variant=variant).price_amount == Decimal(stored)
