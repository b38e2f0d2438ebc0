"""The full chain for livestock and food: a veterinary drug's withdrawal period keeps its
lot from being slaughtered or packed; a logger's CSV is stored with its out-of-range
spans flagged (a malformed line refused with its number); the trace page shows farm
inputs, slaughter and the cold chain as a timeline; the EPCIS export carries them, the
temperatures as an EPCIS 2.0 sensorElementList."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from supplychain import services
from supplychain.models import ColdChainLog, TemperatureReading
from tests.factories import gid

pytestmark = pytest.mark.django_db

EPCIS = """query($code: String!) { epcisDocument(code: $code) }"""

LOGGER_CSV = """时间,温度(℃),湿度(%RH)
2026-01-10 08:00,-19.5,60
2026-01-10 08:30,-18.6,61
2026-01-10 09:00,-15.2,61
2026-01-10 09:30,-12.0,62
2026-01-10 10:00,-18.4,60
2026-01-10 10:30,-17.1,60
2026-01-10 11:00,-19.0,60
"""


def test_withdrawal_period_blocks_slaughter_and_packing(passed_lot, graded_lot, persimmon,
                                                        coop, coop_user):
    today = timezone.localdate()
    services.record_farm_input(passed_lot, kind="feed", name="燕麦青干草",
                               applied_on=today - timedelta(days=60), quantity="2 吨",
                               user=coop_user)
    services.record_farm_input(passed_lot, kind="veterinary_drug", name="伊维菌素注射液",
                               applied_on=today - timedelta(days=5), withdrawal_days=35,
                               batch_number="YW2025-118", user=coop_user)
    until = (today + timedelta(days=30)).isoformat()
    with pytest.raises(ValidationError) as excinfo:
        services.create_packing_run(graded_lot, variant=persimmon.variants.first(),
                                    warehouse=coop.warehouses.first(), quantity=2,
                                    net_weight_kg="0.5", user=coop_user)
    error = excinfo.value.error_dict["graded_lot"][0]
    assert error.code == "withdrawal_period" and until in error.message
    with pytest.raises(ValidationError) as excinfo:
        services.record_processing_step(passed_lot, kind="slaughter",
                                        performed_at=timezone.now() - timedelta(hours=1))
    assert excinfo.value.error_dict["graded_lot"][0].code == "withdrawal_period"
    assert not persimmon.variants.first().stocks.filter(quantity__gt=10).exists()
    with pytest.raises(ValidationError):
        services.record_farm_input(passed_lot, kind="hormone", name="x", applied_on=today)
    with pytest.raises(ValidationError):
        services.record_farm_input(passed_lot, kind="feed", name="x",
                                   applied_on=today + timedelta(days=1))


def test_logger_csv_flags_out_of_range_spans(passed_lot, coop, other_coop, coop_user):
    log = services.upload_cold_chain_log(coop, LOGGER_CSV.encode("utf-8"), min_celsius=-25,
                                         max_celsius=-18, sourcing_lot=passed_lot,
                                         device="LOG-ZK-07", user=coop_user)
    assert log.reading_count == 7 and TemperatureReading.objects.filter(log=log).count() == 7
    assert (log.lowest, log.highest) == (Decimal("-19.50"), Decimal("-12.00"))
    # 09:00-09:30 (-15.2, -12.0) and 10:30 (-17.1) are above -18 °C; -18.6 and -18.4 are not.
    assert [(s["readings"], s["lowest"], s["highest"]) for s in log.excursions] == [
        (2, "-15.20", "-12.00"), (1, "-17.10", "-17.10")]
    assert timezone.localtime(
        timezone.datetime.fromisoformat(log.excursions[0]["start"])).hour == 9
    bad = LOGGER_CSV + "2026-01-10 11:30,n/a,60\n"
    with pytest.raises(ValidationError) as excinfo:
        services.upload_cold_chain_log(coop, bad, min_celsius=-25, max_celsius=-18,
                                       sourcing_lot=passed_lot)
    assert "9" in excinfo.value.messages[0]  # the line number
    with pytest.raises(ValidationError):
        services.upload_cold_chain_log(other_coop, LOGGER_CSV, min_celsius=-25,
                                       max_celsius=-18, sourcing_lot=passed_lot)
    with pytest.raises(ValidationError):
        services.upload_cold_chain_log(coop, LOGGER_CSV, min_celsius=-10, max_celsius=-18,
                                       sourcing_lot=passed_lot)
    assert ColdChainLog.objects.count() == 1


def test_trace_page_timeline_and_epcis_sensor_elements(gql, passed_lot, packing_run, coop,
                                                       coop_user):
    today = timezone.localdate()
    services.record_farm_input(passed_lot, kind="veterinary_drug", name="伊维菌素注射液",
                               applied_on=today - timedelta(days=50), withdrawal_days=35,
                               user=coop_user)
    services.record_processing_step(passed_lot, kind="slaughter",
                                    performed_at=timezone.now() - timedelta(days=2),
                                    location="泽库县定点屠宰场",
                                    certificate="动检A6300012345")
    services.upload_cold_chain_log(coop, LOGGER_CSV, min_celsius=-25, max_celsius=-18,
                                   packing_run=packing_run, device="LOG-ZK-07")
    code = packing_run.trace_codes.order_by("serial").first().code
    page = Client().get(f"/t/{code}").content.decode()
    for text in ("伊维菌素注射液", "泽库县定点屠宰场", "动检A6300012345", "LOG-ZK-07",
                 '<span class="bad">'):
        assert text in page, text
    assert page.index("伊维菌素注射液") < page.index("泽库县定点屠宰场")  # oldest first

    document = gql.data(EPCIS, {"code": code})["epcisDocument"]
    events = (json.loads(document) if isinstance(document, str) else document)[
        "epcisBody"]["eventList"]
    steps = [e["bizStep"] for e in events]
    assert "slaughtering" in steps and any(s.endswith("farm_input") for s in steps)
    cold = next(e for e in events if "sensorElementList" in e)
    element = cold["sensorElementList"][0]
    assert element["sensorMetadata"]["deviceID"].endswith("LOG-ZK-07")
    readings = [r for r in element["sensorReport"] if "value" in r]
    assert len(readings) == 7
    assert {r["type"] for r in readings} == {"gs1:Temperature"}
    assert {r["uom"] for r in readings} == {"CEL"}
    assert readings[3]["value"] == -12.0
    assert len(cold["pavilion:excursions"]) == 2
    times = [e["eventTime"] for e in events]
    assert len(times) == len(set(e["eventID"] for e in events))


FARM_INPUT = """mutation($lot: ID!, $input: FarmInputRecordInput!) {
  farmInputRecord(sourcingLot: $lot, input: $input) {
    farmInput { id kind name withdrawalEndsOn } errors { field code } } }"""

UPLOAD = """mutation($lot: ID, $file: Upload!) {
  coldChainLogUpload(sourcingLot: $lot, file: $file, minCelsius: -25, maxCelsius: -18,
                     device: "LOG-ZK-07") {
    coldChainLog { id readingCount lowest highest excursions } errors { field code } } }"""


def test_chain_records_through_the_api(gql_as, passed_lot, coop_user, other_coop_user):
    lot = gid("SourcingLot", passed_lot.pk)
    day = timezone.localdate() - timedelta(days=3)
    data = {"lot": lot, "input": {"kind": "VETERINARY_DRUG", "name": "伊维菌素注射液",
                                  "appliedOn": day.isoformat(), "withdrawalDays": 35}}
    payload = gql_as(coop_user).data(FARM_INPUT, data)["farmInputRecord"]
    assert payload["errors"] == []
    assert payload["farmInput"]["withdrawalEndsOn"] == (day + timedelta(days=35)).isoformat()
    assert payload["farmInput"]["id"] == gid("FarmInput", passed_lot.farm_inputs.get().pk)
    bad = gql_as(coop_user).data(FARM_INPUT, {**data, "input": {**data["input"],
                                                                 "withdrawalDays": 999}})
    assert bad["farmInputRecord"]["errors"][0] == {"field": "withdrawalDays", "code": "INVALID"}
    stranger = gql_as(other_coop_user).post(FARM_INPUT, data)
    assert stranger["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"

    upload = SimpleUploadedFile("log.csv", LOGGER_CSV.encode(), content_type="text/csv")
    result = gql_as(coop_user).post_multipart(UPLOAD, {"lot": lot, "file": None},
                                              {"file": upload})["data"]["coldChainLogUpload"]
    assert result["errors"] == [] and result["coldChainLog"]["readingCount"] == 7
    assert len(result["coldChainLog"]["excursions"]) == 2
    assert result["coldChainLog"]["id"] == gid("ColdChainLog", ColdChainLog.objects.get().pk)


def test_an_oversized_logger_file_is_refused_unread(passed_lot, coop, coop_user):
    big = SimpleUploadedFile("log.csv", LOGGER_CSV.encode() + b"0" * services.MAX_LOG_BYTES)
    with pytest.raises(ValidationError) as refused:
        services.upload_cold_chain_log(coop, big, sourcing_lot=passed_lot, min_celsius=-25,
                                       max_celsius=-18, user=coop_user)
    assert refused.value.error_dict["file"][0].code == "invalid"
    assert not ColdChainLog.objects.exists()
