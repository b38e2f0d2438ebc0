"""Background work, run by ``brand.tasks`` on Celery beat: closing public notices whose
period ended (granting the licences that met no objection), reminding licensees before
expiry, and expiring licences past their end date. Each is idempotent."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.notifications import notify

from ..models import ExpiryReminder, Licence, Objection, PublicNotice
from .common import LEvent, Status, close_notice, lic_event, set_status
from .licences import grant_licence

REMINDER_DAYS = (60, 30, 7)


def _expiring_text(licence: Licence, days_left: int) -> str:
    """The reminder in the active language (the event's, and each member's e-mail)."""
    return _("Licence %(number)s expires on %(date)s (in %(days)s days); apply for renewal "
             "in time.") % {"number": licence.number, "date": licence.valid_until.isoformat(),
                            "days": days_left}


def _expired_subject(licence: Licence) -> str:
    return _("Licence %(number)s has expired") % {"number": licence.number}


def _expired_text(licence: Licence) -> str:
    return _("Validity ended on %(date)s.") % {"date": licence.valid_until.isoformat()}


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
                close_notice(notice)
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
            message = partial(_expiring_text, licence, days_left)
            lic_event(licence, LEvent.EXPIRY_REMINDER, None, message(), days_before=due)
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
            reason = partial(_expired_text, licence)
            set_status(licence, Licence.Status.EXPIRED, None, reason(), LEvent.EXPIRED)
            notify(licence.licensee, "licence_expired",
                   partial(_expired_subject, licence), reason,
                   reference=f"licence:{licence.number}")
            expired += 1
    return expired
