"""Offers (供货意向): a cooperative agrees to have one of its variants sold in live
broadcasts, at no less than a live price and for at most so many units. A line-up holds
another organisation's stock only under such an offer, unless an operator lines it up; a
host's own organisation's stock needs none."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shop import validators
from shop.errors import field_error
from shop.money import money

from ..error_codes import LivestreamErrorCode as Code
from ..models import Broadcast, LineupItem, LiveOffer


def _is_member(user, organization_id) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and organization_id in user.organization_ids())


def may_publish_offer(user, organization) -> bool:
    """A cooperative's own members publish its offers (operators too, for the pavilion)."""
    return getattr(user, "is_operator", False) or _is_member(user, organization.pk)


@transaction.atomic
def publish_offer(organization, *, variant, min_live_price, max_quantity: int,
                  broadcast: Broadcast | None = None, valid_until=None, actor=None) -> LiveOffer:
    """Record ``organization``'s consent to sell ``variant`` live (in ``broadcast`` or in any
    broadcast until ``valid_until``)."""
    if variant.product.organization_id != organization.pk:
        raise field_error("variant_id", _("You can only offer your own organisation's "
                                          "products."), Code.INVALID)
    price = validators.clean_decimal(min_live_price, "min_live_price", Code.INVALID)
    quantity = validators.clean_int(max_quantity, "max_quantity", Code.INVALID, minimum=1)
    if valid_until is not None and valid_until <= timezone.now():
        raise field_error("valid_until", _("The offer must be valid for some time to come."),
                          Code.INVALID_DATE_RANGE)
    if broadcast is not None and broadcast.status not in (Broadcast.Status.SCHEDULED,
                                                           Broadcast.Status.LIVE):
        raise field_error("broadcast", _("This broadcast has ended."), Code.INVALID_STATUS)
    return LiveOffer.objects.create(
        organization=organization, variant=variant, broadcast=broadcast,
        min_live_price_amount=money(price), max_quantity=quantity, valid_until=valid_until,
        created_by=actor if getattr(actor, "is_authenticated", False) else None)


@transaction.atomic
def withdraw_offer(offer: LiveOffer, actor=None) -> LiveOffer:
    """No new line-up under this offer; items already lined up keep their units."""
    offer = LiveOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.is_active:
        offer.is_active = False
        offer.save(update_fields=["is_active"])
    return offer


def units_under_offer(offer: LiveOffer, exclude_item: LineupItem | None = None) -> int:
    """Units held or sold under ``offer`` (returned units are back with the cooperative)."""
    items = offer.items.all()
    if exclude_item is not None:
        items = items.exclude(pk=exclude_item.pk)
    held = items.aggregate(n=Sum(F("quantity_allocated") - F("quantity_returned")))["n"]
    return held or 0


def _usable(offer: LiveOffer, broadcast: Broadcast, now) -> bool:
    return (offer.is_active and (offer.broadcast_id in (None, broadcast.pk))
            and (offer.valid_until is None or offer.valid_until > now))


def consent_for(broadcast: Broadcast, variant, actor=None, offer: LiveOffer | None = None):
    """The offer under which ``variant`` may be lined up in ``broadcast`` (``None`` when no
    offer is needed: the host's own organisation's stock, or an operator lining it up).
    ``offer`` chooses one; otherwise the newest usable one is taken. Refused without."""
    owner = variant.product.organization_id
    now = timezone.now()
    if offer is not None:
        if offer.variant_id != variant.pk or not _usable(offer, broadcast, now):
            raise field_error("offer", _("This offer does not cover this product in this "
                                         "broadcast."), Code.INVALID)
        return LiveOffer.objects.select_for_update().get(pk=offer.pk)
    if broadcast.host.organization_id == owner or getattr(actor, "is_operator", False):
        return None
    candidates = (LiveOffer.objects.select_for_update()
                  .filter(variant=variant, organization_id=owner, is_active=True)
                  .filter(Q(broadcast__isnull=True) | Q(broadcast=broadcast))
                  .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
                  .order_by("-created_at", "-pk"))
    chosen = candidates.first()
    if chosen is None:
        raise field_error("variant_id", _("This product belongs to another organisation, "
                                          "which has not offered it for live selling."),
                          Code.INVALID)
    return chosen


def check_within_offer(offer: LiveOffer | None, *, live_price, quantity: int | None,
                       item: LineupItem | None = None) -> None:
    """A live price and an allocation within what the cooperative agreed."""
    if offer is None:
        return
    if live_price is not None and money(live_price) < offer.min_live_price_amount:
        raise field_error("live_price", _("The cooperative agreed to a live price of at least "
                                          "%(price)s.") % {"price": offer.min_live_price_amount},
                          Code.INVALID)
    if quantity is not None:
        others = units_under_offer(offer, exclude_item=item)
        if others + quantity > offer.max_quantity:
            raise field_error("quantity", _("The cooperative offered at most %(n)s units; "
                                            "%(left)s are left.")
                              % {"n": offer.max_quantity,
                                 "left": max(offer.max_quantity - others, 0)},
                              Code.QUANTITY_GREATER_THAN_LIMIT)
