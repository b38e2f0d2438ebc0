"""Keeping the rollups current: receivers on the raw records' ``post_save`` (and
``post_delete``) note which days of which rollup family changed; when the transaction
commits, one Celery task per family recomputes those days from the raw tables.

Nothing here changes the apps it listens to. What sends no model signal (the scan counter
is one SQL statement; some updates are bulk) is caught by the periodic refresh of the
recent days (``statistics.tasks.refresh_recent_days``) and by the rebuild command."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import date, datetime

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from brand.models import LabelUse, LicenceEvent, Violation
from livestream.models import Broadcast
from shop import outbox
from shop.models import Fulfillment, Order, OrderEvent, Payment, Refund
from supplychain.models import Household, PackingRun, Scan, SourcingLot

DISPATCH = "statistics"


class Pending:
    """Changes noted in the current transaction: (family, day) pairs and orders whose
    paid day is looked up when the transaction commits (it may be set later in it)."""

    def __init__(self):
        self.days: set[tuple[str, date]] = set()
        self.orders: set[int] = set()
        # Orders this transaction created, with the paid_at they were written with (a
        # later save of it that writes paid_at drops it): no lookup for them, so placing
        # an order costs no query after its commit.
        self.paid: dict[int, datetime | None] = {}

    def flush(self):
        days, orders, paid = self.days, self.orders, self.paid
        self.days, self.orders, self.paid = set(), set(), {}
        known = [moment for pk, moment in paid.items() if pk in orders and moment]
        orders -= paid.keys()
        if orders:
            known += Order.objects.filter(pk__in=orders, paid_at__isnull=False) \
                .values_list("paid_at", flat=True)
        for paid_at in known:
            days.add(("sales", timezone.localdate(paid_at)))
        by_family: dict[str, set[str]] = {}
        for family, day in days:
            by_family.setdefault(family, set()).add(day.isoformat())
        # Through the outbox: with the broker down the request that committed is not held
        # up, and the beat sweeper sends the refresh once the broker is back.
        for family, values in sorted(by_family.items()):
            outbox.enqueue("county_statistics.tasks.refresh_days",
                           {"family": family, "days": sorted(values)})


_local = threading.local()


def pending() -> Pending:
    """This thread's notes (each thread has its own connection and transactions)."""
    if not hasattr(_local, "pending"):
        _local.pending = Pending()
    return _local.pending


@contextmanager
def paused():
    """Note nothing inside the block (a bulk load that rebuilds the rollups itself)."""
    _local.paused = getattr(_local, "paused", 0) + 1
    try:
        yield
    finally:
        _local.paused -= 1


def _is_paused() -> bool:
    return getattr(_local, "paused", 0) > 0


def note_day(family: str, moment) -> None:
    if moment is None or _is_paused():
        return
    day = timezone.localdate(moment) if isinstance(moment, datetime) else moment
    notes = pending()
    notes.days.add((family, day))
    transaction.on_commit(notes.flush)


def note_order(order_id: int | None) -> None:
    if order_id is None or _is_paused():
        return
    notes = pending()
    notes.orders.add(order_id)
    transaction.on_commit(notes.flush)


def on_order_event(sender, instance, **kwargs):
    note_order(instance.order_id)


def on_order_record(sender, instance, **kwargs):
    note_order(instance.order_id)


def on_order(sender, instance, created=False, update_fields=None, **kwargs):
    note_order(instance.pk)
    if _is_paused():
        return
    if created:
        pending().paid[instance.pk] = instance.paid_at
    elif update_fields is None or "paid_at" in update_fields:
        pending().paid.pop(instance.pk, None)


def on_order_deleted(sender, instance, **kwargs):
    note_day("sales", instance.paid_at)


def on_packing_run(sender, instance, **kwargs):
    note_day("trace", instance.packed_at)


def on_fulfillment(sender, instance, **kwargs):
    # Codes shipped with the package are bulk-created beside it, at the same moment.
    note_order(instance.order_id)
    note_day("trace", instance.created_at)


def on_scan(sender, instance, **kwargs):
    note_day("trace", instance.scanned_at)


def remember_lot_day(sender, instance, **kwargs):
    instance._statistics_old_day = (SourcingLot.objects.filter(pk=instance.pk)
                                    .values_list("received_at", flat=True).first()
                                    if instance.pk else None)


def on_sourcing_lot(sender, instance, **kwargs):
    note_day("households", instance.received_at)
    note_day("households", getattr(instance, "_statistics_old_day", None))


def on_household(sender, instance, **kwargs):
    for received_at in instance.sourcing_lots.values_list("received_at", flat=True):
        note_day("households", received_at)


def on_licence_event(sender, instance, **kwargs):
    note_day("brand", instance.date)


def on_label_use(sender, instance, **kwargs):
    note_day("brand", instance.created_at)


def on_violation(sender, instance, **kwargs):
    note_day("brand", instance.found_on)


def on_broadcast(sender, instance, **kwargs):
    # A broadcast's state shows on the screen directly; its sales days are recomputed
    # when it ends, so the broadcast's pavilion follows its final line-up.
    if instance.status in (Broadcast.Status.ENDED, Broadcast.Status.REVIEWED):
        note_day("sales", instance.starts_at)
        if instance.ended_at:
            note_day("sales", instance.ended_at)


RECEIVERS = [
    (post_save, OrderEvent, on_order_event), (post_save, Payment, on_order_record),
    (post_save, Refund, on_order_record), (post_save, Fulfillment, on_fulfillment),
    (post_save, Order, on_order), (post_delete, Order, on_order_deleted),
    (post_save, PackingRun, on_packing_run),
    (post_save, Scan, on_scan), (pre_save, SourcingLot, remember_lot_day),
    (post_save, SourcingLot, on_sourcing_lot), (post_delete, SourcingLot, on_sourcing_lot),
    (post_save, Household, on_household), (post_save, LicenceEvent, on_licence_event),
    (post_save, LabelUse, on_label_use), (post_save, Violation, on_violation),
    (post_delete, Violation, on_violation), (post_save, Broadcast, on_broadcast),
]


def connect() -> None:
    for signal, model, receiver in RECEIVERS:
        signal.connect(receiver, sender=model, dispatch_uid=f"{DISPATCH}.{receiver.__name__}."
                                                            f"{model.__name__}")
