"""Every request has an id (kept from a proxy's X-Request-ID when it looks like one),
answered in the response, written on each log line as JSON in production, and carried into
the Celery tasks the request sends, where the worker's log lines carry it too."""

from __future__ import annotations

import io
import json
import logging

import pytest
from celery import shared_task
from django.http import HttpResponse
from django.test import Client, RequestFactory
from pythonjsonlogger.json import JsonFormatter

from config.observability import RequestIdFilter, RequestIdMiddleware, logging_config, request_id

pytestmark = pytest.mark.django_db


@shared_task(name="tests.infra.current_request_id")
def current_request_id() -> str:
    logging.getLogger("tests.infra").warning("inside the task")
    return request_id.get()


def test_each_response_carries_an_id():
    first = Client().get("/health/live/")
    generated = Client().get("/no-such-page/")["X-Request-ID"]
    assert len(generated) == 32 and generated != Client().get("/no-such-page/")["X-Request-ID"]
    kept = Client().get("/no-such-page/", HTTP_X_REQUEST_ID="lb-7f3a-42")
    assert kept["X-Request-ID"] == "lb-7f3a-42"
    forged = Client().get("/no-such-page/", HTTP_X_REQUEST_ID="x" * 200 + "\r\nSet-Cookie: a")
    assert len(forged["X-Request-ID"]) == 32
    assert first.status_code == 200


@pytest.fixture
def json_log():
    """A handler configured as production's (formatter and filter from logging_config)."""
    config = logging_config("json", "INFO")["formatters"]["main"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(config["format"], rename_fields=config["rename_fields"]))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_log_lines_are_json_with_the_request_id(json_log):
    Client().get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    lines = [line for line in json_log() if line["logger"] == "django.request"]
    assert lines, json_log()
    assert lines[0]["request_id"] == "req-404"
    assert lines[0]["level"] == "WARNING" and "Not Found" in lines[0]["message"]
    assert "time" in lines[0]


def test_a_task_sent_by_a_request_runs_with_its_id(celery_worker, json_log):
    """Through Redis to a real worker: the id travels in the task's headers."""

    def view(request):
        return HttpResponse(current_request_id.delay().get(timeout=20))

    response = RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="req-77"))
    assert response.content == b"req-77"
    assert response["X-Request-ID"] == "req-77"
    inside = [line for line in json_log() if line["message"] == "inside the task"]
    assert [line["request_id"] for line in inside] == ["req-77"]
    # Outside any request a task runs without one.
    assert current_request_id.delay().get(timeout=20) == "-"
