"""Paying a checkout before it becomes an order (Saleor's transaction flow).

``initialize`` opens a ``CheckoutTransaction`` for the checkout's total and returns
Alipay's cashier URL; Alipay's verified notice (``shop.services.payments`` hands notices
whose out_trade_no is no order payment's to ``claim_notice``) charges it, and the
checkout's charge status turns FULL; ``complete_checkout`` then places the order and
records the transaction as the order's charged payment, so the order is paid at once. A
notice that arrives after the checkout was completed pays the order it became.

The order-first flow (``start_payment`` on an order) is unchanged beside this one.

A checkout paid but never completed keeps nobody's goods: as Saleor releases the funds of
abandoned checkouts, ``release_abandoned_payments`` refunds a charged transaction whose
checkout has not become an order, nor changed, for ``CHECKOUT_FUNDS_RELEASE_HOURS``
(refund number ``D`` and its trade number, so a retry or a second run refunds once)."""

from __future__ import annotations

import logging
import secrets
import types
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import alipay, outbox
from ..error_codes import TransactionInitializeErrorCode
from ..errors import field_error
from ..models import Checkout, Order, Payment, PaymentNotice
from ..money import money
from ..transactions import CheckoutTransaction
from .cashiers import call_off_transactions
from .checkout import checkout_totals
from .orders import complete_checkout as place_order
from .payments import SUPPORTED_GATEWAYS, confirm_payment, gateway_unavailable, notice_claimers

logger = logging.getLogger("shop.payments")
NONE, PARTIAL, FULL, OVERCHARGED = "NONE", "PARTIAL", "FULL", "OVERCHARGED"
# The first key of the advisory lock one checkout transaction's release is sent under.
RELEASE_LOCK_SPACE = 7302


class PaymentAtCashier(ValidationError):
    """Completing a checkout whose payment (``legacy_payments``) still waits at the cashier."""


def checkout_transactions(checkout) -> list[CheckoutTransaction]:
    return list(CheckoutTransaction.objects.filter(checkout_token=checkout.token))


def charged_amount(checkout) -> Decimal:
    """What the checkout's transactions charged and the shop keeps (not what went back)."""
    return money(sum((t.charged_amount for t in checkout_transactions(checkout)
                      if t.status == CheckoutTransaction.Status.CHARGED), Decimal(0)))


def charge_status(checkout, total: Decimal | None = None) -> str:
    """Saleor's CheckoutChargeStatusEnum value: how much of the total has been charged."""
    total = checkout_totals(checkout)["total"] if total is None else total
    charged = charged_amount(checkout)
    if charged <= 0:
        return FULL if total <= 0 and checkout_transactions(checkout) else NONE
    if charged < total:
        return PARTIAL
    return FULL if charged == total else OVERCHARGED


def authorize_status(checkout, total: Decimal | None = None) -> str:
    """Alipay charges at once (no separate authorisation): what is charged is authorised."""
    status = charge_status(checkout, total)
    return FULL if status == OVERCHARGED else status


@transaction.atomic
def initialize(checkout: Checkout, gateway: str = "alipay", *, amount: Decimal | None = None,
               device: str = "PC", return_url: str = "") -> tuple[CheckoutTransaction, str]:
    """Open a payment for what the checkout still owes (or ``amount``), once per pending
    amount: asking again returns the same transaction with a fresh cashier URL."""
    if gateway not in SUPPORTED_GATEWAYS:
        raise field_error("payment_gateway", _("The payment gateway %(gateway)s is not available.")
                          % {"gateway": gateway}, TransactionInitializeErrorCode.NOT_FOUND.value)
    checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
    totals = checkout_totals(checkout)
    owed = money(totals["total"] - charged_amount(checkout))
    amount = owed if amount is None else money(amount)
    if amount <= 0 or amount > owed:
        raise field_error("amount", _("Nothing is left to pay on this checkout.") if owed <= 0
                          else _("The amount is more than the checkout still owes."),
                          TransactionInitializeErrorCode.INVALID.value)
    txn = CheckoutTransaction.objects.filter(
        checkout_token=checkout.token, gateway=gateway, amount=amount,
        status=CheckoutTransaction.Status.PENDING).first()
    if txn is None:
        # A new cashier replaces the checkout's others (opened for an amount the cart no
        # longer comes to, or another part): their trades are closed at Alipay.
        call_off_transactions(CheckoutTransaction.objects.filter(
            checkout_token=checkout.token, order__isnull=True))
        txn = CheckoutTransaction.objects.create(
            checkout_token=checkout.token, gateway=gateway, amount=amount,
            currency=totals["currency"],
            out_trade_no=f"C{timezone.now():%y%m%d%H%M%S}{secrets.randbelow(10**8):08d}")
    # The cashier shows a subject and an expiry; a checkout has no order number yet.
    subject = types.SimpleNamespace(number=str(checkout.token)[:8], expires_at=None)
    try:
        url = alipay.trade_pay_url(txn, subject, device=device, return_url=return_url)
    except alipay.AlipayNotConfigured as error:
        raise gateway_unavailable(error, TransactionInitializeErrorCode.INVALID.value) from error
    return txn, url


