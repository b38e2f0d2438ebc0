"""Scans and the public trace view: finding a code (typed, scanned or as a GS1 Digital
Link), counting each look-up with its anomaly flags, and what the public may see of a
code's history."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ..codes import normalise_code, trace_url
from ..models import (
    Certification,
    Disposition,
    GradingInput,
    ProducerProfile,
    Recall,
    Scan,
    SourcingLot,
    TraceCode,
)
from ..trace_texts import reason_text
from . import scan_buffer
from .chain import chain_timeline
from .events import code_events
from .sourcing import latest_inspections


def find_trace_code(text: str) -> TraceCode | None:
    code = normalise_code(text)
    if code is None:
        return None
    # No ORDER BY: the unique index on ``code`` finds the row; the producer profile comes
    # in the same query for the trace page.
    rows = TraceCode.objects.select_related(
        "packing_run__variant__product__organization__producer_profile",
        "packing_run__graded_lot__grade", "packing_run__warehouse").filter(code=code).order_by()
    return next(iter(rows[:1]), None)


def find_digital_link(gtin: str, lot: str, serial: str) -> TraceCode | None:
    """GS1 Digital Link ``/01/<gtin>/10/<lot>/21/<serial>``: the serial (AI 21) is the trace
    code itself, so the link is as unguessable as ``/t/<code>``; GTIN and lot must match."""
    trace = find_trace_code(serial)
    if trace is None:
        return None
    run = trace.packing_run
    if run.variant.gtin.lstrip("0") != (gtin or "").lstrip("0") or \
            run.graded_lot.lot_number != lot:
        return None
    return trace


def coarse_network(address: str) -> str:
    """The caller's network, not the address: IPv4 /24, IPv6 /48."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def record_scan(trace: TraceCode | None, code_text: str, *, source: str, address: str = "",
                user_agent: str = "") -> Scan:
    """Count a look-up and keep it with its anomaly flags: a code never issued, a package
    scanned before it was shipped, a code scanned more often than one package would be.

    Every scan of the trace page comes through here, so it costs one statement: the
    counter update (``UPDATE … RETURNING``) and the scan's insert are one writable CTE,
    atomic on its own, with the flags computed from the counted row."""
    now = timezone.now()
    scan = Scan(trace_code=trace, code_text=(code_text or "")[:64], scanned_at=now,
                source=source, network=coarse_network(address),
                user_agent=(user_agent or "")[:255], never_issued=trace is None)
    if trace is None:
        scan.is_flagged = True
        scan.save()
        return scan
    with connection.cursor() as cursor:
        cursor.execute(_SCAN_SQL.format(codes=TraceCode._meta.db_table,
                                         scans=Scan._meta.db_table), {
            "id": trace.pk, "now": now, "active": Disposition.ACTIVE.value,
            "threshold": settings.TRACE_SCAN_ALERT_THRESHOLD, "text": scan.code_text,
            "source": scan.source, "network": scan.network, "agent": scan.user_agent})
        scan.pk, count, first, scan.before_shipping, scan.too_many = cursor.fetchone()
    scan.is_flagged = scan.before_shipping or scan.too_many
    scan._state.adding, scan._state.db = False, connection.alias
    trace.scan_count, trace.first_scanned_at, trace.last_scanned_at = count, first, now
    return scan


_SCAN_SQL = """
WITH counted AS (
    UPDATE {codes} SET scan_count = scan_count + 1, last_scanned_at = %(now)s,
                       first_scanned_at = COALESCE(first_scanned_at, %(now)s)
    WHERE id = %(id)s
    RETURNING scan_count, first_scanned_at,
              (shipped_at IS NULL AND disposition = %(active)s) AS before_shipping,
              (scan_count > %(threshold)s) AS too_many
), scan AS (
    INSERT INTO {scans} (trace_code_id, code_text, scanned_at, source, network, user_agent,
                         never_issued, before_shipping, too_many, is_flagged)
    SELECT %(id)s, %(text)s, %(now)s, %(source)s, %(network)s, %(agent)s,
           false, before_shipping, too_many, before_shipping OR too_many FROM counted
    RETURNING id
)
SELECT scan.id, counted.scan_count, counted.first_scanned_at, counted.before_shipping,
       counted.too_many FROM scan, counted"""


