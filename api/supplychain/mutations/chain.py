"""Farm inputs, slaughter and processing steps, and cold-chain logs uploaded as a
logger's CSV, for a sourcing lot (or, for a log, a packing run) of the caller's
organisation; and voiding one that was wrong."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphene_file_upload.scalars import Upload
from graphql import GraphQLError

from api.core.ids import resolve_global_id
from api.core.permissions import require_member
from supplychain import models, services
from supplychain.error_codes import SupplyChainErrorCode as E
from supplychain.services.chain import record_organization_id

from .. import chain_types
from .base import SupplyChainMutation, get_instance, owned


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


# The chain records by GraphQL type, and the payload field each comes back in.
CHAIN_RECORDS = {"FarmInput": (models.FarmInput, "farm_input"),
                 "ProcessingStep": (models.ProcessingStep, "processing_step"),
                 "ColdChainLog": (models.ColdChainLog, "cold_chain_log")}


def _chain_record(global_id, field):
    try:
        type_name, _pk = resolve_global_id(global_id)
    except GraphQLError as exc:
        raise ValidationError({field: ValidationError(str(exc), code=E.GRAPHQL_ERROR.value)}) \
            from None
    if type_name not in CHAIN_RECORDS:
        raise ValidationError({field: ValidationError(
            _("Give a farm input, a processing step or a cold-chain log."),
            code=E.INVALID.value)})
    model, payload_field = CHAIN_RECORDS[type_name]
    return get_instance(model, global_id, type_name, field), payload_field


class ChainRecordVoid(SupplyChainMutation):
    farm_input = graphene.Field(chain_types.FarmInput)
    processing_step = graphene.Field(chain_types.ProcessingStep)
    cold_chain_log = graphene.Field(chain_types.ColdChainLog)

    class Arguments:
        id = graphene.ID(required=True, description="A FarmInput, ProcessingStep or "
                                                    "ColdChainLog of the caller's lot.")
        reason = graphene.String(required=True, description="Why it is wrong.")
        replaced_by = graphene.ID(description="The record entered in its place (same kind, "
                                              "same lot), when it was typed wrong.")

    class Meta:
        description = ("Voids a wrong chain record: it is kept in the lot's history, left out "
                       "of the trace page and declared an error in the EPCIS export.")

    @classmethod
    def perform_mutation(cls, _root, info, id, reason, replaced_by=None):
        record, payload_field = _chain_record(id, "id")
        # The lot's own cooperative only: not even an operator rewrites its history.
        user = require_member(info, record_organization_id(record))
        replacement = _chain_record(replaced_by, "replaced_by")[0] if replaced_by else None
        record = services.void_chain_record(record, user, reason=reason,
                                            replaced_by=replacement)
        return cls(**{payload_field: record})
