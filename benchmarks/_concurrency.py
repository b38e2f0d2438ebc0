"""The concurrent-buyer harness of the flash-sale benchmarks: a throwaway database on the
embedded PostgreSQL (created, migrated, dropped at the end; refused with DATABASE_URL, so
a real database is never touched), a shop with one hot variant, N buyers released together
through the real ``checkoutComplete`` (the /graphql/ view, one database connection per
buyer), and the baseline measured in the same run with the same buyers: the raw locked
stock update alone the fast way (one open connection per worker, no ORM: the conditional
UPDATE and the locked SELECT ... FOR UPDATE + UPDATE).

The buyers are threads of this process, or (:func:`use_processes`) processes of their
own, forked from this one once it is set up and warmed up: each with its own interpreter
and database connection, as separate web workers are, so that one GIL does not serialise
them (with threads, a buyer whose statement returned waits for the GIL before it can send
its COMMIT, however short the database work)."""

from __future__ import annotations

import base64
import gc
import json
import multiprocessing
import os
import sys
import threading
import time
from contextlib import contextmanager

from _setup import local_redis, setup_django, summary

COMPLETE = """mutation($id: ID) { checkoutComplete(id: $id) {
  order { number } errors { code } } }"""
ADDRESS = {"first_name": "王小明", "street_address_1": "仰韶路 12 号", "city": "三门峡市",
           "city_area": "渑池县", "country_area": "河南省", "postal_code": "472400",
           "phone": "13812345678"}


def run_on_throwaway_database(name: str, main, connect_per_request: bool = False) -> None:
    """Run ``main()`` on a database ``bench_<name>_<pid>`` of the embedded server, drop it
    afterwards and exit with ``main``'s return code.

    Buyer threads keep their database connection from one request to the next and open
    it before the clock starts, as a production web worker borrows an open one from
    Django's pool (DATABASE_URL's default) and as the raw baseline's workers do; with
    ``connect_per_request`` each request connects and disconnects instead (the embedded
    development database's setting), to compare."""
    if os.environ.get("DATABASE_URL"):
        sys.exit(f"{name}.py runs on the embedded PostgreSQL only: unset DATABASE_URL")
    database = f"bench_{name}_{os.getpid()}"
    os.environ["PGSERVER_DATABASE"] = database  # before setup_django, which only defaults it
    os.environ.setdefault("EMAIL_URL", "locmem://")
    code = 1
    with local_redis():
        try:
            print(f"database {database}: migrating ...", flush=True)
            setup_django(database)
            if not connect_per_request:
                from django.db import connections

                connections.settings["default"]["CONN_MAX_AGE"] = None
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


def own_variants(variant, warehouse, n: int, stock: int, name: str = "own") -> list:
    """``n`` more variants of ``variant``'s product at its price, each with ``stock`` units
    on a stock row of its own: a buyer each, for purchases with no hot row shared."""
    from decimal import Decimal

    from catalog import services as catalog_services
    from shop import services
    from shop.models import Channel

    channel = Channel.objects.get(slug="default")
    out = []
    for i in range(n):
        own = catalog_services.create_variant(variant.product, sku=f"{variant.sku}-{name}{i}",
                                              name=f"{variant.name} {i}")
        catalog_services.update_variant_channel_listings(
            own, [{"channel": channel, "price": Decimal("39.90")}])
        services.set_stock(own, warehouse, stock)
        out.append(own)
    return out


_DRIVER = {"processes": False}


def use_processes(on: bool = True) -> None:
    """Run the buyers (and the raw baseline's workers) as processes instead of threads."""
    _DRIVER["processes"] = on


def open_django_connection(_i):
    """A buyer's preparation: its database connection opened before the clock starts, as
    a production worker keeps one (unless each request connects on its own)."""
    from django.db import connection

    if connection.settings_dict["CONN_MAX_AGE"] != 0:
        connection.ensure_connection()


def run_buyers(n: int, work, prepare=open_django_connection):
    """Run ``work(i, prepare(i))`` in ``n`` buyers (threads, or processes after
    :func:`use_processes`), each prepared before they are released together; returns
    (seconds, results)."""
    if _DRIVER["processes"]:
        return _run_processes(n, work, prepare)
    return _run_threads(n, work, prepare)


def run_threads(n: int, work, connect: bool = False):
    """Run ``work(i)`` in ``n`` threads of this process released together, whatever the
    driver (each with its database connection open first when ``connect``); returns
    (seconds, results)."""
    return _run_threads(n, lambda i, _prepared: work(i),
                        open_django_connection if connect else lambda _i: None)


