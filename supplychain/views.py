"""Server-rendered pages of the supplychain app.

The trace page is what a shopper sees after scanning a package: plain HTML with a little
inline CSS, no scripts, Simplified Chinese first. The same data is served as JSON
(``/t/<code>.json`` or ``?format=json``) and through GraphQL (``traceCode``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from brand.services import licence_status_for

from . import labels, services
from .models import PackingRun, Scan

NOT_FOUND_WARNING = "Trace code not found. Beware of counterfeits."


def _client(request) -> dict:
    return {"address": request.META.get("REMOTE_ADDR", ""),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")}


def _lookup_and_record(request, code: str, source: str):
    trace = services.find_trace_code(code)
    services.record_scan(trace, code, source=source, **_client(request))
    return trace


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, encoder=DjangoJSONEncoder,
                            json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _render_trace(request, trace, code: str, as_json: bool):
    if trace is None:
        if as_json:
            return _json({"found": False, "code": code, "message": _(NOT_FOUND_WARNING)},
                         status=404)
        return render(request, "supplychain/trace_not_found.html", {"code": code}, status=404)
    data = services.trace_view(trace)
    if as_json:
        return _json({"found": True, **data})
    brand_licence = licence_status_for(product=trace.packing_run.variant.product,
                                       reference=f"packing-run:{trace.packing_run_id}")
    response = render(request, "supplychain/trace.html", {"t": data, "brand": brand_licence})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def trace_page(request, code: str):
    as_json = request.GET.get("format") == "json"
    source = Scan.Source.JSON if as_json else Scan.Source.PAGE
    return _render_trace(request, _lookup_and_record(request, code, source), code, as_json)


@require_GET
def trace_json(request, code: str):
    return _render_trace(request, _lookup_and_record(request, code, Scan.Source.JSON), code,
                         True)


@require_GET
def digital_link(request, gtin: str, lot: str, serial: str):
    """GS1 Digital Link: the same page as ``/t/<serial>`` when GTIN and lot match."""
    trace = services.find_digital_link(gtin, lot, serial)
    services.record_scan(trace, serial, source=Scan.Source.DIGITAL_LINK, **_client(request))
    return _render_trace(request, trace, serial, request.GET.get("format") == "json")


def _known(code: str):
    trace = services.find_trace_code(code)
    if trace is None:
        raise Http404(_(NOT_FOUND_WARNING))
    return trace


@require_GET
def trace_qr_png(request, code: str):
    trace = _known(code)
    size = min(max(int(request.GET.get("box", 8) or 8), 2), 20) if \
        str(request.GET.get("box", "8")).isdigit() else 8
    response = HttpResponse(labels.qr_png(trace.code, size), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def trace_qr_svg(request, code: str):
    trace = _known(code)
    response = HttpResponse(labels.qr_svg(trace.code), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def trace_epcis(request, code: str):
    trace = _known(code)
    document = services.epcis_document(services.code_events(trace), trace=trace)
    return JsonResponse(document, content_type="application/ld+json",
                        json_dumps_params={"ensure_ascii": False})


@require_GET
def label_sheet(request, run_id: int):
    """The PDF label sheet of a packing run, for members of its organisation."""
    run = get_object_or_404(PackingRun, pk=run_id)
    user = request.user
    if not user.is_authenticated or not (
            user.is_operator or run.organization_id in user.organization_ids()):
        raise PermissionDenied
    if not run.label_sheet:
        raise Http404(_("The label sheet has not been made yet."))
    return FileResponse(run.label_sheet.open("rb"), content_type="application/pdf",
                        filename=f"labels-{run.pk}.pdf")