@dataclass
class Counted:
    """What a look-up adds to the page: the code's scan count and first scan's time, and
    whether this look-up was recorded (a repeat by the same client inside
    ``TRACE_SCAN_REPEAT_SECONDS`` is shown, not counted again).

    Nothing is recorded either when ``retry_after`` is set (a code never issued, beyond
    the client's budget: the seconds to wait) or when ``stale`` is (the page entry the
    caller holds was built at another stamp than the current one, or Redis could not
    say: read the entry again and retry). ``stamp`` is the current stamp Redis answered
    with."""

    recorded: bool
    scan_count: int
    first_scanned_at: datetime | None
    retry_after: int | None = None
    stale: bool = False
    stamp: tuple[int, ...] | None = None


def scan_code(entry: dict | None, code_text: str, *, source: str, address: str = "",
              user_agent: str = "", stamp_keys: list[str] = (),
              stamp: tuple[int, ...] | None = None, limit_unknown: bool = False,
              counted: bool = True) -> Counted:
    """Record a look-up of the trace page's code (``entry`` from ``trace_cache``, ``None``
    for a code never issued). Through the Redis buffer when there is one (one round trip;
    written to the database by ``flush_scans``), else directly (``record_scan``).

    ``stamp``: the values of the versions ``stamp_keys`` that ``entry`` was built at; the
    look-up is recorded only while they are current (checked in the same round trip).
    ``limit_unknown``: a code never issued counts against the client's budget of such
    look-ups (``TRACE_UNKNOWN_BUDGET``), checked in the same round trip too.
    ``counted=False`` (a touch screen's look-up): the scan is kept, unflagged, but adds
    nothing to the code's count or first scan, which it answers as they stand."""
    now = timezone.now()
    trace_id = entry["trace_id"] if entry else None
    scan = {"id": trace_id, "t": (code_text or "")[:64], "at": now.isoformat(),
            "s": source, "n": coarse_network(address), "ua": (user_agent or "")[:255],
            "ni": entry is None,
            "bs": bool(counted and entry and entry["before_shipping"])}
    if not counted:
        scan["nc"] = True
    budget = settings.TRACE_UNKNOWN_BUDGET if entry is None and limit_unknown else None
    buffered = scan_buffer.buffer_scan(
        scan, trace_id=trace_id, client_key=address or "-",
        seed_count=entry["scan_count"] if entry else 0,
        seed_first=entry["first_scanned_at"] if entry else None, now=now,
        stamp_keys=stamp_keys if entry else (), expected_stamp=stamp if entry else None,
        unknown_budget=budget, counted=counted)
    if buffered is not None:
        if buffered.outcome == scan_buffer.STALE:
            return Counted(False, 0, None, stale=True, stamp=buffered.stamp)
        if buffered.outcome == scan_buffer.OVER_BUDGET:
            return Counted(False, 0, None, retry_after=buffered.count, stamp=buffered.stamp)
        first = parse_datetime(buffered.first) if buffered.first else None
        return Counted(buffered.outcome == scan_buffer.RECORDED, buffered.count, first,
                       stamp=buffered.stamp)
    if entry is None:
        if limit_unknown:
            retry_after = _unknown_code_retry_after(address)
            if retry_after:
                return Counted(False, 0, None, retry_after=retry_after)
        record_scan(None, code_text, source=source, address=address, user_agent=user_agent)
        return Counted(True, 0, None)
    if stamp is not None:
        # Redis was to say whether the entry is current and did not answer.
        return Counted(False, 0, None, stale=True)
    trace = TraceCode(pk=trace_id, scan_count=entry["scan_count"])
    first_in_window = _first_in_window(trace_id, address)
    if not counted or not first_in_window:
        current = (TraceCode.objects.filter(pk=trace_id)
                   .values_list("scan_count", "first_scanned_at").first() or (0, None))
        if not counted and first_in_window:  # kept, adding nothing to the count
            Scan.objects.create(trace_code_id=trace_id, code_text=scan["t"], scanned_at=now,
                                source=source, network=scan["n"], user_agent=scan["ua"])
        return Counted(not counted and first_in_window, *current)
    record_scan(trace, code_text, source=source, address=address, user_agent=user_agent)
    return Counted(True, trace.scan_count, trace.first_scanned_at)


def _first_in_window(trace_id: int, address: str) -> bool:
    """Without Redis: whether this client's look-up of the code is the first in the
    repeat window (the cache remembers it; a failing cache counts every look-up)."""
    window = settings.TRACE_SCAN_REPEAT_SECONDS
    if not window:
        return True
    try:
        return cache.add(f"trace:seen:{trace_id}:{address or '-'}", 1, window)
    except Exception:  # noqa: BLE001 - no cache: count the look-up
        return True


