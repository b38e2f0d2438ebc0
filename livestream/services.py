"""Livestream operations: one function per business operation, explicit arguments, one
transaction, ``ValidationError`` with a ``LivestreamErrorCode`` (see ARCHITECTURE.md).

Stock is never changed here: a line-up item's live allocation is taken with
``shop.services.reserve_stock`` and given back with ``release_reserved_stock``; a live
purchase hands reserved units to its order line with ``allocate_reserved_stock``. The
checkout reaches this module through two hooks named in settings:
``CHECKOUT_PRICE_HOOKS`` (``live_price_hook``) and ``CHECKOUT_COMPLETE_HOOKS``
(``take_live_allocation``)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from shop import notifications
from shop import services as shop_services
from shop.models import Order, OrderLine, Organization

from .error_codes import LivestreamErrorCode as Code
from .models import (
    Broadcast,
    BroadcastEvent,
    CoverageAlert,
    Host,
    LineupItem,
    LivePurchase,
    LiveStockReservation,
    Platform,
    Reminder,
    Subscription,
    Venue,
    VenueKind,
    WeeklySchedule,
)

CENT = Decimal("0.01")
MIN_HOST_AGE = 16
SOURCE = "broadcast"
EARLY_START = timedelta(minutes=60)


def local_zone() -> ZoneInfo:
    return ZoneInfo(getattr(settings, "LIVESTREAM_TIME_ZONE", "Asia/Shanghai"))


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _error(field, message, code: Code, **params) -> ValidationError:
    error = ValidationError(message, code=code.value, params=params or None)
    return ValidationError({field: error}) if field else error


def record(broadcast: Broadcast, type_: str, user=None, message: str = "", **parameters):
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return BroadcastEvent.objects.create(broadcast=broadcast, type=type_, user=user,
                                         message=str(message)[:255], parameters=parameters)


# Hosts and venues ----------------------------------------------------------------------

def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _clean_platforms(platforms) -> list[str]:
    platforms = list(dict.fromkeys(platforms or []))
    valid = set(Platform.values)
    if not platforms:
        raise _error("platforms", _("Choose at least one platform."), Code.REQUIRED)
    for value in platforms:
        if value not in valid:
            raise _error("platforms", _("Unknown platform: %(value)s."), Code.INVALID, value=value)
    return platforms


def _clean_birth_date(birth_date) -> date:
    if birth_date is None:
        raise _error("birth_date", _("This field is required."), Code.REQUIRED)
    today = timezone.localdate()
    if birth_date > today or age_on(birth_date, today) < MIN_HOST_AGE:
        raise _error("birth_date", _("A host must be at least %(age)s years old."),
                     Code.HOST_NOT_ELIGIBLE, age=MIN_HOST_AGE)
    return birth_date


@transaction.atomic
def create_host(*, user, display_name: str, birth_date: date, platforms, organization=None,
                real_name_verified: bool = False, bio: str = "") -> Host:
    display_name = (display_name or "").strip()
    if not display_name:
        raise _error("display_name", _("This field is required."), Code.REQUIRED)
    if Host.objects.filter(user=user).exists():
        raise _error("user", _("This user already has a host profile."), Code.UNIQUE)
    if organization is not None and organization.pk not in user.organization_ids():
        raise _error("organization", _("The host must be a member of the organisation."),
                     Code.INVALID)
    host = Host.objects.create(
        user=user, organization=organization, display_name=display_name,
        birth_date=_clean_birth_date(birth_date), platforms=_clean_platforms(platforms),
        real_name_verified=bool(real_name_verified), bio=bio or "",
        real_name_verified_at=timezone.now() if real_name_verified else None)
    return host


@transaction.atomic
def update_host(host: Host, **changes) -> Host:
    host = Host.objects.select_for_update().get(pk=host.pk)
    if "display_name" in changes:
        host.display_name = (changes["display_name"] or "").strip()
        if not host.display_name:
            raise _error("display_name", _("This field is required."), Code.REQUIRED)
    if "birth_date" in changes:
        host.birth_date = _clean_birth_date(changes["birth_date"])
    if "platforms" in changes:
        host.platforms = _clean_platforms(changes["platforms"])
    if "bio" in changes:
        host.bio = changes["bio"] or ""
    if "is_active" in changes:
        host.is_active = bool(changes["is_active"])
    if "real_name_verified" in changes:
        verified = bool(changes["real_name_verified"])
        if verified and not host.real_name_verified:
            host.real_name_verified_at = timezone.now()
        host.real_name_verified = verified
        if not verified:
            host.real_name_verified_at = None
    host.save()
    return host


def create_venue(*, name: str, kind: str, address: str = "", organization=None) -> Venue:
    name = (name or "").strip()
    if not name:
        raise _error("name", _("This field is required."), Code.REQUIRED)
    if kind not in VenueKind.values:
        raise _error("kind", _("Unknown venue type: %(value)s."), Code.INVALID, value=kind)
    return Venue.objects.create(name=name, kind=kind, address=address or "",
                                organization=organization)


# Broadcasts ----------------------------------------------------------------------------

def _check_host_eligible(host: Host, day: date) -> None:
    if not host.is_active:
        raise _error("host", _("This host is not active."), Code.HOST_NOT_ELIGIBLE)
    if not host.real_name_verified:
        raise _error("host", _("The host's real name has not been verified."),
                     Code.HOST_NOT_ELIGIBLE)
    if age_on(host.birth_date, day) < MIN_HOST_AGE:
        raise _error("host", _("A host must be at least %(age)s years old."),
                     Code.HOST_NOT_ELIGIBLE, age=MIN_HOST_AGE)


def _check_times(starts_at, ends_at) -> None:
    if starts_at is None:
        raise _error("starts_at", _("This field is required."), Code.REQUIRED)
    if ends_at is None:
        raise _error("ends_at", _("This field is required."), Code.REQUIRED)
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise _error("starts_at", _("Give times with their time zone."), Code.INVALID)
    if ends_at <= starts_at:
        raise _error("ends_at", _("A broadcast must end after it starts."),
                     Code.INVALID_DATE_RANGE)
    if ends_at - starts_at > timedelta(hours=12):
        raise _error("ends_at", _("A broadcast can last at most 12 hours."),
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
        raise _error("starts_at", _("The host is already booked for “%(title)s” at "
                                    "this time."), Code.OVERLAPPING_BOOKING, title=clash.title)
    clash = clashes.filter(venue=venue).first()
    if clash is not None:
        raise _error("venue", _("The venue is already booked for “%(title)s” at "
                                "this time."), Code.OVERLAPPING_BOOKING, title=clash.title)


def _save_booking(broadcast: Broadcast) -> None:
    try:
        with transaction.atomic():
            broadcast.save()
    except IntegrityError as error:
        if "double_booking" in str(error):
            raise _error("starts_at", _("The host or the venue is already booked at this time."),
                         Code.OVERLAPPING_BOOKING) from None
        raise


@transaction.atomic
def create_broadcast(*, host: Host, venue: Venue, title: str, starts_at, ends_at,
                     platform: str, stream_url: str = "", channel_slug: str | None = None,
                     plan_notes: str = "", actor=None, schedule=None) -> Broadcast:
    title = (title or "").strip()
    if not title:
        raise _error("title", _("This field is required."), Code.REQUIRED)
    _check_times(starts_at, ends_at)
    if platform not in Platform.values:
        raise _error("platform", _("Unknown platform: %(value)s."), Code.INVALID, value=platform)
    if starts_at < timezone.now() - timedelta(minutes=5):
        raise _error("starts_at", _("A broadcast cannot be scheduled in the past."),
                     Code.INVALID_DATE_RANGE)
    if not venue.is_active:
        raise _error("venue", _("This venue is not in use."), Code.INVALID)
    _check_host_eligible(host, starts_at.astimezone(local_zone()).date())
    try:
        channel = shop_services.get_channel(channel_slug)
    except ValidationError:
        raise _error("channel", _("Channel with '%(slug)s' slug does not exist.") %
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


def _locked(broadcast: Broadcast) -> Broadcast:
    return Broadcast.objects.select_for_update().select_related("host", "venue", "channel").get(
        pk=broadcast.pk)


@transaction.atomic
def update_broadcast(broadcast: Broadcast, actor=None, **changes) -> Broadcast:
    """Change title, times, host, venue, platform or link of a scheduled broadcast."""
    broadcast = _locked(broadcast)
    if broadcast.status != Broadcast.Status.SCHEDULED:
        raise _error(None, _("Only a scheduled broadcast can be changed."), Code.INVALID_STATUS)
    for field in ("title", "platform", "stream_url", "starts_at", "ends_at", "host", "venue"):
        if field in changes and changes[field] is not None:
            setattr(broadcast, field, changes[field])
    if not broadcast.title.strip():
        raise _error("title", _("This field is required."), Code.REQUIRED)
    if broadcast.platform not in Platform.values:
        raise _error("platform", _("Unknown platform: %(value)s."), Code.INVALID,
                     value=broadcast.platform)
    _check_times(broadcast.starts_at, broadcast.ends_at)
    _check_host_eligible(broadcast.host, broadcast.starts_at.astimezone(local_zone()).date())
    _check_no_overlap(broadcast.host, broadcast.venue, broadcast.starts_at, broadcast.ends_at,
                      exclude_pk=broadcast.pk)
    _save_booking(broadcast)
    record(broadcast, BroadcastEvent.Type.UPDATED, actor, _("Details changed."),
           fields=sorted(k for k, v in changes.items() if v is not None))
    return broadcast


def _return_live_stock(broadcast: Broadcast, actor=None) -> int:
    """Give back every unit still held for the line-up (safe to repeat)."""
    returned = 0
    for item in broadcast.lineup.select_for_update().order_by("pk"):
        returned += _release_item_units(item, item.quantity_remaining)
    if returned:
        record(broadcast, BroadcastEvent.Type.STOCK_RETURNED, actor,
               _("%(n)s unsold units returned to stock.") % {"n": returned}, units=returned)
    return returned


def _release_item_units(item: LineupItem, units: int) -> int:
    """Release up to ``units`` held units of ``item`` (last stock rows first)."""
    if units <= 0:
        return 0
    parts, left = [], units
    reservations = list(item.reservations.select_for_update().filter(quantity__gt=0)
                        .order_by("-stock_id"))
    for reservation in reservations:
        take = min(reservation.quantity, left)
        if take:
            reservation.quantity -= take
            reservation.save(update_fields=["quantity"])
            parts.append((reservation.stock_id, take))
            left -= take
        if left == 0:
            break
    released = shop_services.release_reserved_stock(parts)
    if released:
        LineupItem.objects.filter(pk=item.pk).update(
            quantity_returned=item.quantity_returned + released)
        item.quantity_returned += released
    return released


@transaction.atomic
def cancel_broadcast(broadcast: Broadcast, actor=None, reason: str = "") -> Broadcast:
    broadcast = _locked(broadcast)
    if broadcast.status != Broadcast.Status.SCHEDULED:
        raise _error(None, _("Only a scheduled broadcast can be cancelled."), Code.INVALID_STATUS)
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", _("Give a reason."), Code.REQUIRED)
    broadcast.status = Broadcast.Status.CANCELLED
    broadcast.save(update_fields=["status", "updated_at"])
    _return_live_stock(broadcast, actor)
    record(broadcast, BroadcastEvent.Type.CANCELLED, actor, reason)
    return broadcast


@transaction.atomic
def start_broadcast(broadcast: Broadcast, actor=None, now=None) -> Broadcast:
    """Go live: allowed from an hour before the planned start until the planned end."""
    now = now or timezone.now()
    broadcast = _locked(broadcast)
    if broadcast.status != Broadcast.Status.SCHEDULED:
        raise _error(None, _("Only a scheduled broadcast can go live."), Code.INVALID_STATUS)
    if now < broadcast.starts_at - EARLY_START or now >= broadcast.ends_at:
        raise _error(None, _("A broadcast can go live from an hour before its start until its "
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
    broadcast = _locked(broadcast)
    if broadcast.status != Broadcast.Status.LIVE:
        raise _error(None, _("Only a live broadcast can end."), Code.INVALID_STATUS)
    if viewer_count is not None and viewer_count < 0:
        raise _error("viewer_count", _("The number of viewers cannot be negative."), Code.INVALID)
    broadcast.status = Broadcast.Status.ENDED
    broadcast.ended_at = now or timezone.now()
    if viewer_count is not None:
        broadcast.viewer_count = viewer_count
    broadcast.save(update_fields=["status", "ended_at", "viewer_count", "updated_at"])
    broadcast.lineup.filter(is_pinned=True).update(is_pinned=False)
    _return_live_stock(broadcast, actor)
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
    broadcast = _locked(broadcast)
    if broadcast.status == Broadcast.Status.CANCELLED:
        raise _error(None, _("A cancelled broadcast cannot be changed."), Code.INVALID_STATUS)
    fields = []
    for name, value in (("plan_notes", plan_notes), ("execution_notes", execution_notes),
                        ("review_notes", review_notes)):
        if value is not None:
            setattr(broadcast, name, value)
            fields.append(name)
    if viewer_count is not None:
        if viewer_count < 0:
            raise _error("viewer_count", _("The number of viewers cannot be negative."),
                         Code.INVALID)
        broadcast.viewer_count = viewer_count
        fields.append("viewer_count")
    broadcast.save(update_fields=[*fields, "updated_at"])
    record(broadcast, BroadcastEvent.Type.NOTES, actor, _("Notes updated."), fields=fields)
    return broadcast


@transaction.atomic
def complete_review(broadcast: Broadcast, actor=None, review_notes: str = "") -> Broadcast:
    """The review (复盘) is done: the broadcast moves from ended to reviewed."""
    broadcast = _locked(broadcast)
    if broadcast.status != Broadcast.Status.ENDED:
        raise _error(None, _("Only an ended broadcast can be reviewed."), Code.INVALID_STATUS)
    review_notes = (review_notes or broadcast.review_notes or "").strip()
    if not review_notes:
        raise _error("review_notes", _("Write the review notes first."), Code.REQUIRED)
    broadcast.review_notes = review_notes
    broadcast.status = Broadcast.Status.REVIEWED
    broadcast.save(update_fields=["review_notes", "status", "updated_at"])
    record(broadcast, BroadcastEvent.Type.REVIEWED, actor, _("Review completed."))
    return broadcast


# Weekly schedules ----------------------------------------------------------------------

def schedule_occurrences(schedule: WeeklySchedule, start: datetime, end: datetime):
    """Instants ``(starts_at, ends_at)`` of ``schedule`` starting in ``[start, end)``,
    expanded in the schedule's local time zone."""
    zone = ZoneInfo(schedule.timezone)
    first = datetime.combine(schedule.starts_on, schedule.start_time)
    until = datetime.combine(schedule.ends_on, time(23, 59)) if schedule.ends_on else None
    last_local = end.astimezone(zone).replace(tzinfo=None)
    if until is None or until > last_local:
        until = last_local
    rule = rrule.rrule(rrule.WEEKLY, byweekday=schedule.weekday, dtstart=first, until=until)
    for local in rule:
        starts_at = local.replace(tzinfo=zone)
        if start <= starts_at < end:
            yield starts_at, starts_at + timedelta(minutes=schedule.duration_minutes)


