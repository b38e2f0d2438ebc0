"""A shopper who asks Alipay for one fen of a checkout's total (``transactionInitialize``
takes an amount, as Saleor's does for split payments) gets a genuine, signed notice for
that fen. The checkout is then partly charged, and completing it gives an order that is
not paid: nothing ships for a fen."""

from __future__ import annotations

from decimal import Decimal
from urllib.request import urlopen

import pytest
from django.test import Client

from shop.models import Order, User
from tests.clients import GraphQLClient
from tests.factories import COMPLETE, gid, ready_checkout

pytestmark = pytest.mark.django_db

PAY = """mutation($id: ID!, $amount: PositiveDecimal) {
  transactionInitialize(id: $id, action: CHARGE, amount: $amount,
                        paymentGateway: {id: "alipay", data: {device: "PC"}}) {
    transaction { id chargedAmount { amount } }
    data errors { field code message } } }"""
SHOWN = """query($id: ID!) { order(id: $id) { pavilionStatus isPaid paymentStatus
  totalCharged { amount } } }"""
STATE = """query($id: ID!) { checkout(id: $id) { chargeStatus totalBalance { amount } } }"""


def test_one_fen_paid_of_a_checkout_leaves_its_order_unpaid(channel, variant, shipping,
                                                            alipay_gateway):
    buyer = User.objects.create_user("li@example.com", "a-Strong-pass-123")
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    gql = GraphQLClient(buyer)
    checkout_id = gid("Checkout", checkout.token)

    paid = gql.data(PAY, {"id": checkout_id, "amount": "0.01"})["transactionInitialize"]
    assert paid["errors"] == []
    assert urlopen(paid["data"]["url"]).status == 200  # the buyer opens the cashier
    notice = alipay_gateway.pay(paid["data"]["outTradeNo"])
    assert notice["total_amount"] == "0.01"
    assert Client().post("/alipay/notify/", notice).content.decode() == "success"
    state = gql.data(STATE, {"id": checkout_id})["checkout"]
    assert state["chargeStatus"] == "PARTIAL" and state["totalBalance"]["amount"] < 0

    # Asking for more than is owed is refused outright.
    over = gql.data(PAY, {"id": checkout_id, "amount": "100000"})["transactionInitialize"]
    assert [e["field"] for e in over["errors"]] == ["amount"]

    result = gql.data(COMPLETE, {"id": checkout_id})["checkoutComplete"]
    assert result["errors"] == []
    order = Order.objects.get(number=result["order"]["number"])
    assert order.status == Order.Status.UNPAID and order.paid_at is None
    assert order.total_charged_amount == Decimal("0.01")
    shown = gql.data(SHOWN, {"id": gid("Order", order.pk)})["order"]
    assert (shown["pavilionStatus"], shown["isPaid"], shown["paymentStatus"]) == (
        "UNPAID", False, "PARTIALLY_CHARGED")
    assert shown["totalCharged"]["amount"] == 0.01
