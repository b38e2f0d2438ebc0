"""A broadcast's line-up: the variants presented with their live price, allocation and
flash-sale window."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.scalars import PositiveDecimal
from catalog.models import ProductVariant
from livestream import models, services
from livestream.error_codes import LivestreamErrorCode as CodeEnum

from .. import types
from ..types import LineupNode
from .base import LivestreamMutation, broadcast_editor, get_instance


class LineupItemInput(graphene.InputObjectType):
    live_price = PositiveDecimal()
    quantity = graphene.Int(description="Units of the live allocation.")
    per_buyer_limit = graphene.Int()
    position = graphene.Int()
    flash_sale_starts_at = graphene.DateTime()
    flash_sale_seconds = graphene.Int()


class LineupItemMutation(LivestreamMutation):
    lineup_item = graphene.Field(types.LineupItem)
    broadcast = graphene.Field(types.Broadcast)

    class Meta:
        abstract = True

    @classmethod
    def payload(cls, item):
        broadcast = models.Broadcast.objects.select_related("channel").get(pk=item.broadcast_id)
        return cls(lineup_item=LineupNode(item, broadcast.channel.slug), broadcast=broadcast)


def _item(global_id):
    return get_instance(models.LineupItem, global_id, "LineupItem", "id")


class LineupItemAdd(LineupItemMutation):
    class Arguments:
        broadcast = graphene.ID(required=True)
        variant_id = graphene.ID(description="The variant; may be left out with an offer.")
        offer = graphene.ID(description="The cooperative's offer this item is sold under "
                                        "(another organisation's stock needs one).")
        input = LineupItemInput(required=True)

    class Meta:
        description = ("Add a variant to the line-up with its live price and "
                       "allocation (taken from stock now).")

    @classmethod
    def perform_mutation(cls, _root, info, broadcast, input, variant_id=None, offer=None):
        broadcast = get_instance(models.Broadcast, broadcast, "Broadcast", "broadcast")
        user = broadcast_editor(info, broadcast)
        offer = get_instance(models.LiveOffer, offer, "LiveOffer", "offer") if offer else None
        if variant_id:
            variant = get_instance(ProductVariant, variant_id, "ProductVariant", "variant_id")
        elif offer is not None:
            variant = offer.variant
        else:
            raise ValidationError({"variant_id": ValidationError(
                _("Give the variant or the offer."), code=CodeEnum.REQUIRED.value)})
        item = services.add_lineup_item(
            broadcast, variant=variant, offer=offer, live_price=input.get("live_price"),
            quantity=input.get("quantity"), per_buyer_limit=input.get("per_buyer_limit"),
            position=input.get("position"),
            flash_sale_starts_at=input.get("flash_sale_starts_at"),
            flash_sale_seconds=input.get("flash_sale_seconds"), actor=user)
        return cls.payload(item)


class LineupItemUpdate(LineupItemMutation):
    class Arguments:
        id = graphene.ID(required=True)
        input = LineupItemInput(required=True)

    class Meta:
        description = ("Change a line-up item (refused if it would contradict "
                       "orders already placed).")

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        item = _item(id)
        user = broadcast_editor(info, item.broadcast)
        changes = {k: v for k, v in input.items() if v is not None}
        return cls.payload(services.update_lineup_item(item, user, **changes))


class LineupItemRemove(LivestreamMutation):
    broadcast = graphene.Field(types.Broadcast)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Remove a line-up item; its live stock returns."

    @classmethod
    def perform_mutation(cls, _root, info, id):
        item = _item(id)
        broadcast = item.broadcast
        user = broadcast_editor(info, broadcast)
        services.remove_lineup_item(item, user)
        return cls(broadcast=broadcast)


class LineupItemPin(LineupItemMutation):
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Pin the product being presented (while live)."

    @classmethod
    def perform_mutation(cls, _root, info, id):
        item = _item(id)
        user = broadcast_editor(info, item.broadcast)
        return cls.payload(services.pin_lineup_item(item, user))
