"""A shopper who pays a checkout through Saleor's ``transactionInitialize`` and then never
completes it gets the money back, as Saleor releases an abandoned checkout's funds: after
``CHECKOUT_FUNDS_RELEASE_HOURS`` without an order or a change, the real worker refunds
the transaction at the local Alipay gateway, once however often or at once the task runs,
again after the gateway refused; completing the checkout afterwards gives an unpaid
order, and a checkout still being worked on keeps its payment."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from urllib.request import urlopen

import pytest
from django.utils import timezone

from shop.models import Checkout, Order, User
from shop.tasks import release_abandoned_checkout_payments
from shop.transactions import CheckoutTransaction
from tests.background import TASK_TIMEOUT
from tests.clients import GraphQLClient
from tests.factories import COMPLETE, gid, ready_checkout
from tests.payments import INIT, notify

pytestmark = pytest.mark.django_db(transaction=True)

STATE = """query($id: ID!) { checkout(id: $id) { chargeStatus totalBalance { amount }
  transactions { status } } }"""


@pytest.fixture
def buyer(db):
    return User.objects.create_user("li@example.com", "a-Strong-pass-123")


@pytest.fixture
def paid_checkout(channel, variant, shipping, buyer, alipay_gateway):
    """A checkout of 47.90 paid in full at the gateway, not completed."""
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    gql = GraphQLClient(buyer)
    paid = gql.data(INIT, {"id": gid("Checkout", checkout.token),
                           "data": {"device": "PC"}})["transactionInitialize"]
    assert urlopen(paid["data"]["url"]).status == 200
    assert notify(alipay_gateway.pay(paid["data"]["outTradeNo"])) == "success"
    return checkout


def left_for(hours, checkout):
    then = timezone.now() - timedelta(hours=hours)
    CheckoutTransaction.objects.update(charged_at=then)
    Checkout.objects.filter(pk=checkout.pk).update(updated_at=then)


def run_twice_at_once() -> int:
    runs = [release_abandoned_checkout_payments.delay(),
            release_abandoned_checkout_payments.delay()]
    return sum(r.get(timeout=TASK_TIMEOUT) for r in runs)


def test_an_abandoned_checkouts_payment_goes_back_once(celery_worker, paid_checkout, buyer,
                                                       alipay_gateway):
    gql = GraphQLClient(buyer)
    checkout_id = gid("Checkout", paid_checkout.token)
    out_trade_no = CheckoutTransaction.objects.get().out_trade_no
    left_for(1, paid_checkout)  # the shopper may still come back to it
    assert release_abandoned_checkout_payments.delay().get(timeout=TASK_TIMEOUT) == 0
    assert gql.data(STATE, {"id": checkout_id})["checkout"]["chargeStatus"] == "FULL"

    left_for(7, paid_checkout)
    alipay_gateway.refund_delay = 0.5  # the two runs overlap at the gateway
    assert run_twice_at_once() == 1
    assert release_abandoned_checkout_payments.delay().get(timeout=TASK_TIMEOUT) == 0
    assert alipay_gateway.refunds == {f"D{out_trade_no}": {"amount": Decimal("47.90")}}
    assert alipay_gateway.trades[out_trade_no]["refunded"] == Decimal("47.90")
    state = gql.data(STATE, {"id": checkout_id})["checkout"]
    assert (state["chargeStatus"], state["totalBalance"]["amount"]) == ("NONE", -47.9)
    assert state["transactions"] == [{"status": "REFUNDED"}]

    # The notice again changes nothing; completing now places an order to pay anew.
    assert notify(alipay_gateway.pay(out_trade_no)) == "success"
    done = gql.data(COMPLETE, {"id": checkout_id})["checkoutComplete"]
    assert done["errors"] == []
    order = Order.objects.get(number=done["order"]["number"])
    assert order.status == Order.Status.UNPAID and order.total_charged_amount == 0
    assert not order.payments.exists()


def test_a_refused_release_is_sent_again_under_the_same_number(celery_worker, paid_checkout,
                                                               alipay_gateway):
    out_trade_no = CheckoutTransaction.objects.get().out_trade_no
    left_for(7, paid_checkout)
    alipay_gateway.refuse_refunds = 1
    assert release_abandoned_checkout_payments.delay().get(timeout=TASK_TIMEOUT) == 0
    assert CheckoutTransaction.objects.get().status == CheckoutTransaction.Status.REFUNDING
    assert alipay_gateway.refunds == {}
    assert release_abandoned_checkout_payments.delay().get(timeout=TASK_TIMEOUT) == 1
    assert CheckoutTransaction.objects.get().status == CheckoutTransaction.Status.REFUNDED
    assert alipay_gateway.refunds == {f"D{out_trade_no}": {"amount": Decimal("47.90")}}
