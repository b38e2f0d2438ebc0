"""The county's indicators (电商交易额, 市场主体, 企业品牌, 特色产品, 物流快递, 直播, 带贫) for a
county or the whole platform over a period, each headline figure with the previous
period's value and the change.

Everything is read from the daily rollups and from the small master tables
(organisations, licences, broadcasts): the number of queries is fixed, and none of them
reads the orders or scans, so the screen costs the same with a million orders."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation

from brand.models import LabelUse, Licence
from catalog.models import Pavilion
from livestream.services import county_hosts
from shop.models import PRODUCER_KINDS, Organization
from shop.money import money
from supplychain.models import Household

from ..models import (
    BrandDaily,
    BroadcastDaily,
    HouseholdDaily,
    LogisticsDaily,
    OrderDaily,
    SalesDaily,
    ScanProvinceDaily,
    TraceDaily,
)
from .periods import Period
from .rollups import BROADCAST_PAVILION, fill_tables, generation, local_midnight

ZERO = Decimal("0.00")
TOP = 10


def ratio(part, whole, places: str = "0.0001") -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal(places), ROUND_HALF_UP)


def figure(value, previous) -> dict:
    """A headline figure: its value, the previous period's, and the relative change."""
    change = None if not previous else ratio(Decimal(value) - Decimal(previous), previous)
    return {"value": value, "previous": previous, "change": change}


def _both(period: Period) -> dict:
    previous = period.previous()
    return {"day__gte": previous.start, "day__lt": period.end}


def _now(period: Period) -> Q:
    return Q(day__gte=period.start, day__lt=period.end)


def _before(period: Period) -> Q:
    previous = period.previous()
    return Q(day__gte=previous.start, day__lt=previous.end)


def _order_level(queryset, pavilion):
    """Order-level rollups: a county's rows, or the whole platform's (``pavilion`` NULL)."""
    return queryset.filter(pavilion=pavilion) if pavilion else queryset.filter(
        pavilion__isnull=True)


def _additive(queryset, pavilion):
    return queryset.filter(pavilion=pavilion) if pavilion else queryset


def _sum(name, when):
    return Sum(name, filter=when, default=0)


def _money(value) -> Decimal:
    return money(value or ZERO)


def sales_indicators(pavilion: Pavilion | None, period: Period) -> dict:
    now, before = _now(period), _before(period)
    orders = _order_level(OrderDaily.objects.filter(**_both(period)), pavilion).aggregate(
        n_orders=_sum("orders", now), orders_before=_sum("orders", before),
        n_amount=_sum("amount", now), amount_before=_sum("amount", before),
        refunded=_sum("refunded_amount", now), refunded_before=_sum("refunded_amount", before),
        n_refunded_orders=_sum("refunded_orders", now),
        refunded_orders_before=_sum("refunded_orders", before),
        cancelled=_sum("cancelled_orders", now))
    lines = _additive(SalesDaily.objects.filter(**_both(period)), pavilion)
    units = lines.aggregate(n_units=_sum("units", now), units_before=_sum("units", before))
    current = lines.filter(now)
    amount, amount_before = _money(orders["n_amount"]), _money(orders["amount_before"])
    aov = money(amount / orders["n_orders"]) if orders["n_orders"] else ZERO
    aov_before = money(amount_before / orders["orders_before"]) if orders[
        "orders_before"] else ZERO

    def grouped(field, limit=None):
        rows = (current.values(name=F(field))
                .annotate(total_amount=Sum("amount"), total_units=Sum("units"))
                .order_by("-total_amount", "name"))
        rows = rows[:limit] if limit else rows
        return [{"name": row["name"] or "", "amount": _money(row["total_amount"]),
                 "units": row["total_units"]} for row in rows]

    series = _order_level(OrderDaily.objects.filter(now), pavilion)
    if period.bucket_kind() == "month":
        series = series.annotate(bucket=TruncMonth("day"))
    else:
        series = series.annotate(bucket=F("day"))
    by_bucket = {row["bucket"]: row for row in series.values("bucket").annotate(
        total_amount=Sum("amount"), total_orders=Sum("orders")).order_by()}
    sources = {row["source"]: row for row in current.values("source").annotate(
        total_amount=Sum("amount"), total_units=Sum("units")).order_by()}
    return {
        "gmv": figure(amount, amount_before),
        "orders": figure(orders["n_orders"], orders["orders_before"]),
        "units": figure(units["n_units"], units["units_before"]),
        "average_order_value": figure(aov, aov_before),
        "refunded_amount": figure(_money(orders["refunded"]), _money(orders["refunded_before"])),
        "refunded_orders": figure(orders["n_refunded_orders"], orders["refunded_orders_before"]),
        "cancelled_orders": orders["cancelled"],
        "by_category": grouped("category__name"),
        "by_product": grouped("product__name", TOP),
        "by_organization": grouped("organization__name", TOP),
        "by_channel": grouped("channel__name"),
        "by_source": [{"source": key,
                       "amount": _money(sources.get(key, {}).get("total_amount")),
                       "units": sources.get(key, {}).get("total_units") or 0}
                      for key in (SalesDaily.Source.SHOP, SalesDaily.Source.BROADCAST)],
        "series": [{"bucket": bucket,
                    "amount": _money(by_bucket.get(bucket, {}).get("total_amount")),
                    "orders": by_bucket.get(bucket, {}).get("total_orders") or 0}
                   for bucket in period.buckets()],
    }


