"""County statistics at scale: 1,000,000 orders and 10,000,000 scans over two years,
written with PostgreSQL COPY (not the ORM), then

(a) the full rebuild of the daily rollups (``services.rebuild``);
(b) the screen's server time (its JSON and its page, operator, this month and this year)
    against a trivial Django view measured in the same run through the same client and
    middleware (goal: within 10x), with the SQL query count of the screen before and after
    the data (it must not grow with the number of orders);
(c) the yearly report as XLSX.

Runs on the database ``bench_statistics`` of the embedded PostgreSQL (or DATABASE_URL),
dropped at the end unless --keep. Sizes are arguments; --orders 100000 --scans 1000000 for
a tenth.

    .venv/bin/python benchmarks/statistics.py [--orders 1000000] [--scans 10000000]

Writes benchmarks/results/statistics.json."""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, Python puts this folder first on the path, where this file would shadow
# the project's ``statistics`` app; the project's root comes first instead.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from datetime import UTC  # noqa: E402
from decimal import Decimal  # noqa: E402

PROVINCES = ["河南省", "北京市", "上海市", "广东省", "浙江省", "江苏省", "山东省", "四川省",
             "陕西省", "山西省", "湖北省", "青海省", "天津市", "河北省", "福建省", "湖南省"]
CARRIERS = ["中国邮政", "顺丰速运", "京东物流", "中通快递"]
DAYS = 730


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--scans", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("PGSERVER_DATABASE", "bench_statistics")
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-statistics-media-"))
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    database = connection.settings_dict["NAME"]
    try:
        result = run(args)
    finally:
        if not args.keep:
            _drop(database)
    result.update({"benchmark": "statistics", "python": platform.python_version(),
                   "machine": platform.machine(), "cpus": os.cpu_count()})
    out = ROOT / "benchmarks" / "results" / "statistics.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    print(f"written {out.relative_to(ROOT)}")


def _drop(database: str) -> None:
    from django.db import connection

    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    print(f"dropped database {database}")


