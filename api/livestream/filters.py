"""Filters of the ``broadcasts`` connection: date range, hosts, statuses, venue type."""

from __future__ import annotations

import graphene
from django.db.models import Q

from api.catalog.filters import ids_of

from .types import BroadcastStatusEnum, LiveVenueKindEnum


class DateTimeRangeInput(graphene.InputObjectType):
    gte = graphene.DateTime(description="From this instant on.")
    lte = graphene.DateTime(description="Up to this instant.")


class BroadcastFilterInput(graphene.InputObjectType):
    starts_at = DateTimeRangeInput(description="Planned start within this range.")
    hosts = graphene.List(graphene.NonNull(graphene.ID))
    status = graphene.List(graphene.NonNull(BroadcastStatusEnum))
    venue_kind = graphene.List(graphene.NonNull(LiveVenueKindEnum))
    search = graphene.String(description="Words of the title.")


def _value(v):
    return getattr(v, "value", v)


def filter_broadcasts(queryset, filter_input: dict | None):
    f = dict(filter_input or {})
    starts = f.get("starts_at") or {}
    if starts.get("gte") is not None:
        queryset = queryset.filter(starts_at__gte=starts["gte"])
    if starts.get("lte") is not None:
        queryset = queryset.filter(starts_at__lte=starts["lte"])
    if f.get("hosts"):
        queryset = queryset.filter(host_id__in=ids_of(f["hosts"], "LiveHost"))
    if f.get("status"):
        queryset = queryset.filter(status__in=[_value(s) for s in f["status"]])
    if f.get("venue_kind"):
        queryset = queryset.filter(venue__kind__in=[_value(k) for k in f["venue_kind"]])
    if f.get("search"):
        for word in f["search"].split():
            queryset = queryset.filter(Q(title__icontains=word))
    return queryset
