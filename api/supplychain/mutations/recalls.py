"""Recalling a sourcing lot or a graded lot."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from supplychain import models, services
from supplychain.error_codes import SupplyChainErrorCode as CodeEnum

from .. import types
from .base import SupplyChainMutation, owned


class LotRecallInput(graphene.InputObjectType):
    sourcing_lot = graphene.ID()
    graded_lot = graphene.ID()
    level = types.RecallLevelEnum(required=True)
    reason = graphene.String(required=True)


class LotRecall(SupplyChainMutation):
    recall = graphene.Field(types.Recall)

    class Arguments:
        input = LotRecallInput(required=True)

    class Meta:
        description = ("Recall a sourcing lot or a graded lot: its codes turn recalled, unsold "
                       "stock stops selling, buyers and the producer are notified.")

    @classmethod
    def perform_mutation(cls, _root, info, input):
        sourcing = graded = None
        if input.get("sourcing_lot"):
            sourcing, user = owned(info, models.SourcingLot, input["sourcing_lot"],
                                   "SourcingLot", "sourcing_lot")
        if input.get("graded_lot"):
            graded, user = owned(info, models.GradedLot, input["graded_lot"], "GradedLot",
                                 "graded_lot")
        if sourcing is None and graded is None:
            raise ValidationError({"sourcing_lot": ValidationError(
                _("Name exactly one lot to recall."), code=CodeEnum.REQUIRED.value)})
        level = input["level"]
        recall = services.recall_lot(
            (sourcing or graded).organization, sourcing_lot=sourcing, graded_lot=graded,
            level=getattr(level, "value", level), reason=input["reason"], user=user)
        return cls(recall=recall)
