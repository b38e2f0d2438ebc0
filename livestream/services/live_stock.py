"""A line-up item's live allocation: units held out of the channel's stock for the
broadcast (``shop.services.reserve_stock``), one ``LiveStockReservation`` per stock row,
and given back when the item shrinks or leaves or the broadcast ends."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shop import soldout
from shop.services import release_reserved_stock, reserve_stock

from ..models import Broadcast, BroadcastEvent, LineupItem, LiveStockReservation
from .common import SOURCE, record


def hold_item_units(item: LineupItem, quantity: int) -> None:
    """Hold ``quantity`` more units of the item's variant (``INSUFFICIENT_STOCK`` when fewer
    are free)."""
    parts = reserve_stock(item.variant_id, item.broadcast.channel, quantity)
    for stock_id, units in parts:
        reservation, _created = LiveStockReservation.objects.get_or_create(item=item,
                                                                          stock_id=stock_id)
        reservation.quantity += units
        reservation.save(update_fields=["quantity"])
    item.quantity_allocated += quantity
    item.save(update_fields=["quantity_allocated"])
    # More live units: buyers refused as sold out may buy again.
    soldout.reopen([soldout.source_gate(SOURCE, str(item.broadcast_id), item.variant_id)])


def release_item_units(item: LineupItem, units: int) -> int:
    """Release up to ``units`` held units of ``item`` (last stock rows first)."""
    if units <= 0:
        return 0
    parts, left = [], units
    reservations = list(item.reservations.select_for_update().filter(quantity__gt=0)
                        .order_by("-stock_id"))
    for reservation in reservations:
        take = min(reservation.quantity, left)
        if take:
            reservation.quantity -= take
            reservation.save(update_fields=["quantity"])
            parts.append((reservation.stock_id, take))
            left -= take
        if left == 0:
            break
    released = release_reserved_stock(parts)
    if released:
        LineupItem.objects.filter(pk=item.pk).update(
            quantity_returned=item.quantity_returned + released)
        item.quantity_returned += released
    return released


def return_live_stock(broadcast: Broadcast, actor=None) -> int:
    """Give back every unit still held for the line-up (safe to repeat)."""
    returned = 0
    for item in broadcast.lineup.select_for_update().order_by("pk"):
        returned += release_item_units(item, item.quantity_remaining)
    if returned:
        record(broadcast, BroadcastEvent.Type.STOCK_RETURNED, actor,
               _("%(n)s unsold units returned to stock.") % {"n": returned}, units=returned)
    return returned
