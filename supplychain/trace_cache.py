"""What the trace page shows about a code, cached (``django.core.cache``: Redis in
production) and invalidated by the events that change it.

The cached entry is everything but the scan counter: the public trace view (lot, base,
inspection, grade, producer, recall state, journey), the brand licence's status and the
page itself, rendered once in the entry's language with a slot for the part each scan
changes (the first-scan notice or the count), so that a scan only fills the slot. Every
entry's key carries one *generation*; a save or delete of any record the page shows
(a recall, a licence's status, an inspection, a shipment's event, a code's disposition …)
raises the generation, so the very next scan reads the database again. The generation is
raised at once and again when the transaction commits, so a scan that read the old rows
between the two cannot leave them cached. Services that change those records with a bulk
``update()`` (which sends no signal) call :func:`changed` themselves.

Each process also keeps the entries it served last in memory (:func:`look_up`), under
the generation they were read at. With Redis, the script that records the scan checks
that generation in the same round trip (``scan_buffer``): a page is then one round trip
to Redis and no rendering; a stale entry is read again before anything is recorded.
Without Redis the generation is read from Django's cache first.

Entries also expire after ``TRACE_CACHE_SECONDS``, which bounds what only the calendar
changes (a certificate or licence passing its end date). A cache that fails (Redis
unreachable) is skipped: the page is then built from the database."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from brand.services import licence_status_for

from . import services
from .models import Disposition
from .services import scan_buffer
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

# The page's slots, replaced on each scan: no text of a page can contain a NUL character
# (PostgreSQL stores none).
NOTICE_SLOT = "\x00scan-notice\x00"
COUNT_SLOT = "\x00scan-count\x00"
FIRST_SLOT = "\x00first-scan\x00"

# Entries this process served last, by (language, code): (generation, built at, entry).
LOCAL_ENTRIES = 1000
_local: OrderedDict[tuple[str, str], tuple[int, float, dict]] = OrderedDict()
_local_lock = threading.Lock()
# The generation Redis answered with last: where a process looks first for an entry it
# does not hold.
_last_generation = 0


def _page(data: dict, brand: dict | None) -> dict:
    """The trace page in the current language, around the scan notice's slot, and the
    notice's two forms (the first look-up; the count and the first look-up's time)."""
    # The page is the same for every visitor: rendered for its canonical address (the
    # language links lead back to it), with no visitor's session, cookie or token.
    request = HttpRequest()
    request.path = request.path_info = f"/t/{data['code']}"
    request.method = "GET"
    page = render_to_string("supplychain/trace.html",
                            {"t": data, "brand": brand, "scan_notice": mark_safe(NOTICE_SLOT)},
                            request=request)
    before, _slot, after = page.partition(NOTICE_SLOT)
    return {
        "before": before, "after": after,
        "first": render_to_string("supplychain/_scan_notice.html", {"first_scan": True}),
        "again": render_to_string("supplychain/_scan_notice.html", {
            "first_scan": False, "scan_count": COUNT_SLOT, "first_scanned_at": FIRST_SLOT}),
    }


def _entry(trace) -> dict:
    run = trace.packing_run
    data = services.trace_view(trace)
    brand = licence_status_for(product=run.variant.product,
                               reference=f"packing-run:{trace.packing_run_id}")
    if brand is not None:
        brand = {**brand, "status_display": str(brand["status_display"])}
    shown = {**data, "scan_count": None, "first_scanned_at": None}
    return {
        "trace_id": trace.pk, "data": data, "brand": brand, "page": _page(shown, brand),
        "built_at": time.time(),
        "scan_count": trace.scan_count, "first_scanned_at": trace.first_scanned_at,
        "before_shipping": trace.shipped_at is None
        and trace.disposition == Disposition.ACTIVE,
    }


def _held(language: str, code: str) -> tuple[int, dict] | None:
    """The entry this process holds for the code, while younger than the cache's limit
    (counted from when it was built, in whichever process)."""
    with _local_lock:
        found = _local.get((language, code))
        if found is None:
            return None
        current, built_at, entry = found
        if time.time() - built_at > settings.TRACE_CACHE_SECONDS:
            del _local[(language, code)]
            return None
        _local.move_to_end((language, code))
        return current, entry


def _hold(language: str, code: str, current: int, entry: dict) -> None:
    with _local_lock:
        _local[(language, code)] = (current, entry["built_at"], entry)
        _local.move_to_end((language, code))
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def _drop(language: str, code: str) -> None:
    with _local_lock:
        _local.pop((language, code), None)


def _read(normal: str, language: str, current: int) -> dict | None:
    """The entry of an issued code as of generation ``current`` (read before the
    database, so that rows read after a change are never kept under the generation before
    it): from the shared cache, else built from the database and cached (not when
    ``current`` is 0: no cache)."""
    key = f"trace:entry:{current}:{language}:{normal}"
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


def page_entry(code: str) -> dict | None:
    """The cached page entry of a typed or scanned code (per language: it holds display
    names), ``None`` for a code never issued (not cached: a code issued a moment later is
    found)."""
    normal = services.normalise_code(code)
    if normal is None:
        return None
    return _read(normal, get_language(), generation())


@dataclass
class Looked:
    """A look-up of the trace page: the code's entry (``None``: never issued) and what
    the look-up added (``counted.retry_after``: refused, nothing recorded)."""

    entry: dict | None
    counted: services.Counted


def look_up(code: str, *, source: str, address: str = "", user_agent: str = "") -> Looked:
    """Find a typed or scanned code's page entry and record the look-up: an entry this
    process holds is checked for being current by the script that records the scan (one
    round trip to Redis), and read again when it is not; a code never issued counts
    against the client's budget of such look-ups in the same round trip."""
    global _last_generation
    record = {"source": source, "address": address, "user_agent": user_agent}
    normal = services.normalise_code(code)
    if normal is None:
        return Looked(None, services.scan_code(None, code, limit_unknown=True, **record))
    language = get_language()
    held = _held(language, normal)
    if held is not None and scan_buffer.client() is None and held[0] != generation():
        held = None
    for _attempt in range(3):
        checked_by_redis = scan_buffer.client() is not None
        if held is None:
            current = (_last_generation if checked_by_redis and _last_generation
                       else generation())
            entry = _read(normal, language, current)
            if entry is None:
                return Looked(None, services.scan_code(None, code, limit_unknown=True,
                                                       **record))
            if current:
                _hold(language, normal, current, entry)
            held = (current, entry)
        current, entry = held
        counted = services.scan_code(
            entry, code, generation=current if checked_by_redis and current else None,
            **record)
        if counted.generation:
            _last_generation = counted.generation
        if not counted.stale:
            return Looked(entry, counted)
        _drop(language, normal)
        held = None
    # The generation moved on three times while this page was read: read it once more
    # and record the look-up without the check.
    entry = _read(normal, language, generation())
    return Looked(entry, services.scan_code(entry, code, limit_unknown=entry is None,
                                            **record))


def fill(entry: dict, counted: services.Counted) -> str:
    """The trace page of ``entry`` with this look-up's notice in its slot."""
    page = entry["page"]
    if counted.scan_count <= 1:
        notice = page["first"]
    else:
        first = counted.first_scanned_at
        notice = page["again"].replace(COUNT_SLOT, str(counted.scan_count)).replace(
            FIRST_SLOT, timezone.localtime(first).strftime("%Y-%m-%d %H:%M") if first else "")
    return page["before"] + notice + page["after"]


def connect() -> None:
    """Listen for changes of the watched records (called by SupplychainConfig.ready)."""
    for label in WATCHED:
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=label, weak=False,
                           dispatch_uid=f"trace_cache.{signal is post_save}.{label}")
    m2m_changed.connect(changed, weak=False, dispatch_uid="trace_cache.m2m")
