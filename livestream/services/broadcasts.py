"""Broadcasts: booking (no double booking of a host or a venue), changes, going live,
ending (unsold live stock goes back), notes, the review's completion and the public
schedule."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.errors import field_error
from shop.services import get_channel
from shop.uploads import clean_url
from shop.validators import clean_int, clean_text

from ..error_codes import LivestreamErrorCode as Code
from ..models import Broadcast, BroadcastEvent, Host, LineupItem, Platform, Venue
from .common import EARLY_START, local_zone, locked_broadcast, record
from .hosts import check_host_eligible
from .live_stock import return_live_stock


def _check_times(starts_at, ends_at) -> None:
    if starts_at is None:
        raise field_error("starts_at", _("This field is required."), Code.REQUIRED)
    if ends_at is None:
        raise field_error("ends_at", _("This field is required."), Code.REQUIRED)
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise field_error("starts_at", _("Give times with their time zone."), Code.INVALID)
    if ends_at <= starts_at:
        raise field_error("ends_at", _("A broadcast must end after it starts."),
                          Code.INVALID_DATE_RANGE)
    if ends_at - starts_at > timedelta(hours=12):
        raise field_error("ends_at", _("A broadcast can last at most 12 hours."),
                          Code.INVALID_DATE_RANGE)


def _check_no_overlap(host: Host, venue: Venue, starts_at, ends_at, exclude_pk=None) -> None:
    """Refuse double booking. The host and venue rows are locked first (in a fixed order),
    so two concurrent bookings of the same host or venue queue here; the exclusion
    constraints in the database are the backstop."""
    Host.objects.select_for_update().filter(pk=host.pk).first()
    Venue.objects.select_for_update().filter(pk=venue.pk).first()
    clashes = (Broadcast.objects.exclude(status=Broadcast.Status.CANCELLED)
               .filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
               .exclude(pk=exclude_pk))
    clash = clashes.filter(host=host).first()
    if clash is not None:
        raise field_error("starts_at", _("The host is already booked for “%(title)s” at "
                                         "this time."), Code.OVERLAPPING_BOOKING, title=clash.title)
    clash = clashes.filter(venue=venue).first()
    if clash is not None:
        raise field_error("venue", _("The venue is already booked for “%(title)s” at "
                                     "this time."), Code.OVERLAPPING_BOOKING, title=clash.title)


def _save_booking(broadcast: Broadcast) -> None:
    try:
        with transaction.atomic():
            broadcast.save()
    except IntegrityError as error:
        if "double_booking" in str(error):
            raise field_error("starts_at",
                              _("The host or the venue is already booked at this time."),
                              Code.OVERLAPPING_BOOKING) from None
        raise


# More viewers than any broadcast has had; a larger number is a typing mistake.
MAX_VIEWERS = 1_000_000_000


def clean_title(value) -> str:
    """A broadcast's or schedule's title: required, at most the column's 128 characters."""
    title = clean_text(value, "title", Code.INVALID, max_length=128)
    if not title:
        raise field_error("title", _("This field is required."), Code.REQUIRED)
    return title


@transaction.atomic
def create_broadcast(*, host: Host, venue: Venue, title: str, starts_at, ends_at,
                     platform: str, stream_url: str = "", channel_slug: str | None = None,
                     plan_notes: str = "", actor=None, schedule=None) -> Broadcast:
    title = clean_title(title)
    stream_url = clean_url(stream_url, "stream_url", Code.INVALID)
    plan_notes = clean_text(plan_notes, "plan_notes", Code.INVALID, max_length=4000)
    _check_times(starts_at, ends_at)
    if platform not in Platform.values:
        raise field_error("platform", _("Unknown platform: %(value)s."), Code.INVALID,
                          value=platform)
    if starts_at < timezone.now() - timedelta(minutes=5):
        raise field_error("starts_at", _("A broadcast cannot be scheduled in the past."),
                          Code.INVALID_DATE_RANGE)
    if not venue.is_active:
        raise field_error("venue", _("This venue is not in use."), Code.INVALID)
    check_host_eligible(host, starts_at.astimezone(local_zone()).date())
    try:
        channel = get_channel(channel_slug)
    except ValidationError:
        raise field_error("channel", _("Channel with '%(slug)s' slug does not exist.") %
                          {"slug": channel_slug}, Code.NOT_FOUND) from None
    _check_no_overlap(host, venue, starts_at, ends_at)
    broadcast = Broadcast(title=title, host=host, venue=venue, starts_at=starts_at,
                          ends_at=ends_at, platform=platform, stream_url=stream_url or "",
                          channel=channel, plan_notes=plan_notes or "", created_by=actor,
                          schedule=schedule)
    _save_booking(broadcast)
    record(broadcast, BroadcastEvent.Type.CREATED, actor,
           _("Scheduled from the weekly schedule.") if schedule else _("Scheduled."))
    return broadcast


