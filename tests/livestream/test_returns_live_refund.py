"""A live order refunded in full before anything shipped, by the operator through
/graphql/'s ``orderRefund`` or the order's page on the workbench: while its broadcast is on
air the units go back to the broadcast's live allocation (the next live buyer gets them at
the live price, and they no longer count against the buyer's limit); once it has ended
they go back to the shop's stock. Someone who may not refund moves nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from livestream import services
from livestream.models import BroadcastEvent, LivePurchase
from shop import services as shop_services
from tests import after_sales
from tests.after_sales import pay
from tests.clients import GraphQLClient, signed_in
from tests.factories import COMPLETE, broadcast_checkout, gid, stock_of

pytestmark = pytest.mark.django_db

buyer = after_sales.buyer

REFUND = """mutation($id: ID!, $amount: PositiveDecimal!) {
  orderRefund(id: $id, amount: $amount, reason: "主播口误，全额退款") {
    order { pavilionStatus paymentStatus }
    errors { field code message } } }"""


def _bought_live(broadcast, variant, shipping, buyer, gateway):
    checkout = broadcast_checkout(broadcast, variant, shipping, quantity=2, user=buyer,
                                  email=buyer.email)
    return pay(shop_services.complete_checkout(checkout.token, buyer), gateway)


def _refund_all(user, order):
    return GraphQLClient(user).post(REFUND, {"id": gid("Order", order.pk),
                                             "amount": str(order.total_charged_amount)})


def test_a_live_order_refunded_in_full_while_on_air_goes_back_to_the_live_allocation(
        broadcast, item, variant, shipping, buyer, coop_user, operator_user, alipay_gateway):
    services.start_broadcast(broadcast)
    order = _bought_live(broadcast, variant, shipping, buyer, alipay_gateway)
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (2, 3)

    # The seller may not refund through orderRefund: nothing moves.
    denied = _refund_all(coop_user, order)
    assert denied["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (2, 3)
    assert alipay_gateway.refunds == {}

    done = _refund_all(operator_user, order)["data"]["orderRefund"]
    assert done["errors"] == []
    assert done["order"]["pavilionStatus"] == "REFUNDED"
    # 2 x 29.90 live + 8.00 post, all of it back to the buyer.
    assert [r["amount"] for r in alipay_gateway.refunds.values()] == [Decimal("67.80")]
    item.refresh_from_db()
    # Both units held for the broadcast again, none of them in the shop's stock.
    assert (item.quantity_sold, item.quantity_remaining) == (0, 5)
    assert sum(r.quantity for r in item.reservations.all()) == 5
    assert (stock_of(variant).quantity, stock_of(variant).quantity_allocated) == (10, 5)
    assert LivePurchase.objects.get(order_line__order=order).quantity == 0
    event = broadcast.events.filter(type=BroadcastEvent.Type.STOCK_RETURNED).get()
    assert event.parameters == {"units": 2}
    assert str(order.number) in event.message
    assert event.user == operator_user

    # The refunded units no longer count against the buyer's limit of 2: two more at the
    # live price.
    again = broadcast_checkout(broadcast, variant, shipping, quantity=2, user=buyer,
                               email=buyer.email)
    placed = GraphQLClient(buyer).data(COMPLETE, {"id": gid("Checkout", again.token)})[
        "checkoutComplete"]
    assert placed["errors"] == []
    assert placed["order"]["lines"][0]["unitPrice"]["gross"]["amount"] == 29.9
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (2, 3)


def test_a_live_order_refunded_in_full_after_the_broadcast_goes_back_to_the_shop(
        broadcast, item, variant, shipping, buyer, operator_user, alipay_gateway):
    services.start_broadcast(broadcast)
    order = _bought_live(broadcast, variant, shipping, buyer, alipay_gateway)
    services.end_broadcast(broadcast, viewer_count=50)
    assert stock_of(variant).quantity_allocated == 2  # the order's two units

    done = _refund_all(operator_user, order)["data"]["orderRefund"]
    assert done["errors"] == []
    assert done["order"]["paymentStatus"] == "FULLY_REFUNDED"
    item.refresh_from_db()
    # Back on sale in the shop: nothing is held for an ended broadcast.
    assert (item.quantity_sold, item.quantity_remaining) == (2, 0)
    assert (stock_of(variant).quantity, stock_of(variant).quantity_allocated) == (10, 0)
    assert not item.reservations.filter(quantity__gt=0).exists()
    assert not broadcast.events.filter(type=BroadcastEvent.Type.STOCK_RETURNED,
                                       message__contains=str(order.number)).exists()


def test_the_operator_s_full_refund_on_the_workbench_gives_live_units_back_too(
        broadcast, item, variant, shipping, buyer, operator_user, alipay_gateway):
    services.start_broadcast(broadcast)
    order = _bought_live(broadcast, variant, shipping, buyer, alipay_gateway)
    response = signed_in(operator_user).post(
        f"/work/ops/orders/{order.number}/refund/",
        {"refund-amount": str(order.total_charged_amount), "refund-reason": "买家不要了"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == order.Status.REFUNDED
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (0, 5)
    assert (stock_of(variant).quantity, stock_of(variant).quantity_allocated) == (10, 5)
