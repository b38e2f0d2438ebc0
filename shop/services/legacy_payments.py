"""Saleor's older payment flow on a checkout: ``checkoutPaymentCreate``, then
``checkoutComplete`` (what react-storefront pays with), on the checkout's transactions.

A payment is the ``CheckoutTransaction`` that ``transactions.initialize`` opens for the
checkout's whole total (Saleor's rule: no partial payments), marked
``confirm_before_order``. Alipay is a redirect gateway, so completing the checkout while
that payment waits at the cashier places no order (``transactions.complete_checkout``
raises ``PaymentAtCashier``, and the completion is rolled back): it answers, as Saleor
does for such gateways, ``confirmationNeeded`` with ``confirmationData`` holding the
cashier URL (``confirmation``).
Alipay's notice then charges the transaction, and completing again places the paid order.

A buyer who completes without paying gets the same answer each time (Alipay is asked
first whether the trade was paid, for a notice still on its way) and no order: the
checkout stays open, and a new payment or ``transactionInitialize`` replaces the old one
(its trade closed at Alipay). A checkout paid with nothing through this flow is completed
as before: paid by its charged transactions, else an unpaid order to pay later."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ..error_codes import CheckoutErrorCode, PaymentErrorCode
from ..errors import field_error
from ..models import Checkout
from ..money import money
from ..transactions import CheckoutTransaction
from . import transactions
from .checkout import checkout_totals
from .payments import SUPPORTED_GATEWAYS
from .recovery import clean_redirect_url

MAX_METADATA_KEYS = 20


def _metadata(items) -> dict:
    metadata = {}
    for key, value in items or []:
        key = (key or "").strip()
        if not key:
            raise field_error("metadata", _("Metadata key cannot be empty."),
                              PaymentErrorCode.REQUIRED)
        if len(key) > 128 or len(value or "") > 1024:
            raise field_error("metadata", _("Metadata keys are 1-128 characters, values at "
                                            "most 1024."), PaymentErrorCode.INVALID)
        metadata[key] = value or ""
    if len(metadata) > MAX_METADATA_KEYS:
        raise field_error("metadata", _("A payment keeps at most %(n)s metadata keys.")
                          % {"n": MAX_METADATA_KEYS}, PaymentErrorCode.INVALID)
    return metadata


@transaction.atomic
def create_payment(checkout: Checkout, gateway: str, *, amount: Decimal | None = None,
                   return_url: str = "", metadata=None) -> CheckoutTransaction:
    """Open the checkout's payment for its total (``amount`` must equal it), replacing
    any cashier opened before. ``metadata``: ``(key, value)`` pairs."""
    if gateway not in SUPPORTED_GATEWAYS:
        raise field_error("gateway", _("The gateway %(gateway)s is not available for this "
                                       "checkout.") % {"gateway": gateway},
                          PaymentErrorCode.NOT_SUPPORTED_GATEWAY)
    if return_url:
        # Saleor names this field redirectUrl in its error; the hosts are those a link
        # in our e-mails may point at (ours, ALLOWED_CLIENT_HOSTS, a local storefront).
        clean_redirect_url(return_url, "redirect_url")
    metadata = _metadata(metadata)
    checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
    total = checkout_totals(checkout)["total"]
    amount = total if amount is None else money(amount)
    if amount != total:
        raise field_error("amount", _("Partial payments are not allowed: the amount must "
                                      "equal the checkout's total."),
                          PaymentErrorCode.PARTIAL_PAYMENT_NOT_ALLOWED)
    if transactions.charged_amount(checkout) > 0:
        raise field_error(None, _("This checkout has already been paid for: complete it."),
                          PaymentErrorCode.INVALID)
    txn, _url = transactions.initialize(checkout, gateway, amount=amount,
                                        return_url=return_url)
    txn.confirm_before_order = True
    txn.return_url = return_url
    txn.metadata = metadata
    txn.save(update_fields=["confirm_before_order", "return_url", "metadata"])
    return txn


@transaction.atomic
def confirmation(token, *, device: str = "PC", return_url: str = "") -> dict | None:
    """``confirmationData`` for the checkout ``token`` (one its caller may complete) whose
    payment still waits at the cashier (a fresh cashier URL), or None when it may be
    completed now (no such payment, or Alipay says it was paid)."""
    checkout = Checkout.objects.filter(token=token).first()
    txn = checkout and CheckoutTransaction.objects.filter(
        checkout_token=checkout.token, order__isnull=True, confirm_before_order=True,
        status=CheckoutTransaction.Status.PENDING).order_by("-pk").first()
    if not txn or transactions.process(txn).status != CheckoutTransaction.Status.PENDING:
        return None
    if return_url:
        clean_redirect_url(return_url, "redirect_url")
    owed = money(checkout_totals(checkout)["total"] - transactions.charged_amount(checkout))
    if txn.amount != owed:
        # The cart changed after the payment was made: its cashier asks for another sum.
        raise field_error(None, _("The payment does not cover the checkout's total: create "
                                  "a new payment."), CheckoutErrorCode.CHECKOUT_NOT_FULLY_PAID)
    txn, url = transactions.initialize(checkout, txn.gateway, amount=txn.amount,
                                       device=device if device in ("PC", "WAP") else "PC",
                                       return_url=return_url or txn.return_url)
    return {"gateway": txn.gateway, "url": url, "outTradeNo": txn.out_trade_no,
            "amount": str(txn.amount), "currency": txn.currency}
