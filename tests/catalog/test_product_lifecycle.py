"""Cooperatives manage their own goods through Saleor-shaped mutations, posted to the real
/graphql/ view: a product goes from created to listed, priced, stocked, renamed and
deleted, and shoppers see each step; operators may do the same for any cooperative."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.models import (
    Product,
    ProductChannelListing,
    ProductVariantChannelListing,
)
from shop.models import Membership
from tests.catalog.mutations import (
    CHANNEL_LISTING_UPDATE,
    PRODUCT_CREATE,
    PRODUCT_DELETE,
    PRODUCT_UPDATE,
    SHOP_PRODUCTS,
    STOCKS_UPDATE,
    VARIANT_CREATE,
    VARIANT_LISTING_UPDATE,
    VARIANT_UPDATE,
    assert_field_error,
    payload,
    snapshot,
)
from tests.factories import gid

pytestmark = pytest.mark.django_db


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


def test_seller_sees_prices_and_cost_prices_per_channel(gql, gql_as, coop_user, persimmon):
    query = """query { product(slug: "mianchi-shibing") {
      variants { sku channelListings { channel { slug } price { amount } costPrice { amount } } }
    } }"""
    variants = gql_as(coop_user).data(query)["product"]["variants"]
    assert {v["sku"]: v["channelListings"][0]["price"]["amount"] for v in variants} == {
        "mianchi-shibing-0": 58.0, "mianchi-shibing-1": 39.9}
    # Shoppers do not see cost prices at all.
    assert all(v["channelListings"] is None for v in gql.data(query)["product"]["variants"])


def test_operator_can_edit_any_cooperatives_product(gql_as, operator_user, persimmon, channel):
    operator = gql_as(operator_user)
    product_id = gid("Product", persimmon.pk)
    data = payload(operator.post(PRODUCT_UPDATE, {"id": product_id,
                                                  "input": {"name": "渑池柿饼（下架整改）"}}),
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
    price = ProductVariantChannelListing.objects.get(variant=variant).price_amount
    assert price == Decimal("45.00")
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


def test_member_of_two_organisations_must_choose(gql_as, coop_user, other_coop, create_input):
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


def test_product_without_slug_gets_a_pinyin_slug(gql_as, coop_user, create_input):
    del create_input["slug"]
    data = payload(gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input}),
                   "productCreate")
    assert data["errors"] == []
    assert data["product"]["slug"] == "mian-chi-niu-xin-shi-bing"


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
