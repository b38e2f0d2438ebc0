"""Calling off the cashiers the shop no longer takes money through: the pending payments
of an order cancelled, expired or paid, and a payment a newer cashier replaced. Each is
marked cancelled and its trade is queued to be closed at Alipay after the commit
(``shop.services.closing``), in the caller's transaction.

A payment called off may still be paid in the moment before Alipay closes it: a
cancelled payment is charged by its notice like a pending one, and what its order or
checkout does not need goes back to the buyer."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from .. import outbox
from ..models import Order, Payment
from ..transactions import CheckoutTransaction, TradeClosure


def request_close(out_trade_nos: Iterable[str]) -> None:
    """Have these trades closed at Alipay after the commit, each once."""
    numbers = sorted(set(out_trade_nos))
    if not numbers:
        return
    TradeClosure.objects.bulk_create([TradeClosure(out_trade_no=n) for n in numbers],
                                     ignore_conflicts=True)
    outbox.enqueue("shop.tasks.close_called_off_trades")


def call_off_payments(payments: QuerySet[Payment]) -> list[str]:
    """Cancel the pending payments among ``payments``; returns their trade numbers."""
    pending = payments.select_for_update().filter(status=Payment.Status.PENDING)
    numbers = list(pending.values_list("out_trade_no", flat=True))
    if numbers:
        Payment.objects.filter(out_trade_no__in=numbers).update(
            status=Payment.Status.CANCELLED)
        request_close(numbers)
    return numbers


def call_off_transactions(transactions: QuerySet[CheckoutTransaction]) -> list[str]:
    """Cancel the pending checkout transactions among ``transactions``."""
    pending = transactions.select_for_update().filter(
        status=CheckoutTransaction.Status.PENDING)
    numbers = list(pending.values_list("out_trade_no", flat=True))
    if numbers:
        CheckoutTransaction.objects.filter(out_trade_no__in=numbers).update(
            status=CheckoutTransaction.Status.CANCELLED)
        request_close(numbers)
    return numbers


def call_off_order_cashiers(order: Order, *, keep: str = "") -> list[str]:
    """Every cashier still open for ``order`` (its own payments and the checkout
    transactions it took over), but the trade ``keep``."""
    return (call_off_payments(order.payments.exclude(out_trade_no=keep))
            + call_off_transactions(CheckoutTransaction.objects.filter(order=order)
                                    .exclude(out_trade_no=keep)))
