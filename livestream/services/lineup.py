"""The line-up: products presented in a broadcast with a live price at or below the
regular price, a live allocation, an optional per-buyer limit and flash sale, and the
pinned product."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import ProductChannelListing, ProductVariantChannelListing
from catalog.services import is_available_for_purchase
from shop import validators
from shop.errors import field_error
from shop.money import money

from ..error_codes import LivestreamErrorCode as Code
from ..models import Broadcast, BroadcastEvent, LineupItem, LiveOffer
from .common import EARLY_START, locked_broadcast, record
from .live_stock import hold_item_units, release_item_units
from .offers import check_within_offer, consent_for


def with_on_sale(items):
    """The line-up items (a queryset), each with ``on_sale``: whether the shop shows its
    product in the broadcast's channel. A product its seller unpublished or the operators
    took down is shown to shoppers in no line-up (it cannot be bought there either); its
    host and the operators still see it."""
    return items.annotate(on_sale=Exists(ProductChannelListing.objects.filter(
        product_id=OuterRef("variant__product_id"),
        channel_id=OuterRef("broadcast__channel_id"), is_published=True)))


def on_sale(items):
    """Only the line-up items shoppers are shown (``with_on_sale``)."""
    return with_on_sale(items).filter(on_sale=True)


def regular_price(variant, channel) -> Decimal | None:
    """The variant's price in ``channel`` when shoppers can buy it there, else ``None``."""
    listing = ProductChannelListing.objects.filter(product_id=variant.product_id,
                                                   channel=channel).first()
    price = (ProductVariantChannelListing.objects.filter(variant=variant, channel=channel)
             .values_list("price_amount", flat=True).first())
    if price is None or not is_available_for_purchase(listing):
        return None
    return price


def _clean_flash_sale(broadcast, starts_at, seconds):
    if starts_at is None:
        return None, None
    if timezone.is_naive(starts_at):
        raise field_error("flash_sale_starts_at", _("Give times with their time zone."),
                          Code.INVALID)
    if not seconds or seconds <= 0:
        raise field_error("flash_sale_seconds", _("Give the flash sale's length in seconds."),
                          Code.REQUIRED)
    ends_at = starts_at + timedelta(seconds=seconds)
    if starts_at < broadcast.starts_at - EARLY_START or ends_at > broadcast.ends_at:
        raise field_error("flash_sale_starts_at",
                          _("A flash sale must take place within the broadcast."),
                          Code.INVALID_DATE_RANGE)
    return starts_at, ends_at


def _clean_price(live_price, regular) -> Decimal:
    if live_price is None:
        raise field_error("live_price", _("This field is required."), Code.REQUIRED)
    live_price = money(validators.clean_decimal(live_price, "live_price", Code.INVALID))
    if live_price > regular:
        raise field_error("live_price", _("The live price cannot be above the regular price "
                                          "(%(price)s)."), Code.LIVE_PRICE_ABOVE_REGULAR,
                          price=str(money(regular)))
    return live_price


def _clean_limit(limit):
    if limit is not None and limit <= 0:
        raise field_error("per_buyer_limit", _("The limit per buyer must be at least 1."),
                          Code.INVALID)
    return limit


