"""Brand mutations in the project's (Saleor's) shape, by concern: the applicant's
applications, the authority's review with its public notice and objections, licences,
violations. Each one finds its objects, checks the caller's permission
(``api.brand.permissions``: applicants act on their own organisation's applications, the
brand authority decides, never on its own members' ones), calls ONE service and shapes the
result; bad input comes back as ``errors { field code message }`` and changes nothing."""

import graphene

from .applications import (
    LicenceApplicationCreate,
    LicenceApplicationDocumentAdd,
    LicenceApplicationSubmit,
    LicenceApplicationUpdate,
    LicenceApplicationWithdraw,
)
from .base import BrandError, BrandErrorCode, BrandMutation
from .licences import (
    LicenceDecision,
    LicenceReinstate,
    LicenceRenew,
    LicenceRevoke,
    LicenceSuspend,
    LicenceUsageReportSubmit,
)
from .questions import (
    LicenceApplicationQuestionAnswer,
    LicenceApplicationQuestionAsk,
    LicenceApplicationQuestionWithdraw,
    LicenceRenewalRequest,
)
from .review import (
    LicenceApplicationApprove,
    LicenceApplicationReject,
    LicenceApplicationRequestOnsiteCheck,
    LicenceApplicationStartReview,
    LicenceGrant,
    ObjectionLodge,
    ObjectionResolve,
)
from .violations import ViolationRecord


class BrandMutations(graphene.ObjectType):
    licence_application_create = LicenceApplicationCreate.Field()
    licence_application_update = LicenceApplicationUpdate.Field()
    licence_application_document_add = LicenceApplicationDocumentAdd.Field()
    licence_application_submit = LicenceApplicationSubmit.Field()
    licence_application_withdraw = LicenceApplicationWithdraw.Field()
    licence_application_start_review = LicenceApplicationStartReview.Field()
    licence_application_request_onsite_check = LicenceApplicationRequestOnsiteCheck.Field()
    licence_application_question_ask = LicenceApplicationQuestionAsk.Field()
    licence_application_question_answer = LicenceApplicationQuestionAnswer.Field()
    licence_application_question_withdraw = LicenceApplicationQuestionWithdraw.Field()
    licence_application_approve = LicenceApplicationApprove.Field()
    licence_application_reject = LicenceApplicationReject.Field()
    licence_grant = LicenceGrant.Field()
    objection_lodge = ObjectionLodge.Field()
    objection_resolve = ObjectionResolve.Field()
    licence_suspend = LicenceSuspend.Field()
    licence_reinstate = LicenceReinstate.Field()
    licence_revoke = LicenceRevoke.Field()
    licence_renew = LicenceRenew.Field()
    licence_renewal_request = LicenceRenewalRequest.Field()
    violation_record = ViolationRecord.Field()
    licence_usage_report_submit = LicenceUsageReportSubmit.Field()


__all__ = [
    "BrandError", "BrandErrorCode", "BrandMutation", "BrandMutations", "LicenceApplicationApprove",
    "LicenceApplicationCreate", "LicenceApplicationDocumentAdd", "LicenceApplicationQuestionAnswer",
    "LicenceApplicationQuestionAsk", "LicenceApplicationQuestionWithdraw",
    "LicenceApplicationReject",
    "LicenceApplicationRequestOnsiteCheck", "LicenceApplicationStartReview",
    "LicenceApplicationSubmit", "LicenceApplicationUpdate", "LicenceApplicationWithdraw",
    "LicenceDecision", "LicenceGrant", "LicenceReinstate", "LicenceRenew",
    "LicenceRenewalRequest", "LicenceRevoke",
    "LicenceSuspend", "LicenceUsageReportSubmit", "ObjectionLodge", "ObjectionResolve",
    "ViolationRecord",
]
