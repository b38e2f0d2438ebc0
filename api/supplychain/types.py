"""GraphQL types of the supply chain (county-pavilion extensions). Private types are only
reachable by members of the owning organisation (and operators); ``TracePublic`` carries
exactly the fields of the public trace page."""

from __future__ import annotations

import graphene
from django.utils import timezone

from api.catalog import dataloaders as catalog_dl
from api.core.connection import CountableConnection
from api.core.dataloaders import then
from api.core.nodes import ModelObjectType
from api.core.permissions import can_manage_organization, current_user
from api.core.types import Money, money
from api.shop import dataloaders as shop_dl
from api.shop.types import Organization
from api.translations import types as translations
from shop.public_urls import absolute_url
from supplychain import models, services

from . import dataloaders as dl
from .chain_types import LotChainRecordsField, TraceChainEntry


def _kg(value):
    return float(value) if value is not None else None


# Enums -------------------------------------------------------------------------------------

CertificationKindEnum = graphene.Enum(
    "CertificationKindEnum", [(v.upper(), v) for v in models.Certification.Kind.values])
InspectionResultEnum = graphene.Enum("InspectionResultEnum",
                                     [(v.upper(), v) for v in models.Inspection.Result.values])
DispositionEnum = graphene.Enum("DispositionEnum",
                                [(v.upper(), v) for v in models.Disposition.values])
BizStepEnum = graphene.Enum("BizStepEnum",
                            [(v.upper(), v) for v in models.TraceEvent.BizStep.values])
RecallLevelEnum = graphene.Enum("RecallLevelEnum",
                                [(v.upper(), v) for v in models.Recall.Level.values])
LabelStatusEnum = graphene.Enum("LabelSheetStatusEnum",
                                [(v.upper(), v) for v in models.PackingRun.LabelStatus.values])
ScanSourceEnum = graphene.Enum("ScanSourceEnum",
                               [(v.upper(), v) for v in models.Scan.Source.values])


def _enum(attr):
    def resolve(root, _info):
        value = getattr(root, attr)
        return str(value) if value else None  # a TextChoices member or its plain value
    return staticmethod(resolve)


# Producers ---------------------------------------------------------------------------------

class ProducerProfile(ModelObjectType):
    """A cooperative's or enterprise's registration facts."""

    organization = graphene.Field(Organization, required=True)
    credit_code = graphene.String(required=True,
                                   description="Unified social credit code (统一社会信用代码).")
    legal_representative = graphene.String()
    production_licence = graphene.String()

    class Meta:
        model = models.ProducerProfile

    resolve_organization = staticmethod(
        lambda root, info: shop_dl.OrganizationByIdLoader(info.context).load(root.organization_id))

    @classmethod
    def get_queryset(cls, info):
        return models.ProducerProfile.objects.all()

    @classmethod
    def can_view(cls, info, instance):
        return can_manage_organization(current_user(info), instance.organization_id)

class Certification(ModelObjectType):
    kind = graphene.Field(CertificationKindEnum, required=True)
    number = graphene.String(required=True)
    issuer = graphene.String()
    valid_from = graphene.Date()
    valid_until = graphene.Date(required=True)
    is_valid = graphene.Boolean(required=True, description="Not expired today.")

    class Meta:
        model = models.Certification

    resolve_kind = _enum("kind")
    resolve_is_valid = staticmethod(
        lambda root, _info: root.valid_until >= timezone.localdate())

    @classmethod
    def get_queryset(cls, info):
        return models.Certification.objects.all()

    @classmethod
    def can_view(cls, info, instance):
        return can_manage_organization(current_user(info), instance.base.organization_id)

class Household(ModelObjectType):
    """A farmer household (农户); only a masked ID number is kept."""

    organization = graphene.Field(Organization, required=True)
    head_name = graphene.String(required=True)
    township = graphene.String()
    village = graphene.String(required=True)
    id_number_masked = graphene.String()
    phone = graphene.String()
    is_poverty_registered = graphene.Boolean(
        required=True, description="Registered poor household (建档立卡).")

    class Meta:
        model = models.Household

    resolve_organization = staticmethod(
        lambda root, info: shop_dl.OrganizationByIdLoader(info.context).load(root.organization_id))

    @classmethod
    def get_queryset(cls, info):
        return models.Household.objects.all()

    @classmethod
    def can_view(cls, info, instance):
        return can_manage_organization(current_user(info), instance.organization_id)

