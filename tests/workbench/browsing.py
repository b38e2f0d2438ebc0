"""What the workbench's browser tests share: Debian's Chromium through Playwright (never
``playwright install``), a phone-sized page, screenshots under
``artifacts/screenshots/work/`` and signing in through the shared sign-in page. The
fixtures are exposed by ``tests/workbench/conftest.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import sync_playwright

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(django_settings.BASE_DIR) / "artifacts" / "screenshots" / "work"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def chromium(monkeypatch):
    """A missing browser is a failure: ``apt-get install chromium``."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    assert CHROMIUM.exists(), "Debian's Chromium is missing: apt-get install chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN",
                                   is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield page
    context.close()


def shot(page, name: str):
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def sign_in(page, url, email, target):
    """Open ``target``, get sent to the sign-in page, sign in and land back on it."""
    page.goto(f"{url}{target}")
    assert "/account/sign-in/" in page.url
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow button")
    page.wait_for_url(f"{url}{target}")
