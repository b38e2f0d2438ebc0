"""Promo codes (Saleor's vouchers): a fixed amount or a percentage off the subtotal, from a
minimum spend, within a validity window, optionally once per customer. The rules are in
``shop.services.vouchers``; these are the records."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}


class Voucher(models.Model):
    class DiscountType(models.TextChoices):
        FIXED = "fixed", _("Fixed amount")
        PERCENTAGE = "percentage", _("Percentage")

    code = models.CharField(_("code"), max_length=255, unique=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    discount_type = models.CharField(_("discount type"), max_length=16,
                                     choices=DiscountType.choices, default=DiscountType.FIXED)
    discount_value = models.DecimalField(_("discount value"), **MONEY)
    min_spent_amount = models.DecimalField(_("minimum spend"), **MONEY, null=True, blank=True)
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))
    start_date = models.DateTimeField(_("valid from"), default=timezone.now)
    end_date = models.DateTimeField(_("valid until"), null=True, blank=True)
    apply_once_per_customer = models.BooleanField(_("once per customer"), default=False)
    usage_limit = models.PositiveIntegerField(_("usage limit"), null=True, blank=True)
    used = models.PositiveIntegerField(_("times used"), default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["code"]

    def __str__(self):
        return self.code


class VoucherCustomer(models.Model):
    """A customer (by e-mail, as Saleor keeps it) who has used a once-per-customer code."""

    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="customers",
                                verbose_name=_("voucher"))
    customer_email = models.EmailField(_("email"))
    order = models.ForeignKey("shop.Order", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("order"))
    used_at = models.DateTimeField(default=timezone.now, verbose_name=_("used at"))

    class Meta:
        verbose_name = _("voucher use")
        verbose_name_plural = _("voucher uses")
        constraints = [models.UniqueConstraint(fields=["voucher", "customer_email"],
                                               name="unique_voucher_customer")]

    def __str__(self):
        return f"{self.voucher} · {self.customer_email}"
