"""Supply-chain mutations, by concern: producers, sourcing lots and inspections, grading,
packing and labels, recalls, shipping with trace codes. Each validates input, checks that
the caller manages the organisation that owns the record (top-level permission error
otherwise), calls one service and shapes the result; bad input comes back as
``errors { field code message }`` and changes nothing."""

import graphene

from .base import SupplyChainError, SupplyChainErrorCode, SupplyChainMutation
from .chain import ChainRecordVoid, ColdChainLogUpload, FarmInputRecord, ProcessingStepRecord
from .grading import GradeStandardCreate, GradingRecordCreate
from .lots import InspectionCreate, SourcingLotCreate
from .packing import LabelSheetCreate, PackingRunCreate
from .producers import BaseCreate, CertificationAdd, HouseholdCreate, ProducerProfileUpdate
from .recalls import LotRecall
from .shipping import OrderFulfillWithCodes, OrderLineShipCodes


class SupplyChainMutations(graphene.ObjectType):
    producer_profile_update = ProducerProfileUpdate.Field()
    household_create = HouseholdCreate.Field()
    base_create = BaseCreate.Field()
    certification_add = CertificationAdd.Field()
    sourcing_lot_create = SourcingLotCreate.Field()
    inspection_create = InspectionCreate.Field()
    grade_standard_create = GradeStandardCreate.Field()
    grading_record_create = GradingRecordCreate.Field()
    packing_run_create = PackingRunCreate.Field()
    label_sheet_create = LabelSheetCreate.Field()
    lot_recall = LotRecall.Field()
    order_line_ship_codes = OrderLineShipCodes.Field()
    order_fulfill_with_codes = OrderFulfillWithCodes.Field()
    farm_input_record = FarmInputRecord.Field()
    processing_step_record = ProcessingStepRecord.Field()
    cold_chain_log_upload = ColdChainLogUpload.Field()
    chain_record_void = ChainRecordVoid.Field()


__all__ = [
    "BaseCreate", "CertificationAdd", "ChainRecordVoid", "ColdChainLogUpload", "FarmInputRecord",
    "ProcessingStepRecord", "GradeStandardCreate", "GradingRecordCreate",
    "HouseholdCreate", "InspectionCreate", "LabelSheetCreate", "LotRecall",
    "OrderFulfillWithCodes", "OrderLineShipCodes", "PackingRunCreate", "ProducerProfileUpdate",
    "SourcingLotCreate", "SupplyChainError", "SupplyChainErrorCode", "SupplyChainMutation",
    "SupplyChainMutations",
]
