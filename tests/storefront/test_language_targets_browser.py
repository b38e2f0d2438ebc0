"""On a phone (390x844, Playwright driving Debian's Chromium) the language switch is
thumb-sized: on the trace page (/t/<code>) and in the shop's footer each language
(中文 / བོད་ཡིག / English) is at least 44x44 px, the languages stay on one row that fits the
screen without overlapping, and a tap still switches. Screenshots
``artifacts/screenshots/languages-*``."""

from __future__ import annotations

import pytest

from tests.browser import SHOTS, Phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _targets(page) -> list[dict]:
    """The bounding box of each language in the switch, checked for thumb size."""
    items = page.locator("nav.lang a, nav.lang b")
    assert items.count() == 3
    boxes = [items.nth(i).bounding_box() for i in range(3)]
    for box in boxes:
        assert box["height"] >= 44, box
        assert box["width"] >= 44, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    # One row, side by side, none covering the next.
    assert len({round(b["y"]) for b in boxes}) == 1, boxes
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left["x"] + left["width"] <= right["x"], boxes
    return boxes


def test_the_trace_pages_language_links_are_thumb_sized(chromium, live_server, tmp_path, trace):
    phone = Phone(chromium, tmp_path)
    page = phone.page
    page.goto(f"{live_server.url}/t/{trace.code}")
    _targets(page)
    # The switch is one row, not a block that pushes the product's name down the screen.
    assert page.locator("nav.lang").bounding_box()["height"] <= 48
    assert page.locator("header h1").bounding_box()["y"] <= 60
    phone.shot("languages-trace")

    page.locator('nav.lang a[lang="en"]').tap()
    page.wait_for_selector('html[lang="en"]')
    page.wait_for_load_state("load")  # its styles applied before anything is measured
    assert page.url.endswith(f"/t/{trace.code}")
    _targets(page)
    assert page.locator('nav.lang b[lang="en"]').get_attribute("aria-current") == "true"
    phone.context.close()


def test_the_shop_footers_language_links_are_thumb_sized(chromium, live_server, tmp_path,
                                                         persimmon):
    phone = Phone(chromium, tmp_path)
    page = phone.page
    page.goto(f"{live_server.url}/")
    switch = page.locator("footer.foot nav.lang")
    switch.scroll_into_view_if_needed()
    _targets(page)
    # The footer's other links still share the screen's width below the switch.
    assert page.locator("footer.foot").bounding_box()["width"] <= 390
    page.screenshot(path=str(SHOTS / "languages-shop-footer.png"), full_page=True)

    page.locator('footer.foot nav.lang a[lang="bo"]').tap()
    page.wait_for_selector('html[lang="bo"]')
    # Measured once the Tibetan page's style sheets have loaded: the element is there as
    # soon as it is parsed, before its styles apply (on a busy machine, sizes read then
    # are the browser's defaults).
    page.wait_for_load_state("load")
    _targets(page)
    phone.context.close()

