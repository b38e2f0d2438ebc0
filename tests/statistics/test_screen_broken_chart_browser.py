"""The county screen on a phone (390x844, Playwright driving Debian's Chromium) draws each
panel on its own: when one chart's figures arrive broken (a series that is not a list, an
item that makes the drawing throw) that panel says 数据暂不可用 and every other chart still
draws; the next fetch with good figures draws it again. When nothing readable comes at
all, every panel says so instead of staying blank. The figures are the real JSON of
/statistics/data/, broken in flight by route interception. Screenshots under
``artifacts/screenshots/statistics/`` (``broken-*``)."""

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.browser import PHONE
from tests.browser import SHOTS as ALL_SHOTS

SHOTS = ALL_SHOTS / "statistics"
CHARTS = ["chart-market", "chart-categories", "chart-brand", "chart-grades", "chart-map",
          "chart-trend", "chart-products", "chart-sources", "chart-carriers", "chart-weeks",
          "chart-poverty"]
NOTICE = "数据暂不可用"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(browser, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def _drawn(page, chart):
    element = page.locator(f"#{chart}")
    return (element.get_attribute("data-rendered") == "1"
            and element.get_attribute("data-unavailable") is None
            and element.locator("canvas").count() >= 1
            and NOTICE not in element.inner_text())


def _unavailable(page, chart):
    element = page.locator(f"#{chart}")
    return (element.get_attribute("data-unavailable") == "1"
            and element.get_attribute("data-rendered") is None
            and element.locator("canvas").count() == 0
            and element.get_by_role("status").inner_text() == NOTICE)


def test_one_broken_chart_leaves_the_others_drawn(chromium, live_server, official, pavilion):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page, errors = _phone(chromium, live_server, official)
    breakage = {}
    fetched = []

    def broken_figures(route):
        response = route.fetch()
        figures = response.json()
        for path, value in breakage.items():
            *parents, leaf = path.split(".")
            target = figures
            for key in parents:
                target = target[key]
            target[leaf] = value
        fetched.append(dict(breakage))
        route.fulfill(response=response, body=json.dumps(figures))

    page.route("**/statistics/data/**", broken_figures)
    # The screen fetches again on its own timer; the test moves the page's clock instead
    # of waiting for it.
    page.clock.install()

    # Sales by category arrives as something that is not a list.
    breakage.update({"categories": {"broken": True}})
    page.goto(f"{live_server.url}/statistics/?period=year")
    page.wait_for_function("document.body.dataset.loaded || document.body.dataset.error")
    assert not page.evaluate("document.body.dataset.error")
    assert _unavailable(page, "chart-categories")
    for chart in CHARTS:
        if chart != "chart-categories":
            assert _drawn(page, chart), chart
    # The figures beside the charts are still filled in.
    assert page.locator("#brand-quota").inner_text() == "0 / 0"
    assert all(kpi not in ("", "-") for kpi in page.locator(".kpi b").all_inner_texts())
    page.locator("#chart-categories").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "broken-01-categories.png"))

    # The next fetch: categories are good again, and the grades' items make the drawing
    # itself throw (an item that is null).
    breakage.clear()
    breakage.update({"trace.grades": [None, {"name": "特级", "value": 3}]})
    loaded = page.evaluate("document.body.dataset.loaded")
    refresh = int(page.locator("#screen-script").get_attribute("data-refresh"))
    page.clock.fast_forward(refresh * 1000 + 1000)
    page.wait_for_function(f"document.body.dataset.loaded !== '{loaded}'")
    assert len(fetched) == 2
    assert _drawn(page, "chart-categories")
    assert _unavailable(page, "chart-grades")
    for chart in CHARTS:
        if chart != "chart-grades":
            assert _drawn(page, chart), chart
    page.locator("#chart-grades").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "broken-02-grades.png"))
    assert errors == []  # nothing escaped the panels
    page.context.close()


def test_nothing_readable_marks_every_panel(chromium, live_server, official, pavilion):
    page, errors = _phone(chromium, live_server, official)
    page.route("**/statistics/data/**",
               lambda route: route.fulfill(status=200, content_type="application/json",
                                           body='{"title": "县域'))
    page.goto(f"{live_server.url}/statistics/")
    page.wait_for_function("document.body.dataset.error")
    for chart in CHARTS:
        assert _unavailable(page, chart), chart
    # The page's own title stays.
    assert "渑池县" in page.locator("h1").inner_text()
    page.screenshot(path=str(SHOTS / "broken-03-nothing.png"))
    page.context.close()
