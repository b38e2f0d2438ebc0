"""A sourcing lot's chain records through the real /graphql/ view
(``SourcingLot.chainRecords``): the lot's own cooperative reads the records in force, and
with ``includeVoided`` also the voided ones with when, why, by whom and what replaced them;
another cooperative and an anonymous caller do not reach the lot at all (the public sees
the records in force on the trace page only). The records of many lots load in a fixed
number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from supplychain import services
from tests.factories import gid

pytestmark = pytest.mark.django_db

FIELDS = """farmInputs { name voidedAt voidReason voidedBy replacedBy { name } }
  processingSteps { kind voidedAt } coldChainLogs { device }"""

LOTS = f"""query($voided: Boolean) {{ sourcingLots(first: 10) {{ edges {{ node {{
  lotNumber chainRecords(includeVoided: $voided) {{ {FIELDS} }} }} }} }} }}"""

NODE = f"""query($id: ID!) {{ node(id: $id) {{ ... on SourcingLot {{
  lotNumber chainRecords(includeVoided: true) {{ {FIELDS} }} }} }} }}"""


@pytest.fixture
def corrected(passed_lot, coop_user):
    """Two farm inputs, the first typed wrong and voided for the second, and a step."""
    day = timezone.localdate() - timedelta(days=3)
    wrong = services.record_farm_input(passed_lot, kind="veterinary_drug", name="伊维菌素注射液",
                                       applied_on=day, withdrawal_days=35, user=coop_user)
    right = services.record_farm_input(passed_lot, kind="feed", name="燕麦青干草",
                                       applied_on=day, user=coop_user)
    services.record_processing_step(passed_lot, kind="drying", performed_at=timezone.now(),
                                    user=coop_user)
    services.void_chain_record(wrong, coop_user, reason="录入错误：实为饲草", replaced_by=right)
    return passed_lot


def _records(data):
    [edge] = data["sourcingLots"]["edges"]
    return edge["node"]["chainRecords"]


def test_the_cooperative_reads_its_lots_records_and_on_request_the_voided_ones(
        gql_as, corrected, coop_user):
    coop = gql_as(coop_user)
    in_force = _records(coop.data(LOTS, {}))
    assert in_force["farmInputs"] == [{"name": "燕麦青干草", "voidedAt": None, "voidReason": "",
                                       "voidedBy": None, "replacedBy": None}]
    assert in_force["processingSteps"] == [{"kind": "drying", "voidedAt": None}]
    assert in_force["coldChainLogs"] == []

    everything = _records(coop.data(LOTS, {"voided": True}))
    wrong, right = everything["farmInputs"]
    assert wrong["name"] == "伊维菌素注射液" and wrong["voidedAt"] is not None
    assert wrong["voidReason"] == "录入错误：实为饲草" and wrong["voidedBy"] == coop_user.email
    assert wrong["replacedBy"] == {"name": "燕麦青干草"}
    assert right["name"] == "燕麦青干草" and right["voidedAt"] is None


def test_another_cooperative_and_the_public_see_none_of_them(
        gql_as, corrected, coop_user, other_coop_user, operator_user):
    lot_id = gid("SourcingLot", corrected.pk)
    assert gql_as(other_coop_user).data(LOTS, {"voided": True})["sourcingLots"]["edges"] == []
    for outsider in (gql_as(other_coop_user), gql_as(None)):
        assert outsider.data(NODE, {"id": lot_id})["node"] is None
    # The lot's own members read them through node() too; so do the platform's operators,
    # who manage every organisation's records.
    for reader in (gql_as(coop_user), gql_as(operator_user)):
        node = reader.data(NODE, {"id": lot_id})["node"]
        assert [r["name"] for r in node["chainRecords"]["farmInputs"]] == [
            "伊维菌素注射液", "燕麦青干草"]


def test_the_records_of_many_lots_load_in_a_fixed_number_of_queries(
        gql_as, corrected, coop, persimmon, household, base, coop_user):
    client = gql_as(coop_user)
    client.data(LOTS, {"voided": True})  # warm the per-process caches

    def queries():
        with CaptureQueriesContext(connection) as captured:
            data = client.data(LOTS.replace("first: 10", "first: 20"), {"voided": True})
        return len(captured), len(data["sourcingLots"]["edges"])

    one = queries()
    for n in range(3):
        lot = services.create_sourcing_lot(
            coop, product=persimmon, household=household, base=base,
            harvested_on=timezone.localdate() - timedelta(days=5), quantity_kg="50",
            unit_price="12.50", user=coop_user)
        services.record_farm_input(lot, kind="feed", name=f"饲草{n}",
                                   applied_on=timezone.localdate(), user=coop_user)
    four = queries()
    assert one[1] == 1 and four[1] == 4
    assert four[0] == one[0]
