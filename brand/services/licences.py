"""Licences: granting one when its public notice has ended, its number and verification
URL, the authority's suspending, reinstating, revoking and renewing, and the holder's
request for a renewal."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.errors import field_error
from shop.models import Notification
from shop.notifications import mark_read, notify

from ..error_codes import BrandErrorCode as E
from ..models import Licence, LicenceApplication, Objection, PublicNotice, RegionalBrand
from .common import (
    AEvent,
    LEvent,
    Status,
    app_event,
    clean_reason,
    clean_text,
    close_notice,
    lic_event,
    lock_application,
    lock_licence,
    notice_window,
    require_authority,
    require_member,
    require_status,
    set_status,
)

# The kind of notification a holder's renewal request leaves for the authority; unread, it
# marks the licence on the authority's register until the licence is renewed.
RENEWAL_REQUESTED = "licence_renewal_requested"
# A holder may ask for a renewal this many days before the licence ends (or after).
RENEWAL_WINDOW_DAYS = 90


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
    application = lock_application(application)
    brand = RegionalBrand.objects.select_for_update().get(pk=application.brand_id)
    if user is not None:
        require_authority(user, brand, application)
    require_status(application, Status.PUBLIC_NOTICE)
    notice = (application.notices.select_for_update().filter(kind=PublicNotice.Kind.GRANT)
              .order_by("-starts_at").first())
    now = timezone.now()
    if notice is None or now < notice.ends_at:
        raise field_error(None, _("The public notice runs until %(end)s; the licence cannot be "
                                  "granted before it ends.")
                          % {"end": timezone.localtime(notice.ends_at).strftime("%Y-%m-%d %H:%M")
                             if notice else "-"}, E.NOTICE_PERIOD_NOT_ENDED)
    if notice.objections.filter(status=Objection.Status.OPEN).exists():
        raise field_error(None, _("An objection to the public notice is still open; answer it "
                                  "first."), E.OBJECTION_OPEN)
    close_notice(notice)
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
    app_event(application, AEvent.NOTICE_CLOSED, user, notice=notice.pk)
    app_event(application, AEvent.GRANTED, user, why, licence=licence.number)
    lic_event(licence, LEvent.GRANTED, user, why, valid_until=licence.valid_until.isoformat(),
              annual_label_quota=licence.annual_label_quota)
    notify(application.applicant, "licence_granted",
           lambda: _("Licence %(number)s to use %(brand)s was granted")
           % {"number": licence.number, "brand": brand.name},
           lambda: _("Valid until %(date)s. Certificate: %(url)s")
           % {"date": licence.valid_until.isoformat(), "url": verification_url(licence)},
           reference=f"licence:{licence.number}")
    return licence


@transaction.atomic
def suspend_licence(licence: Licence, user, *, reason: str) -> Licence:
    """Stops the badge and brand labels at once, until reinstated."""
    licence = lock_licence(licence)
    require_authority(user, licence.brand)
    if licence.status != Licence.Status.ACTIVE:
        raise field_error(None, _("Only an active licence can be suspended."), E.INVALID_STATUS)
    reason = clean_reason(reason)
    set_status(licence, Licence.Status.SUSPENDED, user, reason, LEvent.SUSPENDED)
    notify(licence.licensee, "licence_suspended",
           lambda: _("Licence %(number)s is suspended") % {"number": licence.number}, reason,
           reference=f"licence:{licence.number}")
    return licence


@transaction.atomic
def reinstate_licence(licence: Licence, user, *, reason: str) -> Licence:
    licence = lock_licence(licence)
    require_authority(user, licence.brand)
    if licence.status != Licence.Status.SUSPENDED:
        raise field_error(None, _("Only a suspended licence can be reinstated."), E.INVALID_STATUS)
    if licence.valid_until < timezone.localdate():
        raise field_error(None, _("The licence has expired; renew it instead."), E.INVALID_STATUS)
    reason = clean_reason(reason)
    set_status(licence, Licence.Status.ACTIVE, user, reason, LEvent.REINSTATED)
    notify(licence.licensee, "licence_reinstated",
           lambda: _("Licence %(number)s is in force again") % {"number": licence.number},
           reason,
           reference=f"licence:{licence.number}")
    return licence


@transaction.atomic
def revoke_licence(licence: Licence, user, *, reason: str) -> Licence:
    """Ends the licence for good, at once, and publishes the revocation as a public notice."""
    licence = lock_licence(licence)
    require_authority(user, licence.brand)
    if licence.status in (Licence.Status.REVOKED, Licence.Status.EXPIRED):
        raise field_error(None, _("The licence is %(status)s; it cannot be revoked.")
                          % {"status": licence.get_status_display()}, E.INVALID_STATUS)
    reason = clean_reason(reason)
    starts_at, ends_at = notice_window(licence.brand, None)
    notice = PublicNotice.objects.create(
        brand=licence.brand, kind=PublicNotice.Kind.REVOCATION, licence=licence,
        organization=licence.licensee, published_by=user,
        title=_("Revocation of licence %(number)s held by %(org)s")
        % {"number": licence.number, "org": licence.licensee.name},
        body=reason, starts_at=starts_at, ends_at=ends_at)
    set_status(licence, Licence.Status.REVOKED, user, reason, LEvent.REVOKED, notice=notice.pk)
    notify(licence.licensee, "licence_revoked",
           lambda: _("Licence %(number)s is revoked") % {"number": licence.number}, reason,
           reference=f"licence:{licence.number}")
    return licence


@transaction.atomic
def renew_licence(licence: Licence, user, *, reason: str = "",
                  years: int | None = None) -> Licence:
    """Extend an active, suspended or expired licence by the brand's validity (or ``years``);
    an expired one comes back into force."""
    licence = lock_licence(licence)
    require_authority(user, licence.brand)
    if licence.status == Licence.Status.REVOKED:
        raise field_error(None, _("A revoked licence cannot be renewed; the holder must apply "
                                  "again."), E.INVALID_STATUS)
    years = licence.brand.validity_years if years is None else years
    if not isinstance(years, int) or not 1 <= years <= 10:
        raise field_error("years", _("Renew for 1 to 10 years."), E.INVALID)
    today = timezone.localdate()
    start = max(licence.valid_until + timedelta(days=1), today)
    previous = licence.valid_until
    licence.valid_until = _add_years(start, years) - timedelta(days=1)
    licence.save(update_fields=["valid_until"])
    if licence.status == Licence.Status.EXPIRED:
        licence.status = Licence.Status.ACTIVE
        licence.status_changed_at = timezone.now()
        licence.save(update_fields=["status", "status_changed_at"])
    lic_event(licence, LEvent.RENEWED, user, (reason or "").strip(),
              previous_valid_until=previous.isoformat(),
              valid_until=licence.valid_until.isoformat())
    notify(licence.licensee, "licence_renewed",
           lambda: _("Licence %(number)s is renewed until %(date)s")
           % {"number": licence.number, "date": licence.valid_until.isoformat()},
           reference=f"licence:{licence.number}")
    for asked in Notification.objects.filter(
            organization_id=licence.brand.authority_id, kind=RENEWAL_REQUESTED,
            reference=f"licence:{licence.number}", read_at__isnull=True):
        mark_read(asked)
    return licence


@transaction.atomic
def request_renewal(licence: Licence, user, *, message: str = "") -> Licence:
    """The holder asks the brand authority to renew, in the last ``RENEWAL_WINDOW_DAYS``
    days of the licence or after it expired; a revoked licence cannot be renewed. The
    authority is told and its register shows the request until it renews."""
    licence = lock_licence(licence)
    require_member(user, licence.licensee_id)
    if licence.status == Licence.Status.REVOKED:
        raise field_error(None, _("A revoked licence cannot be renewed; the holder must apply "
                                  "again."), E.INVALID_STATUS)
    days_left = (licence.valid_until - timezone.localdate()).days
    if days_left > RENEWAL_WINDOW_DAYS:
        raise field_error(None, _("A renewal can be asked for in the last %(days)s days of "
                                  "the licence.") % {"days": RENEWAL_WINDOW_DAYS},
                          E.INVALID_STATUS)
    message = clean_text(message, "message", 2000)
    lic_event(licence, LEvent.RENEWAL_REQUESTED, user, message)
    notify(licence.brand.authority, RENEWAL_REQUESTED,
           lambda: _("%(org)s asks to renew licence %(number)s (valid until %(date)s)")
           % {"org": licence.licensee.name, "number": licence.number,
              "date": licence.valid_until.isoformat()},
           message, reference=f"licence:{licence.number}")
    return licence
