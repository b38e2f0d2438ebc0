"""What the operators see: log configuration, the request id and error reporting.

Every request gets an id: the ``X-Request-ID`` header a proxy in front set (when it looks
like one), or a new one. It is answered back in the same header, added to every log line
written while the request runs, and carried in the headers of each Celery task the request
sends, so that the worker's log lines about that task carry it too.

Logs are JSON lines in production (one object per line, for a log collector) and plain
text in development (``LOG_FORMAT`` chooses: ``json`` or ``text``).
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

import sentry_sdk
from celery.signals import before_task_publish, task_postrun, task_prerun
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

REQUEST_ID_HEADER = "X-Request-ID"
# The task header that carries the id from the request to the worker.
TASK_HEADER = "pavilion_request_id"
# A proxy's id is kept when it is short and plain; anything else is replaced.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

request_id: ContextVar[str] = ContextVar("request_id", default="-")

TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``-`` outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # Django logs a 4xx/5xx answer after the middleware has returned, with the
            # request attached to the record.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or request_id.get()
        return True


def logging_config(fmt: str, level: str) -> dict:
    """Django's ``LOGGING`` for ``fmt`` ``json`` (production) or ``text`` (development)."""
    formatter = (
        {"()": "pythonjsonlogger.json.JsonFormatter", "format": JSON_FIELDS,
         "rename_fields": {"levelname": "level", "asctime": "time", "name": "logger"}}
        if fmt == "json" else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
        "formatters": {"main": formatter},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "main",
                        "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "pgserver": {"level": "WARNING"},
            # Django's own loggers print through the root handler only (not twice).
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            "celery": {"handlers": [], "level": level, "propagate": True},
        },
    }


class RequestIdMiddleware:
    """Gives each request its id (kept from the proxy's ``X-Request-ID`` when valid),
    makes it current for logging and tasks, and answers it in the response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        rid = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[REQUEST_ID_HEADER] = rid
        return response


@before_task_publish.connect(weak=False)
def _carry_request_id(headers=None, **_kwargs):
    """A task sent while a request (or another task) runs carries its id."""
    current = request_id.get()
    if headers is not None and current != "-":
        headers.setdefault(TASK_HEADER, current)


@task_prerun.connect(weak=False)
def _adopt_request_id(task=None, **_kwargs):
    carried = getattr(getattr(task, "request", None), TASK_HEADER, None)
    if carried:
        task._pavilion_request_id_token = request_id.set(carried)


@task_postrun.connect(weak=False)
def _drop_request_id(task=None, **_kwargs):
    token = getattr(task, "_pavilion_request_id_token", None)
    if token is not None:
        del task._pavilion_request_id_token
        try:
            request_id.reset(token)
        except ValueError:  # set in another context (a thread pool's worker)
            request_id.set("-")


def init_sentry(dsn: str, environment: str, traces_sample_rate: float) -> None:
    """Error reporting to Sentry (or a compatible service) from web, worker and beat.
    Personal data (addresses, e-mails) is not sent."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration(monitor_beat_tasks=True)],
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
    )
