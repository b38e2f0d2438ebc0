"""A county official's first day, on a phone: appointed by the operating team, signs in
from the shop's sign-in page and lands on the county's report (not the shop, not a
refusal), finds the help beside the report's own tools, reads in plain Chinese what
online retail sales count, how to export and where the big-data screen is, and goes back
to the report from it. Opening the workbench by mistake sends them on to their figures.

Screenshots: ``artifacts/screenshots/walkthroughs/first-official-*``."""

from __future__ import annotations

import pytest

from county_statistics import services as statistics_services
from shop.models import User
from tests.factories import PASSWORD
from tests.walkthroughs.phone_checks import no_dead_end, shot, sign_in_from_nothing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_official_lands_on_the_report_and_finds_the_help(live_server, phone, pavilion):
    official = User.objects.create_user("official@example.com", PASSWORD)
    statistics_services.appoint_official(official, pavilion, title="电子商务进农村办公室")
    page, url = phone, live_server.url
    assert sign_in_from_nothing(page, url, official.email) == "/statistics/report/"
    assert "渑池县" in page.inner_text("h1")
    shot(page, "first-official-01-report")

    page.click(".tools a:has-text('帮助')")
    page.wait_for_url(f"{url}/work/help/official/")
    text = page.inner_text("main")
    for words in ("网络零售额", "已取消和已退款的订单不计入", "Excel", "大数据展示平台"):
        assert words in text
    shot(page, "first-official-02-help")
    no_dead_end(page, "/statistics/report/")
    page.click("main a.button:has-text('统计报表与导出')")
    page.wait_for_url(f"{url}/statistics/report/")

    # The workbench is not theirs: the refusal sends them on to the figures.
    response = page.goto(f"{url}/work/")
    assert response.status == 403
    assert page.locator("main a[href='/statistics/report/']").count()
    shot(page, "first-official-03-workbench-refused")
