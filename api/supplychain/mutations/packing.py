"""Packing runs (one trace code per package) and their printable label sheets."""

from __future__ import annotations

import graphene

from api.core.scalars import PositiveDecimal
from catalog.models import ProductVariant
from shop.models import Warehouse
from supplychain import models, services

from .. import types
from .base import SupplyChainMutation, get_instance, owned


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