class Base(ModelObjectType):
    """A production base (基地)."""

    organization = graphene.Field(Organization, required=True)
    name = graphene.String(required=True)
    location = graphene.String(required=True)
    latitude = graphene.Float()
    longitude = graphene.Float()
    area_mu = graphene.Float(required=True, description="Area in mu (亩).")
    certifications = graphene.List(graphene.NonNull(Certification), required=True)
    translation = translations.translation_field(translations.BaseTranslation, "base")

    class Meta:
        model = models.Base

    resolve_organization = staticmethod(
        lambda root, info: shop_dl.OrganizationByIdLoader(info.context).load(root.organization_id))
    resolve_latitude = staticmethod(lambda root, _info: _kg(root.latitude))
    resolve_longitude = staticmethod(lambda root, _info: _kg(root.longitude))
    resolve_area_mu = staticmethod(lambda root, _info: float(root.area_mu))
    resolve_certifications = staticmethod(
        lambda root, info: dl.CertificationsByBaseIdLoader(info.context).load(root.pk))

    @classmethod
    def get_queryset(cls, info):
        return models.Base.objects.all()

    @classmethod
    def can_view(cls, info, instance):
        return can_manage_organization(current_user(info), instance.organization_id)


# Lots --------------------------------------------------------------------------------------

class InspectionItem(graphene.ObjectType):
    name = graphene.String(required=True)
    value = graphene.String()
    limit = graphene.String()
    passed = graphene.Boolean(required=True)


class Inspection(ModelObjectType):
    lab = graphene.String(required=True)
    result = graphene.Field(InspectionResultEnum, required=True)
    inspected_on = graphene.Date(required=True)
    items = graphene.List(graphene.NonNull(InspectionItem), required=True)
    report_url = graphene.String()

    class Meta:
        model = models.Inspection

    resolve_result = _enum("result")
    resolve_items = staticmethod(lambda root, _info: [InspectionItem(**i) for i in root.items])
    resolve_report_url = staticmethod(
        lambda root, info: absolute_url(root.report_path())
        if root.report else None)

    @classmethod
    def get_queryset(cls, info):
        return models.Inspection.objects.all()

    @classmethod
    def can_view(cls, info, instance):
        return can_manage_organization(current_user(info), instance.sourcing_lot.organization_id)


class SourcingLot(LotChainRecordsField, ModelObjectType):
    """A sourcing lot (收购批次): bought from a household or base."""

    organization = graphene.Field(Organization, required=True)
    lot_number = graphene.String(required=True)
    product_name = graphene.String(required=True)
    household = graphene.Field(Household)
    base = graphene.Field(Base)
    harvested_on = graphene.Date(required=True)
    received_at = graphene.DateTime(required=True)
    quantity_kg = graphene.Float(required=True)
    remaining_kg = graphene.Float(required=True, description="Kilograms not yet graded.")
    unit_price = graphene.Field(Money, required=True, description="Price per kg.")
    amount = graphene.Field(Money, required=True, description="Paid to the producer.")
    inspections = graphene.List(graphene.NonNull(Inspection), required=True)
    is_inspection_passed = graphene.Boolean(required=True,
                                             description="The latest inspection passed.")

    class Meta:
        model = models.SourcingLot

    resolve_organization = staticmethod(
        lambda root, info: shop_dl.OrganizationByIdLoader(info.context).load(root.organization_id))
    resolve_product_name = staticmethod(
        lambda root, info: then(catalog_dl.ProductByIdLoader(info.context).load(root.product_id),
                                lambda p: p.name))
    resolve_household = staticmethod(
        lambda root, info: dl.HouseholdByIdLoader(info.context).load(root.household_id)
        if root.household_id else None)
    resolve_base = staticmethod(
        lambda root, info: dl.BaseByIdLoader(info.context).load(root.base_id)
        if root.base_id else None)
    resolve_quantity_kg = staticmethod(lambda root, _info: float(root.quantity_kg))
    resolve_remaining_kg = staticmethod(
        lambda root, info: then(dl.GradedKgBySourcingLotIdLoader(info.context).load(root.pk),
                                lambda used: float(root.quantity_kg - used)))
    resolve_unit_price = staticmethod(lambda root, _info: money(root.unit_price, root.currency))
    resolve_amount = staticmethod(lambda root, _info: money(root.amount, root.currency))
    resolve_inspections = staticmethod(
        lambda root, info: dl.InspectionsBySourcingLotIdLoader(info.context).load(root.pk))
    resolve_is_inspection_passed = staticmethod(
        lambda root, info: then(dl.InspectionsBySourcingLotIdLoader(info.context).load(root.pk),
                                lambda rows: bool(rows) and rows[-1].result == "passed"))

    @classmethod
    def get_queryset(cls, info):
        return models.SourcingLot.objects.all()

    @classmethod
    def can_view(cls, info, instance):
        return can_manage_organization(current_user(info), instance.organization_id)

