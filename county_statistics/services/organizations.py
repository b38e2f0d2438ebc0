"""A cooperative's or enterprise's own figures, for its workbench: only its own sales,
never another seller's or the county's."""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum

from shop.models import Order, OrderLine, Organization
from shop.money import money

from ..models import SalesDaily, TraceDaily
from .indicators import ZERO, figure
from .periods import Period, make_period
from .rollups import local_midnight


def organization_sales(organization: Organization, period: Period | str = "month",
                       day=None) -> dict:
    """The seller's sales in ``period`` (a ``Period`` or a kind: day, week, month, year)
    against the previous period, by product, source and day, and its codes scanned."""
    if isinstance(period, str):
        period = make_period(period, day)
    previous = period.previous()
    now = Q(day__gte=period.start, day__lt=period.end)
    before = Q(day__gte=previous.start, day__lt=previous.end)
    rows = SalesDaily.objects.filter(organization=organization, day__gte=previous.start,
                                     day__lt=period.end)
    totals = rows.aggregate(now_amount=Sum("amount", filter=now, default=ZERO),
                            amount_before=Sum("amount", filter=before, default=ZERO),
                            now_units=Sum("units", filter=now, default=0),
                            units_before=Sum("units", filter=before, default=0))
    orders = _order_counts(organization, period, previous)
    sums = {"total_amount": Sum("amount"), "total_units": Sum("units")}
    by_product = (rows.filter(now).values(name=F("product__name")).annotate(**sums)
                  .order_by("-total_amount", "name"))
    by_source = rows.filter(now).values("source").annotate(**sums).order_by("source")
    by_day = rows.filter(now).values("day").annotate(**sums).order_by("day")
    codes = TraceDaily.objects.filter(organization=organization).filter(now).aggregate(
        issued=Sum("codes_issued", default=0), shipped=Sum("codes_shipped", default=0),
        scanned=Sum("scans", default=0), flagged=Sum("flagged_scans", default=0))
    return {
        "organization": organization, "period": period,
        "sales": figure(money(totals["now_amount"]), money(totals["amount_before"])),
        "units": figure(totals["now_units"], totals["units_before"]),
        "orders": figure(orders["now"], orders["before"]),
        "by_product": [{"name": r["name"] or "", "amount": money(r["total_amount"]),
                        "units": r["total_units"]} for r in by_product],
        "by_source": [{"source": r["source"], "amount": money(r["total_amount"]),
                       "units": r["total_units"]} for r in by_source],
        "by_day": [{"day": r["day"], "amount": money(r["total_amount"]), "units": r["total_units"]}
                   for r in by_day],
        "codes": codes,
    }


def _order_counts(organization, period: Period, previous: Period) -> dict:
    """Distinct orders with a line of the seller (an order may hold several of its
    products, so the per-product rollup cannot add them up)."""
    valid = ~Q(order__status__in=[Order.Status.CANCELLED, Order.Status.REFUNDED])
    lines = OrderLine.objects.filter(valid, organization=organization,
                                     order__paid_at__gte=local_midnight(previous.start),
                                     order__paid_at__lt=local_midnight(period.end))
    split = local_midnight(period.start)
    return lines.aggregate(
        now=Count("order", distinct=True, filter=Q(order__paid_at__gte=split)),
        before=Count("order", distinct=True, filter=Q(order__paid_at__lt=split)))