@transaction.atomic
def create_weekly_schedule(*, host: Host, venue: Venue, title: str, weekday: int,
                           start_time: time, duration_minutes: int, platform: str,
                           starts_on: date, ends_on: date | None = None, stream_url: str = "",
                           time_zone: str = "", weeks_ahead: int | None = None,
                           actor=None) -> tuple[WeeklySchedule, list, list]:
    """Create a weekly recurrence and its broadcasts for the coming weeks. Returns
    ``(schedule, created, conflicts)``: occurrences clashing with another booking are
    skipped and listed, never double-booked."""
    title = (title or "").strip()
    if not title:
        raise _error("title", _("This field is required."), Code.REQUIRED)
    if weekday is None or not 0 <= weekday <= 6:
        raise _error("weekday", _("The weekday must be 0 (Monday) to 6 (Sunday)."), Code.INVALID)
    if not duration_minutes or duration_minutes <= 0 or duration_minutes > 12 * 60:
        raise _error("duration_minutes", _("The duration must be 1 to 720 minutes."),
                     Code.INVALID_DATE_RANGE)
    if ends_on is not None and ends_on < starts_on:
        raise _error("ends_on", _("The last day cannot be before the first day."),
                     Code.INVALID_DATE_RANGE)
    if platform not in Platform.values:
        raise _error("platform", _("Unknown platform: %(value)s."), Code.INVALID, value=platform)
    zone_name = time_zone or getattr(settings, "LIVESTREAM_TIME_ZONE", "Asia/Shanghai")
    try:
        ZoneInfo(zone_name)
    except Exception:  # noqa: BLE001 - any bad key is the user's mistake
        raise _error("time_zone", _("Unknown time zone."), Code.INVALID) from None
    _check_host_eligible(host, max(starts_on, timezone.localdate()))
    schedule = WeeklySchedule.objects.create(
        title=title, host=host, venue=venue, weekday=weekday, start_time=start_time,
        duration_minutes=duration_minutes, timezone=zone_name, platform=platform,
        stream_url=stream_url or "", starts_on=starts_on, ends_on=ends_on, created_by=actor)
    created, conflicts = generate_schedule_broadcasts(schedule, weeks_ahead=weeks_ahead,
                                                      actor=actor)
    return schedule, created, conflicts


