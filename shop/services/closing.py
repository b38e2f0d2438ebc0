"""Closing at Alipay the trades of payments called off (``shop.services.cashiers``), so
that a cashier left open in a tab can no longer take the buyer's money.

``close_called_off_trades`` runs after the commit that called a payment off and on the
beat for the closes that failed. Each trade is closed once: a run takes it under an
advisory lock and reads it again, and a trade settled meanwhile is not sent again.
Alipay's answers:

* closed: done;
* ``ACQ.TRADE_NOT_EXIST``: the buyer never opened the cashier, nothing can be paid there
  (a cashier opened later is still refused after the order's time to pay, and its
  payment would be refunded like any late one);
* ``ACQ.TRADE_STATUS_ERROR``: the trade is no longer waiting. ``alipay.trade.query``
  tells whether it was closed already (a close whose answer was lost) or paid: a paid
  trade is charged as its notice would charge it, so its money takes the way of a late
  payment (kept if its order or checkout still needs it, else refunded);
* anything else (Alipay busy, unreachable, not configured): tried again on the beat,
  for ``ALIPAY_CLOSE_RETRY_HOURS``."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone

from .. import alipay
from ..models import Payment
from ..money import money
from ..transactions import CheckoutTransaction, TradeClosure
from .payments import confirm_payment
from .transactions import claim_notice

logger = logging.getLogger("shop.payments")
# The first key of the advisory lock one trade's close is sent under.
CLOSE_LOCK_SPACE = 7303
PAID = ("TRADE_SUCCESS", "TRADE_FINISHED")


def close_called_off_trades(limit: int = 100) -> int:
    """Close the trades waiting to be closed (asked within ``ALIPAY_CLOSE_RETRY_HOURS``);
    returns how many this run settled (closed, never opened, or found paid)."""
    since = timezone.now() - timedelta(hours=settings.ALIPAY_CLOSE_RETRY_HOURS)
    due = (TradeClosure.objects.filter(outcome=TradeClosure.Outcome.PENDING,
                                       requested_at__gte=since)
           .order_by("pk").values_list("pk", flat=True))
    return sum(_close(pk) for pk in list(due[:limit]))


def _close(pk: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [CLOSE_LOCK_SPACE, pk])
        if not cursor.fetchone()[0]:
            return 0  # another run is closing this one
    try:
        closure = TradeClosure.objects.filter(pk=pk, outcome=TradeClosure.Outcome.PENDING).first()
        if closure is None:
            return 0
        payment = Payment.objects.filter(out_trade_no=closure.out_trade_no).first()
        txn = CheckoutTransaction.objects.filter(out_trade_no=closure.out_trade_no).first()
        record = payment or txn
        called_off = (Payment.Status.CANCELLED, CheckoutTransaction.Status.CANCELLED)
        if record is None or record.status not in called_off or record.charged_amount > 0:
            # Its notice came first and charged it: there is nothing to close.
            return _settle(closure, TradeClosure.Outcome.PAID)
        return _send(closure, payment, txn)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [CLOSE_LOCK_SPACE, pk])


def _send(closure: TradeClosure, payment: Payment | None,
          txn: CheckoutTransaction | None) -> int:
    TradeClosure.objects.filter(pk=closure.pk).update(attempts=F("attempts") + 1)
    try:
        alipay.close_trade(closure.out_trade_no)
    except alipay.AlipayError as error:
        if error.sub_code == "ACQ.TRADE_NOT_EXIST":
            return _settle(closure, TradeClosure.Outcome.NOT_OPENED)
        if error.sub_code not in alipay.TRADE_STATUS_ERRORS:
            return _failed(closure, str(error))
    else:
        return _settle(closure, TradeClosure.Outcome.CLOSED)
    # Paid, or closed by an earlier close whose answer was lost: Alipay's query tells.
    try:
        trade = alipay.query_trade(closure.out_trade_no)
    except alipay.AlipayError as error:
        return _failed(closure, str(error))
    status = trade.get("trade_status", "")
    if not trade or status == "TRADE_CLOSED":
        return _settle(closure, TradeClosure.Outcome.CLOSED)
    if status not in PAID:
        return _failed(closure, f"trade {status}")
    if payment is not None:
        if money(trade.get("total_amount", "0")) != payment.amount:
            return _failed(closure, "amount mismatch")
        confirm_payment(payment, trade_no=trade.get("trade_no", ""), amount=payment.amount,
                        buyer=trade.get("buyer_logon_id", ""), source="close")
    else:
        claim_notice({"out_trade_no": txn.out_trade_no, "trade_no": trade.get("trade_no", ""),
                      "total_amount": trade.get("total_amount", ""), "trade_status": status,
                      "buyer_logon_id": trade.get("buyer_logon_id", "")})
    logger.warning("Trade %s was paid before it could be closed; its money goes where "
                   "its order needs it, or back", closure.out_trade_no)
    return _settle(closure, TradeClosure.Outcome.PAID)


def _settle(closure: TradeClosure, outcome: str) -> int:
    TradeClosure.objects.filter(pk=closure.pk, outcome=TradeClosure.Outcome.PENDING).update(
        outcome=outcome, closed_at=timezone.now())
    return 1


def _failed(closure: TradeClosure, message: str) -> int:
    TradeClosure.objects.filter(pk=closure.pk).update(last_error=message[:255])
    logger.warning("Closing trade %s at Alipay failed; tried again later: %s",
                   closure.out_trade_no, message)
    return 0
