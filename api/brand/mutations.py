"""Brand mutations in the project's (Saleor's) shape. Each one finds its objects, checks the
caller's permission (``api.brand.permissions``: applicants act on their own organisation's
applications, the brand authority decides, never on its own members' ones), calls ONE
service and shapes the result; bad input comes back as ``errors { field code message }``
and changes nothing."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphene_file_upload.scalars import Upload

from api.core.ids import pk_from_global_id, to_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import AUTHENTICATED, current_user, require_member
from api.core.types import error_type
from brand import models
from brand import services as brand_services
from brand.error_codes import BrandErrorCode as BrandErrorCodeEnum
from catalog.models import Category, Product
from shop.models import Organization

from . import types
from .permissions import require_authority

BrandErrorCode = graphene.Enum.from_enum(BrandErrorCodeEnum)
BrandError = error_type("BrandError", BrandErrorCode)
E = BrandErrorCodeEnum


def get_instance(model, global_id: str, type_name: str, field: str = "id", **filters):
    pk = pk_from_global_id(global_id, type_name, field)
    instance = model.objects.filter(pk=pk, **filters).first()
    if instance is None:
        raise ValidationError({field: ValidationError(
            _("Couldn't resolve to a node: %(id)s") % {"id": global_id},
            code=E.NOT_FOUND.value)})
    return instance


def get_many(model, global_ids, type_name: str, field: str):
    pks = [pk_from_global_id(gid, type_name, field) for gid in global_ids or []]
    found = model.objects.in_bulk(pks)
    missing = [gid for gid, pk in zip(global_ids or [], pks) if pk not in found]
    if missing:
        raise ValidationError({field: ValidationError(
            _("Couldn't resolve to a node: %(id)s") % {"id": missing[0]},
            code=E.NOT_FOUND.value)})
    return [found[pk] for pk in pks]


class BrandMutation(BaseMutation):
    error_type_class = BrandError
    error_code_enum = BrandErrorCodeEnum

    class Meta:
        abstract = True


# Applications (the applicant) --------------------------------------------------------------

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


# Applications (the authority) --------------------------------------------------------------

def _decided_application(info, global_id, field="id"):
    application = get_instance(models.LicenceApplication, global_id, "LicenceApplication",
                               field)
    return application, require_authority(info, application.brand, application)


class LicenceApplicationStartReview(BrandMutation):
    application = graphene.Field(types.LicenceApplication)

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String()

    class Meta:
        description = "The brand authority takes up a submitted application."

    @classmethod
    def perform_mutation(cls, _root, info, id, reason=""):
        application, user = _decided_application(info, id)
        return cls(application=brand_services.start_review(application, user, reason=reason))


class LicenceApplicationRequestOnsiteCheck(BrandMutation):
    application = graphene.Field(types.LicenceApplication)

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True, description="What will be checked, and when.")

    class Meta:
        description = "The brand authority plans an on-site check before deciding."

    @classmethod
    def perform_mutation(cls, _root, info, id, reason):
        application, user = _decided_application(info, id)
        return cls(application=brand_services.schedule_onsite_check(application, user,
                                                                    reason=reason))


class LicenceApplicationApprove(BrandMutation):
    application = graphene.Field(types.LicenceApplication)
    notice = graphene.Field(types.PublicNotice)

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String()
        label_quota = graphene.Int(description="Annual brand labels; default: as requested.")
        notice_days = graphene.Int(description="Length of the public notice (at least the "
                                               "brand's minimum).")

    class Meta:
        description = "Approves an application: its public notice opens."

    @classmethod
    def perform_mutation(cls, _root, info, id, reason="", label_quota=None, notice_days=None):
        application, user = _decided_application(info, id)
        notice = brand_services.approve_application(application, user, reason=reason,
                                                    label_quota=label_quota,
                                                    notice_days=notice_days)
        return cls(application=notice.application, notice=notice)


class LicenceApplicationReject(BrandMutation):
    application = graphene.Field(types.LicenceApplication)

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    class Meta:
        description = "Rejects an application, with reasons."

    @classmethod
    def perform_mutation(cls, _root, info, id, reason):
        application, user = _decided_application(info, id)
        return cls(application=brand_services.reject_application(application, user,
                                                                 reason=reason))


class LicenceGrant(BrandMutation):
    licence = graphene.Field(types.Licence)

    class Arguments:
        application = graphene.ID(required=True)
        reason = graphene.String()

    class Meta:
        description = ("Grants the licence of an approved application after its public "
                       "notice ended with no open objection.")

    @classmethod
    def perform_mutation(cls, _root, info, application, reason=""):
        app, user = _decided_application(info, application, "application")
        return cls(licence=brand_services.grant_licence(app, user, reason=reason))


# Objections --------------------------------------------------------------------------------

class ObjectionInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    contact = graphene.String(required=True, description="Phone number or e-mail.")
    reason = graphene.String(required=True)


class ObjectionLodge(BrandMutation):
    objection_id = graphene.ID()
    notice = graphene.Field(types.PublicNotice)

    class Arguments:
        notice = graphene.ID(required=True)
        input = ObjectionInput(required=True)

    class Meta:
        description = "Anyone objects to a public notice while it is open."

    @classmethod
    def perform_mutation(cls, _root, _info, notice, input):
        target = get_instance(models.PublicNotice, notice, "PublicNotice", "notice")
        objection = brand_services.lodge_objection(target, name=input["name"],
                                                   contact=input["contact"],
                                                   reason=input["reason"])
        return cls(objection_id=to_global_id("Objection", objection.pk),
                   notice=objection.notice)


class ObjectionResolve(BrandMutation):
    objection = graphene.Field(types.Objection)

    class Arguments:
        id = graphene.ID(required=True)
        uphold = graphene.Boolean(required=True,
                                  description="Upholding one against a proposed licence "
                                              "rejects the application.")
        resolution = graphene.String(required=True)

    class Meta:
        description = "The brand authority answers an objection."

    @classmethod
    def perform_mutation(cls, _root, info, id, uphold, resolution):
        objection = get_instance(models.Objection, id, "Objection")
        notice = objection.notice
        user = require_authority(info, notice.brand, notice.application)
        return cls(objection=brand_services.resolve_objection(objection, user, uphold=uphold,
                                                              resolution=resolution))


# Licences ----------------------------------------------------------------------------------

def _decided_licence(info, global_id, field="id"):
    licence = get_instance(models.Licence, global_id, "Licence", field)
    return licence, require_authority(info, licence.brand)


def _licence_decision(name, service, description, reason_required=True, **extra_args):
    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=reason_required)

    for arg, value in extra_args.items():
        setattr(Arguments, arg, value)

    def perform_mutation(cls, _root, info, id, reason="", **kwargs):
        licence, user = _decided_licence(info, id)
        return cls(licence=service(licence, user, reason=reason, **kwargs))

    meta = type("Meta", (), {"description": description})
    return type(name, (BrandMutation,), {
        "licence": graphene.Field(types.Licence), "Arguments": Arguments, "Meta": meta,
        "perform_mutation": classmethod(perform_mutation)})


LicenceSuspend = _licence_decision(
    "LicenceSuspend", brand_services.suspend_licence,
    "Suspends a licence: badge and brand labels stop at once.")
LicenceReinstate = _licence_decision(
    "LicenceReinstate", brand_services.reinstate_licence, "Puts a suspended licence back in force.")
LicenceRevoke = _licence_decision(
    "LicenceRevoke", brand_services.revoke_licence,
    "Revokes a licence at once and publishes the revocation.")
LicenceRenew = _licence_decision(
    "LicenceRenew", brand_services.renew_licence,
    "Extends a licence by the brand's validity (or `years`).", reason_required=False,
    years=graphene.Int())


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
        target, user = _decided_licence(info, licence, "licence")
        action = input.get("action")
        violation = brand_services.record_violation(
            target, user, source=getattr(input["source"], "value", input["source"]),
            description=input["description"],
            action=getattr(action, "value", action) or models.Violation.Action.NONE,
            reason=input.get("reason") or "", found_on=input.get("found_on"))
        return cls(violation=violation, licence=models.Licence.objects.get(pk=target.pk))


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


class BrandMutations(graphene.ObjectType):
    licence_application_create = LicenceApplicationCreate.Field()
    licence_application_update = LicenceApplicationUpdate.Field()
    licence_application_document_add = LicenceApplicationDocumentAdd.Field()
    licence_application_submit = LicenceApplicationSubmit.Field()
    licence_application_withdraw = LicenceApplicationWithdraw.Field()
    licence_application_start_review = LicenceApplicationStartReview.Field()
    licence_application_request_onsite_check = LicenceApplicationRequestOnsiteCheck.Field()
    licence_application_approve = LicenceApplicationApprove.Field()
    licence_application_reject = LicenceApplicationReject.Field()
    licence_grant = LicenceGrant.Field()
    objection_lodge = ObjectionLodge.Field()
    objection_resolve = ObjectionResolve.Field()
    licence_suspend = LicenceSuspend.Field()
    licence_reinstate = LicenceReinstate.Field()
    licence_revoke = LicenceRevoke.Field()
    licence_renew = LicenceRenew.Field()
    violation_record = ViolationRecord.Field()
    licence_usage_report_submit = LicenceUsageReportSubmit.Field()
