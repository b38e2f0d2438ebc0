"""Requests for information during the review: the brand authority asks (never on its own
members' applications) or withdraws an unanswered question, a member of the applicant
answers, with a document if asked for."""

from __future__ import annotations

import graphene
from graphene_file_upload.scalars import Upload

from api.core.permissions import require_member
from brand import models
from brand import services as brand_services

from .. import types
from ..permissions import require_authority
from .base import BrandMutation, get_instance


class LicenceApplicationQuestionAsk(BrandMutation):
    application = graphene.Field(types.LicenceApplication)
    question = graphene.Field(types.LicenceApplicationQuestion)

    class Arguments:
        application = graphene.ID(required=True)
        question = graphene.String(required=True, description="What the applicant should "
                                                              "tell or send.")

    class Meta:
        description = ("The brand authority asks the applicant for information on an "
                       "application it reviews; the applicant is notified.")

    @classmethod
    def perform_mutation(cls, _root, info, application, question):
        target = get_instance(models.LicenceApplication, application, "LicenceApplication",
                              "application")
        user = require_authority(info, target.brand, target)
        asked = brand_services.ask_question(target, user, question=question)
        return cls(application=asked.application, question=asked)


class LicenceApplicationQuestionAnswer(BrandMutation):
    application = graphene.Field(types.LicenceApplication)
    question = graphene.Field(types.LicenceApplicationQuestion)

    class Arguments:
        id = graphene.ID(required=True, description="The question answered.")
        answer = graphene.String(required=True)
        file = Upload(description="A document sent with the answer (multipart request).")
        document_kind = types.ApplicationDocumentKindEnum(
            description="What the document is; default OTHER.")
        document_title = graphene.String()

    class Meta:
        description = ("A member of the applicant answers the brand authority's question, "
                       "once; the authority is notified.")

    @classmethod
    def perform_mutation(cls, _root, info, id, answer, file=None, document_kind=None,
                         document_title=""):
        question = get_instance(models.ApplicationQuestion, id, "LicenceApplicationQuestion")
        user = require_member(info, question.application.applicant_id)
        kind = getattr(document_kind, "value", document_kind) or \
            models.ApplicationDocument.Kind.OTHER
        answered = brand_services.answer_question(
            question, user, answer=answer, file=file, document_kind=kind,
            document_title=document_title or "")
        return cls(application=answered.application, question=answered)


class LicenceApplicationQuestionWithdraw(BrandMutation):
    application = graphene.Field(types.LicenceApplication)
    question = graphene.Field(types.LicenceApplicationQuestion)

    class Arguments:
        id = graphene.ID(required=True, description="The question withdrawn.")
        reason = graphene.String(required=True, description="Why it should not have been "
                                                            "asked; the applicant reads it.")

    class Meta:
        description = ("The brand authority withdraws a question it asked, before it is "
                       "answered: approval no longer waits on it and the applicant is "
                       "notified.")

    @classmethod
    def perform_mutation(cls, _root, info, id, reason):
        question = get_instance(models.ApplicationQuestion, id, "LicenceApplicationQuestion")
        application = question.application
        user = require_authority(info, application.brand, application)
        withdrawn = brand_services.withdraw_question(question, user, reason=reason)
        return cls(application=withdrawn.application, question=withdrawn)


class LicenceRenewalRequest(BrandMutation):
    licence = graphene.Field(types.Licence)

    class Arguments:
        licence = graphene.ID(required=True)
        message = graphene.String(description="A word to the brand authority.")

    class Meta:
        description = ("The licensee asks the brand authority to renew its licence (in its "
                       "last 90 days or once expired); the authority is notified.")

    @classmethod
    def perform_mutation(cls, _root, info, licence, message=""):
        target = get_instance(models.Licence, licence, "Licence", "licence")
        user = require_member(info, target.licensee_id)
        return cls(licence=brand_services.request_renewal(target, user, message=message or ""))
