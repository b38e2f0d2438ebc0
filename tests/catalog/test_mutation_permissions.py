"""Who may change a cooperative's goods: anonymous callers and other cooperatives are
refused with Saleor's PermissionDenied, and nothing in the catalogue changes."""

from __future__ import annotations

import pytest

from tests.catalog.mutations import (
    CHANNEL_LISTING_UPDATE,
    PRODUCT_CREATE,
    PRODUCT_DELETE,
    PRODUCT_UPDATE,
    STOCKS_UPDATE,
    VARIANT_CREATE,
    VARIANT_LISTING_UPDATE,
    VARIANT_UPDATE,
    assert_permission_denied,
    snapshot,
)
from tests.factories import gid

pytestmark = pytest.mark.django_db


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
