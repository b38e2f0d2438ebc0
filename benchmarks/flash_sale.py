"""Flash sale: N concurrent buyers through the real ``checkoutComplete`` (the /graphql/
view, one database connection per buyer thread) on one hot variant with limited stock.

Prints completed orders per second, p50/p99 latency, oversold units (must be 0) and the
ratio against the raw throughput of the same locked stock update alone (SELECT ... FOR
UPDATE on the stock row + UPDATE, one transaction per unit) on the same database in the
same run. Works in a throwaway database it creates and drops on the embedded PostgreSQL
server (it refuses to run with DATABASE_URL set, so it never touches a real database).

    .venv/bin/python benchmarks/flash_sale.py [--buyers 32] [--stock 16] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = f"bench_flash_sale_{os.getpid()}"
if os.environ.get("DATABASE_URL"):
    sys.exit("flash_sale.py runs on the embedded PostgreSQL only: unset DATABASE_URL")
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
    return channel, variant, warehouse, method


def make_checkouts(n, variant, method):
    from shop import services

    address = {"first_name": "王小明", "street_address_1": "仰韶路 12 号", "city": "三门峡市",
               "city_area": "渑池县", "country_area": "河南省", "postal_code": "472400",
               "phone": "13812345678"}
    tokens = []
    for i in range(n):
        checkout = services.create_checkout("default", email=f"buyer{i}@example.com",
                                            lines=[{"variant_id": variant.pk, "quantity": 1}],
                                            shipping_address=address)
        services.update_checkout_delivery_method(checkout, method.pk)
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", type=int, default=32)
    parser.add_argument("--stock", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    print(f"database {DB_NAME}: migrating ...", flush=True)
    call_command("migrate", verbosity=0)
    from shop.models import Order, Stock

    channel, variant, warehouse, method = setup_catalogue(args.stock)
    latencies, orders, refused, seconds_total, other_errors = [], 0, 0, 0.0, []
    for _ in range(args.rounds):
        seconds, results = flash_sale_round(args.buyers, variant, method, warehouse, args.stock)
        seconds_total += seconds
        for elapsed, ok, codes in results:
            latencies.append(elapsed)
            orders += ok
            refused += codes == ["INSUFFICIENT_STOCK"]
            if not ok and codes != ["INSUFFICIENT_STOCK"]:
                other_errors.append(codes)
    stock = Stock.objects.get(product_variant=variant)
    oversold = max(stock.quantity_allocated - stock.quantity, 0)
    expected_orders = args.stock * args.rounds
    allocated_units = sum(line for line in Order.objects.values_list("lines__quantity", flat=True))

    # Baseline: the raw locked update on a fresh stock row with the same limit.
    from shop import services

    raw_latencies, raw_ok, raw_seconds = [], 0, 0.0
    for _ in range(args.rounds):
        stock.refresh_from_db()
        services.set_stock(variant, warehouse, stock.quantity_allocated + args.stock)
        seconds, results = raw_round(args.buyers, stock.pk)
        raw_seconds += seconds
        for elapsed, ok, _codes in results:
            raw_latencies.append(elapsed)
            raw_ok += ok

    result = {
        "buyers": args.buyers, "stock_per_round": args.stock, "rounds": args.rounds,
        "orders": orders, "expected_orders": expected_orders,
        "insufficient_stock": refused, "other_errors": len(other_errors),
        "oversold_units": oversold + max(allocated_units - expected_orders, 0),
        "orders_per_second": round(orders / seconds_total, 1),
        "attempts_per_second": round(len(latencies) / seconds_total, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "raw_allocations_per_second": round(raw_ok / raw_seconds, 1),
        "raw_attempts_per_second": round(len(raw_latencies) / raw_seconds, 1),
        "raw_p50_ms": round(percentile(raw_latencies, 50) * 1000, 2),
        "raw_p99_ms": round(percentile(raw_latencies, 99) * 1000, 2),
    }
    result["ratio_attempts_vs_raw"] = round(
        result["attempts_per_second"] / result["raw_attempts_per_second"], 3)
    print(f"checkoutComplete: {orders} orders of {expected_orders} units, {refused} refused "
          f"INSUFFICIENT_STOCK, {len(other_errors)} other errors")
    print(f"  {result['orders_per_second']} orders/s, {result['attempts_per_second']} attempts/s, "
          f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms")
    print(f"  oversold units: {result['oversold_units']}")
    print(f"raw locked stock update: {result['raw_attempts_per_second']} attempts/s, "
          f"p50 {result['raw_p50_ms']} ms, p99 {result['raw_p99_ms']} ms")
    print(f"ratio checkoutComplete / raw update (attempts per second): "
          f"{result['ratio_attempts_vs_raw']}")
    out = ROOT / "benchmarks" / "results" / "flash_sale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0 if result["oversold_units"] == 0 and orders == expected_orders else 1


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
