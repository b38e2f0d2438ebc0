"""``/live/`` on a phone (390x844, Chinese, Playwright driving Debian's Chromium): each
line-up product's link (and the link to watch) is thumb-sized (at least 44px high) and
opens the product page. Screenshot ``artifacts/screenshots/shop/live-links.png``."""

from __future__ import annotations

import pytest

from tests.browser import SHOTS, Phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_line_up_links_are_thumb_sized_and_open_the_product(
        chromium, live_server, tmp_path, broadcast, item, persimmon):
    (SHOTS / "shop").mkdir(parents=True, exist_ok=True)
    phone = Phone(chromium, tmp_path)
    page = phone.page
    page.goto(f"{live_server.url}/live/")
    link = page.locator(f"#broadcast-{broadcast.pk} .lineup > li > a").first
    assert persimmon.name in link.inner_text()
    box = link.bounding_box()
    assert box["height"] >= 44
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    watch = page.get_by_role("link", name="观看直播")
    assert watch.count() == (1 if broadcast.stream_url else 0)
    if broadcast.stream_url:
        assert watch.bounding_box()["height"] >= 44
    phone.shot("shop/live-links")
    link.tap()
    page.wait_for_url(f"{live_server.url}/product/{persimmon.slug}/")
    assert persimmon.name in page.locator("h1").inner_text()
    phone.context.close()
