"""Health endpoints as a probe sees them: answered on any host over plain HTTP, green when
the database, cache, Redis and storage work, 503 naming the dependency that does not; the
worker endpoint pings a real Celery worker through Redis; beat's heartbeat file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client

from config.celery import app as celery_app
from config.health import HeartbeatScheduler, beat_is_fresh

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def get(path, **headers):
    # A container probe: its own address as host, plain HTTP, whatever ALLOWED_HOSTS says.
    return Client().get(path, HTTP_HOST="172.18.0.5:8000", **headers)


def test_live_and_ready_on_any_host(settings, media):
    settings.SECURE_SSL_REDIRECT = True
    assert get("/health/live/").json() == {"status": "ok", "checks": {}}
    response = get("/health/")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "checks": {
        "database": "ok", "cache": "ok", "redis": "ok", "storage": "ok"}}
    assert response["Cache-Control"] == "no-store"
    assert list(media.iterdir()) == []  # the storage probe leaves nothing behind
    # Any other page still refuses that host and redirects to HTTPS.
    assert get("/").status_code == 400


def test_a_dependency_down_turns_the_answer_red(settings, media):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["redis"] == "ConnectionError"
    assert body["checks"]["database"] == "ok"


def test_the_worker_endpoint_pings_a_real_worker(celery_worker, media):
    # (Only the worker's answer: the in-process test worker closes this thread's database
    # connection when it starts, which a real worker in its own process does not.)
    response = get("/health/worker/")
    assert response.json()["checks"]["worker"] == "ok", response.content


def test_no_worker_answering_is_red(redis_url, settings, media):
    previous = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.update(broker_url=redis_url, task_always_eager=False)
    try:
        response = get("/health/worker/")
    finally:
        celery_app.conf.update(broker_url=previous[0], task_always_eager=previous[1])
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "RuntimeError"


def test_beat_heartbeat(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    scheduler = HeartbeatScheduler(app=celery_app, schedule_filename=str(tmp_path / "schedule"),
                                   lazy=False)
    try:
        scheduler.tick()
    finally:
        scheduler.close()
    heartbeat = tmp_path / "celerybeat-heartbeat"
    assert beat_is_fresh(heartbeat)
    check = [sys.executable, "-m", "config.health", "beat", str(heartbeat)]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"}
    assert subprocess.run(check, cwd=ROOT, env=env).returncode == 0
    an_hour_ago = time.time() - 3600
    os.utime(heartbeat, (an_hour_ago, an_hour_ago))
    assert subprocess.run(check, cwd=ROOT, env=env).returncode == 1
    assert not beat_is_fresh(tmp_path / "missing")