def market_indicators(pavilion: Pavilion | None, period: Period) -> dict:
    since, until = _instant(period.start), _instant(period.end)
    previous = period.previous()
    organizations = Organization.objects.filter(kind__in=PRODUCER_KINDS, is_active=True)
    households = Household.objects.all()
    if pavilion:
        organizations = organizations.filter(county=pavilion.county)
        households = households.filter(organization__county=pavilion.county)
    counts = organizations.aggregate(
        cooperatives=Count("pk", filter=Q(kind=Organization.Kind.COOPERATIVE,
                                          created_at__lt=until)),
        enterprises=Count("pk", filter=Q(kind=Organization.Kind.ENTERPRISE,
                                         created_at__lt=until)),
        new=Count("pk", filter=Q(created_at__gte=since, created_at__lt=until)),
        new_before=Count("pk", filter=Q(created_at__gte=_instant(previous.start),
                                        created_at__lt=since)))
    household_counts = households.aggregate(
        total=Count("pk", filter=Q(created_at__lt=until)),
        poverty=Count("pk", filter=Q(created_at__lt=until, is_poverty_registered=True)),
        new=Count("pk", filter=Q(created_at__gte=since, created_at__lt=until)),
        new_before=Count("pk", filter=Q(created_at__gte=_instant(previous.start),
                                        created_at__lt=since)))
    sellers = _additive(SalesDaily.objects.filter(**_both(period)), pavilion).aggregate(
        now=Count("organization", distinct=True, filter=_now(period)),
        before=Count("organization", distinct=True, filter=_before(period)))
    suppliers = _additive(HouseholdDaily.objects.filter(**_both(period)), pavilion).aggregate(
        now=Count("household", distinct=True, filter=_now(period)),
        before=Count("household", distinct=True, filter=_before(period)))
    return {
        "cooperatives": counts["cooperatives"],
        "enterprises": counts["enterprises"],
        "households": household_counts["total"],
        "poverty_households": household_counts["poverty"],
        "new_organizations": figure(counts["new"], counts["new_before"]),
        "new_households": figure(household_counts["new"], household_counts["new_before"]),
        "active_sellers": figure(sellers["now"], sellers["before"]),
        "active_households": figure(suppliers["now"], suppliers["before"]),
    }


