"""The event log as EPCIS 2.0: the events of one package's journey or of one lot, and
their JSON-LD document (CBV business steps and dispositions, GS1 Digital Link identifiers)."""

from __future__ import annotations

import uuid
from datetime import datetime, time

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..codes import trace_url
from ..models import (
    ColdChainLog,
    FarmInput,
    GradedLot,
    ProcessingStep,
    SourcingLot,
    TraceCode,
    TraceEvent,
)
from .chain import chain_records
from .grading import graded_lot_sources


def code_events(trace: TraceCode, sources: list[int] | None = None) -> list[TraceEvent]:
    """The journey of one package: its sourcing lots, their inspections and grading, its
    packing run, then events on the code itself. ``sources``: the sourcing lot ids behind
    the run, when the caller has them."""
    run = trace.packing_run
    if sources is None:
        sources = graded_lot_sources([run.graded_lot_id])[run.graded_lot_id]
    return _nearest(list(TraceEvent.objects.filter(
        Q(trace_code=trace) | Q(packing_run=run) | Q(graded_lot_id=run.graded_lot_id,
                                                     packing_run__isnull=True)
        | Q(sourcing_lot_id__in=sources)).order_by("event_time", "pk")))


def _level(event: TraceEvent) -> int:
    """How near the package an event's subject is: the code, its run, a lot."""
    if event.trace_code_id:
        return 0
    if event.packing_run_id:
        return 1
    return 2 if event.graded_lot_id else 3


def _nearest(events: list[TraceEvent]) -> list[TraceEvent]:
    """One happening recorded on several levels at once (a recall marks the sourcing lot,
    each graded lot and each packing run, at one instant, for one reason) appears once in
    a package's journey: by its record nearest the package. Records of one step at the
    same instant on the same level (two lots received together) are distinct and stay."""
    def happening(event):
        return (event.biz_step, event.event_time, event.disposition, event.reason)

    nearest: dict[tuple, int] = {}
    for event in events:
        key = happening(event)
        nearest[key] = min(nearest.get(key, 3), _level(event))
    return [event for event in events if _level(event) == nearest[happening(event)]]


def lot_events(*, graded_lot: GradedLot | None = None,
               sourcing_lot: SourcingLot | None = None) -> list[TraceEvent]:
    if graded_lot is not None:
        sources = graded_lot_sources([graded_lot.pk])[graded_lot.pk]
        condition = (Q(graded_lot=graded_lot) | Q(sourcing_lot_id__in=sources)
                     | Q(packing_run__graded_lot=graded_lot))
    else:
        graded_ids = list(GradedLot.objects.filter(
            record__inputs__sourcing_lot=sourcing_lot).values_list("pk", flat=True))
        condition = (Q(sourcing_lot=sourcing_lot) | Q(graded_lot_id__in=graded_ids)
                     | Q(packing_run__graded_lot_id__in=graded_ids))
    return list(TraceEvent.objects.filter(condition).filter(trace_code__isnull=True)
                .select_related("packing_run__variant", "graded_lot", "sourcing_lot")
                .order_by("event_time", "pk"))


def _class_uri(variant, lot_number: str, organization_id: int) -> str:
    if variant is not None and variant.gtin:
        return f"{settings.PUBLIC_URL}/01/{variant.gtin}/10/{lot_number}"
    return f"{settings.PUBLIC_URL}/lots/{organization_id}/{lot_number}"


def epc_uri(trace: TraceCode) -> str:
    """A package's identifier: its GS1 Digital Link when the variant has a GTIN (AI 21 is
    the trace code), else its trace URL."""
    run = trace.packing_run
    if run.variant.gtin:
        return (f"{settings.PUBLIC_URL}/01/{run.variant.gtin}/10/{run.graded_lot.lot_number}"
                f"/21/{trace.code}")
    return trace_url(trace.code)


def epcis_document(events: list[TraceEvent], trace: TraceCode | None = None) -> dict:
    """The events as an EPCIS 2.0 JSON-LD document of ObjectEvents (CBV bizSteps and
    dispositions; quantities of lots in kg, packages of a run as a class quantity)."""
    ns = f"{settings.PUBLIC_URL}/ns/trace#"
    event_list = []
    for e in events:
        item = {
            "type": "ObjectEvent",
            "eventID": f"urn:uuid:{e.event_id}",
            "eventTime": e.event_time.isoformat(),
            "eventTimeZoneOffset": timezone.localtime(e.event_time).strftime("%z")[:3] + ":"
            + timezone.localtime(e.event_time).strftime("%z")[3:],
            "recordTime": e.event_time.isoformat(),
            "action": e.action,
            "bizStep": e.biz_step if e.biz_step != "grading" else "sorting",
        }
        if e.disposition:
            item["disposition"] = e.disposition
        if e.trace_code_id:
            item["epcList"] = [epc_uri(trace) if trace and trace.pk == e.trace_code_id
                               else epc_uri(e.trace_code)]
        elif e.packing_run_id:
            run = e.packing_run
            item["quantityList"] = [{
                "epcClass": _class_uri(run.variant, run.graded_lot.lot_number,
                                       e.organization_id),
                "quantity": e.package_count or run.quantity}]
            if trace is not None and trace.packing_run_id == run.pk:
                item["epcList"] = [epc_uri(trace)]
        elif e.graded_lot_id:
            item["quantityList"] = [{
                "epcClass": _class_uri(None, e.graded_lot.lot_number, e.organization_id),
                "quantity": float(e.quantity_kg or 0), "uom": "KGM"}]
        elif e.sourcing_lot_id:
            item["quantityList"] = [{
                "epcClass": _class_uri(None, e.sourcing_lot.lot_number, e.organization_id),
                "quantity": float(e.quantity_kg or 0) if e.quantity_kg else 0, "uom": "KGM"}]
        if e.location:
            item["bizLocation"] = {"id": f"{ns}location", "pavilion:name": e.location}
        if e.reason:
            item["pavilion:reason"] = e.reason
        item["pavilion:organization"] = f"{settings.PUBLIC_URL}/org/{e.organization_id}"
        event_list.append(item)
    lot_ids = {e.sourcing_lot_id for e in events if e.sourcing_lot_id}
    run_ids = {e.packing_run_id for e in events if e.packing_run_id}
    if trace is not None:
        run_ids.add(trace.packing_run_id)
    event_list += chain_events(lot_ids, run_ids, ns)
    event_list.sort(key=lambda item: item["eventTime"])
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
                     {"pavilion": ns}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(),
        "epcisBody": {"eventList": event_list},
    }


