"""What only the calendar changes: a brand licence in force until a given day, and a clock
set to a chosen moment (both Python's ``time.time`` and Django's ``timezone.now``, which
the page caches, the local memory cache's expiry and the licence checks read)."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

from django.utils import timezone

from brand.models import Licence, RegionalBrand
from shop.models import Organization
from tests.factories import make_org


def licence_until(product, last_day: date, number: str = "MC-2026-0001") -> Licence:
    """A brand licence of ``product``'s seller covering it, in force until ``last_day``."""
    authority = make_org("渑池县品牌办", "brand-office", Organization.Kind.BRAND_AUTHORITY)
    brand = RegionalBrand.objects.create(
        name="仰韶彩陶坊", slug="yangshao", code="MC", county="渑池县", authority=authority,
        pavilion=product.pavilion, trademark_number="第12345678号", default_label_quota=1000)
    licence = Licence.objects.create(
        number=number, brand=brand, licensee=product.organization,
        status=Licence.Status.ACTIVE, valid_from=date(2020, 1, 1), valid_until=last_day,
        annual_label_quota=1000)
    licence.products.add(product)
    return licence


def set_clock(monkeypatch, moment: datetime) -> None:
    """From now on the clocks read ``moment`` (and move on from it as time passes)."""
    offset = moment.timestamp() - time.time()
    real_time, real_now = time.time, timezone.now
    monkeypatch.setattr(time, "time", lambda: real_time() + offset)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=offset))
