"""Celery tasks of the commerce core; each calls a service and is safe to retry or to
run twice (the services check state under a row lock)."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from . import outbox, services
from .models import Order, OrderEvent
from .notifications import notify
from .services import closing, recovery, return_refunds, verification
from .services import transactions as checkout_payments


@shared_task
def expire_unpaid_orders() -> int:
    """Cancel unpaid orders past their time to pay and release their stock (beat, every
    minute). Returns how many orders this run expired."""
    return services.expire_unpaid_orders()


@shared_task
def query_pending_alipay_payments() -> int:
    """Ask Alipay about payments whose notice never came (beat, every two minutes)."""
    return services.query_pending_payments()


@shared_task
def refund_due_payments(order_id: int | None = None) -> int:
    """Refund at Alipay what the shop owes back (a part paid of an order cancelled or
    expired, a payment beyond an order's balance): queued after the commit that made it
    due, and on the beat every five minutes for refunds the gateway failed. Safe to run
    twice or at once: each payment's refund has its own number. Returns how many
    refunds this run made."""
    return services.refund_due_payments(order_id)


@shared_task
def close_called_off_trades() -> int:
    """Close at Alipay the trades of payments called off (an order cancelled, expired or
    paid, a cashier replaced by a newer one), so that a stale cashier cannot take the
    money: queued after the commit that called them off, and on the beat every five
    minutes for closes that failed. Safe to run twice or at once. Returns how many
    trades this run settled."""
    return closing.close_called_off_trades()


@shared_task
def release_abandoned_checkout_payments() -> int:
    """Refund what was paid on checkouts that never became an order (beat, every ten
    minutes; see ``CHECKOUT_FUNDS_RELEASE_HOURS``). Safe to run twice or at once.
    Returns how many this run refunded."""
    return checkout_payments.release_abandoned_payments()


@shared_task
def confirm_overdue_receipts() -> int:
    """Confirm receipt of orders shipped ``ORDER_AUTO_CONFIRM_DAYS`` ago that the buyer
    never confirmed (beat, hourly). Returns how many this run confirmed."""
    return services.confirm_overdue_receipts()


@shared_task
def retry_after_sales_refunds() -> int:
    """Refund again the approved after-sales requests whose refund failed, once their time
    to retry has come (beat, every five minutes); each under its own refund number, so
    none is refunded twice. Returns how many this run refunded."""
    return return_refunds.retry_failed_refunds()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_account_mail(purpose: str, email: str, redirect_url: str, language: str,
                      key: str, user_id: int | None = None) -> bool:
    """E-mail the account mail (``confirm``, ``reset``, ``delete``, ``email_change``,
    ``email_changed``) a request queued, once per ``key`` (a retry after a mail server's
    failure, an SMTPException being an OSError, sends it; a repeat of a sent one does
    not). Returns whether this run sent it."""
    return recovery.deliver_mail(purpose, email, redirect_url, language, key, user_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def send_verification_code(code_id: int, language: str) -> bool:
    """Make and send the verification code a request asked for, once (``code_id``'s row
    marks it sent). Returns whether this run sent it."""
    return verification.deliver(code_id, language)


@shared_task
def delete_expired_verification_codes() -> int:
    """Delete the verification codes that neither work nor count for a limit any more."""
    return verification.delete_expired_codes()


@shared_task
def publish_pending_outbox() -> int:
    """Hand the broker every outbox row still pending (beat, every 30 seconds): work a
    request committed while the broker was down. Returns how many were handed over."""
    return outbox.publish_pending()


# Marked for the catalogue here, translated when sent (in the buyer's language).
NOTIFICATION_SUBJECTS = {
    "order_placed": gettext_noop("Your order %(number)s has been placed"),
    "order_paid": gettext_noop("We received your payment for order %(number)s"),
    "order_shipped": gettext_noop("Your order %(number)s is on its way"),
    "order_cancelled": gettext_noop("Your order %(number)s was cancelled"),
    "order_refunded": gettext_noop("Your refund for order %(number)s"),
}


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_order_notification(order_id: int, kind: str) -> bool:
    """Tell the buyer about ``kind`` (``order_paid``, ``order_shipped:<fulfillment>``...)
    once, through ``shop.notifications`` (e-mailed to the order's address; recorded for a
    buyer with an account): a notification already recorded on the order for the same kind
    is not sent again."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None:
            return False
        if order.events.filter(type=OrderEvent.Type.NOTIFICATION_SENT,
                               parameters__kind=kind).exists():
            return False
        base = kind.split(":", 1)[0]
        with override(order.buyer_language()):
            subject = _(NOTIFICATION_SUBJECTS.get(base, gettext_noop("Order %(number)s"))) % {
                "number": order.number}
            body = _("Order %(number)s, total %(total)s %(currency)s, status: %(status)s.") % {
                "number": order.number, "total": order.total_amount,
                "currency": order.currency, "status": order.get_status_display()}
        notify(order.user or order.user_email, base, subject, body,
               reference=f"order:{order.number}", email=order.user_email)
        services.record_event(order, OrderEvent.Type.NOTIFICATION_SENT,
                              message=subject, kind=kind, email=order.user_email)
    return True
