"""An order that expires with a part paid gets that part back at Alipay, from the real
Celery worker: once, whether the expiry task runs twice or twice at once, and after the
gateway refused the refund or lost its answer (the beat's retry sends it again under the
same refund number, which the gateway refunds at most once). A notice that arrives after
the expiry is refunded too: the order is not revived, its stock went back on sale."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from shop.models import Order, OrderEvent, Payment, Refund, Stock, User
from shop.tasks import expire_unpaid_orders, refund_due_payments
from tests.background import TASK_TIMEOUT, wait_for_task_runs
from tests.clients import GraphQLClient
from tests.factories import ready_checkout
from tests.payments import notify, partly_paid_order, start

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def buyer(db):
    return User.objects.create_user("li@example.com", "a-Strong-pass-123")


@pytest.fixture
def part_paid(channel, variant, shipping, buyer, alipay_gateway):
    """47.90, of which 20.00 charged; its time to pay has passed."""
    checkout = ready_checkout(channel, variant, shipping, user=buyer, email=buyer.email)
    order = partly_paid_order(GraphQLClient(buyer), checkout, alipay_gateway)
    return order


def overdue(order):
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))


def part_trade(order) -> str:
    return order.payments.get(status__in=["charged", "refunded"]).out_trade_no


def refunded_once(order, gateway, out_trade_no, amount="20.00"):
    order.refresh_from_db()
    amount = Decimal(amount)
    assert gateway.refunds == {f"D{out_trade_no}": {"amount": amount}}
    assert gateway.trades[out_trade_no]["refunded"] == amount
    payment = Payment.objects.get(out_trade_no=out_trade_no)
    assert (payment.status, payment.refunded_amount, payment.refund_due_amount) == (
        Payment.Status.REFUNDED, amount, 0)
    assert list(Refund.objects.values_list("out_request_no", "amount", "status")) == [
        (f"D{out_trade_no}", amount, "success")]
    assert order.events.filter(type=OrderEvent.Type.REFUNDED).count() == 1
    return order


def expire_on_the_beat(order) -> int:
    """Run the expiry as the beat does until ``order`` is expired: a run skips an order
    whose row another task holds locked at that moment (a task the payment queued may
    still be on the worker), and the next run takes it. How many orders the runs expired
    in all (exactly one, when nothing expires it twice)."""
    expired = 0
    for _attempt in range(50):
        expired += expire_unpaid_orders.delay().get(timeout=TASK_TIMEOUT)
        if Order.objects.filter(pk=order.pk, status=Order.Status.CANCELLED).exists():
            break
        time.sleep(0.2)
    return expired


def settled():
    return not Payment.objects.filter(refund_due_amount__gt=0).exists()


def test_expiry_refunds_the_part_paid_once_however_often_it_runs(celery_worker, part_paid,
                                                                 alipay_gateway):
    out_trade_no = part_trade(part_paid)
    overdue(part_paid)
    with wait_for_task_runs(refund_due_payments) as wait:
        assert expire_on_the_beat(part_paid) == 1
        assert expire_unpaid_orders.delay().get(timeout=TASK_TIMEOUT) == 0
        wait(settled, "the part paid was not refunded")
    assert refund_due_payments.delay().get(timeout=TASK_TIMEOUT) == 0
    order = refunded_once(part_paid, alipay_gateway, out_trade_no)
    assert order.status == Order.Status.REFUNDED and order.paid_at is None
    assert order.total_refunded_amount == Decimal("20.00")
    expired = order.events.get(type=OrderEvent.Type.EXPIRED)
    assert expired.parameters["refund_due"] == "20.00"
    assert Stock.objects.get(product_variant__sku="mianchi-shibing-1").quantity_allocated == 0


def test_two_expiry_runs_and_two_refund_runs_at_once_refund_once(celery_worker, part_paid,
                                                                 alipay_gateway):
    out_trade_no = part_trade(part_paid)
    overdue(part_paid)
    # Each refund call waits at the gateway, so that the runs below overlap there.
    alipay_gateway.refund_delay = 0.5
    with wait_for_task_runs(refund_due_payments) as wait:
        expiries = [expire_unpaid_orders.delay(), expire_unpaid_orders.delay()]
        expired = sum(r.get(timeout=TASK_TIMEOUT) for r in expiries)
        assert expired <= 1
        assert expired + (0 if expired else expire_on_the_beat(part_paid)) == 1
        refunds = [refund_due_payments.delay(), refund_due_payments.delay()]
        assert sum(r.get(timeout=TASK_TIMEOUT) for r in refunds) <= 1
        wait(settled, "the part paid was not refunded")
    order = refunded_once(part_paid, alipay_gateway, out_trade_no)
    assert order.total_refunded_amount == Decimal("20.00")
    assert ("alipay.trade.refund", True) in alipay_gateway.received


@pytest.mark.parametrize("trouble", ["refused", "answer_lost"])
def test_a_failed_refund_is_retried_under_the_same_number(trouble, celery_worker, part_paid,
                                                          alipay_gateway):
    out_trade_no = part_trade(part_paid)
    overdue(part_paid)
    if trouble == "refused":
        alipay_gateway.refuse_refunds = 1
    else:  # made at the gateway, its answer never reaches the shop
        alipay_gateway.lose_refund_answers = 1
    with wait_for_task_runs(refund_due_payments) as wait:
        assert expire_on_the_beat(part_paid) == 1
        wait(lambda: Refund.objects.filter(status="failed").exists(),
             "the first refund attempt did not run")
    failed = Refund.objects.get()
    assert failed.out_request_no == f"D{out_trade_no}" and failed.gateway_message
    assert Payment.objects.get(out_trade_no=out_trade_no).refund_due_amount == Decimal("20.00")
    assert part_paid.events.filter(type=OrderEvent.Type.REFUND_FAILED).count() == 1

    # The beat's run: the same refund number, refunded once at the gateway either way.
    assert refund_due_payments.delay().get(timeout=TASK_TIMEOUT) == 1
    assert refund_due_payments.delay().get(timeout=TASK_TIMEOUT) == 0
    order = refunded_once(part_paid, alipay_gateway, out_trade_no)
    assert order.total_refunded_amount == Decimal("20.00")
    assert [m for m, _ok in alipay_gateway.received].count("alipay.trade.refund") == 2


def test_a_notice_after_the_expiry_is_refunded_and_the_order_stays_off(
        celery_worker, part_paid, buyer, gql_as, alipay_gateway):
    part = part_trade(part_paid)
    balance = start(gql_as, buyer, part_paid)["transaction"]["outTradeNo"]
    # The buyer paid the balance just before the cashier closed; its notice is late.
    late = alipay_gateway.pay(balance)
    overdue(part_paid)
    with wait_for_task_runs(refund_due_payments) as wait:
        assert expire_on_the_beat(part_paid) == 1
        wait(settled)
        assert notify(late) == "success"
        wait(lambda: settled() and len(alipay_gateway.refunds) == 2,
             "the late payment was not refunded")
    order = Order.objects.get(pk=part_paid.pk)
    assert order.status == Order.Status.REFUNDED and order.paid_at is None
    assert (order.total_charged_amount, order.total_refunded_amount) == (
        Decimal("47.90"), Decimal("47.90"))
    assert alipay_gateway.refunds == {f"D{part}": {"amount": Decimal("20.00")},
                                      f"D{balance}": {"amount": Decimal("27.90")}}
    assert order.events.filter(type=OrderEvent.Type.PAYMENT_AFTER_CANCEL).count() == 1
    assert not order.events.filter(type=OrderEvent.Type.PAID).exists()
    assert Stock.objects.get(product_variant__sku="mianchi-shibing-1").quantity_allocated == 0