def generate_schedule_broadcasts(schedule: WeeklySchedule, weeks_ahead: int | None = None,
                                 actor=None, now=None) -> tuple[list, list]:
    """Create the schedule's missing broadcasts up to ``weeks_ahead`` weeks from now.
    Safe to repeat: an occurrence already generated is skipped (unique key)."""
    now = now or timezone.now()
    weeks = weeks_ahead or settings.LIVESTREAM_SCHEDULE_WEEKS_AHEAD
    created, conflicts = [], []
    existing = set(schedule.broadcasts.values_list("starts_at", flat=True))
    for starts_at, ends_at in schedule_occurrences(schedule, now, now + timedelta(weeks=weeks)):
        if starts_at in existing:
            continue
        try:
            with transaction.atomic():
                created.append(create_broadcast(
                    host=schedule.host, venue=schedule.venue, title=schedule.title,
                    starts_at=starts_at, ends_at=ends_at, platform=schedule.platform,
                    stream_url=schedule.stream_url, actor=actor, schedule=schedule))
        except ValidationError as error:
            conflicts.append({"starts_at": starts_at, "message": "; ".join(error.messages)})
    return created, conflicts


def extend_weekly_schedules() -> int:
    total = 0
    for schedule in WeeklySchedule.objects.filter(is_active=True).select_related("host", "venue"):
        created, _conflicts = generate_schedule_broadcasts(schedule)
        total += len(created)
    return total


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_coverage(weeks: int = 4, today: date | None = None) -> list[dict]:
    """This week and the coming ones (Monday to Sunday, local time): how many
    broadcasts (not cancelled) each has. The counties require at least one a week."""
    zone = local_zone()
    first = week_start(today or timezone.localdate(timezone=zone))
    result = []
    for i in range(weeks):
        monday = first + timedelta(weeks=i)
        start = datetime.combine(monday, time()).replace(tzinfo=zone)
        count = (Broadcast.objects.exclude(status=Broadcast.Status.CANCELLED)
                 .filter(starts_at__gte=start, starts_at__lt=start + timedelta(weeks=1)).count())
        result.append({"week_start": monday, "broadcasts": count})
    return result


