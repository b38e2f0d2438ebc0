"""The public trace page as a shopper meets it: the page, its JSON, the GS1 Digital Link,
QR images, the never-issued warning, the first-scan notice, the recall banner, EPCIS."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from supplychain import services
from supplychain.models import Scan, TraceCode

pytestmark = pytest.mark.django_db


def test_trace_page_shows_the_whole_history_in_chinese(trace, zh_catalogue):
    response = Client().get(f"/t/{trace.code}", HTTP_USER_AGENT="MicroMessenger/8.0")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ["渑池柿饼", "特级", "0.5 kg", "渑池县果园柿饼专业合作社", "王**（果园村）",
                 "果园柿子基地", "三门峡市农产品质量检测中心", "合格", "这是此码的首次查询",
                 "包装", "绿色食品"]:
        assert text in page, text
    assert "王建国" not in page and "002X" not in page
    assert "<script" not in page
    # Another shopper (a second client): counted again.
    response = Client().get(f"/t/{trace.code.lower()}", REMOTE_ADDR="198.51.100.2")
    assert "此码已被查询 2 次" in response.content.decode()
    assert Scan.objects.filter(trace_code=trace).count() == 2
    assert Scan.objects.filter(user_agent="MicroMessenger/8.0", source="page").exists()


def test_never_issued_code_warns_of_counterfeit(db, zh_catalogue):
    response = Client().get("/t/ABCDEFGHIJKLMNOP")
    assert response.status_code == 404
    assert "未找到此追溯码，谨防假冒" in response.content.decode()
    response = Client().get("/t/not-a-code.json")
    assert response.status_code == 404
    assert response.json() == {"found": False, "code": "not-a-code",
                               "message": "未找到此追溯码，谨防假冒"}
    assert Scan.objects.filter(never_issued=True, is_flagged=True).count() == 2


def test_json_and_format_json_give_the_same_data(trace):
    data = Client().get(f"/t/{trace.code}.json").json()
    assert data["found"] is True and data["code"] == trace.code
    assert data["grade"] == "特级" and data["net_weight_kg"] == "0.500"
    assert data["origins"][0]["household"] == {"name": "王**", "village": "果园村"}
    assert data["inspections"][0]["result"] == "passed"
    assert [step["step"] for step in data["journey"]] == [
        "commissioning", "inspecting", "grading", "packing"]
    again = Client().get(f"/t/{trace.code}", {"format": "json"},
                         REMOTE_ADDR="198.51.100.2").json()
    assert again["scan_count"] == 2 and again["journey"] == data["journey"]


def test_gs1_digital_link_resolves_to_the_same_page(trace, packing_run):
    variant = packing_run.variant
    variant.gtin = "06901234567892"
    variant.save()
    lot = packing_run.graded_lot.lot_number
    response = Client().get(f"/01/{variant.gtin}/10/{lot}/21/{trace.code}")
    assert response.status_code == 200 and trace.code in response.content.decode()
    assert Client().get(f"/01/{variant.gtin}/10/WRONG/21/{trace.code}").status_code == 404
    assert Scan.objects.filter(source="digital_link").count() == 2


def test_qr_images_encode_the_trace_url(trace):
    from PIL import Image
    import io
    png = Client().get(f"/t/{trace.code}/qr.png")
    assert png["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    assert image.size[0] == image.size[1] and image.size[0] >= 150
    svg = Client().get(f"/t/{trace.code}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert Client().get("/t/ABCDEFGHIJKLMNOP/qr.png").status_code == 404
    assert services.trace_url(trace.code).endswith(f"/t/{trace.code}")


def test_recall_banner_and_recalled_codes(coop, trace, graded_lot, coop_user, zh_catalogue):
    services.recall_lot(coop, graded_lot=graded_lot, level="level_2", reason="二氧化硫残留超标",
                        user=coop_user)
    page = Client().get(f"/t/{trace.code}").content.decode()
    assert "此产品已被召回" in page and "二氧化硫残留超标" in page
    assert set(TraceCode.objects.filter(packing_run__graded_lot=graded_lot)
               .values_list("disposition", flat=True)) == {"recalled"}


def test_epcis_export_of_a_code(trace, packing_run):
    document = Client().get(f"/t/{trace.code}/epcis.jsonld").json()
    assert document["type"] == "EPCISDocument" and document["schemaVersion"] == "2.0"
    assert "https://ref.gs1.org/standards/epcis/epcis-context.jsonld" in document["@context"]
    events = document["epcisBody"]["eventList"]
    assert [e["bizStep"] for e in events] == ["commissioning", "inspecting", "sorting", "packing"]
    packing = events[-1]
    assert packing["type"] == "ObjectEvent" and packing["action"] == "ADD"
    assert packing["disposition"] == "active"
    assert packing["epcList"] == [services.trace_url(trace.code)]
    assert packing["quantityList"][0]["quantity"] == 5
    assert events[0]["quantityList"][0]["uom"] == "KGM"
    assert all(e["eventTimeZoneOffset"] == "+08:00" for e in events)



# The page a village phone opens after a scan: a handful of queries whatever the history.
# Supply chain (6): the code (with run, lot, grade, variant, product, producer and its
# profile), the scan (counter update and scan row in one statement), the sourcing lots
# (with household and base), their inspections, the bases' certifications, the journey.
# The regional brand's licence look-up (brand.services.licence_status_for) adds its own 5.
TRACE_PAGE_MAX_QUERIES = 11


def test_trace_page_costs_a_few_queries(trace, coop, persimmon, household, base, grades,
                                        django_assert_max_num_queries):
    client = Client()
    client.get(f"/t/{trace.code}")  # the first look-up compiles templates and catalogues
    with django_assert_max_num_queries(TRACE_PAGE_MAX_QUERIES):
        assert client.get(f"/t/{trace.code}").status_code == 200

    # A package from three lots, recalled, with a longer journey: no query per lot or event.
    def queries(code):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/t/{code}").status_code == 200
        return len(ctx.captured_queries)

    lots = [services.create_sourcing_lot(
        coop, product=persimmon, household=household if i else None, base=base,
        harvested_on=timezone.localdate() - timedelta(days=3), quantity_kg="10",
        unit_price="3") for i in range(3)]
    for lot in lots:
        services.record_inspection(lot, lab="站", result="passed",
                                   inspected_on=timezone.localdate())
    graded = services.record_grading(coop, inputs=[(lot, "10") for lot in lots],
                                     outputs=[(grades["一级"], "30")], loss_kg="0").outputs.get()
    run = services.create_packing_run(graded, variant=trace.packing_run.variant,
                                      warehouse=coop.warehouses.first(), quantity=2,
                                      net_weight_kg="1")
    services.recall_lot(coop, graded_lot=graded, level="level_3", reason="标签错误")
    code = run.trace_codes.first().code
    page = client.get(f"/t/{code}").content.decode()
    assert page.count("站") >= 3 and "标签错误" in page
    assert queries(code) <= queries(trace.code) + 1  # + the recall banner's look-up
