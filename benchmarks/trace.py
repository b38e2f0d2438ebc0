"""Benchmarks of the trace codes, against baselines measured in the same run:

(a) issuing codes for one packing run (the real service: locks, checks, COPY of the codes,
    stock, event) against a raw PostgreSQL ``COPY`` of the same number of rows;
(b) QR PNG rendering through ``services.qr_png`` against the old path (qrcode fitting
    the version and choosing the mask per code, drawing module by module);
(c) the public trace page through the real view (URL routing, look-up, scan recorded,
    page) against a trivial Django view, both through Django's test client and the same
    middleware, in alternating blocks;
(d) the round trips to Redis of one look-up of a held code, by the page and by the API's
    ``traceCode``;
(e) a code texted to the pavilion (the provider's push through the real endpoint, kept
    and its answer queued, then the worker's work: the look-up through the scan buffer and
    the reply composed; the SMS API's call itself left out) against the trace page's scan,
    in alternating blocks.

Runs on a throwaway database it creates and drops on the embedded PostgreSQL server.
    .venv/bin/python benchmarks/trace.py [--codes 100000] [--qr 300] [--requests 300]
                                         [--profile]
Writes benchmarks/results/trace.json. With ``--profile``, the trace page's loop is run
once more under cProfile and the functions taking the most time are printed."""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

from _setup import local_redis

ROOT = Path(__file__).resolve().parent.parent
# Requests of one kind in a row before the other kind's turn (c).
BLOCK = 50
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--codes", type=int, default=100_000)
    parser.add_argument("--qr", type=int, default=300)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile of the trace page's requests")
    args = parser.parse_args()

    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("SECRET_KEY", "benchmark-" + os.urandom(16).hex())
    with local_redis():
        _main(args)


def _main(args):
    import django
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(f"throwaway database {test_db}")
    try:
        results = run(args)
    finally:
        connection.creation.destroy_test_db(test_db,
                                            verbosity=0)
    out = ROOT / "benchmarks" / "results" / "trace.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"wrote {out.relative_to(ROOT)}")


