"""Sourcing lots bought from households or bases, and their lab inspections."""

from __future__ import annotations

import graphene
from graphene_file_upload.scalars import Upload

from api.core.scalars import PositiveDecimal
from catalog.models import Product
from shop.models import Organization
from supplychain import models, services

from .. import types
from .base import SupplyChainMutation, get_instance, owned


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