def _pay_order(order: Order, txn: CheckoutTransaction, source: str) -> None:
    """Record a charged checkout transaction as the order's payment (the order is paid)."""
    payment, _created = Payment.objects.get_or_create(
        out_trade_no=txn.out_trade_no,
        defaults={"order": order, "gateway": txn.gateway, "amount": txn.charged_amount,
                  "currency": txn.currency})
    confirm_payment(payment, trade_no=txn.psp_reference, amount=txn.charged_amount,
                    buyer=txn.buyer_logon_id, source=source)


def claim_notice(params: dict) -> str | None:
    """A verified Alipay notice for a checkout transaction: charge it, exactly once. A
    transaction called off (a newer cashier, its order cancelled) whose cashier was paid
    all the same is charged too: its order refunds what it does not need, and one whose
    checkout is gone without it (completed or deleted) is refunded at once."""
    out_trade_no = params.get("out_trade_no", "")
    with transaction.atomic():
        known = CheckoutTransaction.objects.filter(out_trade_no=out_trade_no).values(
            "order_id").first()
        if known is None:
            return None
        if known["order_id"] is not None:
            # The order's row first, as cancelling it takes it before its transactions.
            Order.objects.select_for_update().filter(pk=known["order_id"]).first()
        txn = CheckoutTransaction.objects.select_for_update().get(out_trade_no=out_trade_no)
        record = {"notify_id": params.get("notify_id", ""), "out_trade_no": out_trade_no,
                  "payload": params}
        try:
            amount = money(params.get("total_amount", ""))
        except ArithmeticError:
            amount = None
        if amount != txn.amount:
            PaymentNotice.objects.create(outcome=PaymentNotice.Outcome.REJECTED,
                                         reason="amount_mismatch", **record)
            return PaymentNotice.Outcome.REJECTED
        status = params.get("trade_status", "")
        if status not in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            PaymentNotice.objects.create(outcome=PaymentNotice.Outcome.IGNORED,
                                         reason=status.lower(), **record)
            return PaymentNotice.Outcome.IGNORED
        if txn.status not in (CheckoutTransaction.Status.PENDING,
                              CheckoutTransaction.Status.CANCELLED):
            PaymentNotice.objects.create(outcome=PaymentNotice.Outcome.DUPLICATE,
                                         reason="already_processed", **record)
            return PaymentNotice.Outcome.DUPLICATE
        orphan = (txn.status == CheckoutTransaction.Status.CANCELLED and txn.order_id is None
                  and not Checkout.objects.filter(token=txn.checkout_token).exists())
        txn.status = CheckoutTransaction.Status.REFUNDING if orphan \
            else CheckoutTransaction.Status.CHARGED
        txn.charged_amount = amount
        txn.psp_reference = params.get("trade_no", "")[:64]
        txn.buyer_logon_id = params.get("buyer_logon_id", "")[:100]
        txn.charged_at = timezone.now()
        txn.save()
        PaymentNotice.objects.create(outcome=PaymentNotice.Outcome.ACCEPTED, **record)
        if orphan:
            outbox.enqueue("shop.tasks.release_abandoned_checkout_payments")
        elif txn.order_id is not None:
            _pay_order(txn.order, txn, "notice")
    return PaymentNotice.Outcome.ACCEPTED


def process(txn: CheckoutTransaction) -> CheckoutTransaction:
    """Saleor's transactionProcess: ask Alipay about a pending transaction whose notice
    has not come (the buyer is back from the cashier first); a paid trade is charged as
    its notice would have charged it."""
    if txn.status != CheckoutTransaction.Status.PENDING:
        return txn
    try:
        trade = alipay.query_trade(txn.out_trade_no)
    except (alipay.AlipayError, alipay.AlipayNotConfigured):
        return txn
    if trade.get("trade_status") in ("TRADE_SUCCESS", "TRADE_FINISHED"):
        claim_notice({"out_trade_no": txn.out_trade_no, "trade_no": trade.get("trade_no", ""),
                      "total_amount": trade.get("total_amount", ""),
                      "trade_status": trade["trade_status"],
                      "buyer_logon_id": trade.get("buyer_logon_id", "")})
        txn.refresh_from_db()
    return txn


