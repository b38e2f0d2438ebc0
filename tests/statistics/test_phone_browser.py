"""A county official on a phone (390x844, Chinese, Playwright driving Debian's Chromium):
the big-data screen fits the phone's width with the same panels one under another (a
wall display keeps its 1920 layout), the screen and the report link to each other, and
the report's period controls and Excel download are thumb-sized. Screenshots under
``artifacts/screenshots/statistics/`` (``phone-*``)."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.browser import PHONE
from tests.browser import SHOTS as ALL_SHOTS

SHOTS = ALL_SHOTS / "statistics"
THUMB = 44

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in_page(browser, live_server, user, **context):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    browser_context = browser.new_context(locale="zh-CN", **context)
    browser_context.add_cookies([{"name": cookie.key, "value": cookie.value,
                                  "url": live_server.url}])
    page = browser_context.new_page()
    page.set_default_timeout(20_000)
    return page


def _height(locator) -> float:
    return locator.bounding_box()["height"]


def test_an_official_reads_the_screen_and_the_report_on_a_phone(
        chromium, live_server, official, pavilion):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = _signed_in_page(chromium, live_server, official, viewport=PHONE,
                           device_scale_factor=2, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/statistics/?period=year")
    page.wait_for_function("document.body.dataset.loaded || document.body.dataset.error")
    assert not page.evaluate("document.body.dataset.error")
    assert "渑池县" in page.locator("h1").inner_text()

    # The page is the phone's width: nothing wider, nothing zoomed out.
    assert page.evaluate("window.innerWidth") == PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Every panel is on the page, one under another, each within the screen's width.
    panels = page.locator(".panel").all()
    assert len(panels) == 11
    boxes = [p.bounding_box() for p in panels]
    for box in boxes:
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["height"] >= 200
    assert len({round(b["x"]) for b in boxes}) == 1  # a single column
    # The charts were drawn at the panels' phone width.
    canvas = page.locator("#chart-trend canvas").first.bounding_box()
    assert canvas["width"] <= PHONE["width"]
    assert _height(page.locator("select[name=period]")) >= THUMB
    page.screenshot(path=str(SHOTS / "phone-01-screen.png"))
    page.locator("#chart-map").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "phone-02-screen-map.png"))

    # From the screen to the report of the same period.
    link = page.get_by_role("link", name="县域电子商务统计报表")
    assert _height(link) >= THUMB
    link.click()
    page.wait_for_url("**/statistics/report/?period=year")
    assert "县域电子商务统计报表" in page.locator("h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    for control in (page.locator(".tools select[name=period]"),
                    page.locator(".tools input[name=date]"),
                    page.get_by_role("button", name="查询"),
                    page.get_by_role("link", name="下载 Excel 报表"),
                    page.get_by_role("button", name="打印")):
        assert _height(control) >= THUMB
    page.screenshot(path=str(SHOTS / "phone-03-report.png"))
    # The live-selling table, seven columns wide, scrolls by itself within the page.
    live = page.locator(".wide", has_text="开播时间")
    assert live.bounding_box()["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    live.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "phone-04-report-live.png"))
    download = page.get_by_role("link", name="下载 Excel 报表").get_attribute("href")
    assert download == "/statistics/report.xlsx?period=year"

    # And back to the screen.
    page.get_by_role("link", name="大数据展示平台").click()
    page.wait_for_url("**/statistics/?period=year")
    page.wait_for_function("document.body.dataset.loaded")
    page.context.close()


def test_a_wall_display_keeps_the_1920_layout(chromium, live_server, official, pavilion):
    page = _signed_in_page(chromium, live_server, official,
                           viewport={"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/statistics/")
    page.wait_for_function("document.body.dataset.loaded")
    # Three columns side by side, filling one 1920x1080 screen without scrolling.
    columns = [c.bounding_box() for c in page.locator(".grid > .col").all()]
    assert len({round(c["y"]) for c in columns}) == 1
    assert columns[0]["width"] == 470 and columns[2]["x"] + columns[2]["width"] > 1850
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080
    assert page.get_by_role("link", name="县域电子商务统计报表").is_visible()
    page.context.close()
