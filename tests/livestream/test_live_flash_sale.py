"""A live flash sale through the real checkoutComplete: concurrent buyers take exactly the
live allocation, each within the per-buyer limit; a cancel during the sale gives its unit
back to the allocation and exactly one more buyer gets it; a checkout's live lines are
priced together, not one query per line."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from livestream import services
from livestream.models import LineupItem, LivePurchase
from shop import services as shop_services
from shop.models import Allocation, Order, Stock, Warehouse
from tests.clients import GraphQLClient
from tests.factories import COMPLETE, broadcast_checkout, gid, ready_checkout, stock_of
from tests.flash_sales import (
    assert_not_oversold,
    complete,
    live_orders,
    race,
    refused_without_touching_a_row,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_a_cancel_during_the_live_sale_returns_its_unit_to_the_allocation(
        channel, broadcast, variant, shipping):
    stock = stock_of(variant)
    shop_services.set_stock(variant, stock.warehouse, 30)
    item = services.add_lineup_item(broadcast, variant=variant, live_price="9.90", quantity=5,
                                    per_buyer_limit=1)
    services.start_broadcast(broadcast)
    # Ten buyers, two of whom press buy twice (two checkouts each).
    checkouts = [broadcast_checkout(broadcast, variant, shipping, email=f"b{i % 10}@example.com")
                 for i in range(12)]
    payloads = race(checkouts)
    orders = [p["order"] for p in payloads if p["order"]]
    assert len(orders) == 5
    assert {e["code"] for p in payloads for e in p["errors"]} <= {
        "INSUFFICIENT_STOCK", "QUANTITY_GREATER_THAN_LIMIT"}
    assert all(o["lines"][0]["unitPrice"]["gross"]["amount"] == 9.9 for o in orders)
    buyers = [o.user_email for o in live_orders()]
    assert len(buyers) == len(set(buyers)) == 5
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (5, 0)
    assert_not_oversold(variant)

    # A buyer cancels while the broadcast is on air: the unit goes back to the live
    # allocation, and of six new buyers racing for it exactly one gets it, at the live price.
    shop_services.cancel_order(live_orders().order_by("pk").first())
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (4, 1)
    more = [broadcast_checkout(broadcast, variant, shipping, email=f"late{i}@example.com")
            for i in range(6)]
    payloads = race(more)
    won = [p["order"] for p in payloads if p["order"]]
    assert len(won) == 1 and won[0]["lines"][0]["unitPrice"]["gross"]["amount"] == 9.9
    assert [p["errors"][0]["code"] for p in payloads if not p["order"]] == \
        ["INSUFFICIENT_STOCK"] * 5
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (5, 0)
    assert live_orders().count() == 5
    assert LivePurchase.objects.exclude(
        order_line__order__status=Order.Status.CANCELLED).count() == 5
    stock.refresh_from_db()
    # Five units with live orders; the other 25 never left the shop's own stock.
    assert (stock.quantity, stock.quantity_allocated) == (30, 5)
    assert_not_oversold(variant)


@pytest.mark.django_db(transaction=True)
def test_live_lines_are_priced_together(channel, broadcast, persimmon, shipping):
    """Both grades of the persimmon bought live in one checkout: one line-up query prices
    both lines (the price hook is asked once per checkout, not once per line), and each
    line sells at its own live price."""
    big, small = persimmon.variants.order_by("sku")
    for grade, live_price in ((big, "49.00"), (small, "29.90")):
        shop_services.set_stock(grade, stock_of(grade).warehouse, 10)
        services.add_lineup_item(broadcast, variant=grade, live_price=live_price, quantity=3)
    services.start_broadcast(broadcast)
    checkout = shop_services.create_checkout(
        channel.slug, email="buyer@example.com", line_source=("broadcast", str(broadcast.pk)),
        lines=[{"variant_id": big.pk, "quantity": 1}, {"variant_id": small.pk, "quantity": 2}],
        shipping_address={"first_name": "王小明", "street_address_1": "仰韶路 12 号",
                          "city": "三门峡市", "city_area": "渑池县", "country_area": "河南省",
                          "postal_code": "472400", "phone": "13812345678"},
        extra_available={big.pk: 3, small.pk: 3})
    shop_services.update_checkout_delivery_method(checkout, shipping["post"].pk)

    with CaptureQueriesContext(connection) as queries:
        payload = GraphQLClient().post(COMPLETE, {"id": gid("Checkout", checkout.token)})
    order = payload["data"]["checkoutComplete"]["order"]
    assert order is not None, payload
    assert sorted(line["unitPrice"]["gross"]["amount"] for line in order["lines"]) == \
        [29.9, 49.0]
    assert Decimal(str(order["total"]["gross"]["amount"])) == Decimal("49.00") + \
        2 * Decimal("29.90")  # free shipping from 99 元
    pricing = [q["sql"] for q in queries.captured_queries
               if '"livestream_lineupitem"."live_price_amount"' in q["sql"]]
    assert len(pricing) == 1, pricing
    assert LineupItem.objects.filter(quantity_sold__gt=0).count() == 2


@pytest.mark.django_db(transaction=True)
def test_live_units_held_in_two_warehouses_are_taken_across_both(channel, broadcast, variant,
                                                                 shipping):
    """Three units bought when no one warehouse holds three of the live allocation: two
    come from the first, one from the second; the one left is sold to the next buyer and
    a purchase of more than is left is refused without touching the allocation."""
    first = stock_of(variant)
    shop_services.set_stock(variant, first.warehouse, 2)
    other = Warehouse.objects.create(name="二号仓", slug="second",
                                     organization=first.warehouse.organization)
    other.channels.add(channel)
    shop_services.set_stock(variant, other, 2)
    item = services.add_lineup_item(broadcast, variant=variant, live_price="9.90", quantity=4,
                                    per_buyer_limit=3)
    services.start_broadcast(broadcast)
    broadcast.refresh_from_db()  # on air: its checkouts may hold the live units
    three, two, one = (broadcast_checkout(broadcast, variant, shipping, quantity=n,
                                          email=f"q{n}@example.com") for n in (3, 2, 1))

    assert race([three])[0]["order"]
    placed = Order.objects.get(user_email="q3@example.com")
    assert sorted(Allocation.objects.filter(order_line__order=placed).values_list(
        "stock__warehouse__slug", "quantity_allocated")) == [
        (first.warehouse.slug, 2), ("second", 1)]
    refused = race([two])[0]
    assert refused["order"] is None and refused["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (3, 1)
    assert race([one])[0]["order"]
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (4, 0)
    assert sum(Stock.objects.filter(product_variant=variant).values_list(
        "quantity_allocated", flat=True)) == 4


@pytest.mark.django_db(transaction=True)
def test_a_live_purchase_reads_its_item_once_and_locks_it_last(channel, broadcast, variant,
                                                               shipping):
    """What a live purchase costs the database: the line-up item is read once (by the
    price hook, with its per-buyer limit), the limit is checked and the purchase recorded
    in one statement under the buyer's lock, and the item's row (the live sale's hot row)
    is updated last, by the statement that hands its units over, followed only by the
    COMMIT. The buyer who takes the last unit closes the allocation's gate."""
    shop_services.set_stock(variant, stock_of(variant).warehouse, 10)
    services.add_lineup_item(broadcast, variant=variant, live_price="9.90", quantity=2,
                             per_buyer_limit=1)
    services.start_broadcast(broadcast)
    first, last, late = (broadcast_checkout(broadcast, variant, shipping,
                                            email=f"{n}@example.com")
                         for n in ("first", "last", "late"))
    assert complete(first)["order"]
    with CaptureQueriesContext(connection) as queries:
        assert complete(last)["order"]
    statements = [q["sql"] for q in queries.captured_queries]
    commit = statements.index("COMMIT")
    purchase = statements[:commit + 1]
    # BEGIN, 14 statements, COMMIT (the gate reads the checkout's card in the cache).
    assert len(purchase) == 16, "\n".join(purchase)
    assert sum("livestream_lineupitem" in sql for sql in purchase) == 2  # read, update
    # The item's units taken and handed over in one statement, the COMMIT next.
    assert "UPDATE livestream_lineupitem" in purchase[-2]
    assert "livestream_livestockreservation" in purchase[-2]
    assert "pg_advisory_xact_lock" in purchase[-4]
    assert "INSERT INTO livestream_livepurchase" in purchase[-3]

    refused_without_touching_a_row(late, variant.product.name, [variant])
    assert LivePurchase.objects.count() == 2
    assert_not_oversold(variant)


def _unit_price(payload) -> float:
    return payload["order"]["lines"][0]["unitPrice"]["gross"]["amount"]


@pytest.mark.django_db(transaction=True)
def test_a_live_line_still_sells_once_the_shop_sells_out(channel, broadcast, variant,
                                                         shipping):
    """The shop's own units run out while the broadcast still holds live units: a shop
    buyer is refused by the variant's gate, a live buyer is not, and buys at the live
    price from the allocation."""
    stock = stock_of(variant)
    shop_services.set_stock(variant, stock.warehouse, 4)
    item = services.add_lineup_item(broadcast, variant=variant, live_price="9.90", quantity=2)
    services.start_broadcast(broadcast)
    broadcast.refresh_from_db()
    live = broadcast_checkout(broadcast, variant, shipping, email="live@example.com")
    shop_buyers = [ready_checkout(channel, variant, shipping, email=f"shop{i}@example.com")
                   for i in range(3)]
    assert complete(shop_buyers[0])["order"] and complete(shop_buyers[1])["order"]
    # The last free unit of the shop is gone: its gate is closed...
    assert complete(shop_buyers[2])["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    refused_without_touching_a_row(shop_buyers[2], variant.product.name, [variant])

    # ...but not for the live line, whose units the broadcast holds.
    bought = complete(live)
    assert bought["errors"] == [] and _unit_price(bought) == 9.9
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (1, 1)
    assert_not_oversold(variant)


@pytest.mark.django_db(transaction=True)
def test_the_end_of_the_broadcast_reopens_its_sold_out_allocation(channel, broadcast,
                                                                  variant, shipping):
    """The live allocation sells out and its gate closes; once the broadcast ends the same
    checkout buys at the list price from the shop's stock, at once."""
    shop_services.set_stock(variant, stock_of(variant).warehouse, 5)
    services.add_lineup_item(broadcast, variant=variant, live_price="9.90", quantity=1)
    services.start_broadcast(broadcast)
    broadcast.refresh_from_db()
    first, late = (broadcast_checkout(broadcast, variant, shipping, email=f"{n}@example.com")
                   for n in ("first", "late"))
    assert _unit_price(complete(first)) == 9.9
    refused_without_touching_a_row(late, variant.product.name, [variant])

    services.end_broadcast(broadcast)
    after = complete(late)
    assert after["errors"] == [] and _unit_price(after) == 39.9
    assert live_orders().count() == 2
    assert_not_oversold(variant)
