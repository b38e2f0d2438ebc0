"""Correcting a wrong chain record through the real /graphql/ view: the lot's own
cooperative voids it with a reason (and the record entered in its place); the record is
kept, leaves the trace page at once (cached page included) and the withdrawal-period
check, and the EPCIS export declares its event an error the EPCIS 2.0 way. Everyone else
is refused, and so are a void without a reason, a second void and a replacement that is
not of the same kind and lot."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from supplychain import services
from supplychain.models import FarmInput
from tests.factories import gid

pytestmark = pytest.mark.django_db

RECORD = """mutation($lot: ID!, $input: FarmInputRecordInput!) {
  farmInputRecord(sourcingLot: $lot, input: $input) {
    farmInput { id } errors { field code } } }"""

VOID = """mutation($id: ID!, $reason: String!, $replacedBy: ID) {
  chainRecordVoid(id: $id, reason: $reason, replacedBy: $replacedBy) {
    farmInput { id name voidedAt voidReason }
    processingStep { id voidedAt }
    errors { field code message }
  }
}"""

EPCIS = """query($code: String!) { epcisDocument(code: $code) }"""


def _record(client, lot, **fields):
    payload = client.data(RECORD, {"lot": gid("SourcingLot", lot.pk), "input": {
        "appliedOn": (timezone.localdate() - timedelta(days=3)).isoformat(), **fields}})
    assert payload["farmInputRecord"]["errors"] == []
    return payload["farmInputRecord"]["farmInput"]["id"]


def _events(gql, code):
    document = gql.data(EPCIS, {"code": code})["epcisDocument"]
    return (json.loads(document) if isinstance(document, str) else document)[
        "epcisBody"]["eventList"]


def test_the_cooperative_voids_a_mistyped_input_and_the_chain_forgets_it(
        gql, gql_as, passed_lot, trace, coop_user):
    coop = gql_as(coop_user)
    # Typed as a veterinary drug with a 35-day withdrawal period: it was the hay.
    wrong = _record(coop, passed_lot, kind="VETERINARY_DRUG", name="伊维菌素注射液",
                    withdrawalDays=35)
    right = _record(coop, passed_lot, kind="FEED", name="燕麦青干草")
    with pytest.raises(ValidationError) as blocked:
        services.record_processing_step(passed_lot, kind="slaughter",
                                        performed_at=timezone.now())
    assert blocked.value.error_dict["graded_lot"][0].code == "withdrawal_period"
    page = Client().get(f"/t/{trace.code}").content.decode()
    assert "伊维菌素注射液" in page  # shown, and now held in the trace cache

    voided = coop.data(VOID, {"id": wrong, "reason": "录入错误：实为饲草",
                              "replacedBy": right})["chainRecordVoid"]
    assert voided["errors"] == []
    assert voided["farmInput"]["name"] == "伊维菌素注射液"
    assert voided["farmInput"]["voidReason"] == "录入错误：实为饲草"
    assert voided["farmInput"]["voidedAt"] is not None
    # Kept, with who and why.
    record = FarmInput.objects.get(name="伊维菌素注射液")
    assert record.voided_by == coop_user and record.replaced_by.name == "燕麦青干草"

    # The trace page forgets it at once; the replacement stays.
    page = Client().get(f"/t/{trace.code}").content.decode()
    assert "伊维菌素注射液" not in page and "燕麦青干草" in page
    # Its withdrawal period no longer holds the lot.
    services.record_processing_step(passed_lot, kind="slaughter", performed_at=timezone.now(),
                                    location="泽库县定点屠宰场")

    # EPCIS: the voided record's event comes with its error declaration, pointing at the
    # event of the record entered in its place.
    events = _events(gql, trace.code)
    inputs = {e["pavilion:farmInput"]["name"]: e for e in events if "pavilion:farmInput" in e}
    declaration = inputs["伊维菌素注射液"]["errorDeclaration"]
    assert declaration["reason"] == "incorrect_data"
    assert declaration["correctiveEventIDs"] == [inputs["燕麦青干草"]["eventID"]]
    assert declaration["pavilion:reason"] == "录入错误：实为饲草"
    assert declaration["declarationTime"] == record.voided_at.isoformat()
    assert "errorDeclaration" not in inputs["燕麦青干草"]
    assert len({e["eventID"] for e in events}) == len(events)


def test_a_record_that_never_happened_is_declared_so(gql, gql_as, passed_lot, trace,
                                                      coop_user):
    coop = gql_as(coop_user)
    wrong = _record(coop, passed_lot, kind="PESTICIDE", name="吡虫啉")
    voided = coop.data(VOID, {"id": wrong, "reason": "录错了批次，未施用"})["chainRecordVoid"]
    assert voided["errors"] == []
    [event] = [e for e in _events(gql, trace.code) if "pavilion:farmInput" in e]
    assert event["errorDeclaration"]["reason"] == "did_not_occur"
    assert "correctiveEventIDs" not in event["errorDeclaration"]


def test_refusals(gql_as, passed_lot, coop_user, other_coop_user, operator_user):
    coop = gql_as(coop_user)
    wrong = _record(coop, passed_lot, kind="FEED", name="青贮玉米")
    step = services.record_processing_step(passed_lot, kind="drying",
                                           performed_at=timezone.now(), user=coop_user)
    # Another cooperative, an operator and an anonymous caller change nothing.
    for caller in (gql_as(other_coop_user), gql_as(operator_user), gql_as(None)):
        result = caller.post(VOID, {"id": wrong, "reason": "x"})
        assert result["errors"] and result["data"]["chainRecordVoid"] is None
    # No reason; a replacement of another kind; a node that is not a chain record.
    blank = coop.data(VOID, {"id": wrong, "reason": "  "})["chainRecordVoid"]
    assert blank["errors"] == [{"field": "reason", "code": "REQUIRED",
                                "message": "Give a reason."}]
    other_kind = coop.data(VOID, {"id": wrong, "reason": "错",
                                  "replacedBy": gid("ProcessingStep", step.pk)})
    assert other_kind["chainRecordVoid"]["errors"][0]["field"] == "replacedBy"
    assert other_kind["chainRecordVoid"]["errors"][0]["code"] == "INVALID"
    not_a_record = coop.data(VOID, {"id": gid("SourcingLot", passed_lot.pk), "reason": "错"})
    assert not_a_record["chainRecordVoid"]["errors"][0]["field"] == "id"
    assert not FarmInput.objects.filter(voided_at__isnull=False).exists()
    # A record cannot replace itself, nor be voided twice.
    itself = coop.data(VOID, {"id": wrong, "reason": "错", "replacedBy": wrong})
    assert itself["chainRecordVoid"]["errors"][0]["field"] == "replacedBy"
    done = coop.data(VOID, {"id": gid("ProcessingStep", step.pk), "reason": "未烘干"})
    assert done["chainRecordVoid"]["processingStep"]["voidedAt"] is not None
    again = coop.data(VOID, {"id": gid("ProcessingStep", step.pk), "reason": "再作废"})
    assert again["chainRecordVoid"]["errors"][0]["code"] == "ALREADY_VOIDED"
