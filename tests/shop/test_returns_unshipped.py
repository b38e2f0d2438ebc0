"""A refund of some units not shipped yet, through /graphql/: the shopper asks one seller of
a two-seller order to refund part of its unshipped items (refund only); approved, the
units leave the order (they never ship), their stock is released and their share is
refunded at the local Alipay gateway; the other seller's part is asked for on its own;
the last units of an order nothing of which shipped take all that is left of the payment
(the shipping fee too)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shop import services as shop_services
from shop.models import Order, Stock
from tests import after_sales
from tests.after_sales import DECIDE, REQUEST, pay, ship
from tests.clients import GraphQLClient, refused
from tests.factories import SERVICE_ADDRESS, gid, make_product

pytestmark = pytest.mark.django_db

buyer = after_sales.buyer
LINES = """query($id: ID!) { order(id: $id) { status lines {
  productName quantity quantityFulfilled quantityToFulfill } } }"""


@pytest.fixture
def millet(other_coop, product_type, category, channel):
    return make_product(other_coop, product_type, category, channel, "仰韶小米",
                        "yangshao-millet-9", ["25.00"]).variants.get()


def _paid(channel, shipping, buyer, gateway, lines):
    checkout = shop_services.create_checkout(channel.slug, user=buyer, lines=[
        {"variant_id": variant.pk, "quantity": n} for variant, n in lines],
        shipping_address=SERVICE_ADDRESS)
    shop_services.update_checkout_delivery_method(checkout, shipping["post"].pk)
    return pay(shop_services.complete_checkout(checkout.token, buyer), gateway)


@pytest.fixture
def order(channel, variant, millet, shipping, buyer, alipay_gateway):
    """2 x 渑池柿饼 (the cooperative's, 39.90) and 1 x 仰韶小米 (the other's, 25.00), paid
    (shipped free: over 99 元)."""
    return _paid(channel, shipping, buyer, alipay_gateway, [(variant, 2), (millet, 1)])


def _ask(client, order, line, quantity):
    return client.data(REQUEST, {"order": gid("Order", order.pk), "input": {
        "lines": [{"orderLineId": gid("OrderLine", line.pk), "quantity": quantity}],
        "type": "REFUND_ONLY", "reason": "NOT_WANTED"}})["orderReturnRequestCreate"]


def _stock(variant) -> Stock:
    return Stock.objects.get(product_variant=variant)


def test_part_of_one_sellers_unshipped_items_is_refunded_and_never_ships(
        order, buyer, variant, millet, coop, coop_user, other_coop, other_coop_user,
        alipay_gateway):
    shopper = GraphQLClient(buyer, language="zh-hans")
    persimmons = order.lines.get(variant=variant)
    assert (_stock(variant).quantity, _stock(variant).quantity_allocated) == (10, 2)

    too_many = _ask(shopper, order, persimmons, 3)
    assert [(e["field"], e["code"]) for e in too_many["errors"]] == [
        ("quantity", "INVALID_QUANTITY")]
    asked = _ask(shopper, order, persimmons, 1)
    assert asked["errors"] == []
    assert asked["returnRequest"]["amount"] == {"amount": 39.9}  # the unit's share only
    request_id = asked["returnRequest"]["id"]

    # The other cooperative cannot answer it; the seller can.
    assert refused(GraphQLClient(other_coop_user).post(DECIDE % "orderReturnRequestApprove",
                                                       {"id": request_id}))
    approved = GraphQLClient(coop_user).data(DECIDE % "orderReturnRequestApprove", {
        "id": request_id})["orderReturnRequestApprove"]
    assert approved["errors"] == []
    assert approved["returnRequest"]["status"] == "REFUNDED"
    assert [r["amount"] for r in alipay_gateway.refunds.values()] == [Decimal("39.90")]
    # The unit is released (for sale again) and will not ship.
    assert (_stock(variant).quantity, _stock(variant).quantity_allocated) == (10, 1)
    lines = shopper.data(LINES, {"id": gid("Order", order.pk)})["order"]
    assert lines["status"] == "UNFULFILLED"
    assert lines["lines"][0] == {"productName": "渑池柿饼", "quantity": 2,
                                 "quantityFulfilled": 0, "quantityToFulfill": 1}
    with pytest.raises(Exception, match="1"):
        shop_services.fulfill_order_lines(order, coop, [
            {"order_line_id": persimmons.pk, "quantity": 2}], carrier="邮政",
            tracking_number="EMS1")
    ship(order, coop, coop_user)  # the one unit left
    assert (_stock(variant).quantity, _stock(variant).quantity_allocated) == (9, 0)

    # The other seller's part is asked for on its own, and refunded without the shipping
    # fee (part of the order has shipped).
    millet_line = order.lines.get(variant=millet)
    second = _ask(shopper, order, millet_line, 1)
    assert second["errors"] == [] and second["returnRequest"]["amount"] == {"amount": 25.0}
    GraphQLClient(other_coop_user).data(DECIDE % "orderReturnRequestApprove", {
        "id": second["returnRequest"]["id"]})
    order.refresh_from_db()
    assert order.total_refunded_amount == Decimal("64.90")
    assert order.status == Order.Status.SHIPPED  # nothing is left to ship
    assert _stock(millet).quantity_allocated == 0
    # Nothing unshipped is left to ask about.
    assert _ask(shopper, order, millet_line, 1)["errors"][0]["code"] == "INVALID_QUANTITY"


def test_the_last_units_of_an_unshipped_order_take_all_that_is_left(
        order, buyer, variant, millet, coop_user, other_coop_user, alipay_gateway):
    shopper = GraphQLClient(buyer)
    first = _ask(shopper, order, order.lines.get(variant=millet), 1)["returnRequest"]
    GraphQLClient(other_coop_user).data(DECIDE % "orderReturnRequestApprove", {"id": first["id"]})
    assert first["amount"] == {"amount": 25.0}
    rest = _ask(shopper, order, order.lines.get(variant=variant), 2)["returnRequest"]
    order.refresh_from_db()
    assert Decimal(str(rest["amount"]["amount"])) == order.total_amount - Decimal("25.00")
    approved = GraphQLClient(coop_user).data(DECIDE % "orderReturnRequestApprove", {
        "id": rest["id"]})["orderReturnRequestApprove"]
    assert approved["order"]["pavilionStatus"] == "REFUNDED"
    order.refresh_from_db()
    assert order.total_refunded_amount == order.total_amount
    assert _stock(variant).quantity_allocated == 0 and _stock(millet).quantity_allocated == 0


def test_approving_after_the_units_shipped_is_refused(order, buyer, variant, coop, coop_user,
                                                     alipay_gateway):
    asked = _ask(GraphQLClient(buyer), order, order.lines.get(variant=variant), 2)
    ship(order, coop, coop_user)
    late = GraphQLClient(coop_user).data(DECIDE % "orderReturnRequestApprove", {
        "id": asked["returnRequest"]["id"]})["orderReturnRequestApprove"]
    assert late["errors"][0]["code"] == "INVALID"
    assert alipay_gateway.refunds == {}


def test_both_sellers_asked_at_once_refund_the_whole_payment(
        channel, shipping, buyer, variant, millet, coop_user, other_coop_user, alipay_gateway):
    order = _paid(channel, shipping, buyer, alipay_gateway, [(variant, 1), (millet, 1)])
    assert order.shipping_price_amount > 0
    shopper = GraphQLClient(buyer)
    persimmons = _ask(shopper, order, order.lines.get(variant=variant), 1)["returnRequest"]
    grain = _ask(shopper, order, order.lines.get(variant=millet), 1)["returnRequest"]
    # Each was asked while the other's units were still on the order: goods only.
    assert (persimmons["amount"], grain["amount"]) == ({"amount": 39.9}, {"amount": 25.0})
    GraphQLClient(other_coop_user).data(DECIDE % "orderReturnRequestApprove", {"id": grain["id"]})
    last = GraphQLClient(coop_user).data(DECIDE % "orderReturnRequestApprove", {
        "id": persimmons["id"]})["orderReturnRequestApprove"]
    order.refresh_from_db()
    # The last approved takes what is left, shipping fee included.
    assert Decimal(str(last["returnRequest"]["amount"]["amount"])) == \
        order.total_amount - Decimal("25.00")
    assert order.total_refunded_amount == order.total_amount
    assert order.status == Order.Status.REFUNDED
    assert sum(r["amount"] for r in alipay_gateway.refunds.values()) == order.total_amount
