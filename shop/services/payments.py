"""Payments through Alipay (the client is ``shop.alipay``): starting one, its notices,
querying trades whose notice never came, and refunds. An order is charged exactly once.

An order may be charged in parts (a checkout paid in part through Saleor's
``transactionInitialize`` with an amount): it stays unpaid, and ``start_payment`` charges
exactly its balance. Whatever arrives beyond what an order still needs (a second tab's
payment, a payment of an order cancelled or expired meanwhile) is refunded at the
gateway, as a shop does: the order is not revived, since its stock went back on sale.
``refund_due_payments`` sends those refunds under one refund number per payment, so a
retry after a gateway failure, a second run or a concurrent one refunds once."""

from __future__ import annotations

import logging
import secrets
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import alipay, outbox, validators
from ..error_codes import OrderErrorCode, PaymentErrorCode
from ..errors import field_error
from ..models import Allocation, Order, OrderEvent, OrderLine, Payment, PaymentNotice, Refund
from ..money import money
from ..signals import order_lines_cancelled
from ..transactions import TradeClosure
from .cashiers import call_off_order_cashiers
from .orders import locked_order, queue_order_notification, record_event
from .stock import deallocate_order_stock

logger = logging.getLogger("shop.payments")
SUPPORTED_GATEWAYS = {"alipay"}
# Callables ``(params) -> outcome | None`` that may claim a verified notice whose
# out_trade_no is no order payment's (payments opened on a checkout, before its order
# exists: ``shop.services.transactions``). ``None`` means "not mine".
notice_claimers: list = []
# The first key of the PostgreSQL advisory lock that serialises one order's refunds.
REFUND_LOCK_SPACE = 7301
REFUNDABLE = (Payment.Status.CHARGED, Payment.Status.PARTIALLY_REFUNDED)


def balance(order: Order) -> Decimal:
    """What the buyer still owes on ``order``: its total less what was charged and kept."""
    kept = order.total_charged_amount - order.total_refunded_amount
    return money(max(order.total_amount - kept, Decimal(0)))


@transaction.atomic
def start_payment(order: Order, gateway: str = "alipay", *, device: str = "PC",
                  return_url: str = "", quit_url: str = "", user=None,
                  amount: Decimal | None = None) -> tuple[Payment, str]:
    """Start paying ``order`` (Saleor's ``transactionInitialize``): one pending payment per
    order and gateway for exactly its balance (the total, or what is left after a part
    was charged), and the signed URL that takes the buyer to Alipay's cashier.
    ``amount``, when given, must be that balance."""
    if gateway not in SUPPORTED_GATEWAYS:
        raise field_error("payment_gateway", _("The payment gateway %(gateway)s is not available.")
                          % {"gateway": gateway}, PaymentErrorCode.NOT_SUPPORTED_GATEWAY.value)
    order = locked_order(order)
    owed = balance(order)
    if order.status != Order.Status.UNPAID or owed <= 0:
        raise field_error("id", _("This order does not need a payment."),
                          PaymentErrorCode.INVALID.value)
    if order.expires_at and order.expires_at <= timezone.now():
        raise field_error("id", _("The time to pay this order has passed."),
                          PaymentErrorCode.INVALID.value)
    if amount is not None and money(amount) != owed:
        raise field_error("amount", _("Pay the balance of this order: %(balance)s."),
                          PaymentErrorCode.INVALID.value, balance=str(owed))
    pending = order.payments.select_for_update().filter(gateway=gateway,
                                                        status=Payment.Status.PENDING)
    payment = next((p for p in pending if p.amount == owed), None)
    # Any other cashier open for this order (one for another amount, before a part was
    # charged; a checkout's transaction the order took over) is no longer offered: its
    # trade is closed at Alipay, and should it be paid first, its notice refunds what
    # the order does not need.
    call_off_order_cashiers(order, keep=payment.out_trade_no if payment else "")
    if payment is None:
        payment = Payment.objects.create(order=order, gateway=gateway, amount=owed,
                                         currency=order.currency,
                                         out_trade_no=f"{order.number}{secrets.randbelow(10**6):06d}")
        message = _("Payment of the balance started with Alipay.") \
            if owed < order.total_amount else _("Payment started with Alipay.")
        record_event(order, OrderEvent.Type.PAYMENT_STARTED, user=user, message=message,
                     payment=payment.pk, amount=str(owed))
    try:
        url = alipay.trade_pay_url(payment, order, device=device, return_url=return_url,
                                   quit_url=quit_url)
    except alipay.AlipayNotConfigured as error:
        raise gateway_unavailable(error, PaymentErrorCode.PAYMENT_ERROR.value) from error
    return payment, url