class GradeStandard(ModelObjectType):
    """A grade of a product (特级/一级/二级) and its criteria; public."""

    name = graphene.String(required=True)
    rank = graphene.Int(required=True)
    criteria = graphene.String(required=True)

    class Meta:
        model = models.GradeStandard


    @classmethod
    def get_queryset(cls, info):
        return models.GradeStandard.objects.all()


class GradedLot(ModelObjectType):
    """An output of grading: kilograms of one grade, ready to pack."""

    organization = graphene.Field(Organization, required=True)
    lot_number = graphene.String(required=True)
    grade = graphene.Field(GradeStandard, required=True)
    quantity_kg = graphene.Float(required=True)
    remaining_kg = graphene.Float(required=True, description="Kilograms not yet packed.")
    is_recalled = graphene.Boolean(required=True)
    sourcing_lots = graphene.List(graphene.NonNull(SourcingLot), required=True)

    class Meta:
        model = models.GradedLot

    resolve_organization = staticmethod(
        lambda root, info: shop_dl.OrganizationByIdLoader(info.context).load(root.organization_id))
    resolve_grade = staticmethod(
        lambda root, info: dl.GradeStandardByIdLoader(info.context).load(root.grade_id))
    resolve_quantity_kg = staticmethod(lambda root, _info: float(root.quantity_kg))
    resolve_remaining_kg = staticmethod(
        lambda root, info: then(dl.PackedKgByGradedLotIdLoader(info.context).load(root.pk),
                                lambda packed: float(root.quantity_kg - packed)))
    resolve_sourcing_lots = staticmethod(
        lambda root, info: dl.SourcingLotsByGradedLotIdLoader(info.context).load(root.pk))

    @classmethod
    def get_queryset(cls, info):
        return models.GradedLot.objects.all()

    @classmethod
    def can_view(cls, info, instance):
        return can_manage_organization(current_user(info), instance.organization_id)


class LabelSheetProgress(graphene.ObjectType):
    status = graphene.Field(LabelStatusEnum, required=True)
    task_id = graphene.String()
    state = graphene.String(description="The Celery task state (PENDING, PROGRESS, SUCCESS…).")
    done = graphene.Int(required=True)
    total = graphene.Int(required=True)
    url = graphene.String()


class PackingRun(ModelObjectType):
    """A packing run (包装): N packages, N trace codes, N units of stock."""

    organization = graphene.Field(Organization, required=True)
    graded_lot = graphene.Field(GradedLot, required=True)
    variant_sku = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    net_weight_kg = graphene.Float(required=True)
    packed_at = graphene.DateTime(required=True)
    label_status = graphene.Field(LabelStatusEnum, required=True)
    label_sheet_url = graphene.String()

    class Meta:
        model = models.PackingRun

    resolve_organization = staticmethod(
        lambda root, info: shop_dl.OrganizationByIdLoader(info.context).load(root.organization_id))
    resolve_graded_lot = staticmethod(
        lambda root, info: dl.GradedLotByIdLoader(info.context).load(root.graded_lot_id))
    resolve_variant_sku = staticmethod(
        lambda root, info: then(catalog_dl.VariantByIdLoader(info.context).load(root.variant_id),
                                lambda v: v.sku))
    resolve_variant_name = staticmethod(
        lambda root, info: then(catalog_dl.VariantByIdLoader(info.context).load(root.variant_id),
                                lambda v: str(v)))
    resolve_net_weight_kg = staticmethod(lambda root, _info: float(root.net_weight_kg))
    resolve_label_status = _enum("label_status")
    resolve_label_sheet_url = staticmethod(
        lambda root, info: absolute_url(
            f"/supplychain/runs/{root.pk}/labels.pdf") if root.label_sheet else None)

    @classmethod
    def get_queryset(cls, info):
        return models.PackingRun.objects.all()

    @classmethod
    def can_view(cls, info, instance):
        return can_manage_organization(current_user(info), instance.organization_id)

