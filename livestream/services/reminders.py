"""Subscriptions to a broadcast and the one reminder each subscriber gets before it
starts."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop import notifications
from shop.errors import field_error

from ..error_codes import LivestreamErrorCode as Code
from ..models import Broadcast, Reminder, Subscription
from .common import local_zone


def subscribe(broadcast: Broadcast, user) -> Subscription:
    if broadcast.status not in (Broadcast.Status.SCHEDULED, Broadcast.Status.LIVE):
        raise field_error("id", _("This broadcast is over or cancelled."), Code.INVALID_STATUS)
    subscription, _created = Subscription.objects.get_or_create(broadcast=broadcast, user=user)
    return subscription


def unsubscribe(broadcast: Broadcast, user) -> int:
    deleted, _rows = Subscription.objects.filter(broadcast=broadcast, user=user).delete()
    return deleted


def send_due_reminders(now=None) -> int:
    """Send each subscriber of a broadcast starting within the lead time ONE reminder.
    The ``Reminder`` row is inserted first (unique per subscription) in the same
    transaction as the delivery: a retry or a second worker sends nothing twice, and a
    failed delivery rolls back so a later run tries again."""
    now = now or timezone.now()
    lead = timedelta(minutes=settings.LIVESTREAM_REMINDER_LEAD_MINUTES)
    due = (Subscription.objects.filter(broadcast__status=Broadcast.Status.SCHEDULED,
                                       broadcast__starts_at__gt=now,
                                       broadcast__starts_at__lte=now + lead,
                                       reminder__isnull=True)
           .select_related("broadcast__host", "user").order_by("pk"))
    backends = ",".join(notifications.backend_paths())[:128]
    sent = 0
    zone = local_zone()
    for subscription in due:
        broadcast = subscription.broadcast
        subject = _("“%(title)s” goes live at %(time)s") % {
            "title": broadcast.title,
            "time": broadcast.starts_at.astimezone(zone).strftime("%H:%M")}
        body = _("%(host)s is live on %(platform)s: %(url)s") % {
            "host": broadcast.host.display_name, "platform": broadcast.get_platform_display(),
            "url": broadcast.stream_url or "/live/"}
        try:
            with transaction.atomic():
                Reminder.objects.create(subscription=subscription, user=subscription.user,
                                        broadcast=broadcast, subject=subject, body=body,
                                        backend=backends, sent_at=now)
                notifications.notify(subscription.user, "broadcast_reminder", subject, body,
                                     reference=f"broadcast:{broadcast.pk}")
        except IntegrityError:
            continue
        sent += 1
    return sent
