"""The tests' paid order (``tests.factories.make_paid_order``) is paid the way a payment
notice pays one, so the county's figures count it as they count a real order: a test
relying on it sees real figures."""

from __future__ import annotations

import pytest
from django.utils import timezone

from county_statistics.models import OrderDaily
from shop.models import OrderEvent
from tests.factories import make_paid_order

pytestmark = pytest.mark.django_db


def test_a_factory_paid_order_counts_in_the_county_figures(
        persimmon, variant, channel, shipping, run_on_commit):
    order = run_on_commit(make_paid_order, channel, variant, shipping, quantity=2)
    assert order.paid_at is not None and order.total_charged_amount == order.total_amount
    assert order.events.filter(type=OrderEvent.Type.PAID).count() == 1
    day = timezone.localdate(order.paid_at)
    whole = OrderDaily.objects.get(day=day, pavilion__isnull=True)
    assert (whole.orders, whole.amount) == (1, order.subtotal_amount)  # the goods sold
    county = OrderDaily.objects.get(day=day, pavilion=persimmon.pavilion)
    assert (county.orders, county.amount) == (1, order.subtotal_amount)
