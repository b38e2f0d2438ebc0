"""Services of the brand app: one function per business operation (see ARCHITECTURE.md).

Each runs in one transaction, takes the acting ``user`` explicitly and records an event
with who, when and why; bad input raises ``ValidationError`` with a ``BrandErrorCode`` and
changes nothing. Decisions are the brand authority's alone: the functions that decide check
it again (``PermissionDenied``) even though the API checks first.

Other apps call three functions: ``consume_label_quota`` (a packing run that issues
brand-labelled trace codes), ``licence_status_for`` (the trace page) and
``covering_licences`` (the product badge)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Category, Product
from shop.models import Organization
from shop.notifications import notify

from .error_codes import BrandErrorCode as E
from .models import (
    ApplicationDocument,
    ApplicationEvent,
    BrandCategory,
    ExpiryReminder,
    LabelUse,
    Licence,
    LicenceApplication,
    LicenceEvent,
    Objection,
    PublicNotice,
    RegionalBrand,
    UsageReport,
    Violation,
)

Status = LicenceApplication.Status
AEvent = ApplicationEvent.Type
LEvent = LicenceEvent.Type
LICENSEE_KINDS = (Organization.Kind.COOPERATIVE, Organization.Kind.ENTERPRISE)
REMINDER_DAYS = (60, 30, 7)


def error(field: str | None, message: str, code: E) -> ValidationError:
    err = ValidationError(message, code=code.value)
    return ValidationError({field: err}) if field else err


# Who may do what -------------------------------------------------------------------------

def is_authority_member(user, brand: RegionalBrand) -> bool:
    """Members of the brand's authority review and decide; nobody else (not operators)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return brand.authority_id in user.organization_ids()


def is_member(user, organization_id: int) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return organization_id in user.organization_ids()


def require_authority(user, brand: RegionalBrand, application: LicenceApplication | None = None):
    if not is_authority_member(user, brand):
        raise PermissionDenied(_("Only the brand authority's members can decide on licences."))
    if application is not None and is_member(user, application.applicant_id):
        raise PermissionDenied(_("You cannot decide on your own organisation's application."))


def require_member(user, organization_id: int):
    if not is_member(user, organization_id):
        raise PermissionDenied(_("You can only manage your own organisation's records"))


# Categories and coverage -----------------------------------------------------------------

def category_parents() -> dict[int, int | None]:
    """The category tree as ``{id: parent_id}`` (one query; the tree is small)."""
    return dict(Category.objects.values_list("pk", "parent_id"))


def ancestry(category_id: int | None, parents: dict[int, int | None]) -> list[int]:
    """``category_id`` and its ancestors, nearest first."""
    chain = []
    while category_id is not None and category_id not in chain:
        chain.append(category_id)
        category_id = parents.get(category_id)
    return chain


def _covers(category_ids: set[int], category_id, parents) -> bool:
    return any(c in category_ids for c in ancestry(category_id, parents))


def _brand_category_ids(brand: RegionalBrand) -> set[int]:
    return set(BrandCategory.objects.filter(brand=brand).values_list("category_id", flat=True))


def _clean_scope(brand, applicant, categories, products):
    """Categories and products of an application: each within the brand's categories,
    products the applicant's own."""
    categories = list(categories or [])
    products = list(products or [])
    for field, items in (("categories", categories), ("products", products)):
        pks = [item.pk for item in items]
        if len(set(pks)) != len(pks):
            raise error(field, _("The same item is listed twice."), E.DUPLICATED_INPUT_ITEM)
    covered = _brand_category_ids(brand)
    parents = category_parents()
    for category in categories:
        if not _covers(covered, category.pk, parents):
            raise error("categories", _("The brand %(brand)s does not cover the category "
                                        "%(category)s.")
                        % {"brand": brand.name, "category": category.name},
                        E.CATEGORY_NOT_COVERED)
    for product in products:
        if product.organization_id != applicant.pk:
            raise error("products", _("%(product)s is not your organisation's product.")
                        % {"product": product.name}, E.PRODUCT_NOT_OWNED)
        if not _covers(covered, product.category_id, parents):
            raise error("products", _("The brand %(brand)s does not cover the category of "
                                      "%(product)s.")
                        % {"brand": brand.name, "product": product.name},
                        E.CATEGORY_NOT_COVERED)
    return categories, products


def _clean_decimal(value, field, places="0.001") -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal(places))
    except (InvalidOperation, ValueError, TypeError):
        raise error(field, _("Enter a number."), E.INVALID) from None
    if number < 0:
        raise error(field, _("The value cannot be negative."), E.INVALID)
    return number


def _clean_count(value, field) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise error(field, _("Enter a whole number of zero or more."), E.INVALID)
    return value