def _unknown_code_retry_after(address: str) -> int | None:
    """Without Redis: look-ups of codes never issued are limited per client
    (``TRACE_UNKNOWN_BUDGET`` per ``TRACE_UNKNOWN_WINDOW_SECONDS``; with Redis the scan's
    script counts them), which slows guessing codes; returns the seconds to wait when this
    client has used its budget, else ``None``. Known codes are never limited."""
    window = settings.TRACE_UNKNOWN_WINDOW_SECONDS
    key = f"trace:unknown:{address or '-'}"
    try:
        cache.add(key, 0, window)
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        return None
    except Exception:  # noqa: BLE001 - no cache: no budget
        return None
    return window if used > settings.TRACE_UNKNOWN_BUDGET else None


def trace_view(trace: TraceCode) -> dict:
    """Everything the public may see about one code, for the page, JSON and GraphQL.
    Households appear only as a masked name and village."""
    run = trace.packing_run
    graded = run.graded_lot
    product = run.variant.product
    producer = product.organization
    # A few queries whatever the history's size: the lots behind the graded lot (with
    # household and base), their inspections, the bases' certifications, the events.
    sources = list(SourcingLot.objects.filter(
        pk__in=GradingInput.objects.filter(record__outputs=graded.pk).values("sourcing_lot_id"))
        .select_related("household", "base").order_by("harvested_on", "pk"))
    latest = latest_inspections([lot.pk for lot in sources])
    try:
        profile = producer.producer_profile  # select_related by find_trace_code
    except ProducerProfile.DoesNotExist:
        profile = None
    certifications = list(Certification.objects.filter(
        base__in=[lot.base_id for lot in sources if lot.base_id]).order_by("kind", "pk"))
    # A recall marks its graded lots recalled (and new runs from them are refused), so an
    # unrecalled lot needs no look-up.
    recall = (Recall.objects.filter(packing_runs=run).order_by("-created_at").first()
              if graded.is_recalled else None)
    events = code_events(trace, sources=[lot.pk for lot in sources])
    today = timezone.localdate()
    return {
        "code": trace.code,
        "url": trace_url(trace.code),
        "product": product.name,
        "variant": run.variant.name,
        "gtin": run.variant.gtin or None,
        "producer": {"name": producer.name, "county": producer.county,
                     "credit_code": profile.credit_code if profile else None},
        "origins": [{
            "lot": lot.lot_number,
            "harvested_on": lot.harvested_on,
            "household": ({"name": lot.household.public_name,
                           "village": lot.household.village} if lot.household else None),
            "base": ({"name": lot.base.name, "location": lot.base.location,
                      "area_mu": lot.base.area_mu} if lot.base else None),
        } for lot in sources],
        "certifications": [{"kind": c.kind, "kind_display": c.get_kind_display(),
                            "number": c.number, "valid_until": c.valid_until,
                            "is_valid": c.valid_until >= today} for c in certifications],
        "inspections": [{
            "lot": lot.lot_number, "lab": latest[lot.pk].lab,
            "result": latest[lot.pk].result,
            "result_display": latest[lot.pk].get_result_display(),
            "inspected_on": latest[lot.pk].inspected_on,
            "report_url": latest[lot.pk].report.url if latest[lot.pk].report else None,
        } for lot in sources if lot.pk in latest],
        "grade": graded.grade.name,
        "grade_criteria": graded.grade.criteria,
        "lot": graded.lot_number,
        "net_weight_kg": run.net_weight_kg,
        "packed_at": run.packed_at,
        "disposition": trace.disposition,
        "disposition_display": trace.get_disposition_display(),
        "scan_count": trace.scan_count,
        "first_scanned_at": trace.first_scanned_at,
        "recall": ({"level": recall.level, "level_display": recall.get_level_display(),
                    "reason": recall.reason, "recalled_at": recall.created_at}
                   if recall else None),
        "journey": [{"step": e.biz_step, "step_display": e.get_biz_step_display(),
                     "time": e.event_time, "where": e.location, "why": reason_text(e)}
                    for e in events],
        # Farm inputs, slaughter and processing, cold-chain logs (services.chain).
        "chain": chain_timeline([lot.pk for lot in sources], [run.pk]),
    }
