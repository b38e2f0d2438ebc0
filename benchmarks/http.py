"""The production server over real HTTP: gunicorn (sync workers, and threads) on loopback
serving the trace page and a product page, driven by a bounded client (a fixed number of
concurrent connections, one request after another on each), with a 404 page as the
floor of the same stack; the pages take turns in blocks. Prints requests/s and p99 per
page at 1, 2 and 4 sync workers, 2 workers of 4 threads, and gunicorn.conf.py's default.

Runs on a throwaway database of the embedded PostgreSQL and a throwaway Redis (as
REDIS_URL: cache, scan buffer, Celery broker), both dropped afterwards; gunicorn binds to
127.0.0.1 only. Every trace look-up is recorded (TRACE_SCAN_REPEAT_SECONDS=0), and the
scans buffered in Redis are counted at the end.

    .venv/bin/python benchmarks/http.py [--requests 400] [--clients 4]
                                        [--pages trace,not_found]
Writes benchmarks/results/http.json, with the trace page's rate over the 404 page's in
the same configuration (``trace_over_not_found``)."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

# This file is named like the standard library's ``http``: the standard one is imported
# with this folder off the path, then the folder comes back (last) for the helpers.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
import http.client  # noqa: E402

sys.path.append(str(_HERE))
from _concurrency import run_on_throwaway_database, run_threads, setup_shop  # noqa: E402
from _setup import ROOT, summary, write_result  # noqa: E402

# The last is gunicorn.conf.py's default shape on this machine: 2 x cores + 1 workers of
# 4 threads each.
CONFIGS = [("sync", 1, 1), ("sync", 2, 1), ("sync", 4, 1), ("gthread", 2, 4),
           ("gthread", 2 * len(os.sched_getaffinity(0)) + 1, 4)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed_trace_codes(org, variant, warehouse, n: int) -> list[str]:
    """A sourcing lot, its inspection, grading and a packing run of ``n`` codes."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from supplychain import services

    product = variant.product
    household = services.create_household(org, head_name="王建国", village="果园村")
    grade = services.create_grade_standard(product, name="特级", criteria="单果≥60g")
    kg = Decimal(n)
    lot = services.create_sourcing_lot(org, product=product, household=household,
                                       harvested_on=timezone.localdate() - timedelta(days=3),
                                       quantity_kg=kg, unit_price="12")
    services.record_inspection(lot, lab="三门峡市农产品质量检测中心", result="passed",
                               inspected_on=timezone.localdate())
    graded = services.record_grading(org, inputs=[(lot, kg)], outputs=[(grade, kg)],
                                     loss_kg="0").outputs.get()
    run = services.create_packing_run(graded, variant=variant, warehouse=warehouse,
                                      quantity=n, net_weight_kg="1")
    return list(run.trace_codes.order_by("serial").values_list("code", flat=True))


def start_gunicorn(kind: str, workers: int, threads: int, port: int):
    env = {**os.environ, "TRACE_SCAN_REPEAT_SECONDS": "0", "LOG_LEVEL": "WARNING",
           "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", kind,
         "--threads", str(threads), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz-none")[0]:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def get(port: int, path: str) -> tuple[int, float]:
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Host": "localhost"})
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - t0
    finally:
        conn.close()


def warm(port: int, paths: list[str], clients: int) -> int:
    """One GET of each path and a few more to warm each worker: pages people keep opening
    are measured, not the first look-up of each. Returns the GETs made."""
    made = paths + paths[:clients * 2]
    for path in made:
        get(port, path)
    return len(made)


def drive(port: int, paths: list[str], requests: int, clients: int, expect: int,
          start: int = 0) -> tuple[float, list[float]]:
    """``requests`` GETs over ``clients`` concurrent connections (each one after another),
    from path ``start`` on; returns the seconds and each request's latency."""
    per_client = requests // clients

    def work(i):
        out = []
        for j in range(per_client):
            status, elapsed = get(port, paths[(start + i * per_client + j) % len(paths)])
            assert status == expect, (status, paths[0])
            out.append(elapsed)
        return out

    seconds, results = run_threads(clients, work)
    return seconds, [lat for per in results for lat in per]


# Each page's requests are made in this many blocks, the pages taking turns, so that
# whatever else the machine does meanwhile slows them alike.
ROUNDS = 5


def drive_pages(port: int, pages: dict, requests: int, clients: int) -> dict:
    warmed = {page: warm(port, paths, clients) for page, (paths, _status) in pages.items()}
    seconds = dict.fromkeys(pages, 0.0)
    latencies: dict[str, list[float]] = {page: [] for page in pages}
    block = max(clients, requests // ROUNDS)
    for round_ in range(ROUNDS):
        for page, (paths, status) in pages.items():
            spent, measured = drive(port, paths, block, clients, status, round_ * block)
            seconds[page] += spent
            latencies[page] += measured
    return {page: {"requests_per_second": round(len(latencies[page]) / seconds[page], 1),
                   "p50_ms": summary(latencies[page])["p50_ms"],
                   "p99_ms": summary(latencies[page])["p99_ms"],
                   "warm": warmed[page], "measured": len(latencies[page])}
            for page in pages}


def measure(args) -> int:
    from django.db import connections

    from supplychain.models import Scan
    from supplychain.services import scan_buffer

    org, variant, warehouse, _method = setup_shop(10_000)
    codes = seed_trace_codes(org, variant, warehouse, 200)
    connections.close_all()
    pages = {"trace": ([f"/t/{code}" for code in codes], 200),
             "product": ([f"/product/{variant.product.slug}/"], 200),
             "not_found": (["/no-such-page/"], 404)}
    pages = {page: pages[page] for page in args.pages}
    results, looked_up = {}, 0
    for kind, workers, threads in CONFIGS:
        label = f"{workers}x{kind}" + (f"x{threads}" if threads > 1 else "")
        port = _free_port()
        process = start_gunicorn(kind, workers, threads, port)
        try:
            results[label] = drive_pages(port, pages, args.requests, args.clients)
            for page in pages:
                if page == "trace":
                    looked_up += (results[label][page]["warm"]
                                  + results[label][page]["measured"])
                print(f"{label:>14} {page:>9}: {results[label][page]['requests_per_second']:>7}"
                      f" req/s, p50 {results[label][page]['p50_ms']} ms, "
                      f"p99 {results[label][page]['p99_ms']} ms", flush=True)
            if {"trace", "not_found"} <= set(results[label]):
                ratio = round(results[label]["trace"]["requests_per_second"]
                              / results[label]["not_found"]["requests_per_second"], 3)
                results[label]["trace_over_not_found"] = ratio
                print(f"{label:>14} trace page rate / 404 rate: {ratio}", flush=True)
        finally:
            process.terminate()
            process.wait(timeout=60)
    scan_buffer.flush(max_batches=10_000)
    kept = Scan.objects.count()
    print(f"trace look-ups {looked_up}, scans kept {kept}")
    result = {"clients": args.clients, "requests_per_page": args.requests, "cpus": os.cpu_count(),
              "pages": args.pages,
              "configs": results, "trace_lookups": looked_up, "scans_kept": kept}
    print(f"wrote {write_result('http', result)}")
    return 0 if kept == looked_up else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--pages", type=lambda text: text.split(","),
                        default=["trace", "product", "not_found"],
                        help="comma-separated: trace, product, not_found")
    args = parser.parse_args()
    run_on_throwaway_database("http", lambda: measure(args))


if __name__ == "__main__":
    main()
