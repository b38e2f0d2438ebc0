"""Supply-chain mutations. Each validates input, checks that the caller manages the
organisation that owns the record (top-level permission error otherwise), calls one
service and shapes the result; bad input comes back as ``errors { field code message }``
and changes nothing."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphene_file_upload.scalars import Upload

from api.core.ids import pk_from_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import AUTHENTICATED, require_organization
from api.core.scalars import PositiveDecimal
from api.core.types import error_type
from api.shop.types import Fulfillment, Order, OrderLine
from catalog.models import Product, ProductVariant
from shop.models import Order as OrderModel
from shop.models import OrderLine as OrderLineModel
from shop.models import Organization, Warehouse
from supplychain import models, services
from supplychain.error_codes import SupplyChainErrorCode as CodeEnum

from . import types

SupplyChainErrorCode = graphene.Enum.from_enum(CodeEnum)
SupplyChainError = error_type("SupplyChainError", SupplyChainErrorCode)


class SupplyChainMutation(BaseMutation):
    error_type_class = SupplyChainError
    error_code_enum = CodeEnum

    class Meta:
        abstract = True


def get_instance(model, global_id: str, type_name: str, field: str):
    pk = pk_from_global_id(global_id, type_name, field)
    instance = model.objects.filter(pk=pk).first()
    if instance is None:
        raise ValidationError({field: ValidationError(
            _("Couldn't resolve to a node: %(id)s") % {"id": global_id},
            code=CodeEnum.NOT_FOUND.value)})
    return instance


def owned(info, model, global_id, type_name, field, org_of=lambda r: r.organization_id):
    """The record, after checking the caller manages its organisation."""
    instance = get_instance(model, global_id, type_name, field)
    user = require_organization(info, org_of(instance))
    return instance, user


# Producers ---------------------------------------------------------------------------------

class ProducerProfileInput(graphene.InputObjectType):
    credit_code = graphene.String(required=True, description="统一社会信用代码 (18 characters).")
    legal_representative = graphene.String()
    production_licence = graphene.String(description="SC licence number.")


class ProducerProfileUpdate(SupplyChainMutation):
    producer_profile = graphene.Field(types.ProducerProfile)

    class Arguments:
        organization = graphene.ID(required=True)
        input = ProducerProfileInput(required=True)

    class Meta:
        description = "Set a cooperative's or enterprise's registration facts."

    @classmethod
    def perform_mutation(cls, _root, info, organization, input):
        org, _user = owned(info, Organization, organization, "Organization", "organization",
                           lambda o: o.pk)
        profile = services.update_producer_profile(
            org, credit_code=input["credit_code"],
            legal_representative=input.get("legal_representative") or "",
            production_licence=input.get("production_licence") or "")
        return cls(producer_profile=profile)


class HouseholdCreateInput(graphene.InputObjectType):
    organization = graphene.ID(required=True)
    head_name = graphene.String(required=True)
    village = graphene.String(required=True)
    township = graphene.String()
    id_number = graphene.String(description="Checked, then kept only masked (last 4 visible).")
    phone = graphene.String()
    is_poverty_registered = graphene.Boolean(description="建档立卡 household.")


class HouseholdCreate(SupplyChainMutation):
    household = graphene.Field(types.Household)

    class Arguments:
        input = HouseholdCreateInput(required=True)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        org, _user = owned(info, Organization, input["organization"], "Organization",
                           "organization", lambda o: o.pk)
        household = services.create_household(
            org, head_name=input["head_name"], village=input["village"],
            township=input.get("township") or "", id_number=input.get("id_number") or "",
            phone=input.get("phone") or "",
            is_poverty_registered=bool(input.get("is_poverty_registered")))
        return cls(household=household)


class BaseCreateInput(graphene.InputObjectType):
    organization = graphene.ID(required=True)
    name = graphene.String(required=True)
    location = graphene.String(required=True)
    area_mu = PositiveDecimal(required=True)
    latitude = graphene.Float()
    longitude = graphene.Float()


class BaseCreate(SupplyChainMutation):
    base = graphene.Field(types.Base)

    class Arguments:
        input = BaseCreateInput(required=True)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        org, _user = owned(info, Organization, input["organization"], "Organization",
                           "organization", lambda o: o.pk)
        base = services.create_base(org, name=input["name"], location=input["location"],
                                    area_mu=input["area_mu"], latitude=input.get("latitude"),
                                    longitude=input.get("longitude"))
        return cls(base=base)


class CertificationInput(graphene.InputObjectType):
    kind = types.CertificationKindEnum(required=True)
    number = graphene.String(required=True)
    issuer = graphene.String()
    valid_from = graphene.Date()
    valid_until = graphene.Date(required=True)


class CertificationAdd(SupplyChainMutation):
    certification = graphene.Field(types.Certification)

    class Arguments:
        base = graphene.ID(required=True)
        input = CertificationInput(required=True)

    @classmethod
    def perform_mutation(cls, _root, info, base, input):
        base_obj, _user = owned(info, models.Base, base, "Base", "base")
        kind = input["kind"]
        certification = services.add_certification(
            base_obj, kind=getattr(kind, "value", kind), number=input["number"],
            issuer=input.get("issuer") or "", valid_from=input.get("valid_from"),
            valid_until=input["valid_until"])
        return cls(certification=certification)


# Sourcing and inspection -------------------------------------------------------------------

class SourcingLotCreateInput(graphene.InputObjectType):
    organization = graphene.ID(required=True)
    product = graphene.ID(required=True)
    household = graphene.ID()
    base = graphene.ID()
    harvested_on = graphene.Date(required=True)
    received_at = graphene.DateTime()
    quantity_kg = PositiveDecimal(required=True)
    unit_price = PositiveDecimal(required=True, description="CNY per kg.")
    lot_number = graphene.String()
    notes = graphene.String()


class SourcingLotCreate(SupplyChainMutation):
    sourcing_lot = graphene.Field(types.SourcingLot)

    class Arguments:
        input = SourcingLotCreateInput(required=True)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        org, user = owned(info, Organization, input["organization"], "Organization",
                          "organization", lambda o: o.pk)
        product = get_instance(Product, input["product"], "Product", "product")
        household = (get_instance(models.Household, input["household"], "Household",
                                  "household") if input.get("household") else None)
        base = get_instance(models.Base, input["base"], "Base", "base") \
            if input.get("base") else None
        lot = services.create_sourcing_lot(
            org, product=product, household=household, base=base,
            harvested_on=input["harvested_on"], received_at=input.get("received_at"),
            quantity_kg=input["quantity_kg"], unit_price=input["unit_price"],
            lot_number=input.get("lot_number") or "", notes=input.get("notes") or "",
            user=user)
        return cls(sourcing_lot=lot)


class InspectionItemInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    value = graphene.String()
    limit = graphene.String()
    passed = graphene.Boolean()


class InspectionCreateInput(graphene.InputObjectType):
    lab = graphene.String(required=True)
    result = types.InspectionResultEnum(required=True)
    inspected_on = graphene.Date(required=True)
    items = graphene.List(graphene.NonNull(InspectionItemInput))


class InspectionCreate(SupplyChainMutation):
    inspection = graphene.Field(types.Inspection)

    class Arguments:
        sourcing_lot = graphene.ID(required=True)
        input = InspectionCreateInput(required=True)
        report = Upload(description="The lab's report (PDF or image).")

    @classmethod
    def perform_mutation(cls, _root, info, sourcing_lot, input, report=None):
        lot, user = owned(info, models.SourcingLot, sourcing_lot, "SourcingLot", "sourcing_lot")
        result = input["result"]
        inspection = services.record_inspection(
            lot, lab=input["lab"], result=getattr(result, "value", result),
            inspected_on=input["inspected_on"],
            items=[dict(i) for i in input.get("items") or []], report=report, user=user)
        return cls(inspection=inspection)


# Grading -----------------------------------------------------------------------------------

class GradeStandardInput(graphene.InputObjectType):
    name = graphene.String(required=True, description="特级, 一级, 二级…")
    rank = graphene.Int()
    criteria = graphene.String(required=True)


class GradeStandardCreate(SupplyChainMutation):
    grade_standard = graphene.Field(types.GradeStandard)

    class Arguments:
        product = graphene.ID(required=True)
        input = GradeStandardInput(required=True)

    @classmethod
    def perform_mutation(cls, _root, info, product, input):
        product_obj, _user = owned(info, Product, product, "Product", "product")
        grade = services.create_grade_standard(product_obj, name=input["name"],
                                               rank=input.get("rank") or 0,
                                               criteria=input["criteria"])
        return cls(grade_standard=grade)


class GradingInputLine(graphene.InputObjectType):
    sourcing_lot = graphene.ID(required=True)
    quantity_kg = PositiveDecimal(required=True)


class GradingOutputLine(graphene.InputObjectType):
    grade = graphene.ID(required=True)
    quantity_kg = PositiveDecimal(required=True)


class GradingRecordCreateInput(graphene.InputObjectType):
    organization = graphene.ID(required=True)
    inputs = graphene.List(graphene.NonNull(GradingInputLine), required=True)
    outputs = graphene.List(graphene.NonNull(GradingOutputLine), required=True)
    loss_kg = PositiveDecimal(required=True)
    graded_at = graphene.DateTime()
    notes = graphene.String()


class GradingRecordCreate(SupplyChainMutation):
    graded_lots = graphene.List(graphene.NonNull(types.GradedLot))

    class Arguments:
        input = GradingRecordCreateInput(required=True)

    class Meta:
        description = ("Grade input lots into graded lots plus loss; refused when outputs "
                       "plus loss exceed the inputs (mass balance).")

    @classmethod
    def perform_mutation(cls, _root, info, input):
        org, user = owned(info, Organization, input["organization"], "Organization",
                          "organization", lambda o: o.pk)
        inputs = [(get_instance(models.SourcingLot, line["sourcing_lot"], "SourcingLot",
                                "inputs"), line["quantity_kg"]) for line in input["inputs"]]
        outputs = [(get_instance(models.GradeStandard, line["grade"], "GradeStandard",
                                 "outputs"), line["quantity_kg"]) for line in input["outputs"]]
        record = services.record_grading(org, inputs=inputs, outputs=outputs,
                                         loss_kg=input["loss_kg"],
                                         graded_at=input.get("graded_at"),
                                         notes=input.get("notes") or "", user=user)
        return cls(graded_lots=list(record.outputs.order_by("pk")))


# Packing and labels ------------------------------------------------------------------------

class PackingRunCreateInput(graphene.InputObjectType):
    graded_lot = graphene.ID(required=True)
    variant = graphene.ID(required=True)
    warehouse = graphene.ID(required=True)
    quantity = graphene.Int(required=True, description="Packages: one trace code each.")
    net_weight_kg = PositiveDecimal(required=True)
    packed_at = graphene.DateTime()
    brand_labelled = graphene.Boolean(
        description="Codes carry the regional brand: needs a licence in force with quota left.")


class PackingRunCreate(SupplyChainMutation):
    packing_run = graphene.Field(types.PackingRun)

    class Arguments:
        input = PackingRunCreateInput(required=True)

    class Meta:
        description = "Pack a graded lot into N packages: N trace codes and N units of stock."

    @classmethod
    def perform_mutation(cls, _root, info, input):
        lot, user = owned(info, models.GradedLot, input["graded_lot"], "GradedLot",
                          "graded_lot")
        variant = get_instance(ProductVariant, input["variant"], "ProductVariant", "variant")
        warehouse = get_instance(Warehouse, input["warehouse"], "Warehouse", "warehouse")
        run = services.create_packing_run(lot, variant=variant, warehouse=warehouse,
                                          quantity=input["quantity"],
                                          net_weight_kg=input["net_weight_kg"],
                                          packed_at=input.get("packed_at"), user=user,
                                          brand_labelled=bool(input.get("brand_labelled")))
        return cls(packing_run=run)


class LabelSheetCreate(SupplyChainMutation):
    packing_run = graphene.Field(types.PackingRun)
    task_id = graphene.String(description="Follow it with labelSheetProgress.")

    class Arguments:
        packing_run = graphene.ID(required=True)

    class Meta:
        description = ("Make the printable PDF label sheet of a packing run in the background. "
                       "Codes already exist; asking again renders the same codes again.")

    @classmethod
    def perform_mutation(cls, _root, info, packing_run):
        run, _user = owned(info, models.PackingRun, packing_run, "PackingRun", "packing_run")
        task_id = services.request_label_sheet(run)
        run.refresh_from_db()
        return cls(packing_run=run, task_id=task_id)


# Recall ------------------------------------------------------------------------------------

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


# Flow to the buyer -------------------------------------------------------------------------

CODES_HELP = "Trace codes of the packages, as scanned (case and spaces do not matter)."


class OrderLineShipCodes(SupplyChainMutation):
    order_line = graphene.Field(OrderLine)
    shipped_codes = graphene.List(graphene.NonNull(types.ShippedCode),
                                  description="All codes recorded for the line so far.")

    class Arguments:
        order_line = graphene.ID(required=True)
        codes = graphene.List(graphene.NonNull(graphene.String), required=True,
                              description=CODES_HELP)

    class Meta:
        description = ("Record which packages went out on a shipped order line: at most one "
                       "code per shipped item; the codes turn in transit (sold once the order "
                       "is delivered). Only the line's seller, or an operator.")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, order_line, codes):
        line, user = owned(info, OrderLineModel, order_line, "OrderLine", "order_line")
        shipped = services.ship_codes(line, codes, user=user)
        line.refresh_from_db()
        return cls(order_line=line, shipped_codes=shipped)


class OrderFulfillWithCodesLineInput(graphene.InputObjectType):
    order_line_id = graphene.ID(required=True)
    quantity = graphene.Int(description="Items shipped now; defaults to the number of codes.")
    codes = graphene.List(graphene.NonNull(graphene.String), description=CODES_HELP)


class OrderFulfillWithCodesInput(graphene.InputObjectType):
    lines = graphene.List(graphene.NonNull(OrderFulfillWithCodesLineInput), required=True)
    carrier = graphene.String(required=True, description="邮政, 顺丰 ...")
    tracking_number = graphene.String(required=True)


class OrderFulfillWithCodes(SupplyChainMutation):
    order = graphene.Field(Order)
    fulfillment = graphene.Field(Fulfillment)
    shipped_codes = graphene.List(graphene.NonNull(types.ShippedCode))

    class Arguments:
        order = graphene.ID(required=True)
        input = OrderFulfillWithCodesInput(required=True)

    class Meta:
        description = ("A seller ships its own lines of a paid order and records the packages' "
                       "trace codes, in one step: a wrong code, or more codes than items "
                       "shipped, ships nothing.")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, order, input):
        order_obj = get_instance(OrderModel, order, "Order", "order")
        lines = [{"order_line_id": pk_from_global_id(line["order_line_id"], "OrderLine",
                                                     "order_line_id"),
                  "quantity": line.get("quantity"), "codes": line.get("codes") or []}
                 for line in input["lines"]]
        if not lines:
            raise ValidationError({"lines": ValidationError(
                _("Choose at least one line to ship."), code=CodeEnum.REQUIRED.value)})
        sellers = dict(OrderLineModel.objects.filter(
            order=order_obj, pk__in=[line["order_line_id"] for line in lines]).values_list(
            "pk", "organization_id"))
        if len(sellers) != len({line["order_line_id"] for line in lines}):
            raise ValidationError({"order_line_id": ValidationError(
                _("Couldn't find a line with this ID in the order."),
                code=CodeEnum.NOT_FOUND.value)})
        for organization_id in sorted(set(sellers.values())):
            user = require_organization(info, organization_id)
        seller = Organization.objects.get(pk=sellers[lines[0]["order_line_id"]])
        fulfillment, shipped = services.fulfill_with_codes(
            order_obj, seller, lines, carrier=input["carrier"],
            tracking_number=input["tracking_number"], user=user)
        order_obj.refresh_from_db()
        return cls(order=order_obj, fulfillment=fulfillment, shipped_codes=shipped)


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