def gateway_unavailable(error: Exception, code: str):
    """The shopper's error when Alipay's keys or settings are missing: a plain "try again
    later" (the cause means nothing to a shopper and tells strangers how the shop is set
    up), while the operator reads the cause in the log, in ``manage.py check`` and in the
    admin (``configuration_problems``)."""
    logger.error("Alipay cannot take payments: %s", error,
                 extra={"alipay_problems": configuration_problems()})
    return field_error("payment_gateway", _("Alipay payment is temporarily unavailable. "
                                            "Please try again later."), code)


def configuration_problems() -> list[str]:
    """What keeps Alipay from taking payments, for the operator (empty when nothing does):
    the same conditions as ``shop.alipay.client``, read without generating any key."""
    problems = []
    if not settings.ALIPAY_APP_ID:
        problems.append(_("ALIPAY_APP_ID is not set: Alipay cannot take payments. Set it to "
                          "the application's ID from Alipay's open platform."))
    if not alipay.alipay_public_key():
        problems.append(_("Alipay's public key is missing: Alipay cannot take payments. Set "
                          "ALIPAY_PUBLIC_KEY or ALIPAY_PUBLIC_KEY_PATH."))
    return problems


# The fields of Alipay's asynchronous trade notice; only these are kept, each cut to a
# length no real value reaches (lists of funds or vouchers are JSON and may be longer).
NOTICE_FIELDS = (
    "notify_time", "notify_type", "notify_id", "app_id", "auth_app_id", "merchant_app_id",
    "charset", "version", "sign_type", "sign", "trade_no", "out_trade_no", "out_biz_no",
    "buyer_id", "buyer_open_id", "buyer_logon_id", "seller_id", "seller_email",
    "trade_status", "total_amount", "receipt_amount", "invoice_amount", "buyer_pay_amount",
    "point_amount", "refund_fee", "subject", "body", "gmt_create", "gmt_payment",
    "gmt_refund", "gmt_close", "fund_bill_list", "voucher_detail_list", "passback_params",
)
NOTICE_FIELD_MAX = 256
NOTICE_LONG_FIELDS = {"sign": 1024, "fund_bill_list": 2048, "voucher_detail_list": 2048,
                      "passback_params": 512, "body": 512}


def notice_record(params: dict) -> dict:
    """What is stored of a notice: Alipay's own fields, each within its cap."""
    return {key: params[key][:NOTICE_LONG_FIELDS.get(key, NOTICE_FIELD_MAX)]
            for key in NOTICE_FIELDS if key in params}


def _record_notice(params: dict, outcome: str, reason: str, out_trade_no: str):
    PaymentNotice.objects.create(notify_id=params.get("notify_id", "")[:128],
                                 out_trade_no=out_trade_no[:64], outcome=outcome,
                                 reason=reason[:64], payload=notice_record(params))


def _reject_notice(params: dict, reason: str, out_trade_no: str = "") -> str:
    _record_notice(params, PaymentNotice.Outcome.REJECTED, reason, out_trade_no)
    logger.warning("Alipay notice rejected (%s): out_trade_no=%s notify_id=%s", reason,
                   out_trade_no[:64], params.get("notify_id", "")[:128])
    return PaymentNotice.Outcome.REJECTED


