"""Units bought in a broadcast and refunded before they ship, through /graphql/: while the
broadcast is on air they go back to its live allocation (the next live buyer gets them at
the live price, and they no longer count against the buyer's limit); once it has ended
they go back to the shop's stock. A later cancel of the rest gives back only what is left."""

from __future__ import annotations

from decimal import Decimal

import pytest

from livestream import services
from livestream.models import BroadcastEvent, LivePurchase
from shop import services as shop_services
from tests import after_sales
from tests.after_sales import DECIDE, REQUEST, pay
from tests.clients import GraphQLClient
from tests.factories import COMPLETE, broadcast_checkout, gid, stock_of

pytestmark = pytest.mark.django_db

buyer = after_sales.buyer


def _bought_live(broadcast, variant, shipping, buyer, gateway, quantity=2):
    checkout = broadcast_checkout(broadcast, variant, shipping, quantity=quantity, user=buyer,
                                  email=buyer.email)
    return pay(shop_services.complete_checkout(checkout.token, buyer), gateway)


def _refund_unshipped(buyer, seller, order, units):
    """The buyer asks for a refund of ``units`` not shipped yet; the seller approves."""
    asked = GraphQLClient(buyer, language="zh-hans").data(REQUEST, {
        "order": gid("Order", order.pk), "input": {
            "lines": [{"orderLineId": gid("OrderLine", order.lines.get().pk),
                       "quantity": units}],
            "type": "REFUND_ONLY", "reason": "NOT_WANTED"}})["orderReturnRequestCreate"]
    assert asked["errors"] == []
    approved = GraphQLClient(seller).data(DECIDE % "orderReturnRequestApprove", {
        "id": asked["returnRequest"]["id"]})["orderReturnRequestApprove"]
    assert approved["errors"] == []
    assert approved["returnRequest"]["status"] == "REFUNDED"
    return approved


def test_a_live_unit_refunded_while_on_air_goes_back_to_the_live_allocation(
        broadcast, item, variant, shipping, buyer, coop_user, alipay_gateway):
    services.start_broadcast(broadcast)
    order = _bought_live(broadcast, variant, shipping, buyer, alipay_gateway)
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (2, 3)
    assert (stock_of(variant).quantity, stock_of(variant).quantity_allocated) == (10, 5)

    _refund_unshipped(buyer, coop_user, order, 1)
    assert [r["amount"] for r in alipay_gateway.refunds.values()] == [Decimal("29.90")]
    item.refresh_from_db()
    # Held for the broadcast again (4 unsold + 1 still the order's), not in general stock.
    assert (item.quantity_sold, item.quantity_remaining) == (1, 4)
    assert sum(r.quantity for r in item.reservations.all()) == 4
    assert (stock_of(variant).quantity, stock_of(variant).quantity_allocated) == (10, 5)
    assert LivePurchase.objects.get(order_line__order=order).quantity == 1
    event = broadcast.events.filter(type=BroadcastEvent.Type.STOCK_RETURNED).get()
    assert event.parameters == {"units": 1}
    assert str(order.number) in event.message

    # The refunded unit no longer counts against the buyer's limit of 2: one more live
    # unit at the live price, through /graphql/.
    again = broadcast_checkout(broadcast, variant, shipping, quantity=1, user=buyer,
                               email=buyer.email)
    done = GraphQLClient(buyer).data(COMPLETE, {"id": gid("Checkout", again.token)})[
        "checkoutComplete"]
    assert done["errors"] == []
    assert done["order"]["lines"][0]["unitPrice"]["gross"]["amount"] == 29.9
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (2, 3)

    # Cancelling the rest of the first order gives back its one unit, not the two bought.
    shop_services.cancel_order(order, reason="不要了")
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (1, 4)
    assert (stock_of(variant).quantity, stock_of(variant).quantity_allocated) == (10, 5)


def test_a_live_unit_refunded_after_the_broadcast_goes_back_to_the_shop(
        broadcast, item, variant, shipping, buyer, coop_user, alipay_gateway):
    services.start_broadcast(broadcast)
    order = _bought_live(broadcast, variant, shipping, buyer, alipay_gateway)
    services.end_broadcast(broadcast, viewer_count=50)
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_returned, item.quantity_remaining) == (2, 3, 0)
    assert stock_of(variant).quantity_allocated == 2  # the order's two units

    _refund_unshipped(buyer, coop_user, order, 1)
    item.refresh_from_db()
    # Back on sale in the shop: nothing is held for an ended broadcast.
    assert (item.quantity_sold, item.quantity_remaining) == (2, 0)
    assert (stock_of(variant).quantity, stock_of(variant).quantity_allocated) == (10, 1)
    assert LivePurchase.objects.get(order_line__order=order).quantity == 2
    assert not item.reservations.filter(quantity__gt=0).exists()
