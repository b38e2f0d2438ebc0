"""Violations found against a licence, with the warning, suspension or revocation that
answers them."""

from __future__ import annotations

import graphene

from brand import models
from brand import services as brand_services

from .. import types
from .base import BrandMutation, decided_licence


class ViolationInput(graphene.InputObjectType):
    source = types.ViolationSourceEnum(required=True)
    description = graphene.String(required=True)
    action = types.ViolationActionEnum(description="Default: recorded only.")
    reason = graphene.String(description="Required with a warning, suspension or revocation.")
    found_on = graphene.Date()


class ViolationRecord(BrandMutation):
    violation = graphene.Field(types.Violation)
    licence = graphene.Field(types.Licence)

    class Arguments:
        licence = graphene.ID(required=True)
        input = ViolationInput(required=True)

    class Meta:
        description = "Records a violation and warns, suspends or revokes."

    @classmethod
    def perform_mutation(cls, _root, info, licence, input):
        target, user = decided_licence(info, licence, "licence")
        action = input.get("action")
        violation = brand_services.record_violation(
            target, user, source=getattr(input["source"], "value", input["source"]),
            description=input["description"],
            action=getattr(action, "value", action) or models.Violation.Action.NONE,
            reason=input.get("reason") or "", found_on=input.get("found_on"))
        return cls(violation=violation, licence=models.Licence.objects.get(pk=target.pk))