def check_weekly_coverage(weeks: int = 4, today: date | None = None) -> list[date]:
    """Alert the operators (``shop.notifications``, once per week: the ``CoverageAlert``
    row) about coming weeks without a broadcast; an alert is resolved when the week gets
    one."""
    empty = []
    for week in weekly_coverage(weeks, today):
        monday = week["week_start"]
        if week["broadcasts"]:
            CoverageAlert.objects.filter(week_start=monday, resolved_at__isnull=True).update(
                resolved_at=timezone.now())
            continue
        empty.append(monday)
        alert, created = CoverageAlert.objects.get_or_create(week_start=monday)
        if not created:
            continue
        subject = _("No live sales broadcast is scheduled for the week of %(day)s.") % {
            "day": monday.isoformat()}
        for org in Organization.objects.filter(kind=Organization.Kind.OPERATOR, is_active=True):
            notifications.notify(
                org, "livestream_week_empty", subject,
                _("The county requires at least one live sales broadcast a week."),
                reference=monday.isoformat())
    return empty


# Line-up -------------------------------------------------------------------------------

def regular_price(variant, channel) -> Decimal | None:
    """The variant's price in ``channel`` when shoppers can buy it there, else ``None``."""
    from catalog.models import ProductChannelListing, ProductVariantChannelListing
    from catalog.services import is_available_for_purchase

    listing = ProductChannelListing.objects.filter(product_id=variant.product_id,
                                                   channel=channel).first()
    price = (ProductVariantChannelListing.objects.filter(variant=variant, channel=channel)
             .values_list("price_amount", flat=True).first())
    if price is None or not is_available_for_purchase(listing):
        return None
    return price


def _clean_flash_sale(broadcast, starts_at, seconds):
    if starts_at is None:
        return None, None
    if timezone.is_naive(starts_at):
        raise _error("flash_sale_starts_at", _("Give times with their time zone."), Code.INVALID)
    if not seconds or seconds <= 0:
        raise _error("flash_sale_seconds", _("Give the flash sale's length in seconds."),
                     Code.REQUIRED)
    ends_at = starts_at + timedelta(seconds=seconds)
    if starts_at < broadcast.starts_at - EARLY_START or ends_at > broadcast.ends_at:
        raise _error("flash_sale_starts_at",
                     _("A flash sale must take place within the broadcast."),
                     Code.INVALID_DATE_RANGE)
    return starts_at, ends_at


def _clean_price(live_price, regular) -> Decimal:
    if live_price is None:
        raise _error("live_price", _("This field is required."), Code.REQUIRED)
    live_price = money(live_price)
    if live_price < 0:
        raise _error("live_price", _("The live price cannot be negative."), Code.INVALID)
    if live_price > regular:
        raise _error("live_price", _("The live price cannot be above the regular price "
                                     "(%(price)s)."), Code.LIVE_PRICE_ABOVE_REGULAR,
                     price=str(money(regular)))
    return live_price


