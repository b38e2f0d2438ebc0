"""Flow to the buyer: an order line's shipped codes, and a recall that finds the order."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from shop.models import Order, OrderLine
from supplychain import services
from supplychain.models import ShippedCode, TraceCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def order_line(packing_run, channel, coop):
    variant = packing_run.variant
    order = Order.objects.create(number=100001, channel=channel, user_email="buyer@example.com",
                                 subtotal_amount=Decimal("58.00"), total_amount=Decimal("58.00"))
    return OrderLine.objects.create(
        order=order, variant=variant, organization=coop, product_name="渑池柿饼", quantity=2,
        unit_price_amount=Decimal("29.00"), undiscounted_unit_price_amount=Decimal("29.00"),
        total_price_amount=Decimal("58.00"))


def test_shipped_codes_link_order_and_package(order_line, packing_run, coop, graded_lot,
                                              coop_user):
    first, second, third = packing_run.trace_codes.order_by("serial")[:3]
    services.ship_codes(order_line, [first.code, second.code.lower()], user=coop_user)
    assert set(order_line.shipped_codes.values_list("trace_code__code", flat=True)) == {
        first.code, second.code}
    first.refresh_from_db()
    assert first.disposition == "in_transit" and first.shipment.order_line == order_line
    data = Client().get(f"/t/{first.code}.json").json()
    assert data["journey"][-1]["step"] == "shipping"
    with pytest.raises(ValidationError) as excinfo:
        services.ship_codes(order_line, [third.code])  # the line has 2 items
    assert excinfo.value.error_dict["codes"][0].code == "insufficient_quantity"
    with pytest.raises(ValidationError):
        services.ship_codes(order_line, ["ABCDEFGHIJKLMNOP"])
    assert ShippedCode.objects.count() == 2
    recall = services.recall_lot(coop, graded_lot=graded_lot, level="level_2", reason="霉变",
                                 user=coop_user)
    affected = services.recall_affected(recall)
    assert affected["orders"] == [(order_line.order_id, "buyer@example.com")]
    assert affected["buyer_emails"] == ["buyer@example.com"]
    # Shipped packages were sold: only the 3 unsold ones leave stock.
    assert recall.withdrawn_units == 3
    assert set(TraceCode.objects.values_list("disposition", flat=True)) == {"recalled"}
