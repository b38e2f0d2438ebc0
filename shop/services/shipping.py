"""Shipping prices: a method's rate for the delivery province, by weight, free from the
method's threshold on."""

from __future__ import annotations

import math
from decimal import Decimal

from ..models import ShippingMethod
from ..money import money


def shipping_price(method: ShippingMethod, province: str, weight: Decimal,
                   subtotal: Decimal) -> Decimal | None:
    """The price of ``method`` to ``province`` for ``weight`` kg, or ``None`` when the
    method does not serve it. Free from the method's threshold on."""
    rates = list(method.rates.select_related("zone").all())
    rate = next((r for r in rates if province in (r.zone.provinces or [])), None)
    if rate is None:
        rate = next((r for r in rates if r.zone.is_default), None)
    if rate is None:
        return None
    if rate.max_weight is not None and weight > rate.max_weight:
        return None
    if method.free_shipping_threshold is not None and subtotal >= method.free_shipping_threshold:
        return money(0)
    extra_kg = max(Decimal(weight) - rate.first_weight, Decimal(0))
    return money(rate.first_price + rate.additional_price * math.ceil(extra_kg))