def brand_indicators(pavilion: Pavilion | None, period: Period) -> dict:
    today = timezone.localdate()
    licences = Licence.objects.all()
    if pavilion:
        licences = licences.filter(brand__pavilion=pavilion)
    states = dict(licences.values_list("status").annotate(n=Count("pk")).order_by())
    in_force = Q(status=Licence.Status.ACTIVE, valid_from__lte=today, valid_until__gte=today)
    snapshot = licences.aggregate(
        expiring=Count("pk", filter=in_force & Q(valid_until__lte=today + timedelta(
            days=settings.STATISTICS_EXPIRY_WARNING_DAYS))),
        quota=Sum("annual_label_quota", filter=in_force, default=0))
    labels_this_year = LabelUse.objects.filter(licence__in=licences.filter(in_force),
                                               year=today.year).aggregate(
        n=Sum("count", default=0))["n"]
    events = _additive(BrandDaily.objects.filter(**_both(period)), pavilion).aggregate(
        **{f"{prefix}{name}": _sum(name, when)
           for name in ("granted", "suspended", "revoked", "expired", "labels_used",
                        "violations")
           for prefix, when in (("now_", _now(period)), ("before_", _before(period)))})
    return {
        "licences_by_status": [{"status": status, "label": str(label),
                                "count": states.get(status, 0)}
                               for status, label in Licence.Status.choices],
        "expiring_soon": snapshot["expiring"],
        "label_quota": snapshot["quota"],
        "label_quota_used": labels_this_year,
        "label_quota_share": ratio(labels_this_year, snapshot["quota"]),
        **{name: figure(events[f"now_{name}"], events[f"before_{name}"])
           for name in ("granted", "suspended", "revoked", "expired", "labels_used",
                        "violations")},
    }


def product_indicators(pavilion: Pavilion | None, period: Period) -> dict:
    traces = _additive(TraceDaily.objects.filter(**_both(period)), pavilion)
    totals = traces.aggregate(**{
        f"{prefix}{name}": _sum(name, when)
        for name in ("codes_issued", "codes_shipped", "scans", "first_scans", "flagged_scans")
        for prefix, when in (("now_", _now(period)), ("before_", _before(period)))})
    grades = (traces.filter(_now(period)).exclude(grade="").values("grade")
              .annotate(units=Sum("codes_shipped"), issued=Sum("codes_issued"))
              .order_by("-units", "grade"))
    provinces = (_additive(ScanProvinceDaily.objects.filter(_now(period)), pavilion)
                 .exclude(province="").values("province").annotate(total=Sum("scans"))
                 .order_by("-total"))
    return {
        **{name: figure(totals[f"now_{name}"], totals[f"before_{name}"])
           for name in ("codes_issued", "codes_shipped", "scans", "first_scans",
                        "flagged_scans")},
        # Of the packages shipped in the period, the share whose code was scanned.
        "first_scan_rate": ratio(min(totals["now_first_scans"], totals["now_codes_shipped"]),
                                 totals["now_codes_shipped"]),
        "grades_sold": [{"grade": row["grade"], "units": row["units"],
                         "issued": row["issued"]} for row in grades],
        "scans_by_province": [{"province": row["province"], "scans": row["total"]}
                              for row in provinces],
    }


