"""The words the pavilion itself writes on a package's public history: the reasons of the
journey's steps it records (bought, inspected, graded, packed, shipped, delivered,
returned) and the wording of the farm-to-package timeline (cold-chain readings, withdrawal
periods, batch numbers). Kept here, as message ids translated when a page is rendered, so
that the trace page reads them in its own language (泽库's shoppers in Tibetan: this module
is in the Tibetan catalogue's scope, ``scripts/i18n.py``). Reasons a person types (a
recall's) stay as typed."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext, gettext_noop, override

REASONS = {
    "bought": gettext_noop("Bought from the producer"),
    "inspection_passed": gettext_noop("Inspection passed"),
    "inspection_failed": gettext_noop("Inspection failed"),
    "graded": gettext_noop("Graded as %(grade)s"),
    "packed": gettext_noop("Packed %(n)s × %(net)s kg"),
    "shipped": gettext_noop("Shipped to its buyer"),
    "delivered": gettext_noop("Delivered to the buyer"),
    "returned_restocked": gettext_noop("Returned by the buyer, checked and back on sale"),
    "returned": gettext_noop("Returned by the buyer, not for sale again"),
}

COLD_CHAIN = gettext_noop("Cold chain")
BATCH = gettext_noop("batch %(n)s")
WITHDRAWAL = gettext_noop("withdrawal period %(n)s days, until %(day)s")
READINGS = gettext_noop("%(n)s readings, %(low)s to %(high)s °C (allowed %(min)s to %(max)s °C)")
OUT_OF_RANGE = gettext_noop("%(n)s spans out of range: %(spans)s")


def reason(key: str, **params) -> dict:
    """The fields of a trace event whose reason the pavilion writes: its key and values,
    and the text in the pavilion's language (Chinese) for what reads the stored text."""
    with override(settings.LANGUAGE_CODE):
        text = gettext(REASONS[key]) % params if params else gettext(REASONS[key])
    return {"reason": text, "reason_key": key, "reason_params": params}


def reason_text(event) -> str:
    """An event's reason in the current language: from its key where it has one, else as
    it was written."""
    message = REASONS.get(event.reason_key)
    if message is None:
        return event.reason
    try:
        return gettext(message) % event.reason_params if event.reason_params \
            else gettext(message)
    except (KeyError, TypeError, ValueError):  # values that do not fit: as written
        return event.reason
