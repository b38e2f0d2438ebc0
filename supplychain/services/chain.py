"""The whole chain for livestock and food: farm inputs (with the withdrawal periods of
veterinary drugs and pesticides: a lot is not packed inside one), slaughter and processing
steps, and cold-chain temperature logs uploaded as a logger's CSV, each span outside the
allowed range flagged. ``chain_timeline`` is what the trace page shows of them.

A wrong record is corrected by ``void_chain_record``: kept with who voided it, when and
why (and the record entered in its place, if any), left out of the trace page and of the
withdrawal-period check, and declared an error in the EPCIS export."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from shop import validators
from shop.errors import field_error

from .. import trace_texts as texts
from ..error_codes import SupplyChainErrorCode as E
from ..models import (
    ColdChainLog,
    FarmInput,
    PackingRun,
    ProcessingStep,
    SourcingLot,
    TemperatureReading,
)
from .common import same_org
from .invalidation import changed, lots_showing

# The largest logger file taken: a month of one reading a minute is about 1.5 MB of CSV.
MAX_LOG_BYTES = 5 * 1024 * 1024

# A logger's CSV: at most this many readings (a month at one a minute).
MAX_READINGS = 50_000
MAX_WITHDRAWAL_DAYS = 365
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


def _text(value, field, max_length, required=False) -> str:
    return validators.clean_text(value, field, E.INVALID, max_length=max_length,
                                 required=required)


@transaction.atomic
def record_farm_input(sourcing_lot: SourcingLot, *, kind: str, name: str, applied_on: date,
                      withdrawal_days: int = 0, quantity: str = "", batch_number: str = "",
                      user=None) -> FarmInput:
    """Record a feed, fertiliser, veterinary drug or pesticide given for ``sourcing_lot``."""
    if kind not in FarmInput.Kind.values:
        raise field_error("kind", _("Unknown kind of farm input: %(value)s.") % {"value": kind},
                          E.INVALID)
    if not isinstance(applied_on, date) or applied_on > timezone.localdate():
        raise field_error("applied_on", _("Give the day it was used, not a future one."),
                          E.INVALID)
    if (not isinstance(withdrawal_days, int) or isinstance(withdrawal_days, bool)
            or not 0 <= withdrawal_days <= MAX_WITHDRAWAL_DAYS):
        raise field_error("withdrawal_days", _("The withdrawal period is 0 to %(n)s days.")
                          % {"n": MAX_WITHDRAWAL_DAYS}, E.INVALID)
    record = FarmInput.objects.create(
        sourcing_lot=sourcing_lot, kind=kind, name=_text(name, "name", 128, required=True),
        quantity=_text(quantity, "quantity", 64),
        batch_number=_text(batch_number, "batch_number", 64), applied_on=applied_on,
        withdrawal_days=withdrawal_days, recorded_by=user)
    changed(lots_showing(record))
    return record


def withdrawal_blocks(lot_ids, day: date) -> list[FarmInput]:
    """The inputs whose withdrawal period still runs on ``day`` for these lots."""
    return [i for i in FarmInput.objects.filter(sourcing_lot_id__in=list(lot_ids),
                                                withdrawal_days__gt=0, voided_at__isnull=True)
            .select_related("sourcing_lot").order_by("applied_on", "pk")
            if i.withdrawal_ends_on > day]


def check_withdrawal(lot_ids, day: date) -> None:
    """Refuse packing on ``day`` while a drug's or pesticide's withdrawal period runs."""
    blocks = withdrawal_blocks(lot_ids, day)
    if blocks:
        first = max(blocks, key=lambda i: i.withdrawal_ends_on)
        raise field_error("graded_lot", _("Lot %(lot)s had %(input)s on %(day)s: its withdrawal "
                                          "period runs until %(until)s, so it cannot be packed "
                                          "for sale before then.")
                          % {"lot": first.sourcing_lot.lot_number, "input": first.name,
                             "day": first.applied_on.isoformat(),
                             "until": first.withdrawal_ends_on.isoformat()},
                          E.WITHDRAWAL_PERIOD)


@transaction.atomic
def record_processing_step(sourcing_lot: SourcingLot, *, kind: str, performed_at: datetime,
                           location: str = "", certificate: str = "", notes: str = "",
                           user=None) -> ProcessingStep:
    if kind not in ProcessingStep.Kind.values:
        raise field_error("kind", _("Unknown processing step: %(value)s.") % {"value": kind},
                          E.INVALID)
    if not isinstance(performed_at, datetime) or performed_at > timezone.now():
        raise field_error("performed_at", _("Give when it was done, not a future time."),
                          E.INVALID)
    if kind == ProcessingStep.Kind.SLAUGHTER:
        check_withdrawal([sourcing_lot.pk], timezone.localtime(performed_at).date())
    step = ProcessingStep.objects.create(
        sourcing_lot=sourcing_lot, kind=kind, performed_at=performed_at,
        location=_text(location, "location", 255), certificate=_text(certificate,
                                                                     "certificate", 64),
        notes=_text(notes, "notes", 255), recorded_by=user)
    changed(lots_showing(step))
    return step


def _reading_time(text: str, line: int) -> datetime:
    text = (text or "").strip()
    parsed = parse_datetime(text.replace("/", "-")) if text else None
    if parsed is None:
        for fmt in _TIME_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        raise field_error("file", _("Line %(line)s: %(value)s is not a time.")
                          % {"line": line, "value": text[:40]}, E.INVALID)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def parse_logger_csv(content: bytes | str) -> list[tuple[datetime, Decimal]]:
    """``(time, °C)`` rows of a logger's CSV: a header line, then the time in the first
    column and the temperature in the second (further columns, such as humidity, are
    ignored). Times without a zone are local time."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            content = content.decode("gb18030", errors="replace")
    rows = []
    reader = csv.reader(io.StringIO(content))
    next(reader, None)  # the header
    for line, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(rows) >= MAX_READINGS:
            raise field_error("file", _("A log holds at most %(n)s readings.")
                              % {"n": MAX_READINGS}, E.INVALID)
        when = _reading_time(row[0], line)
        try:
            celsius = Decimal(row[1].strip().replace("℃", "").replace("°C", ""))
        except (IndexError, InvalidOperation):
            celsius = None
        if celsius is None or not celsius.is_finite() or not -90 <= celsius <= 90:
            raise field_error("file", _("Line %(line)s has no temperature.") % {"line": line},
                              E.INVALID)
        rows.append((when, celsius.quantize(Decimal("0.01"))))
    if not rows:
        raise field_error("file", _("The file has no readings."), E.REQUIRED)
    return sorted(rows)


