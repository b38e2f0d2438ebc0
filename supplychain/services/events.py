"""The event log as EPCIS 2.0: the events of one package's journey or of one lot, and
their JSON-LD document (CBV business steps and dispositions, GS1 Digital Link identifiers)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..codes import trace_url
from ..models import GradedLot, SourcingLot, TraceCode, TraceEvent
from .grading import graded_lot_sources


def code_events(trace: TraceCode, sources: list[int] | None = None) -> list[TraceEvent]:
    """The journey of one package: its sourcing lots, their inspections and grading, its
    packing run, then events on the code itself. ``sources``: the sourcing lot ids behind
    the run, when the caller has them."""
    run = trace.packing_run
    if sources is None:
        sources = graded_lot_sources([run.graded_lot_id])[run.graded_lot_id]
    return list(TraceEvent.objects.filter(
        Q(trace_code=trace) | Q(packing_run=run) | Q(graded_lot_id=run.graded_lot_id,
                                                     packing_run__isnull=True)
        | Q(sourcing_lot_id__in=sources)).order_by("event_time", "pk"))


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
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
                     {"pavilion": ns}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(),
        "epcisBody": {"eventList": event_list},
    }
