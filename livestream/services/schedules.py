"""Weekly schedules: a recurrence in local time expanded into broadcasts weeks ahead, and
the county rules, counted for each county alone: at least one broadcast a week (operators
are alerted) and enough active hosts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Pavilion
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


def broadcast_counties(broadcasts) -> dict[int, set[str]]:
    """The counties each broadcast serves: those of its line-up's pavilions, of its host's
    organisation and of its venue's organisation (the same reading as the coverage page)."""
    counties: dict[int, set[str]] = defaultdict(set)
    pks = [b.pk for b in broadcasts]
    for pk, *names in Broadcast.objects.filter(pk__in=pks).values_list(
            "pk", "lineup__variant__product__pavilion__county", "host__organization__county",
            "venue__organization__county"):
        counties[pk].update(n for n in names if n)
    return counties


def known_counties() -> list[str]:
    """The counties with a pavilion, in the pavilions' order."""
    names = []
    for county in Pavilion.objects.values_list("county", flat=True):
        if county and county not in names:
            names.append(county)
    return names


def weekly_coverage(weeks: int = 4, today: date | None = None) -> list[dict]:
    """This week and the coming ones (Monday to Sunday, local time): how many broadcasts
    (not cancelled) each has in all and in each county (``counties``: ``{county: n}``).
    The rule of at least one a week holds per county: ``empty_counties`` are those with
    none that week."""
    zone = local_zone()
    first = week_start(today or timezone.localdate(timezone=zone))
    start = datetime.combine(first, time()).replace(tzinfo=zone)
    broadcasts = list(Broadcast.objects.exclude(status=Broadcast.Status.CANCELLED).filter(
        starts_at__gte=start, starts_at__lt=start + timedelta(weeks=weeks)))
    by_county = broadcast_counties(broadcasts)
    counties = known_counties()
    result = []
    for i in range(weeks):
        monday = first + timedelta(weeks=i)
        begin = datetime.combine(monday, time()).replace(tzinfo=zone)
        in_week = [b for b in broadcasts if begin <= b.starts_at < begin + timedelta(weeks=1)]
        per_county = {county: 0 for county in counties}
        for b in in_week:
            for county in by_county.get(b.pk, ()):
                per_county[county] = per_county.get(county, 0) + 1
        result.append({"week_start": monday, "broadcasts": len(in_week),
                       "counties": per_county,
                       "empty_counties": [c for c, n in per_county.items() if n == 0]})
    return result


def county_hosts(today: date | None = None) -> dict[str, int]:
    """Active, real-name verified hosts per county (their organisation's county), every
    known county listed, so a county without hosts shows 0."""
    counts = {county: 0 for county in known_counties()}
    for county in Host.objects.filter(is_active=True, real_name_verified=True).values_list(
            "organization__county", flat=True):
        if county:
            counts[county] = counts.get(county, 0) + 1
    return counts


def county_rules(weeks: int = 4, today: date | None = None) -> list[dict]:
    """Each county against its two rules: a broadcast every week and
    ``LIVESTREAM_HOSTS_PER_COUNTY`` active hosts, counted for that county alone."""
    coverage = weekly_coverage(weeks, today)
    hosts = county_hosts(today)
    rule = settings.LIVESTREAM_HOSTS_PER_COUNTY
    counties = list(hosts)
    for week in coverage:
        counties += [c for c in week["counties"] if c not in counties]
    return [{"county": county, "hosts": hosts.get(county, 0), "hosts_rule": rule,
             "meets_hosts_rule": hosts.get(county, 0) >= rule,
             "weeks": [{"week_start": w["week_start"],
                        "broadcasts": w["counties"].get(county, 0)} for w in coverage],
             "weeks_without_broadcast": [w["week_start"] for w in coverage
                                         if not w["counties"].get(county, 0)]}
            for county in counties]


def check_weekly_coverage(weeks: int = 4, today: date | None = None) -> list[date]:
    """Alert the operators (``shop.notifications``, once per county and week: the
    ``CoverageAlert`` row) about coming weeks in which a county has no broadcast; an alert
    is resolved when that county gets one. Without any county set up, the platform's
    broadcasts are counted together (``county`` empty). Returns the weeks with an empty
    county."""
    empty = []
    for week in weekly_coverage(weeks, today):
        monday = week["week_start"]
        counts = week["counties"] or {"": week["broadcasts"]}
        for county, count in counts.items():
            if count:
                CoverageAlert.objects.filter(week_start=monday, county=county,
                                             resolved_at__isnull=True).update(
                    resolved_at=timezone.now())
                continue
            if monday not in empty:
                empty.append(monday)
            alert, created = CoverageAlert.objects.get_or_create(week_start=monday,
                                                                 county=county)
            if not created:
                continue
            subject = (_("No live sales broadcast is scheduled in %(county)s for the week of "
                         "%(day)s.") % {"county": county, "day": monday.isoformat()} if county
                       else _("No live sales broadcast is scheduled for the week of %(day)s.")
                       % {"day": monday.isoformat()})
            for org in Organization.objects.filter(kind=Organization.Kind.OPERATOR,
                                                   is_active=True):
                notifications.notify(
                    org, "livestream_week_empty", subject,
                    _("The county requires at least one live sales broadcast a week."),
                    reference=f"{monday.isoformat()}:{county}" if county else monday.isoformat())
    return empty