def handle_alipay_notice(params: dict) -> str:
    """Process an asynchronous payment notice; returns the outcome.

    Checked in order: the RSA2 signature (Alipay's public key), our ``app_id``, a known
    ``out_trade_no``, ``total_amount`` equal to the payment, ``trade_status``. A notice
    for a payment already charged is a replay: it changes nothing."""
    params = {k: str(v) for k, v in params.items()}
    out_trade_no = params.get("out_trade_no", "")
    if not alipay.verify_notice(params):
        return _reject_notice(params, "bad_signature", out_trade_no)
    if params.get("app_id") != settings.ALIPAY_APP_ID:
        return _reject_notice(params, "wrong_app_id", out_trade_no)
    payment = Payment.objects.filter(out_trade_no=out_trade_no, gateway="alipay").first()
    if payment is None:
        for claim in notice_claimers:
            outcome = claim(params)
            if outcome is not None:
                return outcome
        return _reject_notice(params, "unknown_out_trade_no", out_trade_no)
    try:
        amount = money(params.get("total_amount", ""))
    except ArithmeticError:
        return _reject_notice(params, "bad_amount", out_trade_no)
    if amount != payment.amount:
        return _reject_notice(params, "amount_mismatch", out_trade_no)
    status = params.get("trade_status", "")
    if status not in ("TRADE_SUCCESS", "TRADE_FINISHED"):
        _record_notice(params, PaymentNotice.Outcome.IGNORED, status.lower(), out_trade_no)
        return PaymentNotice.Outcome.IGNORED
    charged = confirm_payment(payment, trade_no=params.get("trade_no", ""), amount=amount,
                              buyer=params.get("buyer_logon_id", ""), source="notice")
    outcome = PaymentNotice.Outcome.ACCEPTED if charged else PaymentNotice.Outcome.DUPLICATE
    _record_notice(params, outcome, "" if charged else "already_processed", out_trade_no)
    if not charged:
        logger.info("Alipay notice for %s already processed; nothing changed", out_trade_no)
    return outcome


def confirm_payment(payment: Payment, *, trade_no: str, amount: Decimal, buyer: str = "",
                    source: str) -> bool:
    """Mark the payment charged and its order paid once the sum charged reaches its total,
    exactly once; ``False`` when it already was. What the order does not need (all of a
    payment for an order cancelled or paid meanwhile, the part beyond its balance) is
    owed back: refunded at the gateway after the commit, not reviving the order."""
    with transaction.atomic():
        order = locked_order(payment.order)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.charged_amount > 0 or payment.status not in (Payment.Status.PENDING,
                                                                 Payment.Status.CANCELLED):
            return False
        now = timezone.now()
        needed = balance(order) if order.status == Order.Status.UNPAID else Decimal(0)
        excess = money(max(amount - needed, Decimal(0)))
        payment.status = Payment.Status.CHARGED
        payment.psp_reference = trade_no
        payment.charged_amount = amount
        payment.refund_due_amount = excess
        payment.buyer_logon_id = buyer[:100]
        payment.charged_at = now
        payment.save()
        order.total_charged_amount = money(order.total_charged_amount + amount)
        if excess > 0:
            outbox.enqueue("shop.tasks.refund_due_payments", {"order_id": order.pk})
        if order.status == Order.Status.UNPAID and amount < needed:
            # Paid in part (a checkout's transaction for an amount less than its total):
            # the order waits for its balance, it is not paid.
            order.save(update_fields=["total_charged_amount", "updated_at"])
            record_event(order, OrderEvent.Type.NOTE,
                         message=_("Paid in part with Alipay, trade number %(trade_no)s")
                         % {"trade_no": trade_no}, amount=str(amount), source=source,
                         payment=payment.pk)
        elif order.status == Order.Status.UNPAID:
            order.status = Order.Status.PAID
            order.paid_at = now
            order.save(update_fields=["status", "paid_at", "total_charged_amount", "updated_at"])
            record_event(order, OrderEvent.Type.PAID,
                         message=_("Paid with Alipay, trade number %(trade_no)s")
                         % {"trade_no": trade_no}, amount=str(amount), source=source,
                         payment=payment.pk)
            queue_order_notification(order, "order_paid")
            # Paid: a cashier still open in another tab would only take money to refund.
            call_off_order_cashiers(order, keep=payment.out_trade_no)
            if excess > 0:
                record_event(order, OrderEvent.Type.NOTE, message=_(
                    "Paid %(excess)s more than the balance; it goes back to the buyer.")
                    % {"excess": excess}, amount=str(excess), payment=payment.pk)
        elif order.status in (Order.Status.CANCELLED, Order.Status.REFUNDED):
            order.save(update_fields=["total_charged_amount", "updated_at"])
            record_event(order, OrderEvent.Type.PAYMENT_AFTER_CANCEL, message=_(
                "Payment arrived after the order was cancelled; it goes back to the buyer."),
                amount=str(amount), source=source, payment=payment.pk)
            logger.warning("Payment %s arrived for cancelled order %s", payment.out_trade_no,
                           order.number)
        else:
            order.save(update_fields=["total_charged_amount", "updated_at"])
            record_event(order, OrderEvent.Type.NOTE, message=_(
                "A second payment arrived for an order already paid; it goes back to the "
                "buyer."), amount=str(amount), source=source, payment=payment.pk)
            logger.warning("Payment %s arrived for order %s, already paid",
                           payment.out_trade_no, order.number)
    return True