def _clean_limit(limit):
    if limit is not None and limit <= 0:
        raise _error("per_buyer_limit", _("The limit per buyer must be at least 1."),
                     Code.INVALID)
    return limit


@transaction.atomic
def add_lineup_item(broadcast: Broadcast, *, variant, live_price, quantity: int,
                    per_buyer_limit: int | None = None, position: int | None = None,
                    flash_sale_starts_at=None, flash_sale_seconds: int | None = None,
                    actor=None) -> LineupItem:
    """Put a variant in the line-up; its live allocation is taken from stock now."""
    broadcast = _locked(broadcast)
    if broadcast.status not in (Broadcast.Status.SCHEDULED, Broadcast.Status.LIVE):
        raise _error(None, _("The line-up of this broadcast can no longer change."),
                     Code.INVALID_STATUS)
    regular = regular_price(variant, broadcast.channel)
    if regular is None:
        raise _error("variant_id", _("This product is not available in this channel."),
                     Code.PRODUCT_NOT_PUBLISHED)
    live_price = _clean_price(live_price, regular)
    if quantity is None or quantity <= 0:
        raise _error("quantity", _("The live allocation must be at least 1 unit."), Code.INVALID)
    per_buyer_limit = _clean_limit(per_buyer_limit)
    flash_start, flash_end = _clean_flash_sale(broadcast, flash_sale_starts_at,
                                               flash_sale_seconds)
    if broadcast.lineup.filter(variant=variant).exists():
        raise _error("variant_id", _("This product is already in the line-up."),
                     Code.DUPLICATED_INPUT_ITEM)
    if position is None:
        position = (broadcast.lineup.order_by("-position").values_list("position", flat=True)
                    .first() or 0) + 1
    item = LineupItem.objects.create(
        broadcast=broadcast, variant=variant, position=position, live_price_amount=live_price,
        regular_price_amount=money(regular), per_buyer_limit=per_buyer_limit,
        flash_sale_starts_at=flash_start, flash_sale_ends_at=flash_end)
    _hold_units(item, quantity)
    record(broadcast, BroadcastEvent.Type.LINEUP_CHANGED, actor,
           _("Added %(product)s: %(n)s units at %(price)s.") % {
               "product": str(variant), "n": quantity, "price": live_price},
           item=item.pk, action="added")
    return item


def _hold_units(item: LineupItem, quantity: int) -> None:
    parts = shop_services.reserve_stock(item.variant_id, item.broadcast.channel, quantity)
    for stock_id, units in parts:
        reservation, _created = LiveStockReservation.objects.get_or_create(item=item,
                                                                          stock_id=stock_id)
        reservation.quantity += units
        reservation.save(update_fields=["quantity"])
    item.quantity_allocated += quantity
    item.save(update_fields=["quantity_allocated"])


def _locked_item(item: LineupItem) -> tuple[Broadcast, LineupItem]:
    broadcast = _locked(item.broadcast)
    item = LineupItem.objects.select_for_update().select_related("variant").get(pk=item.pk)
    item.broadcast = broadcast
    return broadcast, item


@transaction.atomic
def update_lineup_item(item: LineupItem, actor=None, **changes) -> LineupItem:
    """Change price, allocation, limit, position or flash sale. While live, nothing that
    would contradict orders already placed: no new price once units sold, no allocation
    below what is sold."""
    broadcast, item = _locked_item(item)
    if broadcast.status not in (Broadcast.Status.SCHEDULED, Broadcast.Status.LIVE):
        raise _error(None, _("The line-up of this broadcast can no longer change."),
                     Code.INVALID_STATUS)
    live = broadcast.status == Broadcast.Status.LIVE
    fields = []
    if changes.get("live_price") is not None:
        price = money(changes["live_price"])
        if price != item.live_price_amount:
            if live and item.quantity_sold:
                raise _error("live_price", _("Units already sold at the live price; it cannot "
                                             "change during the broadcast."), Code.LINEUP_LOCKED)
            regular = regular_price(item.variant, broadcast.channel)
            if regular is None:
                raise _error("variant_id", _("This product is not available in this channel."),
                             Code.PRODUCT_NOT_PUBLISHED)
            item.live_price_amount = _clean_price(price, regular)
            item.regular_price_amount = money(regular)
            fields += ["live_price_amount", "regular_price_amount"]
    if "per_buyer_limit" in changes:
        item.per_buyer_limit = _clean_limit(changes["per_buyer_limit"])
        fields.append("per_buyer_limit")
    if changes.get("position") is not None:
        item.position = changes["position"]
        fields.append("position")
    if "flash_sale_starts_at" in changes:
        if live and item.is_flash_sale and item.flash_sale_starts_at <= timezone.now():
            raise _error("flash_sale_starts_at", _("A flash sale that has begun cannot be "
                                                   "moved."), Code.LINEUP_LOCKED)
        item.flash_sale_starts_at, item.flash_sale_ends_at = _clean_flash_sale(
            broadcast, changes["flash_sale_starts_at"], changes.get("flash_sale_seconds"))
        fields += ["flash_sale_starts_at", "flash_sale_ends_at"]
    if fields:
        item.save(update_fields=fields)
    quantity = changes.get("quantity")
    if quantity is not None:
        if quantity < item.quantity_sold or quantity <= 0:
            raise _error("quantity", _("%(n)s units are already sold; the allocation cannot be "
                                       "lower."), Code.LINEUP_LOCKED if item.quantity_sold
                         else Code.INVALID, n=item.quantity_sold)
        current = item.quantity_allocated - item.quantity_returned
        if quantity > current:
            _hold_units(item, quantity - current)
        elif quantity < current:
            _release_item_units(item, current - quantity)
            item.refresh_from_db()
    record(broadcast, BroadcastEvent.Type.LINEUP_CHANGED, actor,
           _("Changed %(product)s.") % {"product": str(item.variant)}, item=item.pk,
           action="changed", fields=sorted(k for k in changes))
    return item