def _zone_offset(when) -> str:
    offset = timezone.localtime(when).strftime("%z")
    return f"{offset[:3]}:{offset[3:]}"


# CBV 2.0 business steps of processing; the others are the pavilion's own.
PROCESSING_STEPS = {"slaughter": "slaughtering", "cutting": "transforming",
                    "chilling": "storing", "freezing": "storing", "drying": "transforming",
                    "extracting": "transforming", "other": "transforming"}


# The path of each kind of chain record under the namespace, for its stable event ID.
_RECORD_PATHS = {FarmInput: "input", ProcessingStep: "step", ColdChainLog: "coldchain"}


def _record_event_id(ns: str, model, pk: int) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{ns}{_RECORD_PATHS[model]}/{pk}')}"


def _error_declaration(ns: str, record) -> dict:
    """EPCIS 2.0's correction of a voided record: its event again, under the same eventID,
    with an ``errorDeclaration`` (CBV ``incorrect_data`` pointing at the event of the
    record entered in its place, else ``did_not_occur``)."""
    declaration = {"declarationTime": record.voided_at.isoformat(),
                   "reason": "incorrect_data" if record.replaced_by_id else "did_not_occur",
                   "pavilion:reason": record.void_reason}
    if record.replaced_by_id:
        declaration["correctiveEventIDs"] = [
            _record_event_id(ns, type(record), record.replaced_by_id)]
    return declaration


def chain_events(lot_ids, run_ids, ns: str) -> list[dict]:
    """The farm inputs, processing steps and cold-chain logs of these lots and runs as
    EPCIS 2.0 ObjectEvents; a cold-chain log's readings are a ``sensorElementList``
    (gs1:Temperature in CEL, each reading with its time, plus the log's minimum and
    maximum), its out-of-range spans under ``pavilion:excursions``. A voided record's
    event carries its ``errorDeclaration``."""
    records = chain_records(lot_ids, run_ids, voided=True)
    org = f"{settings.PUBLIC_URL}/org/"
    items = []

    def base(record, when, step: str, organization_id: int, epc_class: str) -> dict:
        item = {"type": "ObjectEvent", "eventID": _record_event_id(ns, type(record), record.pk),
                "eventTime": when.isoformat(), "eventTimeZoneOffset": _zone_offset(when),
                "recordTime": (record.voided_at or when).isoformat(), "action": "OBSERVE",
                "bizStep": step, "quantityList": [{"epcClass": epc_class}],
                "pavilion:organization": f"{org}{organization_id}"}
        if record.voided_at:
            item["errorDeclaration"] = _error_declaration(ns, record)
        return item

    def lot_class(lot) -> str:
        return _class_uri(None, lot.lot_number, lot.organization_id)

    for i in records["inputs"]:
        when = timezone.make_aware(datetime.combine(i.applied_on, time()))
        item = base(i, when,
                    f"{ns}farm_input", i.sourcing_lot.organization_id, lot_class(i.sourcing_lot))
        item["pavilion:farmInput"] = {"kind": i.kind, "name": i.name, "quantity": i.quantity,
                                      "batch": i.batch_number,
                                      "withdrawalDays": i.withdrawal_days,
                                      "withdrawalEndsOn": i.withdrawal_ends_on.isoformat()}
        items.append(item)
    for s in records["steps"]:
        item = base(s, s.performed_at,
                    PROCESSING_STEPS[s.kind], s.sourcing_lot.organization_id,
                    lot_class(s.sourcing_lot))
        if s.location:
            item["bizLocation"] = {"id": f"{ns}location", "pavilion:name": s.location}
        item["pavilion:processing"] = {"kind": s.kind, "certificate": s.certificate,
                                       "notes": s.notes}
        items.append(item)
    for log in records["logs"]:
        subject = (lot_class(log.sourcing_lot) if log.sourcing_lot_id else _class_uri(
            log.packing_run.variant, log.packing_run.graded_lot.lot_number,
            log.organization_id))
        item = base(log, log.started_at,
                    "storing" if log.sourcing_lot_id else "transporting",
                    log.organization_id, subject)
        device = f"{ns}logger/{log.device}" if log.device else None
        metadata = {"startTime": log.started_at.isoformat(), "endTime": log.ended_at.isoformat()}
        if device:
            metadata["deviceID"] = device
        reports = [{"type": "gs1:Temperature", "value": float(r.celsius), "uom": "CEL",
                    "time": r.recorded_at.isoformat()} for r in log.readings.all()]
        reports.append({"type": "gs1:Temperature", "minValue": float(log.lowest),
                        "maxValue": float(log.highest), "uom": "CEL"})
        item["sensorElementList"] = [{"sensorMetadata": metadata, "sensorReport": reports}]
        item["pavilion:allowedRange"] = {"minValue": float(log.min_celsius),
                                         "maxValue": float(log.max_celsius), "uom": "CEL"}
        item["pavilion:excursions"] = log.excursions
        items.append(item)
    return items
