"""The county's pages through the real views: the screen and its JSON, the printable
report and its XLSX, prepared reports, the sales detail lists, and who is refused."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from livestream import services as live_services
from shop import services as shop_services
from county_statistics import services, tasks
from county_statistics.models import Report
from tests.factories import broadcast_checkout, make_member

from .conftest import place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold(persimmon, variant, shipping, pay, run_on_commit):
    """Two paid orders of 渑池柿饼 today: 2 × 39.90 and 1 × 39.90."""
    first = run_on_commit(lambda: pay(place_order(variant, shipping, 2)))
    second = run_on_commit(lambda: pay(place_order(variant, shipping, 1)))
    return [first, second]


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_official_sees_their_county_on_the_screen(sold, official, pavilion, zh_catalogue):
    client = client_for(official)
    page = client.get("/statistics/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "渑池县" in html and "大数据" in html
    assert "/static/statistics/vendor/echarts.min.js" in html
    assert "cdn" not in html.lower()
    data = client.get("/statistics/data/").json()
    assert data["county"] == "mianchi"
    assert data["headline"]["gmv"]["value"] == pytest.approx(119.70)
    assert data["headline"]["orders"]["value"] == 2
    assert data["products"] == [{"name": "渑池柿饼", "value": 119.7}]
    assert {"name": "河南", "value": 2} in data["map"]["buyers"]


def test_official_is_refused_another_county_and_the_whole_platform(
        sold, official, other_pavilion):
    client = client_for(official)
    assert client.get("/statistics/?county=zeku").status_code == 403
    assert client.get("/statistics/data/?county=zeku").status_code == 403
    assert client.get("/statistics/report/?county=zeku").status_code == 403
    assert client.get("/statistics/report.xlsx?county=zeku").status_code == 403
    # Without a county an official gets their own, never the whole platform.
    assert client.get("/statistics/data/").json()["county"] == "mianchi"


def test_anonymous_visitors_and_members_without_the_role_are_refused(sold, coop_user):
    anonymous = Client()
    page = anonymous.get("/statistics/")
    assert page.status_code == 302 and "next=/statistics/" in page["Location"]
    assert anonymous.get("/statistics/data/").status_code == 401
    assert anonymous.get("/statistics/report.xlsx").status_code == 302
    member = client_for(coop_user)
    for url in ("/statistics/", "/statistics/data/", "/statistics/report/",
                "/statistics/report.xlsx"):
        assert member.get(url).status_code == 403, url


def test_operator_sees_all_counties_and_switches(sold, operator_user, other_pavilion):
    client = client_for(operator_user)
    whole = client.get("/statistics/data/").json()
    assert whole["county"] == "" and whole["headline"]["orders"]["value"] == 2
    page = client.get("/statistics/").content.decode()
    assert 'value="zeku"' in page and 'value="mianchi"' in page
    zeku = client.get("/statistics/data/?county=zeku").json()
    assert zeku["county"] == "zeku" and zeku["headline"]["orders"]["value"] == 0
    assert client.get("/statistics/data/?county=nowhere").status_code == 403
    assert client.get("/statistics/data/?period=decade").status_code == 400


def test_periods_compare_with_the_previous_one(sold, operator_user):
    client = client_for(operator_user)
    for period in ("day", "week", "month", "year"):
        data = client.get(f"/statistics/data/?period={period}").json()
        assert data["headline"]["gmv"]["value"] == pytest.approx(119.70), period
        assert data["headline"]["gmv"]["previous"] == 0
        assert data["headline"]["gmv"]["change"] is None
    later = (timezone.localdate() + timedelta(days=1)).isoformat()
    tomorrow = client.get(f"/statistics/data/?period=day&date={later}").json()
    assert tomorrow["headline"]["gmv"] == {"value": 0.0, "previous": 119.7, "change": -1.0}


def test_report_xlsx_has_a_sheet_per_group_with_chinese_headers_and_totals(
        sold, official):
    response = client_for(official).get("/statistics/report.xlsx?period=month")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    for name in ("概要", "电商交易额", "市场主体", "企业品牌", "特色产品", "物流快递", "直播带货",
                 "带贫益农"):
        assert name in book.sheetnames, name
    sales = book["电商交易额"]
    assert [c.value for c in sales[1]] == ["指标", "本期", "上期", "环比"]
    assert sales["A2"].value == "网络零售额（元）" and Decimal(str(sales["B2"].value)) == Decimal(
        "119.70")
    by_product = book["分产品销售"]
    last = [c.value for c in by_product[by_product.max_row]]
    assert last[0] == "合计" and last[1] == 3


def test_printable_report_lists_the_figures(sold, official, zh_catalogue):
    page = client_for(official).get("/statistics/report/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "网络零售额" in html and "119.70" in html and "window.print()" in html


def test_sales_detail_lists_per_enterprise(sold, coop, coop_user, other_coop_user, official,
                                           other_official):
    url = f"/statistics/sales/organization/{coop.slug}/"
    for user in (coop_user, official):
        page = client_for(user).get(url)
        assert page.status_code == 200
        assert "渑池柿饼" in page.content.decode()
    xlsx = client_for(coop_user).get(url + "?format=xlsx")
    book = load_workbook(BytesIO(xlsx.content))
    sheet = book.active
    total = [c.value for c in sheet[sheet.max_row]]
    assert total[0] == "合计" and total[5] == 3 and Decimal(str(total[7])) == Decimal("119.70")
    for user in (other_coop_user, other_official):
        assert client_for(user).get(url).status_code == 403


def test_sales_detail_per_broadcast(broadcast, item, variant, shipping, pay, run_on_commit,
                                    official, other_official, operator_user):
    live_services.start_broadcast(broadcast)
    run_on_commit(lambda: pay(shop_services.complete_checkout(
        broadcast_checkout(broadcast, variant, shipping, quantity=2).token)))
    url = f"/statistics/sales/broadcast/{broadcast.pk}/"
    for user in (official, operator_user):
        page = client_for(user).get(url)
        assert page.status_code == 200 and "59.80" in page.content.decode()
    assert client_for(other_official).get(url).status_code == 403


def test_monthly_reports_are_prepared_on_the_first_and_downloads_are_checked(
        sold, official, other_official, operator_user, other_pavilion, monkeypatch):
    first_of_next = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: first_of_next)
    assert tasks.prepare_monthly_reports.delay().get() == 3  # two counties and the whole
    monkeypatch.undo()
    own = Report.objects.get(pavilion__slug="mianchi")
    other = Report.objects.get(pavilion__slug="zeku")
    whole = Report.objects.get(pavilion__isnull=True)
    response = client_for(official).get(f"/statistics/reports/{own.pk}/")
    assert response.status_code == 200
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert "电商交易额" in book.sheetnames
    for report in (other, whole):
        assert client_for(official).get(f"/statistics/reports/{report.pk}/").status_code == 403
    assert client_for(operator_user).get(f"/statistics/reports/{whole.pk}/").status_code == 200
    # A second run replaces the reports instead of adding more.
    services.prepare_reports(first_of_next)
    assert Report.objects.count() == 3


def test_a_cooperative_sees_only_its_own_figures(sold, coop, other_coop):
    own = services.organization_sales(coop, "month")
    assert own["sales"]["value"] == Decimal("119.70")
    assert own["orders"]["value"] == 2 and own["units"]["value"] == 3
    assert services.organization_sales(other_coop, "month")["sales"]["value"] == Decimal("0.00")


def test_the_county_official_role_is_one_county(official, pavilion, other_pavilion):
    services.appoint_official(official, other_pavilion)
    assert services.official_pavilion(type(official).objects.get(pk=official.pk)) == \
        other_pavilion
    plain = make_member(official.organizations.first(), "clerk@example.com")
    assert services.visible_pavilions(plain) == []


def test_the_screen_is_cached_until_the_rollups_change(sold, operator_user, variant, shipping,
                                                       pay, run_on_commit):
    client = client_for(operator_user)
    first = client.get("/statistics/data/").json()
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/statistics/data/").json()
    assert again == first and len(queries) <= 5  # session, user, role, generation
    run_on_commit(lambda: pay(place_order(variant, shipping, 1)))
    assert client.get("/statistics/data/").json()["headline"]["orders"]["value"] == 3
