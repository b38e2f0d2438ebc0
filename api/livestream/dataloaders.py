"""One DataLoader per relation of the livestream app; lists of broadcasts resolve their
hosts, venues, line-ups, variants and subscriptions through these, so a page costs the
same number of queries whatever its size."""

from __future__ import annotations

from api.core.dataloaders import ByIdLoader, DataLoader, by_key
from livestream.models import Broadcast, Host, LineupItem, Subscription, Venue
from livestream.services import with_on_sale


class HostByIdLoader(ByIdLoader):
    model = Host


class VenueByIdLoader(ByIdLoader):
    model = Venue


class LineupByBroadcastIdLoader(DataLoader):
    def batch_load(self, keys):
        grouped = by_key(with_on_sale(LineupItem.objects.filter(broadcast_id__in=keys))
                         .order_by("position", "pk"), lambda item: item.broadcast_id)
        return [grouped.get(key, []) for key in keys]


class SubscribedBroadcastIdsByUserLoader(DataLoader):
    """Keys are ``(user_id, broadcast_id)``: whether the user subscribed."""

    def batch_load(self, keys):
        users = {u for u, _b in keys}
        broadcasts = {b for _u, b in keys}
        found = set(Subscription.objects.filter(user_id__in=users, broadcast_id__in=broadcasts)
                    .values_list("user_id", "broadcast_id"))
        return [key in found for key in keys]


class BroadcastByIdLoader(ByIdLoader):
    model = Broadcast