class TraceCode(ModelObjectType):
    """One package's trace code, as its producer sees it."""

    code = graphene.String(required=True)
    url = graphene.String(required=True, description="What the QR encodes.")
    serial = graphene.Int(required=True)
    disposition = graphene.Field(DispositionEnum, required=True)
    issued_at = graphene.DateTime(required=True)
    shipped_at = graphene.DateTime()
    scan_count = graphene.Int(required=True)
    first_scanned_at = graphene.DateTime()
    packing_run = graphene.Field(PackingRun, required=True)

    class Meta:
        model = models.TraceCode

    resolve_url = staticmethod(lambda root, _info: services.trace_url(root.code))
    resolve_disposition = _enum("disposition")
    resolve_packing_run = staticmethod(
        lambda root, info: dl.PackingRunByIdLoader(info.context).load(root.packing_run_id))

    @classmethod
    def get_queryset(cls, info):
        return models.TraceCode.objects.all()

    @classmethod
    def can_view(cls, info, instance):
        return can_manage_organization(current_user(info), instance.packing_run.organization_id)


class ShippedCode(graphene.ObjectType):
    """A package (its trace code) that went out on an order line, as its seller sees it."""

    code = graphene.String(required=True)
    disposition = graphene.Field(DispositionEnum, required=True)
    shipped_at = graphene.DateTime(required=True)
    trace_code = graphene.Field(TraceCode, required=True)

    resolve_code = staticmethod(lambda root, _info: root.trace_code.code)
    resolve_disposition = staticmethod(lambda root, _info: str(root.trace_code.disposition))
    resolve_trace_code = staticmethod(lambda root, _info: root.trace_code)


class Scan(graphene.ObjectType):
    """One look-up of a code, with its anomaly flags."""

    code_text = graphene.String(required=True)
    scanned_at = graphene.DateTime(required=True)
    source = graphene.Field(ScanSourceEnum, required=True)
    network = graphene.String(description="The caller's network (/24 or /48), never the address.")
    user_agent = graphene.String()
    never_issued = graphene.Boolean(required=True)
    before_shipping = graphene.Boolean(required=True)
    too_many = graphene.Boolean(required=True, description="Scanned more often than a package is.")
    is_flagged = graphene.Boolean(required=True)
    trace_code = graphene.Field(TraceCode)

    resolve_source = _enum("source")

    @staticmethod
    def resolve_trace_code(root, info):
        if root.trace_code_id is None:
            return None
        return dl.TraceCodeByIdLoader(info.context).load(root.trace_code_id)


class Recall(ModelObjectType):
    """A recall (召回) of a lot, with who, when, why and what it touched."""

    organization = graphene.Field(Organization, required=True)
    level = graphene.Field(RecallLevelEnum, required=True)
    reason = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    initiated_by_email = graphene.String()
    sourcing_lot = graphene.Field(SourcingLot)
    graded_lot = graphene.Field(GradedLot)
    affected_codes = graphene.Int(required=True)
    withdrawn_units = graphene.Int(required=True,
                                    description="Unsold packages taken out of stock.")
    packing_runs = graphene.List(graphene.NonNull(PackingRun), required=True)
    affected_order_ids = graphene.List(
        graphene.NonNull(graphene.Int), required=True,
        description="Orders that shipped codes of the lot (empty until shipped codes exist).")
    notified_at = graphene.DateTime()

    class Meta:
        model = models.Recall

    resolve_organization = staticmethod(
        lambda root, info: shop_dl.OrganizationByIdLoader(info.context).load(root.organization_id))
    resolve_level = _enum("level")
    resolve_initiated_by_email = staticmethod(
        lambda root, _info: root.initiated_by.email if root.initiated_by_id else None)
    resolve_sourcing_lot = staticmethod(lambda root, _info: root.sourcing_lot)
    resolve_graded_lot = staticmethod(lambda root, _info: root.graded_lot)
    resolve_packing_runs = staticmethod(
        lambda root, info: dl.PackingRunsByRecallIdLoader(info.context).load(root.pk))
    resolve_affected_order_ids = staticmethod(
        lambda root, _info: [order_id for order_id, _e in services.affected_orders(root)])

    @classmethod
    def get_queryset(cls, info):
        return models.Recall.objects.all()

    @classmethod
    def can_view(cls, info, instance):
        return can_manage_organization(current_user(info), instance.organization_id)


class HouseholdCountableConnection(CountableConnection):
    class Meta:
        node = Household


class BaseCountableConnection(CountableConnection):
    class Meta:
        node = Base


class SourcingLotCountableConnection(CountableConnection):
    class Meta:
        node = SourcingLot


class GradedLotCountableConnection(CountableConnection):
    class Meta:
        node = GradedLot


