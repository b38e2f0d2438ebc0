"""Farm inputs, slaughter and processing steps, and cold-chain logs uploaded as a
logger's CSV, for a sourcing lot (or, for a log, a packing run) of the caller's
organisation."""

from __future__ import annotations

import graphene
from graphene_file_upload.scalars import Upload

from supplychain import models, services

from .. import chain_types
from .base import SupplyChainMutation, owned


class FarmInputKind(graphene.Enum):
    FEED = "feed"
    FERTILISER = "fertiliser"
    VETERINARY_DRUG = "veterinary_drug"
    PESTICIDE = "pesticide"


class ProcessingStepKind(graphene.Enum):
    SLAUGHTER = "slaughter"
    CUTTING = "cutting"
    CHILLING = "chilling"
    FREEZING = "freezing"
    DRYING = "drying"
    EXTRACTING = "extracting"
    OTHER = "other"


def _value(enum_value):
    return getattr(enum_value, "value", enum_value)


class FarmInputRecordInput(graphene.InputObjectType):
    kind = FarmInputKind(required=True)
    name = graphene.String(required=True)
    applied_on = graphene.Date(required=True)
    withdrawal_days = graphene.Int(description="休药期 / 安全间隔期 in days.")
    quantity = graphene.String()
    batch_number = graphene.String()


class FarmInputRecord(SupplyChainMutation):
    farm_input = graphene.Field(chain_types.FarmInput)

    class Arguments:
        sourcing_lot = graphene.ID(required=True)
        input = FarmInputRecordInput(required=True)

    @classmethod
    def perform_mutation(cls, _root, info, sourcing_lot, input):
        lot, user = owned(info, models.SourcingLot, sourcing_lot, "SourcingLot", "sourcing_lot")
        record = services.record_farm_input(
            lot, kind=_value(input["kind"]), name=input["name"],
            applied_on=input["applied_on"], withdrawal_days=input.get("withdrawal_days") or 0,
            quantity=input.get("quantity") or "", batch_number=input.get("batch_number") or "",
            user=user)
        return cls(farm_input=record)


class ProcessingStepRecordInput(graphene.InputObjectType):
    kind = ProcessingStepKind(required=True)
    performed_at = graphene.DateTime(required=True)
    location = graphene.String()
    certificate = graphene.String(description="动物检疫合格证明 or the plant's licence.")
    notes = graphene.String()


class ProcessingStepRecord(SupplyChainMutation):
    processing_step = graphene.Field(chain_types.ProcessingStep)

    class Arguments:
        sourcing_lot = graphene.ID(required=True)
        input = ProcessingStepRecordInput(required=True)

    @classmethod
    def perform_mutation(cls, _root, info, sourcing_lot, input):
        lot, user = owned(info, models.SourcingLot, sourcing_lot, "SourcingLot", "sourcing_lot")
        step = services.record_processing_step(
            lot, kind=_value(input["kind"]), performed_at=input["performed_at"],
            location=input.get("location") or "", certificate=input.get("certificate") or "",
            notes=input.get("notes") or "", user=user)
        return cls(processing_step=step)


class ColdChainLogUpload(SupplyChainMutation):
    cold_chain_log = graphene.Field(chain_types.ColdChainLog)

    class Arguments:
        sourcing_lot = graphene.ID()
        packing_run = graphene.ID()
        file = Upload(required=True, description="The logger's CSV: time, °C, ...")
        min_celsius = graphene.Float(required=True)
        max_celsius = graphene.Float(required=True)
        device = graphene.String()

    @classmethod
    def perform_mutation(cls, _root, info, file, min_celsius, max_celsius, sourcing_lot=None,
                         packing_run=None, device=""):
        lot = run = user = None
        if sourcing_lot:
            lot, user = owned(info, models.SourcingLot, sourcing_lot, "SourcingLot",
                              "sourcing_lot")
        if packing_run:
            run, user = owned(info, models.PackingRun, packing_run, "PackingRun",
                              "packing_run")
        subject = lot or run
        log = services.upload_cold_chain_log(
            subject.organization if subject else None, file,
            min_celsius=min_celsius, max_celsius=max_celsius, sourcing_lot=lot,
            packing_run=run, device=device or "", user=user)
        return cls(cold_chain_log=log)
