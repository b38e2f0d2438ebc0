"""Buying live in the shop: what a line-up item costs right now, and the buy button that
starts (or adds to) a broadcast checkout.

During a broadcast (live, before its planned end) an item sells at its live price, from
its live allocation (the units left), within the per-buyer limit; a flash-sale item only
during its flash sale, with a countdown before it. Outside that window the regular price
returns. The prices and the rules are the livestream app's (``live_price_applies``,
``create_broadcast_checkout``); this module shapes them for the pages (``/live/`` and the
product pages) and keeps the broadcast checkout in the visitor's session, as the cart."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from livestream import services as live_services
from livestream.models import Broadcast, LineupItem

from . import services


@dataclass
class Offer:
    item: LineupItem
    broadcast: Broadcast
    live: bool  # the live price applies now
    price: Decimal  # what one unit costs now
    was: Decimal | None  # the regular price, shown struck through when higher
    remaining: int | None  # live units left (while the live price applies)
    countdown: int | None  # seconds before the flash sale (0 while it runs)
    on_sale: bool  # the broadcast is open: the buy button is shown
    preview: Decimal | None = None  # the live price to come, before the broadcast


def offer(item: LineupItem, broadcast: Broadcast, now=None) -> Offer:
    now = now or timezone.now()
    live = live_services.live_price_applies(item, broadcast, now)
    price = item.live_price_amount if live else item.regular_price_amount
    return Offer(
        item=item, broadcast=broadcast, live=live, price=price,
        was=item.regular_price_amount if live and price < item.regular_price_amount else None,
        remaining=item.quantity_remaining if live else None,
        countdown=live_services.flash_sale_countdown(item, now),
        on_sale=broadcast.is_open(now),
        preview=(item.live_price_amount
                 if broadcast.status == Broadcast.Status.SCHEDULED
                 and item.live_price_amount < item.regular_price_amount else None))


def product_offers(product_id: int, now=None) -> list[Offer]:
    """The line-up items of broadcasts open now that sell ``product_id``."""
    now = now or timezone.now()
    items = (LineupItem.objects.filter(variant__product_id=product_id,
                                       broadcast__status=Broadcast.Status.LIVE,
                                       broadcast__ends_at__gt=now)
             .select_related("broadcast", "variant").order_by("broadcast__starts_at", "pk"))
    return [offer(item, item.broadcast, now) for item in items]


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  request.is_secure()):
        return target
    return default


@require_POST
def buy(request, pk: int):
    """The buy button of a line-up item: its units go into the visitor's checkout with
    the broadcast's attribution (at the live price inside the window), then on to the
    checkout. A refusal (sold out, over the limit, the broadcast over) comes back with
    the reason."""
    broadcast = get_object_or_404(Broadcast, pk=pk)
    item = broadcast.lineup.filter(pk=request.POST.get("item") or 0).first()
    back = _back(request, "/live/")
    try:
        quantity = int(request.POST.get("quantity", "1"))
    except ValueError:
        quantity = 0
    if item is None or quantity <= 0:
        messages.error(request, _("Choose a product of the broadcast and a quantity."))
        return redirect(back)
    if not broadcast.is_open():
        messages.error(request, _("This broadcast is not live now; the product is sold at "
                                  "its regular price on its page."))
        return redirect(back)
    lines = [{"variant_id": item.variant_id, "quantity": quantity}]
    checkout = services.session_checkout(request)
    try:
        if checkout is None:
            user = request.user if request.user.is_authenticated else None
            checkout = live_services.create_broadcast_checkout(broadcast, user=user,
                                                               lines=lines)
        else:
            checkout = live_services.add_broadcast_checkout_lines(checkout, broadcast, lines)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    request.session[services.SESSION_CHECKOUT] = str(checkout.token)
    return redirect("storefront:checkout")
