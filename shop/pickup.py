"""Pick-up (自提): a cooperative's warehouse where buyers collect their orders, free of
charge, at the address and opening hours it gives. The checkout offers it as a shipping
method of its own (``method``, with a zero rate), so choosing it is the same step, in the
storefront and through the API, as choosing a carrier; the method's name carries the place
and hours, and the order keeps them. Only a checkout whose goods all come from the point's
organisation may choose it. ``PickupNotice`` records that the buyer was told the order is
ready, once. Which checkouts may choose a point is :func:`serves` (the checkout's services
ask it); the rest of the rules are in ``shop.services.pickup``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .error_codes import CheckoutErrorCode
from .errors import field_error

# The carrier code of a pick-up point's shipping method: other methods need no query here.
PICKUP_CARRIER = "pickup"


class PickupPoint(models.Model):
    warehouse = models.OneToOneField("shop.Warehouse", on_delete=models.CASCADE,
                                     related_name="pickup_point", verbose_name=_("warehouse"))
    method = models.OneToOneField("shop.ShippingMethod", on_delete=models.PROTECT,
                                  related_name="pickup_point",
                                  verbose_name=_("shipping method"))
    address = models.CharField(_("pick-up address"), max_length=80)
    opening_hours = models.CharField(_("opening hours"), max_length=40)
    phone = models.CharField(_("contact phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("pick-up point")
        verbose_name_plural = _("pick-up points")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.warehouse} · {self.address}"


class PickupNotice(models.Model):
    """The buyer told that the order waits at the pick-up point (once per order)."""

    order = models.OneToOneField("shop.Order", on_delete=models.CASCADE,
                                 related_name="pickup_notice", verbose_name=_("order"))
    point = models.ForeignKey(PickupPoint, on_delete=models.PROTECT, related_name="notices",
                              verbose_name=_("pick-up point"))
    ready_at = models.DateTimeField(_("ready since"))
    ready_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("marked by"))

    class Meta:
        verbose_name = _("ready-for-pick-up notice")
        verbose_name_plural = _("ready-for-pick-up notices")
        ordering = ["-ready_at", "-pk"]

    def __str__(self):
        return str(self.order)


def point_of(method) -> PickupPoint | None:
    """The pick-up point a shipping method stands for, if it is one."""
    if method is None or method.carrier != PICKUP_CARRIER:
        return None
    return PickupPoint.objects.select_related("warehouse__organization").filter(
        method=method).first()


def serves(method, checkout) -> bool:
    """Whether ``checkout`` may choose ``method``: any carrier, or a pick-up point of the
    organisation whose goods the whole checkout holds (the point hands over only those)."""
    point = point_of(method)
    if point is None:
        return True
    sellers = set(checkout.lines.values_list("variant__product__organization_id", flat=True))
    return sellers == {point.warehouse.organization_id}


def refuse_unserved(method, checkout) -> None:
    if not serves(method, checkout):
        raise field_error("delivery_method_id",
                          gettext("This pick-up point only hands over its own cooperative's goods: "
                            "choose a carrier for this cart."),
                          CheckoutErrorCode.DELIVERY_METHOD_NOT_APPLICABLE.value)
