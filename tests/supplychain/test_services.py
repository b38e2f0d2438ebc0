"""Rules of the supply chain that hold whatever the caller: credit codes, masked ID
numbers, mass balance (also under concurrency), inspection before packing, codes."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from shop.models import Stock
from supplychain import services
from supplychain.models import GradedLot, GradingRecord, Household, PackingRun, TraceCode

from tests.factories import VALID_CREDIT_CODE

pytestmark = pytest.mark.django_db


def codes_of(excinfo):
    return [e.code for errors in excinfo.value.error_dict.values() for e in errors] \
        if hasattr(excinfo.value, "error_dict") else [e.code for e in excinfo.value.error_list]


@pytest.mark.parametrize("code", [VALID_CREDIT_CODE, "91110000100006485K", "91350100m000100y43"])
def test_valid_credit_codes_are_accepted_and_normalised(code):
    assert services.validate_credit_code(code) == code.upper()


@pytest.mark.parametrize("code", [
    "91350100M000100Y44",   # wrong check character
    "91110000100006485A",   # wrong check character
    "91350100M000100Y4",    # 17 characters
    "91350100M000100Y433",  # 19 characters
    "91350100M00O100Y43",   # letter O is not in the alphabet
    "",
])
def test_wrong_credit_codes_are_refused(code):
    with pytest.raises(ValidationError) as excinfo:
        services.validate_credit_code(code)
    assert codes_of(excinfo) == ["invalid_credit_code"]


def test_household_keeps_only_the_masked_id_number(coop):
    household = services.create_household(coop, head_name="李秀英", village="坡头村",
                                          id_number="11010519491231002x")
    stored = Household.objects.filter(pk=household.pk).values().get()
    assert stored["id_number_masked"] == "110105********002X"
    assert stored["id_number_last4"] == "002X"
    assert "19491231" not in str(stored)
    with pytest.raises(ValidationError) as excinfo:
        services.create_household(coop, head_name="李秀英", village="坡头村",
                                  id_number="110105194912310021")
    assert codes_of(excinfo) == ["invalid_id_number"]


def test_mass_balance_refuses_outputs_plus_loss_above_inputs(coop, passed_lot, grades):
    with pytest.raises(ValidationError) as excinfo:
        services.record_grading(coop, inputs=[(passed_lot, "100")],
                                outputs=[(grades["特级"], "80"), (grades["一级"], "15")],
                                loss_kg="5.001")
    assert codes_of(excinfo) == ["mass_balance_exceeded"]
    assert "100.000" in str(excinfo.value)
    assert not GradingRecord.objects.exists() and not GradedLot.objects.exists()
    # Exactly balanced is fine.
    services.record_grading(coop, inputs=[(passed_lot, "100")],
                            outputs=[(grades["特级"], "80"), (grades["一级"], "15")],
                            loss_kg="5")


def test_a_lot_cannot_be_graded_twice_over(coop, passed_lot, grades):
    services.record_grading(coop, inputs=[(passed_lot, "70")],
                            outputs=[(grades["特级"], "70")], loss_kg="0")
    with pytest.raises(ValidationError) as excinfo:
        services.record_grading(coop, inputs=[(passed_lot, "31")],
                                outputs=[(grades["特级"], "31")], loss_kg="0")
    assert codes_of(excinfo) == ["insufficient_quantity"]
    assert GradingRecord.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_gradings_of_one_lot_cannot_both_pass(coop, passed_lot, grades):
    """Two cooperatives' clerks grade 60 kg each of the same 100 kg lot at once: the input
    lot is locked, so one of them is refused and no more than 100 kg is ever graded."""
    barrier = threading.Barrier(2)
    outcomes = []

    def grade():
        try:
            barrier.wait(timeout=10)
            services.record_grading(coop, inputs=[(passed_lot, "60")],
                                    outputs=[(grades["特级"], "60")], loss_kg="0")
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.error_dict["inputs"][0].code)
        finally:
            connection.close()

    threads = [threading.Thread(target=grade) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["insufficient_quantity", "ok"]
    assert sum(g.quantity_kg for g in GradedLot.objects.all()) == Decimal("60")


def test_failed_or_missing_inspection_blocks_packing(coop, sourcing_lot, grades, persimmon,
                                                     coop_user):
    record = services.record_grading(coop, inputs=[(sourcing_lot, "50")],
                                     outputs=[(grades["特级"], "50")], loss_kg="0")
    graded = record.outputs.get()
    variant = persimmon.variants.first()
    warehouse = coop.warehouses.first()
    stock_before = Stock.objects.get(product_variant=variant, warehouse=warehouse).quantity

    def pack():
        services.create_packing_run(graded, variant=variant, warehouse=warehouse, quantity=2,
                                    net_weight_kg="1")

    with pytest.raises(ValidationError) as excinfo:
        pack()
    assert codes_of(excinfo) == ["not_inspected"]
    services.record_inspection(sourcing_lot, lab="检测中心", result="failed",
                               inspected_on=sourcing_lot.harvested_on)
    with pytest.raises(ValidationError) as excinfo:
        pack()
    assert codes_of(excinfo) == ["inspection_failed"]
    assert not PackingRun.objects.exists() and not TraceCode.objects.exists()
    assert Stock.objects.get(product_variant=variant, warehouse=warehouse).quantity == stock_before


def test_packing_run_issues_one_unguessable_code_per_package_and_adds_stock(
        graded_lot, persimmon, coop):
    variant = persimmon.variants.order_by("sku").first()
    warehouse = coop.warehouses.first()
    before = Stock.objects.get(product_variant=variant, warehouse=warehouse).quantity
    run = services.create_packing_run(graded_lot, variant=variant, warehouse=warehouse,
                                      quantity=40, net_weight_kg="1.5")
    codes = list(run.trace_codes.order_by("serial").values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 40
    assert all(len(c) == 16 and services.normalise_code(c) == c for c in codes)
    assert codes != sorted(codes)  # not sequential
    assert Stock.objects.get(product_variant=variant, warehouse=warehouse).quantity == before + 40
    # 60 kg graded, 60 kg packed: nothing more.
    with pytest.raises(ValidationError) as excinfo:
        services.create_packing_run(graded_lot, variant=variant, warehouse=warehouse,
                                    quantity=1, net_weight_kg="0.001")
    assert codes_of(excinfo) == ["insufficient_quantity"]


def test_scans_are_counted_and_flagged(trace, settings):
    settings.TRACE_SCAN_ALERT_THRESHOLD = 2
    first = services.record_scan(trace, trace.code, source="page", address="203.0.113.77",
                                 user_agent="Mozilla/5.0 (Linux; Android 12) WeChat")
    assert first.network == "203.0.113.0/24"
    assert first.before_shipping and not first.too_many and first.is_flagged
    services.record_scan(trace, trace.code, source="page")
    third = services.record_scan(trace, trace.code, source="json")
    assert third.too_many
    trace.refresh_from_db()
    assert trace.scan_count == 3 and trace.first_scanned_at == first.scanned_at
    unknown = services.record_scan(None, "AAAAAAAAAAAAAAAA", source="page")
    assert unknown.never_issued and unknown.is_flagged
