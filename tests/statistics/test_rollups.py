"""The rollups stay equal to a fresh computation from the raw tables, to the cent, through
every kind of change the county's figures follow: orders paid, partly and fully refunded,
cancelled, shipped with codes and delivered; codes issued and scanned (also a code never
issued); goods bought from households; licences granted, suspended and revoked, labels
booked, violations; a broadcast's sales and its end. A refund after the day closed
corrects the day the order was paid; recomputing twice changes nothing; the rebuild
command gives the same rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from brand import services as brand_services
from brand.models import LicenceEvent, Violation
from livestream import services as live_services
from shop import services as shop_services
from shop.models import Order, OrderEvent, OrderLine
from county_statistics import services, tasks
from county_statistics.models import (
    BrandDaily,
    BroadcastDaily,
    HouseholdDaily,
    LogisticsDaily,
    OrderDaily,
    SalesDaily,
    TraceDaily,
)
from supplychain import services as supplychain_services
from supplychain.models import PackingRun, Scan, ShippedCode, SourcingLot
from tests.factories import broadcast_checkout, granted

from .conftest import place_order

pytestmark = pytest.mark.django_db

VALID = ~Q(order__status__in=[Order.Status.CANCELLED, Order.Status.REFUNDED])


def day_of(moment):
    return timezone.localdate(moment)


def fresh() -> dict:
    """The figures computed from the raw records alone, in Python."""
    out = defaultdict(lambda: defaultdict(Decimal))
    for line in OrderLine.objects.filter(VALID, order__paid_at__isnull=False).select_related(
            "order", "variant"):
        key = (day_of(line.order.paid_at), line.variant.product_id if line.variant else None,
               line.source or "shop")
        out["sales_units"][key] += line.quantity
        out["sales_amount"][key] += line.total_price_amount
        if line.source == "broadcast":
            out["broadcast_amount"][int(line.source_ref)] += line.total_price_amount
    for order in Order.objects.filter(paid_at__isnull=False).prefetch_related(
            "lines", "fulfillments", "events"):
        day = day_of(order.paid_at)
        valid = order.status not in (Order.Status.CANCELLED, Order.Status.REFUNDED)
        out["orders"][day] += 1 if valid else 0
        out["order_amount"][day] += sum((line.total_price_amount for line in order.lines.all()),
                                        Decimal(0)) if valid else 0
        out["refunded"][day] += order.total_refunded_amount
        out["cancelled"][day] += order.status == Order.Status.CANCELLED
        if order.fulfillments.all():
            out["shipped"][day] += 1
            out["delivered"][day] += any(e.type == OrderEvent.Type.DELIVERED
                                         for e in order.events.all())
    for run in PackingRun.objects.all():
        out["issued"][day_of(run.packed_at)] += run.quantity
    for shipped in ShippedCode.objects.all():
        out["codes_shipped"][day_of(shipped.shipped_at)] += 1
    for scan in Scan.objects.all():
        out["scans"][day_of(scan.scanned_at)] += 1
        out["flagged"][day_of(scan.scanned_at)] += scan.is_flagged
    for lot in SourcingLot.objects.filter(household__isnull=False).select_related("household"):
        key = (day_of(lot.received_at), lot.household.is_poverty_registered)
        out["household_amount"][key] += lot.amount
        out["household_kg"][key] += lot.quantity_kg
    for event in LicenceEvent.objects.filter(type__in=["granted", "suspended", "revoked"]):
        out[f"licence_{event.type}"][day_of(event.date)] += 1
    for violation in Violation.objects.all():
        out["violations"][violation.found_on] += 1
    return _clean(out)


def rolled() -> dict:
    """The same figures read from the rollups."""
    out = defaultdict(lambda: defaultdict(Decimal))
    for row in SalesDaily.objects.all():
        key = (row.day, row.product_id, row.source)
        out["sales_units"][key] += row.units
        out["sales_amount"][key] += row.amount
    for row in BroadcastDaily.objects.all():
        out["broadcast_amount"][row.broadcast_id] += row.amount
    for row in OrderDaily.objects.filter(pavilion__isnull=True):
        out["orders"][row.day] += row.orders
        out["order_amount"][row.day] += row.amount
        out["refunded"][row.day] += row.refunded_amount
        out["cancelled"][row.day] += row.cancelled_orders
    for row in LogisticsDaily.objects.filter(pavilion__isnull=True):
        out["shipped"][row.day] += row.shipped_orders
        out["delivered"][row.day] += row.delivered_orders
    for row in TraceDaily.objects.all():
        out["issued"][row.day] += row.codes_issued
        out["codes_shipped"][row.day] += row.codes_shipped
        out["scans"][row.day] += row.scans
        out["flagged"][row.day] += row.flagged_scans
    for row in HouseholdDaily.objects.all():
        key = (row.day, row.is_poverty_registered)
        out["household_amount"][key] += row.amount
        out["household_kg"][key] += row.quantity_kg
    for row in BrandDaily.objects.all():
        for name in ("granted", "suspended", "revoked"):
            out[f"licence_{name}"][row.day] += getattr(row, name)
        out["violations"][row.day] += row.violations
    return _clean(out)


def _clean(out) -> dict:
    return {name: {key: value for key, value in values.items() if value}
            for name, values in out.items() if any(values.values())}


def assert_rollups_fresh():
    assert rolled() == fresh()


@pytest.fixture
def county(persimmon, packing_run, shipping, brand, item, coop_user, authority_user,
           run_on_commit):
    """Everything the county's figures follow, made through the apps' services."""
    return persimmon


def test_rollups_equal_a_fresh_computation_through_every_change(
        county, variant, packing_run, shipping, coop, coop_user, authority_user, brand,
        broadcast, item, household, run_on_commit, pay):
    persimmon = county
    # Orders paid: two in the shop, one at the broadcast's live price.
    first = run_on_commit(lambda: pay(place_order(packing_run.variant, shipping, 2)))
    second = run_on_commit(lambda: pay(place_order(variant, shipping, 1, method="sf")))
    assert_rollups_fresh()
    assert SalesDaily.objects.filter(day=timezone.localdate()).exists()

    run_on_commit(live_services.start_broadcast, broadcast)
    live = run_on_commit(lambda: pay(shop_services.complete_checkout(
        broadcast_checkout(broadcast, variant, shipping, quantity=2).token)))
    run_on_commit(live_services.end_broadcast, broadcast, viewer_count=120)
    assert_rollups_fresh()
    assert BroadcastDaily.objects.get(broadcast=broadcast).amount == Decimal("59.80")

    # Shipped with codes, then delivered.
    codes = list(packing_run.trace_codes.order_by("serial").values_list("code", flat=True))
    line = first.lines.get()
    run_on_commit(supplychain_services.fulfill_with_codes, first, coop,
                  [{"order_line_id": line.pk, "codes": codes[:2]}], carrier="顺丰",
                  tracking_number="SF100", user=coop_user)
    run_on_commit(shop_services.mark_order_delivered, Order.objects.get(pk=first.pk))
    assert_rollups_fresh()

    # Scans: counted by one SQL statement (no model signal): the periodic task.
    trace = packing_run.trace_codes.get(code=codes[0])
    supplychain_services.record_scan(trace, trace.code, source="page")
    supplychain_services.record_scan(trace, trace.code, source="page")
    run_on_commit(supplychain_services.record_scan, None, "FAKECODE", source="page")
    tasks.refresh_recent_days.delay()
    assert_rollups_fresh()
    assert TraceDaily.objects.filter(flagged_scans__gt=0).exists()

    # A partial refund, a cancellation, and a full refund of the second order.
    run_on_commit(shop_services.refund_order, Order.objects.get(pk=live.pk), Decimal("10.00"),
                  "少发一件")
    cancelled = run_on_commit(lambda: pay(place_order(variant, shipping, 1)))
    run_on_commit(shop_services.cancel_order, cancelled, reason="买家取消")
    run_on_commit(shop_services.refund_order, Order.objects.get(pk=second.pk),
                  Decimal(second.total_amount), "质量问题")
    assert Order.objects.get(pk=second.pk).status == Order.Status.REFUNDED
    assert Order.objects.get(pk=live.pk).total_refunded_amount == Decimal("10.00")
    assert_rollups_fresh()

    # Goods from households; a household registered as poor later.
    lot = run_on_commit(supplychain_services.create_sourcing_lot, coop, product=persimmon,
                        household=household, harvested_on=timezone.localdate(),
                        quantity_kg="40", unit_price="11.00", user=coop_user)
    other = run_on_commit(supplychain_services.create_household, coop, head_name="李四",
                          village="坡头村", is_poverty_registered=False)
    run_on_commit(supplychain_services.create_sourcing_lot, coop, product=persimmon,
                  household=other, harvested_on=timezone.localdate(), quantity_kg="15",
                  unit_price="10.00", user=coop_user)
    other.is_poverty_registered = True
    run_on_commit(other.save)
    assert lot.amount == Decimal("440.00")
    assert_rollups_fresh()

    # Licences: granted, a violation, suspended, revoked.
    licence = run_on_commit(granted, brand, coop, coop_user, authority_user,
                            products=[persimmon])
    run_on_commit(brand_services.record_violation, licence, authority_user, source="patrol",
                  description="超范围用标")
    run_on_commit(brand_services.suspend_licence, licence, authority_user, reason="整改")
    run_on_commit(brand_services.revoke_licence, licence, authority_user, reason="拒不整改")
    assert_rollups_fresh()
    assert BrandDaily.objects.get(pavilion=brand.pavilion).revoked == 1

    # Recomputing again changes nothing (a retried task never doubles).
    before = rolled()
    tasks.refresh_days.delay("sales", [timezone.localdate().isoformat()] * 2)
    tasks.refresh_recent_days.delay()
    assert rolled() == before
    # And the rebuild from nothing gives the same rows.
    SalesDaily.objects.all().delete()
    TraceDaily.objects.all().delete()
    call_command("rebuild_statistics", "--no-progress", stdout=open("/dev/null", "w"))
    assert rolled() == before


def test_a_refund_after_the_day_closed_corrects_the_day_it_was_paid(
        persimmon, variant, shipping, pay, run_on_commit):
    order = run_on_commit(lambda: pay(place_order(variant, shipping, 2)))
    paid_day = timezone.localdate() - timedelta(days=3)
    moved = timezone.now() - timedelta(days=3)
    Order.objects.filter(pk=order.pk).update(paid_at=moved, created_at=moved)
    services.refresh_days("sales", [paid_day, timezone.localdate()])
    whole = OrderDaily.objects.get(day=paid_day, pavilion__isnull=True)
    assert (whole.orders, whole.refunded_amount) == (1, Decimal("0.00"))
    county_row = OrderDaily.objects.get(day=paid_day, pavilion=persimmon.pavilion)
    assert county_row.amount == Decimal("79.80")

    run_on_commit(shop_services.refund_order, Order.objects.get(pk=order.pk),
                  Decimal(order.total_amount), "退货")
    whole = OrderDaily.objects.get(day=paid_day, pavilion__isnull=True)
    assert (whole.orders, whole.amount, whole.refunded_amount) == (
        0, Decimal("0.00"), Decimal(order.total_amount))
    assert not SalesDaily.objects.filter(day=paid_day).exists()
    assert not OrderDaily.objects.filter(day=timezone.localdate()).exists()
    assert_rollups_fresh()
