"""A sourcing lot's chain records on the workbench: farm inputs (a veterinary drug's
withdrawal period shown, and refusing slaughter and packing inside it), slaughter and
processing steps, and a cold-chain logger's CSV with the spans out of range flagged; only
the lot's own cooperative sees or adds them, and the page's query count does not grow with
the records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from supplychain import services as supplychain_services
from supplychain.models import ColdChainLog, FarmInput, PackingRun, ProcessingStep
from tests.workbench.browsing import shot, sign_in

pytestmark = pytest.mark.django_db

# A freezer truck's logger: two readings above -15 °C between 09:00 and 09:30.
LOGGER_CSV = """时间,温度(℃),湿度(%RH)
2026-01-10 08:00,-19.5,60
2026-01-10 08:30,-18.6,61
2026-01-10 09:00,-14.2,61
2026-01-10 09:30,-12.0,62
2026-01-10 10:00,-18.4,60
2026-01-10 10:30,-17.1,60
"""


def html(response) -> str:
    return response.content.decode()


def logger_file(text=LOGGER_CSV, name="truck-7.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def chain_url(lot) -> str:
    return f"/work/lots/{lot.pk}/chain/"


def drug(lot, days_ago=5, withdrawal=35, user=None):
    return supplychain_services.record_farm_input(
        lot, kind="veterinary_drug", name="伊维菌素注射液", withdrawal_days=withdrawal,
        applied_on=timezone.localdate() - timedelta(days=days_ago), batch_number="YW2025-118",
        user=user)


def test_farm_inputs_and_steps_are_recorded_and_listed(coop_client, sourcing_lot, coop_user,
                                                       zh_catalogue):
    url = chain_url(sourcing_lot)
    page = html(coop_client.get(url))
    assert "尚未登记投入品" in page and "尚未登记屠宰加工" in page
    applied = timezone.localdate() - timedelta(days=60)
    response = coop_client.post(url, {
        "action": "input", "i-kind": "feed", "i-name": "燕麦青干草",
        "i-applied_on": applied.isoformat(), "i-withdrawal_days": "0", "i-quantity": "2 吨"})
    assert response.status_code == 302 and response["Location"] == url + "#inputs"
    record = FarmInput.objects.get(sourcing_lot=sourcing_lot)
    assert (record.kind, record.name, record.recorded_by) == ("feed", "燕麦青干草", coop_user)
    performed = timezone.localtime() - timedelta(hours=3)
    response = coop_client.post(url, {
        "action": "step", "s-kind": "cutting",
        "s-performed_at": performed.strftime("%Y-%m-%dT%H:%M"), "s-location": "泽库县屠宰场",
        "s-certificate": "A-6300-2026-118"})
    assert response.status_code == 302 and response["Location"] == url + "#steps"
    step = ProcessingStep.objects.get(sourcing_lot=sourcing_lot)
    assert step.location == "泽库县屠宰场"
    page = html(coop_client.get(url))
    assert "燕麦青干草" in page and "2 吨" in page and "饲料" in page
    assert "分割" in page and "A-6300-2026-118" in page
    lot_page = html(coop_client.get(f"/work/lots/{sourcing_lot.pk}/"))
    assert "1 条投入品 · 1 条屠宰加工 · 0 份冷链记录" in lot_page


def test_a_future_day_is_refused_with_the_services_message(coop_client, sourcing_lot,
                                                           zh_catalogue):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = coop_client.post(chain_url(sourcing_lot), {
        "action": "input", "i-kind": "feed", "i-name": "青贮", "i-withdrawal_days": "0",
        "i-applied_on": tomorrow.isoformat()})
    assert response.status_code == 400
    page = html(response)
    assert 'id="id_i-applied_on-error"' in page
    assert "请填写实际使用日期，不能是将来的日期。" in page
    assert not FarmInput.objects.exists()


def test_a_withdrawal_period_is_shown_and_refuses_slaughter_and_packing(
        coop, coop_client, graded_lot, passed_lot, coop_user, zh_catalogue):
    drug(passed_lot, user=coop_user)
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    page = html(coop_client.get(chain_url(passed_lot)))
    assert f"伊维菌素注射液的休药期至 {until}" in page
    assert f"休药期 35 天，至 {until}" in page
    assert f"伊维菌素注射液的休药期至 {until}" in html(
        coop_client.get(f"/work/lots/{passed_lot.pk}/"))
    # Slaughter inside the period: the service's refusal on the form.
    response = coop_client.post(chain_url(passed_lot), {
        "action": "step", "s-kind": "slaughter",
        "s-performed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 400
    assert f"休药期至 {until}，此前不能包装上市" in html(response)
    assert not ProcessingStep.objects.exists()
    # Packing inside the period, on the graded lot's page.
    variant = graded_lot.grade.product.variants.order_by("sku").first()
    response = coop_client.post(f"/work/graded/{graded_lot.pk}/", {
        "variant": variant.pk, "warehouse": coop.warehouses.get().pk, "quantity": "2",
        "net_weight_kg": "0.5"})
    assert response.status_code == 400
    assert f"批次 {passed_lot.lot_number} 于" in html(response)
    assert f"休药期至 {until}，此前不能包装上市" in html(response)
    assert not PackingRun.objects.exists()


def test_a_loggers_csv_is_stored_with_its_out_of_range_spans_flagged(coop_client, sourcing_lot,
                                                                     coop_user, zh_catalogue):
    url = chain_url(sourcing_lot)
    assert "尚未上传温度记录" in html(coop_client.get(url))
    response = coop_client.post(url, {
        "action": "log", "c-file": logger_file(), "c-min_celsius": "-30",
        "c-max_celsius": "-15", "c-device": "冷藏车 青B-7"})
    assert response.status_code == 302 and response["Location"] == url + "#logs"
    log = ColdChainLog.objects.get(sourcing_lot=sourcing_lot)
    assert (log.reading_count, log.recorded_by, len(log.excursions)) == (6, coop_user, 1)
    page = html(coop_client.get(url))
    assert "已保存 6 条读数；1 段超出范围。" in page
    assert "冷藏车 青B-7" in page
    assert "1 段超出范围" in page
    # The span, in local time, with its readings and temperatures.
    assert "01-10 09:00 至 01-10 09:30：2 条读数，-14.20 至 -12.00 °C" in page


def test_a_malformed_csv_is_refused_with_its_line(coop_client, sourcing_lot, zh_catalogue):
    broken = LOGGER_CSV.replace("2026-01-10 09:30,-12.0", "2026-01-10 09:30,热")
    response = coop_client.post(chain_url(sourcing_lot), {
        "action": "log", "c-file": logger_file(broken), "c-min_celsius": "-30",
        "c-max_celsius": "-15"})
    assert response.status_code == 400
    page = html(response)
    assert 'id="id_c-file-error"' in page and "第 5 行" in page
    assert not ColdChainLog.objects.exists()


def test_another_cooperative_cannot_see_or_add_chain_records(other_client, sourcing_lot):
    url = chain_url(sourcing_lot)
    assert other_client.get(url).status_code == 404
    response = other_client.post(url, {
        "action": "input", "i-kind": "feed", "i-name": "青贮", "i-withdrawal_days": "0",
        "i-applied_on": timezone.localdate().isoformat()})
    assert response.status_code == 404
    response = other_client.post(url, {"action": "log", "c-file": logger_file(),
                                       "c-min_celsius": "-30", "c-max_celsius": "-15"})
    assert response.status_code == 404
    assert not FarmInput.objects.exists() and not ColdChainLog.objects.exists()


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_chain_and_lot_pages_take_the_same_number_of_queries_for_twice_the_records(
        coop, coop_client, sourcing_lot, coop_user):
    def grow(n):
        for _ in range(n):
            drug(sourcing_lot, days_ago=100, withdrawal=7, user=coop_user)
            supplychain_services.record_processing_step(
                sourcing_lot, kind="chilling", performed_at=timezone.now() - timedelta(days=1),
                user=coop_user)
            supplychain_services.upload_cold_chain_log(
                coop, LOGGER_CSV, min_celsius=-30, max_celsius=-15, sourcing_lot=sourcing_lot,
                user=coop_user)

    urls = [chain_url(sourcing_lot), f"/work/lots/{sourcing_lot.pk}/"]
    grow(3)
    small = {url: queries(coop_client, url) for url in urls}
    grow(3)
    assert {url: queries(coop_client, url) for url in urls} == small


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_cooperative_records_a_drug_uploads_a_log_and_is_refused_packing(
        live_server, phone, coop, coop_user, graded_lot, passed_lot, tmp_path):
    page, url = phone, live_server.url
    sign_in(page, url, coop_user.email, f"/work/lots/{passed_lot.pk}/")
    shot(page, "coop-chain-01-lot")
    page.click("text=投入品、加工与冷链")
    page.wait_for_url(f"{url}{chain_url(passed_lot)}")
    shot(page, "coop-chain-02-empty")

    page.click("summary:has-text('登记投入品')")
    page.select_option("#id_i-kind", "veterinary_drug")
    page.fill("#id_i-name", "伊维菌素注射液")
    page.fill("#id_i-applied_on", (timezone.localdate() - timedelta(days=5)).isoformat())
    page.fill("#id_i-withdrawal_days", "35")
    page.fill("#id_i-batch_number", "YW2025-118")
    shot(page, "coop-chain-03-input-form")
    page.click("button:has-text('保存投入品')")
    page.wait_for_url(f"{url}{chain_url(passed_lot)}#inputs")
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert f"休药期至 {until}" in page.inner_text("main")

    page.click("summary:has-text('上传温度记录仪 CSV')")
    csv_file = tmp_path / "truck-7.csv"
    csv_file.write_text(LOGGER_CSV, encoding="utf-8")
    page.set_input_files("#id_c-file", str(csv_file))
    page.fill("#id_c-min_celsius", "-30")
    page.fill("#id_c-max_celsius", "-15")
    page.fill("#id_c-device", "冷藏车 青B-7")
    page.click("button:has-text('上传记录')")
    page.wait_for_url(f"{url}{chain_url(passed_lot)}#logs")
    assert "1 段超出范围" in page.inner_text("main")
    assert page.locator(".spans li").count() == 1
    page.locator("#logs").scroll_into_view_if_needed()
    shot(page, "coop-chain-04-log-flagged")
    page.goto(f"{url}{chain_url(passed_lot)}")
    shot(page, "coop-chain-05-records")

    # Packing the graded lot inside the withdrawal period is refused on its page.
    page.goto(f"{url}/work/graded/{graded_lot.pk}/")
    page.fill("#id_quantity", "2")
    page.fill("#id_net_weight_kg", "0.5")
    page.click("main form button")
    assert f"休药期至 {until}" in page.inner_text(".form-error")
    shot(page, "coop-chain-06-packing-refused")
    assert not PackingRun.objects.exists()