def _reason(reason, field="reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise error(field, _("Give a reason."), E.REQUIRED)
    return reason


# Applications ----------------------------------------------------------------------------

def _app_event(application, type_, user=None, message="", **parameters):
    return ApplicationEvent.objects.create(application=application, type=type_, user=user,
                                           message=message, parameters=parameters)


def _lock_application(application) -> LicenceApplication:
    return LicenceApplication.objects.select_for_update().select_related("brand").get(
        pk=application.pk)


def _require_status(application, *allowed):
    if application.status not in allowed:
        raise error(None, _("The application is %(status)s; this cannot be done now.")
                    % {"status": application.get_status_display()}, E.INVALID_STATUS)


@transaction.atomic
def create_application(brand: RegionalBrand, applicant: Organization, user, *,
                       categories=(), products=(), grades: str = "", bases: str = "",
                       estimated_annual_volume_kg=0, requested_label_quota: int = 0,
                       note: str = "") -> LicenceApplication:
    """A draft application of ``applicant`` to use ``brand``."""
    require_member(user, applicant.pk)
    if not brand.is_active:
        raise error("brand", _("This brand does not take applications."), E.INVALID)
    if applicant.kind not in LICENSEE_KINDS or not applicant.is_active:
        raise error("organization", _("Only cooperatives and enterprises can apply for a "
                                      "licence."), E.INVALID)
    categories, products = _clean_scope(brand, applicant, categories, products)
    application = LicenceApplication.objects.create(
        brand=brand, applicant=applicant, created_by=user, grades=(grades or "").strip(),
        bases=(bases or "").strip(), note=(note or "").strip(),
        estimated_annual_volume_kg=_clean_decimal(estimated_annual_volume_kg,
                                                  "estimated_annual_volume_kg"),
        requested_label_quota=_clean_count(requested_label_quota, "requested_label_quota"),
    )
    application.categories.set(categories)
    application.products.set(products)
    _app_event(application, AEvent.CREATED, user)
    return application


@transaction.atomic
def update_application(application: LicenceApplication, user, **changes) -> LicenceApplication:
    """Change a draft: any of categories, products, grades, bases,
    estimated_annual_volume_kg, requested_label_quota, note."""
    application = _lock_application(application)
    require_member(user, application.applicant_id)
    _require_status(application, Status.DRAFT)
    if "categories" in changes or "products" in changes:
        categories, products = _clean_scope(
            application.brand, application.applicant,
            changes["categories"] if "categories" in changes else application.categories.all(),
            changes["products"] if "products" in changes else application.products.all())
        application.categories.set(categories)
        application.products.set(products)
    for field in ("grades", "bases", "note"):
        if field in changes:
            setattr(application, field, (changes[field] or "").strip())
    if "estimated_annual_volume_kg" in changes:
        application.estimated_annual_volume_kg = _clean_decimal(
            changes["estimated_annual_volume_kg"], "estimated_annual_volume_kg")
    if "requested_label_quota" in changes:
        application.requested_label_quota = _clean_count(changes["requested_label_quota"],
                                                         "requested_label_quota")
    application.save()
    _app_event(application, AEvent.UPDATED, user, fields=sorted(changes))
    return application


MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


@transaction.atomic
def add_application_document(application: LicenceApplication, user, *, kind: str, file,
                             title: str = "", number: str = "", issued_on: date | None = None,
                             valid_until: date | None = None) -> ApplicationDocument:
    """Attach a document while the application is a draft or being reviewed. An expired
    document is refused."""
    application = _lock_application(application)
    require_member(user, application.applicant_id)
    _require_status(application, Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW,
                    Status.ONSITE_CHECK)
    if kind not in ApplicationDocument.Kind.values:
        raise error("kind", _("Unknown kind of document."), E.INVALID)
    if file is None:
        raise error("file", _("Upload the document."), E.REQUIRED)
    if getattr(file, "size", 0) > MAX_DOCUMENT_BYTES:
        raise error("file", _("The file is larger than 10 MB."), E.FILE_TOO_LARGE)
    today = timezone.localdate()
    if valid_until is not None and valid_until < today:
        raise error("valid_until", _("This document expired on %(date)s; upload a valid one.")
                    % {"date": valid_until.isoformat()}, E.DOCUMENT_EXPIRED)
    if issued_on is not None and issued_on > today:
        raise error("issued_on", _("The issue date is in the future."), E.INVALID)
    document = ApplicationDocument.objects.create(
        application=application, kind=kind, title=(title or "").strip()[:128],
        number=(number or "").strip()[:64], issued_on=issued_on, valid_until=valid_until,
        file=file, uploaded_by=user)
    _app_event(application, AEvent.DOCUMENT_ADDED, user, document=document.pk, kind=kind)
    return document


def _check_documents(application: LicenceApplication):
    today = timezone.localdate()
    documents = list(application.documents.all())
    for document in documents:
        if document.valid_until is not None and document.valid_until < today:
            raise error("documents", _("%(document)s expired on %(date)s; upload a valid one.")
                        % {"document": document.title or document.get_kind_display(),
                           "date": document.valid_until.isoformat()}, E.DOCUMENT_EXPIRED)
    kinds = {d.kind for d in documents}
    if ApplicationDocument.Kind.BUSINESS_LICENCE not in kinds:
        raise error("documents", _("Upload the business licence."), E.DOCUMENT_MISSING)
    parents = category_parents()
    scope = set(application.categories.values_list("pk", flat=True)) | set(
        application.products.values_list("category_id", flat=True))
    standards = list(BrandCategory.objects.filter(brand_id=application.brand_id))
    for standard in standards:
        if not any(standard.category_id in ancestry(c, parents) for c in scope):
            continue
        if standard.requires_sc_certificate and ApplicationDocument.Kind.SC_CERTIFICATE not in kinds:
            raise error("documents", _("Products of %(category)s need an SC food production "
                                       "licence.") % {"category": standard.category.name},
                        E.DOCUMENT_MISSING)
        if standard.max_inspection_age_days is not None:
            since = today - timedelta(days=standard.max_inspection_age_days)
            if not any(d.kind == ApplicationDocument.Kind.INSPECTION_REPORT and d.issued_on
                       and d.issued_on >= since for d in documents):
                raise error("documents", _("Products of %(category)s need an inspection report "
                                           "from the last %(days)s days.")
                            % {"category": standard.category.name,
                               "days": standard.max_inspection_age_days}, E.DOCUMENT_MISSING)


@transaction.atomic
def submit_application(application: LicenceApplication, user) -> LicenceApplication:
    """Send a draft to the authority: it needs a scope, the business licence, the documents
    the covered categories' standards ask for, and none of them expired."""
    application = _lock_application(application)
    require_member(user, application.applicant_id)
    _require_status(application, Status.DRAFT)
    if not application.categories.exists() and not application.products.exists():
        raise error("products", _("Name the products or categories the brand is for."),
                    E.REQUIRED)
    _check_documents(application)
    application.status = Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at"])
    _app_event(application, AEvent.SUBMITTED, user)
    notify(application.brand.authority, "application_submitted",
           _("New brand licence application from %(org)s") % {"org": application.applicant.name},
           reference=f"application:{application.pk}")
    return application


@transaction.atomic
def start_review(application: LicenceApplication, user, *, reason: str = "") -> LicenceApplication:
    application = _lock_application(application)
    require_authority(user, application.brand, application)
    _require_status(application, Status.SUBMITTED)
    application.status = Status.UNDER_REVIEW
    application.save(update_fields=["status"])
    _app_event(application, AEvent.REVIEW_STARTED, user, (reason or "").strip())
    return application


@transaction.atomic
def schedule_onsite_check(application: LicenceApplication, user, *,
                          reason: str) -> LicenceApplication:
    """The authority visits the applicant's bases before deciding."""
    application = _lock_application(application)
    require_authority(user, application.brand, application)
    _require_status(application, Status.UNDER_REVIEW)
    reason = _reason(reason)
    application.status = Status.ONSITE_CHECK
    application.save(update_fields=["status"])
    _app_event(application, AEvent.ONSITE_CHECK, user, reason)
    notify(application.applicant, "onsite_check", _("An on-site check is planned"), reason,
           reference=f"application:{application.pk}")
    return application


def _notice_window(brand, notice_days):
    days = brand.notice_days if notice_days is None else notice_days
    if not isinstance(days, int) or days < brand.notice_days:
        raise error("notice_days", _("The public notice lasts at least %(days)s days.")
                    % {"days": brand.notice_days}, E.INVALID)
    start = timezone.now()
    return start, start + timedelta(days=days)


@transaction.atomic
def approve_application(application: LicenceApplication, user, *, reason: str = "",
                        label_quota: int | None = None,
                        notice_days: int | None = None) -> PublicNotice:
    """The authority approves: a public notice opens for the brand's notice period (at least
    five days). The licence is granted when it closes without an open objection."""
    application = _lock_application(application)
    require_authority(user, application.brand, application)
    _require_status(application, Status.UNDER_REVIEW, Status.ONSITE_CHECK)
    brand = application.brand
    quota = application.requested_label_quota or brand.default_label_quota
    if label_quota is not None:
        quota = _clean_count(label_quota, "label_quota")
    if quota <= 0:
        raise error("label_quota", _("Give the licence an annual label quota."), E.REQUIRED)
    starts_at, ends_at = _notice_window(brand, notice_days)
    _check_documents(application)
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
    _app_event(application, AEvent.APPROVED, user, (reason or "").strip(), notice=notice.pk,
               label_quota=quota, notice_ends_at=ends_at.isoformat())
    notify(application.applicant, "application_approved",
           _("Your application was approved; the public notice runs until %(end)s")
           % {"end": timezone.localtime(ends_at).strftime("%Y-%m-%d")},
           reference=f"application:{application.pk}")
    return notice


def _close_notice(notice: PublicNotice):
    if notice.status != PublicNotice.Status.CLOSED:
        notice.status = PublicNotice.Status.CLOSED
        notice.closed_at = timezone.now()
        notice.save(update_fields=["status", "closed_at"])


@transaction.atomic
def reject_application(application: LicenceApplication, user, *,
                       reason: str) -> LicenceApplication:
    """Refuse an application under review or in its public notice, with reasons."""
    application = _lock_application(application)
    require_authority(user, application.brand, application)
    _require_status(application, Status.SUBMITTED, Status.UNDER_REVIEW, Status.ONSITE_CHECK,
                    Status.PUBLIC_NOTICE)
    reason = _reason(reason)
    _reject(application, user, reason)
    return application


def _reject(application, user, reason):
    application.status = Status.REJECTED
    application.rejection_reason = reason
    application.decided_by = user
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    for notice in application.notices.filter(status=PublicNotice.Status.OPEN):
        _close_notice(notice)
    _app_event(application, AEvent.REJECTED, user, reason)
    notify(application.applicant, "application_rejected",
           _("Your brand licence application was rejected"), reason,
           reference=f"application:{application.pk}")


@transaction.atomic
def withdraw_application(application: LicenceApplication, user, *,
                         reason: str = "") -> LicenceApplication:
    application = _lock_application(application)
    require_member(user, application.applicant_id)
    if application.is_closed:
        _require_status(application)
    application.status = Status.WITHDRAWN
    application.save(update_fields=["status"])
    for notice in application.notices.filter(status=PublicNotice.Status.OPEN):
        _close_notice(notice)
    _app_event(application, AEvent.WITHDRAWN, user, (reason or "").strip())
    return application


# Public notices and objections -----------------------------------------------------------

@transaction.atomic
def lodge_objection(notice: PublicNotice, *, name: str, contact: str,
                    reason: str) -> Objection:
    """Anyone may object while the notice is open."""
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    if not notice.is_open_for_objections():
        raise error(None, _("This public notice is closed; objections are no longer taken."),
                    E.NOTICE_CLOSED)
    fields = {}
    for field, value, limit in (("name", name, 64), ("contact", contact, 128),
                                ("reason", reason, 5000)):
        value = (value or "").strip()
        if not value:
            raise error(field, _("This field is required."), E.REQUIRED)
        if len(value) > limit:
            raise error(field, _("This text is too long."), E.INVALID)
        fields[field] = value
    objection = Objection.objects.create(notice=notice, **fields)
    if notice.application_id:
        _app_event(notice.application, AEvent.OBJECTION_LODGED, None, fields["reason"],
                   objection=objection.pk)
    notify(notice.brand.authority, "objection_lodged",
           _("An objection was lodged against: %(title)s") % {"title": notice.title},
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
        raise error(None, _("This objection has already been answered."), E.INVALID_STATUS)
    resolution = _reason(resolution, "resolution")
    objection.status = Objection.Status.UPHELD if uphold else Objection.Status.DISMISSED
    objection.resolution = resolution
    objection.resolved_by = user
    objection.resolved_at = timezone.now()
    objection.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    application = notice.application
    if application is not None:
        _app_event(application, AEvent.OBJECTION_RESOLVED, user, resolution,
                   objection=objection.pk, upheld=bool(uphold))
        if uphold and notice.kind == PublicNotice.Kind.GRANT:
            application = _lock_application(application)
            if application.status == Status.PUBLIC_NOTICE:
                _reject(application, user, resolution)
    return objection


# Licences --------------------------------------------------------------------------------

def _lic_event(licence, type_, user=None, message="", **parameters):
    return LicenceEvent.objects.create(licence=licence, type=type_, user=user, message=message,
                                       parameters=parameters)


def next_licence_number(brand: RegionalBrand, year: int) -> str:
    """``MC-2026-0001``: the brand's code, the year, a sequence (caller holds the brand lock)."""
    prefix = f"{brand.code}-{year}-"
    last = (Licence.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def verification_url(licence: Licence) -> str:
    return settings.PUBLIC_URL + reverse("brand:licence", args=[licence.number])


@transaction.atomic
def grant_licence(application: LicenceApplication, user=None, *, reason: str = "") -> Licence:
    """Issue the licence of an approved application once its public notice has ended
    without an open objection. ``user`` is None when the notice-closing task grants it."""
    application = _lock_application(application)
    brand = RegionalBrand.objects.select_for_update().get(pk=application.brand_id)
    if user is not None:
        require_authority(user, brand, application)
    _require_status(application, Status.PUBLIC_NOTICE)
    notice = (application.notices.select_for_update().filter(kind=PublicNotice.Kind.GRANT)
              .order_by("-starts_at").first())
    now = timezone.now()
    if notice is None or now < notice.ends_at:
        raise error(None, _("The public notice runs until %(end)s; the licence cannot be "
                            "granted before it ends.")
                    % {"end": timezone.localtime(notice.ends_at).strftime("%Y-%m-%d %H:%M")
                       if notice else "-"}, E.NOTICE_PERIOD_NOT_ENDED)
    if notice.objections.filter(status=Objection.Status.OPEN).exists():
        raise error(None, _("An objection to the public notice is still open; answer it "
                            "first."), E.OBJECTION_OPEN)
    _close_notice(notice)
    today = timezone.localdate()
    licence = Licence.objects.create(
        number=next_licence_number(brand, today.year), brand=brand,
        licensee=application.applicant, application=application, grades=application.grades,
        valid_from=today, valid_until=_add_years(today, brand.validity_years) - timedelta(days=1),
        annual_label_quota=application.approved_label_quota or brand.default_label_quota,
        granted_by=user or application.decided_by, granted_at=now)
    licence.categories.set(application.categories.all())
    licence.products.set(application.products.all())
    application.status = Status.GRANTED
    application.save(update_fields=["status"])
    why = (reason or "").strip() or _("Public notice ended without objections.")
    _app_event(application, AEvent.NOTICE_CLOSED, user, notice=notice.pk)
    _app_event(application, AEvent.GRANTED, user, why, licence=licence.number)
    _lic_event(licence, LEvent.GRANTED, user, why, valid_until=licence.valid_until.isoformat(),
               annual_label_quota=licence.annual_label_quota)
    notify(application.applicant, "licence_granted",
           _("Licence %(number)s to use %(brand)s was granted")
           % {"number": licence.number, "brand": brand.name},
           _("Valid until %(date)s. Certificate: %(url)s")
           % {"date": licence.valid_until.isoformat(), "url": verification_url(licence)},
           reference=f"licence:{licence.number}")
    return licence


def _lock_licence(licence) -> Licence:
    return Licence.objects.select_for_update().select_related("brand", "licensee").get(
        pk=licence.pk)


def _set_status(licence, status, user, reason, event_type, **parameters):
    licence.status = status
    licence.status_reason = reason
    licence.status_changed_at = timezone.now()
    licence.save(update_fields=["status", "status_reason", "status_changed_at"])
    return _lic_event(licence, event_type, user, reason, **parameters)


@transaction.atomic
def suspend_licence(licence: Licence, user, *, reason: str) -> Licence:
    """Stops the badge and brand labels at once, until reinstated."""
    licence = _lock_licence(licence)
    require_authority(user, licence.brand)
    if licence.status != Licence.Status.ACTIVE:
        raise error(None, _("Only an active licence can be suspended."), E.INVALID_STATUS)
    reason = _reason(reason)
    _set_status(licence, Licence.Status.SUSPENDED, user, reason, LEvent.SUSPENDED)
    notify(licence.licensee, "licence_suspended",
           _("Licence %(number)s is suspended") % {"number": licence.number}, reason,
           reference=f"licence:{licence.number}")
    return licence


@transaction.atomic
def reinstate_licence(licence: Licence, user, *, reason: str) -> Licence:
    licence = _lock_licence(licence)
    require_authority(user, licence.brand)
    if licence.status != Licence.Status.SUSPENDED:
        raise error(None, _("Only a suspended licence can be reinstated."), E.INVALID_STATUS)
    if licence.valid_until < timezone.localdate():
        raise error(None, _("The licence has expired; renew it instead."), E.INVALID_STATUS)
    reason = _reason(reason)
    _set_status(licence, Licence.Status.ACTIVE, user, reason, LEvent.REINSTATED)
    notify(licence.licensee, "licence_reinstated",
           _("Licence %(number)s is in force again") % {"number": licence.number}, reason,
           reference=f"licence:{licence.number}")
    return licence


@transaction.atomic
def revoke_licence(licence: Licence, user, *, reason: str) -> Licence:
    """Ends the licence for good, at once, and publishes the revocation as a public notice."""
    licence = _lock_licence(licence)
    require_authority(user, licence.brand)
    if licence.status in (Licence.Status.REVOKED, Licence.Status.EXPIRED):
        raise error(None, _("The licence is %(status)s; it cannot be revoked.")
                    % {"status": licence.get_status_display()}, E.INVALID_STATUS)
    reason = _reason(reason)
    starts_at, ends_at = _notice_window(licence.brand, None)
    notice = PublicNotice.objects.create(
        brand=licence.brand, kind=PublicNotice.Kind.REVOCATION, licence=licence,
        organization=licence.licensee, published_by=user,
        title=_("Revocation of licence %(number)s held by %(org)s")
        % {"number": licence.number, "org": licence.licensee.name},
        body=reason, starts_at=starts_at, ends_at=ends_at)
    _set_status(licence, Licence.Status.REVOKED, user, reason, LEvent.REVOKED, notice=notice.pk)
    notify(licence.licensee, "licence_revoked",
           _("Licence %(number)s is revoked") % {"number": licence.number}, reason,
           reference=f"licence:{licence.number}")
    return licence


@transaction.atomic
def renew_licence(licence: Licence, user, *, reason: str = "",
                  years: int | None = None) -> Licence:
    """Extend an active, suspended or expired licence by the brand's validity (or ``years``);
    an expired one comes back into force."""
    licence = _lock_licence(licence)
    require_authority(user, licence.brand)
    if licence.status == Licence.Status.REVOKED:
        raise error(None, _("A revoked licence cannot be renewed; the holder must apply "
                            "again."), E.INVALID_STATUS)
    years = licence.brand.validity_years if years is None else years
    if not isinstance(years, int) or not 1 <= years <= 10:
        raise error("years", _("Renew for 1 to 10 years."), E.INVALID)
    today = timezone.localdate()
    start = max(licence.valid_until + timedelta(days=1), today)
    previous = licence.valid_until
    licence.valid_until = _add_years(start, years) - timedelta(days=1)
    licence.save(update_fields=["valid_until"])
    if licence.status == Licence.Status.EXPIRED:
        licence.status = Licence.Status.ACTIVE
        licence.status_changed_at = timezone.now()
        licence.save(update_fields=["status", "status_changed_at"])
    _lic_event(licence, LEvent.RENEWED, user, (reason or "").strip(),
               previous_valid_until=previous.isoformat(),
               valid_until=licence.valid_until.isoformat())
    notify(licence.licensee, "licence_renewed",
           _("Licence %(number)s is renewed until %(date)s")
           % {"number": licence.number, "date": licence.valid_until.isoformat()},
           reference=f"licence:{licence.number}")
    return licence


@transaction.atomic
def record_violation(licence: Licence, user, *, source: str, description: str,
                     action: str = Violation.Action.NONE, reason: str = "",
                     found_on: date | None = None) -> Violation:
    """Record a breach and act on it: a warning, a suspension or a revocation."""
    licence = _lock_licence(licence)
    require_authority(user, licence.brand)
    if source not in Violation.Source.values:
        raise error("source", _("Unknown source."), E.INVALID)
    if action not in Violation.Action.values:
        raise error("action", _("Unknown action."), E.INVALID)
    description = _reason(description, "description")
    reason = (reason or "").strip()
    if action != Violation.Action.NONE and not reason:
        raise error("reason", _("Give a reason."), E.REQUIRED)
    violation = Violation.objects.create(
        licence=licence, source=source, description=description, action=action,
        reason=reason, found_on=found_on or timezone.localdate(), recorded_by=user)
    _lic_event(licence, LEvent.VIOLATION_RECORDED, user, description, violation=violation.pk,
               source=source, action=action)
    if action == Violation.Action.WARNING:
        _lic_event(licence, LEvent.WARNED, user, reason, violation=violation.pk)
        notify(licence.licensee, "licence_warning",
               _("Warning about licence %(number)s") % {"number": licence.number},
               f"{description}\n{reason}", reference=f"licence:{licence.number}")
    elif action == Violation.Action.SUSPENSION:
        suspend_licence(licence, user, reason=reason)
    elif action == Violation.Action.REVOCATION:
        revoke_licence(licence, user, reason=reason)
    else:
        notify(licence.licensee, "licence_violation",
               _("A violation was recorded on licence %(number)s") % {"number": licence.number},
               description, reference=f"licence:{licence.number}")
    return violation


# Label quota: the supply chain's brand-labelled trace codes --------------------------------

def labels_issued(licence_id: int, year: int) -> int:
    return LabelUse.objects.filter(licence_id=licence_id, year=year).aggregate(
        n=Sum("count"))["n"] or 0


def label_usage(licence: Licence, year: int | None = None) -> dict:
    year = year or timezone.localdate().year
    used = labels_issued(licence.pk, year)
    return {"year": year, "quota": licence.annual_label_quota, "used": used,
            "remaining": max(licence.annual_label_quota - used, 0)}


def covering_licences(products) -> dict[int, Licence]:
    """For each product (id, organization_id, category_id), the licence in force that lets
    its seller put the brand on it. Three queries whatever the number of products."""
    products = list(products)
    if not products:
        return {}
    today = timezone.localdate()
    licences = list(
        Licence.objects.filter(licensee_id__in={p.organization_id for p in products},
                               status=Licence.Status.ACTIVE, valid_from__lte=today,
                               valid_until__gte=today)
        .select_related("brand").prefetch_related("categories", "products")
        .order_by("valid_until", "pk"))
    if not licences:
        return {}
    parents = category_parents()
    found = {}
    for product in products:
        chain = set(ancestry(product.category_id, parents))
        for licence in licences:
            if licence.licensee_id != product.organization_id:
                continue
            if (any(p.pk == product.pk for p in licence.products.all())
                    or any(c.pk in chain for c in licence.categories.all())):
                found[product.pk] = licence
                break
    return found


def _covering_licence_for_update(organization: Organization, product: Product):
    today = timezone.localdate()
    parents = category_parents()
    chain = ancestry(product.category_id, parents)
    candidates = (Licence.objects.filter(
        Q(products=product) | Q(categories__in=chain), licensee=organization)
        .distinct().order_by("valid_until", "pk").values_list("pk", flat=True))
    locked = list(Licence.objects.select_for_update().filter(pk__in=list(candidates))
                  .order_by("pk"))
    in_force = [lic for lic in locked if lic.is_in_force(today)]
    return in_force, locked


@transaction.atomic
def consume_label_quota(organization: Organization, product: Product, count: int, *,
                        reference: str, user=None) -> LabelUse:
    """Book ``count`` brand-labelled codes for ``product`` against ``organization``'s
    licence in force (its row locked), within this year's remaining quota. Idempotent per
    ``reference`` (e.g. ``packing-run:42``): the same reference returns the first booking.
    Call it inside the transaction that issues the codes, so both happen or neither."""
    existing = LabelUse.objects.filter(reference=reference).select_related("licence").first()
    if existing is not None:
        return existing
    if not isinstance(count, int) or isinstance(count, bool) or count <= 0:
        raise error("quantity", _("Issue at least one brand label."), E.INVALID)
    if product.organization_id != organization.pk:
        raise error("product", _("%(product)s is not your organisation's product.")
                    % {"product": product.name}, E.PRODUCT_NOT_OWNED)
    in_force, locked = _covering_licence_for_update(organization, product)
    if not in_force:
        if locked:
            latest = max(locked, key=lambda lic: (lic.valid_until, lic.pk))
            status = (latest.get_status_display() if latest.status != Licence.Status.ACTIVE
                      else _("Expired"))
            raise error("brand_labelled", _("Licence %(number)s is %(status)s: brand labels "
                                             "cannot be issued.")
                        % {"number": latest.number, "status": status}, E.NOT_LICENSED)
        raise error("brand_labelled", _("%(org)s holds no brand licence covering %(product)s.")
                    % {"org": organization.name, "product": product.name}, E.NOT_LICENSED)
    year = timezone.localdate().year
    licence = None
    for candidate in in_force:
        if labels_issued(candidate.pk, year) + count <= candidate.annual_label_quota:
            licence = candidate
            break
    if licence is None:
        candidate = in_force[0]
        left = max(candidate.annual_label_quota - labels_issued(candidate.pk, year), 0)
        raise error("quantity", _("Licence %(number)s has %(left)s brand labels left for "
                                  "%(year)s; %(count)s were asked for.")
                    % {"number": candidate.number, "left": left, "year": year, "count": count},
                    E.QUOTA_EXCEEDED)
    try:
        with transaction.atomic():
            use = LabelUse.objects.create(licence=licence, product=product, year=year,
                                          count=count, reference=reference, created_by=user)
    except IntegrityError:  # the same reference booked concurrently
        return LabelUse.objects.get(reference=reference)
    _lic_event(licence, LEvent.LABELS_ISSUED, user, "", count=count, reference=reference,
               year=year)
    return use


def licence_status_for(*, product: Product | None = None,
                       organization: Organization | None = None,
                       reference: str | None = None) -> dict | None:
    """What the public trace page says about the brand: the licence that a labelled item
    was issued under (``reference``), else the one covering ``product``, else the seller's
    latest; with its live status. None when there is no licence at all."""
    licence = None
    if reference:
        use = LabelUse.objects.filter(reference=reference).select_related(
            "licence__brand").first()
        licence = use.licence if use else None
    if licence is None and product is not None:
        licence = covering_licences([product]).get(product.pk)
        organization = organization or product.organization
        if licence is None:
            parents = category_parents()
            chain = ancestry(product.category_id, parents)
            licence = (Licence.objects.filter(Q(products=product) | Q(categories__in=chain),
                                              licensee_id=product.organization_id)
                       .select_related("brand").order_by("-valid_until", "-pk").first())
    if licence is None and organization is not None:
        licence = (Licence.objects.filter(licensee=organization).select_related("brand")
                   .order_by("-valid_until", "-pk").first())
    if licence is None:
        return None
    in_force = licence.is_in_force()
    return {
        "brand": licence.brand.name,
        "number": licence.number,
        "status": licence.status if in_force or licence.status != Licence.Status.ACTIVE
        else Licence.Status.EXPIRED,
        "status_display": licence.get_status_display() if in_force
        or licence.status != Licence.Status.ACTIVE else Licence.Status.EXPIRED.label,
        "in_force": in_force,
        "valid_until": licence.valid_until,
        "verification_url": verification_url(licence),
    }


# Usage reports ---------------------------------------------------------------------------

@transaction.atomic
def submit_usage_report(licence: Licence, user, *, year: int, volume_sold_kg,
                        sales_amount, codes_used: int, note: str = "") -> UsageReport:
    """The licensee's annual report: volume sold under the brand, sales, labels used."""
    licence = _lock_licence(licence)
    require_member(user, licence.licensee_id)
    today = timezone.localdate()
    if not isinstance(year, int) or not licence.valid_from.year <= year <= today.year:
        raise error("year", _("Report a year of the licence, up to this year."), E.INVALID)
    if UsageReport.objects.filter(licence=licence, year=year).exists():
        raise error("year", _("The report for %(year)s has already been submitted.")
                    % {"year": year}, E.UNIQUE)
    codes_used = _clean_count(codes_used, "codes_used")
    issued = labels_issued(licence.pk, year)
    if codes_used > issued:
        raise error("codes_used", _("Only %(issued)s brand labels were issued under this "
                                    "licence in %(year)s.") % {"issued": issued, "year": year},
                    E.INVALID)
    report = UsageReport.objects.create(
        licence=licence, year=year, volume_sold_kg=_clean_decimal(volume_sold_kg,
                                                                  "volume_sold_kg"),
        sales_amount=_clean_decimal(sales_amount, "sales_amount", "0.01"),
        codes_used=codes_used, note=(note or "").strip(), submitted_by=user)
    _lic_event(licence, LEvent.USAGE_REPORTED, user, "", year=year, report=report.pk)
    return report


# Background work (called by brand.tasks) -------------------------------------------------

def close_due_notices(now=None) -> dict:
    """Close every public notice whose period has ended; grant the licences whose notice
    ended without an open objection (those with one wait for the authority). Idempotent."""
    now = now or timezone.now()
    outcome = {"closed": 0, "granted": 0, "waiting": 0}
    due = list(PublicNotice.objects.filter(status=PublicNotice.Status.OPEN, ends_at__lte=now)
               .values_list("pk", flat=True))
    for pk in due:
        with transaction.atomic():
            notice = PublicNotice.objects.select_for_update().filter(
                pk=pk, status=PublicNotice.Status.OPEN).first()
            if notice is None:
                continue
            application = notice.application
            if (notice.kind == PublicNotice.Kind.GRANT and application is not None
                    and application.status == Status.PUBLIC_NOTICE):
                if notice.objections.filter(status=Objection.Status.OPEN).exists():
                    outcome["waiting"] += 1
                    continue  # stays open until the authority answers the objection
                grant_licence(application, None)
                outcome["granted"] += 1
            else:
                _close_notice(notice)
            outcome["closed"] += 1
    return outcome


def send_expiry_reminders(today: date | None = None) -> int:
    """Remind licensees 60, 30 and 7 days before expiry; each reminder once per expiry
    date (recorded in ``ExpiryReminder``)."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    sent = 0
    licences = Licence.objects.filter(status=Licence.Status.ACTIVE, valid_until__gte=today,
                                      valid_until__lte=horizon).select_related("licensee")
    for licence in licences:
        days_left = (licence.valid_until - today).days
        due = min(d for d in REMINDER_DAYS if days_left <= d)
        with transaction.atomic():
            _reminder, created = ExpiryReminder.objects.get_or_create(
                licence=licence, days_before=due, valid_until=licence.valid_until)
            if not created:
                continue
            message = _("Licence %(number)s expires on %(date)s (in %(days)s days); apply "
                        "for renewal in time.") % {"number": licence.number,
                                                  "date": licence.valid_until.isoformat(),
                                                  "days": days_left}
            _lic_event(licence, LEvent.EXPIRY_REMINDER, None, message, days_before=due)
            notify(licence.licensee, "licence_expiring", message,
                   reference=f"licence:{licence.number}")
            sent += 1
    return sent


def expire_licences(today: date | None = None) -> int:
    """Active or suspended licences past their end date become expired. Idempotent."""
    today = today or timezone.localdate()
    expired = 0
    due = list(Licence.objects.filter(
        status__in=[Licence.Status.ACTIVE, Licence.Status.SUSPENDED],
        valid_until__lt=today).values_list("pk", flat=True))
    for pk in due:
        with transaction.atomic():
            licence = Licence.objects.select_for_update().select_related("licensee").filter(
                pk=pk, valid_until__lt=today,
                status__in=[Licence.Status.ACTIVE, Licence.Status.SUSPENDED]).first()
            if licence is None:
                continue
            reason = _("Validity ended on %(date)s.") % {"date": licence.valid_until.isoformat()}
            _set_status(licence, Licence.Status.EXPIRED, None, reason, LEvent.EXPIRED)
            notify(licence.licensee, "licence_expired",
                   _("Licence %(number)s has expired") % {"number": licence.number}, reason,
                   reference=f"licence:{licence.number}")
            expired += 1
    return expired


# Brands ----------------------------------------------------------------------------------

@transaction.atomic
def set_brand_category(brand: RegionalBrand, category, *, max_inspection_age_days=None,
                       min_grade: str = "", requires_sc_certificate: bool = False,
                       standard: str = "") -> BrandCategory:
    """Add a category to the brand (or change its standard)."""
    row, _created = BrandCategory.objects.update_or_create(
        brand=brand, category=category,
        defaults={"max_inspection_age_days": max_inspection_age_days,
                  "min_grade": min_grade, "requires_sc_certificate": requires_sc_certificate,
                  "standard": standard})
    return row
