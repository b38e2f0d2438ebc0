"""A buyer's after-sales request with quantities no order holds, through the real /graphql/
view: none, negative, more than was bought, the largest number GraphQL carries, and one
line named twice so that each half stays within the order. Each is refused with a field
error and nothing is asked of the seller; a guest's request needs its own order's token,
not another order's."""

from __future__ import annotations

import pytest

from shop import services as shop_services
from shop.returns import ReturnRequest
from tests import after_sales
from tests.after_sales import REQUEST
from tests.clients import GraphQLClient
from tests.factories import gid, ready_checkout

pytestmark = pytest.mark.django_db

buyer, shipped = after_sales.buyer, after_sales.shipped


def _ask(client, order, lines, token=None):
    return client.post(REQUEST, {"order": gid("Order", order.pk), "token": token, "input": {
        "lines": lines, "type": "RETURN_AND_REFUND", "reason": "QUALITY"}})


def test_quantities_no_order_holds_are_refused(shipped, buyer):
    shopper = GraphQLClient(buyer)
    line = gid("OrderLine", shipped.lines.get().pk)  # 2 units
    for lines in ([{"orderLineId": line, "quantity": 0}],
                  [{"orderLineId": line, "quantity": -1}],
                  [{"orderLineId": line, "quantity": 3}],
                  [{"orderLineId": line, "quantity": 2 ** 31 - 1}],
                  [{"orderLineId": line, "quantity": 2}, {"orderLineId": line, "quantity": 2}],
                  [{"orderLineId": line, "quantity": 1}, {"orderLineId": line, "quantity": 1}]):
        result = _ask(shopper, shipped, lines)
        payload = (result.get("data") or {}).get("orderReturnRequestCreate")
        assert payload is None or (payload["errors"] and payload["returnRequest"] is None), lines
    too_big = _ask(shopper, shipped, [{"orderLineId": line, "quantity": 2 ** 31}])
    assert too_big.get("errors")  # beyond GraphQL's Int: refused before running
    assert not ReturnRequest.objects.exists()


def test_a_guests_request_needs_its_own_orders_token(channel, variant, shipping, coop,
                                                     coop_user, alipay_gateway):
    orders = []
    for email in ("first@example.com", "second@example.com"):
        checkout = ready_checkout(channel, variant, shipping, email=email)
        order = shop_services.complete_checkout(checkout.token)
        orders.append(after_sales.ship(after_sales.pay(order, alipay_gateway), coop, coop_user))
    first, second = orders
    line = [{"orderLineId": gid("OrderLine", second.lines.get().pk), "quantity": 1}]
    for token in (None, str(first.checkout_token)):
        result = _ask(GraphQLClient(), second, line, token=token)
        assert result.get("errors") and not (result.get("data") or {}).get(
            "orderReturnRequestCreate"), token
    assert not ReturnRequest.objects.exists()
    asked = _ask(GraphQLClient(), second, line, token=str(second.checkout_token))
    assert asked["data"]["orderReturnRequestCreate"]["errors"] == []
