"""What the trace page shows about a code, cached (``django.core.cache``: Redis in
production) and invalidated by the events that change it.

The cached entry is everything but the scan counter: the public trace view (lot, base,
inspection, grade, producer, recall state, journey), the brand licence's status and the
page itself, rendered once in the entry's language with a slot for the part each scan
changes (the first-scan notice or the count), so that a scan only fills the slot. Each
entry is kept with the *stamp* it was built at (``shop.versions``): the version of every
trace page and the version of its code's graded lot. A save or delete of a record the
page shows raises the versions it touches (``services.invalidation``: a recall raises its
lots', a licence's status every page's), so the very next scan of an affected code reads
the database again, and the other lots' pages stay cached.

Each process also keeps the entries it served last in memory (:func:`look_up`). With
Redis, the script that records the scan checks the entry's stamp in the same round trip
(``scan_buffer``): a page is then one round trip to Redis and no rendering; a stale entry
is read again before anything is recorded. Without Redis the stamp is read from Django's
cache first.

What only the calendar changes is bounded by when an entry expires: at the latest after
``TRACE_CACHE_SECONDS``, and no later than the end of the day its brand licence or one
of its certificates lapses. A cache that fails (Redis unreachable) is skipped: the page is
then built from the database."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as day_start

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from brand.services import licence_status_for
from shop import versions

from . import services
from .models import Disposition, TraceCode
from .services import scan_buffer
from .services.invalidation import stamp_keys

log = logging.getLogger(__name__)

# The page's slots, replaced on each scan: no text of a page can contain a NUL character
# (PostgreSQL stores none).
NOTICE_SLOT = "\x00scan-notice\x00"
COUNT_SLOT = "\x00scan-count\x00"
FIRST_SLOT = "\x00first-scan\x00"

# Entries this process served last, by (language, code).
LOCAL_ENTRIES = 1000
_local: OrderedDict[tuple[str, str], dict] = OrderedDict()
_local_lock = threading.Lock()


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


def _end_of(day) -> float:
    """The moment ``day`` ends (local time)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), day_start.min)).timestamp()


def _expires(data: dict, brand: dict | None, now: float) -> float:
    """When the entry stops being right on its own: the cache's limit, or the end of the
    day a licence in force or a valid certificate lapses, whichever comes first."""
    ends = [now + settings.TRACE_CACHE_SECONDS]
    if brand is not None and brand["in_force"]:
        ends.append(_end_of(brand["valid_until"]))
    ends += [_end_of(c["valid_until"]) for c in data["certifications"] if c["is_valid"]]
    return min(ends)


def _entry(trace, keys: list[str], stamp: tuple[int, ...] | None) -> dict:
    run = trace.packing_run
    data = services.trace_view(trace)
    brand = licence_status_for(product=run.variant.product,
                               reference=f"packing-run:{trace.packing_run_id}")
    if brand is not None:
        brand = {**brand, "status_display": str(brand["status_display"])}
    shown = {**data, "scan_count": None, "first_scanned_at": None}
    now = time.time()
    return {
        "trace_id": trace.pk, "lot_id": run.graded_lot_id, "keys": keys, "stamp": stamp,
        "data": data, "brand": brand, "page": _page(shown, brand),
        "expires": _expires(data, brand, now),
        "scan_count": trace.scan_count, "first_scanned_at": trace.first_scanned_at,
        "before_shipping": trace.shipped_at is None
        and trace.disposition == Disposition.ACTIVE,
    }


def _shared_key(language: str, code: str) -> str:
    return f"trace:entry:{language}:{code}"


def _held(language: str, code: str) -> dict | None:
    """The entry this process holds for the code, until it expires."""
    with _local_lock:
        entry = _local.get((language, code))
        if entry is None:
            return None
        if entry["expires"] <= time.time():
            del _local[(language, code)]
            return None
        _local.move_to_end((language, code))
        return entry


def _hold(language: str, code: str, entry: dict) -> None:
    with _local_lock:
        _local[(language, code)] = entry
        _local.move_to_end((language, code))
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def _drop(language: str, code: str) -> None:
    with _local_lock:
        _local.pop((language, code), None)


