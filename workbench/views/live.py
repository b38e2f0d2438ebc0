"""The host's and the operator's planning pages (主播、运营): the week at a glance with
clashes shown, a broadcast booked by hand or a weekly schedule, the line-up built from what
cooperatives offer (live price, live allocation, per-buyer limit), and the county coverage
against the one-broadcast-a-week rule; a cooperative's offers to have its goods sold live.
Writes through ``livestream.services``.

Operators manage every broadcast; a host only their own (as the API allows): another
host's broadcast is not found."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from catalog.models import ProductVariant
from livestream import services as live_services
from livestream.models import Broadcast, LineupItem, LiveOffer

from .. import live_selectors as selectors
from ..access import member_required
from ..forms import apply_service_errors
from ..live_forms import (
    LIVE_ALIASES,
    BroadcastForm,
    LineupAddForm,
    LineupChangeForm,
    LineupRemoveForm,
    OfferForm,
    ScheduleForm,
)
from ..nav import crumbs
from ..roles import HOST, OPERATOR, PRODUCER
from . import page


def is_operator(request) -> bool:
    return OPERATOR in request.workspace.roles


def own_host(request):
    """The signed-in person's host profile when they are not working as an operator."""
    return None if is_operator(request) else request.workspace.host


def managed_broadcast(request, pk) -> Broadcast:
    """The broadcast if the person may edit it (the API's rule), else not found."""
    broadcast = get_object_or_404(Broadcast.objects.select_related("host", "venue", "channel"),
                                  pk=pk)
    if not live_services.can_edit_broadcast(request.user, broadcast):
        raise Http404
    return broadcast


def run_service(form, call):
    """Call a service; its refusal goes onto ``form`` with the service's own message."""
    try:
        return call(), True
    except ValidationError as error:
        apply_service_errors(form, error, LIVE_ALIASES)
        return None, False


def week_crumb():
    return (_("Broadcasts"), reverse("workbench:live"))


def broadcast_crumb(broadcast):
    return (broadcast.title, reverse("workbench:live-broadcast", args=[broadcast.pk]))


@require_GET
@member_required(HOST, OPERATOR)
def week(request):
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate(timezone=live_services.local_zone())
    monday = selectors.week_of(day)
    days, count, clashes = selectors.week_at_a_glance(
        monday, editable=lambda b: live_services.can_edit_broadcast(request.user, b))
    return page(request, "workbench/live/week.html", {
        "days": days, "monday": monday, "sunday": monday + timedelta(days=6),
        "previous": monday - timedelta(weeks=1), "next": monday + timedelta(weeks=1),
        "count": count, "clashes": clashes,
    }, crumbs=crumbs((_("Broadcasts"), None)))