@transaction.atomic
def update_broadcast(broadcast: Broadcast, actor=None, **changes) -> Broadcast:
    """Change title, times, host, venue, platform, link or plan notes of a scheduled
    broadcast."""
    broadcast = locked_broadcast(broadcast)
    if broadcast.status != Broadcast.Status.SCHEDULED:
        raise field_error(None, _("Only a scheduled broadcast can be changed."),
                          Code.INVALID_STATUS)
    if changes.get("title") is not None:
        changes["title"] = clean_title(changes["title"])
    if changes.get("stream_url") is not None:
        changes["stream_url"] = clean_url(changes["stream_url"], "stream_url", Code.INVALID)
    if changes.get("plan_notes") is not None:
        changes["plan_notes"] = clean_text(changes["plan_notes"], "plan_notes", Code.INVALID,
                                           max_length=4000)
    for field in ("title", "platform", "stream_url", "starts_at", "ends_at", "host", "venue",
                  "plan_notes"):
        if field in changes and changes[field] is not None:
            setattr(broadcast, field, changes[field])
    if broadcast.platform not in Platform.values:
        raise field_error("platform", _("Unknown platform: %(value)s."), Code.INVALID,
                          value=broadcast.platform)
    _check_times(broadcast.starts_at, broadcast.ends_at)
    check_host_eligible(broadcast.host, broadcast.starts_at.astimezone(local_zone()).date())
    _check_no_overlap(broadcast.host, broadcast.venue, broadcast.starts_at, broadcast.ends_at,
                      exclude_pk=broadcast.pk)
    _save_booking(broadcast)
    record(broadcast, BroadcastEvent.Type.UPDATED, actor, _("Details changed."),
           fields=sorted(k for k, v in changes.items() if v is not None))
    return broadcast


@transaction.atomic
def cancel_broadcast(broadcast: Broadcast, actor=None, reason: str = "") -> Broadcast:
    broadcast = locked_broadcast(broadcast)
    if broadcast.status != Broadcast.Status.SCHEDULED:
        raise field_error(None, _("Only a scheduled broadcast can be cancelled."),
                          Code.INVALID_STATUS)
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Give a reason."), Code.REQUIRED)
    broadcast.status = Broadcast.Status.CANCELLED
    broadcast.save(update_fields=["status", "updated_at"])
    return_live_stock(broadcast, actor)
    record(broadcast, BroadcastEvent.Type.CANCELLED, actor, reason)
    return broadcast


@transaction.atomic
def start_broadcast(broadcast: Broadcast, actor=None, now=None) -> Broadcast:
    """Go live: allowed from an hour before the planned start until the planned end."""
    now = now or timezone.now()
    broadcast = locked_broadcast(broadcast)
    if broadcast.status != Broadcast.Status.SCHEDULED:
        raise field_error(None, _("Only a scheduled broadcast can go live."), Code.INVALID_STATUS)
    if now < broadcast.starts_at - EARLY_START or now >= broadcast.ends_at:
        raise field_error(None, _("A broadcast can go live from an hour before its start until its "
                                  "planned end."), Code.INVALID_DATE_RANGE)
    broadcast.status = Broadcast.Status.LIVE
    broadcast.started_at = now
    broadcast.save(update_fields=["status", "started_at", "updated_at"])
    record(broadcast, BroadcastEvent.Type.STARTED, actor, _("Went live."))
    return broadcast


