"""A cooperative's administrator on the first day, on a phone, with nothing recorded yet:
signs in from the shop's sign-in page and lands on the workbench, whose first-steps list
shows 0 of 8 steps of the chain (households and bases, a product with its price, a
sourcing lot, its inspection, grading, packing, labels, on sale) and the brand licence's
0 of 5; follows the list's own links to record a household and to create a product with a
price, and sees the progress move each time; reads the help page of the job in plain
Chinese (with the brand licence path and its time limits) and comes back.

Screenshots: ``artifacts/screenshots/walkthroughs/first-coop-*``."""

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


def test_a_new_cooperative_is_led_through_its_first_steps(
        live_server, phone, coop, coop_user, product_type, category, channel, brand):
    page, url = phone, live_server.url
    assert sign_in_from_nothing(page, url, coop_user.email) == "/work/"
    assert progress(page, "producer") == "已完成 0 / 8"
    assert progress(page, "licensee") == "已完成 0 / 5"
    steps = page.locator("#first-steps-producer .checklist li")
    assert "登记农户和基地" in steps.first.locator("a").inner_text()
    # The next step says what its word means.
    assert "农户或基地是货的来源" in page.inner_text("#first-steps-producer")
    shot(page, "first-coop-01-home")

    # Step 1, from the list's own button: a household.
    page.click("#first-steps-producer a.next-step")
    page.wait_for_url(f"{url}/work/households/")
    assert "还没有" in page.inner_text("main .empty")
    shot(page, "first-coop-02-households-empty")
    page.fill("#id_head_name", "王秀兰")
    page.fill("#id_village", "果园村")
    page.click("main form.card button")
    assert "王秀兰" in page.inner_text("main .rows")
    no_dead_end(page)
    assert progress_at_home(page, "producer") == "已完成 1 / 8"
    assert "done" in steps.first.get_attribute("class")
    shot(page, "first-coop-03-home-one-done")

    # Step 2: a product, then its size with a price.
    page.click("#first-steps-producer a.next-step")
    page.wait_for_url(f"{url}/work/products/new/")
    page.fill("#id_name", "渑池柿饼")
    page.select_option("#id_product_type", str(product_type.pk))
    page.select_option("#id_category", str(category.pk))
    page.click("main form button")
    page.wait_for_url(re.compile(r"/work/products/\d+/$"))
    shot(page, "first-coop-04-product")
    page.fill("#id_v-sku", "shibing-500g")
    page.fill("#id_v-name", "一级 500g")
    page.fill(f"#id_v-price_{channel.pk}", "39")
    page.click("form:has(#id_v-sku) button")
    page.wait_for_url(re.compile(r"/work/variants/\d+/$"))
    no_dead_end(page)
    assert progress_at_home(page, "producer") == "已完成 2 / 8"
    # The next step leads to a sourcing lot, its word explained.
    assert "收购批次就是" in page.inner_text("#first-steps-producer")
    assert page.locator("#first-steps-producer a.next-step").get_attribute("href") \
        == "/work/lots/new/"
    shot(page, "first-coop-05-home-two-done")

    # The job explained, then back to work.
    page.click("#first-steps-producer a:has-text('这项工作是做什么的')")
    page.wait_for_url(f"{url}/work/help/producer/")
    text = page.inner_text("main")
    for word in ("收购批次", "分等分级", "一物一码", "上架", "召回"):
        assert word in text
    shot(page, "first-coop-06-help")
    page.goto(f"{url}/work/help/licensee/")
    text = page.inner_text("main")
    assert "公示" in text and "至少 5 天" in text and "3月31日" in text
    assert "仰韶彩陶坊" in page.inner_text("main table")
    shot(page, "first-coop-07-help-licence")
    page.click("main a.button:has-text('返回我的工作台')")
    page.wait_for_url(f"{url}/work/")
