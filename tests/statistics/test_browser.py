"""The county screen in a real browser (Playwright driving Debian's Chromium) against a
live server with the demo data and its statistics history: a county official sees their
county, the operator the whole platform and switches county; every chart draws something.
Screenshots at 1920x1080 go to ``artifacts/screenshots/statistics/``."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client

from county_statistics.demo import load_demo_statistics
from shop.models import User
from tests.browser import SHOTS as ALL_SHOTS

SHOTS = ALL_SHOTS / "statistics"
SCREEN = {"width": 1920, "height": 1080}
CHARTS = ["chart-market", "chart-categories", "chart-brand", "chart-grades", "chart-map",
          "chart-trend", "chart-products", "chart-sources", "chart-carriers", "chart-weeks",
          "chart-poverty"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo_data", verbosity=0)
    return load_demo_statistics()


def open_screen(browser, live_server, user, path="/statistics/"):
    context = browser.new_context(viewport=SCREEN, locale="zh-CN")
    context.add_cookies([_session_cookie(live_server, user)])
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: errors.append(f"outside request {request.url}")
            if not request.url.startswith(live_server.url) else None)
    page.goto(live_server.url + path)
    page.wait_for_function("document.body.dataset.loaded || document.body.dataset.error")
    assert not page.evaluate("document.body.dataset.error"), page.evaluate(
        "document.body.dataset.error")
    return page, errors


def _session_cookie(live_server, user) -> dict:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "url": live_server.url}


def assert_charts_drawn(page):
    for chart in CHARTS:
        element = page.locator(f"#{chart}")
        assert element.get_attribute("data-rendered") == "1", chart
        assert int(element.get_attribute("data-points") or 0) > 0, chart
        assert element.locator("canvas").count() >= 1, chart
    for kpi in page.locator(".kpi b").all_inner_texts():
        assert kpi not in ("", "-", "0"), kpi


def test_official_and_operator_watch_the_screen(chromium, live_server, demo):
    assert demo["orders"] > 1000
    SHOTS.mkdir(parents=True, exist_ok=True)
    official = User.objects.get(email="official-mianchi@pavilion.demo")
    page, errors = open_screen(chromium, live_server, official)
    assert "渑池县" in page.locator("h1").inner_text()
    assert page.locator("select[name=county]").count() == 0  # officials cannot switch
    assert_charts_drawn(page)
    page.screenshot(path=str(SHOTS / "01-official-mianchi-month.png"))
    page.goto(live_server.url + "/statistics/?period=year")
    page.wait_for_function("document.body.dataset.loaded")
    assert_charts_drawn(page)
    page.screenshot(path=str(SHOTS / "02-official-mianchi-year.png"))
    assert errors == []

    operator = User.objects.get(email="operator@pavilion.demo")
    page, errors = open_screen(chromium, live_server, operator, "/statistics/?period=year")
    assert "县域电子商务大数据展示平台" == page.locator("h1").inner_text()
    assert_charts_drawn(page)
    page.screenshot(path=str(SHOTS / "03-operator-all-year.png"))
    page.select_option("select[name=county]", "zeku")
    page.wait_for_url("**county=zeku**")
    page.wait_for_function("document.body.dataset.loaded")
    assert "泽库县" in page.locator("h1").inner_text()
    assert_charts_drawn(page)
    page.screenshot(path=str(SHOTS / "04-operator-zeku-year.png"))
    assert errors == []
