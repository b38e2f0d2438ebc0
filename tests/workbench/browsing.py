"""What the workbench's browser tests share besides ``tests/browser.py``: a phone-sized
page, screenshots under ``artifacts/screenshots/work/`` and signing in through the shared
sign-in page. The fixtures are exposed by ``tests/workbench/conftest.py``."""

from __future__ import annotations

import pytest

from tests.browser import PHONE
from tests.browser import SHOTS as ALL_SHOTS
from tests.factories import PASSWORD

SHOTS = ALL_SHOTS / "work"


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
