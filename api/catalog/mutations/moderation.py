"""Taking a seller's product off sale (下架) and putting it back, for the pavilion's
operators (extensions): ``productTakeDown(id, reason)`` and ``productRestore(id,
reason)``, over ``catalog.curation``, answering ``ProductModerationError``. The seller is
told why and cannot publish the product again until the operators restore it."""

from __future__ import annotations

import graphene

from api.core.mutations import BaseMutation
from api.core.permissions import OPERATOR, current_user
from api.core.types import error_type
from catalog import curation, models

from .. import types
from ..types.moderation import ProductModeration
from .base import E, ProductErrorCode, channel_payload, get_instance

ProductModerationError = error_type("ProductModerationError", ProductErrorCode)


class ProductModerationMutation(BaseMutation):
    error_type_class = ProductModerationError
    error_code_enum = E
    permissions = (OPERATOR,)
    product = graphene.Field(types.Product)
    moderation = graphene.Field(ProductModeration, description="The decision recorded.")

    class Meta:
        abstract = True

    @classmethod
    def decide(cls, info, id, decision, reason):
        product = get_instance(models.Product, id, "Product")
        moderation = decision(product, reason, user=current_user(info))
        return cls(product=channel_payload(product, info), moderation=moderation)


class ProductTakeDown(ProductModerationMutation):
    class Arguments:
        id = graphene.ID(required=True, description="ID of the product to take off sale.")
        reason = graphene.String(required=True,
                                 description="Why, as the seller is told (required).")

    class Meta:
        description = ("Takes a product off sale in every channel it is published in, for a "
                       "reason its seller is told; the seller cannot publish it again until "
                       "the operators restore it (the pavilion's operators; extension).")

    @classmethod
    def perform_mutation(cls, _root, info, id, reason):
        return cls.decide(info, id, curation.unpublish_product, reason)


class ProductRestore(ProductModerationMutation):
    class Arguments:
        id = graphene.ID(required=True, description="ID of the product to put back on sale.")
        reason = graphene.String(description="A word for the seller (optional).")

    class Meta:
        description = ("Lifts the operators' takedown: the product is on sale again in the "
                       "channels it was taken out of (the pavilion's operators; extension).")

    @classmethod
    def perform_mutation(cls, _root, info, id, reason=""):
        return cls.decide(info, id, curation.republish_product, reason or "")