def excursions(readings, low: Decimal, high: Decimal) -> list[dict]:
    """The spans of consecutive readings outside ``[low, high]``."""
    spans, current = [], None
    for when, celsius in readings:
        if low <= celsius <= high:
            current = None
            continue
        if current is None:
            current = {"start": when, "end": when, "readings": 0, "lowest": celsius,
                       "highest": celsius}
            spans.append(current)
        current["end"] = when
        current["readings"] += 1
        current["lowest"] = min(current["lowest"], celsius)
        current["highest"] = max(current["highest"], celsius)
    return [{"start": s["start"].isoformat(), "end": s["end"].isoformat(),
             "readings": s["readings"], "lowest": str(s["lowest"]),
             "highest": str(s["highest"])} for s in spans]


@transaction.atomic
def upload_cold_chain_log(organization, content, *, min_celsius, max_celsius,
                          sourcing_lot: SourcingLot | None = None,
                          packing_run: PackingRun | None = None, device: str = "",
                          user=None) -> ColdChainLog:
    """Store a logger's CSV (bytes, or an uploaded file) for a lot or a packing run of
    ``organization``, with the spans out of ``[min_celsius, max_celsius]`` flagged."""
    if hasattr(content, "read"):
        content = content.read(MAX_LOG_BYTES + 1)
    if len(content) > MAX_LOG_BYTES:
        raise field_error("file", _("The file is over %(n)s MB.") % {
            "n": MAX_LOG_BYTES // (1024 * 1024)}, E.INVALID)
    if (sourcing_lot is None) == (packing_run is None):
        raise field_error(None, _("Give either a sourcing lot or a packing run."), E.REQUIRED)
    subject = sourcing_lot or packing_run
    same_org(subject.organization_id, organization, "sourcing_lot" if sourcing_lot
             else "packing_run")
    try:
        low, high = Decimal(str(min_celsius)), Decimal(str(max_celsius))
    except InvalidOperation:
        raise field_error("min_celsius", _("Give the allowed range in °C."), E.INVALID) from None
    if not (low.is_finite() and high.is_finite() and -90 <= low < high <= 90):
        raise field_error("max_celsius", _("The highest allowed temperature must be above the "
                                           "lowest."), E.INVALID)
    readings = parse_logger_csv(content)
    values = [c for _w, c in readings]
    log = ColdChainLog.objects.create(
        organization=organization, sourcing_lot=sourcing_lot, packing_run=packing_run,
        device=_text(device, "device", 64), min_celsius=low, max_celsius=high,
        started_at=readings[0][0], ended_at=readings[-1][0], reading_count=len(readings),
        lowest=min(values), highest=max(values), excursions=excursions(readings, low, high),
        recorded_by=user)
    TemperatureReading.objects.bulk_create(
        [TemperatureReading(log=log, recorded_at=w, celsius=c) for w, c in readings],
        batch_size=5000)
    changed(lots_showing(log))
    return log


def chain_records(lot_ids, run_ids=(), *, voided: bool = False) -> dict:
    """Farm inputs, processing steps and cold-chain logs of these lots and runs: those in
    force, or with ``voided`` also the voided ones (the member's history, EPCIS)."""
    lot_ids, run_ids = list(lot_ids), list(run_ids)
    kept = Q() if voided else Q(voided_at__isnull=True)
    # A voided record is shown with who voided it and what replaced it.
    void = ("voided_by", "replaced_by") if voided else ()
    return {
        "inputs": list(FarmInput.objects.filter(kept, sourcing_lot_id__in=lot_ids)
                       .select_related("sourcing_lot", *void)),
        "steps": list(ProcessingStep.objects.filter(kept, sourcing_lot_id__in=lot_ids)
                      .select_related("sourcing_lot", *void)),
        "logs": list(ColdChainLog.objects.filter(kept, Q(sourcing_lot_id__in=lot_ids)
                                                 | Q(packing_run_id__in=run_ids))
                     .select_related("sourcing_lot", "packing_run__variant",
                                     "packing_run__graded_lot", *void)),
    }


CHAIN_RECORDS = (FarmInput, ProcessingStep, ColdChainLog)


def record_organization_id(record) -> int:
    """The organisation a chain record belongs to: its lot's, or its log's."""
    if isinstance(record, ColdChainLog):
        return record.organization_id
    return record.sourcing_lot.organization_id


def _same_subject(record, other) -> bool:
    if isinstance(record, ColdChainLog):
        return (other.sourcing_lot_id, other.packing_run_id) == (record.sourcing_lot_id,
                                                                 record.packing_run_id)
    return other.sourcing_lot_id == record.sourcing_lot_id


@transaction.atomic
def void_chain_record(record, user, *, reason: str, replaced_by=None):
    """The cooperative that owns ``record`` (a farm input, processing step or cold-chain
    log) voids it, with a reason, and names the record entered in its place when it was
    typed wrong (one of the same kind for the same lot or run, in force). The record is
    kept; the trace page forgets it at once."""
    if not isinstance(record, CHAIN_RECORDS):
        raise TypeError(f"not a chain record: {record!r}")
    model = type(record)
    record = model.objects.select_for_update(of=("self",)).select_related(
        "sourcing_lot").get(pk=record.pk)
    if user is None or record_organization_id(record) not in user.organization_ids():
        raise PermissionDenied(_("You can only manage your own organisation's records"))
    if record.is_voided:
        raise field_error(None, _("This record was already voided on %(day)s.")
                          % {"day": timezone.localtime(record.voided_at).strftime("%Y-%m-%d")},
                          E.ALREADY_VOIDED)
    reason = _text(reason, "reason", 255)
    if not reason:
        raise field_error("reason", _("Give a reason."), E.REQUIRED)
    if replaced_by is not None:
        if (not isinstance(replaced_by, model) or replaced_by.pk == record.pk
                or replaced_by.is_voided or not _same_subject(record, replaced_by)):
            raise field_error("replaced_by", _("Name a record in force of the same kind for "
                                               "the same lot."), E.INVALID)
    record.voided_at = timezone.now()
    record.voided_by = user
    record.void_reason = reason
    record.replaced_by = replaced_by
    record.save(update_fields=["voided_at", "voided_by", "void_reason", "replaced_by"])
    changed(lots_showing(record))
    return record


def chain_timeline(lot_ids, run_ids=()) -> list[dict]:
    """What the trace page shows, oldest first: ``{"time", "kind", "title", "detail",
    "flagged"}`` for each farm input (with its withdrawal period), processing step and
    cold-chain log (its range, and the spans outside it flagged)."""
    records = chain_records(lot_ids, run_ids)
    zone = timezone.get_current_timezone()
    entries = []
    for i in records["inputs"]:
        detail = " · ".join(filter(None, [i.quantity, i.batch_number and _(texts.BATCH) % {
            "n": i.batch_number}]))
        if i.withdrawal_days:
            detail = " · ".join(filter(None, [detail, _(texts.WITHDRAWAL) % {
                "n": i.withdrawal_days, "day": i.withdrawal_ends_on.isoformat()}]))
        entries.append({"time": timezone.make_aware(datetime.combine(i.applied_on,
                                                                     datetime.min.time()), zone),
                        "kind": i.get_kind_display(), "title": i.name, "detail": detail,
                        "flagged": False})
    for s in records["steps"]:
        entries.append({"time": s.performed_at, "kind": s.get_kind_display(),
                        "title": s.location,
                        "detail": " · ".join(filter(None, [s.certificate, s.notes])),
                        "flagged": False})
    for log in records["logs"]:
        spans = log.excursions
        detail = _(texts.READINGS) % {
            "n": log.reading_count, "low": log.lowest, "high": log.highest,
            "min": log.min_celsius, "max": log.max_celsius}
        if spans:
            detail += " · " + _(texts.OUT_OF_RANGE) % {
                "n": len(spans), "spans": "; ".join(
                    f"{timezone.localtime(datetime.fromisoformat(s['start'])):%m-%d %H:%M}–"
                    f"{timezone.localtime(datetime.fromisoformat(s['end'])):%H:%M} "
                    f"({s['lowest']}~{s['highest']} °C)" for s in spans)}
        entries.append({"time": log.started_at, "kind": _(texts.COLD_CHAIN), "title": log.device,
                        "detail": detail, "flagged": bool(spans)})
    return sorted(entries, key=lambda e: e["time"])
