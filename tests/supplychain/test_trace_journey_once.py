"""A recall is recorded on every level it touches (the sourcing lot, each graded lot, each
packing run), yet a shopper who scans a package reads it once in the package's journey:
on the page, in its JSON and in the package's EPCIS export. A lot's own export keeps the
lot's record."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from supplychain import services
from supplychain.models import TraceEvent

pytestmark = pytest.mark.django_db

RECALLED = TraceEvent.BizStep.RECALLING


def journey_steps(code, address):
    data = Client().get(f"/t/{code}.json", REMOTE_ADDR=address).json()
    return [step["step"] for step in data["journey"]]


def page_mentions(code, address, text):
    page = Client().get(f"/t/{code}", REMOTE_ADDR=address).content.decode()
    return page.count(f"<strong>{text}</strong>")


def test_a_graded_lot_recall_shows_once_in_the_journey(coop, trace, graded_lot, coop_user,
                                                       zh_catalogue):
    services.recall_lot(coop, graded_lot=graded_lot, level="level_2",
                        reason="二氧化硫残留超标", user=coop_user)
    # Recorded twice: on the graded lot and on the packing run.
    assert TraceEvent.objects.filter(biz_step=RECALLED).count() == 2
    assert journey_steps(trace.code, "198.51.100.1") == [
        "commissioning", "inspecting", "grading", "packing", "recalling"]
    label = str(RECALLED.label)
    assert page_mentions(trace.code, "198.51.100.2", label) == 1
    epcis = Client().get(f"/t/{trace.code}/epcis.jsonld").json()["epcisBody"]["eventList"]
    recalls = [e for e in epcis if e.get("disposition") == "recalled"]
    assert len(recalls) == 1 and recalls[0]["epcList"]  # the package's own record
    # The lot's export still carries the lot's record.
    lot_events = services.lot_events(graded_lot=graded_lot)
    assert [e.biz_step for e in lot_events].count(RECALLED) == 2


def test_a_sourcing_lot_recall_shows_once_in_the_journey(coop, trace, passed_lot,
                                                         coop_user, zh_catalogue):
    services.recall_lot(coop, sourcing_lot=passed_lot, level="level_1",
                        reason="农药残留超标", user=coop_user)
    # The sourcing lot, both graded lots made from it, and the packing run.
    assert TraceEvent.objects.filter(biz_step=RECALLED).count() == 4
    assert journey_steps(trace.code, "198.51.100.1").count("recalling") == 1
    assert page_mentions(trace.code, "198.51.100.2", str(RECALLED.label)) == 1


def test_two_lots_received_at_once_stay_two_events(coop, persimmon, household, base, grades,
                                                   coop_user):
    """Distinct records of one step at the same instant on the same level are two
    happenings, not one: both lots of a package stay in its journey."""
    received = timezone.now() - timedelta(days=2)
    lots = [services.create_sourcing_lot(
        coop, product=persimmon, household=household, base=base, received_at=received,
        harvested_on=timezone.localdate() - timedelta(days=3), quantity_kg="10",
        unit_price="3") for _i in range(2)]
    for lot in lots:
        services.record_inspection(lot, lab="站", result="passed",
                                   inspected_on=timezone.localdate())
    graded = services.record_grading(coop, inputs=[(lot, "10") for lot in lots],
                                     outputs=[(grades["一级"], "20")], loss_kg="0").outputs.get()
    run = services.create_packing_run(graded, variant=persimmon.variants.first(),
                                      warehouse=coop.warehouses.first(), quantity=2,
                                      net_weight_kg="1")
    code = run.trace_codes.first().code
    assert journey_steps(code, "198.51.100.1").count("commissioning") == 2
