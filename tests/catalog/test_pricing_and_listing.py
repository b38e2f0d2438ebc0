"""Prices and channel listings: money with at most two decimals and never negative,
channels that exist and carry the product, each named once; a refused line rolls back
the whole list."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.models import ProductVariantChannelListing
from tests.catalog.mutations import (
    CHANNEL_LISTING_UPDATE,
    VARIANT_LISTING_UPDATE,
    assert_field_error,
    payload,
    price_input,
    snapshot,
)
from tests.factories import gid

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("price", ["-1", -0.01, "-100.00"])
def test_negative_price_is_refused(gql_as, coop_user, persimmon, channel, price):
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_LISTING_UPDATE, price_input(variant, channel, price))
    assert_field_error(result, "productVariantChannelListingUpdate", "price", "INVALID_PRICE",
                       "variant")
    assert snapshot() == before


def test_negative_cost_price_is_refused(gql_as, coop_user, persimmon, channel):
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_LISTING_UPDATE,
                                    price_input(variant, channel, "10", costPrice="-2"))
    assert_field_error(result, "productVariantChannelListingUpdate", "costPrice", "INVALID_PRICE",
                       "variant")
    assert snapshot() == before


@pytest.mark.parametrize("price", ["12.345", 0.001, "99999999999.00"])
def test_price_with_more_than_two_decimals_or_too_large_is_refused(
    gql_as, coop_user, persimmon, channel, price
):
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_LISTING_UPDATE, price_input(variant, channel, price))
    assert_field_error(result, "productVariantChannelListingUpdate", "price", "INVALID_PRICE",
                       "variant")
    assert snapshot() == before


@pytest.mark.parametrize("price", ["abc", "NaN", "Infinity", "", True])
def test_non_numeric_price_is_a_graphql_error(gql_as, coop_user, persimmon, channel, price):
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_LISTING_UPDATE, price_input(variant, channel, price))
    assert result["errors"]
    assert "price" in result["errors"][0]["message"]
    assert (result.get("data") or {}).get("productVariantChannelListingUpdate") is None
    assert snapshot() == before


def test_non_numeric_price_literal_is_a_graphql_error(gql_as, coop_user, persimmon, channel):
    variant = persimmon.variants.first()
    variant_id, channel_id = gid("ProductVariant", variant.pk), gid("Channel", channel.pk)
    query = f"""mutation {{ productVariantChannelListingUpdate(id: "{variant_id}",
        input: [{{channelId: "{channel_id}", price: "abc"}}]) {{
          variant {{ id }} errors {{ field code }} }} }}"""
    before = snapshot()
    result = gql_as(coop_user).post(query)
    assert result["errors"]
    assert (result.get("data") or {}).get("productVariantChannelListingUpdate") is None
    assert snapshot() == before


@pytest.mark.parametrize("price,stored", [("12.500", "12.50"), ("0", "0.00"), (7, "7.00"),
                                          ("1E+2", "100.00"), (19.9, "19.90")])
def test_prices_with_at_most_two_significant_decimals_are_accepted(
    gql_as, coop_user, persimmon, channel, price, stored
):
    variant = persimmon.variants.first()
    result = gql_as(coop_user).post(VARIANT_LISTING_UPDATE, price_input(variant, channel, price))
    assert payload(result, "productVariantChannelListingUpdate")["errors"] == []
    assert ProductVariantChannelListing.objects.get(variant=variant).price_amount == Decimal(stored)


def test_pricing_in_a_channel_the_product_is_not_listed_in(
    gql_as, coop_user, persimmon, channel, wholesale
):
    variant = persimmon.variants.first()
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_LISTING_UPDATE,
                                    price_input(variant, wholesale, "20.00"))
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
