"""The applicant's side of a licence application: drafting it, attaching documents,
submitting and withdrawing it. Applicants act on their own organisation's applications."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphene_file_upload.scalars import Upload

from api.core.permissions import AUTHENTICATED, current_user, require_member
from brand import models
from brand import services as brand_services
from catalog.models import Category, Product
from shop.models import Organization

from .. import types
from .base import E, BrandMutation, get_instance, get_many


class LicenceApplicationInput(graphene.InputObjectType):
    categories = graphene.List(graphene.NonNull(graphene.ID))
    products = graphene.List(graphene.NonNull(graphene.ID))
    grades = graphene.String(description="Grades to be labelled, e.g. 特级, 一级.")
    bases = graphene.String(description="Production bases: names, places, areas.")
    estimated_annual_volume_kg = graphene.Decimal()
    requested_label_quota = graphene.Int()
    note = graphene.String()


class LicenceApplicationCreateInput(LicenceApplicationInput):
    brand = graphene.ID(required=True, description="The regional brand applied for.")
    organization = graphene.ID(description="The applicant; defaults to your only one.")


def _scope(input) -> dict:
    changes = {}
    if "categories" in input:
        changes["categories"] = get_many(Category, input["categories"], "Category",
                                         "categories")
    if "products" in input:
        changes["products"] = get_many(Product, input["products"], "Product", "products")
    for field in ("grades", "bases", "note", "estimated_annual_volume_kg",
                  "requested_label_quota"):
        if field in input and input[field] is not None:
            changes[field] = input[field]
    return changes


class LicenceApplicationCreate(BrandMutation):
    application = graphene.Field(types.LicenceApplication)

    class Arguments:
        input = LicenceApplicationCreateInput(required=True)

    class Meta:
        description = "Starts a draft application to use a regional brand."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        user = current_user(info)
        brand = get_instance(models.RegionalBrand, input["brand"], "RegionalBrand", "brand",
                             is_active=True)
        if input.get("organization"):
            organization = get_instance(Organization, input["organization"], "Organization",
                                        "organization")
        else:
            organizations = Organization.objects.filter(pk__in=user.organization_ids())
            if organizations.count() != 1:
                raise ValidationError({"organization": ValidationError(
                    _("Choose the organisation that applies."), code=E.REQUIRED.value)})
            organization = organizations.get()
        require_member(info, organization.pk)
        application = brand_services.create_application(brand, organization, user,
                                                        **_scope(input))
        return cls(application=application)


def _own_application(info, global_id, field="id"):
    application = get_instance(models.LicenceApplication, global_id, "LicenceApplication",
                               field)
    return application, require_member(info, application.applicant_id)


class LicenceApplicationUpdate(BrandMutation):
    application = graphene.Field(types.LicenceApplication)

    class Arguments:
        id = graphene.ID(required=True)
        input = LicenceApplicationInput(required=True)

    class Meta:
        description = "Changes a draft application."

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        application, user = _own_application(info, id)
        return cls(application=brand_services.update_application(application, user,
                                                                 **_scope(input)))


class ApplicationDocumentInput(graphene.InputObjectType):
    kind = types.ApplicationDocumentKindEnum(required=True)
    title = graphene.String()
    number = graphene.String(description="Certificate or report number.")
    issued_on = graphene.Date()
    valid_until = graphene.Date()


class LicenceApplicationDocumentAdd(BrandMutation):
    application = graphene.Field(types.LicenceApplication)
    document = graphene.Field(types.ApplicationDocument)

    class Arguments:
        application = graphene.ID(required=True)
        input = ApplicationDocumentInput(required=True)
        file = Upload(required=True, description="The document (multipart request).")

    class Meta:
        description = "Uploads a document (business licence, SC certificate, report...)."

    @classmethod
    def perform_mutation(cls, _root, info, application, input, file):
        app, user = _own_application(info, application, "application")
        document = brand_services.add_application_document(
            app, user, kind=getattr(input["kind"], "value", input["kind"]), file=file,
            title=input.get("title") or "", number=input.get("number") or "",
            issued_on=input.get("issued_on"), valid_until=input.get("valid_until"))
        return cls(application=document.application, document=document)


class LicenceApplicationSubmit(BrandMutation):
    application = graphene.Field(types.LicenceApplication)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Sends a draft application to the brand authority."

    @classmethod
    def perform_mutation(cls, _root, info, id):
        application, user = _own_application(info, id)
        return cls(application=brand_services.submit_application(application, user))


class LicenceApplicationWithdraw(BrandMutation):
    application = graphene.Field(types.LicenceApplication)

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String()

    class Meta:
        description = "Withdraws an application that has not been decided."

    @classmethod
    def perform_mutation(cls, _root, info, id, reason=""):
        application, user = _own_application(info, id)
        return cls(application=brand_services.withdraw_application(application, user,
                                                                   reason=reason))
