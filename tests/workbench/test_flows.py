"""A cooperative's jobs through the workbench pages (Django's test client): each write is
the domain service's, and a refusal shows the service's own message on the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog.models import Product
from shop import services as shop_services
from shop.models import Order, Stock
from supplychain import services as supplychain_services
from supplychain.models import GradedLot, Household, Inspection, PackingRun, Recall, SourcingLot
from tests.factories import ready_checkout

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def paid_order(packing_run, channel, shipping):
    """A buyer's paid order of 3 packages of the packed variant, through the checkout."""
    checkout = ready_checkout(channel, packing_run.variant, shipping, quantity=3)
    order = shop_services.complete_checkout(checkout.token)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID, paid_at=timezone.now())
    order.refresh_from_db()
    return order


def test_a_product_is_created_priced_and_stocked(coop, coop_client, product_type, category,
                                                 channel, pavilion):
    response = coop_client.post("/work/products/new/", {
        "name": "渑池核桃", "product_type": product_type.pk, "category": category.pk,
        "pavilion": pavilion.pk, "description": "薄皮核桃"})
    product = Product.objects.get(name="渑池核桃")
    assert response["Location"] == f"/work/products/{product.pk}/"
    assert product.organization == coop
    response = coop_client.post(f"/work/products/{product.pk}/", {
        "action": "variant", "v-sku": "hetao-1", "v-name": "特级 1kg", "v-grade": "特级",
        "v-weight": "1", f"v-price_{channel.pk}": "48.00", f"v-cost_{channel.pk}": "30"})
    variant = product.variants.get()
    assert response["Location"] == f"/work/variants/{variant.pk}/"
    assert variant.channel_listings.get().price_amount == 48
    warehouse = coop.warehouses.get()
    coop_client.post(f"/work/variants/{variant.pk}/", {"action": "stock",
                                                       f"wh_{warehouse.pk}": "25"})
    assert Stock.objects.get(product_variant=variant).quantity == 25
    coop_client.post(f"/work/products/{product.pk}/publish/", {"channel": channel.pk,
                                                               "publish": "1"})
    assert product.channel_listings.get().is_published
    assert coop_client.get("/product/" + product.slug + "/").status_code == 200


def test_a_refused_sku_shows_the_catalogues_message_next_to_the_field(coop_client, persimmon,
                                                                     channel, zh_catalogue):
    taken = persimmon.variants.first().sku
    response = coop_client.post(f"/work/products/{persimmon.pk}/", {
        "action": "variant", "v-sku": taken, f"v-price_{channel.pk}": "10"})
    assert response.status_code == 400
    assert 'id="id_v-sku-error"' in html(response)
    assert "SKU" in html(response)


def test_households_keep_only_a_masked_id_number(coop, coop_client):
    coop_client.post("/work/households/", {"head_name": "李四", "village": "南村",
                                           "id_number": "11010519491231002X",
                                           "is_poverty_registered": "on"})
    household = Household.objects.get(head_name="李四")
    assert household.id_number_masked == "110105********002X"
    assert household.is_poverty_registered
    page = html(coop_client.get("/work/households/"))
    assert "110105********002X" in page and "19491231" not in page


def test_a_wrong_id_number_is_refused_with_the_services_message(coop_client, zh_catalogue):
    response = coop_client.post("/work/households/", {"head_name": "李四", "village": "南村",
                                                      "id_number": "110105194912310021"})
    assert response.status_code == 400
    assert 'id="id_id_number-error"' in html(response)
    assert "身份证" in html(response)


def test_a_base_certificate_expiring_soon_is_flagged(coop_client, base):
    certificate = base.certifications.get()
    certificate.valid_until = timezone.localdate() + timedelta(days=10)
    certificate.save()
    assert "证书即将到期" in html(coop_client.get("/work/bases/"))
    assert "即将到期" in html(coop_client.get(f"/work/bases/{base.pk}/"))
    assert "基地证书已过期或即将到期" in html(coop_client.get("/work/"))


