"""Fixtures of the supply-chain tests: a cooperative's whole chain built through the
services (household, base, sourcing lot, inspection, grading, packing run)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from supplychain import services

ROOT = Path(__file__).resolve().parents[2]
VALID_CREDIT_CODE = "91350100M000100Y43"
VALID_ID_NUMBER = "11010519491231002X"


@pytest.fixture
def household(coop):
    return services.create_household(coop, head_name="王建国", village="果园村",
                                     township="果园乡", id_number=VALID_ID_NUMBER,
                                     is_poverty_registered=True)


@pytest.fixture
def base(coop):
    base = services.create_base(coop, name="果园柿子基地", location="渑池县果园乡果园村",
                                area_mu=Decimal("120"))
    services.add_certification(base, kind="green", number="LB-18-2201",
                               valid_until=date.today() + timedelta(days=365))
    return base


@pytest.fixture
def grades(persimmon):
    return {
        "特级": services.create_grade_standard(persimmon, name="特级", rank=1,
                                               criteria="单果≥60g，色泽橙红，无破损"),
        "一级": services.create_grade_standard(persimmon, name="一级", rank=2,
                                               criteria="单果≥45g，无破损"),
    }


@pytest.fixture
def sourcing_lot(coop, persimmon, household, base, coop_user):
    return services.create_sourcing_lot(
        coop, product=persimmon, household=household, base=base,
        harvested_on=timezone.localdate() - timedelta(days=20), quantity_kg="100",
        unit_price="12.50", user=coop_user)


@pytest.fixture
def passed_lot(sourcing_lot, coop_user):
    services.record_inspection(sourcing_lot, lab="三门峡市农产品质量检测中心", result="passed",
                               inspected_on=timezone.localdate(),
                               items=[{"name": "农药残留", "value": "未检出", "passed": True}],
                               user=coop_user)
    return sourcing_lot


@pytest.fixture
def graded_lot(coop, passed_lot, grades, coop_user):
    record = services.record_grading(coop, inputs=[(passed_lot, "100")],
                                     outputs=[(grades["特级"], "60"), (grades["一级"], "30")],
                                     loss_kg="10", user=coop_user)
    return record.outputs.get(grade=grades["特级"])


@pytest.fixture
def packing_run(graded_lot, persimmon, coop, coop_user):
    variant = persimmon.variants.order_by("sku").first()
    return services.create_packing_run(graded_lot, variant=variant,
                                       warehouse=coop.warehouses.first(), quantity=5,
                                       net_weight_kg="0.5", user=coop_user)


@pytest.fixture
def trace(packing_run):
    return packing_run.trace_codes.order_by("serial").first()