def _shared(language: str, code: str) -> dict | None:
    """The entry another process (or this one) stored in the shared cache."""
    try:
        entry = cache.get(_shared_key(language, code))
    except Exception:  # noqa: BLE001 - no cache: built from the database
        return None
    if entry is None or entry["expires"] <= time.time():
        return None
    _hold(language, code, entry)
    return entry


def _build(code: str, language: str, lot_id: int | None = None,
           stamp: tuple[int, ...] | None = None) -> dict | None:
    """The entry of an issued code from the database (``None``: never issued), kept in
    this process and the shared cache when its stamp could be read. The stamp is read
    before the rows (or given: read before this call), so rows read after a change are
    never kept under the stamp before it; the code's graded lot, which never changes, is
    found first for that."""
    if lot_id is None:
        lot_id = (TraceCode.objects.filter(code=code).order_by()
                  .values_list("packing_run__graded_lot_id", flat=True).first())
        if lot_id is None:
            return None
    keys = stamp_keys(lot_id)
    if stamp is None:
        stamp = versions.read(keys)
    trace = services.find_trace_code(code)
    if trace is None:
        return None
    entry = _entry(trace, keys, stamp)
    if stamp is not None:
        _hold(language, code, entry)
        try:
            cache.set(_shared_key(language, code), entry,
                      max(1, int(entry["expires"] - time.time())))
        except Exception:  # noqa: BLE001
            log.warning("trace page entry not cached", exc_info=True)
    return entry


def _current(entry: dict, code: str, language: str) -> dict | None:
    """Without Redis to check it while recording the scan: ``entry`` if its stamp is
    current (one read of Django's cache), else the entry read again."""
    current = versions.read(entry["keys"])
    if current is not None and current == entry["stamp"]:
        return entry
    _drop(language, code)
    return _build(code, language, entry["lot_id"], current)


@dataclass
class Looked:
    """A look-up of the trace page: the code's entry (``None``: never issued) and what
    the look-up added (``counted.retry_after``: refused, nothing recorded)."""

    entry: dict | None
    counted: services.Counted


def look_up(code: str, *, source: str, address: str = "", user_agent: str = "",
            counts: bool = True) -> Looked:
    """Find a typed or scanned code's page entry and record the look-up (the page, its
    JSON and the API's ``traceCode`` alike): an entry this process holds is checked for
    being current by the script that records the scan (one round trip to Redis), and
    read again when it is not; a code never issued counts against the client's budget of
    such look-ups in the same round trip. ``counts=False`` (a touch screen) keeps the
    scan without adding to the code's count (``services.scan_code``)."""
    record = {"source": source, "address": address, "user_agent": user_agent,
              "counted": counts}
    normal = services.normalise_code(code)
    if normal is None:
        return Looked(None, services.scan_code(None, code, limit_unknown=True, **record))
    language = get_language()
    entry = _held(language, normal) or _shared(language, normal)
    if scan_buffer.client() is None:
        entry = _build(normal, language) if entry is None else _current(entry, normal, language)
        return Looked(entry, services.scan_code(entry, code, limit_unknown=entry is None,
                                                **record))
    for _attempt in range(3):
        if entry is None:
            entry = _build(normal, language)
            if entry is None:
                return Looked(None, services.scan_code(None, code, limit_unknown=True,
                                                       **record))
        if entry["stamp"] is None:  # built without a stamp: nothing to check
            break
        counted = services.scan_code(entry, code, stamp_keys=entry["keys"],
                                     stamp=entry["stamp"], **record)
        if not counted.stale:
            return Looked(entry, counted)
        # Read again at the stamp Redis answered with (read before the rows are).
        _drop(language, normal)
        entry = _build(normal, language, entry["lot_id"], counted.stamp)
    # Built without a stamp, or the versions moved on three times while this page was
    # read: the entry just read is recorded without the check.
    return Looked(entry, services.scan_code(entry, code, limit_unknown=entry is None, **record))


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
