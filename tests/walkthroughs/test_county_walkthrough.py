"""A county official (县级管理员), new to the platform, reads and files the county's figures
on a phone (Playwright driving Debian's Chromium against a live server): signs in and
lands on the county's report, reads this month's online retail sales, opens an
enterprise's sales detail list and downloads it, switches to the year, downloads the
report as a spreadsheet to file upward, and opens the big-data screen. Another county's
figures are refused in Chinese with the reason, and a period the page cannot read says so
with the way back to this month.

Every page is screenshotted (``artifacts/screenshots/walkthroughs/county-*``) and checked
to fit a 390 px phone with 44 px targets and no English left."""

from __future__ import annotations

from urllib.request import urlopen

import pytest

from catalog.models import Pavilion
from county_statistics import services as statistics_services
from shop import services as shop_services
from shop.models import User
from tests.factories import PASSWORD, ready_checkout
from tests.walkthroughs.phone_checks import SHOTS, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_official_reads_exports_and_is_kept_to_the_own_county(
        live_server, phone, pavilion, channel, variant, shipping, coop, alipay_gateway):
    official = User.objects.create_user("official@example.com", PASSWORD)
    statistics_services.appoint_official(official, pavilion, title="电子商务进农村办公室")
    Pavilion.objects.create(name="泽库特色馆", slug="zeku", county="泽库县", province="青海省",
                            regional_brand_name="泽库牦牛")
    # A shopper's order paid at the (local) Alipay gateway, as the figures count it.
    order = shop_services.complete_checkout(
        ready_checkout(channel, variant, shipping, quantity=2).token)
    _payment, cashier_url = shop_services.start_payment(order)
    assert urlopen(cashier_url).status == 200
    notice = alipay_gateway.pay(order.payments.get(status="pending").out_trade_no)
    assert shop_services.handle_alipay_notice(notice) == "accepted"
    page, url = phone, live_server.url

    # Signing in from the shop's sign-in page opens the county's report.
    page.goto(f"{url}/account/sign-in/")
    page.fill("#id_email", official.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow button")
    page.wait_for_url(f"{url}/statistics/report/")
    assert "渑池县" in page.inner_text("h1")
    body = page.inner_text("body")
    assert "网络零售额" in body or "销售额" in body
    assert str(order.subtotal_amount) in body
    shot(page, "county-01-report")

    # An enterprise's sales detail list, on the phone and as a spreadsheet.
    page.click(f"ul.links a:has-text('{coop.name}')")
    assert str(order.number) in page.inner_text("table")
    shot(page, "county-02-enterprise-detail")
    with page.expect_download() as download:
        page.click(".tools a:has-text('Excel')")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.click(".tools a:has-text('返回报表')")
    page.wait_for_url(f"{url}/statistics/report/?period=month*")

    # The year, then the report downloaded to file upward.
    page.select_option(".tools select[name=period]", "year")
    page.click(".tools button[type=submit]")
    page.wait_for_url(f"{url}/statistics/report/?period=year*")
    assert str(order.subtotal_amount) in page.inner_text("body")
    shot(page, "county-03-year")
    with page.expect_download() as download:
        page.click(".tools a:has-text('Excel'), .tools a:has-text('XLSX')")
    assert download.value.suggested_filename.endswith(".xlsx")

    # The big-data screen of the same period.
    page.click(".tools a:has-text('大数据')")
    page.wait_for_function("document.body.dataset.loaded || document.body.dataset.error")
    assert not page.evaluate("document.body.dataset.error")
    # On the phone the headline figures come first, online retail sales at the top.
    sales = page.locator(".kpi[data-kpi=gmv]")
    assert sales.bounding_box()["y"] < page.locator("#chart-market").bounding_box()["y"]
    assert sales.bounding_box()["y"] < 844
    assert f"{order.subtotal_amount:.0f}" in sales.inner_text()  # rounded to the yuan
    page.screenshot(path=str(SHOTS / "county-04-screen.png"))

    # Another county's figures: refused, in Chinese, with the reason.
    response = page.goto(f"{url}/statistics/report/?county=zeku")
    assert response.status == 403
    assert "本县" in page.inner_text("body")
    shot(page, "county-05-other-county-refused")
    page.click("a:has-text('查看本月报表')")
    page.wait_for_url(f"{url}/statistics/report/")
    # A date the page cannot read: said so, with the way back.
    response = page.goto(f"{url}/statistics/report/?period=month&date=2026-13-01")
    assert response.status == 400
    assert "YYYY-MM-DD" in page.inner_text("body")
    shot(page, "county-06-bad-date")
    page.click(".tools a")
    page.wait_for_url(f"{url}/statistics/report/")
