"""Requests for information (补充材料) during the review: the brand authority asks the
applicant a question, the applicant answers in text, with a document when one is asked
for (the document rules are ``add_application_document``'s). The application keeps its
status: an unanswered question is what shows it waits on the applicant, and the authority
cannot approve it until every question is answered (``review.check_no_open_question``) or
withdrawn: the authority withdraws a question it asked by mistake, with its reason, as
long as it is not answered.

The other side is told after the commit, through ``shop.outbox`` and the task
``brand.tasks.notify_question``, once per question and step (the question row records
when each side was told; the applicant is told of a withdrawal too)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop import outbox
from shop.errors import field_error
from shop.notifications import notify

from ..error_codes import BrandErrorCode as E
from ..models import ApplicationDocument, ApplicationQuestion, LicenceApplication
from .applications import TEXT_LIMIT, add_application_document
from .common import (
    AEvent,
    Status,
    app_event,
    clean_text,
    lock_application,
    require_authority,
    require_member,
    require_status,
)

# While the authority reviews (before it approves, rejects or the applicant withdraws),
# it may ask and the applicant may answer.
QUESTION_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.ONSITE_CHECK)
ASKED, ANSWERED, WITHDRAWN = "asked", "answered", "withdrawn"
NOTIFY_TASK = "brand.tasks.notify_question"


def _required_text(value, field, limit):
    value = clean_text(value, field, limit)
    if not value:
        raise field_error(field, _("This field is required."), E.REQUIRED)
    return value


@transaction.atomic
def ask_question(application: LicenceApplication, user, *, question: str) -> ApplicationQuestion:
    """The authority asks the applicant for information; the applicant is told."""
    application = lock_application(application)
    require_authority(user, application.brand, application)
    require_status(application, *QUESTION_STATUSES)
    question = ApplicationQuestion.objects.create(
        application=application, question=_required_text(question, "question", TEXT_LIMIT),
        asked_by=user)
    app_event(application, AEvent.INFORMATION_REQUESTED, user, question.question,
              question=question.pk)
    outbox.enqueue(NOTIFY_TASK, {"question_id": question.pk, "step": ASKED})
    return question


def _check_open(question: ApplicationQuestion) -> None:
    if question.withdrawn_at is not None:
        raise field_error(None, _("The brand authority withdrew this question on %(day)s.")
                          % {"day": timezone.localtime(question.withdrawn_at)
                             .strftime("%Y-%m-%d")}, E.INVALID_STATUS)
    if question.answered_at is not None:
        raise field_error(None, _("This question has already been answered."),
                          E.INVALID_STATUS)


@transaction.atomic
def answer_question(question: ApplicationQuestion, user, *, answer: str, file=None,
                    document_kind: str = ApplicationDocument.Kind.OTHER,
                    document_title: str = "") -> ApplicationQuestion:
    """A member of the applicant answers, once, with an optional document; the authority
    is told."""
    question = (ApplicationQuestion.objects.select_for_update()
                .get(pk=question.pk))
    application = lock_application(question.application)
    require_member(user, application.applicant_id)
    require_status(application, *QUESTION_STATUSES)
    _check_open(question)
    answer = _required_text(answer, "answer", TEXT_LIMIT)
    document = None
    if file is not None:
        document = add_application_document(
            application, user, kind=document_kind, file=file,
            title=document_title or _("Answer to the brand authority"))
    question.answer = answer
    question.answered_by = user
    question.answered_at = timezone.now()
    question.document = document
    question.save(update_fields=["answer", "answered_by", "answered_at", "document"])
    app_event(application, AEvent.INFORMATION_PROVIDED, user, answer, question=question.pk,
              document=document.pk if document else None)
    outbox.enqueue(NOTIFY_TASK, {"question_id": question.pk, "step": ANSWERED})
    return question


@transaction.atomic
def withdraw_question(question: ApplicationQuestion, user, *,
                      reason: str) -> ApplicationQuestion:
    """The authority withdraws a question it should not have asked, before it is answered,
    saying why; the review no longer waits on it and the applicant is told."""
    # Locked in answer_question's order (question, then application): an answer and a
    # withdrawal of the same question do not both succeed.
    question = ApplicationQuestion.objects.select_for_update().get(pk=question.pk)
    application = lock_application(question.application)
    require_authority(user, application.brand, application)
    require_status(application, *QUESTION_STATUSES)
    _check_open(question)
    question.withdrawal_reason = _required_text(reason, "reason", TEXT_LIMIT)
    question.withdrawn_by = user
    question.withdrawn_at = timezone.now()
    question.save(update_fields=["withdrawal_reason", "withdrawn_by", "withdrawn_at"])
    app_event(application, AEvent.INFORMATION_WITHDRAWN, user, question.withdrawal_reason,
              question=question.pk)
    outbox.enqueue(NOTIFY_TASK, {"question_id": question.pk, "step": WITHDRAWN})
    return question


@transaction.atomic
def notify_question(question_id: int, step: str) -> bool:
    """Tell the applicant of a question (``asked``) or of its withdrawal (``withdrawn``),
    or the authority of its answer (``answered``), unless it was done already. Returns
    whether it was sent now."""
    question = (ApplicationQuestion.objects.select_for_update(of=("self",))
                .select_related("application__brand__authority", "application__applicant")
                .filter(pk=question_id).first())
    if question is None:
        return False
    application = question.application
    reference = f"application:{application.pk}"
    if step == ASKED and question.asked_notice_at is None:
        notify(application.applicant, "information_requested",
               lambda: _("The brand authority asks for information on your application to "
                         "%(brand)s") % {"brand": application.brand.name}, question.question,
               reference=reference)
        question.asked_notice_at = timezone.now()
        question.save(update_fields=["asked_notice_at"])
        return True
    if step == ANSWERED and question.answered_at and question.answer_notice_at is None:
        notify(application.brand.authority, "information_provided",
               lambda: _("%(org)s answered your question on its application")
               % {"org": application.applicant.name}, question.answer, reference=reference)
        question.answer_notice_at = timezone.now()
        question.save(update_fields=["answer_notice_at"])
        return True
    if step == WITHDRAWN and question.withdrawn_at and question.withdrawn_notice_at is None:
        notify(application.applicant, "information_request_withdrawn",
               lambda: _("The brand authority withdrew its question on your application to "
                         "%(brand)s; no answer is needed") % {"brand": application.brand.name},
               lambda: _("Question: %(question)s\nWhy it was withdrawn: %(reason)s")
               % {"question": question.question, "reason": question.withdrawal_reason},
               reference=reference)
        question.withdrawn_notice_at = timezone.now()
        question.save(update_fields=["withdrawn_notice_at"])
        return True
    return False