@transaction.atomic
def end_broadcast(broadcast: Broadcast, actor=None, viewer_count: int | None = None,
                  reason: str = "", now=None) -> Broadcast:
    """End a live broadcast; unsold live allocations go back to stock."""
    broadcast = locked_broadcast(broadcast)
    if broadcast.status != Broadcast.Status.LIVE:
        raise field_error(None, _("Only a live broadcast can end."), Code.INVALID_STATUS)
    if viewer_count is not None and viewer_count < 0:
        raise field_error("viewer_count", _("The number of viewers cannot be negative."),
                          Code.INVALID)
    broadcast.status = Broadcast.Status.ENDED
    broadcast.ended_at = now or timezone.now()
    if viewer_count is not None:
        broadcast.viewer_count = viewer_count
    broadcast.save(update_fields=["status", "ended_at", "viewer_count", "updated_at"])
    broadcast.lineup.filter(is_pinned=True).update(is_pinned=False)
    return_live_stock(broadcast, actor)
    record(broadcast, BroadcastEvent.Type.ENDED, actor, reason or _("Ended."))
    return broadcast


def end_overdue_broadcasts(now=None) -> int:
    """Beat: end broadcasts still live 30 minutes after their planned end, and cancel
    scheduled ones that never went live; both return their live stock."""
    now = now or timezone.now()
    done = 0
    for broadcast in Broadcast.objects.filter(status=Broadcast.Status.LIVE,
                                              ends_at__lte=now - timedelta(minutes=30)):
        try:
            end_broadcast(broadcast, reason=_("Ended automatically after the planned end."),
                          now=now)
            done += 1
        except ValidationError:
            continue
    for broadcast in Broadcast.objects.filter(status=Broadcast.Status.SCHEDULED, ends_at__lte=now):
        try:
            cancel_broadcast(broadcast, reason=_("Never went live."))
            done += 1
        except ValidationError:
            continue
    return done


@transaction.atomic
def update_broadcast_notes(broadcast: Broadcast, actor=None, *, plan_notes=None,
                           execution_notes=None, review_notes=None,
                           viewer_count=None) -> Broadcast:
    broadcast = locked_broadcast(broadcast)
    if broadcast.status == Broadcast.Status.CANCELLED:
        raise field_error(None, _("A cancelled broadcast cannot be changed."), Code.INVALID_STATUS)
    fields = []
    for name, value in (("plan_notes", plan_notes), ("execution_notes", execution_notes),
                        ("review_notes", review_notes)):
        if value is not None:
            setattr(broadcast, name, clean_text(value, name, Code.INVALID, max_length=4000))
            fields.append(name)
    if viewer_count is not None:
        broadcast.viewer_count = clean_int(viewer_count, "viewer_count", Code.INVALID,
                                           maximum=MAX_VIEWERS)
        fields.append("viewer_count")
    broadcast.save(update_fields=[*fields, "updated_at"])
    record(broadcast, BroadcastEvent.Type.NOTES, actor, _("Notes updated."), fields=fields)
    return broadcast


@transaction.atomic
def complete_review(broadcast: Broadcast, actor=None, review_notes: str = "") -> Broadcast:
    """The review (复盘) is done: the broadcast moves from ended to reviewed."""
    broadcast = locked_broadcast(broadcast)
    if broadcast.status != Broadcast.Status.ENDED:
        raise field_error(None, _("Only an ended broadcast can be reviewed."), Code.INVALID_STATUS)
    review_notes = clean_text(review_notes or broadcast.review_notes, "review_notes",
                              Code.INVALID, max_length=4000)
    if not review_notes:
        raise field_error("review_notes", _("Write the review notes first."), Code.REQUIRED)
    broadcast.review_notes = review_notes
    broadcast.status = Broadcast.Status.REVIEWED
    broadcast.save(update_fields=["review_notes", "status", "updated_at"])
    record(broadcast, BroadcastEvent.Type.REVIEWED, actor, _("Review completed."))
    return broadcast


def upcoming_broadcasts(now=None, limit: int = 30, pavilion_slug: str | None = None):
    """Live and coming broadcasts, soonest first; with ``pavilion_slug`` only those whose
    line-up sells that county pavilion's products."""
    now = now or timezone.now()
    broadcasts = Broadcast.objects.filter(
        Q(status=Broadcast.Status.LIVE) | Q(status=Broadcast.Status.SCHEDULED, ends_at__gt=now))
    if pavilion_slug:
        broadcasts = broadcasts.filter(
            pk__in=LineupItem.objects.filter(
                variant__product__pavilion__slug=pavilion_slug).values("broadcast_id"))
    return broadcasts.select_related("host", "venue").order_by("starts_at", "pk")[:limit]
