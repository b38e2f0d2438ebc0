"""Server-rendered pages of the supplychain app.

The trace page is what a shopper sees after scanning a package: plain HTML with a little
inline CSS, no scripts, Simplified Chinese first. The same data is served as JSON
(``/t/<code>.json`` or ``?format=json``) and through GraphQL (``traceCode``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shop import private_files

from . import labels, services, trace_cache
from .models import PackingRun, Scan

NOT_FOUND_WARNING = "Trace code not found. Beware of counterfeits."


def _client(request) -> dict:
    return {"address": request.META.get("REMOTE_ADDR", ""),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")}


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, encoder=DjangoJSONEncoder,
                            json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _not_found(request, code: str, as_json: bool):
    if as_json:
        return _json({"found": False, "code": code, "message": _(NOT_FOUND_WARNING)},
                     status=404)
    # A code that cannot be one (a typing slip, a bad scan) gets a hint of what one is.
    response = render(request, "supplychain/trace_not_found.html", {
        "code": code, "malformed": services.normalise_code(code) is None}, status=404)
    response["Cache-Control"] = "no-store"
    return response


def _too_many(retry_after: int, as_json: bool):
    message = _("Too many look-ups of unknown codes. Please try again later.")
    if as_json:
        response = _json({"found": False, "message": message}, status=429)
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    return response


def _trace_response(request, code: str, looked: trace_cache.Looked, as_json: bool):
    """The page (or JSON) of a looked-up code. Unknown codes count against the client's
    budget (HTTP 429 beyond it); a known code's page is always served."""
    if looked.counted.retry_after:
        return _too_many(looked.counted.retry_after, as_json)
    if looked.entry is None:
        return _not_found(request, code, as_json)
    counted = looked.counted
    if as_json:
        return _json({"found": True, **looked.entry["data"], "scan_count": counted.scan_count,
                      "first_scanned_at": counted.first_scanned_at})
    # The page is rendered once per code and language (trace_cache); a look-up only fills
    # in its notice. Nothing here reads the session, the user or a CSRF token.
    response = HttpResponse(trace_cache.fill(looked.entry, counted))
    response["Cache-Control"] = "no-store"
    return response


def _readable(code: str) -> bool:
    # A NUL byte can be neither stored nor a code: such a path is simply not found.
    return "\x00" not in code


def _look_up(request, code: str, source: str) -> trace_cache.Looked:
    return trace_cache.look_up(code, source=source, **_client(request))


@require_GET
def trace_page(request, code: str):
    as_json = request.GET.get("format") == "json"
    if not _readable(code):
        raise Http404(_(NOT_FOUND_WARNING))
    source = Scan.Source.JSON if as_json else Scan.Source.PAGE
    return _trace_response(request, code, _look_up(request, code, source), as_json)


@require_GET
def trace_json(request, code: str):
    if not _readable(code):
        raise Http404(_(NOT_FOUND_WARNING))
    return _trace_response(request, code, _look_up(request, code, Scan.Source.JSON), True)


@require_GET
def digital_link(request, gtin: str, lot: str, serial: str):
    """GS1 Digital Link: the same page as ``/t/<serial>`` when GTIN and lot match."""
    if not all(map(_readable, (gtin, lot, serial))):
        raise Http404(_(NOT_FOUND_WARNING))
    as_json = request.GET.get("format") == "json"
    if services.find_digital_link(gtin, lot, serial) is None:
        # A link whose GTIN or lot does not match its serial counts as a code never issued.
        looked = trace_cache.Looked(None, services.scan_code(
            None, serial, source=Scan.Source.DIGITAL_LINK, limit_unknown=True,
            **_client(request)))
    else:
        looked = _look_up(request, serial, Scan.Source.DIGITAL_LINK)
    return _trace_response(request, serial, looked, as_json)


def _known(code: str):
    trace = services.find_trace_code(code) if _readable(code) else None
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
    return private_files.redirect(run.label_sheet, f"labels-{run.pk}")
