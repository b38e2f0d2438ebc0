"""The touch-screen kiosk (触摸屏追溯) of a showroom or the pavilion's shop, in Chromium on
a landscape touch screen at 1920x1080 and on a 1280x800 tablet: a code typed on the
on-screen keys or by a USB scanner (which types the QR code's address and presses Enter)
opens the package's story, large; the screen goes back to its idle page after a minute
without a touch; and its look-ups are kept as scans without spending the buyer's
first-scan notice. Screenshots under artifacts/screenshots/kiosk-*.png."""

import pytest
import redis
from django.test import Client

from supplychain import services
from supplychain.models import Scan
from supplychain.services import scan_buffer
from supplychain.tasks import flush_scans
from tests.browser import SHOTS

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = {"1920": {"width": 1920, "height": 1080}, "1280": {"width": 1280, "height": 800}}


def kiosk_page(browser, size):
    context = browser.new_context(viewport=SCREENS[size], locale="zh-CN", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    return page


def fits(page, selector) -> bool:
    """Whether ``selector`` is wholly inside the viewport (no scrolling to reach it)."""
    box = page.locator(selector).bounding_box()
    viewport = page.viewport_size
    return box is not None and box["x"] >= 0 and box["y"] >= 0 and \
        box["x"] + box["width"] <= viewport["width"] + 1 and \
        box["y"] + box["height"] <= viewport["height"] + 1


@pytest.mark.parametrize("size", ["1920", "1280"])
def test_a_code_typed_on_the_keys_or_scanned_opens_its_story(chromium, live_server, trace,
                                                              size):
    page = kiosk_page(chromium, size)
    page.clock.install()
    page.goto(f"{live_server.url}/kiosk/")
    assert page.locator("h1").inner_text() == "产品追溯查询"
    # The keys are large and all on the screen, with the field and its button.
    key = page.locator('[data-key="A"]').bounding_box()
    assert key["height"] >= 64 and key["width"] >= 64
    assert fits(page, '[data-key="enter"]') and fits(page, "#code")
    page.screenshot(path=str(SHOTS / f"kiosk-{size}-idle.png"))

    # Typed on the keys, with a slip corrected.
    for char in trace.code[:5] + "Q":
        page.locator(f'[data-key="{char}"]').tap()
    page.locator('[data-key="back"]').tap()
    for char in trace.code[5:]:
        page.locator(f'[data-key="{char}"]').tap()
    assert page.locator("#code").input_value() == trace.code
    page.locator('[data-key="enter"]').tap()
    page.wait_for_url(f"**/kiosk/t/{trace.code}")
    assert page.locator("h1").first.inner_text().startswith("渑池柿饼")
    body = page.locator("body").inner_text()
    assert "果园柿子基地" in body and "检测合格" in body and "特级" in body
    assert "此码尚无消费者查询记录。" in body and "在本触摸屏上的查询不计入查询次数。" in body
    assert fits(page, "h1") and fits(page, ".scans")
    page.screenshot(path=str(SHOTS / f"kiosk-{size}-story.png"))

    # The field keeps the focus: a scanner types the QR code's address and Enter.
    assert page.evaluate("document.activeElement.id") == "code"
    page.keyboard.type(f"{live_server.url}/t/{trace.code}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/kiosk/t/{trace.code}")
    page.keyboard.type("ABCDEFGHJKMNPQRS\n")
    page.wait_for_url("**/kiosk/t/ABCDEFGHJKMNPQRS")
    assert "未找到此追溯码" in page.locator("h1").inner_text()
    page.screenshot(path=str(SHOTS / f"kiosk-{size}-unknown.png"))

    # A minute without a touch: back to the idle screen, the field empty.
    page.clock.run_for(30_000)
    assert "/kiosk/t/" in page.url
    page.clock.run_for(31_000)
    page.wait_for_url(f"{live_server.url}/kiosk/")
    assert page.locator("#code").input_value() == ""

    # Its look-ups were kept, but the buyer's first look-up is still ahead.
    assert Scan.objects.filter(trace_code=trace, source="kiosk").count() >= 1
    trace.refresh_from_db()
    assert trace.scan_count == 0 and trace.first_scanned_at is None
    page.context.close()


def test_kiosk_scans_through_the_buffer_spend_no_first_scan_notice(settings, redis_url, trace,
                                                                    coop, graded_lot):
    settings.REDIS_URL = redis_url
    redis.Redis.from_url(redis_url).flushdb()
    scan_buffer._down_until = 0.0
    kiosk = Client()
    for address in ("10.0.0.5", "10.0.0.6"):
        page = kiosk.get(f"/kiosk/t/{trace.code}", REMOTE_ADDR=address).content.decode()
        assert "此码尚无消费者查询记录。" in page
    buyer = Client().get(f"/t/{trace.code}", REMOTE_ADDR="198.51.100.1").content.decode()
    assert "这是此码的首次查询" in buyer
    # The kiosk then shows the buyer's look-up, still not counting its own.
    page = kiosk.get(f"/kiosk/t/{trace.code}", REMOTE_ADDR="10.0.0.7").content.decode()
    assert "此码已被查询 1 次" in page
    assert flush_scans() == 4
    trace.refresh_from_db()
    assert trace.scan_count == 1
    kept = Scan.objects.filter(trace_code=trace, source="kiosk")
    assert kept.count() == 3 and not kept.filter(is_flagged=True).exists()
    # A recall shows on the kiosk's next look-up, first.
    services.recall_lot(coop, graded_lot=graded_lot, level="level_2", reason="二氧化硫残留超标")
    page = kiosk.get(f"/kiosk/t/{trace.code}", REMOTE_ADDR="10.0.0.5").content.decode()
    assert page.index("此产品已被召回") < page.index("果园柿子基地")
