"""Channels: where a shopper buys, in which currency, from which warehouses."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from ..error_codes import ChannelErrorCode
from ..errors import field_error
from ..models import Channel


def get_channel(slug: str | None) -> Channel:
    """The active channel ``slug`` (the default channel when ``None``)."""
    slug = slug or settings.DEFAULT_CHANNEL_SLUG
    channel = Channel.objects.filter(slug=slug, is_active=True).first()
    if channel is None:
        raise field_error("channel", _("Channel with '%(slug)s' slug does not exist.")
                          % {"slug": slug}, ChannelErrorCode.NOT_FOUND)
    return channel
