"""Health checks for the load balancer, compose and the operators.

- ``/health/live/``   the process answers (no dependency touched);
- ``/health/``        the web process can serve: database, cache, Redis (broker and
  results), file storage;
- ``/health/worker/`` the above plus a Celery worker answering a ping through Redis.

Each answers JSON ``{"status": "ok"|"error", "checks": {name: "ok"|message}}`` with HTTP
200 or 503. They are answered by a middleware placed first, before host validation and
the HTTPS redirect, so that a probe from inside the container (``Host: localhost``, plain
HTTP) reaches them; they reveal nothing but which dependency is down.

Beat has no HTTP port: it runs with ``HeartbeatScheduler``, which touches a file on every
tick, and ``python -m config.health beat FILE`` says whether that file is fresh.
"""

from __future__ import annotations

import logging
import sys
import time
import uuid
from pathlib import Path

import redis
from celery.beat import PersistentScheduler
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse

from .celery import app as celery_app

logger = logging.getLogger(__name__)

PATHS = {"/health/live/": (), "/health/": ("database", "cache", "redis", "storage")}
PATHS["/health/worker/"] = (*PATHS["/health/"], "worker")
# Beat ticks at least this often (CELERY_BEAT_MAX_LOOP_INTERVAL), so a heartbeat older
# than three of them means beat is stuck or gone.
BEAT_STALE_SECONDS = 180


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def check_redis() -> None:
    if settings.REDIS_URL:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2,
                             socket_connect_timeout=2).ping()


def check_storage() -> None:
    name = default_storage.save(f"health-check-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise RuntimeError("the storage did not keep a file")
    finally:
        default_storage.delete(name)


def check_worker() -> None:
    if celery_app.conf.task_always_eager:
        return  # no broker: tasks run inline in the caller
    replies = celery_app.control.ping(timeout=2.0)
    if not replies:
        raise RuntimeError("no Celery worker answered")


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "redis": check_redis,
    "storage": check_storage,
    "worker": check_worker,
}


def run_checks(names) -> tuple[bool, dict]:
    results, healthy = {}, True
    for name in names:
        try:
            CHECKS[name]()
            results[name] = "ok"
        except Exception as exc:  # any failure is the answer, not an error page
            healthy = False
            results[name] = f"{type(exc).__name__}"
            logger.warning("health check %s failed: %s", name, exc)
    return healthy, results


class HealthCheckMiddleware:
    """Answers the health paths before anything else runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        names = PATHS.get(request.path_info)
        if names is None:
            return self.get_response(request)
        healthy, results = run_checks(names)
        response = JsonResponse({"status": "ok" if healthy else "error", "checks": results},
                                status=200 if healthy else 503)
        response["Cache-Control"] = "no-store"
        return response


class HeartbeatScheduler(PersistentScheduler):
    """Celery beat's default scheduler that also touches ``var/celerybeat-heartbeat`` on
    every tick, for the container's health check."""

    def tick(self, *args, **kwargs):
        heartbeat_file().touch()
        return super().tick(*args, **kwargs)


def heartbeat_file() -> Path:
    return Path(settings.VAR_DIR) / "celerybeat-heartbeat"


def beat_is_fresh(path: Path, now: float | None = None) -> bool:
    try:
        age = (now or time.time()) - path.stat().st_mtime
    except OSError:
        return False
    return age < BEAT_STALE_SECONDS


if __name__ == "__main__":
    # python -m config.health beat /app/var/celerybeat-heartbeat
    if len(sys.argv) != 3 or sys.argv[1] != "beat":
        sys.exit("usage: python -m config.health beat HEARTBEAT_FILE")
    sys.exit(0 if beat_is_fresh(Path(sys.argv[2])) else 1)