def run(args) -> dict:
    from datetime import timedelta
    from decimal import Decimal

    import qrcode
    from django.db import connection, transaction
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import path
    from django.utils import timezone

    from catalog import services as catalog_services
    from catalog.models import ProductType
    from shop.models import Channel, Organization, Warehouse
    from supplychain import services
    from supplychain.models import TraceCode

    # A cooperative with one product, a graded lot large enough for the run.
    Channel.objects.get_or_create(slug="default", defaults={"name": "特色馆"})
    org = Organization.objects.create(name="渑池县果园柿饼专业合作社", slug="bench-coop",
                                      kind="cooperative", county="渑池县")
    warehouse = Warehouse.objects.create(name="果园仓", slug="bench-wh", organization=org)
    ptype = ProductType.objects.create(name="干果", slug="bench-dried")
    product = catalog_services.create_product(org, ptype, name="渑池柿饼", slug="bench-shibing")
    variant = catalog_services.create_variant(product, sku="bench-1", name="特级 500g")
    household = services.create_household(org, head_name="王建国", village="果园村")
    grade = services.create_grade_standard(product, name="特级", criteria="单果≥60g")
    kg = Decimal(args.codes)
    lot = services.create_sourcing_lot(org, product=product, household=household,
                                       harvested_on=timezone.localdate() - timedelta(days=3),
                                       quantity_kg=kg, unit_price="12")
    services.record_inspection(lot, lab="检测中心", result="passed",
                               inspected_on=timezone.localdate())
    record = services.record_grading(org, inputs=[(lot, kg)], outputs=[(grade, kg)],
                                     loss_kg="0")
    graded = record.outputs.get()

    # (a) issuing N codes vs raw COPY of N rows of the same shape.
    started = time.perf_counter()
    run_obj = services.create_packing_run(graded, variant=variant, warehouse=warehouse,
                                          quantity=args.codes, net_weight_kg="1")
    issue_s = time.perf_counter() - started
    assert TraceCode.objects.filter(packing_run=run_obj).count() == args.codes
    table = TraceCode._meta.db_table
    now = timezone.now()
    with transaction.atomic():
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # The rows' foreign key checked as the service's commit checks it (Django
            # declares it deferred; this COPY is rolled back, so it would never be).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with cursor.cursor.copy(
                    f"COPY {table} (code, packing_run_id, serial, disposition, issued_at, "
                    f"scan_count) FROM STDIN") as copy:
                for i in range(args.codes):
                    copy.write_row((uuid.uuid4().hex[:16].upper(), run_obj.pk,
                                    args.codes + i + 1, "active", now, 0))
        copy_s = time.perf_counter() - started
        transaction.set_rollback(True)
    a = {"codes": args.codes, "service_seconds": round(issue_s, 3),
         "service_codes_per_second": round(args.codes / issue_s),
         "raw_copy_seconds": round(copy_s, 3),
         "raw_copy_rows_per_second": round(args.codes / copy_s),
         "ratio_service_over_copy": round(issue_s / copy_s, 2)}
    print(f"(a) issue {args.codes} codes: {a['service_codes_per_second']}/s "
          f"({issue_s:.2f}s); raw COPY {a['raw_copy_rows_per_second']}/s ({copy_s:.2f}s); "
          f"service takes {a['ratio_service_over_copy']}x the COPY time")

    # (b) QR PNG through the service (fixed version and mask, drawn by Pillow) vs the
    # old path (qrcode fitting the version and scoring all eight masks, drawn module by
    # module by qrcode's PIL factory), both measured here on the same codes.
    codes = list(TraceCode.objects.values_list("code", flat=True)[: args.qr])
    for code in codes[:10]:  # imports, the version cache
        services.qr_png(code)

    def old_qr_png(code):
        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8,
                           border=2)
        qr.add_data(services.trace_url(code))
        qr.make(fit=True)
        buffer = io.BytesIO()
        qr.make_image().save(buffer, format="PNG")
        return buffer.getvalue()

    started = time.perf_counter()
    for code in codes:
        services.qr_png(code)
    service_qr = time.perf_counter() - started
    started = time.perf_counter()
    for code in codes:
        old_qr_png(code)
    old_qr = time.perf_counter() - started
    b = {"images": len(codes), "service_per_second": round(len(codes) / service_qr, 1),
         "old_path_per_second": round(len(codes) / old_qr, 1),
         "ratio_service_rate_over_old": round(old_qr / service_qr, 2)}
    print(f"(b) QR PNG: service {b['service_per_second']} labels/s, old path "
          f"{b['old_path_per_second']}/s, {b['ratio_service_rate_over_old']}x the old rate")

    # (c) the trace page through the real view vs a trivial view, same client and stack.
    import config.urls as root_urls
    root_urls.urlpatterns.append(path("bench-trivial/", lambda r: HttpResponse("ok")))
    from django.urls import clear_url_caches
    clear_url_caches()
    client = Client()
    page_codes = codes[: min(len(codes), 50)] or codes
    for code in page_codes:  # warm templates and each code's cached page data
        client.get(f"/t/{code}", REMOTE_ADDR="192.0.2.1")
    client.get("/bench-trivial/")
    from supplychain.models import Scan
    from supplychain.services import scan_buffer

    scan_buffer.flush()
    before = Scan.objects.count()

    def trace_pages(first, count):
        for i in range(first, first + count):
            # A different client each time: every look-up is a scan to keep.
            response = client.get(f"/t/{page_codes[i % len(page_codes)]}",
                                  REMOTE_ADDR=f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}")
            assert response.status_code == 200

    # The kinds in alternating blocks, so that whatever else the machine does meanwhile
    # slows them alike; each kind's time is the sum of its blocks. Besides the trivial
    # view, the trivial view plus one round trip to Redis (a PING): the least a look-up
    # costs that records its scan in Redis and answers with its count.
    redis_client = scan_buffer.client()
    page_s = trivial_s = floor_s = 0.0
    for first in range(0, args.requests, BLOCK):
        count = min(BLOCK, args.requests - first)
        started = time.perf_counter()
        trace_pages(first, count)
        page_s += time.perf_counter() - started
        started = time.perf_counter()
        for _i in range(count):
            assert client.get("/bench-trivial/").status_code == 200
        trivial_s += time.perf_counter() - started
        started = time.perf_counter()
        for _i in range(count):
            assert client.get("/bench-trivial/").status_code == 200
            redis_client.ping()
        floor_s += time.perf_counter() - started
    started = time.perf_counter()
    flushed = scan_buffer.flush()
    flush_s = time.perf_counter() - started
    kept = Scan.objects.count() - before
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        trace_pages(args.requests, args.requests)
        profiler.disable()
        scan_buffer.flush()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    c = {"requests": args.requests, "scans_kept": kept, "buffered_then_flushed": flushed,
         "flush_scans_per_second": round(flushed / flush_s) if flushed else None,
         "trace_page_per_second": round(args.requests / page_s, 1),
         "trivial_view_per_second": round(args.requests / trivial_s, 1),
         "ratio_trace_over_trivial": round(page_s / trivial_s, 2),
         "ratio_trace_rate_vs_trivial_rate": round(trivial_s / page_s, 3),
         "trivial_plus_redis_round_trip_per_second": round(args.requests / floor_s, 1),
         "ratio_trace_rate_vs_trivial_plus_round_trip_rate": round(floor_s / page_s, 3)}
    print(f"(c) trace page {c['trace_page_per_second']} req/s, trivial view "
          f"{c['trivial_view_per_second']} req/s, rate ratio "
          f"{c['ratio_trace_rate_vs_trivial_rate']}; trivial view + one Redis round trip "
          f"{c['trivial_plus_redis_round_trip_per_second']} req/s, rate ratio "
          f"{c['ratio_trace_rate_vs_trivial_plus_round_trip_rate']}; "
          f"scans kept {kept} of {args.requests} "
          f"(flushed from Redis in batches: {flushed}, {c['flush_scans_per_second']}/s)")
    d = round_trips(client, page_codes[0])
    print(f"(d) round trips to Redis per look-up of a held code: page {d['page']}, "
          f"GraphQL traceCode {d['graphql']}")
    e = sms_lookups(client, page_codes, args.requests)
    print(f"(e) texted codes {e['sms_lookups_per_second']}/s (push kept and queued "
          f"{e['push_per_second']}/s, answer worked out {e['reply_per_second']}/s) against "
          f"the trace page's scans {e['page_scans_per_second']}/s: rate ratio "
          f"{e['ratio_sms_rate_vs_page_rate']}")
    return {"issue_codes": a, "qr_png": b, "trace_page": c, "round_trips": d, "sms": e}


