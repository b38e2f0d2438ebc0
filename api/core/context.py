"""Carries the channel down the graph with each node (Saleor's ChannelContext), so that a
nested ``collection.products`` needs no channel argument of its own."""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from graphql import GraphQLError

from shop import services as shop_services
from shop import versions


@dataclass(frozen=True)
class ChannelContext:
    node: Any
    channel_slug: str


# The active channels queries named, kept by this process under the catalogue's version
# (``shop.versions.CATALOGUE``, raised by ``storefront.versions`` on every save or delete of
# a channel, in whichever process): a request reads that one counter instead of the
# channel's row, and the first request after a channel is renamed, deactivated or removed
# reads the row again. Without a readable counter (the cache is down) nothing is kept.
# Without REDIS_URL the counter is this process's own, blind to a change made in another
# one (a second worker, a shell): a kept channel is read again after KEPT_SECONDS anyway.
# Slug -> (version, when read, channel); only slugs of channels found, so it holds at most
# the table.
KEPT_SECONDS = 60
_kept_channels: dict[str, tuple[int, float, Any]] = {}


def get_channel_or_error(slug: str | None):
    """The channel named by a query's ``channel`` argument (default when omitted); an
    unknown or inactive slug is a clear top-level error."""
    slug = slug or settings.DEFAULT_CHANNEL_SLUG
    stamp = versions.read([versions.CATALOGUE.key()])
    kept = _kept_channels.get(slug)
    now = time.monotonic()
    if stamp is not None and kept is not None and kept[0] == stamp[0] \
            and now - kept[1] < KEPT_SECONDS:
        # A copy: a request may attach things to its channel, never to the next one's.
        return copy.copy(kept[2])
    try:
        channel = shop_services.get_channel(slug)
    except ValidationError as error:
        raise GraphQLError(error.message_dict["channel"][0]) from None
    if stamp is not None:
        _kept_channels[slug] = (stamp[0], now, copy.copy(channel))
    return channel


def request_channel(info, slug: str | None):
    """``get_channel_or_error``, once per request and slug."""
    cache = info.context.__dict__.setdefault("_channels", {})
    if slug not in cache:
        cache[slug] = get_channel_or_error(slug)
    return cache[slug]
