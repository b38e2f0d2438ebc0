"""What every browser test shares: Debian's Chromium through Playwright (never
``playwright install``), launched with the flags the machine allows, and a phone-sized
page (390x844) that serves ``/media/`` from MEDIA_ROOT (the live server does not, with
DEBUG off), weighs each page's HTML, CSS and JS, and takes screenshots under
``artifacts/screenshots/``. The ``chromium`` fixture in ``tests/conftest.py`` uses
``launch``."""

from __future__ import annotations

import mimetypes
import re
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings as django_settings
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(django_settings.BASE_DIR) / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
HTML_LIMIT = 60 * 1024
TRANSFER_LIMIT = 300 * 1024
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]


@contextmanager
def launch():
    """Debian's Chromium, headless. A missing browser is a failure, not a skip:
    ``apt-get install chromium`` (scripts/test.sh does it)."""
    assert CHROMIUM.exists(), "Debian's Chromium is missing: apt-get install chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


class Phone:
    """A page at 390x844 that serves /media/ from ``media_root``, counts the bytes of each
    page's HTML, CSS and JS, and screenshots."""

    def __init__(self, browser, media_root: Path):
        self.context = browser.new_context(viewport=PHONE, device_scale_factor=2,
                                           locale="zh-CN", is_mobile=True, has_touch=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.bytes: dict[str, int] = {}
        self.page.route(re.compile(r"/media/"), lambda route: self._media(route, media_root))
        self.page.on("response", self._count)
        SHOTS.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def _media(route, media_root: Path):
        path = media_root / route.request.url.split("/media/", 1)[1].split("?")[0]
        if not path.is_file():
            return route.fulfill(status=404, body="")
        return route.fulfill(status=200, body=path.read_bytes(),
                             content_type=mimetypes.guess_type(path.name)[0] or "image/webp")

    def _count(self, response):
        kind = response.request.resource_type
        if kind in ("document", "stylesheet", "script", "xhr", "fetch") and response.status < 300:
            try:
                size = len(response.body())
            except Exception:  # noqa: BLE001 - a body already gone (navigated away)
                return
            self.bytes[kind] = self.bytes.get(kind, 0) + size
            if kind == "document":
                assert size < HTML_LIMIT, f"{response.url}: {size} bytes of HTML"

    def shot(self, name: str):
        """Screenshot the page, then check its weight before images."""
        self.page.wait_for_load_state("networkidle")
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)
        total = sum(self.bytes.values())
        assert total < TRANSFER_LIMIT, f"{name}: {total} bytes before images"
        self.bytes.clear()
