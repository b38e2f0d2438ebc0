"""Mutations of livestream selling, by concern: hosts and venues, broadcasts (with the
shoppers' reminders), weekly schedules, line-ups. Each validates input, checks permission
(operators everything; a host only their own broadcasts; shoppers only subscribe), calls
one service and shapes the result; mistakes come back as ``errors { field code message }``."""

import graphene

from .base import LivestreamError, LivestreamErrorCode, LivestreamMutation
from .broadcasts import (
    BroadcastCancel,
    BroadcastCreate,
    BroadcastEnd,
    BroadcastMutation,
    BroadcastNotesUpdate,
    BroadcastReviewComplete,
    BroadcastStart,
    BroadcastSubscribe,
    BroadcastUnsubscribe,
    BroadcastUpdate,
)
from .hosts import LiveHostCreate, LiveHostUpdate, LiveVenueCreate
from .lineups import (
    LineupItemAdd,
    LineupItemMutation,
    LineupItemPin,
    LineupItemRemove,
    LineupItemUpdate,
)
from .offers import LiveOffer, LiveOfferCreate, LiveOfferWithdraw
from .schedules import WeeklyScheduleCreate


class LivestreamMutations(graphene.ObjectType):
    live_host_create = LiveHostCreate.Field()
    live_host_update = LiveHostUpdate.Field()
    live_venue_create = LiveVenueCreate.Field()
    broadcast_create = BroadcastCreate.Field()
    broadcast_update = BroadcastUpdate.Field()
    broadcast_cancel = BroadcastCancel.Field()
    broadcast_start = BroadcastStart.Field()
    broadcast_end = BroadcastEnd.Field()
    broadcast_notes_update = BroadcastNotesUpdate.Field()
    broadcast_review_complete = BroadcastReviewComplete.Field()
    weekly_schedule_create = WeeklyScheduleCreate.Field()
    lineup_item_add = LineupItemAdd.Field()
    lineup_item_update = LineupItemUpdate.Field()
    lineup_item_remove = LineupItemRemove.Field()
    lineup_item_pin = LineupItemPin.Field()
    broadcast_subscribe = BroadcastSubscribe.Field()
    broadcast_unsubscribe = BroadcastUnsubscribe.Field()
    live_offer_create = LiveOfferCreate.Field()
    live_offer_withdraw = LiveOfferWithdraw.Field()


__all__ = [
    "BroadcastCancel", "BroadcastCreate", "BroadcastEnd", "BroadcastMutation",
    "BroadcastNotesUpdate", "BroadcastReviewComplete", "BroadcastStart", "BroadcastSubscribe",
    "BroadcastUnsubscribe", "BroadcastUpdate", "LineupItemAdd", "LineupItemMutation",
    "LineupItemPin", "LineupItemRemove", "LineupItemUpdate", "LiveHostCreate", "LiveHostUpdate",
    "LiveOffer", "LiveOfferCreate", "LiveOfferWithdraw", "LiveVenueCreate", "LivestreamError",
    "LivestreamErrorCode", "LivestreamMutation",
    "LivestreamMutations", "WeeklyScheduleCreate",
]
