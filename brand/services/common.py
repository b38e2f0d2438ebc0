"""What every brand service shares: who may act (the authority's members decide, an
organisation's members manage its own records), input cleaning, the event records of
applications and licences, row locks, and the public-notice window."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from shop import validators
from shop.errors import field_error
from shop.models import PRODUCER_KINDS

from ..error_codes import BrandErrorCode as E
from ..models import (
    ApplicationEvent,
    Licence,
    LicenceApplication,
    LicenceEvent,
    PublicNotice,
    RegionalBrand,
)

Status = LicenceApplication.Status
AEvent = ApplicationEvent.Type
LEvent = LicenceEvent.Type
# No licensee needs more labels a year than this; a larger number is a typing mistake.
MAX_LABELS = 10_000_000
LICENSEE_KINDS = PRODUCER_KINDS


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


def clean_decimal(value, field, places="0.001") -> Decimal:
    """A volume (three places) or an amount (two places), rounded half up like
    ``shop.money``, within the column."""
    return validators.clean_decimal(value, field, E.INVALID, places=places, max_digits=14)


def clean_count(value, field) -> int:
    """A label count or quota: a whole number from 0 to a sensible cap."""
    return validators.clean_int(value, field, E.INVALID, maximum=MAX_LABELS)


def clean_text(value, field, max_length, required=False) -> str:
    return validators.clean_text(value, field, E.INVALID, max_length=max_length,
                                 required=required)


def clean_reason(reason, field="reason") -> str:
    reason = clean_text(reason, field, 2000)
    if not reason:
        raise field_error(field, _("Give a reason."), E.REQUIRED)
    return reason


def app_event(application, type_, user=None, message="", **parameters):
    return ApplicationEvent.objects.create(application=application, type=type_, user=user,
                                           message=message, parameters=parameters)


def lock_application(application) -> LicenceApplication:
    return LicenceApplication.objects.select_for_update().select_related("brand").get(
        pk=application.pk)


def require_status(application, *allowed):
    if application.status not in allowed:
        raise field_error(None, _("The application is %(status)s; this cannot be done now.")
                          % {"status": application.get_status_display()}, E.INVALID_STATUS)


def notice_window(brand, notice_days):
    days = brand.notice_days if notice_days is None else notice_days
    if not isinstance(days, int) or days < brand.notice_days:
        raise field_error("notice_days", _("The public notice lasts at least %(days)s days.")
                          % {"days": brand.notice_days}, E.INVALID)
    start = timezone.now()
    return start, start + timedelta(days=days)


def close_notice(notice: PublicNotice):
    if notice.status != PublicNotice.Status.CLOSED:
        notice.status = PublicNotice.Status.CLOSED
        notice.closed_at = timezone.now()
        notice.save(update_fields=["status", "closed_at"])


def lic_event(licence, type_, user=None, message="", **parameters):
    return LicenceEvent.objects.create(licence=licence, type=type_, user=user, message=message,
                                       parameters=parameters)


def lock_licence(licence) -> Licence:
    return Licence.objects.select_for_update().select_related("brand", "licensee").get(
        pk=licence.pk)


def set_status(licence, status, user, reason, event_type, **parameters):
    licence.status = status
    licence.status_reason = reason
    licence.status_changed_at = timezone.now()
    licence.save(update_fields=["status", "status_reason", "status_changed_at"])
    return lic_event(licence, event_type, user, reason, **parameters)
