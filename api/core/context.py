"""Carries the channel down the graph with each node (Saleor's ChannelContext), so that a
nested ``collection.products`` needs no channel argument of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from graphql import GraphQLError

from shop import services as shop_services


@dataclass(frozen=True)
class ChannelContext:
    node: Any
    channel_slug: str


def get_channel_or_error(slug: str | None):
    """The channel named by a query's ``channel`` argument (default when omitted), cached
    per request; an unknown slug is a clear top-level error."""
    try:
        return shop_services.get_channel(slug)
    except ValidationError as error:
        raise GraphQLError(error.message_dict["channel"][0]) from None


def request_channel(info, slug: str | None):
    cache = info.context.__dict__.setdefault("_channels", {})
    if slug not in cache:
        cache[slug] = get_channel_or_error(slug)
    return cache[slug]
