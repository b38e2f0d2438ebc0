"""Payments through Alipay (the client is ``shop.alipay``): starting one, its notices,
querying trades whose notice never came, and refunds. An order is charged exactly once."""

from __future__ import annotations

import logging
import secrets
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import alipay, validators
from ..error_codes import OrderErrorCode, PaymentErrorCode
from ..errors import field_error
from ..models import Order, OrderEvent, Payment, PaymentNotice, Refund
from ..money import money
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


@transaction.atomic
def start_payment(order: Order, gateway: str = "alipay", *, device: str = "PC",
                  return_url: str = "", user=None) -> tuple[Payment, str]:
    """Start paying ``order`` (Saleor's ``transactionInitialize``): one pending payment per
    order and gateway, and the signed URL that takes the buyer to Alipay's cashier."""
    if gateway not in SUPPORTED_GATEWAYS:
        raise field_error("payment_gateway", _("The payment gateway %(gateway)s is not available.")
                          % {"gateway": gateway}, PaymentErrorCode.NOT_SUPPORTED_GATEWAY.value)
    order = locked_order(order)
    if order.status != Order.Status.UNPAID:
        raise field_error("id", _("This order does not need a payment."),
                          PaymentErrorCode.INVALID.value)
    if order.expires_at and order.expires_at <= timezone.now():
        raise field_error("id", _("The time to pay this order has passed."),
                          PaymentErrorCode.INVALID.value)
    payment = order.payments.filter(gateway=gateway, status=Payment.Status.PENDING).first()
    if payment is None:
        payment = Payment.objects.create(order=order, gateway=gateway, amount=order.total_amount,
                                         currency=order.currency,
                                         out_trade_no=f"{order.number}{secrets.randbelow(10**6):06d}")
        record_event(order, OrderEvent.Type.PAYMENT_STARTED, user=user,
                     message=_("Payment started with Alipay."), payment=payment.pk)
    try:
        url = alipay.trade_pay_url(payment, order, device=device, return_url=return_url)
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
    """Mark the payment charged and its order paid, exactly once; ``False`` when it
    already was. A payment for an order cancelled meanwhile is recorded and flagged for a
    refund instead of reviving the order."""
    with transaction.atomic():
        order = locked_order(payment.order)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.charged_amount > 0 or payment.status not in (Payment.Status.PENDING,
                                                                 Payment.Status.CANCELLED):
            return False
        now = timezone.now()
        payment.status = Payment.Status.CHARGED
        payment.psp_reference = trade_no
        payment.charged_amount = amount
        payment.buyer_logon_id = buyer[:100]
        payment.charged_at = now
        payment.save()
        order.total_charged_amount = money(order.total_charged_amount + amount)
        if order.status == Order.Status.UNPAID and order.total_charged_amount < order.total_amount:
            # A checkout paid in part (Saleor's transactions take an amount): the order
            # waits for the rest, it is not paid.
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
        else:
            order.save(update_fields=["total_charged_amount", "updated_at"])
            record_event(order, OrderEvent.Type.PAYMENT_AFTER_CANCEL,
                         message=_("Payment arrived after the order was cancelled; refund it."),
                         amount=str(amount), source=source, payment=payment.pk)
            logger.warning("Payment %s arrived for cancelled order %s", payment.out_trade_no,
                           order.number)
    return True


def query_pending_payments(older_than_seconds: int = 60, limit: int = 100) -> int:
    """Ask Alipay (``alipay.trade.query``) about pending payments whose notice never came;
    confirm the ones that were paid. Returns how many were confirmed."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    confirmed = 0
    pending = Payment.objects.filter(gateway="alipay", status=Payment.Status.PENDING,
                                     created_at__lte=cutoff).select_related("order")[:limit]
    for payment in pending:
        try:
            result = alipay.query_trade(payment.out_trade_no)
        except alipay.AlipayError as error:
            logger.warning("alipay.trade.query failed for %s: %s", payment.out_trade_no, error)
            continue
        Payment.objects.filter(pk=payment.pk).update(last_queried_at=timezone.now())
        if result.get("trade_status") not in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            continue
        if money(result.get("total_amount", "0")) != payment.amount:
            logger.warning("alipay.trade.query amount mismatch for %s", payment.out_trade_no)
            continue
        if confirm_payment(payment, trade_no=result.get("trade_no", ""),
                           amount=payment.amount, buyer=result.get("buyer_logon_id", ""),
                           source="query"):
            confirmed += 1
    return confirmed


def refund_order(order: Order, amount: Decimal, reason: str, user=None, *,
                 out_request_no: str | None = None) -> Refund:
    """Refund through ``alipay.trade.refund``; recorded whether it succeeds or not.
    A full refund of an order nothing of which has shipped also releases its stock.

    ``out_request_no`` names a refund its caller may ask for more than once (an approved
    after-sales request): once it succeeded it is returned as it is, and after a failure
    it is tried again under the same number, which Alipay refunds at most once."""
    amount = validators.clean_decimal(amount, "amount", OrderErrorCode.INVALID)
    reason = validators.clean_text(reason, "reason", OrderErrorCode.INVALID, max_length=255)
    if not reason:
        raise field_error("reason", _("Give a reason for the refund."),
                          OrderErrorCode.REQUIRED.value)
    # Refunds of one order run one at a time, from the check of the refundable amount to
    # the recorded outcome: the next one counts this one's refund (its out_request_no and
    # its amount), while the order's row is not held during the gateway call.
    with _refunds_serialised(order):
        return _refund_order(order, amount, reason, user, out_request_no)


@contextmanager
def _refunds_serialised(order: Order):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [REFUND_LOCK_SPACE, order.pk])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [REFUND_LOCK_SPACE, order.pk])


def _refund_order(order: Order, amount: Decimal, reason: str, user,
                  out_request_no: str | None) -> Refund:
    earlier = Refund.objects.filter(out_request_no=out_request_no).first() \
        if out_request_no else None
    if earlier is not None and earlier.status == Refund.Status.SUCCESS:
        return earlier
    with transaction.atomic():
        order = locked_order(order)
        payment = (order.payments.select_for_update()
                   .filter(status__in=[Payment.Status.CHARGED, Payment.Status.PARTIALLY_REFUNDED])
                   .first())
        if payment is None:
            raise field_error("id", _("This order has no payment to refund."),
                              OrderErrorCode.CANNOT_REFUND.value)
        refundable = payment.charged_amount - payment.refunded_amount
        if amount <= 0 or amount > refundable:
            raise field_error("amount", _("You can refund at most %(max)s."),
                              OrderErrorCode.CANNOT_REFUND.value, max=str(refundable))
        out_request_no = out_request_no or \
            f"R{payment.out_trade_no}{payment.refunds.count() + 1:02d}"
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
                deallocate_order_stock(order)
            order.status = Order.Status.REFUNDED
            fields.append("status")
        order.save(update_fields=fields)
        record_event(order, OrderEvent.Type.REFUNDED, user=user, message=reason,
                     amount=str(amount), out_request_no=out_request_no)
        queue_order_notification(order, f"order_refunded:{refund.pk}")
    return refund
