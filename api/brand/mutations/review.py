"""The brand authority's review of applications (never of its own members' ones), the
public notice that follows an approval, the objections lodged against it, and the grant."""

from __future__ import annotations

import graphene

from api.core.ids import to_global_id
from brand import models
from brand import services as brand_services

from .. import types
from ..permissions import require_authority
from .base import BrandMutation, get_instance


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
