"""Workbench pages answer in a number of SQL queries that does not grow with their lists:
each list page is measured with a few rows and with twice as many."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shop import services as shop_services
from shop.models import Order
from supplychain import services as supplychain_services
from tests.factories import make_product, ready_checkout

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(coop, coop_user, product_type, category, channel, shipping, persimmon, grades, start, n):
    """``n`` more of everything the producer's lists show."""
    for i in range(start, start + n):
        product = make_product(coop, product_type, category, channel, f"商品{i}", f"p-{i}",
                               ["10.00", "12.00"])
        household = supplychain_services.create_household(coop, head_name=f"农户{i}",
                                                          village="南村")
        base = supplychain_services.create_base(coop, name=f"基地{i}", location="渑池",
                                                area_mu="10")
        supplychain_services.add_certification(base, kind="green", number=f"G-{i}",
                                               valid_until=date.today() + timedelta(days=30))
        lot = supplychain_services.create_sourcing_lot(
            coop, product=persimmon, household=household, harvested_on=timezone.localdate(),
            quantity_kg="20", unit_price="5", user=coop_user)
        supplychain_services.record_inspection(lot, lab="检测中心", result="passed",
                                               inspected_on=timezone.localdate())
        record = supplychain_services.record_grading(
            coop, inputs=[(lot, "20")], outputs=[(grades["特级"], "10")], loss_kg="1")
        graded = record.outputs.get()
        run = supplychain_services.create_packing_run(
            graded, variant=persimmon.variants.first(), warehouse=coop.warehouses.get(),
            quantity=4, net_weight_kg="0.5")
        checkout = ready_checkout(channel, run.variant, shipping, quantity=1,
                                  email=f"buyer{i}@example.com")
        order = shop_services.complete_checkout(checkout.token)
        Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID, paid_at=timezone.now())
        assert product.pk


LISTS = ["/work/", "/work/products/", "/work/stock/", "/work/households/", "/work/bases/",
         "/work/lots/", "/work/grading/", "/work/orders/", "/work/sales/"]


def test_list_pages_take_the_same_number_of_queries_for_twice_the_rows(
        coop, coop_user, coop_client, product_type, category, channel, shipping, persimmon,
        grades):
    args = (coop, coop_user, product_type, category, channel, shipping, persimmon, grades)
    grow(*args, start=0, n=3)
    small = {url: queries(coop_client, url) for url in LISTS}
    grow(*args, start=3, n=3)
    large = {url: queries(coop_client, url) for url in LISTS}
    assert large == small
    assert max(small.values()) <= 25, small
