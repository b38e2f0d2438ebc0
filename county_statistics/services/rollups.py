"""Daily rollups, recomputed from the raw records.

Each family of rollups has one SQL statement that aggregates the raw tables over a range
of local days (Asia/Shanghai) and replaces the family's rows for those days: rows are
never incremented, so recomputing a day any number of times (a retried task, a refund a
month later, the nightly rebuild) gives the figures a fresh computation gives.

Families and what they read:

- ``sales``: orders by the day they were paid (``SalesDaily``, ``OrderDaily``,
  ``LogisticsDaily``, ``BroadcastDaily``); later refunds, cancellations, shipping and
  delivery correct the day the order was paid;
- ``trace``: packing runs (codes issued), shipped codes, scans (``TraceDaily``,
  ``ScanProvinceDaily``);
- ``households``: sourcing lots bought from households (``HouseholdDaily``);
- ``brand``: licence events, brand labels booked, violations found (``BrandDaily``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from shop.models import Order

from .. import models

FAMILIES = ("sales", "trace", "households", "brand")

# Most orders are paid within minutes of being placed, but a late notice or an order
# kept open longer may be paid days later: the placed-at window that lets the orders'
# indexed ``created_at`` narrow the scans starts at the earliest placing of an order paid
# in the range (``placed_from``), never at a guessed margin.

TABLES = {
    "order": "shop_order", "line": "shop_orderline", "address": "shop_address",
    "fulfillment": "shop_fulfillment", "order_event": "shop_orderevent",
    "variant": "catalog_productvariant", "product": "catalog_product",
    "pavilion": "catalog_pavilion", "organization": "shop_organization",
    "packing_run": "supplychain_packingrun", "graded_lot": "supplychain_gradedlot",
    "grade": "supplychain_gradestandard", "trace_code": "supplychain_tracecode",
    "shipped_code": "supplychain_shippedcode", "scan": "supplychain_scan",
    "lot": "supplychain_sourcinglot", "household": "supplychain_household",
    "licence": "brand_licence", "licence_event": "brand_licenceevent",
    "brand": "brand_regionalbrand", "label_use": "brand_labeluse",
    "violation": "brand_violation", "broadcast": "livestream_broadcast",
    "lineup": "livestream_lineupitem", "venue": "livestream_venue",
    "host": "livestream_host",
    "sales_daily": models.SalesDaily._meta.db_table,
    "order_daily": models.OrderDaily._meta.db_table,
    "logistics_daily": models.LogisticsDaily._meta.db_table,
    "broadcast_daily": models.BroadcastDaily._meta.db_table,
    "trace_daily": models.TraceDaily._meta.db_table,
    "scan_province_daily": models.ScanProvinceDaily._meta.db_table,
    "household_daily": models.HouseholdDaily._meta.db_table,
    "brand_daily": models.BrandDaily._meta.db_table,
}

VALID = "o.status NOT IN ('cancelled', 'refunded')"

# The pavilion a broadcast sells for: its line-up's products' county, else the county of
# the venue's organisation.
BROADCAST_PAVILION = """COALESCE(
    (SELECT MIN(bp.pavilion_id) FROM {lineup} bli
       JOIN {variant} bv ON bv.id = bli.variant_id JOIN {product} bp ON bp.id = bv.product_id
      WHERE bli.broadcast_id = b.id),
    (SELECT MIN(pv.id) FROM {venue} vn JOIN {organization} vo ON vo.id = vn.organization_id
       JOIN {pavilion} pv ON pv.county = vo.county WHERE vn.id = b.venue_id))"""

# Orders paid in the window, with their lines' pavilions.
PAID_ORDERS = """
paid AS (
    SELECT o.id, o.channel_id, o.status, o.paid_at, o.total_refunded_amount,
           o.shipping_address_id, (o.paid_at AT TIME ZONE %(tz)s)::date AS day
      FROM {order} o
     WHERE o.created_at >= %(placed_from)s AND o.created_at < %(until)s
       AND o.paid_at >= %(since)s AND o.paid_at < %(until)s
),
scoped AS (
    SELECT paid.id AS order_id, p.pavilion_id, SUM(l.total_price_amount) AS amount
      FROM paid JOIN {line} l ON l.order_id = paid.id
      LEFT JOIN {variant} v ON v.id = l.variant_id LEFT JOIN {product} p ON p.id = v.product_id
     WHERE p.pavilion_id IS NOT NULL
     GROUP BY paid.id, p.pavilion_id
    UNION ALL
    SELECT paid.id, NULL, COALESCE(SUM(l.total_price_amount), 0)
      FROM paid LEFT JOIN {line} l ON l.order_id = paid.id GROUP BY paid.id
),
whole AS (SELECT order_id, amount FROM scoped WHERE pavilion_id IS NULL)"""

SALES_SQL = [
    """
