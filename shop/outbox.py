"""Work to be done after a commit, kept in the database until the broker has it.

A service that wants a task run once its transaction commits calls :func:`enqueue` inside
that transaction: the task's name and arguments are written as an :class:`OutboxMessage`
row, so they commit (or roll back) with the change that asked for them. Right after the
commit the row is handed to the broker and marked with one statement; when the broker is
down that fails quickly, is logged, and the row stays pending: the request that
committed it never fails or waits on the broker. The beat entry
``shop.tasks.publish_pending_outbox`` hands over every row still pending, so nothing is
lost once the broker is back.

A row may be handed over more than once (its publication committed after the broker took
it, then a crash before the commit), so the tasks sent this way must be idempotent: each
checks under a row lock whether its work was already done (an order's notification is
recorded once per kind; a recall's mails once per recipient).
"""

from __future__ import annotations

import importlib
import logging
from datetime import timedelta

from celery import current_app
from django.db import DatabaseError, connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# A row is handed over in this many attempts at most by the sweeper; after that it stays in
# the table (pending, with its last error) for an operator to look at.
MAX_ATTEMPTS = 50
# The sweeper leaves alone rows younger than this: their own after-commit hand-over is on
# its way.
SWEEP_GRACE = timedelta(seconds=10)
SWEEP_BATCH = 500


class OutboxMessage(models.Model):
    """A task to send to the broker, written in the transaction that asked for it."""

    task = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("handed to the broker at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)

    class Meta:
        app_label = "shop"
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["pk"]
        indexes = [models.Index(fields=["created_at"],
                                condition=models.Q(published_at__isnull=True),
                                name="shop_outbox_pending_idx")]

    def __str__(self) -> str:
        return f"{self.task}({self.kwargs})"


def enqueue(task_name: str, kwargs: dict | None = None) -> OutboxMessage:
    """Record ``task_name(**kwargs)`` to run after the current transaction commits (call it
    inside that transaction; outside one the row commits at once). ``kwargs`` must be
    JSON-serialisable."""
    message = OutboxMessage.objects.create(task=task_name, kwargs=kwargs or {})
    # robust: a failure to hand over is logged by hand_over() itself; nothing may reach
    # the request that committed.
    transaction.on_commit(lambda: hand_over(message), robust=True)
    return message


def _task(name: str):
    """The registered task ``name``, importing its module when nothing did yet."""
    if name not in current_app.tasks:
        importlib.import_module(name.rsplit(".", 1)[0])
    return current_app.tasks[name]


def _send(message: OutboxMessage) -> None:
    # No retries and no result subscription: with the broker down this fails in
    # milliseconds (broker_transport_options bounds the connection attempts) instead of
    # holding the caller for the result backend's twenty reconnection attempts.
    _task(message.task).apply_async(kwargs=message.kwargs, retry=False, ignore_result=True)


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:255]


# A hand-over's mark, committed without waiting for the disk: a mark lost in a crash of
# the database leaves its row pending, handed over again by the sweeper, which a row may
# be anyway. Sent as one round trip (the setting and the update) by a connection in
# autocommit with client-side binding (Django's default); any other runs the update alone.
_MARK = """SET LOCAL synchronous_commit = off;
UPDATE {table} SET attempts = attempts + 1, published_at = %(at)s,
    last_error = COALESCE(%(error)s, last_error)
WHERE id = %(id)s AND published_at IS NULL"""


def _mark(message: OutboxMessage, error: str = "") -> None:
    """Mark ``message`` handed over (``error``: not, and why)."""
    if connection.get_autocommit() and not connection.settings_dict.get(
            "OPTIONS", {}).get("server_side_binding"):
        with connection.cursor() as cursor:
            cursor.execute(_MARK.format(table=OutboxMessage._meta.db_table), {
                "id": message.pk, "error": error or None,
                "at": None if error else timezone.now()})
        return
    pending = OutboxMessage.objects.filter(pk=message.pk, published_at__isnull=True)
    if error:
        pending.update(attempts=F("attempts") + 1, last_error=error)
    else:
        pending.update(attempts=F("attempts") + 1, published_at=timezone.now())


def hand_over(message: OutboxMessage) -> bool:
    """Right after the commit that wrote ``message``: hand it to the broker, then mark it
    handed over with one UPDATE. No row lock (this runs in every request that queues a
    task): the sweeper leaves rows this young alone, and a row handed over twice is
    allowed anyway. Returns whether it was handed over; never raises."""
    try:
        try:
            _send(message)
        except Exception as exc:  # noqa: BLE001 - any broker failure leaves it pending
            error = _error(exc)
            _mark(message, error)
            logger.warning("Outbox message %s (%s) not handed over, kept pending: %s",
                           message.pk, message.task, error)
            return False
        _mark(message)
        return True
    except DatabaseError:
        logger.exception("Outbox message %s could not be marked", message.pk)
        return False


def publish(pk: int) -> bool:
    """Hand outbox row ``pk`` to the broker unless another process holds it or it was
    handed over already. Returns whether this call handed it over; never raises."""
    try:
        with transaction.atomic():
            message = (OutboxMessage.objects.select_for_update(skip_locked=True)
                       .filter(pk=pk, published_at__isnull=True).first())
            if message is None:
                return False
            message.attempts += 1
            try:
                _send(message)
            except Exception as exc:  # noqa: BLE001 - any broker failure leaves it pending
                message.last_error = _error(exc)
                message.save(update_fields=["attempts", "last_error"])
                logger.warning("Outbox message %s (%s) not handed over, kept pending: %s",
                               message.pk, message.task, message.last_error)
                return False
            message.published_at = timezone.now()
            message.save(update_fields=["attempts", "published_at"])
            return True
    except DatabaseError:
        logger.exception("Outbox message %s could not be read or marked", pk)
        return False


def publish_pending(now=None) -> int:
    """Hand over every pending row older than ``SWEEP_GRACE`` (the beat sweeper); stops at
    the first failure, since the broker is then down for the rest too. Returns how many
    were handed over."""
    now = now or timezone.now()
    pending = list(OutboxMessage.objects.filter(
        published_at__isnull=True, created_at__lte=now - SWEEP_GRACE,
        attempts__lt=MAX_ATTEMPTS).order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH])
    sent = 0
    for pk in pending:
        if publish(pk):
            sent += 1
        elif OutboxMessage.objects.filter(pk=pk, published_at__isnull=True).exists():
            break
    return sent
