"""Licence applications, on the applicant's side: drafting, documents, submitting and
withdrawing."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop import validators
from shop.errors import field_error
from shop.models import Organization
from shop.notifications import notify
from shop.uploads import check_document, save_upload

from ..error_codes import BrandErrorCode as E
from ..models import (
    ApplicationDocument,
    BrandCategory,
    LicenceApplication,
    PublicNotice,
    RegionalBrand,
)
from .common import (
    LICENSEE_KINDS,
    AEvent,
    Status,
    app_event,
    clean_count,
    clean_decimal,
    clean_text,
    close_notice,
    lock_application,
    require_member,
    require_status,
)
from .coverage import ancestry, category_parents, clean_scope

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Free text (bases, notes): a few pages at most.
TEXT_LIMIT = 4000


@transaction.atomic
def create_application(brand: RegionalBrand, applicant: Organization, user, *,
                       categories=(), products=(), grades: str = "", bases: str = "",
                       estimated_annual_volume_kg=0, requested_label_quota: int = 0,
                       note: str = "") -> LicenceApplication:
    """A draft application of ``applicant`` to use ``brand``."""
    require_member(user, applicant.pk)
    if not brand.is_active:
        raise field_error("brand", _("This brand does not take applications."), E.INVALID)
    if applicant.kind not in LICENSEE_KINDS or not applicant.is_active:
        raise field_error("organization", _("Only cooperatives and enterprises can apply for a "
                                            "licence."), E.INVALID)
    categories, products = clean_scope(brand, applicant, categories, products)
    application = LicenceApplication.objects.create(
        brand=brand, applicant=applicant, created_by=user, grades=clean_text(grades, "grades", 128),
        bases=clean_text(bases, "bases", TEXT_LIMIT), note=clean_text(note, "note", TEXT_LIMIT),
        estimated_annual_volume_kg=clean_decimal(estimated_annual_volume_kg,
                                                 "estimated_annual_volume_kg"),
        requested_label_quota=clean_count(requested_label_quota, "requested_label_quota"),
    )
    application.categories.set(categories)
    application.products.set(products)
    app_event(application, AEvent.CREATED, user)
    return application


@transaction.atomic
def update_application(application: LicenceApplication, user, **changes) -> LicenceApplication:
    """Change a draft: any of categories, products, grades, bases,
    estimated_annual_volume_kg, requested_label_quota, note."""
    application = lock_application(application)
    require_member(user, application.applicant_id)
    require_status(application, Status.DRAFT)
    if "categories" in changes or "products" in changes:
        categories, products = clean_scope(
            application.brand, application.applicant,
            changes["categories"] if "categories" in changes else application.categories.all(),
            changes["products"] if "products" in changes else application.products.all())
        application.categories.set(categories)
        application.products.set(products)
    for field, limit in (("grades", 128), ("bases", TEXT_LIMIT), ("note", TEXT_LIMIT)):
        if field in changes:
            setattr(application, field, clean_text(changes[field], field, limit))
    if "estimated_annual_volume_kg" in changes:
        application.estimated_annual_volume_kg = clean_decimal(
            changes["estimated_annual_volume_kg"], "estimated_annual_volume_kg")
    if "requested_label_quota" in changes:
        application.requested_label_quota = clean_count(changes["requested_label_quota"],
                                                        "requested_label_quota")
    application.save()
    app_event(application, AEvent.UPDATED, user, fields=sorted(changes))
    return application


@transaction.atomic
def add_application_document(application: LicenceApplication, user, *, kind: str, file,
                             title: str = "", number: str = "", issued_on: date | None = None,
                             valid_until: date | None = None) -> ApplicationDocument:
    """Attach a document while the application is a draft or being reviewed. An expired
    document is refused."""
    application = lock_application(application)
    require_member(user, application.applicant_id)
    require_status(application, Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW,
                   Status.ONSITE_CHECK)
    if kind not in ApplicationDocument.Kind.values:
        raise field_error("kind", _("Unknown kind of document."), E.INVALID)
    if file is None:
        raise field_error("file", _("Upload the document."), E.REQUIRED)
    file_kind = check_document(file, "file", E.INVALID, max_bytes=MAX_DOCUMENT_BYTES,
                               too_large_code=E.FILE_TOO_LARGE)
    today = timezone.localdate()
    if valid_until is not None and valid_until < today:
        raise field_error("valid_until", _("This document expired on %(date)s; upload a valid one.")
                          % {"date": valid_until.isoformat()}, E.DOCUMENT_EXPIRED)
    if issued_on is not None and issued_on > today:
        raise field_error("issued_on", _("The issue date is in the future."), E.INVALID)
    if issued_on is not None:
        validators.clean_date(issued_on, "issued_on", E.INVALID, earliest=date(1990, 1, 1))
    if valid_until is not None:
        validators.clean_date(valid_until, "valid_until", E.INVALID)
    document = ApplicationDocument(
        application=application, kind=kind, title=clean_text(title, "title", 128),
        number=clean_text(number, "number", 64), issued_on=issued_on,
        valid_until=valid_until, uploaded_by=user)
    save_upload(document.file, file, file_kind)
    document.save()
    app_event(application, AEvent.DOCUMENT_ADDED, user, document=document.pk, kind=kind)
    return document


def check_documents(application: LicenceApplication):
    today = timezone.localdate()
    documents = list(application.documents.all())
    for document in documents:
        if document.valid_until is not None and document.valid_until < today:
            raise field_error("documents",
                              _("%(document)s expired on %(date)s; upload a valid one.")
                              % {"document": document.title or document.get_kind_display(),
                                 "date": document.valid_until.isoformat()}, E.DOCUMENT_EXPIRED)
    kinds = {d.kind for d in documents}
    if ApplicationDocument.Kind.BUSINESS_LICENCE not in kinds:
        raise field_error("documents", _("Upload the business licence."), E.DOCUMENT_MISSING)
    parents = category_parents()
    scope = set(application.categories.values_list("pk", flat=True)) | set(
        application.products.values_list("category_id", flat=True))
    standards = list(BrandCategory.objects.filter(brand_id=application.brand_id))
    for standard in standards:
        if not any(standard.category_id in ancestry(c, parents) for c in scope):
            continue
        if (standard.requires_sc_certificate
                and ApplicationDocument.Kind.SC_CERTIFICATE not in kinds):
            raise field_error("documents", _("Products of %(category)s need an SC food "
                                             "production licence.")
                              % {"category": standard.category.name},
                              E.DOCUMENT_MISSING)
        if standard.max_inspection_age_days is not None:
            since = today - timedelta(days=standard.max_inspection_age_days)
            if not any(d.kind == ApplicationDocument.Kind.INSPECTION_REPORT and d.issued_on
                       and d.issued_on >= since for d in documents):
                raise field_error("documents", _("Products of %(category)s need an inspection "
                                                 "report from the last %(days)s days.")
                                  % {"category": standard.category.name,
                                     "days": standard.max_inspection_age_days}, E.DOCUMENT_MISSING)


@transaction.atomic
def submit_application(application: LicenceApplication, user) -> LicenceApplication:
    """Send a draft to the authority: it needs a scope, the business licence, the documents
    the covered categories' standards ask for, and none of them expired."""
    application = lock_application(application)
    require_member(user, application.applicant_id)
    require_status(application, Status.DRAFT)
    if not application.categories.exists() and not application.products.exists():
        raise field_error("products", _("Name the products or categories the brand is for."),
                          E.REQUIRED)
    check_documents(application)
    application.status = Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at"])
    app_event(application, AEvent.SUBMITTED, user)
    notify(application.brand.authority, "application_submitted",
           lambda: _("New brand licence application from %(org)s")
           % {"org": application.applicant.name},
           reference=f"application:{application.pk}")
    return application


@transaction.atomic
def withdraw_application(application: LicenceApplication, user, *,
                         reason: str = "") -> LicenceApplication:
    application = lock_application(application)
    require_member(user, application.applicant_id)
    if application.is_closed:
        require_status(application)
    application.status = Status.WITHDRAWN
    application.save(update_fields=["status"])
    for notice in application.notices.filter(status=PublicNotice.Status.OPEN):
        close_notice(notice)
    app_event(application, AEvent.WITHDRAWN, user, (reason or "").strip())
    return application
