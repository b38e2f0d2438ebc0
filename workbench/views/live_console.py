"""During and after a broadcast: the live console for a phone (go live, pin the product
being shown, start a flash sale with a countdown, units left and orders as they come,
refreshed by htmx every few seconds, end) and the review (复盘) with its charts and the
sales detail exports. Writes through ``livestream.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from livestream import services as live_services
from livestream.models import Broadcast, LineupItem

from .. import live_selectors as selectors
from ..access import member_required
from ..live_forms import ConsoleActionForm, EndForm, FlashSaleForm, ReviewNotesForm
from ..nav import crumbs
from ..roles import HOST, OPERATOR
from . import page
from .live import broadcast_crumb, managed_broadcast, own_host, run_service, week_crumb


def console_context(broadcast):
    items = selectors.lineup(broadcast)
    return {"broadcast": broadcast, "items": items,
            "purchases": selectors.purchases(broadcast),
            "totals": selectors.console_totals(broadcast), "now": timezone.now()}


@require_http_methods(["GET", "POST"])
@member_required(HOST, OPERATOR)
def console(request, pk):
    broadcast = managed_broadcast(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    flash_form = FlashSaleForm(request.POST if action == "flash" else None)
    end_form = EndForm(request.POST if action == "end" else None)
    action_form = ConsoleActionForm(request.POST if action in ("start", "pin") else None)
    done = None
    if action == "start" and action_form.is_valid():
        _b, ok = run_service(action_form, lambda: live_services.start_broadcast(
            broadcast, request.user))
        done = ok and _("You are live.")
    elif action == "pin" and action_form.is_valid():
        item = get_object_or_404(LineupItem, pk=request.POST.get("item"), broadcast=broadcast)
        _i, ok = run_service(action_form, lambda: live_services.pin_lineup_item(
            item, request.user))
        done = ok and _("%(product)s pinned.") % {"product": item.variant}
    elif action == "flash" and flash_form.is_valid():
        item = get_object_or_404(LineupItem, pk=flash_form.cleaned_data["item"],
                                 broadcast=broadcast)
        _i, ok = run_service(flash_form, lambda: live_services.update_lineup_item(
            item, request.user, flash_sale_starts_at=timezone.now(),
            flash_sale_seconds=flash_form.cleaned_data["flash_seconds"]))
        done = ok and _("Flash sale started.")
    elif action == "end" and end_form.is_valid():
        _b, ok = run_service(end_form, lambda: live_services.end_broadcast(
            broadcast, request.user, viewer_count=end_form.cleaned_data["viewer_count"]))
        if ok:
            messages.success(request, _("Broadcast ended; unsold live units are back in stock."))
            return redirect("workbench:live-review", pk=broadcast.pk)
    if done:
        messages.success(request, done)
        return redirect("workbench:live-console", pk=broadcast.pk)
    broadcast.refresh_from_db()
    failed = bool(flash_form.errors or end_form.errors or action_form.errors)
    return page(request, "workbench/live/console.html", {
        **console_context(broadcast), "flash_form": flash_form, "end_form": end_form,
        "action_form": action_form,
    }, crumbs=crumbs(week_crumb(), broadcast_crumb(broadcast), (_("Live console"), None)),
        status=400 if failed else 200)


@require_GET
@member_required(HOST, OPERATOR)
def console_feed(request, pk):
    """The console's live part (units left, countdowns, orders), polled by htmx."""
    broadcast = managed_broadcast(request, pk)
    return page(request, "workbench/live/_console_feed.html",
                {**console_context(broadcast), "fragment": True})


@require_GET
@member_required(HOST, OPERATOR)
def reviews(request):
    return page(request, "workbench/live/reviews.html", {
        "broadcasts": selectors.broadcasts_to_review(own_host(request)),
    }, crumbs=crumbs((_("Reviews"), None)))


@require_http_methods(["GET", "POST"])
@member_required(HOST, OPERATOR)
def review(request, pk):
    broadcast = managed_broadcast(request, pk)
    form = ReviewNotesForm(request.POST or None,
                           initial={"review_notes": broadcast.review_notes})
    if request.method == "POST" and form.is_valid():
        _b, ok = run_service(form, lambda: live_services.complete_review(
            broadcast, request.user, review_notes=form.cleaned_data["review_notes"]))
        if ok:
            messages.success(request, _("Review completed."))
            return redirect("workbench:live-review", pk=broadcast.pk)
    figures = live_services.broadcast_review(broadcast)
    return page(request, "workbench/live/review.html", {
        "broadcast": broadcast, "figures": figures, "form": form,
        "can_complete": broadcast.status == Broadcast.Status.ENDED,
        "timeline": selectors.sales_over_time(broadcast),
        "per_seller": {"names": [s["name"] for s in figures["per_seller"]],
                       "amounts": [float(s["amount"]) for s in figures["per_seller"]],
                       "units": [s["units"] for s in figures["per_seller"]]},
    }, crumbs=crumbs(week_crumb(), broadcast_crumb(broadcast), (_("Review"), None)),
        status=400 if form.errors else 200)


@require_POST
@member_required(HOST, OPERATOR)
def cancel(request, pk):
    broadcast = managed_broadcast(request, pk)
    try:
        live_services.cancel_broadcast(broadcast, request.user,
                                       reason=request.POST.get("reason", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Broadcast cancelled."))
    return redirect("workbench:live-broadcast", pk=broadcast.pk)
