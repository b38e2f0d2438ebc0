"""A sourcing lot's whole chain: the farm inputs given for it (with the withdrawal periods
of veterinary drugs and pesticides), its slaughter and processing steps, and the
cold-chain logs uploaded from a data logger with the spans out of range flagged. Writes
through ``supplychain.services`` (the services of farmInputRecord, processingStepRecord,
coldChainLogUpload and chainRecordVoid). A wrong record is voided, never removed: it stays
here, struck through with why, and leaves the trace page."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from supplychain import services as supplychain_services
from supplychain.services.chain import chain_records, withdrawal_blocks

from .. import selectors
from ..access import member_required
from ..chain_forms import ColdChainLogForm, FarmInputForm, ProcessingStepForm, VoidRecordForm
from ..forms import apply_service_errors
from ..nav import crumbs
from ..roles import PRODUCER
from . import page


def _spans(log) -> list[dict]:
    """A log's out-of-range spans with their times as local datetimes."""
    return [{**span, "start": timezone.localtime(datetime.fromisoformat(span["start"])),
             "end": timezone.localtime(datetime.fromisoformat(span["end"]))}
            for span in log.excursions]


def _void_forms(request, records) -> dict:
    """One void form per record in force, by (kind, pk), offering the others of its kind
    in force as the record entered in its place; bound for the record posted."""
    posted = ((request.POST.get("kind"), request.POST.get("record"))
              if request.POST.get("action") == "void" else None)
    forms = {}
    for kind, rows in records.items():
        live = [r for r in rows if not r.is_voided]
        for record in live:
            key = (kind, str(record.pk))
            record.void_form = VoidRecordForm(
                request.POST if key == posted else None, prefix=f"void-{kind}-{record.pk}",
                replacements=[r for r in live if r.pk != record.pk])
            record.void_form.record = record
            forms[key] = record.void_form
    return forms


def _void(request, lot, record, form):
    """Void ``record``; its page says so, or the service's refusal stands on the form."""
    data = form.cleaned_data
    try:
        supplychain_services.void_chain_record(
            record, request.user, reason=data["reason"],
            replaced_by=form.replacements.get(data["replaced_by"]))
    except ValidationError as error:
        apply_service_errors(form, error)
        return None
    messages.success(request, _("Record voided: it stays in this history but no longer "
                                "shows on the trace page."))
    return redirect(reverse("workbench:lot-chain", args=[lot.pk]))


@require_http_methods(["GET", "POST"])
@member_required(PRODUCER)
def lot_chain(request, pk):
    lot = selectors.sourcing_lot(request.organization, pk)
    if lot is None:
        raise Http404
    action = request.POST.get("action")
    input_form = FarmInputForm(request.POST if action == "input" else None, prefix="i")
    step_form = ProcessingStepForm(request.POST if action == "step" else None, prefix="s")
    log_form = ColdChainLogForm(request.POST if action == "log" else None,
                                request.FILES if action == "log" else None, prefix="c")
    forms = {"input": input_form, "step": step_form, "log": log_form}
    # Voided records stay in the member's history (struck through, with why).
    records = chain_records([lot.pk], voided=True)
    void_forms = _void_forms(request, records)
    if action == "void" and request.method == "POST":
        form = void_forms.get((request.POST.get("kind"), request.POST.get("record")))
        if form is None:
            raise Http404
        if form.is_valid() and (done := _void(request, lot, form.record, form)):
            return done
    form = forms.get(action)
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "input":
                record = supplychain_services.record_farm_input(lot, user=request.user, **data)
                done = _("%(name)s recorded.") % {"name": record.name}
            elif action == "step":
                record = supplychain_services.record_processing_step(lot, user=request.user,
                                                                     **data)
                done = _("%(step)s recorded.") % {"step": record.get_kind_display()}
            else:
                log = supplychain_services.upload_cold_chain_log(
                    request.organization, data["file"], sourcing_lot=lot,
                    min_celsius=data["min_celsius"], max_celsius=data["max_celsius"],
                    device=data["device"], user=request.user)
                done = (_("%(n)s readings stored; %(spans)s spans out of range.")
                        % {"n": log.reading_count, "spans": len(log.excursions)}
                        if log.excursions else
                        _("%(n)s readings stored, all within range.") % {"n": log.reading_count})
        except ValidationError as error:
            apply_service_errors(form, error, aliases={"graded_lot": None,
                                                       "sourcing_lot": None})
        else:
            messages.success(request, done)
            return redirect(reverse("workbench:lot-chain", args=[lot.pk]) + f"#{action}s")
    logs = [(log, _spans(log)) for log in records["logs"]]
    # The inputs whose withdrawal period still runs today, as the packing service sees them.
    running = withdrawal_blocks([lot.pk], timezone.localdate())
    for item in records["inputs"]:
        item.running = any(block.pk == item.pk for block in running)
    return page(request, "workbench/sourcing/chain.html", {
        "lot": lot, "inputs": records["inputs"], "steps": records["steps"], "logs": logs,
        "withdrawal": max(running, key=lambda i: i.withdrawal_ends_on, default=None),
        "action": action if request.method == "POST" else None,
        "input_form": input_form, "step_form": step_form, "log_form": log_form,
    }, crumbs=crumbs((_("Sourcing lots"), reverse("workbench:lots")),
                     (lot.lot_number, reverse("workbench:lot", args=[lot.pk])),
                     (_("Chain records"), None)),
        status=400 if any(f.errors for f in [*forms.values(), *void_forms.values()]) else 200)