INSERT INTO {sales_daily} (day, pavilion_id, channel_id, source, broadcast_id, category_id,
                           organization_id, product_id, orders, units, amount)
SELECT (o.paid_at AT TIME ZONE %(tz)s)::date, p.pavilion_id, o.channel_id,
       CASE WHEN l.source = 'broadcast' THEN 'broadcast' ELSE 'shop' END,
       CASE WHEN l.source = 'broadcast' AND l.source_ref ~ '^[0-9]{{1,18}}$'
            THEN l.source_ref::bigint END,
       p.category_id, l.organization_id, v.product_id,
       COUNT(DISTINCT o.id), SUM(l.quantity), SUM(l.total_price_amount)
  FROM {order} o JOIN {line} l ON l.order_id = o.id
  LEFT JOIN {variant} v ON v.id = l.variant_id LEFT JOIN {product} p ON p.id = v.product_id
 WHERE o.created_at >= %(placed_from)s AND o.created_at < %(until)s
   AND o.paid_at >= %(since)s AND o.paid_at < %(until)s AND """ + VALID + """
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8""",
    """
WITH """ + PAID_ORDERS + """
INSERT INTO {order_daily} (day, pavilion_id, channel_id, province, orders, amount,
                           refunded_orders, refunded_amount, cancelled_orders)
SELECT o.day, s.pavilion_id, o.channel_id, COALESCE(a.country_area, ''),
       COUNT(*) FILTER (WHERE """ + VALID + """),
       COALESCE(SUM(s.amount) FILTER (WHERE """ + VALID + """), 0),
       COUNT(*) FILTER (WHERE o.total_refunded_amount > 0),
       COALESCE(SUM(CASE WHEN s.pavilion_id IS NULL OR w.amount = 0
                         THEN o.total_refunded_amount
                         ELSE ROUND(o.total_refunded_amount * s.amount / w.amount, 2) END), 0),
       COUNT(*) FILTER (WHERE o.status = 'cancelled')
  FROM paid o JOIN scoped s ON s.order_id = o.id JOIN whole w ON w.order_id = o.id
  LEFT JOIN {address} a ON a.id = o.shipping_address_id
 GROUP BY 1, 2, 3, 4""",
    """
WITH """ + PAID_ORDERS + """,
first_package AS (
    SELECT DISTINCT ON (f.order_id) f.order_id, f.carrier, f.created_at
      FROM {fulfillment} f JOIN paid ON paid.id = f.order_id
     ORDER BY f.order_id, f.created_at, f.id
),
delivered AS (
    SELECT e.order_id, MIN(e.date) AS at
      FROM {order_event} e JOIN paid ON paid.id = e.order_id
     WHERE e.type = 'delivered' GROUP BY e.order_id
)
INSERT INTO {logistics_daily} (day, pavilion_id, carrier, shipped_orders, shipped_in_time,
                               delivered_orders, delivery_hours)
SELECT o.day, s.pavilion_id, f.carrier, COUNT(*),
       COUNT(*) FILTER (WHERE f.created_at <= o.paid_at + %(ship_within)s),
       COUNT(d.at),
       COALESCE(ROUND(SUM(EXTRACT(EPOCH FROM d.at - o.paid_at) / 3600)::numeric, 2), 0)
  FROM paid o JOIN scoped s ON s.order_id = o.id JOIN first_package f ON f.order_id = o.id
  LEFT JOIN delivered d ON d.order_id = o.id
 GROUP BY 1, 2, 3""",
    """
INSERT INTO {broadcast_daily} (day, broadcast_id, pavilion_id, orders, units, amount)
SELECT (o.paid_at AT TIME ZONE %(tz)s)::date, b.id, """ + BROADCAST_PAVILION + """,
       COUNT(DISTINCT o.id), SUM(l.quantity), SUM(l.total_price_amount)
  FROM {order} o JOIN {line} l ON l.order_id = o.id
  JOIN {broadcast} b ON l.source = 'broadcast' AND l.source_ref = b.id::text
 WHERE o.created_at >= %(placed_from)s AND o.created_at < %(until)s
   AND o.paid_at >= %(since)s AND o.paid_at < %(until)s AND """ + VALID + """
 GROUP BY 1, 2, 3""",
]

TRACE_SQL = [
    """
