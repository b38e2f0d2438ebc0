"""The supply chain through the real /graphql/ view: the whole chain as a cooperative does
it, Saleor-style errors that change nothing, per-organisation refusals, the public
``traceCode`` and query counts that do not grow with the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from shop.models import Stock
from supplychain import services
from supplychain.models import GradedLot, Household, ProducerProfile, Recall, SourcingLot

from tests.factories import VALID_CREDIT_CODE

pytestmark = pytest.mark.django_db

gid = to_global_id

PROFILE = """mutation($org: ID!, $code: String!) {
  producerProfileUpdate(organization: $org, input: {creditCode: $code, legalRepresentative: "张三"}) {
    producerProfile { creditCode organization { name } }
    errors { field code message } } }"""

HOUSEHOLD = """mutation($input: HouseholdCreateInput!) { householdCreate(input: $input) {
  household { id headName village idNumberMasked isPovertyRegistered }
  errors { field code message } } }"""

LOT = """mutation($input: SourcingLotCreateInput!) { sourcingLotCreate(input: $input) {
  sourcingLot { id lotNumber quantityKg remainingKg amount { amount currency } productName
                household { headName } isInspectionPassed }
  errors { field code message } } }"""

INSPECT = """mutation($lot: ID!) { inspectionCreate(sourcingLot: $lot, input: {
  lab: "渑池县农检站", result: PASSED, inspectedOn: "2024-11-05",
  items: [{name: "农药残留", value: "未检出", passed: true}]}) {
  inspection { result items { name value } } errors { field code message } } }"""

GRADE = """mutation($input: GradingRecordCreateInput!) { gradingRecordCreate(input: $input) {
  gradedLots { id lotNumber quantityKg remainingKg grade { name } }
  errors { field code message } } }"""

PACK = """mutation($input: PackingRunCreateInput!) { packingRunCreate(input: $input) {
  packingRun { id quantity netWeightKg variantSku labelStatus gradedLot { remainingKg } }
  errors { field code message } } }"""

RECALL = """mutation($input: LotRecallInput!) { lotRecall(input: $input) {
  recall { level reason affectedCodes withdrawnUnits initiatedByEmail affectedOrderIds
           packingRuns { quantity } }
  errors { field code message } } }"""

TRACE = """query($code: String!) { traceCode(code: $code) {
  code product grade netWeightKg disposition scanCount
  producer { name creditCode } origins { household { name village } base { name } }
  inspections { result lab } recall { level reason } journey { step time } } }"""


def test_a_cooperative_runs_the_whole_chain(gql_as, gql, coop, coop_user, persimmon, grades):
    client = gql_as(coop_user)
    org = gid("Organization", coop.pk)
    data = client.data(PROFILE, {"org": org, "code": VALID_CREDIT_CODE.lower()})
    assert data["producerProfileUpdate"]["producerProfile"]["creditCode"] == VALID_CREDIT_CODE
    data = client.data(HOUSEHOLD, {"input": {"organization": org, "headName": "王建国",
                                             "village": "果园村", "idNumber": "11010519491231002X",
                                             "isPovertyRegistered": True}})
    household = data["householdCreate"]["household"]
    assert household["idNumberMasked"] == "110105********002X"
    assert household["isPovertyRegistered"] is True
    data = client.data(LOT, {"input": {
        "organization": org, "product": gid("Product", persimmon.pk),
        "household": household["id"], "harvestedOn": "2024-11-01", "quantityKg": "100",
        "unitPrice": "12.5"}})
    lot = data["sourcingLotCreate"]["sourcingLot"]
    assert lot["amount"] == {"amount": 1250.0, "currency": "CNY"}
    assert lot["isInspectionPassed"] is False and lot["household"]["headName"] == "王建国"
    assert client.data(INSPECT, {"lot": lot["id"]})["inspectionCreate"]["inspection"][
        "result"] == "PASSED"
    data = client.data(GRADE, {"input": {
        "organization": org, "inputs": [{"sourcingLot": lot["id"], "quantityKg": "100"}],
        "outputs": [{"grade": gid("GradeStandard", grades["特级"].pk), "quantityKg": "55"},
                    {"grade": gid("GradeStandard", grades["一级"].pk), "quantityKg": "40"}],
        "lossKg": "5"}})
    special = data["gradingRecordCreate"]["gradedLots"][0]
    assert special["grade"]["name"] == "特级" and special["remainingKg"] == 55.0
    variant = persimmon.variants.order_by("sku").first()
    warehouse = coop.warehouses.first()
    stock_before = Stock.objects.get(product_variant=variant, warehouse=warehouse).quantity
    data = client.data(PACK, {"input": {
        "gradedLot": special["id"], "variant": gid("ProductVariant", variant.pk),
        "warehouse": gid("Warehouse", warehouse.pk), "quantity": 100, "netWeightKg": "0.5"}})
    run = data["packingRunCreate"]["packingRun"]
    assert run["quantity"] == 100 and run["gradedLot"]["remainingKg"] == 5.0
    assert Stock.objects.get(product_variant=variant, warehouse=warehouse).quantity == \
        stock_before + 100

    codes = client.data("""query($run: ID!) { traceCodes(packingRun: $run, first: 3) {
        totalCount edges { node { code url disposition } } } }""", {"run": run["id"]})
    assert codes["traceCodes"]["totalCount"] == 100
    code = codes["traceCodes"]["edges"][0]["node"]["code"]
    public = gql.data(TRACE, {"code": code})["traceCode"]
    assert public["product"] == "渑池柿饼" and public["grade"] == "特级"
    assert public["producer"] == {"name": coop.name, "creditCode": VALID_CREDIT_CODE}
    assert public["origins"][0]["household"] == {"name": "王**", "village": "果园村"}
    assert [s["step"] for s in public["journey"]] == [
        "COMMISSIONING", "INSPECTING", "GRADING", "PACKING"]
    assert public["scanCount"] == 1
    assert gql.data(TRACE, {"code": "ABCDEFGHIJKLMNOP"})["traceCode"] is None

    data = client.data(RECALL, {"input": {"gradedLot": special["id"], "level": "LEVEL_1",
                                          "reason": "二氧化硫超标"}})
    recall = data["lotRecall"]["recall"]
    # The 100 coded packages leave stock, and so do the 10 + 10 units of the product's two
    # variants counted by hand: no code says they are not from the recalled lot.
    assert recall["affectedCodes"] == 100 and recall["withdrawnUnits"] == 100 + 20
    assert recall["initiatedByEmail"] == "coop@example.com"
    assert recall["affectedOrderIds"] == []
    assert Stock.objects.get(product_variant=variant, warehouse=warehouse).quantity == 0
    assert gql.data(TRACE, {"code": code})["traceCode"]["recall"] == {
        "level": "LEVEL_1", "reason": "二氧化硫超标"}
    again = client.post(RECALL, {"input": {"gradedLot": special["id"], "level": "LEVEL_1",
                                           "reason": "再次"}})
    assert again["data"]["lotRecall"]["errors"][0]["code"] == "ALREADY_RECALLED"
    assert Recall.objects.count() == 1


def test_bad_input_returns_errors_and_changes_nothing(gql_as, coop, coop_user, passed_lot,
                                                      grades):
    client = gql_as(coop_user)
    org = gid("Organization", coop.pk)
    result = client.data(PROFILE, {"org": org, "code": "91350100M000100Y44"})
    assert result["producerProfileUpdate"] == {"producerProfile": None, "errors": [{
        "field": "creditCode", "code": "INVALID_CREDIT_CODE",
        "message": result["producerProfileUpdate"]["errors"][0]["message"]}]}
    assert not ProducerProfile.objects.exists()
    result = client.data(HOUSEHOLD, {"input": {"organization": org, "headName": "王",
                                               "village": "果园村", "idNumber": "123"}})
    assert result["householdCreate"]["errors"][0]["code"] == "INVALID_ID_NUMBER"
    households = Household.objects.count()
    result = client.data(GRADE, {"input": {
        "organization": org, "inputs": [{"sourcingLot": gid("SourcingLot", passed_lot.pk),
                                         "quantityKg": "100"}],
        "outputs": [{"grade": gid("GradeStandard", grades["特级"].pk), "quantityKg": "99"}],
        "lossKg": "2"}})
    assert result["gradingRecordCreate"]["gradedLots"] is None
    assert result["gradingRecordCreate"]["errors"][0] == {
        "field": None, "code": "MASS_BALANCE_EXCEEDED",
        "message": result["gradingRecordCreate"]["errors"][0]["message"]}
    assert "99.000" in result["gradingRecordCreate"]["errors"][0]["message"]
    assert not GradedLot.objects.exists() and Household.objects.count() == households


def test_cooperatives_cannot_see_or_change_each_others_records(
        gql_as, gql, coop, other_coop_user, operator_user, coop_user, packing_run, passed_lot,
        graded_lot):
    other = gql_as(other_coop_user)
    org = gid("Organization", coop.pk)
    for query, variables in [
        (HOUSEHOLD, {"input": {"organization": org, "headName": "某", "village": "村"}}),
        (INSPECT, {"lot": gid("SourcingLot", passed_lot.pk)}),
        (RECALL, {"input": {"gradedLot": gid("GradedLot", graded_lot.pk), "level": "LEVEL_3",
                            "reason": "恶意召回"}}),
        ("""query($run: ID!) { traceCodes(packingRun: $run, first: 5) { totalCount } }""",
         {"run": gid("PackingRun", packing_run.pk)}),
        ("""query($org: ID!) { households(organization: $org, first: 5) { totalCount } }""",
         {"org": org}),
    ]:
        result = other.post(query, variables)
        assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied", result
    assert not Recall.objects.exists()
    # Lists show only one's own rows; node(id) hides others' records.
    lots = """{ sourcingLots(first: 10) { totalCount } }"""
    assert other.data(lots)["sourcingLots"]["totalCount"] == 0
    assert gql_as(coop_user).data(lots)["sourcingLots"]["totalCount"] == 1
    assert gql_as(operator_user).data(lots)["sourcingLots"]["totalCount"] == 1
    node = """query($id: ID!) { node(id: $id) { ... on SourcingLot { lotNumber } } }"""
    assert other.data(node, {"id": gid("SourcingLot", passed_lot.pk)})["node"] is None
    assert gql_as(coop_user).data(node, {"id": gid("SourcingLot", passed_lot.pk)})["node"]
    # The public sees nothing but the trace view.
    assert gql.post(lots)["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_flagged_scans_are_seen_by_their_producer_and_the_operator(
        gql_as, trace, coop_user, other_coop_user, operator_user):
    services.record_scan(trace, trace.code, source="page")
    services.record_scan(None, "ZZZZZZZZZZZZZZZZ", source="page")
    query = """query($never: Boolean) { scans(first: 10, neverIssued: $never) {
        edges { node { codeText beforeShipping neverIssued traceCode { code } } } } }"""
    own = gql_as(coop_user).data(query)["scans"]["edges"]
    assert [e["node"]["codeText"] for e in own] == [trace.code]
    assert own[0]["node"]["beforeShipping"] is True
    assert gql_as(other_coop_user).data(query)["scans"]["edges"] == []
    never = gql_as(operator_user).data(query, {"never": True})["scans"]["edges"]
    assert [e["node"]["codeText"] for e in never] == ["ZZZZZZZZZZZZZZZZ"]
    assert gql_as(coop_user).post(query, {"never": True})["errors"]


def test_list_query_count_does_not_grow_with_page_size(gql_as, coop, coop_user, persimmon,
                                                       household, base, grades):
    query = """query($n: Int) {
      sourcingLots(first: $n) { edges { node { lotNumber productName household { village }
        base { name certifications { number } } remainingKg inspections { result }
        isInspectionPassed organization { name } } } }
      gradedLots(first: $n) { edges { node { lotNumber grade { name } remainingKg
        sourcingLots { lotNumber } } } } }"""
    client = gql_as(coop_user)

    def make(n):
        for _i in range(n):
            lot = services.create_sourcing_lot(coop, product=persimmon, household=household,
                                               base=base, harvested_on=persimmon.created_at.date(),
                                               quantity_kg="10", unit_price="3")
            services.record_inspection(lot, lab="站", result="passed",
                                       inspected_on=lot.harvested_on)
            services.record_grading(coop, inputs=[(lot, "10")],
                                    outputs=[(grades["特级"], "9")], loss_kg="1")

    def count(n):
        with CaptureQueriesContext(connection) as ctx:
            data = client.data(query, {"n": n})
        assert len(data["sourcingLots"]["edges"]) == min(n, SourcingLot.objects.count())
        return len(ctx.captured_queries)

    make(2)
    small = count(2)
    make(8)
    assert count(10) == small
