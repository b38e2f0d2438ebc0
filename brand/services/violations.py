"""Violations: recording a licensee's breach and acting on it (warning, suspension or
revocation)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.errors import field_error
from shop.notifications import notify

from ..error_codes import BrandErrorCode as E
from ..models import Licence, Violation
from .common import LEvent, clean_reason, lic_event, lock_licence, require_authority
from .licences import revoke_licence, suspend_licence


@transaction.atomic
def record_violation(licence: Licence, user, *, source: str, description: str,
                     action: str = Violation.Action.NONE, reason: str = "",
                     found_on: date | None = None) -> Violation:
    """Record a breach and act on it: a warning, a suspension or a revocation."""
    licence = lock_licence(licence)
    require_authority(user, licence.brand)
    if source not in Violation.Source.values:
        raise field_error("source", _("Unknown source."), E.INVALID)
    if action not in Violation.Action.values:
        raise field_error("action", _("Unknown action."), E.INVALID)
    description = clean_reason(description, "description")
    reason = (reason or "").strip()
    if action != Violation.Action.NONE and not reason:
        raise field_error("reason", _("Give a reason."), E.REQUIRED)
    violation = Violation.objects.create(
        licence=licence, source=source, description=description, action=action,
        reason=reason, found_on=found_on or timezone.localdate(), recorded_by=user)
    lic_event(licence, LEvent.VIOLATION_RECORDED, user, description, violation=violation.pk,
              source=source, action=action)
    if action == Violation.Action.WARNING:
        lic_event(licence, LEvent.WARNED, user, reason, violation=violation.pk)
        notify(licence.licensee, "licence_warning",
               lambda: _("Warning about licence %(number)s") % {"number": licence.number},
               f"{description}\n{reason}", reference=f"licence:{licence.number}")
    elif action == Violation.Action.SUSPENSION:
        suspend_licence(licence, user, reason=reason)
    elif action == Violation.Action.REVOCATION:
        revoke_licence(licence, user, reason=reason)
    else:
        notify(licence.licensee, "licence_violation",
               lambda: _("A violation was recorded on licence %(number)s")
               % {"number": licence.number},
               description, reference=f"licence:{licence.number}")
    return violation
