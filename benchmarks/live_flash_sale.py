"""Live flash sale (秒杀): N concurrent buyers (default 64) on a broadcast's live allocation,
each through the real ``checkoutComplete`` (the /graphql/ view, one database connection per
buyer thread), checkouts started from the broadcast (live price, per-buyer limit 1; a
quarter of the buyers try twice).

Prints completed orders per second, p50/p99 latency, oversold units (must be 0), per-buyer
limit violations (must be 0) and the ratio against the raw locked stock update alone
(SELECT ... FOR UPDATE on the stock row + UPDATE, one transaction per unit) measured in the
same run on the same database. Works in a throwaway database it creates and drops on the
embedded PostgreSQL server (refuses to run with DATABASE_URL set).

    .venv/bin/python benchmarks/live_flash_sale.py [--buyers 64] [--allocation 32] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = f"bench_live_flash_sale_{os.getpid()}"
if os.environ.get("DATABASE_URL"):
    sys.exit("live_flash_sale.py runs on the embedded PostgreSQL only: unset DATABASE_URL")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ["PGSERVER_DATABASE"] = DB_NAME
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

COMPLETE = """mutation($id: ID) { checkoutComplete(id: $id) {
  order { number } errors { code } } }"""
ADDRESS = {"first_name": "王小明", "street_address_1": "仰韶路 12 号", "city": "三门峡市",
           "city_area": "渑池县", "country_area": "河南省", "postal_code": "472400",
           "phone": "13812345678"}


def setup_catalogue(stock: int):
    from decimal import Decimal

    from catalog import services as catalog_services
    from catalog.models import ProductType
    from shop import services
    from shop.models import Channel, Organization, ShippingMethod, ShippingRate, ShippingZone, Warehouse

    channel = Channel.objects.create(name="特色馆", slug="default", currency_code="CNY")
    org = Organization.objects.create(name="渑池县果园柿饼专业合作社", slug="coop", kind="cooperative")
    warehouse = Warehouse.objects.create(name="果园仓", slug="wh", organization=org)
    warehouse.channels.add(channel)
    ptype = ProductType.objects.create(name="干果", slug="dried-fruit")
    product = catalog_services.create_product(org, ptype, name="渑池柿饼", slug="shibing")
    catalog_services.update_product_channel_listings(
        product, [{"channel": channel, "is_published": True}], [])
    variant = catalog_services.create_variant(product, sku="shibing-500g", name="500g")
    catalog_services.update_variant_channel_listings(
        variant, [{"channel": channel, "price": Decimal("39.90")}])
    services.set_stock(variant, warehouse, stock)
    zone = ShippingZone.objects.create(name="全国", channel=channel, is_default=True)
    method = ShippingMethod.objects.create(channel=channel, name="中国邮政", carrier="ems")
    ShippingRate.objects.create(method=method, zone=zone, first_price=8)
    return org, variant, warehouse, method


def live_broadcast(round_no, org, variant, allocation):
    """A broadcast live now (its own host and studio), the variant at 9.90 on flash sale."""
    from datetime import date, timedelta

    from django.utils import timezone

    from livestream import services
    from livestream.models import Venue
    from shop.models import Membership, User

    user = User.objects.create_user(f"host{round_no}@example.com", "a-Strong-pass-123")
    Membership.objects.create(user=user, organization=org)
    host = services.create_host(user=user, organization=org, display_name=f"主播{round_no}",
                                birth_date=date(1995, 1, 1), platforms=["douyin"],
                                real_name_verified=True)
    venue = Venue.objects.create(name=f"直播间{round_no}", kind="studio")
    start = timezone.now() + timedelta(minutes=1)
    broadcast = services.create_broadcast(host=host, venue=venue, title=f"秒杀专场{round_no}",
                                          starts_at=start, ends_at=start + timedelta(hours=1),
                                          platform="douyin")
    item = services.add_lineup_item(broadcast, variant=variant, live_price="9.90",
                                    quantity=allocation, per_buyer_limit=1,
                                    flash_sale_starts_at=timezone.now(), flash_sale_seconds=3000)
    services.start_broadcast(broadcast)
    return broadcast, item


def make_checkouts(round_no, n, broadcast, variant, method):
    from livestream import services
    from shop import services as shop_services

    distinct = n - n // 4  # a quarter of the buyers try a second time
    tokens = []
    for i in range(n):
        checkout = services.create_broadcast_checkout(
            broadcast, email=f"r{round_no}-buyer{i % distinct}@example.com",
            lines=[{"variant_id": variant.pk, "quantity": 1}], shipping_address=ADDRESS)
        shop_services.update_checkout_delivery_method(checkout, method.pk)
        tokens.append(str(checkout.token))
    return tokens


def run_threads(n, work):
    """Run ``work(i)`` in ``n`` threads released together; returns (seconds, results)."""
    barrier = threading.Barrier(n + 1)
    results = [None] * n

    def target(i):
        try:
            barrier.wait()
            results[i] = work(i)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, results


def flash_sale_round(buyers, variant, method, warehouse, stock):
    import base64

    from django.test import Client

    from shop import services
    from shop.models import Stock

    services.set_stock(variant, warehouse, Stock.objects.get(product_variant=variant)
                       .quantity_allocated + stock)
    tokens = make_checkouts(buyers, variant, method)

    def buy(i):
        gid = base64.b64encode(f"Checkout:{tokens[i]}".encode()).decode()
        client = Client()
        t0 = time.perf_counter()
        response = client.post("/graphql/", data=json.dumps(
            {"query": COMPLETE, "variables": {"id": gid}}), content_type="application/json")
        elapsed = time.perf_counter() - t0
        payload = response.json()["data"]["checkoutComplete"]
        return elapsed, bool(payload["order"]), [e["code"] for e in payload["errors"]]

    seconds, results = run_threads(buyers, buy)
    return seconds, results


def raw_round(n, stock_pk):
    """The same stock update alone: lock the row, check, increase allocated; n threads."""

    def allocate(_i):
        t0 = time.perf_counter()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT quantity, quantity_allocated FROM shop_stock "
                               "WHERE id = %s FOR UPDATE", [stock_pk])
                quantity, allocated = cursor.fetchone()
                ok = quantity - allocated >= 1
                if ok:
                    cursor.execute("UPDATE shop_stock SET quantity_allocated = "
                                   "quantity_allocated + 1 WHERE id = %s", [stock_pk])
        return time.perf_counter() - t0, ok, []

    return run_threads(n, allocate)


def percentile(values, p):
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[index]


def flash_sale_round(round_no, buyers, allocation, org, variant, method):
    import base64

    from django.test import Client

    broadcast, item = live_broadcast(round_no, org, variant, allocation)
    tokens = make_checkouts(round_no, buyers, broadcast, variant, method)

    def buy(i):
        gid = base64.b64encode(f"Checkout:{tokens[i]}".encode()).decode()
        client = Client()
        t0 = time.perf_counter()
        response = client.post("/graphql/", data=json.dumps(
            {"query": COMPLETE, "variables": {"id": gid}}), content_type="application/json")
        elapsed = time.perf_counter() - t0
        payload = response.json()["data"]["checkoutComplete"]
        return elapsed, bool(payload["order"]), [e["code"] for e in payload["errors"]]

    seconds, results = run_threads(buyers, buy)
    return seconds, results, item


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", type=int, default=64)
    parser.add_argument("--allocation", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    print(f"database {DB_NAME}: migrating ...", flush=True)
    call_command("migrate", verbosity=0)
    from django.db.models import Count, Sum

    from livestream.models import LineupItem, LivePurchase
    from shop.models import Order, Stock

    general = 1000
    org, variant, warehouse, method = setup_catalogue(general + args.allocation * args.rounds)
    latencies, orders, seconds_total, codes_seen = [], 0, 0.0, {}
    for round_no in range(args.rounds):
        seconds, results, _item = flash_sale_round(round_no, args.buyers, args.allocation, org,
                                                   variant, method)
        seconds_total += seconds
        for elapsed, ok, codes in results:
            latencies.append(elapsed)
            orders += ok
            for code in codes:
                codes_seen[code] = codes_seen.get(code, 0) + 1
    stock = Stock.objects.get(product_variant=variant)
    sold = LineupItem.objects.aggregate(n=Sum("quantity_sold"))["n"] or 0
    ordered = Order.objects.aggregate(n=Sum("lines__quantity"))["n"] or 0
    expected_orders = min(args.allocation, args.buyers - args.buyers // 4) * args.rounds
    oversold = (max(ordered - args.allocation * args.rounds, 0)
                + max(stock.quantity_allocated - stock.quantity, 0))
    limit_violations = (LivePurchase.objects.values("item", "buyer").annotate(n=Count("pk"))
                        .filter(n__gt=1).count())
    untouched = stock.quantity - stock.quantity_allocated  # the general stock, never sold live

    from shop import services

    raw_latencies, raw_ok, raw_seconds = [], 0, 0.0
    for _ in range(args.rounds):
        stock.refresh_from_db()
        services.set_stock(variant, warehouse, stock.quantity_allocated + args.allocation)
        seconds, results = raw_round(args.buyers, stock.pk)
        raw_seconds += seconds
        for elapsed, ok, _codes in results:
            raw_latencies.append(elapsed)
            raw_ok += ok

    result = {
        "buyers": args.buyers, "allocation_per_round": args.allocation, "rounds": args.rounds,
        "orders": orders, "expected_orders": expected_orders, "units_sold_live": sold,
        "refusals": codes_seen, "oversold_units": oversold,
        "per_buyer_limit_violations": limit_violations,
        "general_stock_untouched": untouched == general,
        "orders_per_second": round(orders / seconds_total, 1),
        "attempts_per_second": round(len(latencies) / seconds_total, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "raw_attempts_per_second": round(len(raw_latencies) / raw_seconds, 1),
        "raw_p50_ms": round(percentile(raw_latencies, 50) * 1000, 2),
        "raw_p99_ms": round(percentile(raw_latencies, 99) * 1000, 2),
    }
    result["ratio_attempts_vs_raw"] = round(
        result["attempts_per_second"] / result["raw_attempts_per_second"], 3)
    print(f"live checkoutComplete: {orders} orders (expected {expected_orders}), refusals "
          f"{codes_seen}")
    print(f"  {result['orders_per_second']} orders/s, {result['attempts_per_second']} attempts/s, "
          f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms")
    print(f"  oversold units: {oversold}; per-buyer limit violations: {limit_violations}; "
          f"general stock untouched: {result['general_stock_untouched']}")
    print(f"raw locked stock update: {result['raw_attempts_per_second']} attempts/s, "
          f"p50 {result['raw_p50_ms']} ms, p99 {result['raw_p99_ms']} ms")
    print(f"ratio live checkoutComplete / raw update (attempts per second): "
          f"{result['ratio_attempts_vs_raw']}")
    out = ROOT / "benchmarks" / "results" / "live_flash_sale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    ok = oversold == 0 and limit_violations == 0 and orders == expected_orders
    return 0 if ok else 1


def drop_database():
    connections.close_all()
    from shop.embedded import _servers

    for server in _servers.values():
        server.psql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE);')


if __name__ == "__main__":
    try:
        code = main()
    finally:
        drop_database()
    sys.exit(code)