WITH facts AS (
    SELECT (r.packed_at AT TIME ZONE %(tz)s)::date AS day, p.pavilion_id,
           r.organization_id, v.product_id, g.name AS grade,
           r.quantity AS issued, 0 AS shipped, 0 AS scans, 0 AS first_scans, 0 AS flagged
      FROM {packing_run} r JOIN {variant} v ON v.id = r.variant_id
      JOIN {product} p ON p.id = v.product_id
      JOIN {graded_lot} gl ON gl.id = r.graded_lot_id JOIN {grade} g ON g.id = gl.grade_id
     WHERE r.packed_at >= %(since)s AND r.packed_at < %(until)s
    UNION ALL
    SELECT (sc.shipped_at AT TIME ZONE %(tz)s)::date, p.pavilion_id, r.organization_id,
           v.product_id, g.name, 0, COUNT(*), 0, 0, 0
      FROM {shipped_code} sc JOIN {trace_code} tc ON tc.id = sc.trace_code_id
      JOIN {packing_run} r ON r.id = tc.packing_run_id JOIN {variant} v ON v.id = r.variant_id
      JOIN {product} p ON p.id = v.product_id
      JOIN {graded_lot} gl ON gl.id = r.graded_lot_id JOIN {grade} g ON g.id = gl.grade_id
     WHERE sc.shipped_at >= %(since)s AND sc.shipped_at < %(until)s
     GROUP BY 1, 2, 3, 4, 5
    UNION ALL
    SELECT (s.scanned_at AT TIME ZONE %(tz)s)::date, p.pavilion_id, r.organization_id,
           v.product_id, COALESCE(g.name, ''), 0, 0, COUNT(*),
           COUNT(DISTINCT tc.id) FILTER (WHERE s.scanned_at = tc.first_scanned_at),
           COUNT(*) FILTER (WHERE s.is_flagged)
      FROM {scan} s LEFT JOIN {trace_code} tc ON tc.id = s.trace_code_id
      LEFT JOIN {packing_run} r ON r.id = tc.packing_run_id
      LEFT JOIN {variant} v ON v.id = r.variant_id LEFT JOIN {product} p ON p.id = v.product_id
      LEFT JOIN {graded_lot} gl ON gl.id = r.graded_lot_id
      LEFT JOIN {grade} g ON g.id = gl.grade_id
     WHERE s.scanned_at >= %(since)s AND s.scanned_at < %(until)s
     GROUP BY 1, 2, 3, 4, 5
)
INSERT INTO {trace_daily} (day, pavilion_id, organization_id, product_id, grade, codes_issued,
                           codes_shipped, scans, first_scans, flagged_scans)
SELECT day, pavilion_id, organization_id, product_id, COALESCE(grade, ''), SUM(issued),
       SUM(shipped), SUM(scans), SUM(first_scans), SUM(flagged)
  FROM facts GROUP BY 1, 2, 3, 4, 5""",
    """
INSERT INTO {scan_province_daily} (day, pavilion_id, province, scans)
SELECT (s.scanned_at AT TIME ZONE %(tz)s)::date, p.pavilion_id, COALESCE(a.country_area, ''),
       COUNT(*)
  FROM {scan} s LEFT JOIN {trace_code} tc ON tc.id = s.trace_code_id
  LEFT JOIN {packing_run} r ON r.id = tc.packing_run_id
  LEFT JOIN {variant} v ON v.id = r.variant_id LEFT JOIN {product} p ON p.id = v.product_id
  LEFT JOIN {shipped_code} sc ON sc.trace_code_id = tc.id
  LEFT JOIN {line} ol ON ol.id = sc.order_line_id LEFT JOIN {order} o ON o.id = ol.order_id
  LEFT JOIN {address} a ON a.id = o.shipping_address_id
 WHERE s.scanned_at >= %(since)s AND s.scanned_at < %(until)s
 GROUP BY 1, 2, 3""",
]

HOUSEHOLD_SQL = ["""
INSERT INTO {household_daily} (day, pavilion_id, organization_id, household_id,
                               is_poverty_registered, lots, quantity_kg, amount)