# How long after its order's time to pay a cancelled payment is still asked about: its
# cashier (which closes at that time) may have taken the money just before.
CANCELLED_QUERY_GRACE = timedelta(minutes=10)


def query_pending_payments(older_than_seconds: int = 60, limit: int = 100) -> int:
    """Ask Alipay (``alipay.trade.query``) about pending payments whose notice never came,
    and about payments cancelled with their order whose cashier may still have been paid
    (not those whose trade Alipay closed);
    confirm the ones that were paid (a cancelled order's money is then owed back).
    Returns how many were confirmed."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=older_than_seconds)
    confirmed = 0
    closed = TradeClosure.objects.filter(out_trade_no=OuterRef("out_trade_no"),
                                         outcome=TradeClosure.Outcome.CLOSED)
    cashier_open = (Q(status=Payment.Status.PENDING)
                    | Q(Q(status=Payment.Status.CANCELLED, charged_amount=0,
                          order__expires_at__gte=now - CANCELLED_QUERY_GRACE)
                        & ~Exists(closed)))
    pending = Payment.objects.filter(cashier_open, gateway="alipay", created_at__lte=cutoff
                                     ).select_related("order").order_by("pk")[:limit]
    for payment in pending:
        confirmed += _query_and_confirm(payment, "query")
    return confirmed


def _query_and_confirm(payment: Payment, source: str) -> bool:
    """Ask Alipay about ``payment``'s trade and confirm it if it was paid."""
    try:
        result = alipay.query_trade(payment.out_trade_no)
    except alipay.AlipayError as error:
        logger.warning("alipay.trade.query failed for %s: %s", payment.out_trade_no, error)
        return False
    Payment.objects.filter(pk=payment.pk).update(last_queried_at=timezone.now())
    if result.get("trade_status") not in ("TRADE_SUCCESS", "TRADE_FINISHED"):
        return False
    if money(result.get("total_amount", "0")) != payment.amount:
        logger.warning("alipay.trade.query amount mismatch for %s", payment.out_trade_no)
        return False
    return confirm_payment(payment, trade_no=result.get("trade_no", ""), amount=payment.amount,
                           buyer=result.get("buyer_logon_id", ""), source=source)


def returned_payment(out_trade_no: str) -> Payment | None:
    """The payment a buyer back from Alipay's cashier names (a verified return), charged
    first if its notice has not come (late, or lost) and Alipay says it was paid: the
    page then says paid at once, instead of after the beat's next query."""
    payment = (Payment.objects.filter(out_trade_no=out_trade_no, gateway="alipay")
               .select_related("order").first())
    if payment is None or payment.charged_amount > 0 or payment.status not in (
            Payment.Status.PENDING, Payment.Status.CANCELLED):
        return payment
    if _query_and_confirm(payment, "return"):
        payment = Payment.objects.select_related("order").get(pk=payment.pk)
    return payment


def refund_order(order: Order, amount: Decimal, reason: str, user=None, *,
                 out_request_no: str | None = None, payment: Payment | None = None) -> Refund:
    """Refund through ``alipay.trade.refund``; recorded whether it succeeds or not.
    A full refund of an order nothing of which has shipped also releases its stock.

    ``out_request_no`` names a refund its caller may ask for more than once (an approved
    after-sales request): once it succeeded it is returned as it is, and after a failure
    it is tried again under the same number, which Alipay refunds at most once.
    ``payment`` names the charge to refund; otherwise the first that covers ``amount``,
    or, for an order paid in parts whose charges cover it only together, one refund per
    charge (numbered ``out_request_no-1``, ``-2``…, planned once and resent as planned);
    the first part that failed is returned, or else the last."""
    amount = validators.clean_decimal(amount, "amount", OrderErrorCode.INVALID)
    reason = validators.clean_text(reason, "reason", OrderErrorCode.INVALID, max_length=255)
    if not reason:
        raise field_error("reason", _("Give a reason for the refund."),
                          OrderErrorCode.REQUIRED.value)
    # Refunds of one order run one at a time, from the check of the refundable amount to
    # the recorded outcome: the next one counts this one's refund (its out_request_no and
    # its amount), while the order's row is not held during the gateway call.
    with _refunds_serialised(order):
        return _refund_order(order, amount, reason, user, out_request_no, payment)


