"""Review by the brand authority: starting it, on-site checks, approval (which opens the
public notice) or rejection, and the objections anyone may lodge during the notice."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.errors import field_error
from shop.notifications import notify

from ..error_codes import BrandErrorCode as E
from ..models import ApplicationQuestion, LicenceApplication, Objection, PublicNotice
from .applications import check_documents
from .common import (
    AEvent,
    Status,
    app_event,
    clean_count,
    clean_reason,
    clean_text,
    close_notice,
    lock_application,
    notice_window,
    require_authority,
    require_status,
)


@transaction.atomic
def start_review(application: LicenceApplication, user, *, reason: str = "") -> LicenceApplication:
    application = lock_application(application)
    require_authority(user, application.brand, application)
    require_status(application, Status.SUBMITTED)
    application.status = Status.UNDER_REVIEW
    application.save(update_fields=["status"])
    app_event(application, AEvent.REVIEW_STARTED, user, (reason or "").strip())
    return application


@transaction.atomic
def schedule_onsite_check(application: LicenceApplication, user, *,
                          reason: str) -> LicenceApplication:
    """The authority visits the applicant's bases before deciding."""
    application = lock_application(application)
    require_authority(user, application.brand, application)
    require_status(application, Status.UNDER_REVIEW)
    reason = clean_reason(reason)
    application.status = Status.ONSITE_CHECK
    application.save(update_fields=["status"])
    app_event(application, AEvent.ONSITE_CHECK, user, reason)
    notify(application.applicant, "onsite_check", lambda: _("An on-site check is planned"),
           reason,
           reference=f"application:{application.pk}")
    return application


def open_question(application: LicenceApplication) -> ApplicationQuestion | None:
    """The oldest question still waiting on the applicant (neither answered nor
    withdrawn), if any."""
    return (ApplicationQuestion.objects.filter(application_id=application.pk,
                                               answered_at__isnull=True,
                                               withdrawn_at__isnull=True)
            .order_by("asked_at", "pk").first())


def check_no_open_question(application: LicenceApplication) -> None:
    """A request for information (补正) pauses the review: the application is approved only
    once the applicant has answered every question (or the authority rejects it)."""
    question = open_question(application)
    if question is not None:
        raise field_error(None, _("The applicant has not yet answered the question asked on "
                                  "%(day)s: %(question)s. Approve once it is answered, or "
                                  "reject the application.")
                          % {"day": timezone.localtime(question.asked_at).strftime("%Y-%m-%d"),
                             "question": question.question[:40]}, E.QUESTION_OPEN)


@transaction.atomic
def approve_application(application: LicenceApplication, user, *, reason: str = "",
                        label_quota: int | None = None,
                        notice_days: int | None = None) -> PublicNotice:
    """The authority approves: a public notice opens for the brand's notice period (at least
    five days). The licence is granted when it closes without an open objection. Refused
    while a question to the applicant is unanswered."""
    application = lock_application(application)
    require_authority(user, application.brand, application)
    require_status(application, Status.UNDER_REVIEW, Status.ONSITE_CHECK)
    # The application's row lock also orders this against answer_question.
    check_no_open_question(application)
    brand = application.brand
    quota = application.requested_label_quota or brand.default_label_quota
    if label_quota is not None:
        quota = clean_count(label_quota, "label_quota")
    if quota <= 0:
        raise field_error("label_quota", _("Give the licence an annual label quota."), E.REQUIRED)
    starts_at, ends_at = notice_window(brand, notice_days)
    check_documents(application)
    application.status = Status.PUBLIC_NOTICE
    application.approved_label_quota = quota
    application.decided_by = user
    application.decided_at = starts_at
    application.save(update_fields=["status", "approved_label_quota", "decided_by",
                                    "decided_at"])
    scope = "、".join([c.name for c in application.categories.all()]
                     + [p.name for p in application.products.all()])
    notice = PublicNotice.objects.create(
        brand=brand, kind=PublicNotice.Kind.GRANT, application=application,
        organization=application.applicant, published_by=user,
        title=_("Proposed licence of %(brand)s to %(org)s")
        % {"brand": brand.name, "org": application.applicant.name},
        body=_("Scope: %(scope)s. Grades: %(grades)s. Anyone may object until %(end)s.")
        % {"scope": scope, "grades": application.grades or "-",
           "end": timezone.localtime(ends_at).strftime("%Y-%m-%d %H:%M")},
        starts_at=starts_at, ends_at=ends_at)
    app_event(application, AEvent.APPROVED, user, (reason or "").strip(), notice=notice.pk,
              label_quota=quota, notice_ends_at=ends_at.isoformat())
    notify(application.applicant, "application_approved",
           lambda: _("Your application was approved; the public notice runs until %(end)s")
           % {"end": timezone.localtime(ends_at).strftime("%Y-%m-%d")},
           reference=f"application:{application.pk}")
    return notice