def logistics_indicators(pavilion: Pavilion | None, period: Period) -> dict:
    rows = _order_level(LogisticsDaily.objects.filter(**_both(period)), pavilion)
    totals = rows.aggregate(
        shipped=_sum("shipped_orders", _now(period)),
        shipped_before=_sum("shipped_orders", _before(period)),
        in_time=_sum("shipped_in_time", _now(period)),
        in_time_before=_sum("shipped_in_time", _before(period)),
        delivered=_sum("delivered_orders", _now(period)),
        delivered_before=_sum("delivered_orders", _before(period)),
        hours=_sum("delivery_hours", _now(period)))
    carriers = (rows.filter(_now(period)).values("carrier")
                .annotate(shipped=Sum("shipped_orders"), in_time=Sum("shipped_in_time"),
                          delivered=Sum("delivered_orders"))
                .order_by("-shipped", "carrier"))
    buyers = (_order_level(OrderDaily.objects.filter(_now(period)), pavilion)
              .exclude(province="").values("province")
              .annotate(total_orders=Sum("orders"), total_amount=Sum("amount"))
              .order_by("-total_orders"))
    return {
        "shipped": figure(totals["shipped"], totals["shipped_before"]),
        "shipped_in_time_share": figure(ratio(totals["in_time"], totals["shipped"]),
                                        ratio(totals["in_time_before"],
                                              totals["shipped_before"])),
        "ship_within_hours": settings.STATISTICS_SHIP_WITHIN_HOURS,
        "delivered": figure(totals["delivered"], totals["delivered_before"]),
        "average_delivery_hours": (Decimal(totals["hours"]) / totals["delivered"]).quantize(
            Decimal("0.1")) if totals["delivered"] else None,
        "by_carrier": [{"carrier": row["carrier"], "shipped": row["shipped"],
                        "in_time_share": ratio(row["in_time"], row["shipped"]),
                        "delivered": row["delivered"]} for row in carriers],
        "buyers_by_province": [{"province": row["province"], "orders": row["total_orders"],
                                "amount": _money(row["total_amount"])} for row in buyers],
    }


BROADCASTS_SQL = """
SELECT b.id, b.title, b.starts_at, b.status, b.host_id, h.display_name, b.viewer_count,
       """ + BROADCAST_PAVILION + """ AS pavilion_id
  FROM {broadcast} b JOIN {host} h ON h.id = b.host_id
 WHERE b.starts_at >= %(since)s AND b.starts_at < %(until)s AND b.status <> 'cancelled'
 ORDER BY b.starts_at, b.id"""


def livestream_indicators(pavilion: Pavilion | None, period: Period) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(fill_tables(BROADCASTS_SQL), {"since": _instant(period.start),
                                               "until": _instant(period.end)})
        broadcasts = [dict(zip(("id", "title", "starts_at", "status", "host_id", "host",
                                "viewers", "pavilion_id"), row, strict=True))
                      for row in cursor.fetchall()]
    if pavilion:
        broadcasts = [b for b in broadcasts if b["pavilion_id"] == pavilion.pk]
    sales = {row["broadcast"]: row for row in BroadcastDaily.objects.filter(
        broadcast__in=[b["id"] for b in broadcasts]).values("broadcast").annotate(
        total_orders=Sum("orders"), total_units=Sum("units"), total_amount=Sum("amount"))
        .order_by()}
    weeks: dict[str, int] = {}
    day = period.start - timedelta(days=period.start.weekday())
    while day < period.end:
        year, week, _weekday = day.isocalendar()
        weeks[f"{year}-W{week:02d}"] = 0
        day += timedelta(days=7)
    for b in broadcasts:
        year, week, _weekday = timezone.localtime(b["starts_at"]).isocalendar()
        key = f"{year}-W{week:02d}"
        weeks[key] = weeks.get(key, 0) + 1
    # The rule is per county: for the whole platform, once a week in every county.
    counties = 1 if pavilion else max(Pavilion.objects.filter(is_published=True).count(), 1)
    rule = settings.STATISTICS_BROADCASTS_PER_WEEK * counties
    # Five hosts per county, as livestream counts them (active, real-name verified, of an
    # organisation in that county): the whole platform needs them in every county, so one
    # county's many hosts do not make up for another's none.
    by_county = county_hosts()
    counties = [pavilion.county] if pavilion else list(
        Pavilion.objects.filter(is_published=True).values_list("county", flat=True).distinct())
    host_rule = settings.STATISTICS_ACTIVE_HOSTS
    rows = []
    for b in broadcasts:
        sold = sales.get(b["id"], {})
        orders = sold.get("total_orders") or 0
        rows.append({"id": b["id"], "title": b["title"], "starts_at": b["starts_at"],
                     "status": b["status"], "host": b["host"], "viewers": b["viewers"],
                     "orders": orders, "units": sold.get("total_units") or 0,
                     "amount": _money(sold.get("total_amount")),
                     "conversion": ratio(orders, b["viewers"])})
    return {
        "broadcasts": len(broadcasts),
        "weeks": [{"week": key, "broadcasts": count, "meets_rule": count >= rule}
                  for key, count in sorted(weeks.items())],
        "weeks_meeting_rule": sum(1 for count in weeks.values() if count >= rule),
        "broadcasts_per_week_rule": rule,
        "active_hosts": sum(by_county.get(county, 0) for county in counties),
        "active_hosts_rule": host_rule * max(len(counties), 1),
        "hosts_by_county": {county: by_county.get(county, 0) for county in counties},
        "meets_hosts_rule": all(by_county.get(county, 0) >= host_rule for county in counties),
        "gmv": _money(sum((row["amount"] for row in rows), ZERO)),
        "per_broadcast": rows,
    }


