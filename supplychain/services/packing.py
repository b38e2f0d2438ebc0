"""Packing: packing runs that turn a graded lot into packages of a variant, one trace code
issued per package (bulk COPY) and the packages added to stock; and the state of a run's
label sheet, which a Celery task renders (``supplychain.labels``) after the codes exist."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import uuid as celery_uuid
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from brand import services as brand_services
from catalog.models import Product
from shop import services as shop_services
from shop.errors import field_error

from .. import tasks
from ..codes import new_trace_codes
from ..error_codes import SupplyChainErrorCode as E
from ..models import (
    Disposition,
    GradedLot,
    Inspection,
    PackingRun,
    SourcingLot,
    TraceCode,
    TraceEvent,
)
from ..trace_texts import reason
from .chain import check_withdrawal
from .common import BizStep, clean_kg, same_org, trace_event
from .grading import graded_lot_remaining, graded_lot_sources
from .sourcing import latest_inspections

logger = logging.getLogger(__name__)


def _copy_codes(run: PackingRun, codes: list[str], start_serial: int, issued_at) -> None:
    table = TraceCode._meta.db_table
    columns = ("code", "packing_run_id", "serial", "disposition", "issued_at", "scan_count")
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor: COPY is the fast bulk path of PostgreSQL
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for offset, code in enumerate(codes):
                copy.write_row((code, run.pk, start_serial + offset, Disposition.ACTIVE.value,
                                issued_at, 0))


def issue_trace_codes(run: PackingRun) -> int:
    """Issue one code per package of ``run`` (inside the caller's transaction). A clash with
    an existing code (odds about n²/2⁸¹) rolls back to a savepoint and draws again."""
    issued_at = run.packed_at
    for _attempt in range(3):
        codes = list(set(new_trace_codes(run.quantity)))
        while len(codes) < run.quantity:
            codes = list(set(codes) | set(new_trace_codes(run.quantity - len(codes))))
        try:
            with transaction.atomic():
                _copy_codes(run, codes, 1, issued_at)
            return len(codes)
        except IntegrityError:
            continue
    raise field_error(None, _("Could not issue unique trace codes; please try again."), E.INVALID)


@transaction.atomic
def create_packing_run(graded_lot: GradedLot, *, variant, warehouse, quantity: int,
                       net_weight_kg, packed_at: datetime | None = None,
                       user=None, brand_labelled: bool = False) -> PackingRun:
    """Pack ``quantity`` packages of ``variant`` from ``graded_lot``: checks that every lot
    behind it passed inspection and that enough kilograms are left, issues one trace code
    per package and adds the packages to stock through ``shop.services.increase_stock``."""
    organization = graded_lot.organization
    graded_lot = GradedLot.objects.select_for_update().select_related("grade").get(
        pk=graded_lot.pk)
    same_org(variant.product.organization_id, organization, "variant")
    same_org(warehouse.organization_id, organization, "warehouse")
    if variant.product_id != graded_lot.grade.product_id:
        raise field_error("variant", _("The variant must be of the graded lot's product."),
                          E.INVALID)
    if graded_lot.is_recalled:
        raise field_error("graded_lot", _("This lot has been recalled and cannot be packed."),
                          E.RECALLED)
    if not isinstance(quantity, int) or quantity <= 0:
        raise field_error("quantity", _("Pack at least one package."), E.INVALID)
    if quantity > settings.TRACE_MAX_CODES_PER_RUN:
        raise field_error("quantity", _("One packing run issues at most %(n)s codes.")
                          % {"n": settings.TRACE_MAX_CODES_PER_RUN}, E.TOO_MANY_CODES)
    net = clean_kg(net_weight_kg, "net_weight_kg")
    sources = graded_lot_sources([graded_lot.pk])[graded_lot.pk]
    latest = latest_inspections(sources)
    for lot in SourcingLot.objects.filter(pk__in=sources).order_by("pk"):
        inspection = latest.get(lot.pk)
        if inspection is None:
            raise field_error("graded_lot", _("Lot %(lot)s has not been inspected; it cannot be "
                                              "packed for sale.") % {"lot": lot.lot_number},
                              E.NOT_INSPECTED)
        if inspection.result != Inspection.Result.PASSED:
            raise field_error("graded_lot", _("Lot %(lot)s failed its inspection; it cannot be "
                                              "packed for sale.") % {"lot": lot.lot_number},
                              E.INSPECTION_FAILED)
    # A veterinary drug's or a pesticide's withdrawal period still running: not for sale.
    check_withdrawal(sources, timezone.localtime(packed_at or timezone.now()).date())
    left = graded_lot_remaining(graded_lot)
    if quantity * net > left:
        raise field_error("quantity", _("%(n)s packages of %(net)s kg need %(need)s kg; only "
                                        "%(left)s kg of this lot are left.")
                          % {"n": quantity, "net": net, "need": quantity * net, "left": left},
                          E.INSUFFICIENT_QUANTITY)
    run = PackingRun.objects.create(
        organization=organization, graded_lot=graded_lot, variant=variant, warehouse=warehouse,
        quantity=quantity, net_weight_kg=net, packed_at=packed_at or timezone.now(),
        packed_by=user)
    if brand_labelled:
        # Brand-labelled codes count against the seller's licence quota; refused (and all
        # of this rolled back) without a licence in force or quota left.
        brand_services.consume_label_quota(organization, variant.product, quantity,
                                           reference=f"packing-run:{run.pk}", user=user)
        # A brand-labelled product is traced from now on, even once its licence lapses:
        # the packages already out carry codes buyers will scan.
        Product.objects.filter(pk=variant.product_id, is_traced=False).update(is_traced=True)
    issue_trace_codes(run)
    shop_services.increase_stock(variant, warehouse, quantity)
    trace_event(organization, BizStep.PACKING, when=run.packed_at, user=user, packing_run=run,
                graded_lot=graded_lot, disposition=Disposition.ACTIVE, action=TraceEvent.Action.ADD,
                package_count=quantity, quantity_kg=quantity * net, location=warehouse.name,
                **reason("packed", n=quantity, net=str(net)))
    return run

@transaction.atomic
def request_label_sheet(run: PackingRun) -> str:
    """Mark the run's label sheet as being made and queue the Celery task (after commit).
    Codes already exist: the task only renders them, so a retry never issues a code. The
    sheet made before, if any, stays downloadable until the new one is written."""
    run = PackingRun.objects.select_for_update().get(pk=run.pk)
    task_id = celery_uuid()
    run.label_status = PackingRun.LabelStatus.PENDING
    run.label_task_id = task_id
    run.label_requested_at = timezone.now()
    run.save(update_fields=["label_status", "label_task_id", "label_requested_at"])
    transaction.on_commit(lambda: _queue_label_sheet(run.pk, task_id), robust=True)
    return task_id


def _queue_label_sheet(run_id: int, task_id: str) -> None:
    """Send the label-sheet task; with the broker down the run stays pending and
    :func:`recover_stale_label_sheets` queues it again, so the request still succeeds."""
    try:
        tasks.make_label_sheet.apply_async((run_id,), task_id=task_id, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure: beat queues the run again
        logger.warning("Label sheet of packing run %s not queued; beat will retry", run_id,
                       exc_info=True)


def recover_stale_label_sheets(now=None) -> int:
    """Queue again the label sheets pending for over ``LABEL_SHEET_STALE_MINUTES`` (their
    task was lost: a worker killed mid-sheet, the broker down when it was queued); a sheet
    still pending after ``LABEL_SHEET_GIVE_UP_HOURS`` is marked failed, so the member sees
    it and can ask again. Returns how many were queued again."""
    now = now or timezone.now()
    stale = now - timedelta(minutes=settings.LABEL_SHEET_STALE_MINUTES)
    pending = PackingRun.objects.filter(label_status=PackingRun.LabelStatus.PENDING)
    pending.filter(label_requested_at__lt=now - timedelta(
        hours=settings.LABEL_SHEET_GIVE_UP_HOURS)).update(
        label_status=PackingRun.LabelStatus.FAILED)
    requeued = 0
    for run in pending.filter(Q(label_requested_at__lt=stale)
                              | Q(label_requested_at__isnull=True)):
        request_label_sheet(run)
        requeued += 1
    return requeued


@transaction.atomic
def save_label_sheet(run_id: int, pdf: bytes) -> PackingRun:
    """Store the new sheet, then point the run at it; the old file is deleted only once
    that is committed, so a failure on the way leaves the old sheet in place."""
    run = PackingRun.objects.select_for_update().get(pk=run_id)
    old = run.label_sheet.name if run.label_sheet else ""
    storage = run.label_sheet.storage
    run.label_sheet.save(f"labels-{run.pk}.pdf", ContentFile(pdf), save=False)
    run.label_status = PackingRun.LabelStatus.READY
    run.save(update_fields=["label_sheet", "label_status"])
    if old and old != run.label_sheet.name:
        transaction.on_commit(lambda: storage.delete(old), robust=True)
    return run


def mark_label_sheet_failed(run_id: int) -> None:
    PackingRun.objects.filter(pk=run_id).update(label_status=PackingRun.LabelStatus.FAILED)
