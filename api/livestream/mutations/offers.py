"""Offers (供货意向): a cooperative's consent to have one of its variants sold in live
broadcasts at no less than a live price and for at most so many units. Hosts line up another
organisation's stock only under one (``lineupItemAdd(offer: …)`` or the newest usable
offer of the variant)."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _

from api.core.nodes import ModelObjectType
from api.core.permissions import AUTHENTICATED, current_user, require, require_user
from api.core.scalars import PositiveDecimal
from api.core.types import Money, money
from catalog.models import ProductVariant
from livestream import models, services
from shop.models import Organization

from .. import types
from .base import LivestreamMutation, get_instance


class LiveOffer(ModelObjectType):
    organization_name = graphene.String(required=True)
    variant_sku = graphene.String()
    product_name = graphene.String(required=True)
    broadcast = graphene.Field(types.Broadcast, description="None: any broadcast.")
    min_live_price = graphene.Field(Money, required=True)
    max_quantity = graphene.Int(required=True)
    quantity_left = graphene.Int(required=True)
    valid_until = graphene.DateTime()
    is_active = graphene.Boolean(required=True)

    class Meta:
        model = models.LiveOffer

    @classmethod
    def get_queryset(cls, info):
        """Operators and the offering organisation's members see every offer; a host sees
        the active ones (those they may line up)."""
        user = current_user(info)
        if user is None:
            return models.LiveOffer.objects.none()
        if user.is_operator:
            return models.LiveOffer.objects.all()
        own = models.LiveOffer.objects.filter(organization_id__in=user.organization_ids())
        if models.Host.objects.filter(user=user, is_active=True).exists():
            return own | models.LiveOffer.objects.filter(is_active=True)
        return own

    resolve_organization_name = staticmethod(lambda root, _info: root.organization.name)
    resolve_variant_sku = staticmethod(lambda root, _info: root.variant.sku)
    resolve_product_name = staticmethod(lambda root, _info: root.variant.product.name)
    resolve_min_live_price = staticmethod(lambda root, _info: money(root.min_live_price_amount))
    resolve_quantity_left = staticmethod(
        lambda root, _info: max(root.max_quantity - services.units_under_offer(root), 0))


class LiveOfferInput(graphene.InputObjectType):
    variant_id = graphene.ID(required=True)
    min_live_price = PositiveDecimal(required=True)
    max_quantity = graphene.Int(required=True)
    broadcast = graphene.ID(description="Only this broadcast; empty for any.")
    valid_until = graphene.DateTime()


class LiveOfferCreate(LivestreamMutation):
    offer = graphene.Field(LiveOffer)

    class Arguments:
        organization = graphene.ID(required=True)
        input = LiveOfferInput(required=True)

    class Meta:
        description = ("A cooperative agrees to have one of its variants sold live, at no "
                       "less than a live price and for at most so many units.")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, organization, input):
        user = require_user(info)
        org = get_instance(Organization, organization, "Organization", "organization")
        require(services.may_publish_offer(user, org),
                _("You can only manage your own organisation's records"))
        variant = get_instance(ProductVariant, input["variant_id"], "ProductVariant",
                               "variant_id")
        broadcast = (get_instance(models.Broadcast, input["broadcast"], "Broadcast",
                                  "broadcast") if input.get("broadcast") else None)
        offer = services.publish_offer(
            org, variant=variant, min_live_price=input["min_live_price"],
            max_quantity=input["max_quantity"], broadcast=broadcast,
            valid_until=input.get("valid_until"), actor=user)
        return cls(offer=offer)


class LiveOfferWithdraw(LivestreamMutation):
    offer = graphene.Field(LiveOffer)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Withdraw an offer: no new line-up under it; lined-up units stay."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id):
        user = require_user(info)
        offer = get_instance(models.LiveOffer, id, "LiveOffer", "id")
        require(services.may_publish_offer(user, offer.organization),
                _("You can only manage your own organisation's records"))
        return cls(offer=services.withdraw_offer(offer, actor=user))
