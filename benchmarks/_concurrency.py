"""The concurrent-buyer harness of the flash-sale benchmarks: a throwaway database on the
embedded PostgreSQL (created, migrated, dropped at the end; refused with DATABASE_URL, so
a real database is never touched), a shop with one hot variant, N buyers released together
through the real ``checkoutComplete`` (the /graphql/ view, one database connection per
buyer thread), and the baseline measured in the same run: the raw locked stock update
alone (SELECT ... FOR UPDATE on the stock row + UPDATE, one transaction per unit)."""

from __future__ import annotations

import base64
import json
import os
import sys
import threading
import time

from _setup import setup_django, summary

COMPLETE = """mutation($id: ID) { checkoutComplete(id: $id) {
  order { number } errors { code } } }"""
ADDRESS = {"first_name": "王小明", "street_address_1": "仰韶路 12 号", "city": "三门峡市",
           "city_area": "渑池县", "country_area": "河南省", "postal_code": "472400",
           "phone": "13812345678"}


def run_on_throwaway_database(name: str, main) -> None:
    """Run ``main()`` on a database ``bench_<name>_<pid>`` of the embedded server, drop it
    afterwards and exit with ``main``'s return code."""
    if os.environ.get("DATABASE_URL"):
        sys.exit(f"{name}.py runs on the embedded PostgreSQL only: unset DATABASE_URL")
    database = f"bench_{name}_{os.getpid()}"
    os.environ["PGSERVER_DATABASE"] = database  # before setup_django, which only defaults it
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    code = 1
    try:
        print(f"database {database}: migrating ...", flush=True)
        setup_django(database)
        code = main()
    finally:
        _drop_database(database)
    sys.exit(code)


def _drop_database(database: str) -> None:
    from django.db import connections

    from config.embedded import _servers

    connections.close_all()
    for server in _servers.values():
        server.psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE);')


def setup_shop(stock: int):
    """A channel, a cooperative with a warehouse, one variant (39.90) with ``stock`` units,
    one shipping method; returns (organization, variant, warehouse, shipping method)."""
    from decimal import Decimal

    from catalog import services as catalog_services
    from catalog.models import ProductType
    from shop import services
    from shop.models import (
        Channel,
        Organization,
        ShippingMethod,
        ShippingRate,
        ShippingZone,
        Warehouse,
    )

    channel = Channel.objects.create(name="特色馆", slug="default", currency_code="CNY")
    org = Organization.objects.create(name="渑池县果园柿饼专业合作社", slug="coop",
                                      kind="cooperative")
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


def run_threads(n: int, work):
    """Run ``work(i)`` in ``n`` threads released together; returns (seconds, results)."""
    from django.db import connections

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


def complete_checkouts(tokens: list[str]):
    """One buyer thread per checkout token, each posting ``checkoutComplete`` at once;
    returns (seconds, [(latency, got an order, error codes)])."""
    from django.test import Client

    def buy(i):
        gid = base64.b64encode(f"Checkout:{tokens[i]}".encode()).decode()
        client = Client()
        t0 = time.perf_counter()
        response = client.post("/graphql/", data=json.dumps(
            {"query": COMPLETE, "variables": {"id": gid}}), content_type="application/json")
        elapsed = time.perf_counter() - t0
        payload = response.json()["data"]["checkoutComplete"]
        return elapsed, bool(payload["order"]), [e["code"] for e in payload["errors"]]

    return run_threads(len(tokens), buy)


def _raw_round(n: int, stock_pk: int):
    from django.db import connection, transaction

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


def raw_baseline(variant, warehouse, *, threads: int, units: int, rounds: int) -> dict:
    """The raw locked update, ``rounds`` times: ``units`` more units on the variant's stock
    row, ``threads`` threads taking one each."""
    from shop import services
    from shop.models import Stock

    latencies, allocated, seconds_total = [], 0, 0.0
    for _ in range(rounds):
        stock = Stock.objects.get(product_variant=variant, warehouse=warehouse)
        services.set_stock(variant, warehouse, stock.quantity_allocated + units)
        seconds, results = _raw_round(threads, stock.pk)
        seconds_total += seconds
        for elapsed, ok, _codes in results:
            latencies.append(elapsed)
            allocated += ok
    return {"raw_allocations_per_second": round(allocated / seconds_total, 1),
            **rates("raw_", latencies, seconds_total)}


def rates(prefix: str, latencies: list[float], seconds: float) -> dict:
    """Attempts per second and the latency summary (mean, p50, p99 in ms), keys prefixed."""
    return {f"{prefix}attempts_per_second": round(len(latencies) / seconds, 1),
            **{f"{prefix}{key}": value for key, value in summary(latencies).items()}}


def with_ratio(result: dict) -> dict:
    """Add ``ratio_attempts_vs_raw``: attempts per second through the API over the raw ones."""
    result["ratio_attempts_vs_raw"] = round(
        result["attempts_per_second"] / result["raw_attempts_per_second"], 3)
    return result


def print_rates(label: str, result: dict) -> None:
    print(f"  {result['orders_per_second']} orders/s, {result['attempts_per_second']} "
          f"attempts/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms")
    print(f"raw locked stock update: {result['raw_attempts_per_second']} attempts/s, "
          f"p50 {result['raw_p50_ms']} ms, p99 {result['raw_p99_ms']} ms")
    print(f"ratio {label} / raw update (attempts per second): "
          f"{result['ratio_attempts_vs_raw']}")
