"""The operators' decisions on a product (下架 and back on sale), read on the product by
its seller and by the operators only (``Product.moderation``)."""

from __future__ import annotations

import graphene

from api.core.dataloaders import DataLoader
from catalog import models

Action = models.ProductModeration.Action


class ProductModerationAction(graphene.Enum):
    TAKEN_DOWN = Action.UNPUBLISHED.value
    RESTORED = Action.REPUBLISHED.value


class ProductModeration(graphene.ObjectType):
    """One decision of the pavilion's operators about a product (extension)."""

    action = graphene.Field(ProductModerationAction, required=True)
    is_taken_down = graphene.Boolean(
        required=True,
        description="Whether the product is off sale by this decision: its seller cannot "
                    "publish it until the operators restore it.")
    reason = graphene.String(required=True, description="Why, as the seller is told.")
    created_at = graphene.DateTime(required=True)

    # A fresh row holds the choice itself, a row read back its value.
    resolve_action = staticmethod(lambda root, _info: Action(root.action).value)
    resolve_is_taken_down = staticmethod(lambda root, _info: root.action == Action.UNPUBLISHED)


class LatestModerationByProductIdLoader(DataLoader):
    """The latest decision about each product (``None``: the operators never decided)."""

    def batch_load(self, keys):
        latest = (models.ProductModeration.objects.filter(product_id__in=keys)
                  .order_by("product_id", "-created_at", "-pk").distinct("product_id"))
        found = {row.product_id: row for row in latest}
        return [found.get(key) for key in keys]
