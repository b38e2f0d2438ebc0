"""Payments started on a checkout, before its order exists (Saleor's transaction flow):
``transactionInitialize`` on the checkout opens one, Alipay's verified notice charges it,
and ``checkoutComplete`` turns the checkout into an order paid by it; a checkout left
without becoming an order gets its money back. The rules are in
``shop.services.transactions``.

A payment the shop no longer takes money through (its order cancelled or expired, or a
newer cashier opened for the same payment) leaves a ``TradeClosure``: its trade is closed
at Alipay (``shop.services.closing``), so that a cashier still open in a tab cannot take
the money and the buyer is not left waiting days for a refund."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}


class CheckoutTransaction(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        CHARGED = "charged", _("Paid")
        FAILED = "failed", _("Failed")
        # The checkout never became an order: its money goes back to the buyer
        # (``shop.services.transactions.release_abandoned_payments``).
        REFUNDING = "refunding", _("Being refunded")
        REFUNDED = "refunded", _("Refunded")
        # A newer cashier replaced it, or its order was called off: its trade is closed
        # at Alipay (``TradeClosure``); should it be paid first, it is charged all the
        # same and the money goes where its order or checkout needs it, or back.
        CANCELLED = "cancelled", _("Cancelled")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Not a foreign key: the checkout row is deleted when it becomes an order, the
    # transaction stays as the order's payment record.
    checkout_token = models.UUIDField(db_index=True)
    order = models.ForeignKey("shop.Order", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="checkout_transactions")
    gateway = models.CharField(max_length=32, default="alipay")
    out_trade_no = models.CharField(max_length=64, unique=True)
    psp_reference = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    currency = models.CharField(max_length=3, default="CNY")
    amount = models.DecimalField(**MONEY)
    charged_amount = models.DecimalField(**MONEY, default=0)
    buyer_logon_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    charged_at = models.DateTimeField(null=True, blank=True)
    # Opened by checkoutPaymentCreate (Saleor's older payment flow): until it is charged,
    # checkoutComplete answers with its cashier (confirmationNeeded) rather than placing
    # an unpaid order; each fresh cashier sends the buyer back to its return URL. The
    # client's public metadata for it is kept alongside.
    confirm_before_order = models.BooleanField(default=False)
    return_url = models.CharField(max_length=500, blank=True)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.out_trade_no


class TradeClosure(models.Model):
    """A trade (an order's ``Payment`` or a ``CheckoutTransaction``, by its out_trade_no)
    to close at Alipay, once: written in the transaction that called the payment off,
    closed after the commit and retried on the beat until Alipay closed it, never had it
    (the buyer never opened its cashier), or reports it paid, whose money then takes the
    way of a late payment (kept if still needed, else refunded)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting to be closed")
        CLOSED = "closed", _("Closed at Alipay")
        NOT_OPENED = "not_opened", _("Never opened at Alipay")
        PAID = "paid", _("Paid before it was closed")

    out_trade_no = models.CharField(max_length=64, unique=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["requested_at"], condition=models.Q(outcome="pending"),
                                name="shop_tradeclosure_due_idx")]

    def __str__(self):
        return self.out_trade_no
