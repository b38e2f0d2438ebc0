"""Grading and packing: grade standards, grading records with the mass balance shown as
it is typed (the rule itself is ``supplychain.services.record_grading``'s), packing runs
that issue one trace code per package, label-sheet PDFs made by a Celery task with a
progress indicator, and recalls with a confirmation of what they touch."""

from __future__ import annotations

from celery.result import AsyncResult
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shop import private_files
from supplychain import services as supplychain_services
from supplychain.models import GradedLot, PackingRun, SourcingLot

from .. import selectors
from ..access import member_required
from ..forms import (
    GradeStandardForm,
    GradingForm,
    PackingForm,
    RecallForm,
    apply_service_errors,
)
from ..nav import crumbs
from ..roles import PRODUCER
from . import page


def _graded_crumb():
    return (_("Grading and packing"), reverse("workbench:graded-lots"))


@require_GET
@member_required(PRODUCER)
def graded_lot_list(request):
    org = request.organization
    # Kilograms each product still has to grade: the products with lots waiting come first
    # (the first is preselected), so "Grade" opens lots to grade rather than an empty page.
    waiting = {}
    for lot in selectors.sourcing_lots(org):
        if lot.remaining_kg > 0 and not lot.recalled:
            waiting[lot.product_id] = waiting.get(lot.product_id, 0) + lot.remaining_kg
    products = sorted(org.products.order_by("name"), key=lambda p: p.pk not in waiting)
    for product in products:
        product.waiting_kg = waiting.get(product.pk)
    return page(request, "workbench/packing/graded_lots.html", {
        "graded_lots": selectors.graded_lots(org),
        "products": products,
        "runs": selectors.packing_runs(org)[:20],
    }, crumbs=crumbs((_("Grading and packing"), None)))


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def grading(request, product_pk):
    org = request.organization
    product = get_object_or_404(org.products, pk=product_pk)
    lots = [lot for lot in selectors.sourcing_lots(org, product_id=product.pk)
            if lot.remaining_kg > 0 and not lot.recalled]
    grades = selectors.grade_standards(product.pk)
    action = request.POST.get("action")
    form = GradingForm(request.POST if action == "grade" else None, lots=lots, grades=grades)
    grade_form = GradeStandardForm(request.POST if action == "grade-standard" else None,
                                   prefix="g")
    if request.method == "POST":
        try:
            if action == "grade-standard" and grade_form.is_valid():
                supplychain_services.create_grade_standard(
                    product, name=grade_form.cleaned_data["name"],
                    criteria=grade_form.cleaned_data["criteria"],
                    rank=grade_form.cleaned_data["rank"] or 0)
                messages.success(request, _("Grade added."))
                return redirect("workbench:grading", product_pk=product.pk)
            if action == "grade" and form.is_valid():
                record = supplychain_services.record_grading(
                    org, inputs=form.inputs(), outputs=form.outputs(),
                    loss_kg=form.cleaned_data["loss_kg"], notes=form.cleaned_data["notes"],
                    user=request.user)
                messages.success(request, _("Graded into %(n)s lots. Pack them now.")
                                 % {"n": record.outputs.count()})
                first = record.outputs.order_by("pk").first()
                return redirect("workbench:graded-lot", pk=first.pk)
        except ValidationError as error:
            apply_service_errors(form if action == "grade" else grade_form, error)
    return page(request, "workbench/packing/grading.html", {
        "product": product, "form": form, "grade_form": grade_form, "lots": lots,
        "grades": grades,
    }, crumbs=crumbs(_graded_crumb(), (_("Grade %(product)s") % {"product": product.name},
                                       None)),
        status=400 if (form.errors or grade_form.errors) else 200)


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def graded_lot_detail(request, pk):
    org = request.organization
    rows = selectors.graded_lots(org, pk=pk)
    if not rows:
        raise Http404
    lot = rows[0]
    warehouses = org.warehouses.order_by("name")
    form = PackingForm(request.POST or None, graded_lot=lot, warehouses=warehouses)
    if request.method == "POST" and form.is_valid():
        try:
            run = supplychain_services.create_packing_run(
                lot, variant=form.cleaned_data["variant"],
                warehouse=form.cleaned_data["warehouse"],
                quantity=form.cleaned_data["quantity"],
                net_weight_kg=form.cleaned_data["net_weight_kg"], user=request.user,
                brand_labelled=form.cleaned_data["brand_labelled"])
        except ValidationError as error:
            apply_service_errors(form, error, aliases={"graded_lot": None})
        else:
            messages.success(request, _("%(n)s packages packed and %(n)s trace codes issued. "
                                        "Print their labels.") % {"n": run.quantity})
            return redirect("workbench:run", pk=run.pk)
    return page(request, "workbench/packing/graded_lot.html", {
        "lot": lot, "form": form, "runs": list(lot.packing_runs.all()),
        "sources": SourcingLot.objects.filter(
            pk__in=supplychain_services.graded_lot_sources([lot.pk])[lot.pk]).order_by("pk"),
    }, crumbs=crumbs(_graded_crumb(), (lot.lot_number, None)),
        status=400 if form.errors else 200)


