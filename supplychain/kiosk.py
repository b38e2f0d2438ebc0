"""The touch-screen kiosk (触摸屏追溯) of a county showroom or the pavilion's shop: a
full-screen landscape page where a visitor types a trace code on large on-screen keys or
scans a package with a USB barcode scanner (it types like a keyboard and ends with Enter),
and reads the package's story large, then the screen returns to its idle page after a
minute without a touch (``static/supplychain/kiosk.js``; the page works without it too).

A kiosk's look-up is a scan with the source ``kiosk``: kept for the county's figures, but
it adds nothing to the code's count and spends no first-scan notice. The screen is
handled by many people and is mostly shown packages on the shelf, not the ones they bought:
had it counted, the buyer scanning their package at home would read that the code had
been looked up before and suspect a copy. The kiosk shows instead how often buyers have
looked the code up (a code on the shelf already looked up is itself a warning)."""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from . import trace_cache
from .codes import ALPHABET
from .models import Scan

# What a scanner may type: the code alone, or the address its QR code holds (/t/<code>,
# or a GS1 Digital Link ending /21/<code>).
_CODE_AT_END = re.compile(f"([{ALPHABET}{ALPHABET.lower()}]{{16}})/?$")
IDLE_SECONDS = 60


def typed_code(text: str) -> str:
    """The code in what was typed or scanned (spaces and dashes ignored)."""
    text = re.sub(r"[\s\-]", "", text or "")
    found = _CODE_AT_END.search(text)
    return (found.group(1) if found else text).upper()[:64]


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, {"idle_seconds": IDLE_SECONDS, **context},
                      status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def idle(request):
    """The idle screen; with ``?code=`` (the form, typed or scanned) the code's story."""
    if "code" in request.GET:
        code = typed_code(request.GET["code"])
        if code:
            return redirect("supplychain:kiosk-trace", code=code)
    return _page(request, "supplychain/kiosk_idle.html", {})


@require_GET
def story(request, code: str):
    code = typed_code(code)
    looked = trace_cache.look_up(code, source=Scan.Source.KIOSK,
                                 address=request.META.get("REMOTE_ADDR", ""),
                                 user_agent=request.META.get("HTTP_USER_AGENT", ""),
                                 counts=False) if "\x00" not in code else None
    if looked is None or looked.entry is None or looked.counted.retry_after:
        return _page(request, "supplychain/kiosk_trace.html",
                     {"code": code, "too_many": bool(looked and looked.counted.retry_after)},
                     status=404)
    return _page(request, "supplychain/kiosk_trace.html", {
        "code": code, "t": looked.entry["data"], "brand": looked.entry["brand"],
        "scan_count": looked.counted.scan_count,
        "first_scanned_at": looked.counted.first_scanned_at})
