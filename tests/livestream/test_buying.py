"""Buying from a broadcast through the real checkout: the live price only inside the
window and only from the live allocation; attribution; a flash sale with concurrent
buyers that never oversells and keeps per-buyer limits."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from livestream import services
from livestream.models import LineupItem, LivePurchase
from shop import services as shop_services
from shop.models import Checkout, Order, OrderLine
from tests.clients import GraphQLClient
from tests.factories import ADDRESS, COMPLETE, broadcast_checkout, gid, stock_of

CREATE = """mutation($input: CheckoutCreateInput!) { checkoutCreate(input: $input) {
  checkout { id lines { quantity unitPrice { gross { amount } } undiscountedUnitPrice { amount } } }
  errors { field code message } } }"""


def test_live_price_only_while_live(gql, channel, broadcast, item, variant, shipping):
    data = {"input": {"channel": "default", "email": "buyer@example.com",
                      "broadcast": gid("Broadcast", broadcast.pk), "shippingAddress": ADDRESS,
                      "lines": [{"variantId": gid("ProductVariant", variant.pk), "quantity": 1}]}}
    before = gql.data(CREATE, data)["checkoutCreate"]
    assert before["errors"] == []
    assert before["checkout"]["lines"][0]["unitPrice"]["gross"]["amount"] == 39.9  # not live yet
    services.start_broadcast(broadcast)
    live = gql.data(CREATE, data)["checkoutCreate"]
    assert live["checkout"]["lines"][0]["unitPrice"]["gross"]["amount"] == 29.9
    assert live["checkout"]["lines"][0]["undiscountedUnitPrice"]["amount"] == 39.9
    checkout = Checkout.objects.order_by("-created_at").first()  # the one made while live
    shop_services.update_checkout_delivery_method(checkout, shipping["post"].pk)
    order = gql.data(COMPLETE, {"id": gid("Checkout", checkout.token)})["checkoutComplete"]
    assert order["errors"] == []
    assert order["order"]["lines"][0]["unitPrice"]["gross"]["amount"] == 29.9
    line = OrderLine.objects.get()
    assert (line.source, line.source_ref) == ("broadcast", str(broadcast.pk))
    assert line.undiscounted_unit_price_amount == Decimal("39.90")
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (1, 4)
    stock = stock_of(variant)
    # 4 still held for the broadcast + 1 reserved for the order: general stock untouched.
    assert (stock.quantity, stock.quantity_allocated) == (10, 5)
    # Ending the broadcast gives the 4 unsold units back; the order keeps its unit.
    services.end_broadcast(broadcast, viewer_count=200)
    stock.refresh_from_db()
    item.refresh_from_db()
    assert (stock.quantity_allocated, item.quantity_returned, item.quantity_remaining) == (1, 4, 0)
    # After the window: list price, regular stock, still attributed (a post-live sale).
    after = broadcast_checkout(broadcast, variant, shipping, email="late@example.com")
    assert shop_services.checkout_totals(after)["subtotal"] == Decimal("39.90")
    late = shop_services.complete_checkout(after.token)
    late_line = late.lines.get()
    assert late_line.unit_price_amount == Decimal("39.90")
    assert late_line.source_ref == str(broadcast.pk)
    assert not LivePurchase.objects.filter(order_line=late_line).exists()


def test_sold_out_and_limits_are_clear_errors(gql, channel, broadcast, item, variant, shipping):
    services.start_broadcast(broadcast)
    data = {"input": {"channel": "default", "email": "buyer@example.com",
                      "broadcast": gid("Broadcast", broadcast.pk),
                      "lines": [{"variantId": gid("ProductVariant", variant.pk), "quantity": 3}]}}
    payload = gql.data(CREATE, data)["checkoutCreate"]
    assert payload["checkout"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("quantity", "QUANTITY_GREATER_THAN_LIMIT")]
    # A product outside the line-up cannot be bought "from" the broadcast.
    other = variant.product.variants.exclude(pk=variant.pk).first()
    data["input"]["lines"] = [{"variantId": gid("ProductVariant", other.pk), "quantity": 1}]
    payload = gql.data(CREATE, data)["checkoutCreate"]
    assert payload["errors"][0]["field"] == "variantId"
    assert not Checkout.objects.exists()
    # Two checkouts of the same buyer: the second completion passes the limit and is refused.
    first = broadcast_checkout(broadcast, variant, shipping, quantity=2)
    second = broadcast_checkout(broadcast, variant, shipping, quantity=1)
    shop_services.complete_checkout(first.token)
    result = gql.data(COMPLETE, {"id": gid("Checkout", second.token)})["checkoutComplete"]
    assert result["order"] is None
    assert result["errors"][0]["code"] == "QUANTITY_GREATER_THAN_LIMIT"
    assert Order.objects.count() == 1
    item.refresh_from_db()
    assert item.quantity_sold == 2


def test_flash_sale_window(channel, broadcast, item, variant, shipping):
    now = timezone.now()
    services.start_broadcast(broadcast)
    services.update_lineup_item(item, flash_sale_starts_at=now + timedelta(minutes=5),
                                flash_sale_seconds=300)
    item.refresh_from_db()
    assert 290 <= services.flash_sale_countdown(item) <= 300
    checkout = broadcast_checkout(broadcast, variant, shipping)
    assert shop_services.checkout_totals(checkout)["subtotal"] == Decimal("39.90")
    LineupItem.objects.filter(pk=item.pk).update(flash_sale_starts_at=now - timedelta(seconds=1))
    assert shop_services.checkout_totals(checkout)["subtotal"] == Decimal("29.90")


def test_lineup_edits_that_would_break_orders_are_refused(channel, broadcast, item, variant,
                                                           shipping):
    services.start_broadcast(broadcast)
    shop_services.complete_checkout(broadcast_checkout(broadcast, variant, shipping,
                                                       quantity=2).token)
    from django.core.exceptions import ValidationError

    attempts = [
        lambda: services.update_lineup_item(item, live_price="19.90"),
        lambda: services.update_lineup_item(item, quantity=1),
        lambda: services.remove_lineup_item(item),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.error_dict and list(error.value.error_dict.values())[0][0].code == \
            "lineup_locked"
    item.refresh_from_db()
    assert (item.live_price_amount, item.quantity_allocated, item.quantity_sold) == (
        Decimal("29.90"), 5, 2)
    assert stock_of(variant).quantity_allocated == 5


BUYERS = 24


@pytest.mark.django_db(transaction=True)
def test_flash_sale_with_concurrent_buyers(channel, broadcast, variant, shipping):
    """24 checkouts (8 buyers x 3) race for a 10-unit live allocation, 2 per buyer."""
    stock = stock_of(variant)
    shop_services.set_stock(variant, stock.warehouse, 30)
    item = services.add_lineup_item(broadcast, variant=variant, live_price="9.90", quantity=10,
                                    per_buyer_limit=2,
                                    flash_sale_starts_at=timezone.now() + timedelta(minutes=1),
                                    flash_sale_seconds=600)
    services.start_broadcast(broadcast)
    checkouts = [broadcast_checkout(broadcast, variant, shipping, email=f"b{i % 8}@example.com")
                 for i in range(BUYERS)]
    LineupItem.objects.filter(pk=item.pk).update(flash_sale_starts_at=timezone.now())
    barrier = threading.Barrier(BUYERS)
    results = [None] * BUYERS

    def buy(i):
        try:
            client = GraphQLClient()
            barrier.wait(timeout=30)
            results[i] = client.post(COMPLETE, {"id": gid("Checkout", checkouts[i].token)})
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    payloads = [r["data"]["checkoutComplete"] for r in results]
    orders = [p["order"] for p in payloads if p["order"]]
    refused = {p["errors"][0]["code"] for p in payloads if p["errors"]}
    assert len(orders) == 10
    assert refused <= {"INSUFFICIENT_STOCK", "QUANTITY_GREATER_THAN_LIMIT"}
    assert all(o["lines"][0]["unitPrice"]["gross"]["amount"] == 9.9 for o in orders)
    per_buyer = {}
    for order in Order.objects.all():
        per_buyer[order.user_email] = per_buyer.get(order.user_email, 0) + 1
    assert max(per_buyer.values()) <= 2
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (10, 0)
    stock.refresh_from_db()
    # 10 units went to orders out of the live allocation; the other 20 were never touched.
    assert (stock.quantity, stock.quantity_allocated, stock.quantity_available) == (30, 10, 20)
    assert LivePurchase.objects.count() == 10
