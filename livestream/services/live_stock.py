"""A line-up item's live allocation: units held out of the channel's stock for the
broadcast (``shop.services.reserve_stock``), one ``LiveStockReservation`` per stock row,
and given back when the item shrinks or leaves or the broadcast ends. Live units taken off
their order before shipping (the order cancelled, or some refunded by an after-sales
request) while the broadcast runs go back to the live allocation."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from shop import soldout
from shop.services import release_reserved_stock, reserve_stock

from ..models import Broadcast, BroadcastEvent, LineupItem, LivePurchase, LiveStockReservation
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
    """Give back every unit still held for the line-up (safe to repeat). The broadcast is
    over (ended or cancelled): its lines sell at the list price from the shop's stock from
    now on, so the gates of its allocations open once this commits."""
    returned, items = 0, list(broadcast.lineup.select_for_update().order_by("pk"))
    for item in items:
        returned += release_item_units(item, item.quantity_remaining)
    soldout.reopen([soldout.source_gate(SOURCE, str(broadcast.pk), item.variant_id)
                    for item in items])
    if returned:
        record(broadcast, BroadcastEvent.Type.STOCK_RETURNED, actor,
               _("%(n)s unsold units returned to stock.") % {"n": returned}, units=returned)
    return returned


def live_units_back_on_cancel(sender, order, user=None, **kwargs) -> int:
    """Receiver of ``shop.signals.order_cancelled`` (connected in ``apps.py``), in the
    cancellation's transaction after the order's stock was released: see
    :func:`_back_to_live`. Returns the units given back."""
    purchases = list(LivePurchase.objects.filter(order_line__order=order)
                     .select_related("item__broadcast").order_by("item_id"))
    return _back_to_live(order, [(purchase, purchase.quantity) for purchase in purchases], user,
                         _("Order %(number)s cancelled: %(n)s units back in the live "
                           "allocation."))


def live_units_back_on_lines_cancelled(sender, order, lines, user=None, **kwargs) -> int:
    """Receiver of ``shop.signals.order_lines_cancelled`` (connected in ``apps.py``): some
    units of an order refunded before they shipped (an approved after-sales request, or a
    full refund of an order nothing of which shipped), in that transaction after their
    stock was released: see :func:`_back_to_live`. Returns
    the units given back."""
    units = {line.pk: n for line, n in lines}
    purchases = list(LivePurchase.objects.filter(order_line_id__in=units)
                     .select_related("item__broadcast").order_by("item_id"))
    return _back_to_live(order, [(purchase, units[purchase.order_line_id])
                                 for purchase in purchases], user,
                         _("Order %(number)s: %(n)s units refunded before shipping, back in "
                           "the live allocation."))


def _back_to_live(order, purchases, user, message: str) -> int:
    """Units bought live and taken off their order before shipping (``purchases``:
    ``[(LivePurchase, units)]``), their stock just released: while the broadcast is on
    air they are held for their line-up item again (the same stock rows, still locked by
    the release), count as unsold and no longer as the buyer's (``LivePurchase.quantity``,
    which the per-buyer limit sums), so the next live buyer gets them at the live price.
    After the broadcast they stay in the shop's stock."""
    now = timezone.now()
    returned = 0
    for purchase, units in purchases:
        broadcast = purchase.item.broadcast
        if not broadcast.is_open(now):
            continue
        item = LineupItem.objects.select_for_update().get(pk=purchase.item_id)
        units = min(units, purchase.quantity, item.quantity_sold)
        if units <= 0:
            continue
        for stock_id, held in reserve_stock(item.variant_id, broadcast.channel, units):
            reservation, _created = LiveStockReservation.objects.get_or_create(
                item=item, stock_id=stock_id)
            reservation.quantity += held
            reservation.save(update_fields=["quantity"])
        item.quantity_sold -= units
        item.save(update_fields=["quantity_sold"])
        LivePurchase.objects.filter(pk=purchase.pk).update(quantity=purchase.quantity - units)
        soldout.reopen([soldout.source_gate(SOURCE, str(item.broadcast_id), item.variant_id)])
        record(broadcast, BroadcastEvent.Type.STOCK_RETURNED, user,
               message % {"number": order.number, "n": units}, units=units)
        returned += units
    return returned