class PackingRunCountableConnection(CountableConnection):
    class Meta:
        node = PackingRun


class TraceCodeCountableConnection(CountableConnection):
    class Meta:
        node = TraceCode


class ScanCountableConnection(CountableConnection):
    class Meta:
        node = Scan


class RecallCountableConnection(CountableConnection):
    class Meta:
        node = Recall


# The public trace view ---------------------------------------------------------------------

class TraceProducer(graphene.ObjectType):
    name = graphene.String(required=True)
    county = graphene.String()
    credit_code = graphene.String()


class TraceHousehold(graphene.ObjectType):
    name = graphene.String(required=True, description="Masked: family name only.")
    village = graphene.String(required=True)


class TraceBase(graphene.ObjectType):
    name = graphene.String(required=True)
    location = graphene.String(required=True)
    area_mu = graphene.Float()


class TraceOrigin(graphene.ObjectType):
    lot = graphene.String(required=True)
    harvested_on = graphene.Date(required=True)
    household = graphene.Field(TraceHousehold)
    base = graphene.Field(TraceBase)


class TraceCertification(graphene.ObjectType):
    kind = graphene.Field(CertificationKindEnum, required=True)
    kind_display = graphene.String(required=True)
    number = graphene.String(required=True)
    valid_until = graphene.Date(required=True)
    is_valid = graphene.Boolean(required=True)


class TraceInspection(graphene.ObjectType):
    lot = graphene.String(required=True)
    lab = graphene.String(required=True)
    result = graphene.Field(InspectionResultEnum, required=True)
    result_display = graphene.String(required=True)
    inspected_on = graphene.Date(required=True)
    report_url = graphene.String()


class TraceRecall(graphene.ObjectType):
    level = graphene.Field(RecallLevelEnum, required=True)
    level_display = graphene.String(required=True)
    reason = graphene.String(required=True)
    recalled_at = graphene.DateTime(required=True)


class TraceStep(graphene.ObjectType):
    step = graphene.Field(BizStepEnum, required=True)
    step_display = graphene.String(required=True)
    time = graphene.DateTime(required=True)
    where = graphene.String()
    why = graphene.String()


def _obj(cls, data):
    return cls(**data) if data is not None else None


class TracePublic(graphene.ObjectType):
    """What anyone who scans a package may see (the trace page's fields)."""

    code = graphene.String(required=True)
    url = graphene.String(required=True)
    product = graphene.String(required=True)
    variant = graphene.String()
    gtin = graphene.String()
    producer = graphene.Field(TraceProducer, required=True)
    origins = graphene.List(graphene.NonNull(TraceOrigin), required=True)
    certifications = graphene.List(graphene.NonNull(TraceCertification), required=True)
    inspections = graphene.List(graphene.NonNull(TraceInspection), required=True)
    grade = graphene.String(required=True)
    grade_criteria = graphene.String()
    lot = graphene.String(required=True)
    net_weight_kg = graphene.Float(required=True)
    packed_at = graphene.DateTime(required=True)
    disposition = graphene.Field(DispositionEnum, required=True)
    disposition_display = graphene.String(required=True)
    scan_count = graphene.Int(required=True)
    first_scanned_at = graphene.DateTime()
    recall = graphene.Field(TraceRecall)
    journey = graphene.List(graphene.NonNull(TraceStep), required=True)
    chain = graphene.List(graphene.NonNull(TraceChainEntry), required=True,
                          description="Farm inputs, processing steps and cold-chain logs.")

    @staticmethod
    def from_view(data: dict) -> TracePublic:
        return TracePublic(
            **{k: v for k, v in data.items() if k not in {
                "producer", "origins", "certifications", "inspections", "recall", "journey",
                "net_weight_kg", "chain"}},
            chain=[TraceChainEntry(**c) for c in data.get("chain", [])],
            net_weight_kg=float(data["net_weight_kg"]),
            producer=TraceProducer(**data["producer"]),
            origins=[TraceOrigin(lot=o["lot"], harvested_on=o["harvested_on"],
                                 household=_obj(TraceHousehold, o["household"]),
                                 base=_obj(TraceBase, o["base"] and {
                                     **o["base"], "area_mu": float(o["base"]["area_mu"])}))
                     for o in data["origins"]],
            certifications=[TraceCertification(**c) for c in data["certifications"]],
            inspections=[TraceInspection(**i) for i in data["inspections"]],
            recall=_obj(TraceRecall, data["recall"]),
            journey=[TraceStep(**s) for s in data["journey"]],
        )
