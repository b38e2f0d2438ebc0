"""Grade standards and grading records (input lots into graded lots plus loss)."""

from __future__ import annotations

import graphene

from api.core.scalars import PositiveDecimal
from catalog.models import Product
from shop.models import Organization
from supplychain import models, services

from .. import types
from .base import SupplyChainMutation, get_instance, owned


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
