"""Who the producer buys from and what it bought: households (resident ID masked by the
service), bases and their certificates (with expiry warnings), sourcing lots and their
inspections (with the lab's report), and a summary of the lot's chain records (their
page is ``workbench.views.chain``). Writes through ``supplychain.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from supplychain import services as supplychain_services
from supplychain.models import Base, Inspection
from supplychain.services.chain import chain_records, withdrawal_blocks

from .. import selectors
from ..access import member_required
from ..forms import (
    BaseForm,
    CertificationForm,
    HouseholdForm,
    InspectionForm,
    SourcingLotForm,
    apply_service_errors,
)
from ..nav import crumbs
from ..roles import PRODUCER
from . import page


def _lots_crumb():
    return (_("Sourcing lots"), reverse("workbench:lots"))


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def households(request):
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            household = supplychain_services.create_household(request.organization,
                                                              **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Household %(name)s recorded.")
                             % {"name": household.head_name})
            return redirect("workbench:households")
    return page(request, "workbench/sourcing/households.html", {
        "households": selectors.households(request.organization), "form": form,
    }, crumbs=crumbs((_("Households"), None)), status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def bases(request):
    form = BaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            base = supplychain_services.create_base(request.organization, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Base %(name)s recorded. Add its certificates.")
                             % {"name": base.name})
            return redirect("workbench:base", pk=base.pk)
    return page(request, "workbench/sourcing/bases.html", {
        "bases": selectors.bases(request.organization), "form": form,
    }, crumbs=crumbs((_("Bases"), None)), status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def base_detail(request, pk):
    base = get_object_or_404(Base, pk=pk, organization=request.organization)
    form = CertificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            supplychain_services.add_certification(base, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Certificate recorded."))
            return redirect("workbench:base", pk=base.pk)
    base = next(b for b in selectors.bases(request.organization) if b.pk == base.pk)
    return page(request, "workbench/sourcing/base.html", {"base": base, "form": form},
                crumbs=crumbs((_("Bases"), reverse("workbench:bases")), (base.name, None)),
                status=400 if form.errors else 200)


@require_http_methods(["GET"])
@member_required(PRODUCER)
def lots(request):
    return page(request, "workbench/sourcing/lots.html", {
        "lots": selectors.sourcing_lots(request.organization),
        "recalls": selectors.recalls(request.organization),
    }, crumbs=crumbs((_("Sourcing lots"), None)))


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def lot_create(request):
    form = SourcingLotForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            lot = supplychain_services.create_sourcing_lot(
                request.organization, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Lot %(lot)s recorded. Record its inspection before "
                                        "it is packed for sale.") % {"lot": lot.lot_number})
            return redirect("workbench:lot", pk=lot.pk)
    return page(request, "workbench/sourcing/lot_form.html", {"form": form},
                crumbs=crumbs(_lots_crumb(), (_("New sourcing lot"), None)),
                status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def lot_detail(request, pk):
    lot = selectors.sourcing_lot(request.organization, pk)
    if lot is None:
        raise Http404
    form = InspectionForm(request.POST or None, request.FILES or None,
                          initial={"inspected_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            supplychain_services.record_inspection(
                lot, lab=form.cleaned_data["lab"], result=form.cleaned_data["result"],
                inspected_on=form.cleaned_data["inspected_on"], items=form.items(),
                report=form.cleaned_data["report"], user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Inspection recorded."))
            return redirect("workbench:lot", pk=lot.pk)
    records = chain_records([lot.pk])
    inspections = list(lot.inspections.all())  # oldest first: the last one counts
    return page(request, "workbench/sourcing/lot.html", {
        "lot": lot, "form": form, "inspections": inspections,
        "passed": bool(inspections) and inspections[-1].result == Inspection.Result.PASSED,
        "chain": {kind: len(rows) for kind, rows in records.items()},
        "withdrawal": max(withdrawal_blocks([lot.pk], timezone.localdate()),
                          key=lambda i: i.withdrawal_ends_on, default=None),
    }, crumbs=crumbs(_lots_crumb(), (lot.lot_number, None)),
        status=400 if form.errors else 200)