@transaction.atomic
def reject_application(application: LicenceApplication, user, *,
                       reason: str) -> LicenceApplication:
    """Refuse an application under review or in its public notice, with reasons."""
    application = lock_application(application)
    require_authority(user, application.brand, application)
    require_status(application, Status.SUBMITTED, Status.UNDER_REVIEW, Status.ONSITE_CHECK,
                   Status.PUBLIC_NOTICE)
    reason = clean_reason(reason)
    _reject(application, user, reason)
    return application


def _reject(application, user, reason):
    application.status = Status.REJECTED
    application.rejection_reason = reason
    application.decided_by = user
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    for notice in application.notices.filter(status=PublicNotice.Status.OPEN):
        close_notice(notice)
    app_event(application, AEvent.REJECTED, user, reason)
    notify(application.applicant, "application_rejected",
           lambda: _("Your brand licence application was rejected"), reason,
           reference=f"application:{application.pk}")


@transaction.atomic
def lodge_objection(notice: PublicNotice, *, name: str, contact: str,
                    reason: str) -> Objection:
    """Anyone may object while the notice is open."""
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    if not notice.is_open_for_objections():
        raise field_error(None, _("This public notice is closed; objections are no longer taken."),
                          E.NOTICE_CLOSED)
    fields = {}
    for field, value, limit in (("name", name, 64), ("contact", contact, 128),
                                ("reason", reason, 5000)):
        value = clean_text(value, field, limit)
        if not value:
            raise field_error(field, _("This field is required."), E.REQUIRED)
        fields[field] = value
    objection = Objection.objects.create(notice=notice, **fields)
    if notice.application_id:
        app_event(notice.application, AEvent.OBJECTION_LODGED, None, fields["reason"],
                  objection=objection.pk)
    notify(notice.brand.authority, "objection_lodged",
           lambda: _("An objection was lodged against: %(title)s") % {"title": notice.title},
           fields["reason"], reference=f"notice:{notice.pk}")
    return objection


@transaction.atomic
def resolve_objection(objection: Objection, user, *, uphold: bool,
                      resolution: str) -> Objection:
    """The authority answers an objection. Upholding one against a proposed licence rejects
    the application."""
    objection = Objection.objects.select_for_update(of=("self",)).select_related(
        "notice__brand", "notice__application").get(pk=objection.pk)
    notice = objection.notice
    require_authority(user, notice.brand, notice.application)
    if objection.status != Objection.Status.OPEN:
        raise field_error(None, _("This objection has already been answered."), E.INVALID_STATUS)
    resolution = clean_reason(resolution, "resolution")
    objection.status = Objection.Status.UPHELD if uphold else Objection.Status.DISMISSED
    objection.resolution = resolution
    objection.resolved_by = user
    objection.resolved_at = timezone.now()
    objection.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    application = notice.application
    if application is not None:
        app_event(application, AEvent.OBJECTION_RESOLVED, user, resolution,
                  objection=objection.pk, upheld=bool(uphold))
        if uphold and notice.kind == PublicNotice.Kind.GRANT:
            application = lock_application(application)
            if application.status == Status.PUBLIC_NOTICE:
                _reject(application, user, resolution)
    return objection