@transaction.atomic
def remove_lineup_item(item: LineupItem, actor=None) -> None:
    broadcast, item = _locked_item(item)
    if broadcast.status not in (Broadcast.Status.SCHEDULED, Broadcast.Status.LIVE):
        raise _error(None, _("The line-up of this broadcast can no longer change."),
                     Code.INVALID_STATUS)
    if item.quantity_sold or item.purchases.exists():
        raise _error("id", _("Units of this product were sold in the broadcast; it cannot be "
                             "removed."), Code.LINEUP_LOCKED)
    _release_item_units(item, item.quantity_remaining)
    name = str(item.variant)
    item.reservations.all().delete()
    item.delete()
    record(broadcast, BroadcastEvent.Type.LINEUP_CHANGED, actor,
           _("Removed %(product)s.") % {"product": name}, action="removed")


@transaction.atomic
def pin_lineup_item(item: LineupItem, actor=None) -> LineupItem:
    """Pin the product being presented (one at a time, only while live)."""
    broadcast, item = _locked_item(item)
    if broadcast.status != Broadcast.Status.LIVE:
        raise _error(None, _("Products can be pinned only while the broadcast is live."),
                     Code.BROADCAST_NOT_LIVE)
    broadcast.lineup.filter(is_pinned=True).exclude(pk=item.pk).update(is_pinned=False)
    if not item.is_pinned:
        item.is_pinned = True
        item.save(update_fields=["is_pinned"])
    record(broadcast, BroadcastEvent.Type.PINNED, actor,
           _("Pinned %(product)s.") % {"product": str(item.variant)}, item=item.pk)
    return item


def flash_sale_countdown(item: LineupItem, now=None) -> int | None:
    """Seconds until the flash sale starts (0 while it runs), ``None`` if none/over."""
    if not item.is_flash_sale:
        return None
    now = now or timezone.now()
    if now >= item.flash_sale_ends_at:
        return None
    return max(int((item.flash_sale_starts_at - now).total_seconds()), 0)


def live_price_applies(item: LineupItem, broadcast: Broadcast, now=None) -> bool:
    """The live price applies while the broadcast is live and before its planned end,
    and for a flash-sale item only during the flash sale."""
    now = now or timezone.now()
    if not broadcast.is_open(now):
        return False
    if item.is_flash_sale:
        return item.flash_sale_starts_at <= now < item.flash_sale_ends_at
    return True


# Buying from a broadcast ---------------------------------------------------------------

def _broadcast_pk(ref) -> int | None:
    try:
        return int(ref)
    except (TypeError, ValueError):
        return None


def live_price_hook(line, list_price, channel):
    """``CHECKOUT_PRICE_HOOKS``: the live price of a line started from a broadcast, inside
    its window. Marks the line (``_live_item_id``) so ``take_live_allocation`` takes its
    units from the live allocation. Outside the window: no answer (the list price), and
    the line keeps its attribution (post-live sale)."""
    if line.source != SOURCE:
        return None
    pk = _broadcast_pk(line.source_ref)
    item = (LineupItem.objects.select_related("broadcast")
            .filter(broadcast_id=pk, variant_id=line.variant_id,
                    broadcast__channel_id=channel.pk).first() if pk else None)
    if item is None or not live_price_applies(item, item.broadcast):
        line._live_item_id = None
        return None
    line._live_item_id = item.pk
    return item.live_price_amount, SOURCE, str(pk)


def buyer_key(user=None, email: str = "") -> str:
    if user is not None and getattr(user, "pk", None):
        return f"user:{user.pk}"
    return f"email:{(email or '').strip().lower()}"


def _bought(item_id: int, buyer: str) -> int:
    return (LivePurchase.objects.filter(item_id=item_id, buyer=buyer)
            .exclude(order_line__order__status=Order.Status.CANCELLED)
            .aggregate(n=Sum("quantity"))["n"] or 0)


def take_live_allocation(order, pairs) -> None:
    """``CHECKOUT_COMPLETE_HOOKS``: in the order's transaction, take every live-priced
    line's units from its line-up item's allocation. The item rows are locked (in
    primary-key order), so concurrent buyers queue: the allocation never oversells and
    the per-buyer limit holds. Sold out or over the limit: the whole order is refused."""
    live = [(getattr(cl, "_live_item_id", None), ol) for cl, ol in pairs]
    live = sorted(((pk, ol) for pk, ol in live if pk), key=lambda pair: pair[0])
    if not live:
        return
    items = {item.pk: item for item in LineupItem.objects.select_for_update()
             .filter(pk__in=[pk for pk, _ol in live]).order_by("pk")}
    buyer = buyer_key(order.user, order.user_email)
    for pk, order_line in live:
        item = items[pk]
        quantity = order_line.quantity
        if item.per_buyer_limit and _bought(pk, buyer) + quantity > item.per_buyer_limit:
            raise _error("quantity", _("Each buyer can buy at most %(max)s units of "
                                       "%(product)s in this broadcast."),
                         Code.QUANTITY_GREATER_THAN_LIMIT, max=item.per_buyer_limit,
                         product=order_line.product_name)
        if item.quantity_remaining < quantity:
            raise _error("quantity", _("%(product)s is sold out in this broadcast."),
                         Code.INSUFFICIENT_STOCK, product=order_line.product_name)
        parts, left = [], quantity
        for reservation in item.reservations.filter(quantity__gt=0).order_by("stock_id"):
            take = min(reservation.quantity, left)
            reservation.quantity -= take
            reservation.save(update_fields=["quantity"])
            parts.append((reservation.stock_id, take))
            left -= take
            if left == 0:
                break
        shop_services.allocate_reserved_stock(order_line, parts)
        order_line._track_inventory = False
        item.quantity_sold += quantity
        item.save(update_fields=["quantity_sold"])
        LivePurchase.objects.create(item=item, order_line=order_line, buyer=buyer,
                                    quantity=quantity)


