"""Which trace pages a change makes stale (``trace_cache`` keeps them; ``shop.versions``
is the mechanism).

A trace page is built at the stamp of two versions: ``TRACE`` (every trace page) and its
code's graded lot's ``LOT``. A save or delete of a record that belongs to graded lots (the
lot itself, its packing runs and codes, their events and shipments, a recall, the
sourcing lots graded into it and their inspections) raises those lots' versions only: a
recall of one lot leaves the other lots' pages where they are. Anything else the page
shows (bases and their certificates, households, producers, grade standards, brand
licences, product names and their translations) raises ``TRACE``. Services that change
shown records with a bulk ``update()`` (which sends no signal) call :func:`changed`
themselves."""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from shop import versions

from ..models import GradedLot, PackingRun, Recall
from . import scan_buffer

TRACE = versions.Scope("trace", scan_buffer.STORE)  # every trace page
LOT = versions.Scope("lot", scan_buffer.STORE)  # the pages of one graded lot's codes

# Records shown on the trace page, by "app_label.ModelName".
WATCHED = (
    "supplychain.TraceCode", "supplychain.TraceEvent", "supplychain.ShippedCode",
    "supplychain.Recall", "supplychain.GradedLot", "supplychain.PackingRun",
    "supplychain.SourcingLot", "supplychain.Inspection", "supplychain.Certification",
    "supplychain.Base", "supplychain.Household", "supplychain.ProducerProfile",
    "supplychain.GradeStandard", "supplychain.GradingInput",
    "brand.Licence", "brand.LabelUse", "brand.RegionalBrand",
    "catalog.Product", "catalog.ProductVariant", "shop.Organization",
    # Names the page shows in the reader's language (content/translated.py).
    "content.ProductTranslation", "content.ProductVariantTranslation", "content.BaseTranslation",
)


def stamp_keys(graded_lot_id: int) -> list[str]:
    """The versions a page of a code of graded lot ``graded_lot_id`` is built at."""
    return [TRACE.key(), LOT.key(graded_lot_id)]


def changed(lots: Iterable[int] | None = None) -> None:
    """The pages of the codes of graded lots ``lots`` (``None``: every trace page) have
    changed, now and again when the current transaction commits."""
    if lots is None:
        versions.changed(TRACE.key())
    else:
        versions.changed(*(LOT.key(pk) for pk in sorted(set(lots))))


def _graded_from(sourcing_lot_ids) -> list[int]:
    return list(GradedLot.objects.filter(record__inputs__sourcing_lot__in=sourcing_lot_ids)
                .values_list("pk", flat=True).distinct())


def _lots_of_runs(run_ids) -> list[int]:
    return list(PackingRun.objects.filter(pk__in=run_ids)
                .values_list("graded_lot_id", flat=True).distinct())


def lots_showing(instance) -> list[int] | None:
    """The graded lots whose pages show ``instance``; ``None``: every page may."""
    label = instance._meta.label
    if label == "supplychain.GradedLot":
        return [instance.pk]
    if label == "supplychain.PackingRun":
        return [instance.graded_lot_id]
    if label == "supplychain.TraceCode":
        return _lots_of_runs([instance.packing_run_id])
    if label == "supplychain.ShippedCode":
        return _lots_of_runs(PackingRun.objects.filter(trace_codes=instance.trace_code_id)
                             .values("pk"))
    if label == "supplychain.SourcingLot":
        return _graded_from([instance.pk])
    if label in ("supplychain.Inspection", "supplychain.FarmInput",
                 "supplychain.ProcessingStep"):
        return _graded_from([instance.sourcing_lot_id])
    if label == "supplychain.ColdChainLog":
        if instance.packing_run_id:
            return _lots_of_runs([instance.packing_run_id])
        return _graded_from([instance.sourcing_lot_id])
    if label == "supplychain.GradingInput":
        return [*_graded_from([instance.sourcing_lot_id]),
                *GradedLot.objects.filter(record_id=instance.record_id).values_list(
                    "pk", flat=True)]
    if label == "supplychain.Recall":
        if instance.graded_lot_id:
            return [instance.graded_lot_id]
        return _graded_from([instance.sourcing_lot_id]) if instance.sourcing_lot_id else []
    if label == "supplychain.TraceEvent":
        if instance.graded_lot_id:
            return [instance.graded_lot_id]
        if instance.packing_run_id:
            return _lots_of_runs([instance.packing_run_id])
        if instance.trace_code_id:
            return _lots_of_runs(PackingRun.objects.filter(trace_codes=instance.trace_code_id)
                                 .values("pk"))
        if instance.sourcing_lot_id:
            return _graded_from([instance.sourcing_lot_id])
    return None


def _saved_or_deleted(sender, instance, **kwargs):
    changed(lots_showing(instance))


def _recall_runs_changed(sender, instance, action, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Recall):
        lots = _lots_of_runs(pk_set) if pk_set else lots_showing(instance)
    else:  # a packing run's recalls
        lots = [instance.graded_lot_id]
    changed(lots)


def _m2m_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        changed()


def connect() -> None:
    """Listen for changes of the watched records (called by SupplychainConfig.ready)."""
    for label in WATCHED:
        model = apps.get_model(label)
        uid = f"trace-pages-{label}"
        post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            receiver = _recall_runs_changed if through is Recall.packing_runs.through \
                else _m2m_changed
            m2m_changed.connect(receiver, sender=through, dispatch_uid=f"{uid}-{field.name}")
