"""Shared set-up for benchmarks: Django on a throwaway database of the embedded PostgreSQL
(or ``DATABASE_URL``), media in a temporary folder, and a JSON result writer."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def setup_django(database: str) -> None:
    """Configure Django on database ``database`` (created on the embedded server when no
    DATABASE_URL is set), migrated; media go to a temporary folder."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("PGSERVER_DATABASE", database)
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix=f"{database}-media-"))
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


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


def summary(times: list[float]) -> dict:
    return {
        "mean_ms": round(statistics.fmean(times) * 1000, 3),
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