SELECT (lot.received_at AT TIME ZONE %(tz)s)::date, p.pavilion_id, lot.organization_id,
       lot.household_id, h.is_poverty_registered, COUNT(*), SUM(lot.quantity_kg),
       SUM(lot.amount)
  FROM {lot} lot JOIN {household} h ON h.id = lot.household_id
  JOIN {product} p ON p.id = lot.product_id
 WHERE lot.received_at >= %(since)s AND lot.received_at < %(until)s
 GROUP BY 1, 2, 3, 4, 5"""]

BRAND_SQL = ["""
WITH facts AS (
    SELECT (e.date AT TIME ZONE %(tz)s)::date AS day, b.pavilion_id,
           (e.type = 'granted')::int AS granted, (e.type = 'renewed')::int AS renewed,
           (e.type = 'suspended')::int AS suspended, (e.type = 'revoked')::int AS revoked,
           (e.type = 'expired')::int AS expired, 0 AS labels, 0 AS violations
      FROM {licence_event} e JOIN {licence} l ON l.id = e.licence_id
      JOIN {brand} b ON b.id = l.brand_id
     WHERE e.date >= %(since)s AND e.date < %(until)s
       AND e.type IN ('granted', 'renewed', 'suspended', 'revoked', 'expired')
    UNION ALL
    SELECT (u.created_at AT TIME ZONE %(tz)s)::date, b.pavilion_id, 0, 0, 0, 0, 0, u.count, 0
      FROM {label_use} u JOIN {licence} l ON l.id = u.licence_id
      JOIN {brand} b ON b.id = l.brand_id
     WHERE u.created_at >= %(since)s AND u.created_at < %(until)s
    UNION ALL
    SELECT vi.found_on, b.pavilion_id, 0, 0, 0, 0, 0, 0, 1
      FROM {violation} vi JOIN {licence} l ON l.id = vi.licence_id
      JOIN {brand} b ON b.id = l.brand_id
     WHERE vi.found_on >= %(first_day)s AND vi.found_on < %(end_day)s
)
INSERT INTO {brand_daily} (day, pavilion_id, granted, renewed, suspended, revoked, expired,
                           labels_used, violations)
SELECT day, pavilion_id, SUM(granted), SUM(renewed), SUM(suspended), SUM(revoked),
       SUM(expired), SUM(labels), SUM(violations)
  FROM facts GROUP BY 1, 2"""]

FAMILY_SQL = {"sales": SALES_SQL, "trace": TRACE_SQL, "households": HOUSEHOLD_SQL,
              "brand": BRAND_SQL}
FAMILY_TABLES = {
    "sales": ["sales_daily", "order_daily", "logistics_daily", "broadcast_daily"],
    "trace": ["trace_daily", "scan_province_daily"],
    "households": ["household_daily"],
    "brand": ["brand_daily"],
}


BUMP_GENERATION = f"""
INSERT INTO {models.RollupState._meta.db_table} (id, generation, refreshed_at)
VALUES (1, 1, now())
ON CONFLICT (id) DO UPDATE SET generation = {models.RollupState._meta.db_table}.generation + 1,
                               refreshed_at = now()"""


def generation() -> str:
    """Which recomputation the rollups are at (the cache key of derived figures): the
    counter and the time of the last one, so a restored database never reuses a key."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT generation, refreshed_at FROM "
                       f"{models.RollupState._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return f"{row[0]}@{row[1].timestamp()}" if row else "0"


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min),
                               timezone.get_default_timezone())


