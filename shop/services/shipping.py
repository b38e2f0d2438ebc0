"""Shipping prices: a method's rate for the delivery province, by weight, free from the
method's threshold on."""

from __future__ import annotations

import math
from decimal import Decimal

from django.db import connection

from ..models import ShippingMethod, ShippingRate, ShippingZone
from ..money import money

# The method's rate for a province: the first (by id) of a zone listing the province, else
# the first of its default zone. One statement written out once (every purchase and every
# checkout total asks it).
_RATE = """
SELECT r.first_weight, r.first_price, r.additional_price, r.max_weight
FROM {rate} r JOIN {zone} z ON z.id = r.zone_id
WHERE r.method_id = %(method)s AND (z.provinces ? %(province)s OR z.is_default)
ORDER BY z.provinces ? %(province)s DESC, r.id LIMIT 1"""


def shipping_price(method: ShippingMethod, province: str, weight: Decimal,
                   subtotal: Decimal) -> Decimal | None:
    """The price of ``method`` to ``province`` for ``weight`` kg, or ``None`` when the
    method does not serve it. Free from the method's threshold on."""
    with connection.cursor() as cursor:
        cursor.execute(_RATE.format(rate=ShippingRate._meta.db_table,
                                    zone=ShippingZone._meta.db_table),
                       {"method": method.pk, "province": province or ""})
        rate = cursor.fetchone()
    if rate is None:
        return None
    first_weight, first_price, additional_price, max_weight = rate
    if max_weight is not None and weight > max_weight:
        return None
    if method.free_shipping_threshold is not None and subtotal >= method.free_shipping_threshold:
        return money(0)
    extra_kg = max(Decimal(weight) - first_weight, Decimal(0))
    return money(first_price + additional_price * math.ceil(extra_kg))
