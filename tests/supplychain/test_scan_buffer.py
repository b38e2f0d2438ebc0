"""Trace-page scans through the Redis buffer: answered from Redis, written in batches by
the flush task, each exactly once even when the writer dies midway, written directly
while Redis is unreachable, and the first-scan notice right under concurrent scans."""

import multiprocessing
import os
import threading

import pytest
import redis
from django.db import connections, transaction
from django.test import Client

from supplychain.models import Scan, TraceCode
from supplychain.services import scan_buffer
from supplychain.tasks import flush_scans
from tests.background import TASK_TIMEOUT, wait_for_task_runs

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def buffered(settings, redis_url):
    """The trace page with the Redis buffer of a real, emptied Redis server."""
    settings.REDIS_URL = redis_url
    redis.Redis.from_url(redis_url).flushdb()
    scan_buffer._down_until = 0.0
    yield redis.Redis.from_url(redis_url)
    scan_buffer._down_until = 0.0


def look_up(code, address, **extra):
    return Client().get(f"/t/{code}", REMOTE_ADDR=address, **extra)


def test_scans_wait_in_redis_and_the_flush_writes_each_once(buffered, trace, zh_catalogue):
    for i in range(5):
        response = look_up(trace.code, f"198.51.100.{i}")
        assert response.status_code == 200
        assert f"此码已被查询 {i + 1} 次" in response.content.decode() or i == 0
    # The page answered without writing: the scans wait in Redis.
    assert Scan.objects.count() == 0 and scan_buffer.pending() == 5
    assert flush_scans() == 5
    assert flush_scans() == 0
    trace.refresh_from_db()
    assert trace.scan_count == 5 and trace.first_scanned_at is not None
    assert Scan.objects.filter(trace_code=trace).count() == 5
    assert Scan.objects.filter(network="198.51.100.0/24", source="page").count() == 5
    # A sixth look-up continues from the counter, not from zero.
    assert "此码已被查询 6 次" in look_up(trace.code, "203.0.113.9").content.decode()


def test_a_repeat_by_the_same_client_is_shown_but_counted_once(buffered, trace, zh_catalogue):
    first = look_up(trace.code, "198.51.100.7").content.decode()
    again = look_up(trace.code, "198.51.100.7")
    assert again.status_code == 200 and "这是此码的首次查询" in first
    assert "这是此码的首次查询" in again.content.decode()
    flush_scans()
    assert Scan.objects.filter(trace_code=trace).count() == 1


def test_a_writer_dying_before_its_commit_loses_nothing(buffered, trace, monkeypatch):
    for i in range(4):
        look_up(trace.code, f"198.51.100.{i}")
    real_write = scan_buffer.write_batch

    def dying_write(items):
        real_write(items)
        raise RuntimeError("worker killed before its commit")

    # Inside the writer's transaction: the rows it wrote roll back with it.
    monkeypatch.setattr(scan_buffer, "write_batch",
                        lambda items: _in_transaction(dying_write, items))
    with pytest.raises(RuntimeError):
        flush_scans()
    monkeypatch.setattr(scan_buffer, "write_batch", real_write)
    # The batch waits in the processing list; the next writer takes it.
    assert Scan.objects.count() == 0 and buffered.llen(scan_buffer.PROCESSING) == 4
    assert flush_scans() == 4
    trace.refresh_from_db()
    assert trace.scan_count == 4 and Scan.objects.count() == 4
    assert scan_buffer.pending() == 0


def _in_transaction(function, items):
    with transaction.atomic():
        function(items)


def _flush_then_die():
    """A writer process killed after its commit, before it acknowledged the batch."""
    def die(*_args, **_kwargs):
        os._exit(9)

    scan_buffer.redis.client.Pipeline.execute = die
    scan_buffer.flush(batch_size=3)


def test_a_writer_killed_after_its_commit_writes_nothing_twice(buffered, trace):
    for i in range(7):
        look_up(trace.code, f"198.51.100.{i}")
    connections.close_all()  # the child opens its own connection
    child = multiprocessing.get_context("fork").Process(target=_flush_then_die)
    child.start()
    child.join(TASK_TIMEOUT)
    assert child.exitcode == 9
    # The first batch of 3 was committed but is still in the processing list.
    assert Scan.objects.count() == 3 and buffered.llen(scan_buffer.PROCESSING) == 3
    assert flush_scans() == 4  # the 3 are skipped by their idempotency keys, 4 are new
    trace.refresh_from_db()
    assert Scan.objects.count() == 7 and trace.scan_count == 7
    assert Scan.objects.values("idempotency_key").distinct().count() == 7
    assert scan_buffer.pending() == 0


def test_concurrent_first_scans_give_one_first_scan_notice(buffered, trace, zh_catalogue):
    barrier = threading.Barrier(8)
    pages = [None] * 8

    def scan(i):
        try:
            barrier.wait()
            pages[i] = look_up(trace.code, f"192.0.2.{i}").content.decode()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum("这是此码的首次查询" in page for page in pages) == 1
    counts = sorted(next(n for n in range(2, 9) if f"此码已被查询 {n} 次" in page)
                    for page in pages if "这是此码的首次查询" not in page)
    assert counts == list(range(2, 9))
    assert flush_scans() == 8
    trace.refresh_from_db()
    assert trace.scan_count == 8


def test_unreachable_redis_writes_directly_and_pages_keep_working(settings, trace,
                                                                  zh_catalogue):
    # A port nothing listens on.
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    scan_buffer._down_until = 0.0
    try:
        for i in range(3):
            response = look_up(trace.code, f"198.51.100.{i}")
            assert response.status_code == 200
        assert Client().get("/t/AAAAAAAAAAAAAAAA", REMOTE_ADDR="198.51.100.9").status_code == 404
    finally:
        scan_buffer._down_until = 0.0
    trace.refresh_from_db()
    assert trace.scan_count == 3
    assert Scan.objects.filter(trace_code=trace).count() == 3
    assert Scan.objects.filter(never_issued=True).count() == 1


def test_the_flush_task_runs_on_the_real_worker(buffered, trace, celery_worker):
    for i in range(3):
        look_up(trace.code, f"198.51.100.{i}")
    look_up("BBBBBBBBBBBBBBBB", "198.51.100.50")
    with wait_for_task_runs(flush_scans) as wait:
        flush_scans.delay()
        wait(lambda: Scan.objects.count() == 4, "the buffered scans were not written")
    assert Scan.objects.filter(trace_code=trace).count() == 3
    unknown = Scan.objects.get(never_issued=True)
    assert unknown.is_flagged and unknown.code_text == "BBBBBBBBBBBBBBBB"
    assert TraceCode.objects.get(pk=trace.pk).scan_count == 3
    assert scan_buffer.pending() == 0