def _own_run(request, pk) -> PackingRun:
    return get_object_or_404(PackingRun.objects.select_related(
        "variant__product", "warehouse", "graded_lot__grade"), pk=pk,
        organization=request.organization)


def label_progress(run: PackingRun) -> dict:
    """Where the label sheet of ``run`` is: its state, and while the Celery task runs, the
    labels drawn so far (the task reports ``PROGRESS {"done", "total"}``)."""
    done, total = 0, run.quantity
    if run.label_status == PackingRun.LabelStatus.PENDING and run.label_task_id:
        result = AsyncResult(run.label_task_id)
        info = result.info if isinstance(result.info, dict) else {}
        done = int(info.get("done") or 0)
        total = int(info.get("total") or total)
    elif run.label_status == PackingRun.LabelStatus.READY:
        done = total
    return {"status": run.label_status, "done": done, "total": total,
            "percent": int(100 * done / total) if total else 0}


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def run_detail(request, pk):
    run = _own_run(request, pk)
    if request.method == "POST":
        supplychain_services.request_label_sheet(run)
        messages.success(request, _("The label sheet is being made."))
        return redirect("workbench:run", pk=run.pk)
    return page(request, "workbench/packing/run.html", {
        "run": run, "progress": label_progress(run), "codes": selectors.first_codes(run),
        # Packed units are stock; a product still unpublished is not yet for sale.
        "on_sale": run.variant.product.channel_listings.filter(is_published=True).exists(),
    }, crumbs=crumbs(_graded_crumb(),
                     (run.graded_lot.lot_number, reverse("workbench:graded-lot",
                                                         args=[run.graded_lot_id])),
                     (_("Packing run %(n)s") % {"n": run.pk}, None)))


@require_GET
@member_required(PRODUCER)
def run_progress(request, pk):
    """The progress fragment htmx polls while the label sheet is being made."""
    run = _own_run(request, pk)
    return page(request, "workbench/packing/_progress.html",
                {"run": run, "progress": label_progress(run)})


@require_GET
@member_required(PRODUCER)
def run_labels(request, pk):
    run = _own_run(request, pk)
    if run.label_status != PackingRun.LabelStatus.READY or not run.label_sheet:
        raise Http404
    return private_files.redirect(run.label_sheet, f"labels-{run.pk}")


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def recall(request, kind, pk):
    org = request.organization
    if kind == "sourcing":
        lot = get_object_or_404(SourcingLot, pk=pk, organization=org)
        preview = selectors.recall_preview(sourcing_lot=lot)
        back = reverse("workbench:lot", args=[lot.pk])
    elif kind == "graded":
        lot = get_object_or_404(GradedLot, pk=pk, organization=org)
        preview = selectors.recall_preview(graded_lot=lot)
        back = reverse("workbench:graded-lot", args=[lot.pk])
    else:
        raise Http404
    form = RecallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = supplychain_services.recall_lot(
                org, level=form.cleaned_data["level"], reason=form.cleaned_data["reason"],
                sourcing_lot=lot if kind == "sourcing" else None,
                graded_lot=lot if kind == "graded" else None, user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Lot %(lot)s recalled: %(codes)s codes recalled, "
                                        "%(units)s unsold units taken out of stock. Buyers "
                                        "are being told.")
                             % {"lot": lot.lot_number, "codes": done.affected_codes,
                                "units": done.withdrawn_units})
            return redirect(back)
    return page(request, "workbench/packing/recall.html", {
        "lot": lot, "kind": kind, "preview": preview, "form": form, "back": back,
    }, crumbs=crumbs((lot.lot_number, back), (_("Recall"), None)),
        status=400 if form.errors else 200)