@transaction.atomic
def add_lineup_item(broadcast: Broadcast, *, variant, live_price, quantity: int,
                    per_buyer_limit: int | None = None, position: int | None = None,
                    flash_sale_starts_at=None, flash_sale_seconds: int | None = None,
                    actor=None, offer: LiveOffer | None = None) -> LineupItem:
    """Put a variant in the line-up; its live allocation is taken from stock now. Another
    organisation's variant needs its offer (``offer``, or the newest usable one) unless an
    operator lines it up; price and allocation stay within the offer."""
    broadcast = locked_broadcast(broadcast)
    if broadcast.status not in (Broadcast.Status.SCHEDULED, Broadcast.Status.LIVE):
        raise field_error(None, _("The line-up of this broadcast can no longer change."),
                          Code.INVALID_STATUS)
    if variant is None and offer is not None:
        variant = offer.variant
    offer = consent_for(broadcast, variant, actor, offer)
    regular = regular_price(variant, broadcast.channel)
    if regular is None:
        raise field_error("variant_id", _("This product is not available in this channel."),
                          Code.PRODUCT_NOT_PUBLISHED)
    live_price = _clean_price(live_price, regular)
    if quantity is None or quantity <= 0:
        raise field_error("quantity", _("The live allocation must be at least 1 unit."),
                          Code.INVALID)
    check_within_offer(offer, live_price=live_price, quantity=quantity)
    per_buyer_limit = _clean_limit(per_buyer_limit)
    flash_start, flash_end = _clean_flash_sale(broadcast, flash_sale_starts_at,
                                               flash_sale_seconds)
    if broadcast.lineup.filter(variant=variant).exists():
        raise field_error("variant_id", _("This product is already in the line-up."),
                          Code.DUPLICATED_INPUT_ITEM)
    if position is None:
        position = (broadcast.lineup.order_by("-position").values_list("position", flat=True)
                    .first() or 0) + 1
    item = LineupItem.objects.create(
        broadcast=broadcast, variant=variant, position=position, live_price_amount=live_price,
        regular_price_amount=money(regular), per_buyer_limit=per_buyer_limit,
        flash_sale_starts_at=flash_start, flash_sale_ends_at=flash_end, offer=offer)
    hold_item_units(item, quantity)
    record(broadcast, BroadcastEvent.Type.LINEUP_CHANGED, actor,
           _("Added %(product)s: %(n)s units at %(price)s.") % {
               "product": str(variant), "n": quantity, "price": live_price},
           item=item.pk, action="added")
    return item


def _locked_item(item: LineupItem) -> tuple[Broadcast, LineupItem]:
    broadcast = locked_broadcast(item.broadcast)
    item = (LineupItem.objects.select_for_update(of=("self",))
            .select_related("variant", "offer").get(pk=item.pk))
    item.broadcast = broadcast
    return broadcast, item


@transaction.atomic
def update_lineup_item(item: LineupItem, actor=None, **changes) -> LineupItem:
    """Change price, allocation, limit, position or flash sale. While live, nothing that
    would contradict orders already placed: no new price once units sold, no allocation
    below what is sold."""
    broadcast, item = _locked_item(item)
    if broadcast.status not in (Broadcast.Status.SCHEDULED, Broadcast.Status.LIVE):
        raise field_error(None, _("The line-up of this broadcast can no longer change."),
                          Code.INVALID_STATUS)
    live = broadcast.status == Broadcast.Status.LIVE
    fields = []
    if changes.get("live_price") is not None:
        price = money(validators.clean_decimal(changes["live_price"], "live_price",
                                               Code.INVALID))
        if price != item.live_price_amount:
            if live and item.quantity_sold:
                raise field_error("live_price", _("Units already sold at the live price; it "
                                                  "cannot change during the broadcast."),
                                  Code.LINEUP_LOCKED)
            regular = regular_price(item.variant, broadcast.channel)
            if regular is None:
                raise field_error("variant_id", _("This product is not available in this channel."),
                                  Code.PRODUCT_NOT_PUBLISHED)
            item.live_price_amount = _clean_price(price, regular)
            check_within_offer(item.offer, live_price=item.live_price_amount, quantity=None)
            item.regular_price_amount = money(regular)
            fields += ["live_price_amount", "regular_price_amount"]
    if "per_buyer_limit" in changes:
        item.per_buyer_limit = _clean_limit(changes["per_buyer_limit"])
        fields.append("per_buyer_limit")
    if changes.get("position") is not None:
        item.position = changes["position"]
        fields.append("position")
    if "flash_sale_starts_at" in changes:
        if live and item.is_flash_sale and item.flash_sale_starts_at <= timezone.now():
            raise field_error("flash_sale_starts_at", _("A flash sale that has begun cannot be "
                                                        "moved."), Code.LINEUP_LOCKED)
        item.flash_sale_starts_at, item.flash_sale_ends_at = _clean_flash_sale(
            broadcast, changes["flash_sale_starts_at"], changes.get("flash_sale_seconds"))
        fields += ["flash_sale_starts_at", "flash_sale_ends_at"]
    if fields:
        item.save(update_fields=fields)
    quantity = changes.get("quantity")
    if quantity is not None:
        if quantity < item.quantity_sold or quantity <= 0:
            raise field_error("quantity", _("%(n)s units are already sold; the allocation "
                                            "cannot be lower."),
                              Code.LINEUP_LOCKED if item.quantity_sold else Code.INVALID,
                              n=item.quantity_sold)
        current = item.quantity_allocated - item.quantity_returned
        if quantity > current:
            check_within_offer(item.offer, live_price=None, quantity=quantity, item=item)
            hold_item_units(item, quantity - current)
        elif quantity < current:
            release_item_units(item, current - quantity)
            item.refresh_from_db()
    record(broadcast, BroadcastEvent.Type.LINEUP_CHANGED, actor,
           _("Changed %(product)s.") % {"product": str(item.variant)}, item=item.pk,
           action="changed", fields=sorted(k for k in changes))
    return item


