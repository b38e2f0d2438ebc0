"""Alipay's two callbacks: the asynchronous notice (server to server, answers
``success``) and the page the buyer's browser returns to after paying."""

from __future__ import annotations

import logging

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import alipay, services
from .models import Order, PaymentNotice

logger = logging.getLogger("shop.payments")
# The largest notice body accepted (Alipay's are a few KB).
NOTICE_MAX_BYTES = 16 * 1024


@csrf_exempt
@require_POST
def alipay_notify(request):
    """Alipay posts a form; it retries until it reads ``success``. A notice we refuse
    (forged, another app's, wrong amount, unknown trade) gets ``failure``."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = NOTICE_MAX_BYTES + 1
    if length > NOTICE_MAX_BYTES:
        # A real notice is about 2 KB; anything this large is not from Alipay and is
        # neither read nor stored.
        logger.warning("Alipay notice refused: %s bytes", length)
        return HttpResponse("failure", content_type="text/plain", status=413)
    params = request.POST.dict()
    outcome = services.handle_alipay_notice(params)
    if outcome == PaymentNotice.Outcome.REJECTED:
        return HttpResponse("failure", content_type="text/plain")
    return HttpResponse("success", content_type="text/plain")


@require_GET
def alipay_return(request):
    """Where the buyer lands after the cashier. The query string is signed by Alipay; the
    page shows the order's state, marked paid by the notice or, when it has not come yet,
    by asking Alipay now."""
    params = request.GET.dict()
    verified = alipay.verify_notice(params)
    order = None
    if verified:
        payment = services.returned_payment(params.get("out_trade_no", ""))
        order = payment.order if payment else None
    if not verified:
        logger.warning("Alipay return page with an invalid signature: %s",
                       params.get("out_trade_no", ""))
    context = {
        "verified": verified,
        "order": order,
        # Paid means the order was: a payment that came after it was called off goes back.
        "paid": order is not None and order.paid_at is not None,
        "called_off": order is not None and order.paid_at is None
        and order.status in (Order.Status.CANCELLED, Order.Status.REFUNDED),
    }
    return render(request, "shop/alipay_return.html", context, status=200 if verified else 400)