def timed(fn, repeat: int, warmup: int = 2, before=None) -> dict:
    """p50 and mean of ``fn`` over ``repeat`` calls; ``before`` runs untimed before each."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    times.sort()
    return {"p50_ms": round(times[len(times) // 2] * 1000, 2),
            "mean_ms": round(sum(times) / len(times) * 1000, 2), "runs": repeat}


def run(args) -> dict:
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import clear_url_caches, path

    from config import urls as root_urls
    from county_statistics import services

    settings.ALLOWED_HOSTS = ["*"]
    rng = random.Random(14)
    started = time.perf_counter()
    base = make_base(rng)
    print(f"base records in {time.perf_counter() - started:.1f}s")

    root_urls.urlpatterns.insert(0, path("bench-trivial/", lambda r: HttpResponse("ok")))
    # The same, but reading who is signed in (the session and user queries every signed-in
    # page pays).
    root_urls.urlpatterns.insert(0, path("bench-trivial-user/", lambda r: HttpResponse(
        str(r.user.is_authenticated))))
    clear_url_caches()
    client = Client()
    client.force_login(base["operator"])

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response
        return call

    def queries(url) -> int:
        """SQL queries of a request computing the figures afresh (nothing cached)."""
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            get(url)()
        return len(captured)

    screen_year = "/statistics/data/?period=year"
    queries_before = queries(screen_year)

    started = time.perf_counter()
    counts = copy_data(rng, base, args.orders, args.scans)
    load_s = time.perf_counter() - started
    print(f"COPY of {counts} in {load_s:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("ANALYZE")

    started = time.perf_counter()
    days = services.rebuild()
    rebuild_s = time.perf_counter() - started
    print(f"(a) full rebuild of {days} days: {rebuild_s:.1f}s")
    started = time.perf_counter()
    services.refresh_days("sales", [base["today"]])
    services.refresh_days("trace", [base["today"]])
    day_s = time.perf_counter() - started
    print(f"    one day's sales and trace refresh: {day_s * 1000:.0f} ms")

    trivial = timed(get("/bench-trivial/"), args.repeat)
    trivial_user = timed(get("/bench-trivial-user/"), args.repeat)
    print(f"    trivial view {trivial['p50_ms']:.2f} ms, reading the user "
          f"{trivial_user['p50_ms']:.2f} ms (p50)")
    screens = {}
    for name, url, cold in (
            ("data_month", "/statistics/data/?period=month", False),
            ("data_year", screen_year, False),
            ("data_year_county", "/statistics/data/?period=year&county=county-0", False),
            ("page", "/statistics/", False),
            ("data_month_cold", "/statistics/data/?period=month", True),
            ("data_year_cold", screen_year, True)):
        stats = timed(get(url), args.repeat if not cold else max(args.repeat // 4, 3),
                      before=cache.clear if cold else None)
        stats["ratio_to_trivial"] = round(stats["p50_ms"] / trivial["p50_ms"], 1)
        stats["ratio_to_trivial_user"] = round(stats["p50_ms"] / trivial_user["p50_ms"], 1)
        screens[name] = stats
        print(f"(b) {name:17} p50 {stats['p50_ms']:8.2f} ms  {stats['ratio_to_trivial']:6.1f}x "
              f"the trivial view, {stats['ratio_to_trivial_user']:5.1f}x the one reading "
              f"the user")
    queries_after = queries(screen_year)
    print(f"    screen queries: {queries_before} with no orders, {queries_after} with "
          f"{args.orders} orders")

    report = timed(get("/statistics/report.xlsx?period=year"), max(args.repeat // 4, 3), 1)
    print(f"(c) yearly XLSX report p50 {report['p50_ms']:.0f} ms")
    return {"sizes": counts, "copy_seconds": round(load_s, 1),
            "rebuild": {"days": days, "seconds": round(rebuild_s, 2),
                        "one_day_refresh_ms": round(day_s * 1000, 1)},
            "trivial_view": trivial, "trivial_view_reading_user": trivial_user,
            "load_average": os.getloadavg(), "screen": screens,
            "screen_queries": {"no_orders": queries_before, "with_orders": queries_after},
            "report_xlsx_year": report}


def make_base(rng) -> dict:
    """Counties, sellers, products, households and one packing run per product and month,
    through the ORM (a few thousand rows)."""
    from django.utils import timezone

    from catalog.models import Category, Pavilion, Product, ProductType, ProductVariant
    from shop.models import Address, Channel, Membership, Organization, User
    from supplychain.models import (
        GradedLot,
        GradeStandard,
        GradingRecord,
        Household,
        PackingRun,
        SourcingLot,
    )

    today = timezone.localdate()
    start = timezone.now() - timedelta(days=DAYS)
    channel = Channel.objects.get_or_create(slug="default", defaults={"name": "特色馆"})[0]
    operator_org = Organization.objects.create(name="运营团队", slug="bench-operator",
                                               kind=Organization.Kind.OPERATOR)
    operator = User.objects.create_user("bench-operator@example.com", "x")
    Membership.objects.create(user=operator, organization=operator_org)
    ptype = ProductType.objects.create(name="农产品", slug="bench-type")
    categories = [Category.objects.create(name=f"品类{i}", slug=f"bench-category-{i}")
                  for i in range(15)]
    addresses = Address.objects.bulk_create([
        Address(first_name="买家", street_address_1="幸福路 1 号", city="市", country_area=p,
                phone="13800000000") for p in PROVINCES])
    products, runs, households = [], [], []
    for county in range(5):
        pavilion = Pavilion.objects.create(name=f"县{county}特色馆", slug=f"county-{county}",
                                           county=f"县{county}")
        orgs = Organization.objects.bulk_create([
            Organization(name=f"县{county}合作社{i}", slug=f"bench-{county}-{i}",
                         kind=Organization.Kind.COOPERATIVE, county=f"县{county}")
            for i in range(10)])
        for org in orgs:
            org.warehouses.create(name=f"{org.name}仓", slug=f"{org.slug}-wh")
            households += Household.objects.bulk_create([
                Household(organization=org, head_name=f"农户{i}", village="村",
                          is_poverty_registered=i % 3 == 0) for i in range(20)])
        for i in range(20):
            org = orgs[i % 10]
            product = Product.objects.create(
                organization=org, pavilion=pavilion, product_type=ptype,
                category=categories[(county * 20 + i) % 15], name=f"县{county}特产{i}",
                slug=f"bench-{county}-product-{i}")
            variant = ProductVariant.objects.create(product=product, sku=f"B{county}-{i}")
            products.append((product, variant, org, Decimal(rng.randint(20, 200))))
    lots, records, graded, grade_of = [], [], [], {}
    for product, _variant, _org, _price in products:
        grade_of[product.pk] = GradeStandard.objects.create(product=product, name="特级",
                                                            criteria="—")
    by_org = {}
    for household in households:
        by_org.setdefault(household.organization_id, []).append(household)
    for product, _variant, org, _price in products:
        for month in range(DAYS // 30):
            moment = start + timedelta(days=30 * month)
            lots.append(SourcingLot(
                organization=org, product=product, lot_number=f"S{product.pk}-{month}",
                household=rng.choice(by_org[org.pk]), harvested_on=moment.date(),
                received_at=moment, quantity_kg=Decimal("100"), unit_price=Decimal("10"),
                amount=Decimal("1000")))
    SourcingLot.objects.bulk_create(lots, batch_size=2000)
    for lot in lots:
        records.append(GradingRecord(organization_id=lot.organization_id,
                                     graded_at=lot.received_at, loss_kg=0))
    GradingRecord.objects.bulk_create(records, batch_size=2000)
    for lot, record in zip(lots, records, strict=True):
        graded.append(GradedLot(organization_id=lot.organization_id, record=record,
                                grade=grade_of[lot.product_id], lot_number=lot.lot_number[:20],
                                quantity_kg=Decimal("100")))
    GradedLot.objects.bulk_create(graded, batch_size=2000)
    variant_of = {product.pk: (variant, org) for product, variant, org, _p in products}
    for lot, graded_lot in zip(lots, graded, strict=True):
        variant, org = variant_of[lot.product_id]
        runs.append(PackingRun(organization=org, graded_lot=graded_lot, variant=variant,
                               warehouse=org.warehouses.first(), quantity=1,
                               net_weight_kg=Decimal("1"), packed_at=lot.received_at))
    PackingRun.objects.bulk_create(runs, batch_size=2000)
    return {"operator": operator, "channel": channel, "addresses": [a.pk for a in addresses],
            "products": products, "runs": runs, "start": start, "today": today}


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00")


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


ZERO_BY_TYPE = {"numeric": "0", "integer": "0", "bigint": "0", "smallint": "0",
                "boolean": "false", "jsonb": "{}", "character varying": "", "text": ""}


def _other_required(cursor, table: str, columns: str) -> tuple[str, str]:
    """Columns of ``table`` that must not be null, have no default and are not among
    ``columns`` (fields another part of the project added), with a zero value each."""
    given = {c.strip() for c in columns.split(",")}
    cursor.execute("SELECT column_name, data_type FROM information_schema.columns WHERE "
                   "table_name = %s AND is_nullable = 'NO' AND column_default IS NULL "
                   "AND is_identity = 'NO' ORDER BY ordinal_position", [table])
    extra = [(name, ZERO_BY_TYPE.get(kind, "")) for name, kind in cursor.fetchall()
             if name not in given]
    return ("".join(f", {name}" for name, _v in extra),
            "".join(f"\t{value}" for _n, value in extra))


def _copy(cursor, table: str, columns: str, rows) -> int:
    """COPY ``rows`` (tab-separated text lines) into ``table``, in chunks."""
    count = 0
    more_columns, more_values = _other_required(cursor, table, columns)
    with cursor.copy(f"COPY {table} ({columns}{more_columns}) FROM STDIN") as copy:
        chunk = []
        for row in rows:
            chunk.append(row[:-1] + more_values + "\n" if more_values else row)
            if len(chunk) >= 50_000:
                copy.write("".join(chunk))
                count += len(chunk)
                chunk = []
        if chunk:
            copy.write("".join(chunk))
            count += len(chunk)
    return count


def copy_data(rng, base, n_orders: int, n_scans: int) -> dict:
    """Orders (with a line each, the package, the delivery) and trace codes, shipped codes
    and scans, written with COPY; sequences moved past the ids used."""
    from django.db import connection, transaction

    start, channel = base["start"], base["channel"].pk
    products, runs, addresses = base["products"], base["runs"], base["addresses"]
    runs_of = {}
    for run in runs:
        runs_of.setdefault(run.variant_id, []).append(run)
    n_codes = max(n_orders, n_scans // 5)
    counts = {}
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute("SET LOCAL statement_timeout = 0")
        order_id = _next_id(cursor, "shop_order")
        line_id = _next_id(cursor, "shop_orderline")
        code_id = _next_id(cursor, "supplychain_tracecode")
        cursor.execute("SELECT nextval('shop_order_number_seq')")
        number = cursor.fetchone()[0] + 10_000_000
        span = DAYS * 86400
        plan = []  # (order id, paid moment, product index, qty, status)
        for i in range(n_orders):
            paid = start + timedelta(seconds=int(span * (i / n_orders) ** 0.8))
            roll = rng.random()
            status = "refunded" if roll < 0.03 else ("cancelled" if roll < 0.05 else "delivered")
            plan.append((order_id + i, paid, rng.randrange(len(products)), rng.randint(1, 3),
                         status))

        def orders():
            for oid, paid, index, qty, status in plan:
                price = products[index][3]
                total = price * qty
                refunded = total if status != "delivered" else 0
                yield (f"{oid}\t{number + oid}\t{channel}\tbench@example.com\t{status}\t"
                       f"{rng.choice(addresses)}\t邮政\tCNY\t{total}\t0\t{total}\t{total}\t"
                       f"{refunded}\t0\t\t{_ts(paid - timedelta(minutes=3))}\t{_ts(paid)}\t"
                       f"{_ts(paid)}\n")

        counts["orders"] = _copy(
            cursor, "shop_order",
            "id, number, channel_id, user_email, status, shipping_address_id, "
            "shipping_method_name, currency, subtotal_amount, shipping_price_amount, "
            "total_amount, total_charged_amount, total_refunded_amount, weight, customer_note, "
            "created_at, updated_at, paid_at", orders())

        def lines():
            for oid, _paid, index, qty, _status in plan:
                product, variant, org, price = products[index]
                source = "broadcast" if oid % 10 == 0 else ""
                yield (f"{line_id + oid - order_id}\t{oid}\t{variant.pk}\t{org.pk}\t"
                       f"{product.name}\t\t{variant.sku}\t{qty}\t{qty}\tCNY\t{price}\t{price}\t"
                       f"{price * qty}\t0\ttrue\t{source}\t\n")

        counts["order_lines"] = _copy(
            cursor, "shop_orderline",
            "id, order_id, variant_id, organization_id, product_name, variant_name, "
            "product_sku, quantity, quantity_fulfilled, currency, unit_price_amount, "
            "undiscounted_unit_price_amount, total_price_amount, unit_weight, "
            "is_shipping_required, source, source_ref", lines())

        def fulfilments():
            for oid, paid, index, _qty, status in plan:
                if status == "delivered":
                    org = products[index][2].pk
                    sent = paid + timedelta(hours=rng.choice([8, 20, 30, 44, 60]))
                    yield (f"{oid}\t{org}\t1\tdelivered\t{CARRIERS[oid % 4]}\tT{oid}\t"
                           f"{_ts(sent)}\n")

        counts["fulfilments"] = _copy(
            cursor, "shop_fulfillment",
            "order_id, organization_id, fulfillment_order, status, carrier, tracking_number, "
            "created_at", fulfilments())

        def events():
            for oid, paid, _index, _qty, status in plan:
                if status == "delivered":
                    yield f"{oid}\tdelivered\t{_ts(paid + timedelta(hours=80))}\t\t{{}}\n"

        counts["delivered_events"] = _copy(cursor, "shop_orderevent",
                                           "order_id, type, date, message, parameters", events())

        # Trace codes: the first n_orders go out on the orders' lines, the rest in stock.
        def codes():
            for i in range(n_codes):
                index = plan[i][2] if i < n_orders else rng.randrange(len(products))
                run = runs_of[products[index][1].pk][0] if i >= n_orders else _run_before(
                    runs_of[products[index][1].pk], plan[i][1])
                code = f"{rng.getrandbits(80):020X}"[:16]
                yield (f"{code_id + i}\t{code}\t{run.pk}\t{code_id + i}\tactive\t"
                       f"{_ts(run.packed_at)}\t0\n")

        counts["trace_codes"] = _copy(
            cursor, "supplychain_tracecode",
            "id, code, packing_run_id, serial, disposition, issued_at, scan_count", codes())

        def shipped():
            for i, (oid, paid, _index, _qty, status) in enumerate(plan):
                if status == "delivered":
                    yield (f"{code_id + i}\t{line_id + oid - order_id}\t"
                           f"{_ts(paid + timedelta(hours=30))}\n")

        counts["shipped_codes"] = _copy(cursor, "supplychain_shippedcode",
                                        "trace_code_id, order_line_id, shipped_at", shipped())

        def scans():
            for _ in range(n_scans):
                i = rng.randrange(n_orders)
                moment = plan[i][1] + timedelta(hours=rng.randint(60, 2000))
                flagged = "true" if rng.random() < 0.01 else "false"
                yield (f"{code_id + i}\tX\t{_ts(moment)}\tpage\t10.0.0.0/24\t\tfalse\tfalse\t"
                       f"{flagged}\t{flagged}\n")

        counts["scans"] = _copy(
            cursor, "supplychain_scan",
            "trace_code_id, code_text, scanned_at, source, network, user_agent, never_issued, "
            "before_shipping, too_many, is_flagged", scans())
        for table in ("shop_order", "shop_orderline", "shop_fulfillment", "shop_orderevent",
                      "supplychain_tracecode", "supplychain_shippedcode", "supplychain_scan"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT MAX(id) FROM {table}))")
        cursor.execute("SELECT setval('shop_order_number_seq', (SELECT MAX(number) FROM "
                       "shop_order))")
    return counts


def _run_before(runs, moment):
    chosen = runs[0]
    for run in runs:
        if run.packed_at <= moment:
            chosen = run
    return chosen


if __name__ == "__main__":
    main()
