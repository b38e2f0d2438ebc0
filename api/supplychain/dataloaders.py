"""One DataLoader per relation of the supply chain, so that a page of lots, runs or codes
costs the same number of queries whatever its size."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from api.core.dataloaders import ByIdLoader, DataLoader, by_key
from supplychain.models import (
    Base,
    Certification,
    GradedLot,
    GradeStandard,
    GradingInput,
    Household,
    Inspection,
    PackingRun,
    SourcingLot,
    TraceCode,
)


class HouseholdByIdLoader(ByIdLoader):
    model = Household


class BaseByIdLoader(ByIdLoader):
    model = Base


class GradeStandardByIdLoader(ByIdLoader):
    model = GradeStandard


class GradedLotByIdLoader(ByIdLoader):
    model = GradedLot


class PackingRunByIdLoader(ByIdLoader):
    model = PackingRun


class TraceCodeByIdLoader(ByIdLoader):
    model = TraceCode


class CertificationsByBaseIdLoader(DataLoader):
    def batch_load(self, keys):
        grouped = by_key(Certification.objects.filter(base_id__in=keys), lambda c: c.base_id)
        return [grouped.get(key, []) for key in keys]


class InspectionsBySourcingLotIdLoader(DataLoader):
    def batch_load(self, keys):
        grouped = by_key(Inspection.objects.filter(sourcing_lot_id__in=keys)
                         .order_by("inspected_on", "pk"), lambda i: i.sourcing_lot_id)
        return [grouped.get(key, []) for key in keys]


class GradedKgBySourcingLotIdLoader(DataLoader):
    """Kilograms of each sourcing lot already taken by gradings."""

    def batch_load(self, keys):
        used = defaultdict(Decimal)
        for lot_id, kg in GradingInput.objects.filter(sourcing_lot_id__in=keys).values_list(
                "sourcing_lot_id", "quantity_kg"):
            used[lot_id] += kg
        return [used.get(key, Decimal("0")) for key in keys]


class PackedKgByGradedLotIdLoader(DataLoader):
    """Kilograms of each graded lot already packed."""

    def batch_load(self, keys):
        packed = defaultdict(Decimal)
        for lot_id, quantity, net in PackingRun.objects.filter(graded_lot_id__in=keys) \
                .values_list("graded_lot_id", "quantity", "net_weight_kg"):
            packed[lot_id] += quantity * net
        return [packed.get(key, Decimal("0")) for key in keys]


class SourcingLotIdsByGradedLotIdLoader(DataLoader):
    def batch_load(self, keys):
        grouped = defaultdict(list)
        rows = GradingInput.objects.filter(record__outputs__in=keys).values_list(
            "record__outputs", "sourcing_lot_id").order_by("sourcing_lot_id")
        for graded_id, lot_id in rows:
            grouped[graded_id].append(lot_id)
        return [grouped.get(key, []) for key in keys]


class SourcingLotsByGradedLotIdLoader(DataLoader):
    """The sourcing lots behind each graded lot (one query for the whole page)."""

    def batch_load(self, keys):
        grouped = defaultdict(list)
        rows = GradingInput.objects.filter(record__outputs__in=keys).select_related(
            "sourcing_lot").values_list("record__outputs", "sourcing_lot_id")
        pairs = list(rows)
        lots = SourcingLot.objects.in_bulk({lot_id for _g, lot_id in pairs})
        for graded_id, lot_id in pairs:
            if lots[lot_id] not in grouped[graded_id]:
                grouped[graded_id].append(lots[lot_id])
        return [grouped.get(key, []) for key in keys]


class PackingRunsByRecallIdLoader(DataLoader):
    def batch_load(self, keys):
        through = PackingRun.recalls.through
        rows = through.objects.filter(recall_id__in=keys).select_related("packingrun")
        grouped = by_key(rows, lambda r: r.recall_id)
        return [[r.packingrun for r in grouped.get(key, [])] for key in keys]
