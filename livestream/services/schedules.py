"""Weekly schedules: a recurrence in local time expanded into broadcasts weeks ahead, and
the county's rule of at least one broadcast a week (operators are alerted)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop import notifications
from shop.errors import field_error
from shop.models import Organization
from shop.uploads import clean_url

from ..error_codes import LivestreamErrorCode as Code
from ..models import Broadcast, CoverageAlert, Host, Platform, Venue, WeeklySchedule
from .broadcasts import clean_title, create_broadcast
from .common import local_zone
from .hosts import check_host_eligible


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
    title = clean_title(title)
    stream_url = clean_url(stream_url, "stream_url", Code.INVALID)
    if weekday is None or not 0 <= weekday <= 6:
        raise field_error("weekday", _("The weekday must be 0 (Monday) to 6 (Sunday)."),
                          Code.INVALID)
    if not duration_minutes or duration_minutes <= 0 or duration_minutes > 12 * 60:
        raise field_error("duration_minutes", _("The duration must be 1 to 720 minutes."),
                          Code.INVALID_DATE_RANGE)
    if ends_on is not None and ends_on < starts_on:
        raise field_error("ends_on", _("The last day cannot be before the first day."),
                          Code.INVALID_DATE_RANGE)
    if platform not in Platform.values:
        raise field_error("platform", _("Unknown platform: %(value)s."), Code.INVALID,
                          value=platform)
    zone_name = time_zone or settings.LIVESTREAM_TIME_ZONE
    try:
        ZoneInfo(zone_name)
    except Exception:  # noqa: BLE001 - any bad key is the user's mistake
        raise field_error("time_zone", _("Unknown time zone."), Code.INVALID) from None
    check_host_eligible(host, max(starts_on, timezone.localdate()))
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