@contextmanager
def _refunds_serialised(order: Order):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [REFUND_LOCK_SPACE, order.pk])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [REFUND_LOCK_SPACE, order.pk])


def _refundable(payment: Payment) -> Decimal:
    return payment.charged_amount - payment.refunded_amount


def _refund_order(order: Order, amount: Decimal, reason: str, user,
                  out_request_no: str | None, payment: Payment | None) -> Refund:
    earlier = Refund.objects.filter(out_request_no=out_request_no).first() \
        if out_request_no else None
    if earlier is not None and earlier.status == Refund.Status.SUCCESS:
        return earlier
    if out_request_no and earlier is None and payment is None:
        planned = list(Refund.objects.filter(order=order,
                                             out_request_no__startswith=f"{out_request_no}-"))
        if planned:  # split over the order's charges by an earlier call
            return _send_parts(order, planned, user)
    with transaction.atomic():
        order = locked_order(order)
        charges = order.payments.select_for_update().filter(status__in=REFUNDABLE)
        if payment is not None or earlier is not None:
            # Named, or the charge an earlier attempt under this number was sent to.
            charges = charges.filter(pk=payment.pk if payment is not None
                                     else earlier.payment_id)
        charges = list(charges)
        if not charges:
            raise field_error("id", _("This order has no payment to refund."),
                              OrderErrorCode.CANNOT_REFUND.value)
        payment = next((p for p in charges if _refundable(p) >= amount), None)
        total = sum(_refundable(p) for p in charges)
        if amount <= 0 or amount > total:
            raise field_error("amount", _("You can refund at most %(max)s."),
                              OrderErrorCode.CANNOT_REFUND.value, max=str(total))
        if payment is None:
            # An order paid in parts (a checkout's part, then its balance): one refund per
            # charge, planned now and kept, so that a retry sends the same parts.
            planned = _plan_parts(order, charges, amount, reason, user, out_request_no)
        else:
            planned = None
            out_request_no = out_request_no or \
                f"R{payment.out_trade_no}{payment.refunds.count() + 1:02d}"
    if planned:
        return _send_parts(order, planned, user)
    return _send_refund(order, payment, amount, reason, user, out_request_no)


def _plan_parts(order, charges, amount, reason, user, out_request_no) -> list[Refund]:
    planned, left = [], amount
    for charge in sorted(charges, key=lambda p: p.pk):
        part = min(left, _refundable(charge))
        if part <= 0:
            continue
        number = f"{out_request_no}-{len(planned) + 1}" if out_request_no else \
            f"R{charge.out_trade_no}{charge.refunds.count() + 1:02d}"
        # Recorded as not refunded yet, until the gateway says otherwise.
        planned.append(Refund.objects.create(
            payment=charge, order=order, out_request_no=number, amount=part,
            currency=order.currency, reason=reason, created_by=user,
            status=Refund.Status.FAILED))
        left -= part
        if left <= 0:
            break
    return planned


def _send_parts(order: Order, planned: list[Refund], user) -> Refund:
    """Send each part not refunded yet; the first that failed, or else the last part."""
    sent = [part if part.status == Refund.Status.SUCCESS else
            _send_refund(order, part.payment, part.amount, part.reason, user,
                         part.out_request_no) for part in planned]
    return next((r for r in sent if r.status != Refund.Status.SUCCESS), sent[-1])


