"""GraphQL types of the farm-to-package records (supplychain.chain_records).

The records are model-backed, so their global IDs come from ModelObjectType; none of them
is fetched by ``node(id:)`` (they are read through their lot)."""

from __future__ import annotations

import graphene
from graphene.types.generic import GenericScalar

from api.core.nodes import ModelObjectType
from supplychain import models


class Voidable:
    """A record its cooperative voided stays, with when and why; the trace page leaves it
    out."""

    voided_at = graphene.DateTime(description="When it was voided; null while in force.")
    void_reason = graphene.String(required=True)


class FarmInput(Voidable, ModelObjectType):
    kind = graphene.String(required=True)
    name = graphene.String(required=True)
    batch_number = graphene.String(required=True)
    quantity = graphene.String(required=True)
    applied_on = graphene.Date(required=True)
    withdrawal_days = graphene.Int(required=True)
    withdrawal_ends_on = graphene.Date(required=True)

    class Meta:
        model = models.FarmInput


class ProcessingStep(Voidable, ModelObjectType):
    kind = graphene.String(required=True)
    performed_at = graphene.DateTime(required=True)
    location = graphene.String(required=True)
    certificate = graphene.String(required=True)
    notes = graphene.String(required=True)

    class Meta:
        model = models.ProcessingStep


class ColdChainLog(Voidable, ModelObjectType):
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

    class Meta:
        model = models.ColdChainLog


class TraceChainEntry(graphene.ObjectType):
    """One entry of the trace page's farm-to-package timeline."""

    time = graphene.DateTime(required=True)
    kind = graphene.String(required=True)
    title = graphene.String(required=True)
    detail = graphene.String(required=True)
    flagged = graphene.Boolean(required=True, description="A cold-chain log with readings "
                                                          "out of its allowed range.")