def poverty_indicators(pavilion: Pavilion | None, period: Period) -> dict:
    rows = _additive(HouseholdDaily.objects.filter(**_both(period)), pavilion)
    poor = Q(is_poverty_registered=True)
    totals = rows.aggregate(
        now_amount=_sum("amount", _now(period)),
        amount_before=_sum("amount", _before(period)),
        poor_amount=_sum("amount", _now(period) & poor),
        poor_amount_before=_sum("amount", _before(period) & poor),
        poor_kg=_sum("quantity_kg", _now(period) & poor),
        poor_households=Count("household", distinct=True, filter=_now(period) & poor))
    top = (rows.filter(_now(period) & poor)
           .values("household", "household__head_name", "household__village")
           .annotate(total_amount=Sum("amount"), kg=Sum("quantity_kg"),
                     total_lots=Sum("lots"))
           .order_by("-total_amount", "household")[:TOP])
    return {
        "paid_to_households": figure(_money(totals["now_amount"]),
                                     _money(totals["amount_before"])),
        "paid_to_poverty_households": figure(_money(totals["poor_amount"]),
                                             _money(totals["poor_amount_before"])),
        "poverty_quantity_kg": totals["poor_kg"],
        "poverty_households_paid": totals["poor_households"],
        "per_household": [{
            "household": _masked(row["household__head_name"]),
            "village": row["household__village"] or "", "lots": row["total_lots"],
            "kg": row["kg"], "amount": _money(row["total_amount"])} for row in top],
    }


def _masked(name: str | None) -> str:
    name = name or ""
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


_instant = local_midnight


def county_statistics(pavilion: Pavilion | None, period: Period) -> dict:
    """Every indicator group for ``pavilion`` (``None``: the whole platform)."""
    previous = period.previous()
    return {
        "pavilion": pavilion,
        "period": {"kind": period.kind, "label": period.label(), "start": period.start,
                   "end": period.last_day, "previous_start": previous.start,
                   "previous_end": previous.last_day, "bucket": period.bucket_kind()},
        "sales": sales_indicators(pavilion, period),
        "market": market_indicators(pavilion, period),
        "brand": brand_indicators(pavilion, period),
        "products": product_indicators(pavilion, period),
        "logistics": logistics_indicators(pavilion, period),
        "livestream": livestream_indicators(pavilion, period),
        "poverty": poverty_indicators(pavilion, period),
    }


def cached_county_statistics(pavilion: Pavilion | None, period: Period) -> tuple[str, dict]:
    """``county_statistics`` through the cache: the key holds the rollups' generation (any
    recomputation makes a new key), today and the language; the master tables (licences,
    organisations, broadcasts) are read again after ``STATISTICS_CACHE_SECONDS``. Returns
    the key too, so a view can cache what it renders from the figures under it."""
    key = ":".join(str(part) for part in (
        "statistics", generation(), pavilion.pk if pavilion else "all", period.kind,
        period.start, period.end, timezone.localdate(), translation.get_language()))
    stats = cache.get(key)
    if stats is None:
        stats = county_statistics(pavilion, period)
        cache.set(key, stats, settings.STATISTICS_CACHE_SECONDS)
    return key, stats