def _broadcast_lines(broadcast: Broadcast, channel_slug, lines: list[dict], user=None,
                     email: str = "", existing: dict | None = None) -> dict:
    """Check lines bought from ``broadcast``; returns the units its live allocation adds
    to what the checkout may hold (``extra_available``)."""
    if broadcast.status in (Broadcast.Status.CANCELLED,):
        raise _error("broadcast", _("This broadcast was cancelled."), Code.INVALID_STATUS)
    if channel_slug and channel_slug != broadcast.channel.slug:
        raise _error("channel", _("This broadcast sells in another channel."), Code.INVALID)
    items = {i.variant_id: i for i in broadcast.lineup.filter(
        variant_id__in=[line["variant_id"] for line in lines])}
    extra = {}
    buyer = buyer_key(user, email) if (user or email) else None
    for line in lines:
        item = items.get(line["variant_id"])
        if item is None:
            raise _error("variant_id", _("This product is not in the broadcast's line-up."),
                         Code.NOT_FOUND)
        if not live_price_applies(item, broadcast):
            continue
        quantity = line["quantity"] + (existing or {}).get(item.variant_id, 0)
        if item.per_buyer_limit:
            bought = _bought(item.pk, buyer) if buyer else 0
            if bought + quantity > item.per_buyer_limit:
                raise _error("quantity", _("Each buyer can buy at most %(max)s units of "
                                           "%(product)s in this broadcast."),
                             Code.QUANTITY_GREATER_THAN_LIMIT, max=item.per_buyer_limit,
                             product=str(item.variant))
        if quantity > item.quantity_remaining:
            raise _error("quantity", _("%(product)s is sold out in this broadcast."),
                         Code.INSUFFICIENT_STOCK, product=str(item.variant))
        extra[item.variant_id] = item.quantity_remaining
    return extra


@transaction.atomic
def create_broadcast_checkout(broadcast: Broadcast, channel_slug: str | None = None, *,
                              user=None, email: str = "", lines: list[dict] | None = None,
                              shipping_address=None, billing_address=None):
    """A checkout started from a broadcast: its lines carry the broadcast's attribution
    and, inside the window, the live price (from the live allocation)."""
    lines = lines or []
    extra = _broadcast_lines(broadcast, channel_slug, lines, user,
                             email or (user.email if user else ""))
    return shop_services.create_checkout(
        channel_slug or broadcast.channel.slug, user=user, email=email, lines=lines,
        shipping_address=shipping_address, billing_address=billing_address,
        line_source=(SOURCE, str(broadcast.pk)), extra_available=extra)


@transaction.atomic
def add_broadcast_checkout_lines(checkout, broadcast: Broadcast, lines: list[dict]):
    existing = dict(checkout.lines.values_list("variant_id", "quantity"))
    extra = _broadcast_lines(broadcast, checkout.channel.slug, lines, checkout.user,
                             checkout.email, existing)
    return shop_services.add_checkout_lines(checkout, lines,
                                            line_source=(SOURCE, str(broadcast.pk)),
                                            extra_available=extra)


# Subscriptions and reminders -----------------------------------------------------------

def subscribe(broadcast: Broadcast, user) -> Subscription:
    if broadcast.status not in (Broadcast.Status.SCHEDULED, Broadcast.Status.LIVE):
        raise _error("id", _("This broadcast is over or cancelled."), Code.INVALID_STATUS)
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


# The review (复盘) ----------------------------------------------------------------------

def _window(broadcast: Broadcast):
    start = broadcast.started_at or broadcast.starts_at
    end = broadcast.ended_at or broadcast.ends_at
    return start, end, end + timedelta(days=settings.LIVESTREAM_POST_LIVE_DAYS)


def attributed_lines(broadcast: Broadcast):
    """Order lines attributed to ``broadcast`` (bought from it, live or after)."""
    _start, _end, post_end = _window(broadcast)
    return (OrderLine.objects.filter(source=SOURCE, source_ref=str(broadcast.pk),
                                     order__created_at__lte=post_end)
            .select_related("order", "organization")
            .order_by("order__created_at", "pk"))


def _totals(lines) -> dict:
    orders = {line.order_id for line in lines}
    return {
        "gmv": money(sum((line.total_price_amount for line in lines), Decimal(0))),
        "orders": len(orders),
        "units": sum(line.quantity for line in lines),
        "buyers": len({line.order.user_email for line in lines}),
    }


def _gmv_by_broadcast(pks: list[int]) -> dict[int, dict]:
    rows = (OrderLine.objects.filter(source=SOURCE, source_ref__in=[str(pk) for pk in pks])
            .exclude(order__status=Order.Status.CANCELLED)
            .filter(live_purchase__isnull=False)
            .values("source_ref").annotate(gmv=Sum("total_price_amount"), units=Sum("quantity")))
    orders = defaultdict(set)
    for ref, order_id in (OrderLine.objects.filter(source=SOURCE, live_purchase__isnull=False,
                                                   source_ref__in=[str(pk) for pk in pks])
                          .exclude(order__status=Order.Status.CANCELLED)
                          .values_list("source_ref", "order_id")):
        orders[ref].add(order_id)
    return {int(r["source_ref"]): {"gmv": money(r["gmv"] or 0), "units": r["units"] or 0,
                                   "orders": len(orders[r["source_ref"]])} for r in rows}


