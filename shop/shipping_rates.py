"""Carriers' delivery: shipping zones (provinces of a channel), methods (a carrier's
service with its delivery days and free-shipping threshold) and the rates of a method in a
zone (first weight and each additional kilogram). The price rules are in
``shop.services.shipping``; these are the records."""

from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}


class ShippingZone(models.Model):
    """Where a set of rates applies: a list of provinces, or everywhere else (``default``)."""

    name = models.CharField(_("name"), max_length=128)
    channel = models.ForeignKey("shop.Channel", on_delete=models.CASCADE,
                                related_name="shipping_zones",
                                verbose_name=_("channel"))
    provinces = models.JSONField(_("provinces"), default=list, blank=True,
                                 help_text=_("Province names; empty for the default zone."))
    is_default = models.BooleanField(_("default zone"), default=False)

    class Meta:
        verbose_name = _("shipping zone")
        verbose_name_plural = _("shipping zones")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class ShippingMethod(models.Model):
    """A carrier's service in a channel (邮政, 顺丰). Its price per zone comes from
    ``ShippingRate``; orders whose subtotal reaches ``free_shipping_threshold`` ship free."""

    channel = models.ForeignKey("shop.Channel", on_delete=models.CASCADE,
                                related_name="shipping_methods", verbose_name=_("channel"))
    name = models.CharField(_("name"), max_length=128)
    carrier = models.CharField(_("carrier code"), max_length=32)
    description = models.CharField(_("description"), max_length=255, blank=True)
    free_shipping_threshold = models.DecimalField(_("free shipping from"), **MONEY, null=True,
                                                  blank=True)
    min_delivery_days = models.PositiveSmallIntegerField(_("min delivery days"), null=True,
                                                         blank=True)
    max_delivery_days = models.PositiveSmallIntegerField(_("max delivery days"), null=True,
                                                         blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class ShippingRate(models.Model):
    """Price of a method in a zone: ``first_weight`` kg for ``first_price``, then
    ``additional_price`` per started kg; refused above ``max_weight``."""

    method = models.ForeignKey(ShippingMethod, on_delete=models.CASCADE, related_name="rates",
                               verbose_name=_("shipping method"))
    zone = models.ForeignKey(ShippingZone, on_delete=models.CASCADE, related_name="rates",
                             verbose_name=_("shipping zone"))
    first_weight = models.DecimalField(_("first weight (kg)"), max_digits=8, decimal_places=3,
                                       default=1)
    first_price = models.DecimalField(_("first weight price"), **MONEY)
    additional_price = models.DecimalField(_("price per additional kg"), **MONEY, default=0)
    max_weight = models.DecimalField(_("max weight (kg)"), max_digits=8, decimal_places=3,
                                     null=True, blank=True)

    class Meta:
        verbose_name = _("shipping rate")
        verbose_name_plural = _("shipping rates")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["method", "zone"], name="unique_shipping_rate")
        ]