def _run_threads(n: int, work, prepare):
    from django.db import connections

    barrier = threading.Barrier(n + 1)
    results = [None] * n

    def target(i):
        try:
            prepared = prepare(i)
            barrier.wait()
            results[i] = work(i, prepared)
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


def _warm_child() -> None:
    """A forked buyer's own connections to the cache and to the broker, made before the
    clock starts, as a web worker that has served requests already has them (the
    connections inherited from the parent are dropped after a fork)."""
    from celery import current_app
    from django.core.cache import cache

    cache.get("benchmark:warm-up")
    with current_app.producer_pool.acquire(block=True) as producer:
        producer.connection.ensure_connection(max_retries=1)
        _channel = producer.channel


def _run_processes(n: int, work, prepare):
    """:func:`run_buyers` with a forked process per buyer. Each sends back its result and
    the lock holds it measured (:func:`hot_row_lock_probe`); the clock stops at the last
    result."""
    from django.db import connections

    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(n + 1), context.SimpleQueue()
    # A child must open its own connection: one inherited would share the parent's socket.
    connections.close_all()
    # What exists now stays out of the children's garbage collections, which would
    # otherwise touch (and so copy) every page they share with this process.
    gc.freeze()

    def child(i):
        try:
            _warm_child()
            prepared = prepare(i)
            barrier.wait(timeout=600)
            outcome = (i, work(i, prepared), list(_probe["holds"] or ()), None)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            barrier.abort()
            outcome = (i, None, [], f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()
        results.put(outcome)

    processes = [context.Process(target=child, args=(i,)) for i in range(n)]
    for process in processes:
        process.start()
    barrier.wait(timeout=600)
    started = time.perf_counter()
    gathered = [results.get() for _i in range(n)]
    seconds = time.perf_counter() - started
    for process in processes:
        process.join()
    failures = [error for _i, _r, _h, error in gathered if error]
    if failures:
        raise RuntimeError(f"{len(failures)} buyer processes failed: {failures[0]}")
    out = [None] * n
    for i, result, holds, _error in gathered:
        out[i] = result
        if _probe["holds"] is not None:
            _probe["holds"].extend(holds)
    return seconds, out


def complete_checkouts(tokens: list[str], per_thread: int = 1):
    """One buyer per ``per_thread`` checkout tokens, the buyers released together,
    each posting ``checkoutComplete`` for its tokens one after another; returns (seconds,
    [(latency, got an order, error codes)]). The checkouts were made beforehand (lines,
    address, delivery method), as a buyer's are when they press buy: only the
    ``checkoutComplete`` requests are timed."""
    from django.test import Client

    def buy(i, _prepared):
        client = Client()
        return [_complete(client, token)
                for token in tokens[i * per_thread:(i + 1) * per_thread]]

    seconds, results = run_buyers(len(tokens) // per_thread, buy)
    return seconds, [r for per in results for r in per]


def _complete(client, token) -> tuple[float, bool, list[str]]:
    """``checkoutComplete`` of checkout ``token``: (latency, got an order, error codes)."""
    gid = base64.b64encode(f"Checkout:{token}".encode()).decode()
    t0 = time.perf_counter()
    response = client.post("/graphql/", data=json.dumps(
        {"query": COMPLETE, "variables": {"id": gid}}), content_type="application/json")
    elapsed = time.perf_counter() - t0
    payload = response.json()["data"]["checkoutComplete"]
    return elapsed, bool(payload["order"]), [e["code"] for e in payload["errors"]]


def warm_up(variant, warehouse, method) -> None:
    """Run the view's code in this process before any buyer starts (the schema built, the
    modules a purchase imports loaded), so that forked buyers start as warm as threads:
    a few trivial mutations and one purchase of a variant of its own."""
    from django.test import Client

    from shop import services

    side = own_variants(variant, warehouse, 1, 1, name="warm-up")[0]
    checkout = services.create_checkout("default", email="warm-up@example.com",
                                        lines=[{"variant_id": side.pk, "quantity": 1}],
                                        shipping_address=ADDRESS)
    services.update_checkout_delivery_method(checkout, method.pk)
    client = Client()
    for _i in range(3):
        client.post("/graphql/", data=json.dumps({"query": TRIVIAL}),
                    content_type="application/json")
    assert _complete(client, checkout.token)[1], "the warm-up purchase failed"


def refusals_against_trivial(threads: int, make_tokens, rounds: int = 3,
                             per_thread: int = 8) -> dict:
    """Refusals once sold out against the trivial mutation, in alternate phases (a load
    change on the shared machine weighs on both sides alike): each phase ``threads``
    clients making ``per_thread`` requests one after another. ``make_tokens(n)`` returns
    ``n`` checkouts whose completion the sold-out gate refuses."""
    refused, latencies, seconds_refused, trivial, seconds_trivial = 0, [], 0.0, 0, 0.0
    trivial_latencies = []
    # What exists now stays out of the garbage collector, as gunicorn.conf.py does in each
    # web worker: otherwise a full collection over everything the sale left behind lands
    # in one of these short phases (most often a refusals' one) and decides the ratio.
    gc.collect()
    gc.freeze()
    for _r in range(rounds):
        tokens = make_tokens(threads * per_thread)
        seconds, results = trivial_mutation_phase(threads, per_thread)
        seconds_trivial += seconds
        trivial += len(results)
        trivial_latencies += results
        seconds, results = complete_checkouts(tokens, per_thread)
        seconds_refused += seconds
        latencies += [lat for lat, _ok, _c in results]
        refused += sum(codes == ["INSUFFICIENT_STOCK"] for _l, _ok, codes in results)
    out = {"refusals_alone": refused, "refusal_attempts": len(latencies),
           "refusals_per_second": round(len(latencies) / seconds_refused, 1),
           "refusals_p99_ms": summary(latencies)["p99_ms"],
           "trivial_mutations_per_second": round(trivial / seconds_trivial, 1),
           "trivial_p99_ms": summary(trivial_latencies)["p99_ms"]}
    out["ratio_refusals_vs_trivial_mutation"] = round(
        out["refusals_per_second"] / out["trivial_mutations_per_second"], 3)
    return out


def print_refusals(result: dict) -> None:
    print(f"refusals once sold out: {result['refusals_alone']} of "
          f"{result['refusal_attempts']}, {result['refusals_per_second']}/s, p99 "
          f"{result['refusals_p99_ms']} ms; trivial mutation "
          f"{result['trivial_mutations_per_second']}/s (alternate phases); ratio "
          f"{result['ratio_refusals_vs_trivial_mutation']}")


_probe = {"holds": None}


@contextmanager
def hot_row_lock_probe():
    """Measure, per purchase, how long the hot stock row stays locked: from the moment
    the stock take (``shop.services.stock._take_line``) took the units (the database
    server's clock, on this machine) until the transaction's COMMIT has returned to the
    buyer: with the take, when both go in one round trip, else the COMMIT that follows.
    Yields the list the durations (seconds) are appended to."""
    from django.db.backends.base import base

    from shop.services import stock

    taken_at, holds = threading.local(), []
    take, commit = stock._take_line, base.BaseDatabaseWrapper.commit

    def timed_take(line, channel, committed):
        at = take(line, channel, committed)
        if committed:
            holds.append(time.time() - at)
        else:
            taken_at.t = at
        return at

    def timed_commit(self):
        commit(self)
        started = getattr(taken_at, "t", None)
        if started is not None:
            holds.append(time.time() - started)
            taken_at.t = None

    stock._take_line, base.BaseDatabaseWrapper.commit = timed_take, timed_commit
    _probe["holds"] = holds
    try:
        yield holds
    finally:
        stock._take_line, base.BaseDatabaseWrapper.commit = take, commit
        _probe["holds"] = None


# The raw ceiling: the hot stock row updated the fast way, with no Django in the loop.
# Each worker keeps one open connection (psycopg, autocommit) and makes its attempts one
# after another, as a pool of web workers would.
_CONDITIONAL = ("UPDATE shop_stock SET quantity_allocated = quantity_allocated + 1 "
                "WHERE id = %s AND quantity - quantity_allocated >= 1 RETURNING id")
_LOCK = "SELECT quantity, quantity_allocated FROM shop_stock WHERE id = %s FOR UPDATE"
_TAKE = "UPDATE shop_stock SET quantity_allocated = quantity_allocated + 1 WHERE id = %s"


def _raw_connection():
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params)


def _raw_round(workers: int, attempts: int, stock_pk: int, locked: bool):
    """``workers`` workers, each on its own connection (opened before the clock starts),
    making ``attempts`` attempts to take one unit; returns (seconds, [(latency, took a
    unit, [])])."""

    def connect(_i):
        conn = _raw_connection()
        conn.autocommit = not locked
        return conn

    def work(_i, conn):
        out = []
        with conn, conn.cursor() as cursor:  # closed at the end
            for _a in range(attempts):
                t0 = time.perf_counter()
                if locked:
                    cursor.execute(_LOCK, [stock_pk])
                    quantity, allocated = cursor.fetchone()
                    ok = quantity - allocated >= 1
                    if ok:
                        cursor.execute(_TAKE, [stock_pk])
                    conn.commit()
                else:
                    cursor.execute(_CONDITIONAL, [stock_pk])
                    ok = cursor.fetchone() is not None
                out.append((time.perf_counter() - t0, ok, []))
        return out

    seconds, results = run_buyers(workers, work, prepare=connect)
    return seconds, [r for per_worker in results for r in per_worker]


def _raw_phase(variant, warehouse, *, workers, attempts, units, locked):
    from shop import services
    from shop.models import Stock

    stock = Stock.objects.get(product_variant=variant, warehouse=warehouse)
    services.set_stock(variant, warehouse, stock.quantity_allocated + units)
    seconds, results = _raw_round(workers, attempts, stock.pk, locked)
    took = sum(ok for _l, ok, _c in results)
    return seconds, results, took


def raw_baseline(variant, warehouse, *, threads: int, units: int, rounds: int,
                 attempts: int = 8) -> dict:
    """The raw ceiling on the variant's stock row, for the conditional ``UPDATE … WHERE
    quantity - quantity_allocated >= 1`` and for the locked variant (``SELECT … FOR
    UPDATE`` + ``UPDATE``, one transaction): the sale as the benchmark runs it (``units``
    units per round against ``threads`` workers' attempts), purchases alone (enough units
    for every attempt) and refusals alone (none left)."""
    out = {}
    for label, locked in (("raw_", False), ("raw_locked_", True)):
        latencies, seconds_total, taken = [], 0.0, 0
        for _r in range(rounds):
            seconds, results, took = _raw_phase(variant, warehouse, workers=threads,
                                                attempts=attempts, units=units,
                                                locked=locked)
            seconds_total += seconds
            taken += took
            latencies += [lat for lat, _ok, _c in results]
            assert took == units, f"raw {label}: {took} units taken of {units}"
        out.update(rates(label, latencies, seconds_total))
        total = threads * attempts
        seconds, _results, took = _raw_phase(variant, warehouse, workers=threads,
                                             attempts=attempts, units=total, locked=locked)
        assert took == total
        out[f"{label}purchases_per_second"] = round(took / seconds, 1)
        seconds, _results, took = _raw_phase(variant, warehouse, workers=threads,
                                             attempts=attempts, units=0, locked=locked)
        assert took == 0
        out[f"{label}refusals_per_second"] = round(total / seconds, 1)
    return out


TRIVIAL = 'mutation { tokenVerify(token: "x") { isValid errors { code } } }'


def trivial_mutation_phase(threads: int, per_thread: int = 8):
    """A trivial mutation through the same /graphql/ view (no database work), ``threads``
    clients at once, ``per_thread`` requests each: (seconds, latencies)."""
    from django.test import Client

    def work(_i, _prepared):
        client, out = Client(), []
        for _a in range(per_thread):
            t0 = time.perf_counter()
            client.post("/graphql/", data=json.dumps({"query": TRIVIAL}),
                        content_type="application/json")
            out.append(time.perf_counter() - t0)
        return out

    seconds, results = run_buyers(threads, work)
    return seconds, [lat for per in results for lat in per]


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
    print(f"raw conditional UPDATE (one open connection per worker): "
          f"{result['raw_attempts_per_second']} attempts/s, p50 {result['raw_p50_ms']} ms, "
          f"p99 {result['raw_p99_ms']} ms; purchases alone "
          f"{result['raw_purchases_per_second']}/s, refusals alone "
          f"{result['raw_refusals_per_second']}/s")
    print(f"raw locked (SELECT FOR UPDATE + UPDATE): "
          f"{result['raw_locked_attempts_per_second']} attempts/s; purchases alone "
          f"{result['raw_locked_purchases_per_second']}/s, refusals alone "
          f"{result['raw_locked_refusals_per_second']}/s")
    print(f"ratio {label} / raw update (attempts per second): "
          f"{result['ratio_attempts_vs_raw']}")
