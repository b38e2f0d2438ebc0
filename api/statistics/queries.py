"""``countyStatistics(county, period, date, from, to)``: the figures of the county screen
for programs (a provincial system pulling the county's numbers). County officials get
their own county only; operators any county or, without ``county``, all of them."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from graphql import GraphQLError

from api.core.permissions import refuse, require_user
from county_statistics import services

from . import types


class StatisticsQueries(graphene.ObjectType):
    county_statistics = graphene.Field(
        types.CountyStatistics,
        county=graphene.String(description="A pavilion's slug; omit for all counties "
                                           "(operators only)."),
        period=types.StatisticsPeriodEnum(default_value="month"),
        date=graphene.Date(description="A day inside the period; today by default."),
        first=graphene.Date(name="from", description="First day of a custom range."),
        last=graphene.Date(name="to", description="Last day of a custom range (inclusive)."),
        description="County statistics for county officials and the pavilion's operators.")

    @staticmethod
    def resolve_county_statistics(_root, info, county=None, period="month", date=None,
                                  first=None, last=None):
        user = require_user(info)
        try:
            pavilion = services.resolve_scope(user, county)
        except PermissionDenied as exc:
            refuse(str(exc))
        try:
            chosen = services.make_period(getattr(period, "value", period), date, first, last)
        except ValidationError as exc:
            raise GraphQLError(" ".join(exc.messages)) from exc
        return services.cached_county_statistics(pavilion, chosen)[1]
