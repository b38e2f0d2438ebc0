"""What the trace page shows about a code, cached (``django.core.cache``: Redis in
production) and invalidated by the events that change it.

The cached entry is everything but the scan counter: the public trace view (lot, base,
inspection, grade, producer, recall state, journey) and the brand licence's status. Every
entry's key carries one *generation*; a save or delete of any record the page shows
(a recall, a licence's status, an inspection, a shipment's event, a code's disposition …)
raises the generation, so the very next scan reads the database again. The generation is
raised at once and again when the transaction commits, so a scan that read the old rows
between the two cannot leave them cached. Services that change those records with a bulk
``update()`` (which sends no signal) call :func:`changed` themselves.

Entries also expire after ``TRACE_CACHE_SECONDS``, which bounds what only the calendar
changes (a certificate or licence passing its end date). A cache that fails (Redis
unreachable) is skipped: the page is then built from the database."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from brand.services import licence_status_for

from . import services
from .models import Disposition
from .services.invalidation import changed, generation

log = logging.getLogger(__name__)

# Records shown on the trace page, by "app_label.ModelName".
WATCHED = (
    "supplychain.TraceCode", "supplychain.TraceEvent", "supplychain.ShippedCode",
    "supplychain.Recall", "supplychain.GradedLot", "supplychain.PackingRun",
    "supplychain.SourcingLot", "supplychain.Inspection", "supplychain.Certification",
    "supplychain.Base", "supplychain.Household", "supplychain.ProducerProfile",
    "supplychain.GradeStandard", "supplychain.GradingInput",
    "brand.Licence", "brand.LabelUse", "brand.RegionalBrand",
    "catalog.Product", "catalog.ProductVariant", "shop.Organization",
    # Names the page shows in the reader's language (content/translated.py).
    "content.ProductTranslation", "content.ProductVariantTranslation", "content.BaseTranslation",
)


def _entry(trace) -> dict:
    run = trace.packing_run
    data = services.trace_view(trace)
    brand = licence_status_for(product=run.variant.product,
                               reference=f"packing-run:{trace.packing_run_id}")
    if brand is not None:
        brand = {**brand, "status_display": str(brand["status_display"])}
    return {
        "trace_id": trace.pk, "data": data, "brand": brand,
        "scan_count": trace.scan_count, "first_scanned_at": trace.first_scanned_at,
        "before_shipping": trace.shipped_at is None
        and trace.disposition == Disposition.ACTIVE,
    }


def page_entry(code: str) -> dict | None:
    """The cached page entry of a typed or scanned code (per language: it holds display
    names), ``None`` for a code never issued (not cached: a code issued a moment later is
    found)."""
    normal = services.normalise_code(code)
    if normal is None:
        return None
    current = generation()
    key = f"trace:page:{current}:{get_language()}:{normal}"
    if current:
        try:
            found = cache.get(key)
        except Exception:  # noqa: BLE001
            found, current = None, 0
        if found is not None:
            return found
    trace = services.find_trace_code(normal)
    if trace is None:
        return None
    entry = _entry(trace)
    if current:
        try:
            cache.set(key, entry, settings.TRACE_CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            log.warning("trace page entry not cached", exc_info=True)
    return entry


def connect() -> None:
    """Listen for changes of the watched records (called by SupplychainConfig.ready)."""
    for label in WATCHED:
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=label, weak=False,
                           dispatch_uid=f"trace_cache.{signal is post_save}.{label}")
    m2m_changed.connect(changed, weak=False, dispatch_uid="trace_cache.m2m")
