"""Queries of livestream selling: the schedule (public), hosts, venues, weekly schedules,
the weekly coverage (operators) and a shopper's reminders."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _

from api.core.connection import connection_args, paginate
from api.core.ids import resolve_global_id
from api.core.permissions import require, require_user
from livestream import models, services

from . import types
from .filters import BroadcastFilterInput, filter_broadcasts


def _operator_or_host(info):
    user = require_user(info)
    if user.is_operator:
        return user, None
    host = models.Host.objects.filter(user=user).first()
    require(host is not None, _("Only hosts and operators can see this"))
    return user, host


class LivestreamQueries(graphene.ObjectType):
    broadcasts = graphene.Field(
        types.BroadcastCountableConnection,
        description="Broadcasts by planned start; anyone can see the schedule.",
        **connection_args(filter=BroadcastFilterInput()))
    broadcast = graphene.Field(types.Broadcast, id=graphene.ID(required=True))
    live_hosts = graphene.Field(types.LiveHostCountableConnection, **connection_args())
    live_venues = graphene.List(graphene.NonNull(types.LiveVenue), required=True)
    weekly_schedules = graphene.List(graphene.NonNull(types.WeeklySchedule), required=True,
                                     description="Operators see all; a host their own.")
    live_weekly_coverage = graphene.List(
        graphene.NonNull(types.WeekCoverage), required=True, weeks=graphene.Int(default_value=4),
        description="This week and the coming ones: broadcasts per week (operators, hosts).")
    live_county_rules = graphene.List(
        graphene.NonNull(types.CountyLiveRules), required=True,
        weeks=graphene.Int(default_value=4),
        description="Each county's broadcasts per week and active hosts against the rules "
                    "(operators, hosts).")
    my_broadcast_reminders = graphene.List(graphene.NonNull(types.BroadcastReminder),
                                           required=True)

    @staticmethod
    def resolve_broadcasts(_root, info, filter=None, **page):
        queryset = filter_broadcasts(models.Broadcast.objects.all(), filter)
        return paginate(queryset, page, types.BroadcastCountableConnection, ["starts_at"],
                        connection_name="broadcasts")

    @staticmethod
    def resolve_broadcast(_root, _info, id):
        _type, pk = resolve_global_id(id, "Broadcast")
        return models.Broadcast.objects.filter(pk=pk).first()

    @staticmethod
    def resolve_live_hosts(_root, _info, **page):
        return paginate(models.Host.objects.filter(is_active=True), page,
                        types.LiveHostCountableConnection, ["display_name"],
                        connection_name="liveHosts")

    @staticmethod
    def resolve_live_venues(_root, _info):
        return list(models.Venue.objects.filter(is_active=True))

    @staticmethod
    def resolve_weekly_schedules(_root, info):
        _user, host = _operator_or_host(info)
        queryset = models.WeeklySchedule.objects.all()
        return list(queryset if host is None else queryset.filter(host=host))

    @staticmethod
    def resolve_live_weekly_coverage(_root, info, weeks=4):
        _operator_or_host(info)
        return services.weekly_coverage(max(1, min(weeks, 26)))

    @staticmethod
    def resolve_live_county_rules(_root, info, weeks=4):
        _operator_or_host(info)
        return services.county_rules(max(1, min(weeks, 26)))

    @staticmethod
    def resolve_my_broadcast_reminders(_root, info):
        user = require_user(info)
        return list(models.Reminder.objects.filter(user=user))
