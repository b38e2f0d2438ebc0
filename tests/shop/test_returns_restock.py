"""Returned goods through /graphql/ (``orderReturnRequestMarkAsReceived``): back in stock
when the seller says they can be sold again, not when they cannot; a traced package's
code records that it came back (its public trace page says so in Chinese, without the
buyer), goes back on sale with its code (and ships again) or is kept off sale; when only
some of a line's packages came back the seller names them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from shop import services as shop_services
from shop.models import Stock
from shop.returns import ReturnRequest
from supplychain import services as supplychain_services
from supplychain.models import Disposition, ShippedCode, TraceCode
from tests import after_sales
from tests.after_sales import REQUEST, pay
from tests.clients import GraphQLClient, refused
from tests.factories import gid, ready_checkout

pytestmark = pytest.mark.django_db

buyer, shipped, traced_order = after_sales.buyer, after_sales.shipped, after_sales.traced_order

RECEIVED = """mutation($id: ID!, $restock: Boolean, $codes: [String!]) {
  orderReturnRequestMarkAsReceived(id: $id, restock: $restock, traceCodes: $codes) {
    returnRequest { status restocked refund { status } }
    errors { field code message } } }"""


def _returned(shopper, seller, order, quantity):
    """The buyer asks to send ``quantity`` units back and the seller agrees."""
    asked = shopper.data(REQUEST, {"order": gid("Order", order.pk), "input": {
        "lines": [{"orderLineId": gid("OrderLine", order.lines.get().pk), "quantity": quantity}],
        "type": "RETURN_AND_REFUND", "reason": "NO_REASON"}})["orderReturnRequestCreate"]
    assert asked["errors"] == [], asked
    request_id = asked["returnRequest"]["id"]
    approved = seller.data("""mutation($id: ID!) { orderReturnRequestApprove(id: $id) {
        errors { code } } }""", {"id": request_id})["orderReturnRequestApprove"]
    assert approved["errors"] == []
    return request_id


def _stock(variant) -> Stock:
    return Stock.objects.get(product_variant=variant)


def test_goods_back_on_sale_return_to_stock_and_unsellable_ones_do_not(
        shipped, buyer, variant, coop_user, other_coop_user, alipay_gateway):
    assert (_stock(variant).quantity, _stock(variant).quantity_allocated) == (8, 0)
    shopper, seller = GraphQLClient(buyer), GraphQLClient(coop_user)
    first = _returned(shopper, seller, shipped, 1)

    # Only the seller confirms, and only once the goods were asked back.
    assert refused(GraphQLClient(other_coop_user).post(RECEIVED, {"id": first}))
    assert refused(shopper.post(RECEIVED, {"id": first}))
    assert _stock(variant).quantity == 8

    back = seller.data(RECEIVED, {"id": first, "restock": True})[
        "orderReturnRequestMarkAsReceived"]
    assert back["errors"] == []
    assert back["returnRequest"] == {"status": "REFUNDED", "restocked": True,
                                     "refund": {"status": "SUCCESS"}}
    assert _stock(variant).quantity == 9  # the unit is for sale again
    # Confirmed again (a stale page): no second unit, no second refund.
    seller.post(RECEIVED, {"id": first, "restock": True})
    assert _stock(variant).quantity == 9 and len(alipay_gateway.refunds) == 1

    second = _returned(shopper, seller, shipped, 1)
    spoiled = seller.data(RECEIVED, {"id": second, "restock": False})[
        "orderReturnRequestMarkAsReceived"]
    assert spoiled["returnRequest"] == {"status": "REFUNDED", "restocked": False,
                                        "refund": {"status": "SUCCESS"}}
    assert _stock(variant).quantity == 9  # not for sale: the stock stays as it was
    assert sum(r["amount"] for r in alipay_gateway.refunds.values()) == Decimal("79.80")
    assert list(ReturnRequest.objects.order_by("pk").values_list("restocked", flat=True)) == [
        True, False]


def test_a_returned_package_on_sale_again_keeps_its_code_and_ships_again(
        traced_order, buyer, coop, coop_user, channel, shipping, alipay_gateway):
    order, (kept, sent_back) = traced_order, traced_order.codes
    variant = order.lines.get().variant
    stock_before = _stock(variant).quantity
    shopper, seller = GraphQLClient(buyer), GraphQLClient(coop_user, language="zh-hans")
    request_id = _returned(shopper, seller, order, 1)

    # One package of two came back: which one is not plain, the seller scans it.
    unnamed = seller.data(RECEIVED, {"id": request_id})["orderReturnRequestMarkAsReceived"]
    assert [(e["field"], e["code"]) for e in unnamed["errors"]] == [("codes", "REQUIRED")]
    assert "追溯码" in unnamed["errors"][0]["message"]
    wrong = seller.data(RECEIVED, {"id": request_id, "codes": ["NOTACODE0000000000"]})[
        "orderReturnRequestMarkAsReceived"]
    assert wrong["errors"][0]["field"] == "codes"
    assert ReturnRequest.objects.get().status == "awaiting_return"  # nothing changed
    assert _stock(variant).quantity == stock_before

    back = seller.data(RECEIVED, {"id": request_id, "codes": [sent_back.lower()]})[
        "orderReturnRequestMarkAsReceived"]
    assert back["errors"] == [] and back["returnRequest"]["status"] == "REFUNDED"
    assert _stock(variant).quantity == stock_before + 1
    returned = TraceCode.objects.get(code=sent_back)
    assert (returned.disposition, returned.shipped_at) == (Disposition.ACTIVE, None)
    assert TraceCode.objects.get(code=kept).disposition == Disposition.RETAIL_SOLD
    assert list(ShippedCode.objects.values_list("trace_code__code", flat=True)) == [kept]

    # Whoever scans the returned package reads that it came back, and not from whom.
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(f"/t/{sent_back}").content.decode()
    assert "买家退回，经检查重新上架" in page
    for private in (buyer.email, order.shipping_address.phone,
                    order.shipping_address.first_name, order.shipping_address.street_address_1):
        assert private not in page
    # The buyer's order page no longer lists the package they sent back.
    mine = Client()
    mine.force_login(buyer)
    order_page = mine.get(f"/orders/{order.number}/").content.decode()
    assert f">{kept}</a>" in order_page and f">{sent_back}</a>" not in order_page

    # The package is for sale again with its own code: it ships on another order.
    checkout = ready_checkout(channel, variant, shipping, quantity=1, user=buyer,
                              email=buyer.email)
    again = pay(shop_services.complete_checkout(checkout.token, buyer), alipay_gateway)
    supplychain_services.fulfill_with_codes(
        again, coop, [{"order_line_id": again.lines.get().pk, "codes": [sent_back]}],
        carrier="中国邮政", tracking_number="EMS2CN", user=coop_user)
    assert TraceCode.objects.get(code=sent_back).disposition == Disposition.IN_TRANSIT


def test_an_unsellable_package_is_kept_off_sale_and_says_so(traced_order, buyer, coop_user,
                                                           alipay_gateway):
    order = traced_order
    variant = order.lines.get().variant
    stock_before = _stock(variant).quantity
    seller = GraphQLClient(coop_user)
    request_id = _returned(GraphQLClient(buyer), seller, order, 2)
    # Both packages came back: no need to scan them.
    back = seller.data(RECEIVED, {"id": request_id, "restock": False})[
        "orderReturnRequestMarkAsReceived"]
    assert back["errors"] == [] and back["returnRequest"]["restocked"] is False
    assert _stock(variant).quantity == stock_before
    assert set(TraceCode.objects.filter(code__in=order.codes)
               .values_list("disposition", flat=True)) == {Disposition.RETURNED}
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(f"/t/{order.codes[0]}").content.decode()
    assert "已退回，不再销售" in page and "买家退回，不再销售" in page
    assert buyer.email not in page and order.shipping_address.phone not in page
    # A package off sale never ships again.
    with pytest.raises(Exception, match="已发货或已召回|already been shipped"):
        supplychain_services.ship_codes(order.lines.get(), [order.codes[0]])
