"""gunicorn's settings, read from the working directory (the image's /app) by
``gunicorn config.wsgi:application``. Each can be changed by an environment variable:

- ``WEB_CONCURRENCY``: worker processes; default one per CPU core this process may use
  (cores as the container's CPU set allows, not the host's), at least 2. Measured with
  ``benchmarks/http.py`` on 2 cores: the stored pages are CPU work, so processes beyond
  the cores only take turns (2 workers of 4 threads: trace page 1,346 req/s, p99 6.7 ms;
  5 workers of 4 threads, the old 2 × cores + 1: 1,029 req/s, p99 9.1 ms);
- ``GUNICORN_THREADS``: threads per worker (default 4), so a worker waiting on the database
  or Alipay does not hold up the others; keep DB_POOL_MAX_SIZE at least this;
- ``GUNICORN_TIMEOUT``: seconds before a stuck worker is killed and replaced (default 60,
  above the database's 30 s statement timeout, so the database gives up first and the
  request answers an error instead of dying);
- ``GUNICORN_BIND``: address (default 0.0.0.0:8000).
"""

import gc
import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or max(_cores(), 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so that a slow leak cannot grow forever.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files in memory rather than on the container's overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The proxy in front (nginx in docker-compose.yml) sets X-Forwarded-For/-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
accesslog = "-"
# One line per request with the request id the application answered (X-Request-ID).
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'


def post_worker_init(worker):
    """Move what loading the application created (modules, models, the GraphQL schema)
    out of the garbage collector's reach: those objects live as long as the worker, and
    without this every full collection walks them again, in the middle of a request."""
    gc.freeze()
