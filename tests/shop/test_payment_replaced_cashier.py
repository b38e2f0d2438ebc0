"""A checkout's cashier replaced by a newer one (Saleor's ``transactionInitialize`` again,
through ``/graphql/``) has its trade closed at the local gateway after the commit; when
the buyer had paid it a moment before, its money is not lost: it counts toward the
checkout while the checkout is open, and goes back at once when the checkout became an
order without it."""

from __future__ import annotations

from decimal import Decimal
from urllib.request import urlopen

import pytest

from shop.models import Order, PaymentNotice, User
from shop.tasks import close_called_off_trades
from shop.transactions import CheckoutTransaction, TradeClosure
from tests.clients import GraphQLClient
from tests.factories import COMPLETE, gid, ready_checkout
from tests.payments import INIT, notify

pytestmark = pytest.mark.django_db

CHARGE = """query($id: ID!) { checkout(id: $id) { chargeStatus
  totalPrice { gross { amount } } } }"""


@pytest.fixture
def buyer(db):
    return User.objects.create_user("li@example.com", "a-Strong-pass-123")


@pytest.fixture
def paying(channel, variant, shipping, buyer, alipay_gateway):
    """A checkout of 47.90 whose cashier for 20.00 the buyer opened."""
    gql = GraphQLClient(buyer)
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    checkout_id = gid("Checkout", checkout.token)
    first = gql.data(INIT, {"id": checkout_id, "amount": "20.00"})["transactionInitialize"]
    assert urlopen(first["data"]["url"]).status == 200
    return gql, checkout_id, first["transaction"]["outTradeNo"]


def test_a_replaced_cashier_paid_just_before_counts_toward_the_checkout(
        paying, alipay_gateway, django_capture_on_commit_callbacks):
    gql, checkout_id, old = paying
    late = alipay_gateway.pay(old)  # paid; its notice is not here yet
    with django_capture_on_commit_callbacks(execute=True):
        second = gql.data(INIT, {"id": checkout_id})["transactionInitialize"]
    assert second["errors"] == [] and second["transaction"]["outTradeNo"] != old
    # The close found the trade paid: the checkout has 20.00 of its 47.90.
    assert alipay_gateway.closes(old) == 1
    assert TradeClosure.objects.get(out_trade_no=old).outcome == "paid"
    assert CheckoutTransaction.objects.get(out_trade_no=old).status == "charged"
    assert gql.data(CHARGE, {"id": checkout_id})["checkout"]["chargeStatus"] == "PARTIAL"
    assert notify(late) == "success"
    assert PaymentNotice.objects.last().outcome == PaymentNotice.Outcome.DUPLICATE
    assert alipay_gateway.refunds == {}


def test_a_replaced_cashier_paid_after_the_order_is_refunded_at_once(
        paying, alipay_gateway, django_capture_on_commit_callbacks):
    gql, checkout_id, old = paying
    alipay_gateway.refuse_closes = 1  # Alipay is busy: the old cashier stays open
    with django_capture_on_commit_callbacks(execute=True):
        whole = gql.data(INIT, {"id": checkout_id})["transactionInitialize"]
    assert TradeClosure.objects.get(out_trade_no=old).outcome == "pending"
    new = whole["transaction"]["outTradeNo"]
    assert urlopen(whole["data"]["url"]).status == 200
    assert notify(alipay_gateway.pay(new)) == "success"
    with django_capture_on_commit_callbacks(execute=True):
        done = gql.data(COMPLETE, {"id": checkout_id})["checkoutComplete"]
    order = Order.objects.get(number=done["order"]["number"])
    assert order.status == Order.Status.PAID

    # The old tab, paid now: nothing will ever count it, so it goes straight back.
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(alipay_gateway.pay(old)) == "success"
    assert alipay_gateway.refunds == {f"D{old}": {"amount": Decimal("20.00")}}
    assert CheckoutTransaction.objects.get(out_trade_no=old).status == "refunded"
    order.refresh_from_db()
    assert (order.total_charged_amount, order.total_refunded_amount) == (
        Decimal("47.90"), Decimal("0.00"))
    # The close's retry has nothing left to close.
    assert close_called_off_trades.delay().get() == 1
    assert alipay_gateway.closes(old) == 1
    assert TradeClosure.objects.get(out_trade_no=old).outcome == "paid"
