"""The life of a licence after its grant: the authority suspends, reinstates, revokes or
renews it; the licensee reports each year's use of the brand."""

from __future__ import annotations

import graphene

from api.core.permissions import require_member
from brand import models
from brand import services as brand_services

from .. import types
from .base import BrandMutation, decided_licence, get_instance


class LicenceDecision(BrandMutation):
    """The brand authority acts on a licence: one service call, with its reason.
    A subclass names the ``service`` and its ``Meta.description``."""

    licence = graphene.Field(types.Licence)

    service = None

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    class Meta:
        abstract = True

    @classmethod
    def perform_mutation(cls, _root, info, id, reason="", **kwargs):
        licence, user = decided_licence(info, id)
        return cls(licence=cls.service(licence, user, reason=reason, **kwargs))


class LicenceSuspend(LicenceDecision):
    service = staticmethod(brand_services.suspend_licence)

    class Meta:
        description = "Suspends a licence: badge and brand labels stop at once."


class LicenceReinstate(LicenceDecision):
    service = staticmethod(brand_services.reinstate_licence)

    class Meta:
        description = "Puts a suspended licence back in force."


class LicenceRevoke(LicenceDecision):
    service = staticmethod(brand_services.revoke_licence)

    class Meta:
        description = "Revokes a licence at once and publishes the revocation."


class LicenceRenew(LicenceDecision):
    service = staticmethod(brand_services.renew_licence)

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String()
        years = graphene.Int()

    class Meta:
        description = "Extends a licence by the brand's validity (or `years`)."


class UsageReportInput(graphene.InputObjectType):
    year = graphene.Int(required=True)
    volume_sold_kg = graphene.Decimal(required=True)
    sales_amount = graphene.Decimal(required=True, description="CNY.")
    codes_used = graphene.Int(required=True)
    note = graphene.String()


class LicenceUsageReportSubmit(BrandMutation):
    report = graphene.Field(types.UsageReport)

    class Arguments:
        licence = graphene.ID(required=True)
        input = UsageReportInput(required=True)

    class Meta:
        description = "The licensee reports a year's use of the brand."

    @classmethod
    def perform_mutation(cls, _root, info, licence, input):
        target = get_instance(models.Licence, licence, "Licence", "licence")
        user = require_member(info, target.licensee_id)
        report = brand_services.submit_usage_report(
            target, user, year=input["year"], volume_sold_kg=input["volume_sold_kg"],
            sales_amount=input["sales_amount"], codes_used=input["codes_used"],
            note=input.get("note") or "")
        return cls(report=report)