def sms_lookups(client, codes: list[str], count: int) -> dict:
    """Texted codes against page scans of the same codes, each from a sender of its own,
    in alternating blocks: the push through ``/sms/inbound/<token>/`` (kept, its answer
    queued to Redis), then ``sms_trace.reply_to`` as the worker runs it, with the SMS
    API's call replaced (its network time is the provider's, not ours)."""
    import json as json_module

    from django.conf import settings
    from django.utils import timezone

    from supplychain import sms_trace
    from supplychain.models import InboundSms

    settings.SMS_INBOUND_TOKEN = "bench-token"
    settings.SMS_TEMPLATES = {"trace_reply": "SMS_1", "trace_not_found": "SMS_2"}
    settings.SMS_ACCESS_KEY_ID, settings.SMS_SIGN_NAME = "bench", "bench"
    sms_trace.send_sms = lambda phone, template, params: True
    sent = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")

    def push(i):
        body = json_module.dumps([{"phone_number": f"139{i:08d}", "content": codes[i % len(codes)],
                                   "send_time": sent, "dest_code": "1", "sequence_id": str(i)}])
        response = client.post("/sms/inbound/bench-token/", body,
                               content_type="application/json")
        assert response.status_code == 200

    def page(i):
        response = client.get(f"/t/{codes[i % len(codes)]}",
                              REMOTE_ADDR=f"172.16.{i // 256 % 256}.{i % 256}")
        assert response.status_code == 200

    push_s = reply_s = page_s = 0.0
    for first in range(0, count, BLOCK):
        block = range(first, min(first + BLOCK, count))
        started = time.perf_counter()
        for i in block:
            page(i)
        page_s += time.perf_counter() - started
        started = time.perf_counter()
        for i in block:
            push(i)
        push_s += time.perf_counter() - started
        waiting = list(InboundSms.objects.filter(status="received").values_list("pk", flat=True))
        started = time.perf_counter()
        for pk in waiting:
            assert sms_trace.reply_to(pk) == "replied"
        reply_s += time.perf_counter() - started
    assert InboundSms.objects.filter(status="replied").count() == count
    return {"texts": count, "push_per_second": round(count / push_s, 1),
            "reply_per_second": round(count / reply_s, 1),
            "sms_lookups_per_second": round(count / (push_s + reply_s), 1),
            "page_scans_per_second": round(count / page_s, 1),
            "ratio_sms_rate_vs_page_rate": round(page_s / (push_s + reply_s), 3)}


def round_trips(client, code: str) -> dict:
    """Round trips to Redis (the scan buffer's and the cache's: one per command, one per
    pipeline) of one look-up of ``code``, which this process holds, by the page and by
    the API's ``traceCode``."""
    import redis

    count = [0]
    command, pipeline = redis.Redis.execute_command, redis.client.Pipeline.execute

    def counted_command(self, *args, **options):
        if not isinstance(self, redis.client.Pipeline):
            count[0] += 1
        return command(self, *args, **options)

    def counted_pipeline(self, *args, **options):
        count[0] += 1
        return pipeline(self, *args, **options)

    query = {"query": "query($c: String!) { traceCode(code: $c) { code scanCount } }",
             "variables": {"c": code}}
    looks = {
        "page": lambda address: client.get(f"/t/{code}", REMOTE_ADDR=address),
        "graphql": lambda address: client.post("/graphql/", query,
                                                content_type="application/json",
                                                REMOTE_ADDR=address),
    }
    found = {}
    redis.Redis.execute_command, redis.client.Pipeline.execute = counted_command, \
        counted_pipeline
    try:
        for name, look in looks.items():
            assert look("192.0.2.1").status_code == 200  # held by this process now
            count[0] = 0
            assert look("192.0.2.2").status_code == 200
            found[name] = count[0]
    finally:
        redis.Redis.execute_command, redis.client.Pipeline.execute = command, pipeline
    return found


if __name__ == "__main__":
    main()