def refresh_range(family: str, first_day: date, end_day: date) -> None:
    """Recompute ``family``'s rollups for the local days ``first_day`` ≤ day < ``end_day``
    from the raw records, in one transaction (readers see the old rows or the new)."""
    since, until = local_midnight(first_day), local_midnight(end_day)
    params = {
        "tz": settings.TIME_ZONE, "since": since, "until": until,
        "placed_from": placed_from(since, until),
        "first_day": first_day, "end_day": end_day,
        "ship_within": timedelta(hours=settings.STATISTICS_SHIP_WITHIN_HOURS),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        # Background work over many rows: its own time limit, not the pages' one.
        cursor.execute("SELECT set_config('statement_timeout', %s, true)",
                       [str(settings.STATISTICS_STATEMENT_TIMEOUT_MS)])
        for table in FAMILY_TABLES[family]:
            cursor.execute(f"DELETE FROM {TABLES[table]} WHERE day >= %s AND day < %s",
                           [first_day, end_day])
        for sql in FAMILY_SQL[family]:
            cursor.execute(fill_tables(sql), params)
        cursor.execute(BUMP_GENERATION)


def placed_from(since: datetime, until: datetime) -> datetime:
    """When the earliest order paid in ``since`` ≤ paid_at < ``until`` was placed."""
    earliest = Order.objects.filter(paid_at__gte=since, paid_at__lt=until).aggregate(
        at=Min("created_at"))["at"]
    return min(earliest, since) if earliest else since


def fill_tables(sql: str) -> str:
    """The statement with its ``{table}`` names filled in (``{{``/``}}`` stay literal)."""
    for name, table in TABLES.items():
        sql = sql.replace("{" + name + "}", table)
    return sql.replace("{{", "{").replace("}}", "}")


def refresh_days(family: str, days: Iterable[date]) -> int:
    """Recompute ``family`` for each of ``days`` (contiguous days in one statement)."""
    ordered = sorted(set(days))
    count = 0
    start = previous = None
    for day in ordered + [None]:
        if day is not None and previous is not None and day == previous + timedelta(days=1):
            previous = day
            continue
        if start is not None:
            refresh_range(family, start, previous + timedelta(days=1))
            count += (previous - start).days + 1
        start = previous = day
    return count


def raw_date_range() -> tuple[date, date] | None:
    """The first and last local day any raw record behind the rollups falls on."""
    sql = fill_tables("""
        SELECT MIN(d), MAX(d) FROM (
            SELECT (MIN(paid_at) AT TIME ZONE %(tz)s)::date AS d FROM {order}
            UNION ALL SELECT (MAX(paid_at) AT TIME ZONE %(tz)s)::date FROM {order}
            UNION ALL SELECT (MIN(scanned_at) AT TIME ZONE %(tz)s)::date FROM {scan}
            UNION ALL SELECT (MAX(scanned_at) AT TIME ZONE %(tz)s)::date FROM {scan}
            UNION ALL SELECT (MIN(packed_at) AT TIME ZONE %(tz)s)::date FROM {packing_run}
            UNION ALL SELECT (MIN(received_at) AT TIME ZONE %(tz)s)::date FROM {lot}
            UNION ALL SELECT (MIN(date) AT TIME ZONE %(tz)s)::date FROM {licence_event}
            UNION ALL SELECT MIN(found_on) FROM {violation}
        ) AS days""")
    with connection.cursor() as cursor:
        cursor.execute(sql, {"tz": settings.TIME_ZONE})
        first, last = cursor.fetchone()
    if first is None:
        return None
    return first, max(last, timezone.localdate())


def rebuild(first_day: date | None = None, end_day: date | None = None, *,
            families: Iterable[str] = FAMILIES, chunk_days: int = 31,
            progress: Callable[[int], None] | None = None) -> int:
    """Recompute every rollup from the raw tables, ``chunk_days`` at a time (each chunk its
    own transaction); returns the number of days recomputed. Rows outside the raw records'
    range are dropped."""
    bounds = raw_date_range()
    if bounds is None:
        with transaction.atomic(), connection.cursor() as cursor:
            for family in families:
                for table in FAMILY_TABLES[family]:
                    cursor.execute(f"DELETE FROM {TABLES[table]}")
            cursor.execute(BUMP_GENERATION)
        return 0
    families = list(families)
    if first_day is None and end_day is None:
        first_day, end_day = bounds[0], bounds[1] + timedelta(days=1)
        with transaction.atomic(), connection.cursor() as cursor:
            for family in families:
                for table in FAMILY_TABLES[family]:
                    cursor.execute(f"DELETE FROM {TABLES[table]} WHERE day < %s OR day >= %s",
                                   [first_day, end_day])
            cursor.execute(BUMP_GENERATION)
    first_day = first_day or bounds[0]
    end_day = end_day or bounds[1] + timedelta(days=1)
    day = first_day
    while day < end_day:
        chunk_end = min(day + timedelta(days=chunk_days), end_day)
        for family in families:
            refresh_range(family, day, chunk_end)
        if progress:
            progress((chunk_end - day).days)
        day = chunk_end
    return (end_day - first_day).days


def rebuild_days_total(first_day: date | None = None, end_day: date | None = None) -> int:
    bounds = raw_date_range()
    if bounds is None:
        return 0
    return ((end_day or bounds[1] + timedelta(days=1)) - (first_day or bounds[0])).days
