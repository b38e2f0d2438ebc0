"""A shopper on a phone (390x844, Chinese, Playwright driving Debian's Chromium) who opens
a trace code the platform never issued: the warning stays, a code that cannot be one
(typed wrong) gets a hint of what a code looks like, and a thumb-sized link leads back to
the shop, in Chinese and in Tibetan. Screenshots ``artifacts/screenshots/trace-*``."""

from __future__ import annotations

import pytest

from tests.browser import Phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HINT = "追溯码由 16 位字母和数字（A–Z 和 2–7）组成"


def test_an_unknown_code_leads_back_to_the_shop_with_a_hint_when_typed_wrong(
        chromium, live_server, tmp_path, pavilion, channel):
    phone = Phone(chromium, tmp_path)
    page = phone.page

    # Typed wrong: 1, 0 and 8 are never in a code, and it is too short.
    response = page.goto(f"{live_server.url}/t/AB10C8")
    assert response.status == 404
    body = page.locator("main").inner_text()
    assert "未找到此追溯码，谨防假冒" in body
    assert HINT in body and "HX4Q7N2KBW5TRM3D" in body
    back = page.get_by_role("link", name="返回特色馆首页")
    assert back.bounding_box()["height"] >= 44
    assert back.bounding_box()["width"] <= 390
    phone.shot("trace-not-found-typed-wrong")
    back.click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("header.top .logo").count() == 1  # the shop's own header

    # Well formed but never issued: the warning and the way back, no typing hint.
    page.goto(f"{live_server.url}/t/AAAAAAAAAAAAAAAA")
    assert HINT not in page.locator("main").inner_text()
    assert page.get_by_role("link", name="返回特色馆首页").is_visible()

    # In Tibetan, through the page's own language switch.
    page.goto(f"{live_server.url}/t/ab10c8")
    page.locator('nav.lang a[lang="bo"]').click()
    page.wait_for_selector('html[lang="bo"]')
    page.wait_for_load_state("load")  # its styles applied before anything is measured
    back = page.get_by_role("link", name="ཁྱད་ཆོས་ཚོང་ཁང་ལ་ཕྱིར་ལོག")
    assert back.bounding_box()["height"] >= 44
    assert "HX4Q7N2KBW5TRM3D" in page.locator("main").inner_text()
    phone.shot("trace-not-found-bo")
    phone.context.close()