@transaction.atomic
def remove_lineup_item(item: LineupItem, actor=None) -> None:
    broadcast, item = _locked_item(item)
    if broadcast.status not in (Broadcast.Status.SCHEDULED, Broadcast.Status.LIVE):
        raise field_error(None, _("The line-up of this broadcast can no longer change."),
                          Code.INVALID_STATUS)
    if item.quantity_sold or item.purchases.exists():
        raise field_error("id", _("Units of this product were sold in the broadcast; it cannot be "
                                  "removed."), Code.LINEUP_LOCKED)
    release_item_units(item, item.quantity_remaining)
    name = str(item.variant)
    item.reservations.all().delete()
    item.delete()
    record(broadcast, BroadcastEvent.Type.LINEUP_CHANGED, actor,
           _("Removed %(product)s.") % {"product": name}, action="removed")


@transaction.atomic
def pin_lineup_item(item: LineupItem, actor=None) -> LineupItem:
    """Pin the product being presented (one at a time, only while live)."""
    broadcast, item = _locked_item(item)
    if broadcast.status != Broadcast.Status.LIVE:
        raise field_error(None, _("Products can be pinned only while the broadcast is live."),
                          Code.BROADCAST_NOT_LIVE)
    broadcast.lineup.filter(is_pinned=True).exclude(pk=item.pk).update(is_pinned=False)
    if not item.is_pinned:
        item.is_pinned = True
        item.save(update_fields=["is_pinned"])
    record(broadcast, BroadcastEvent.Type.PINNED, actor,
           _("Pinned %(product)s.") % {"product": str(item.variant)}, item=item.pk)
    return item


def flash_sale_countdown(item: LineupItem, now=None) -> int | None:
    """Seconds until the flash sale starts (0 while it runs), ``None`` if none/over."""
    if not item.is_flash_sale:
        return None
    now = now or timezone.now()
    if now >= item.flash_sale_ends_at:
        return None
    return max(int((item.flash_sale_starts_at - now).total_seconds()), 0)


def live_price_applies(item: LineupItem, broadcast: Broadcast, now=None) -> bool:
    """The live price applies while the broadcast is live and before its planned end,
    and for a flash-sale item only during the flash sale."""
    now = now or timezone.now()
    if not broadcast.is_open(now):
        return False
    if item.is_flash_sale:
        return item.flash_sale_starts_at <= now < item.flash_sale_ends_at
    return True
