"""GraphQL types of the farm-to-package records (supplychain.chain_records).

The records are model-backed, so their global IDs come from ModelObjectType; none of them
is fetched by ``node(id:)``: they are read through their lot (``SourcingLot.chainRecords``,
the lot's own organisation only, voided ones on request)."""

from __future__ import annotations

from collections import defaultdict

import graphene
from graphene.types.generic import GenericScalar

from api.core.dataloaders import DataLoader, then
from api.core.nodes import ModelObjectType
from api.core.permissions import can_manage_organization, current_user
from supplychain import models
from supplychain.services.chain import chain_records


class Voidable:
    """A record its cooperative voided stays, with when, why, who and what replaced it; the
    trace page leaves it out."""

    voided_at = graphene.DateTime(description="When it was voided; null while in force.")
    void_reason = graphene.String(required=True)
    voided_by = graphene.String(description="Who voided it (e-mail).")

    @staticmethod
    def resolve_voided_by(root, _info):
        return root.voided_by.email if root.voided_by_id else None


class FarmInput(Voidable, ModelObjectType):
    kind = graphene.String(required=True)
    name = graphene.String(required=True)
    batch_number = graphene.String(required=True)
    quantity = graphene.String(required=True)
    applied_on = graphene.Date(required=True)
    withdrawal_days = graphene.Int(required=True)
    withdrawal_ends_on = graphene.Date(required=True)

    replaced_by = graphene.Field(lambda: FarmInput,
                                 description="The record entered in its place, if any.")

    class Meta:
        model = models.FarmInput


class ProcessingStep(Voidable, ModelObjectType):
    kind = graphene.String(required=True)
    performed_at = graphene.DateTime(required=True)
    location = graphene.String(required=True)
    certificate = graphene.String(required=True)
    notes = graphene.String(required=True)

    replaced_by = graphene.Field(lambda: ProcessingStep,
                                 description="The record entered in its place, if any.")

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

    replaced_by = graphene.Field(lambda: ColdChainLog,
                                 description="The record entered in its place, if any.")

    class Meta:
        model = models.ColdChainLog


class LotChainRecords(graphene.ObjectType):
    """A sourcing lot's farm inputs, processing steps and cold-chain logs (of the lot in
    store), oldest first."""

    farm_inputs = graphene.List(graphene.NonNull(FarmInput), required=True)
    processing_steps = graphene.List(graphene.NonNull(ProcessingStep), required=True)
    cold_chain_logs = graphene.List(graphene.NonNull(ColdChainLog), required=True)


class ChainRecordsBySourcingLotIdLoader(DataLoader):
    """Every chain record of the lots, voided ones included (with who voided them and what
    replaced them), in one query per kind whatever the number of lots."""

    def batch_load(self, keys):
        records = chain_records(keys, voided=True)
        by_lot = defaultdict(lambda: {"inputs": [], "steps": [], "logs": []})
        for kind, rows in records.items():
            for row in rows:
                by_lot[row.sourcing_lot_id][kind].append(row)
        return [by_lot[key] for key in keys]


class LotChainRecordsField:
    """``SourcingLot.chainRecords``: the lot's own organisation (and the platform's
    operators) read its records, voided ones on request; anyone else gets null."""

    chain_records = graphene.Field(
        LotChainRecords,
        include_voided=graphene.Boolean(default_value=False,
                                        description="Also the records voided as wrong, with "
                                                    "when, why and by whom."),
        description="The lot's farm inputs, processing steps and cold-chain logs: for the "
                    "lot's own organisation (and operators) only, null for anyone else; the "
                    "public sees the records in force on the trace page.")

    @staticmethod
    def resolve_chain_records(root, info, include_voided=False):
        # The lot type is private already; checked again for a lot reached through
        # another type.
        if not can_manage_organization(current_user(info), root.organization_id):
            return None

        def shape(records):
            def kept(rows):
                return rows if include_voided else [r for r in rows if not r.is_voided]

            return LotChainRecords(farm_inputs=kept(records["inputs"]),
                                   processing_steps=kept(records["steps"]),
                                   cold_chain_logs=kept(records["logs"]))

        return then(ChainRecordsBySourcingLotIdLoader(info.context).load(root.pk), shape)


class TraceChainEntry(graphene.ObjectType):
    """One entry of the trace page's farm-to-package timeline."""

    time = graphene.DateTime(required=True)
    kind = graphene.String(required=True)
    title = graphene.String(required=True)
    detail = graphene.String(required=True)
    flagged = graphene.Boolean(required=True, description="A cold-chain log with readings "
                                                          "out of its allowed range.")
