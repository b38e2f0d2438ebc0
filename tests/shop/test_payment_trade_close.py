"""A cashier the shop no longer takes money through has its trade closed at Alipay
(``alipay.trade.close``, signed RSA2 both ways through the local gateway), from the real
Celery worker: after an order expires, after the shopper cancels it, and when a newer
cashier replaces it. Each trade is closed once however often the task runs; a close
Alipay refused is sent again on the beat; a trade paid in the moment before its close
is refunded, not lost; a cashier never opened counts as closed. A closed trade can no
longer be paid."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal
from urllib.request import urlopen

import pytest
from django.utils import timezone

from shop.models import Order, OrderEvent, Payment, PaymentNotice, User
from shop.tasks import (
    close_called_off_trades,
    expire_unpaid_orders,
    query_pending_alipay_payments,
    refund_due_payments,
)
from shop.transactions import CheckoutTransaction, TradeClosure
from tests.background import TASK_TIMEOUT, wait_for_task_runs
from tests.clients import GraphQLClient
from tests.factories import gid, ready_checkout
from tests.payments import INIT, notify, start
from tests.shop.alipay_gateway import TradeClosed

pytestmark = pytest.mark.django_db(transaction=True)

CANCEL = """mutation($id: ID!) { orderCancel(id: $id) { errors { field code message } } }"""


@pytest.fixture
def buyer(db):
    return User.objects.create_user("li@example.com", "a-Strong-pass-123")


@pytest.fixture
def waiting(channel, variant, shipping, buyer, gql_as, alipay_gateway):
    """An order of 47.90 whose Alipay cashier the buyer opened and left unpaid."""
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    number = GraphQLClient(buyer).data(
        """mutation($id: ID!) { checkoutComplete(id: $id) { order { number }
           errors { code } } }""", {"id": gid("Checkout", checkout.token)}
    )["checkoutComplete"]["order"]["number"]
    order = Order.objects.get(number=number)
    started = start(gql_as, buyer, order)
    order.trade, order.cashier_url = started["transaction"]["outTradeNo"], started["data"]["url"]
    return order


def outcome(out_trade_no: str) -> str:
    closure = TradeClosure.objects.filter(out_trade_no=out_trade_no).first()
    return closure.outcome if closure else ""


def settled(out_trade_no: str):
    return lambda: outcome(out_trade_no) not in ("", TradeClosure.Outcome.PENDING)


def closed_once(gateway, out_trade_no: str) -> None:
    """Closed at the gateway by one close, which no later run repeats; unpayable."""
    assert close_called_off_trades.delay().get(timeout=TASK_TIMEOUT) == 0
    assert gateway.closes(out_trade_no) == 1
    assert gateway.trades[out_trade_no]["trade_status"] == "TRADE_CLOSED"
    assert outcome(out_trade_no) == TradeClosure.Outcome.CLOSED
    with pytest.raises(TradeClosed):
        gateway.pay(out_trade_no)
    assert gateway.refunds == {}


def expire_on_the_beat(order) -> int:
    """The expiry as the beat runs it, until ``order`` is taken (a run skips an order
    another task holds locked at that moment). How many orders the runs expired."""
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = 0
    for _attempt in range(50):
        expired += expire_unpaid_orders.delay().get(timeout=TASK_TIMEOUT)
        if Order.objects.filter(pk=order.pk, status=Order.Status.CANCELLED).exists():
            break
        time.sleep(0.2)
    return expired


def test_an_expired_order_has_its_trade_closed_once(celery_worker, waiting, alipay_gateway):
    with wait_for_task_runs(close_called_off_trades) as wait:
        assert expire_on_the_beat(waiting) == 1
        wait(settled(waiting.trade), "the expired order's trade was not closed")
    closed_once(alipay_gateway, waiting.trade)
    assert Payment.objects.get(out_trade_no=waiting.trade).status == Payment.Status.CANCELLED
    # Closed, its trade is no longer asked about by the query for lost notices.
    Payment.objects.filter(out_trade_no=waiting.trade).update(
        created_at=timezone.now() - timedelta(minutes=5))
    assert query_pending_alipay_payments.delay().get(timeout=TASK_TIMEOUT) == 0
    assert [m for m, _ok in alipay_gateway.received].count("alipay.trade.query") == 0


def test_a_cancelled_order_has_its_trade_closed_once(celery_worker, waiting, buyer, gql_as,
                                                    alipay_gateway):
    with wait_for_task_runs(close_called_off_trades) as wait:
        answer = gql_as(buyer).data(CANCEL, {"id": gid("Order", waiting.pk)})["orderCancel"]
        assert answer["errors"] == []
        wait(settled(waiting.trade), "the cancelled order's trade was not closed")
    closed_once(alipay_gateway, waiting.trade)
    # Its cashier, opened again from the tab, says the trade is closed.
    assert "交易已关闭" in urlopen(waiting.cashier_url).read().decode()
    # A Saleor client reading the order sees the payment called off, not still waiting.
    order = gql_as(buyer).data(
        """query($id: ID!) { order(id: $id) { transactions { events { type
           amount { amount } } } } }""", {"id": gid("Order", waiting.pk)})["order"]
    assert order["transactions"] == [{"events": [
        {"type": "CANCEL_SUCCESS", "amount": {"amount": 47.9}}]}]


def test_a_second_cashier_closes_the_one_it_replaces(celery_worker, channel, variant,
                                                     shipping, buyer, alipay_gateway):
    """The checkout's cashier for 20.00, then (the shopper changed their mind) one for the
    whole 47.90: the first is closed, the second stays payable and pays the checkout."""
    gql = GraphQLClient(buyer)
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    checkout_id = gid("Checkout", checkout.token)
    first = gql.data(INIT, {"id": checkout_id, "amount": "20.00"})["transactionInitialize"]
    assert urlopen(first["data"]["url"]).status == 200
    old = first["transaction"]["outTradeNo"]
    with wait_for_task_runs(close_called_off_trades) as wait:
        second = gql.data(INIT, {"id": checkout_id})["transactionInitialize"]
        assert second["errors"] == []
        wait(settled(old), "the replaced cashier's trade was not closed")
    new = second["transaction"]["outTradeNo"]
    assert new != old and alipay_gateway.trades.get(new) is None
    closed_once(alipay_gateway, old)
    assert CheckoutTransaction.objects.get(out_trade_no=old).status == "cancelled"

    # Asking again for the same amount is the same cashier: nothing more to close.
    again = gql.data(INIT, {"id": checkout_id})["transactionInitialize"]
    assert again["transaction"]["outTradeNo"] == new
    assert urlopen(again["data"]["url"]).status == 200
    assert notify(alipay_gateway.pay(new)) == "success"
    assert TradeClosure.objects.count() == 1
    assert alipay_gateway.closes() == 1


def test_a_close_alipay_refused_is_sent_again_on_the_beat(celery_worker, waiting, buyer,
                                                         gql_as, alipay_gateway):
    alipay_gateway.refuse_closes = 1
    with wait_for_task_runs(close_called_off_trades) as wait:
        gql_as(buyer).data(CANCEL, {"id": gid("Order", waiting.pk)})
        wait(lambda: TradeClosure.objects.filter(attempts=1).exists(),
             "the first close was not tried")
    closure = TradeClosure.objects.get(out_trade_no=waiting.trade)
    assert closure.outcome == TradeClosure.Outcome.PENDING
    assert "ACQ.SYSTEM_ERROR" in closure.last_error
    assert alipay_gateway.trades[waiting.trade]["trade_status"] == "WAIT_BUYER_PAY"

    # The beat's run, twice at once: one close made.
    runs = [close_called_off_trades.delay(), close_called_off_trades.delay()]
    assert sum(r.get(timeout=TASK_TIMEOUT) for r in runs) == 1
    assert alipay_gateway.closes(waiting.trade) == 2  # the refused one, and the one made
    assert TradeClosure.objects.get(out_trade_no=waiting.trade).attempts == 2
    assert close_called_off_trades.delay().get(timeout=TASK_TIMEOUT) == 0
    assert alipay_gateway.trades[waiting.trade]["trade_status"] == "TRADE_CLOSED"


def test_a_payment_made_just_before_the_close_is_refunded_not_lost(
        celery_worker, waiting, buyer, gql_as, alipay_gateway):
    """The buyer pays in the cashier still open in a tab at the moment the close reaches
    Alipay, and the payment's notice is lost: Alipay refuses the close (the trade is
    paid), and the shop, having asked Alipay, takes the payment and refunds it; the
    cancelled order stays cancelled. The notice, when it comes after all, changes
    nothing."""
    late = {}
    alipay_gateway.before_close = lambda number: late.setdefault(
        number, alipay_gateway.pay(number))
    with wait_for_task_runs(refund_due_payments) as wait:
        gql_as(buyer).data(CANCEL, {"id": gid("Order", waiting.pk)})
        wait(lambda: f"D{waiting.trade}" in alipay_gateway.refunds
             and not Payment.objects.filter(refund_due_amount__gt=0).exists(),
             "the payment made before the close was not refunded")
    assert outcome(waiting.trade) == TradeClosure.Outcome.PAID
    assert alipay_gateway.closes(waiting.trade) == 1
    assert alipay_gateway.refunds == {f"D{waiting.trade}": {"amount": Decimal("47.90")}}
    order = Order.objects.get(pk=waiting.pk)
    assert order.status == Order.Status.REFUNDED and order.paid_at is None
    assert (order.total_charged_amount, order.total_refunded_amount) == (
        Decimal("47.90"), Decimal("47.90"))
    assert order.events.filter(type=OrderEvent.Type.PAYMENT_AFTER_CANCEL,
                               parameters__source="close").count() == 1

    assert notify(late[waiting.trade]) == "success"
    assert PaymentNotice.objects.get().outcome == PaymentNotice.Outcome.DUPLICATE
    assert close_called_off_trades.delay().get(timeout=TASK_TIMEOUT) == 0
    assert refund_due_payments.delay().get(timeout=TASK_TIMEOUT) == 0
    assert len(alipay_gateway.refunds) == 1 and alipay_gateway.closes() == 1


def test_a_cashier_never_opened_counts_as_closed(celery_worker, channel, variant, shipping,
                                                 buyer, gql_as, alipay_gateway):
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    order = Order.objects.get(number=GraphQLClient(buyer).data(
        """mutation($id: ID!) { checkoutComplete(id: $id) { order { number } } }""",
        {"id": gid("Checkout", checkout.token)})["checkoutComplete"]["order"]["number"])
    trade = start(gql_as, buyer, order, open_cashier=False)["transaction"]["outTradeNo"]
    with wait_for_task_runs(close_called_off_trades) as wait:
        gql_as(buyer).data(CANCEL, {"id": gid("Order", order.pk)})
        wait(settled(trade), "the close was not sent")
    assert outcome(trade) == TradeClosure.Outcome.NOT_OPENED
    assert alipay_gateway.closes(trade) == 1 and trade not in alipay_gateway.trades
    assert close_called_off_trades.delay().get(timeout=TASK_TIMEOUT) == 0
    assert alipay_gateway.closes(trade) == 1
