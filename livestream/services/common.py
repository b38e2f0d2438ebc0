"""What the livestream services share: the county's time zone, the broadcast's event log
and its row lock."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from ..models import Broadcast, BroadcastEvent

# The attribution (``OrderLine.source``) of a sale started from a broadcast.
SOURCE = "broadcast"
# A broadcast may go live (and a flash sale begin) this long before its planned start.
EARLY_START = timedelta(minutes=60)


def local_zone() -> ZoneInfo:
    """The county's time zone, in which weekly schedules and exports are written."""
    return ZoneInfo(settings.LIVESTREAM_TIME_ZONE)


def record(broadcast: Broadcast, type_: str, user=None, message: str = "", **parameters):
    """Add to the broadcast's history (who, what, when); an anonymous user is recorded as
    none."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return BroadcastEvent.objects.create(broadcast=broadcast, type=type_, user=user,
                                         message=str(message)[:255], parameters=parameters)


def locked_broadcast(broadcast: Broadcast) -> Broadcast:
    """``broadcast`` read again with its row locked until the end of the transaction."""
    return Broadcast.objects.select_for_update().select_related("host", "venue", "channel").get(
        pk=broadcast.pk)