def complete_checkout(token, user=None, *, visible=None, savepoint: bool = True,
                      gated=None) -> Order:
    """Place the order (``shop.services.orders.complete_checkout``, ``visible``,
    ``savepoint`` and ``gated`` as there) and pay it with the checkout's charged
    transactions; without any, the order waits for payment as before. A payment made by
    checkoutPaymentCreate and not yet paid places no order: ``PaymentAtCashier``."""
    paid = []

    def attach_transactions(order):
        # Before the stock is taken, so that the hot stock row's lock is the last thing
        # the transaction takes.
        # Not a transaction whose money is going back (abandoned, then completed after all).
        pending = list(CheckoutTransaction.objects.select_for_update().filter(
            checkout_token=order.checkout_token, order__isnull=True,
            status__in=[CheckoutTransaction.Status.PENDING, CheckoutTransaction.Status.CHARGED]))
        if any(t.confirm_before_order and t.status == CheckoutTransaction.Status.PENDING
               for t in pending):
            # checkoutPaymentCreate's payment is not paid yet: no order (the caller's
            # transaction is rolled back), the buyer is sent to its cashier.
            raise PaymentAtCashier(_("This checkout's payment is waiting at Alipay's cashier: "
                                     "pay it there first."), code="checkout_not_fully_paid")
        # All attached first: once the charged ones pay the order, the cashiers still
        # pending are the order's, and are called off with its others.
        for txn in pending:
            txn.order = order
            txn.save(update_fields=["order"])
        for txn in pending:
            if txn.status == CheckoutTransaction.Status.CHARGED:
                _pay_order(order, txn, "checkout")
                paid.append(txn)

    order = place_order(token, user, visible=visible, on_placed=attach_transactions,
                        savepoint=savepoint, gated=gated)
    if paid:
        order.refresh_from_db()
    return order


def release_abandoned_payments(limit: int = 100) -> int:
    """Refund the charged transactions of checkouts that did not become an order and were
    not changed for ``CHECKOUT_FUNDS_RELEASE_HOURS`` after the charge, and those whose
    refund failed before. Returns how many this run refunded."""
    cutoff = timezone.now() - timedelta(hours=settings.CHECKOUT_FUNDS_RELEASE_HOURS)
    touched = Checkout.objects.filter(token=OuterRef("checkout_token"), updated_at__gt=cutoff)
    Status = CheckoutTransaction.Status
    due = (CheckoutTransaction.objects.filter(order__isnull=True)
           .filter(Q(status=Status.CHARGED, charged_at__lte=cutoff) & ~Exists(touched)
                   | Q(status=Status.REFUNDING)).order_by("pk").values_list("pk", flat=True))
    return sum(_release(pk) for pk in list(due[:limit]))


def _release(pk: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [RELEASE_LOCK_SPACE, pk])
        if not cursor.fetchone()[0]:
            return 0  # another run is sending this one
    try:
        with transaction.atomic():
            # Locked against checkoutComplete, which attaches the checkout's transactions to
            # its order: once marked here, the order does not count this one as paid.
            txn = CheckoutTransaction.objects.select_for_update().filter(
                pk=pk, order__isnull=True, status__in=[CheckoutTransaction.Status.CHARGED,
                                                       CheckoutTransaction.Status.REFUNDING]
            ).first()
            if txn is None:
                return 0
            txn.status = CheckoutTransaction.Status.REFUNDING
            txn.save(update_fields=["status"])
        try:
            alipay.refund_trade(txn.out_trade_no, txn.charged_amount,
                                _("Checkout not completed: the payment goes back to the buyer"),
                                f"D{txn.out_trade_no}")
        except alipay.AlipayError as error:
            logger.warning("Refund of abandoned checkout payment %s failed; retried later: %s",
                           txn.out_trade_no, error)
            return 0
        CheckoutTransaction.objects.filter(pk=pk, status=CheckoutTransaction.Status.REFUNDING
                                           ).update(status=CheckoutTransaction.Status.REFUNDED)
        return 1
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RELEASE_LOCK_SPACE, pk])


if claim_notice not in notice_claimers:
    notice_claimers.append(claim_notice)