def _send_refund(order: Order, payment: Payment, amount: Decimal, reason: str, user,
                 out_request_no: str) -> Refund:
    # The gateway call is outside the lock-holding transaction; out_request_no makes a
    # retried refund idempotent at Alipay.
    try:
        alipay.refund_trade(payment.out_trade_no, amount, reason, out_request_no)
        ok, message = True, ""
    except alipay.AlipayError as error:
        ok, message = False, str(error)[:255]
    with transaction.atomic():
        order = locked_order(order)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        refund, _created = Refund.objects.update_or_create(
            out_request_no=out_request_no, defaults={
                "payment": payment, "order": order, "amount": amount,
                "currency": order.currency, "reason": reason, "created_by": user,
                "status": Refund.Status.SUCCESS if ok else Refund.Status.FAILED,
                "gateway_message": message})
        if not ok:
            record_event(order, OrderEvent.Type.REFUND_FAILED, user=user, message=message,
                         amount=str(amount))
            return refund
        payment.refunded_amount = money(payment.refunded_amount + amount)
        full = payment.refunded_amount >= payment.charged_amount
        payment.status = Payment.Status.REFUNDED if full else Payment.Status.PARTIALLY_REFUNDED
        payment.save(update_fields=["refunded_amount", "status", "updated_at"])
        order.total_refunded_amount = money(order.total_refunded_amount + amount)
        fields = ["total_refunded_amount", "updated_at"]
        if full and order.total_refunded_amount >= order.total_charged_amount:
            if order.status in (Order.Status.PAID, Order.Status.CANCELLED):
                _release_unshipped(order, user)
            order.status = Order.Status.REFUNDED
            fields.append("status")
        order.save(update_fields=fields)
        record_event(order, OrderEvent.Type.REFUNDED, user=user, message=reason,
                     amount=str(amount), out_request_no=out_request_no)
        queue_order_notification(order, f"order_refunded:{refund.pk}")
    return refund


def _release_unshipped(order: Order, user) -> None:
    """A full refund of an order nothing of which shipped: its units still reserved will
    never ship. Their stock is released and ``order_lines_cancelled`` names them, as an
    after-sales refund of unshipped units does, so units bought in a broadcast still on
    air go back to its live allocation rather than to the shop's stock. A cancelled
    order's units were released (and announced) when it was cancelled."""
    held = dict(Allocation.objects.filter(order_line__order=order, quantity_allocated__gt=0)
                .values("order_line_id").annotate(units=Sum("quantity_allocated"))
                .values_list("order_line_id", "units"))
    deallocate_order_stock(order)
    if held:
        lines = OrderLine.objects.filter(pk__in=held).order_by("pk")
        order_lines_cancelled.send(sender=OrderLine, order=order, user=user,
                                   lines=[(line, held[line.pk]) for line in lines])


def refund_due_payments(order_id: int | None = None, limit: int = 100) -> int:
    """Refund at the gateway what the shop owes back (``Payment.refund_due_amount``), for
    one order or for all: one refund number per payment (``D`` and its trade number), so
    a second run, a concurrent one (serialised by the order's refund lock) or a retry
    after the gateway failed refunds it once. Returns how many refunds succeeded."""
    owed = Payment.objects.filter(refund_due_amount__gt=0).select_related("order")
    if order_id is not None:
        owed = owed.filter(order_id=order_id)
    done = 0
    for payment in owed.order_by("pk")[:limit]:
        with _refunds_serialised(payment.order):
            done += _refund_due(payment)
    return done


def _refund_due(payment: Payment) -> int:
    payment = Payment.objects.select_related("order").get(pk=payment.pk)
    due = min(payment.refund_due_amount, payment.charged_amount - payment.refunded_amount)
    out_request_no = f"D{payment.out_trade_no}"
    if Refund.objects.filter(out_request_no=out_request_no,
                             status=Refund.Status.SUCCESS).exists() or due <= 0:
        # Refunded by an earlier run that stopped before settling, or by staff meanwhile.
        Payment.objects.filter(pk=payment.pk).update(refund_due_amount=0)
        return 0
    order = payment.order
    reason = _("Payment the order no longer needed, returned to the buyer")
    try:
        refund = _refund_order(order, due, reason, None, out_request_no, payment)
    except ValidationError as error:
        logger.warning("Refund due on %s not sent: %s", payment.out_trade_no, error)
        return 0
    if refund.status != Refund.Status.SUCCESS:
        logger.warning("Refund due on %s failed; retried later: %s", payment.out_trade_no,
                       refund.gateway_message)
        return 0
    Payment.objects.filter(pk=payment.pk).update(refund_due_amount=0)
    return 1
