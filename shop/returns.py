"""After-sales (售后): a shopper's request for a refund (仅退款) or for a return and refund
(退货退款) of goods of one seller in a paid order, and the seller's decision. The rules are
in ``shop.services.returns``; what the records hold is here.

A request names the lines and units it is about (``ReturnRequestLine``), a reason from a
fixed list and the shopper's note, with up to a few photos kept as private files (the
seller reads them through signed addresses). Its amount is fixed when it is made; the
refund goes through ``shop.services.refund_order`` under the request's own refund request
number (``refund_key``), so approving twice, or retrying a failed refund, refunds once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .uploads import RandomName

MONEY = {"max_digits": 12, "decimal_places": 2}


class ReturnRequest(models.Model):
    class Type(models.TextChoices):
        REFUND_ONLY = "refund_only", _("Refund only")
        RETURN_AND_REFUND = "return_and_refund", _("Return and refund")

    class Reason(models.TextChoices):
        NO_REASON = "no_reason", _("7-day no-reason return")
        NOT_WANTED = "not_wanted", _("No longer wanted (not shipped yet)")
        DAMAGED = "damaged", _("Arrived damaged or spoiled")
        QUALITY = "quality", _("Quality problem")
        NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
        WRONG_OR_MISSING = "wrong_or_missing", _("Wrong or missing items")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the seller")
        AWAITING_RETURN = "awaiting_return", _("Waiting for the goods to come back")
        REFUNDING = "refunding", _("Approved, refund in progress")
        REFUNDED = "refunded", _("Refunded")
        REFUSED = "refused", _("Refused by the seller")
        WITHDRAWN = "withdrawn", _("Withdrawn by the buyer")

    # A request in one of these still binds its units and its seller's attention.
    OPEN = (Status.REQUESTED, Status.AWAITING_RETURN, Status.REFUNDING)

    order = models.ForeignKey("shop.Order", on_delete=models.CASCADE,
                              related_name="return_requests", verbose_name=_("order"))
    organization = models.ForeignKey("shop.Organization", on_delete=models.PROTECT,
                                     related_name="return_requests", verbose_name=_("seller"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("requested by"))
    type = models.CharField(_("type"), max_length=32, choices=Type.choices)
    reason = models.CharField(_("reason"), max_length=32, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=32, choices=Status.choices,
                              default=Status.REQUESTED, db_index=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    refusal_reason = models.CharField(_("reason for refusal"), max_length=255, blank=True)
    refund = models.ForeignKey("shop.Refund", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("refund"))
    # Failed refunds are tried again on a schedule (shop.services.return_refunds), waiting
    # longer after each failure.
    refund_failures = models.PositiveSmallIntegerField(_("failed refund attempts"), default=0)
    refund_retry_at = models.DateTimeField(_("refund tried again at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("decided by"))
    received_at = models.DateTimeField(_("goods back at"), null=True, blank=True)
    # The seller's word when the goods came back: on sale again (their stock restored) or
    # not sellable (damaged, opened, spoiled); None until then.
    restocked = models.BooleanField(_("back on sale"), null=True, blank=True)
    # How the buyer sent the goods back (退货物流), once asked to.
    return_carrier = models.CharField(_("return carrier"), max_length=64, blank=True)
    return_tracking_number = models.CharField(_("return tracking number"), max_length=64,
                                              blank=True)

    class Meta:
        verbose_name = _("after-sales request")
        verbose_name_plural = _("after-sales requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open request per order and seller: a second tap of the button, or a
            # second request while the first is decided, is refused by the database too.
            models.UniqueConstraint(
                fields=["order", "organization"],
                condition=models.Q(status__in=["requested", "awaiting_return", "refunding"]),
                name="one_open_return_request_per_seller"),
            models.CheckConstraint(condition=models.Q(amount__gte=0),
                                   name="return_request_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.order} #{self.pk}"

    @property
    def refund_key(self) -> str:
        """The refund request number (Alipay's ``out_request_no``) of this request's refund:
        the same on every attempt, so the gateway and ``refund_order`` refund it once."""
        return f"AS{self.pk:010d}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ReturnRequestLine(models.Model):
    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="lines",
                                verbose_name=_("after-sales request"))
    order_line = models.ForeignKey("shop.OrderLine", on_delete=models.CASCADE,
                                   related_name="return_lines", verbose_name=_("order line"))
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("after-sales request line")
        verbose_name_plural = _("after-sales request lines")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "order_line"],
                                    name="unique_return_request_line"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0),
                                   name="return_request_line_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.order_line_id} x {self.quantity}"


class ReturnRequestPhoto(models.Model):
    """A photo the shopper sent with the request: private, read through signed addresses
    by the buyer and the seller only."""

    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="photos",
                                verbose_name=_("after-sales request"))
    image = models.FileField(_("photo"), upload_to=RandomName("private/return-photos"))

    class Meta:
        verbose_name = _("after-sales photo")
        verbose_name_plural = _("after-sales photos")
        ordering = ["pk"]

    def __str__(self):
        return self.image.name