@require_http_methods(["GET", "POST"])
@member_required(HOST, OPERATOR)
def broadcast_create(request):
    form = BroadcastForm(request.POST or None, host=own_host(request))
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.instants()
        data = form.cleaned_data
        broadcast, ok = run_service(form, lambda: live_services.create_broadcast(
            host=form.booking_host(), venue=data["venue"], title=data["title"],
            starts_at=starts_at, ends_at=ends_at, platform=data["platform"],
            stream_url=data["stream_url"], plan_notes=data["plan_notes"], actor=request.user))
        if ok:
            messages.success(request, _("Broadcast booked. Now build its line-up."))
            return redirect("workbench:live-broadcast", pk=broadcast.pk)
    return page(request, "workbench/live/broadcast_form.html", {"form": form},
                crumbs=crumbs(week_crumb(), (_("New broadcast"), None)),
                status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@member_required(HOST, OPERATOR)
def schedules(request):
    form = ScheduleForm(request.POST or None, host=own_host(request))
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result, ok = run_service(form, lambda: live_services.create_weekly_schedule(
            host=form.booking_host(), venue=data["venue"], title=data["title"],
            weekday=data["weekday"], start_time=data["start_time"],
            duration_minutes=data["duration_minutes"], platform=data["platform"],
            starts_on=data["starts_on"], ends_on=data["ends_on"],
            stream_url=data["stream_url"], actor=request.user))
        if ok:
            _schedule, created, conflicts = result
            messages.success(request, _("Weekly schedule saved: %(n)s broadcasts booked.")
                             % {"n": len(created)})
            for conflict in conflicts:
                messages.warning(request, _("%(when)s was not booked: %(why)s") % {
                    "when": timezone.localtime(conflict["starts_at"], live_services.local_zone())
                    .strftime("%Y-%m-%d %H:%M"), "why": conflict["message"]})
            return redirect("workbench:live-schedules")
    return page(request, "workbench/live/schedules.html", {
        "form": form, "schedules": selectors.schedules(own_host(request)),
    }, crumbs=crumbs(week_crumb(), (_("Weekly schedules"), None)),
        status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@member_required(HOST, OPERATOR)
def broadcast_detail(request, pk):
    """The broadcast and its line-up: change or remove an item, add one of the offers."""
    broadcast = managed_broadcast(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    add_form = LineupAddForm(request.POST if action == "add" else None)
    change_form = LineupChangeForm(request.POST if action == "change" else None)
    remove_form = LineupRemoveForm(request.POST if action == "remove" else None)
    if action == "add" and add_form.is_valid():
        data = add_form.cleaned_data
        offer = (get_object_or_404(LiveOffer.objects.select_related("variant__product"),
                                   pk=data["offer"]) if data["offer"] else None)
        variant = (offer.variant if offer is not None
                   else get_object_or_404(ProductVariant, pk=data["variant"]))
        _item, ok = run_service(add_form, lambda: live_services.add_lineup_item(
            broadcast, variant=variant, offer=offer, live_price=data["live_price"],
            quantity=data["quantity"], per_buyer_limit=data["per_buyer_limit"],
            actor=request.user))
        if ok:
            messages.success(request, _("%(product)s is in the line-up.") % {"product": variant})
            return redirect("workbench:live-broadcast", pk=broadcast.pk)
    elif action == "change" and change_form.is_valid():
        data = change_form.cleaned_data
        item = get_object_or_404(LineupItem, pk=data["item"], broadcast=broadcast)
        _item, ok = run_service(change_form, lambda: live_services.update_lineup_item(
            item, request.user, live_price=data["live_price"], quantity=data["quantity"],
            per_buyer_limit=data["per_buyer_limit"]))
        if ok:
            messages.success(request, _("Line-up changed."))
            return redirect("workbench:live-broadcast", pk=broadcast.pk)
    elif action == "remove" and remove_form.is_valid():
        item = get_object_or_404(LineupItem, pk=remove_form.cleaned_data["item"],
                                 broadcast=broadcast)
        _item, ok = run_service(remove_form, lambda: live_services.remove_lineup_item(
            item, request.user))
        if ok:
            messages.success(request, _("Removed from the line-up; its units are back in stock."))
            return redirect("workbench:live-broadcast", pk=broadcast.pk)
    failed = bool(add_form.errors or change_form.errors or remove_form.errors)
    editable = broadcast.status in (Broadcast.Status.SCHEDULED, Broadcast.Status.LIVE)
    return page(request, "workbench/live/broadcast.html", {
        "broadcast": broadcast, "items": selectors.lineup(broadcast),
        "offers": selectors.offers(broadcast) if editable else [],
        "own_goods": selectors.own_goods(broadcast) if editable else [], "editable": editable,
        "add_form": add_form, "change_form": change_form, "remove_form": remove_form,
        "failed_offer": str(add_form.data.get("offer") or "") if add_form.errors else "",
        "failed_variant": str(add_form.data.get("variant") or "") if add_form.errors else "",
        "failed_item": str(change_form.data.get("item", "")) if change_form.errors else "",
    }, crumbs=crumbs(week_crumb(), (broadcast.title, None)), status=400 if failed else 200)


@require_GET
@member_required(HOST, OPERATOR)
def coverage(request):
    mondays, table = selectors.coverage()
    return page(request, "workbench/live/coverage.html", {
        "mondays": mondays, "table": table,
        "missing": sum(1 for row in table for w in row["weeks"]
                       if not w["past"] and not w["count"]),
    }, crumbs=crumbs((_("Coverage"), None)))


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def offers(request):
    """A cooperative's offers to have its goods sold live: publish one, withdraw one."""
    organization = request.organization
    action = request.POST.get("action") if request.method == "POST" else None
    form = OfferForm(request.POST if action == "publish" else None, organization=organization)
    if action == "publish" and form.is_valid():
        data = form.cleaned_data
        _offer, ok = run_service(form, lambda: live_services.publish_offer(
            organization, variant=data["variant"], min_live_price=data["min_live_price"],
            max_quantity=data["max_quantity"], broadcast=data["broadcast"],
            valid_until=form.valid_until_instant(), actor=request.user))
        if ok:
            messages.success(request, _("Offer published: hosts can now line it up."))
            return redirect("workbench:live-offers")
    elif action == "withdraw":
        offer = get_object_or_404(LiveOffer, pk=request.POST.get("offer"),
                                  organization=organization)
        live_services.withdraw_offer(offer, request.user)
        messages.success(request, _("Offer withdrawn; what is already lined up stays."))
        return redirect("workbench:live-offers")
    return page(request, "workbench/live/offers.html", {
        "form": form, "offers": selectors.offers_of(organization),
    }, crumbs=crumbs((_("Live selling offers"), None)), status=400 if form.errors else 200)
