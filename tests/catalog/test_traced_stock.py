"""A traced product's stock comes only from packing runs: a count set by hand through
``productVariantStocksUpdate`` or ``productVariantCreate`` is refused with the code that
says so (TRACED_STOCK_FROM_PACKING, on the ``stocks`` field), and nothing changes."""

from __future__ import annotations

import pytest

from catalog import traced
from shop.models import Stock
from tests.factories import gid

pytestmark = pytest.mark.django_db

ERRORS = "errors { field code message }"
STOCKS_UPDATE = f"""
mutation($variantId: ID!, $stocks: [StockInput!]!) {{
  productVariantStocksUpdate(variantId: $variantId, stocks: $stocks) {{
    productVariant {{ id }} {ERRORS} }} }}"""
VARIANT_CREATE = f"""
mutation($input: ProductVariantCreateInput!) {{
  productVariantCreate(input: $input) {{ productVariant {{ id }} {ERRORS} }} }}"""


def stock_of(variant, warehouse) -> int | None:
    row = Stock.objects.filter(product_variant=variant, warehouse=warehouse).first()
    return row.quantity if row else None


def test_hand_set_stock_of_a_traced_product_says_why_it_is_refused(gql_as, coop_user, coop,
                                                                    persimmon):
    traced.set_traced(persimmon, True)
    variant = persimmon.variants.first()
    warehouse = coop.warehouses.get()
    before = stock_of(variant, warehouse)
    result = gql_as(coop_user).data(STOCKS_UPDATE, {
        "variantId": gid("ProductVariant", variant.pk),
        "stocks": [{"warehouse": gid("Warehouse", warehouse.pk), "quantity": (before or 0) + 50}]})
    payload = result["productVariantStocksUpdate"]
    assert payload["productVariant"] is None
    [error] = payload["errors"]
    assert (error["field"], error["code"]) == ("stocks", "TRACED_STOCK_FROM_PACKING")
    assert "一物一码" in error["message"] or "packing runs" in error["message"]
    assert stock_of(variant, warehouse) == before


def test_a_new_variant_of_a_traced_product_gets_no_hand_set_stock(gql_as, coop_user, coop,
                                                                   persimmon):
    traced.set_traced(persimmon, True)
    warehouse = coop.warehouses.get()
    result = gql_as(coop_user).data(VARIANT_CREATE, {"input": {
        "product": gid("Product", persimmon.pk), "sku": "TRACED-NEW", "name": "新规格",
        "stocks": [{"warehouse": gid("Warehouse", warehouse.pk), "quantity": 10}]}})
    payload = result["productVariantCreate"]
    assert payload["productVariant"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("stocks", "TRACED_STOCK_FROM_PACKING")]
    assert not persimmon.variants.filter(sku="TRACED-NEW").exists()


def test_an_untraced_products_stock_is_still_set_by_hand(gql_as, coop_user, coop, persimmon):
    variant = persimmon.variants.first()
    warehouse = coop.warehouses.get()
    result = gql_as(coop_user).data(STOCKS_UPDATE, {
        "variantId": gid("ProductVariant", variant.pk),
        "stocks": [{"warehouse": gid("Warehouse", warehouse.pk), "quantity": 77}]})
    assert result["productVariantStocksUpdate"]["errors"] == []
    assert stock_of(variant, warehouse) == 77
