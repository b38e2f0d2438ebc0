"""Grading: a product's grade standards, and grading records that turn sourcing lots into
graded lots plus loss under a mass balance."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.errors import field_error
from shop.models import Organization

from ..error_codes import SupplyChainErrorCode as E
from ..models import (
    Disposition,
    GradedLot,
    GradeStandard,
    GradingInput,
    GradingRecord,
    Recall,
    SourcingLot,
    TraceEvent,
)
from ..trace_texts import reason
from .common import ZERO_KG, BizStep, clean_kg, clean_text, same_org, trace_event


@transaction.atomic
def create_grade_standard(product, *, name: str, criteria: str, rank: int = 0) -> GradeStandard:
    name = clean_text(name, "name", max_length=32)
    if GradeStandard.objects.filter(product=product, name=name).exists():
        raise field_error("name", _("This product already has a grade with this name."), E.UNIQUE)
    return GradeStandard.objects.create(product=product, name=name, rank=rank or 0,
                                        criteria=clean_text(criteria, "criteria",
                                                            max_length=4000))


def sourcing_lot_remaining(lot_ids) -> dict[int, Decimal]:
    used = dict(GradingInput.objects.filter(sourcing_lot_id__in=lot_ids)
                .values_list("sourcing_lot_id").annotate(s=Sum("quantity_kg")))
    return {lot.pk: lot.quantity_kg - used.get(lot.pk, ZERO_KG)
            for lot in SourcingLot.objects.filter(pk__in=lot_ids)}


@transaction.atomic
def record_grading(organization: Organization, *, inputs: list[tuple[SourcingLot, object]],
                   outputs: list[tuple[GradeStandard, object]], loss_kg,
                   graded_at: datetime | None = None, notes: str = "",
                   user=None) -> GradingRecord:
    """Turn input lots into graded lots plus loss. Refused when outputs + loss exceed the
    inputs, or an input takes more from a lot than is left of it. The input lots are locked
    (in primary-key order) so that two gradings of the same lot cannot both pass."""
    if not inputs:
        raise field_error("inputs", _("Add at least one input lot."), E.REQUIRED)
    if not outputs:
        raise field_error("outputs", _("Add at least one graded output."), E.REQUIRED)
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for lot, kg in inputs:
        same_org(lot.organization_id, organization, "inputs")
        wanted[lot.pk] += clean_kg(kg, "inputs")
    locked = list(SourcingLot.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
    product_ids = {lot.product_id for lot in locked}
    if len(product_ids) != 1:
        raise field_error("inputs", _("All input lots of one grading must be of the same product."),
                          E.INVALID)
    if Recall.objects.filter(sourcing_lot__in=locked).exists():
        raise field_error("inputs", _("A recalled lot cannot be graded."), E.RECALLED)
    remaining = sourcing_lot_remaining(list(wanted))
    for lot in locked:
        if wanted[lot.pk] > remaining[lot.pk]:
            raise field_error("inputs", _("Lot %(lot)s has only %(left)s kg left to grade; "
                                          "%(wanted)s kg were entered.")
                              % {"lot": lot.lot_number, "left": remaining[lot.pk],
                                 "wanted": wanted[lot.pk]}, E.INSUFFICIENT_QUANTITY)
    out_kg = []
    for grade, kg in outputs:
        if grade.product_id not in product_ids:
            raise field_error("outputs", _("The grade %(grade)s is not a grade of this product.")
                              % {"grade": grade.name}, E.INVALID)
        out_kg.append((grade, clean_kg(kg, "outputs")))
    loss = clean_kg(loss_kg, "loss_kg", allow_zero=True)
    total_in = sum(wanted.values(), ZERO_KG)
    total_out = sum((kg for _g, kg in out_kg), ZERO_KG)
    if total_out + loss > total_in:
        raise field_error(None, _("Mass balance: graded outputs (%(out)s kg) plus loss "
                                  "(%(loss)s kg) come to more than the %(inp)s kg that "
                                  "went in.")
                          % {"out": total_out, "loss": loss, "inp": total_in},
                          E.MASS_BALANCE_EXCEEDED)
    graded_at = graded_at or timezone.now()
    record = GradingRecord.objects.create(organization=organization, graded_at=graded_at,
                                          loss_kg=loss, notes=notes or "", created_by=user)
    GradingInput.objects.bulk_create(
        GradingInput(record=record, sourcing_lot_id=pk, quantity_kg=kg)
        for pk, kg in wanted.items())
    day = timezone.localtime(graded_at)
    for index, (grade, kg) in enumerate(out_kg, start=1):
        graded = GradedLot.objects.create(
            organization=organization, record=record, grade=grade, quantity_kg=kg,
            lot_number=f"{day:%y%m%d}-{record.pk}-{index}")
        trace_event(organization, BizStep.GRADING, when=graded_at, user=user, graded_lot=graded,
                    disposition=Disposition.ACTIVE, action=TraceEvent.Action.ADD, quantity_kg=kg,
                    **reason("graded", grade=grade.name))
    return record


def graded_lot_remaining(graded_lot: GradedLot) -> Decimal:
    packed = ZERO_KG
    for quantity, net in graded_lot.packing_runs.values_list("quantity", "net_weight_kg"):
        packed += quantity * net
    return graded_lot.quantity_kg - packed


def graded_lot_sources(graded_lot_ids) -> dict[int, list[int]]:
    """Sourcing lot ids behind each graded lot."""
    rows = GradingInput.objects.filter(record__outputs__in=graded_lot_ids).values_list(
        "record__outputs", "sourcing_lot_id")
    result = defaultdict(list)
    for graded_id, lot_id in rows:
        if lot_id not in result[graded_id]:
            result[graded_id].append(lot_id)
    return result
