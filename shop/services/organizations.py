"""Joining the pavilion (入驻): a signed-in person applies for a new cooperative or
enterprise; the pavilion's operators approve or refuse.

``apply_to_join`` creates the organisation at once, inactive, with the applicant as its
administrator and the application (unified social credit code with its check character,
business licence photo recognised by Pillow) beside it; nothing of an inactive
organisation shows on the workbench, the storefront or the API, and the operating team is
told (``notify`` to each operator organisation). ``approve_application``
activates it, ``refuse_application`` keeps it inactive with the reason; the applicant is
told either way (``organization_application`` notices) and sees the status on the
workbench's sign-up page. A refused applicant may apply again with the same code."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from .. import sms, uploads
from ..error_codes import OrganizationApplicationErrorCode as E
from ..errors import field_error
from ..models import PRODUCER_KINDS, Membership, Organization, OrganizationApplication, User
from ..notifications import notify
from ..validators import clean_text, validate_credit_code

Status = OrganizationApplication.Status
NOTICE_KIND = "organization_application"
# The counties of the pavilion (the seed counties' programmes).
COUNTIES = ("渑池县", "息县", "襄垣县", "宁陕县", "泽库县")
LICENCE_PHOTO_MAX_BYTES = 10 * 1024 * 1024


def _slug(name: str) -> str:
    base = slugify("-".join(lazy_pinyin(name)))[:100] or "org"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def applications_of(user: User):
    """The person's own applications, newest first."""
    return (OrganizationApplication.objects.filter(applicant=user)
            .select_related("organization").order_by("-created_at", "-pk"))


def pending_applications():
    return (OrganizationApplication.objects.filter(status=Status.PENDING)
            .select_related("organization", "applicant").order_by("created_at", "pk"))


@transaction.atomic
def apply_to_join(applicant: User, *, name: str, kind: str, county: str, credit_code: str,
                  contact_name: str, contact_phone: str, address: str,
                  licence_photo) -> OrganizationApplication:
    if applicant is None or not applicant.is_authenticated or not applicant.is_active:
        raise PermissionDenied(_("Sign in to apply."))
    name = clean_text(name, "name", E.REQUIRED, max_length=128, required=True)
    if kind not in PRODUCER_KINDS:
        raise field_error("kind", _("Choose cooperative or enterprise."), E.INVALID)
    if county not in COUNTIES:
        raise field_error("county", _("Choose one of the pavilion's counties."), E.INVALID)
    code = validate_credit_code(credit_code)
    contact_name = clean_text(contact_name, "contact_name", E.REQUIRED, max_length=64,
                              required=True)
    phone = sms.mobile(contact_phone)
    if phone is None:
        raise field_error("contact_phone", _("Enter an 11-digit mainland mobile number."),
                          E.INVALID)
    address = clean_text(address, "address", E.REQUIRED, max_length=255, required=True)
    photo_type = uploads.check_document(
        licence_photo, "licence_photo", E.INVALID, max_bytes=LICENCE_PHOTO_MAX_BYTES,
        allowed=(uploads.JPEG, uploads.PNG, uploads.WEBP))
    if OrganizationApplication.objects.filter(credit_code=code).exclude(
            status=Status.REFUSED).exists():
        raise field_error("credit_code", _("An organisation with this code has already "
                                           "applied or joined."), E.UNIQUE)
    organization = Organization.objects.create(
        name=name, slug=_slug(name), kind=kind, county=county, address=address,
        contact_name=contact_name, contact_phone=phone, is_active=False)
    Membership.objects.create(user=applicant, organization=organization,
                              role=Membership.Role.ADMIN)
    application = OrganizationApplication(organization=organization, applicant=applicant,
                                          credit_code=code)
    uploads.save_upload(application.licence_photo, licence_photo, photo_type)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # the same code sent at the same moment by someone else
        raise field_error("credit_code", _("An organisation with this code has already "
                                           "applied or joined."), E.UNIQUE) from None
    for operator in Organization.objects.filter(kind=Organization.Kind.OPERATOR,
                                                is_active=True):
        notify(operator, NOTICE_KIND,
               lambda: _("%(organization)s applies to join the pavilion") % {
                   "organization": organization.name},
               lambda: _("%(county)s, unified social credit code %(code)s. Review it on the "
                         "workbench: %(link)s") % {
                   "county": organization.county, "code": code,
                   "link": settings.PUBLIC_URL.rstrip("/") + reverse("workbench:signup-queue")},
               f"organization:{organization.pk}")
    return application


def require_operator(user) -> None:
    if not (user is not None and user.is_authenticated and user.is_operator):
        raise PermissionDenied(_("Only the pavilion's operators can do this"))


def _locked(application: OrganizationApplication) -> OrganizationApplication:
    locked = (OrganizationApplication.objects.select_for_update()
              .select_related("organization", "applicant").get(pk=application.pk))
    if locked.status != Status.PENDING:
        raise field_error(None, _("This application has already been decided (%(status)s).")
                          % {"status": locked.get_status_display()}, E.INVALID_STATUS)
    return locked


@transaction.atomic
def approve_application(application: OrganizationApplication,
                        by: User) -> OrganizationApplication:
    require_operator(by)
    application = _locked(application)
    application.status, application.reviewed_by = Status.APPROVED, by
    application.reviewed_at = timezone.now()
    application.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    Organization.objects.filter(pk=application.organization_id).update(is_active=True)
    application.organization.is_active = True
    organization = application.organization
    notify(application.applicant, NOTICE_KIND,
           lambda: _("%(organization)s has joined the pavilion") % {
               "organization": organization.name},
           lambda: _("Your application was approved. Open the workbench to list your goods "
                     "and invite your colleagues: %(link)s") % {
               "link": settings.PUBLIC_URL.rstrip("/") + reverse("workbench:home")},
           f"organization:{organization.pk}")
    return application


@transaction.atomic
def refuse_application(application: OrganizationApplication, by: User,
                       reason: str) -> OrganizationApplication:
    require_operator(by)
    reason = clean_text(reason, "reason", E.REQUIRED, max_length=1000, required=True)
    application = _locked(application)
    application.status, application.reviewed_by = Status.REFUSED, by
    application.reviewed_at, application.reason = timezone.now(), reason
    application.save(update_fields=["status", "reviewed_by", "reviewed_at", "reason"])
    organization = application.organization
    notify(application.applicant, NOTICE_KIND,
           lambda: _("Your application for %(organization)s was not approved") % {
               "organization": organization.name},
           lambda: _("Reason: %(reason)s\nYou may correct it and apply again.") % {
               "reason": reason},
           f"organization:{organization.pk}")
    return application
