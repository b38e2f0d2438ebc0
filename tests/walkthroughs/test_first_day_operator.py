"""The pavilion operator's first day, on a phone, on an empty pavilion: the home's
checklist shows 0 of 4 (categories, a collection, a story page, this week's broadcast),
each empty page says what to put there, and the list's own links lead to the first
category (1 of 4) and the first collection (2 of 4). The help page explains the job.

Screenshots: ``artifacts/screenshots/walkthroughs/first-operator-*``."""

from __future__ import annotations

import re

import pytest

from tests.walkthroughs.phone_checks import (
    no_dead_end,
    progress,
    progress_at_home,
    shot,
    sign_in_from_nothing,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_operator_is_led_to_set_up_the_pavilion(live_server, phone, operator_user):
    page, url = phone, live_server.url
    assert sign_in_from_nothing(page, url, operator_user.email) == "/work/"
    assert progress(page, "operator") == "已完成 0 / 4"
    shot(page, "first-operator-01-home")

    # Step 1 from the list's own button: the first category, on a page that says what goes
    # there while it is empty.
    page.click("#first-steps-operator a.next-step")
    page.wait_for_url(f"{url}/work/ops/categories/")
    assert "还没有" in page.inner_text("main .empty")
    shot(page, "first-operator-02-categories-empty")
    page.fill("#id_name", "干果坚果")
    page.click("main form.card button")
    assert "干果坚果" in page.inner_text("main .rows")
    no_dead_end(page)
    assert progress_at_home(page, "operator") == "已完成 1 / 4"
    shot(page, "first-operator-03-home-one-done")

    # Step 2: a collection for the home page.
    page.click("#first-steps-operator a.next-step")
    page.wait_for_url(f"{url}/work/ops/collections/")
    assert "还没有" in page.inner_text("main .empty")
    page.fill("#id_name", "新货上市")
    page.click("main form.card button")
    page.wait_for_url(re.compile(r"/work/ops/collections/\d+/$"))
    shot(page, "first-operator-04-collection")
    no_dead_end(page)
    assert progress_at_home(page, "operator") == "已完成 2 / 4"
    assert "品牌故事" in page.inner_text("#first-steps-operator li.next")
    shot(page, "first-operator-05-home-two-done")

    page.click("#first-steps-operator a:has-text('这项工作是做什么的')")
    page.wait_for_url(f"{url}/work/help/operator/")
    for word in ("专题", "下架", "入驻"):
        assert word in page.inner_text("main")
    shot(page, "first-operator-06-help")
    no_dead_end(page)
