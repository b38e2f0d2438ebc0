"""Paying, or pretending to pay, someone else's order through the real /graphql/ view and
Alipay's notice endpoint: an order's Relay ID is its number in the database, so anyone can
count through them. Starting a payment on another shopper's order is refused; on a guest's
order (which anyone may pay, as Saleor lets a guest pay without an account) the answer
shows nothing of the order. A notice is believed only when Alipay signed it, for the
amount the payment asked, and a replayed one charges nothing twice."""

from __future__ import annotations

from decimal import Decimal
from urllib.request import urlopen

import pytest
from django.test import Client

from shop import services as shop_services
from shop.models import Order, Payment, User
from tests.clients import GraphQLClient
from tests.factories import PASSWORD, gid, ready_checkout

pytestmark = pytest.mark.django_db

PAY = """mutation($id: ID!) {
  transactionInitialize(id: $id, action: CHARGE,
                        paymentGateway: {id: "alipay", data: {device: "PC"}}) {
    transaction { id order { number userEmail shippingAddress { firstName phone
      streetAddress1 } lines { productName } } }
    data errors { field code message } } }"""
GATEWAYS = """mutation($id: ID!) { paymentGatewayInitialize(id: $id) {
  gatewayConfigs { id } errors { field code message } } }"""


def _unpaid(channel, variant, shipping, buyer=None, email="guest@example.com") -> Order:
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=email)
    return shop_services.complete_checkout(checkout.token, user=buyer)


def test_another_shoppers_order_cannot_be_started(channel, variant, shipping, alipay_gateway):
    owner = User.objects.create_user("owner@example.com", PASSWORD)
    order = _unpaid(channel, variant, shipping, buyer=owner, email=owner.email)
    stranger = User.objects.create_user("stranger@example.com", PASSWORD)
    for client in (GraphQLClient(), GraphQLClient(stranger)):
        for document in (PAY, GATEWAYS):
            result = client.post(document, {"id": gid("Order", order.pk)})
            assert result.get("errors") and not any((result.get("data") or {}).values())
    assert not Payment.objects.exists()


def test_a_guests_order_started_by_anyone_shows_them_nothing_of_it(channel, variant,
                                                                    shipping, alipay_gateway):
    order = _unpaid(channel, variant, shipping)
    for client in (GraphQLClient(), GraphQLClient(User.objects.create_user(
            "counter@example.com", PASSWORD))):
        result = client.post(PAY, {"id": gid("Order", order.pk)})
        payload = (result.get("data") or {}).get("transactionInitialize") or {}
        shown = str(payload.get("transaction"))
        for private in ("guest@example.com", "王小明", "仰韶路", str(order.number), "柿饼"):
            assert private not in shown, (private, payload)


def test_a_forged_or_replayed_notice_pays_nothing(channel, variant, shipping, alipay_gateway):
    owner = User.objects.create_user("owner@example.com", PASSWORD)
    order = _unpaid(channel, variant, shipping, buyer=owner, email=owner.email)
    client = GraphQLClient(owner)
    started = client.data(PAY, {"id": gid("Order", order.pk)})["transactionInitialize"]
    assert started["errors"] == []
    out_trade_no = started["data"]["outTradeNo"]
    assert urlopen(started["data"]["url"]).status == 200  # the buyer opens the cashier
    notice = alipay_gateway.pay(out_trade_no)

    # Forged: the amount changed after Alipay signed, or the signature left out.
    cheaper = {**notice, "total_amount": "0.01"}
    unsigned = {k: v for k, v in notice.items() if k != "sign"}
    for forged in (cheaper, unsigned):
        Client().post("/alipay/notify/", forged)
        order.refresh_from_db()
        assert order.status == Order.Status.UNPAID and order.total_charged_amount == 0

    # The genuine notice pays once; sent again (as Alipay does until it reads "success")
    # it charges nothing more.
    for _time in range(3):
        assert Client().post("/alipay/notify/", notice).content.decode() == "success"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.total_charged_amount == order.total_amount
    assert Payment.objects.get().charged_amount == order.total_amount

    # A genuine notice of another trade number (one the pavilion never issued) pays nothing.
    Order.objects.filter(pk=order.pk).update(total_charged_amount=Decimal("0"))
    other = _unpaid(channel, variant, shipping, buyer=owner, email=owner.email)
    stray = alipay_gateway.sign_notice({**{k: v for k, v in notice.items()
                                           if k not in ("sign", "sign_type")},
                                        "out_trade_no": f"{other.number}999999"})
    Client().post("/alipay/notify/", stray)
    other.refresh_from_db()
    assert other.status == Order.Status.UNPAID and other.total_charged_amount == 0