def test_a_lot_harvested_after_it_was_received_is_refused(coop_client, persimmon, household):
    response = coop_client.post("/work/lots/new/", {
        "product": persimmon.pk, "household": household.pk,
        "harvested_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "quantity_kg": "50", "unit_price": "10"})
    assert response.status_code == 400
    assert 'id="id_harvested_on-error"' in html(response)
    assert not SourcingLot.objects.exists()


def test_an_inspection_is_recorded_with_its_report(coop_client, sourcing_lot):
    report = SimpleUploadedFile("report.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = coop_client.post(f"/work/lots/{sourcing_lot.pk}/", {
        "lab": "三门峡市农产品质量检测中心", "result": "passed",
        "inspected_on": timezone.localdate().isoformat(), "item": "农药残留",
        "value": "未检出", "report": report})
    assert response.status_code == 302
    inspection = Inspection.objects.get(sourcing_lot=sourcing_lot)
    assert inspection.report and inspection.items[0]["name"] == "农药残留"


def test_grading_beyond_the_mass_balance_is_refused_with_the_services_message(
        coop_client, passed_lot, grades, persimmon):
    response = coop_client.post(f"/work/grading/{persimmon.pk}/", {
        "action": "grade", f"in_{passed_lot.pk}": "50",
        f"out_{grades['特级'].pk}": "45", "loss_kg": "10"})
    assert response.status_code == 400
    assert "物料平衡" in html(response) or "Mass balance" in html(response)
    assert not GradedLot.objects.exists()
    response = coop_client.post(f"/work/grading/{persimmon.pk}/", {
        "action": "grade", f"in_{passed_lot.pk}": "50",
        f"out_{grades['特级'].pk}": "45", "loss_kg": "5"})
    graded = GradedLot.objects.get()
    assert response["Location"] == f"/work/graded/{graded.pk}/"


def test_packing_an_uninspected_lot_shows_the_services_refusal(coop, coop_client, sourcing_lot,
                                                               grades, persimmon, coop_user):
    record = supplychain_services.record_grading(
        coop, inputs=[(sourcing_lot, "10")], outputs=[(grades["特级"], "10")], loss_kg="0",
        user=coop_user)
    graded = record.outputs.get()
    response = coop_client.post(f"/work/graded/{graded.pk}/", {
        "variant": persimmon.variants.first().pk, "warehouse": coop.warehouses.get().pk,
        "quantity": "4", "net_weight_kg": "0.5"})
    assert response.status_code == 400
    assert sourcing_lot.lot_number in html(response)
    assert not PackingRun.objects.exists()


def test_packing_issues_codes_and_the_label_sheet_is_made(coop, coop_client, graded_lot,
                                                          persimmon,
                                                          django_capture_on_commit_callbacks):
    variant = persimmon.variants.order_by("sku").first()
    response = coop_client.post(f"/work/graded/{graded_lot.pk}/", {
        "variant": variant.pk, "warehouse": coop.warehouses.get().pk, "quantity": "3",
        "net_weight_kg": "0.5"})
    run = PackingRun.objects.get()
    assert response["Location"] == f"/work/runs/{run.pk}/"
    assert run.trace_codes.count() == 3
    with django_capture_on_commit_callbacks(execute=True):  # inline without a broker
        coop_client.post(f"/work/runs/{run.pk}/")
    run.refresh_from_db()
    assert run.label_status == "ready"
    progress = html(coop_client.get(f"/work/runs/{run.pk}/progress/"))
    assert f"/work/runs/{run.pk}/labels.pdf" in progress
    pdf = coop_client.get(f"/work/runs/{run.pk}/labels.pdf", follow=True)
    assert pdf["Content-Type"] == "application/pdf"


def test_recall_confirmation_says_what_it_touches(coop_client, packing_run, paid_order,
                                                  sourcing_lot, coop, coop_user):
    line = paid_order.lines.get()
    codes = list(packing_run.trace_codes.order_by("serial").values_list("code", flat=True))
    supplychain_services.fulfill_with_codes(paid_order, coop, [
        {"order_line_id": line.pk, "codes": codes[:1], "quantity": 1}],
        carrier="邮政", tracking_number="EMS1", user=coop_user)
    page = html(coop_client.get(f"/work/recall/sourcing/{sourcing_lot.pk}/"))
    assert "5 个追溯码将标记为已召回" in page
    assert "4 件未售商品将下架出库" in page
    assert "1 个订单已收到该批次商品" in page
    response = coop_client.post(f"/work/recall/sourcing/{sourcing_lot.pk}/", {
        "level": "level_2", "reason": "农残超标", "confirm": "on"})
    assert response.status_code == 302
    recall = Recall.objects.get()
    assert recall.affected_codes == 5
    response = coop_client.post(f"/work/recall/sourcing/{sourcing_lot.pk}/", {
        "level": "level_2", "reason": "again", "confirm": "on"})
    assert response.status_code == 400
    assert "该批次已被召回。" in html(response)  # the recall service's own refusal


def test_scanned_codes_are_checked_at_once_and_the_order_ships(coop_client, paid_order,
                                                               packing_run, coop, other_coop,
                                                               zh_catalogue):
    url = f"/work/orders/{paid_order.number}/"
    line = paid_order.lines.get()
    codes = list(packing_run.trace_codes.order_by("serial").values_list("code", flat=True))
    page = html(coop_client.get("/work/orders/"))
    assert str(paid_order.number) in page
    assert "0</span> / 3" in html(coop_client.get(url))
    check = coop_client.post(url + "check/", {"line": line.pk,
                                              "code": f"https://example.cn/t/{codes[0]}"}).json()
    assert check == {"ok": True, "code": codes[0], "message": "", "count": 1, "quantity": 3}
    again = coop_client.post(url + "check/", {"line": line.pk, "code": codes[0],
                                              "codes": codes[0]}).json()
    assert not again["ok"]
    unknown = coop_client.post(url + "check/", {"line": line.pk,
                                                "code": "AAAAAAAAAAAAAAAA"}).json()
    assert not unknown["ok"] and "AAAAAAAAAAAAAAAA" in unknown["message"]
    too_many = coop_client.post(url + "check/", {"line": line.pk, "code": codes[3],
                                                 "codes": " ".join(codes[:3])}).json()
    assert not too_many["ok"]
    assert not Order.objects.get(pk=paid_order.pk).fulfillments.exists()  # nothing kept
    response = coop_client.post(url, {"carrier": "中国邮政", "tracking_number": "EMS123",
                                      f"codes_{line.pk}": "\n".join(codes[:3])})
    assert response["Location"] == "/work/orders/"
    line.refresh_from_db()
    assert line.quantity_fulfilled == 3 and line.shipped_codes.count() == 3
    shipped = coop_client.post(url + "check/", {"line": line.pk, "code": codes[0]})
    assert shipped.status_code == 200 and not shipped.json()["ok"]


def test_a_recalled_code_is_refused_when_scanned(coop, coop_client, paid_order, packing_run,
                                                 sourcing_lot, coop_user):
    codes = list(packing_run.trace_codes.order_by("serial").values_list("code", flat=True))
    supplychain_services.recall_lot(coop, level="level_3", reason="标签错误",
                                    sourcing_lot=sourcing_lot, user=coop_user)
    line = paid_order.lines.get()
    check = coop_client.post(f"/work/orders/{paid_order.number}/check/",
                             {"line": line.pk, "code": codes[0]}).json()
    assert not check["ok"] and codes[0] in check["message"]


def test_another_cooperative_cannot_ship_the_order(other_client, paid_order):
    assert other_client.get(f"/work/orders/{paid_order.number}/").status_code == 404
    assert str(paid_order.number) not in html(other_client.get("/work/orders/"))


def test_sales_per_product_and_week_with_a_csv(coop_client, paid_order, persimmon):
    page = html(coop_client.get("/work/sales/"))
    assert persimmon.name in page
    csv = coop_client.get("/work/sales.csv")
    body = csv.content.decode("utf-8-sig")
    assert csv["Content-Disposition"].startswith("attachment;")
    assert persimmon.name in body and ",3," in body
