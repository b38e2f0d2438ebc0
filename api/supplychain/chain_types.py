"""GraphQL types of the farm-to-package records (supplychain.chain_records)."""

from __future__ import annotations

import graphene
from graphene.types.generic import GenericScalar

from supplychain import models


class FarmInput(graphene.ObjectType):
    id = graphene.ID(required=True)
    kind = graphene.String(required=True)
    name = graphene.String(required=True)
    batch_number = graphene.String(required=True)
    quantity = graphene.String(required=True)
    applied_on = graphene.Date(required=True)
    withdrawal_days = graphene.Int(required=True)
    withdrawal_ends_on = graphene.Date(required=True)

    @staticmethod
    def resolve_id(root: models.FarmInput, _info):
        return graphene.Node.to_global_id("FarmInput", root.pk)


class ProcessingStep(graphene.ObjectType):
    id = graphene.ID(required=True)
    kind = graphene.String(required=True)
    performed_at = graphene.DateTime(required=True)
    location = graphene.String(required=True)
    certificate = graphene.String(required=True)
    notes = graphene.String(required=True)

    @staticmethod
    def resolve_id(root: models.ProcessingStep, _info):
        return graphene.Node.to_global_id("ProcessingStep", root.pk)


class ColdChainLog(graphene.ObjectType):
    id = graphene.ID(required=True)
    device = graphene.String(required=True)
    min_celsius = graphene.Float(required=True)
    max_celsius = graphene.Float(required=True)
    started_at = graphene.DateTime(required=True)
    ended_at = graphene.DateTime(required=True)
    reading_count = graphene.Int(required=True)
    lowest = graphene.Float(required=True)
    highest = graphene.Float(required=True)
    excursions = GenericScalar(required=True,
                               description="Spans outside the allowed range: start, end, "
                                           "readings, lowest, highest.")

    @staticmethod
    def resolve_id(root: models.ColdChainLog, _info):
        return graphene.Node.to_global_id("ColdChainLog", root.pk)


class TraceChainEntry(graphene.ObjectType):
    """One entry of the trace page's farm-to-package timeline."""

    time = graphene.DateTime(required=True)
    kind = graphene.String(required=True)
    title = graphene.String(required=True)
    detail = graphene.String(required=True)
    flagged = graphene.Boolean(required=True, description="A cold-chain log with readings "
                                                          "out of its allowed range.")
