"""A Celery worker process killed in the middle of a label sheet (prefork, as in
production): the task is given back to the queue (task_reject_on_worker_lost), a fresh
process makes the sheet, and the sheet made before stays downloadable until then."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest
from celery.result import AsyncResult
from django.db import connection

from config.celery import app as celery_app
from supplychain import services
from supplychain.models import PackingRun
from tests.background import STARTUP_TIMEOUT, TASK_TIMEOUT, KillableRedis, _forget_connections

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def prefork(redis_url, settings):
    """``celery worker`` in its own process with one prefork child, on the test database."""
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings",
           "REDIS_URL": redis_url,
           "DATABASE_URL": f"postgresql://{db['USER']}@/{db['NAME']}?host={db['HOST']}"}
    previous = (celery_app.conf.broker_url, celery_app.conf.result_backend,
                celery_app.conf.task_always_eager)
    celery_app.conf.update(broker_url=redis_url, result_backend=redis_url,
                           task_always_eager=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _forget_connections()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
         "-c", "1", "-l", "WARNING", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_ping(worker)
        yield worker
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        celery_app.conf.update(broker_url=previous[0], result_backend=previous[1],
                               task_always_eager=previous[2])
        _forget_connections()


def wait_for_ping(worker):
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not celery_app.control.ping(timeout=1):
        assert time.monotonic() < deadline and worker.poll() is None, "no worker answers"


@pytest.fixture
def prefork_worker(redis_url, settings):
    with prefork(redis_url, settings) as worker:
        yield psutil.Process(worker.pid)


def wait_until(condition, message):
    deadline = time.monotonic() + TASK_TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


def test_a_label_sheet_outlives_its_killed_worker_process(
        prefork_worker, graded_lot, persimmon, coop, coop_user):
    variant = persimmon.variants.order_by("sku").first()
    # Enough packages for the sheet to take several pages, reported one by one.
    run = services.create_packing_run(
        graded_lot, variant=variant, warehouse=coop.warehouses.first(), quantity=1500,
        net_weight_kg="0.03", user=coop_user)
    services.save_label_sheet(run.pk, b"%PDF-1.4 the sheet made before")
    old_name = PackingRun.objects.get(pk=run.pk).label_sheet.name

    task_id = services.request_label_sheet(run)
    wait_until(lambda: AsyncResult(task_id).state == "PROGRESS", "the sheet never started")
    children = prefork_worker.children()
    assert len(children) == 1
    children[0].send_signal(signal.SIGKILL)  # the process making the sheet, half-way
    killed = PackingRun.objects.get(pk=run.pk)
    assert killed.label_status == PackingRun.LabelStatus.PENDING
    assert killed.label_sheet.name == old_name and killed.label_sheet.storage.exists(old_name)

    wait_until(lambda: PackingRun.objects.get(pk=run.pk).label_status
               != PackingRun.LabelStatus.PENDING, "the sheet was not made again")
    made = PackingRun.objects.get(pk=run.pk)
    assert made.label_status == PackingRun.LabelStatus.READY
    assert made.label_sheet.name != old_name
    assert made.label_sheet.open("rb").read(5) == b"%PDF-"
    assert prefork_worker.children()[0].pid != children[0].pid  # a fresh process made it


def test_a_worker_that_loses_redis_waits_for_it_and_works_again(settings):
    server = KillableRedis()
    server.start()
    try:
        with prefork(server.url, settings) as worker:
            server.kill()
            time.sleep(3)  # the worker notices the lost connection and starts retrying
            assert worker.poll() is None, "the worker exited when Redis went away"
            server.start()
            _forget_connections()
            wait_for_ping(worker)
            assert celery_app.send_task("shop.tasks.expire_unpaid_orders").get(
                timeout=TASK_TIMEOUT) == 0
    finally:
        if server.process.poll() is None:
            server.kill()
