"""Background work, run by ``brand.tasks`` on Celery beat: closing public notices whose
period ended (granting the licences that met no objection), reminding licensees before
expiry and before last year's usage report is due, and expiring licences past their end
date. Each is idempotent."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.notifications import notify

from ..models import (
    ExpiryReminder,
    Licence,
    Objection,
    PublicNotice,
    UsageReport,
    UsageReportReminder,
)
from .common import LEvent, Status, close_notice, lic_event, set_status
from .licences import grant_licence
from .quotas import report_due_on

REMINDER_DAYS = (60, 30, 7)
# Days before 31 March (1 March and 20 March) when a licensee whose report of last year is
# not in is reminded of it.
REPORT_REMINDER_DAYS = (30, 11)


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


def _report_due_subject(licence: Licence, year: int) -> str:
    return _("The %(year)s brand usage report of licence %(number)s is due by %(due)s") % {
        "year": year, "number": licence.number, "due": report_due_on(year).isoformat()}


def _report_due_text(year: int) -> str:
    return _("Report on the licence's workbench page what you sold under the brand in "
             "%(year)s: kilograms, sales and brand labels used. While the report is overdue "
             "no brand labels are issued.") % {"year": year}


def send_usage_report_reminders(today: date | None = None) -> int:
    """Remind the holders of licences whose usage report of last year is not in, 30 and 11
    days before it is due (1 and 20 March); each reminder once per licence and year
    (recorded in ``UsageReportReminder``), the latest one due when a day was missed."""
    today = today or timezone.localdate()
    year = today.year - 1
    days_left = (report_due_on(year) - today).days
    if not 0 <= days_left <= max(REPORT_REMINDER_DAYS):
        return 0
    due = min(d for d in REPORT_REMINDER_DAYS if days_left <= d)
    # Licences in force at some time last year (and not revoked) owe its report.
    licences = (Licence.objects.exclude(status=Licence.Status.REVOKED)
                .filter(valid_from__year__lte=year, valid_until__year__gte=year)
                .exclude(Exists(UsageReport.objects.filter(licence=OuterRef("pk"), year=year)))
                .select_related("licensee").order_by("pk"))
    sent = 0
    for licence in licences:
        with transaction.atomic():
            _reminder, created = UsageReportReminder.objects.get_or_create(
                licence=licence, year=year, days_before=due)
            if not created:
                continue
            # A failed delivery raises and rolls the reminder row back: a retry sends again.
            notify(licence.licensee, "usage_report_due",
                   partial(_report_due_subject, licence, year), partial(_report_due_text, year),
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
