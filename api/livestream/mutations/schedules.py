"""Weekly schedules: a recurrence that books broadcasts weeks ahead."""

from __future__ import annotations

from datetime import time

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from livestream import models, services
from livestream.error_codes import LivestreamErrorCode as CodeEnum

from .. import types
from .base import LivestreamMutation, booking_host, get_instance


class WeeklyScheduleCreateInput(graphene.InputObjectType):
    title = graphene.String(required=True)
    host = graphene.ID()
    venue = graphene.ID(required=True)
    weekday = graphene.Int(required=True, description="0 is Monday.")
    start_time = graphene.String(required=True, description="Local time, ISO 8601 "
                                                         "(\"19:30\" or \"19:30:00\").")
    duration_minutes = graphene.Int(required=True)
    platform = types.LivePlatformEnum(required=True)
    stream_url = graphene.String()
    starts_on = graphene.Date(required=True)
    ends_on = graphene.Date()
    time_zone = graphene.String(description="Default Asia/Shanghai.")
    weeks_ahead = graphene.Int()


def _local_time(value: str) -> time:
    """The start time a client sends as a string (Saleor's schema has no Time scalar)."""
    try:
        parsed = time.fromisoformat(value.strip())
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is not None:
        raise ValidationError({"start_time": ValidationError(
            _("Enter a time of day such as 19:30."), code=CodeEnum.INVALID.value)})
    return parsed


class WeeklyScheduleCreate(LivestreamMutation):
    schedule = graphene.Field(types.WeeklySchedule)
    broadcasts = graphene.List(graphene.NonNull(types.Broadcast), required=True)
    conflicts = graphene.List(graphene.NonNull(types.ScheduleConflict), required=True,
                              description="Occurrences skipped: host or venue booked.")

    class Arguments:
        input = WeeklyScheduleCreateInput(required=True)

    class Meta:
        description = "A weekly recurrence generating broadcasts weeks ahead."

    @classmethod
    def perform_mutation(cls, _root, info, input):
        user, host = booking_host(info, input.get("host"))
        venue = get_instance(models.Venue, input["venue"], "LiveVenue", "venue")
        weeks = input.get("weeks_ahead")
        if weeks is not None and not 1 <= weeks <= 26:
            raise ValidationError({"weeks_ahead": ValidationError(
                _("Generate 1 to 26 weeks ahead."), code=CodeEnum.INVALID.value)})
        schedule, created, conflicts = services.create_weekly_schedule(
            host=host, venue=venue, title=input["title"], weekday=input["weekday"],
            start_time=_local_time(input["start_time"]),
            duration_minutes=input["duration_minutes"],
            platform=getattr(input["platform"], "value", input["platform"]),
            stream_url=input.get("stream_url") or "", starts_on=input["starts_on"],
            ends_on=input.get("ends_on"), time_zone=input.get("time_zone") or "",
            weeks_ahead=weeks, actor=user)
        return cls(schedule=schedule, broadcasts=created,
                   conflicts=[types.ScheduleConflict(**c) for c in conflicts])
