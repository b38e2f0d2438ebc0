"""Bad variant and stock input (SKUs, GTINs, attributes, weights, warehouses, quantities)
is a field error with Saleor's code, and a refused line rolls back the whole request."""

from __future__ import annotations

import pytest

from catalog.models import ProductVariant
from shop.models import Warehouse
from tests.catalog.mutations import (
    PRODUCT_CREATE,
    STOCKS_UPDATE,
    VARIANT_CREATE,
    VARIANT_UPDATE,
    assert_field_error,
    payload,
    snapshot,
    variant_input,
)
from tests.factories import gid

pytestmark = pytest.mark.django_db


def test_duplicate_sku_is_refused(gql_as, coop_user, persimmon):
    existing = persimmon.variants.first().sku
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE,
                                    {"input": variant_input(persimmon, sku=existing)})
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
    variables = {"input": variant_input(persimmon)}
    del variables["input"]["sku"]
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE, variables)
    assert_field_error(result, "productVariantCreate", "sku", "REQUIRED", "productVariant")
    assert snapshot() == before


@pytest.mark.parametrize("gtin", ["6901234567893", "69012345678", "69O1234567892"])
def test_wrong_gtin_is_invalid(gql_as, coop_user, persimmon, gtin):
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": variant_input(persimmon, gtin=gtin)})
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
    result = gql_as(coop_user).post(VARIANT_CREATE,
                                    {"input": variant_input(persimmon, gtin="96385074")})
    data = payload(result, "productVariantCreate")
    assert data["errors"] == []
    assert data["productVariant"]["gtin"] == "96385074"


def test_variant_attribute_not_on_type_is_invalid(gql_as, coop_user, persimmon):
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": variant_input(
        persimmon, attributes=[{"slug": "origin", "values": ["河南"]}])})
    assert_field_error(result, "productVariantCreate", "attributes", "INVALID", "productVariant")
    assert snapshot() == before


def test_variant_for_unknown_product_is_a_field_error(gql_as, coop_user, persimmon):
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": {
        "product": gid("Product", 999999), "sku": "X-1"}})
    assert_field_error(result, "productVariantCreate", "product", "NOT_FOUND", "productVariant")
    assert snapshot() == before


def test_negative_weight_is_invalid(gql_as, coop_user, persimmon, create_input):
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": variant_input(persimmon, weight=-1)})
    assert_field_error(result, "productVariantCreate", "weight", "INVALID", "productVariant")
    create_input["weight"] = "-0.5"
    result = gql_as(coop_user).post(PRODUCT_CREATE, {"input": create_input})
    assert_field_error(result, "productCreate", "weight", "INVALID", "product")
    assert snapshot() == before


def test_quantity_limit_below_one_is_invalid_and_camel_cased(gql_as, coop_user, persimmon):
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": variant_input(
        persimmon, quantityLimitPerCustomer=0)})
    assert_field_error(result, "productVariantCreate", "quantityLimitPerCustomer", "INVALID",
                       "productVariant")
    assert snapshot() == before


def test_negative_stock_is_refused_and_the_variant_not_created(gql_as, coop_user, coop, persimmon):
    warehouse = coop.warehouses.get()
    before = snapshot()
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": variant_input(
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
    result = gql_as(coop_user).post(VARIANT_CREATE, {"input": variant_input(
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