def broadcast_review(broadcast: Broadcast, previous: int = 5) -> dict:
    """The figures of the review: live sales (bought at the live price during the
    broadcast), post-live sales (attributed orders within the following days), refunds,
    top products, sales per cooperative, conversion and the host's previous broadcasts."""
    start, end, _post_end = _window(broadcast)
    lines = list(attributed_lines(broadcast))
    live_ids = set(LivePurchase.objects.filter(item__broadcast=broadcast)
                   .values_list("order_line_id", flat=True))
    kept = [line for line in lines if line.order.status != Order.Status.CANCELLED]
    live = [line for line in kept if line.pk in live_ids or line.order.created_at <= end]
    post = [line for line in kept if line not in live]
    refunded_orders = {}
    for line in kept:
        if line.order.total_refunded_amount > 0:
            own = refunded_orders.setdefault(line.order_id, [line.order, Decimal(0)])
            own[1] += line.total_price_amount
    refund_amount = money(sum((min(order.total_refunded_amount, total)
                               for order, total in refunded_orders.values()), Decimal(0)))
    products = defaultdict(lambda: {"units": 0, "amount": Decimal(0)})
    sellers = defaultdict(lambda: {"units": 0, "amount": Decimal(0), "orders": set()})
    for line in live:
        key = (line.variant_id, line.product_name, line.variant_name)
        products[key]["units"] += line.quantity
        products[key]["amount"] += line.total_price_amount
        seller = sellers[(line.organization_id, line.organization.name)]
        seller["units"] += line.quantity
        seller["amount"] += line.total_price_amount
        seller["orders"].add(line.order_id)
    top = sorted(products.items(), key=lambda kv: (-kv[1]["amount"], -kv[1]["units"]))[:5]
    totals = _totals(live)
    conversion = (Decimal(totals["orders"]) / broadcast.viewer_count * 100).quantize(CENT) \
        if broadcast.viewer_count else None
    earlier = list(Broadcast.objects.filter(
        host=broadcast.host, starts_at__lt=broadcast.starts_at,
        status__in=[Broadcast.Status.ENDED, Broadcast.Status.REVIEWED])
        .order_by("-starts_at")[:previous])
    figures = _gmv_by_broadcast([b.pk for b in earlier])
    history = [{"broadcast": b, **figures.get(b.pk, {"gmv": money(0), "units": 0, "orders": 0})}
               for b in earlier]
    average = (money(sum((h["gmv"] for h in history), Decimal(0)) / len(history))
               if history else None)
    return {
        "broadcast": broadcast,
        "window_start": start,
        "window_end": end,
        **totals,
        "refunds": len(refunded_orders),
        "refunded_amount": refund_amount,
        "post_live": _totals(post),
        "viewer_count": broadcast.viewer_count,
        "conversion_percent": conversion,
        "top_products": [{"variant_id": k[0], "product_name": k[1], "variant_name": k[2],
                          "units": v["units"], "amount": money(v["amount"])} for k, v in top],
        "per_seller": [{"organization_id": k[0], "name": k[1], "units": v["units"],
                        "orders": len(v["orders"]), "amount": money(v["amount"])}
                       for k, v in sorted(sellers.items(), key=lambda kv: -kv[1]["amount"])],
        "previous": history,
        "previous_average_gmv": average,
        "gmv_vs_previous_average": (
            (totals["gmv"] / average).quantize(CENT) if average else None),
        "lineup": list(broadcast.lineup.select_related("variant__product").order_by("position")),
    }


SALES_COLUMNS = [
    ("order_number", _lazy("Order number")), ("placed_at", _lazy("Placed at")),
    ("phase", _lazy("Sale")), ("buyer", _lazy("Buyer")), ("product", _lazy("Product")),
    ("variant", _lazy("Variant")), ("sku", _lazy("SKU")), ("seller", _lazy("Seller")),
    ("quantity", _lazy("Quantity")), ("unit_price", _lazy("Unit price")),
    ("list_price", _lazy("List price")), ("total", _lazy("Line total")),
    ("status", _lazy("Order status")),
]


def _mask_email(email: str) -> str:
    name, _at, domain = (email or "").partition("@")
    return f"{name[:2]}***@{domain}" if domain else "***"


def sales_detail_rows(broadcast: Broadcast) -> list[dict]:
    """The sales detail list (销售明细清单): one row per attributed order line."""
    _start, end, _post = _window(broadcast)
    live_ids = set(LivePurchase.objects.filter(item__broadcast=broadcast)
                   .values_list("order_line_id", flat=True))
    zone = local_zone()
    rows = []
    for line in attributed_lines(broadcast):
        live = line.pk in live_ids or line.order.created_at <= end
        rows.append({
            "order_number": line.order.number,
            "placed_at": line.order.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
            "phase": _("Live") if live else _("Post-live"),
            "buyer": _mask_email(line.order.user_email),
            "product": line.product_name, "variant": line.variant_name, "sku": line.product_sku,
            "seller": line.organization.name, "quantity": line.quantity,
            "unit_price": line.unit_price_amount,
            "list_price": line.undiscounted_unit_price_amount,
            "total": line.total_price_amount, "status": line.order.get_status_display(),
        })
    return rows


def sales_detail_csv(broadcast: Broadcast) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(label) for _key, label in SALES_COLUMNS])
    for row in sales_detail_rows(broadcast):
        writer.writerow([row[key] for key, _label in SALES_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def sales_detail_xlsx(broadcast: Broadcast) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Sales detail")
    sheet.append([str(label) for _key, label in SALES_COLUMNS])
    for row in sales_detail_rows(broadcast):
        sheet.append([float(v) if isinstance(v, Decimal) else v
                      for v in (row[key] for key, _label in SALES_COLUMNS)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Public schedule -----------------------------------------------------------------------

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
