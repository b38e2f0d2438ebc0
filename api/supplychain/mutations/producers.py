"""Producers: a cooperative's or enterprise's registration, its households, bases and
their certifications."""

from __future__ import annotations

import graphene

from api.core.scalars import PositiveDecimal
from shop.models import Organization
from supplychain import models, services

from .. import types
from .base import SupplyChainMutation, owned


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
