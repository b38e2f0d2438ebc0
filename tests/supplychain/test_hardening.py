"""The supply chain against an attacker: an HTML page uploaded as a lab report, nonsense
coordinates, amounts and dates. Typed errors through the real /graphql/ view, nothing
stored; a real report is kept under a server-chosen private name and served as a download."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from supplychain import services
from supplychain.models import Base, Inspection, SourcingLot
from tests.factories import gid

pytestmark = pytest.mark.django_db

INSPECT = """mutation($lot: ID!, $report: Upload) { inspectionCreate(sourcingLot: $lot,
  input: {lab: "渑池县农检站", result: PASSED, inspectedOn: "%s",
          items: [{name: "农药残留", value: "未检出", passed: true}]}, report: $report) {
  inspection { id reportUrl } errors { field code message } } }"""
BASE = """mutation($input: BaseCreateInput!) { baseCreate(input: $input) {
  base { id } errors { field code message } } }"""
LOT = """mutation($input: SourcingLotCreateInput!) { sourcingLotCreate(input: $input) {
  sourcingLot { id } errors { field code message } } }"""

HTML = b"<html><body><script>fetch('/graphql/',{credentials:'include'})</script></body></html>"
PNG_HEADER_THEN_HTML = b"\x89PNG\r\n\x1a\n" + HTML


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _inspect(client, lot, upload):
    query = INSPECT % timezone.localdate().isoformat()
    return client.post_multipart(query, {"lot": gid("SourcingLot", lot.pk), "report": None},
                                 {"report": upload})["data"]["inspectionCreate"]


@pytest.mark.parametrize("name, content, content_type", [
    ("report.pdf", HTML, "application/pdf"),
    ("report.html", HTML, "text/html"),
    ("report.png", PNG_HEADER_THEN_HTML, "image/png"),
])
def test_html_as_inspection_report_is_refused(gql_as, coop_user, sourcing_lot, media_root,
                                              name, content, content_type):
    payload = _inspect(gql_as(coop_user), sourcing_lot,
                       SimpleUploadedFile(name, content, content_type=content_type))
    assert payload["inspection"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("report", "INVALID")]
    assert not Inspection.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_report_is_stored_privately_and_served_as_a_download(gql_as, coop_user, sourcing_lot,
                                                             media_root):
    payload = _inspect(gql_as(coop_user), sourcing_lot, SimpleUploadedFile(
        "<img src=x onerror=alert(1)>.html", b"%PDF-1.7\n1 0 obj\n", "text/html"))
    assert payload["errors"] == []
    inspection = Inspection.objects.get()
    assert inspection.report.name.startswith("private/inspection-reports/")
    assert inspection.report.name.endswith(".pdf") and "img" not in inspection.report.name
    url = payload["inspection"]["reportUrl"]
    assert "/media/" not in url and url.endswith(inspection.report_path())
    response = Client().get(inspection.report_path(), follow=True)  # via its signed address
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("field, value", [
    ("latitude", 91), ("latitude", 1e308), ("longitude", -180.5), ("longitude", -1e308),
    ("areaMu", "-3"),
])
def test_nonsense_base_is_refused(gql_as, coop, coop_user, field, value):
    payload = gql_as(coop_user, language="zh-hans").data(BASE, {"input": {
        "organization": gid("Organization", coop.pk), "name": "果园村基地", "location": "渑池县",
        "areaMu": "120", field: value}})["baseCreate"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, "INVALID")]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in payload["errors"][0]["message"])
    assert not Base.objects.exists()


def test_non_numeric_coordinate_is_a_field_error(coop):
    for value in ("north", "NaN", "Infinity", "1e308"):
        with pytest.raises(ValidationError) as refused:
            services.create_base(coop, name="基地", location="渑池", area_mu="1",
                                 latitude=value)
        assert set(refused.value.message_dict) == {"latitude"}
    with pytest.raises(ValidationError) as refused:
        services.create_base(coop, name="基地", location="渑池", area_mu="1e308")
    assert set(refused.value.message_dict) == {"area_mu"}
    assert not Base.objects.exists()


@pytest.mark.parametrize("extra, field", [
    ({"harvestedOn": "0001-01-01"}, "harvestedOn"),
    ({"quantityKg": "1e308"}, "quantityKg"),
    ({"unitPrice": "99999999999"}, "unitPrice"),
    ({"quantityKg": "999999999", "unitPrice": "9999999"}, "unitPrice"),
    ({"notes": "很" * 1_000_000}, "notes"),
    ({"lotNumber": "L\x00001"}, "lotNumber"),
])
def test_nonsense_lot_is_refused(gql_as, coop, coop_user, persimmon, household, extra, field):
    lot = {"organization": gid("Organization", coop.pk), "product": gid("Product", persimmon.pk),
           "household": gid("Household", household.pk),
           "harvestedOn": timezone.localdate().isoformat(), "quantityKg": "100",
           "unitPrice": "12.5", **extra}
    result = gql_as(coop_user).post(LOT, {"input": lot})
    assert not result.get("errors"), result.get("errors")
    errors = result["data"]["sourcingLotCreate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, "INVALID")]
    assert not SourcingLot.objects.exists()
