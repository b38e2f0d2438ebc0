"""Withdrawing stock (a recall, a write-off) never takes units already allocated to orders."""

import pytest

from shop import services
from shop.models import Stock

pytestmark = pytest.mark.django_db


def test_withdraw_takes_only_unallocated_units(persimmon, coop):
    variant = persimmon.variants.first()
    warehouse = coop.warehouses.first()
    Stock.objects.filter(product_variant=variant).update(quantity=10, quantity_allocated=4)
    assert services.withdraw_stock(variant, warehouse, 3) == 3
    assert services.withdraw_stock(variant, warehouse, 50) == 3
    assert services.withdraw_stock(variant, warehouse, 1) == 0
    stock = Stock.objects.get(product_variant=variant, warehouse=warehouse)
    assert (stock.quantity, stock.quantity_allocated) == (4, 4)
    assert services.withdraw_stock(variant, warehouse, 0) == 0
