"""The brand authority's reviewer on the first day, on a phone: nothing decided yet, one
application sent by a cooperative. The home's checklist shows 0 of 4 and leads to the
review queue; the reviewer starts the review (1 of 4), approves it into the public notice
(2 of 4), and the next step says the licence is granted when the notice has ended. The
help page explains the job with the brand's notice period.

Screenshots: ``artifacts/screenshots/walkthroughs/first-authority-*``."""

from __future__ import annotations

import pytest

from brand import services as brand_services
from tests.factories import draft
from tests.walkthroughs.phone_checks import (
    no_dead_end,
    progress,
    progress_at_home,
    shot,
    sign_in_from_nothing,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_reviewer_is_led_through_the_first_review(
        live_server, phone, brand, reviewer, coop, coop_user, persimmon):
    application = brand_services.submit_application(
        draft(brand, coop, coop_user, products=[persimmon]), coop_user)
    page, url = phone, live_server.url
    assert sign_in_from_nothing(page, url, reviewer.email) == "/work/"
    assert progress(page, "authority") == "已完成 0 / 4"
    assert "1 份申请待审核" in page.inner_text(".todo")
    shot(page, "first-authority-01-home")

    # Step 1 from the list's own button: the queue, the application, the review started.
    page.click("#first-steps-authority a.next-step")
    page.wait_for_url(f"{url}/work/brand/review/")
    shot(page, "first-authority-02-queue")
    page.click(f"main .rows a:has-text('{coop.name}')")
    page.wait_for_url(f"{url}/work/brand/review/{application.pk}/")
    page.fill("#id_start-reason", "材料齐全，开始审核")
    page.click("main button:has-text('开始审核')")
    assert "已开始审核" in page.inner_text(".messages")
    no_dead_end(page)
    assert progress_at_home(page, "authority") == "已完成 1 / 4"
    shot(page, "first-authority-03-home-started")

    # Step 2: approved into the public notice of the brand's five days.
    page.click("#first-steps-authority a.next-step")
    page.click(f"main .rows a:has-text('{coop.name}')")
    page.wait_for_url(f"{url}/work/brand/review/{application.pk}/")
    page.fill("#id_approve-notice_days", "5")
    page.fill("#id_approve-reason", "符合品牌标准")
    page.click("main form.card button:has-text('通过')")
    assert "公示开始" in page.inner_text(".messages")
    shot(page, "first-authority-04-in-notice")
    assert progress_at_home(page, "authority") == "已完成 2 / 4"
    assert "公示期满后授予许可" in page.inner_text("#first-steps-authority li.next")
    shot(page, "first-authority-05-home-two-done")

    # The job explained, the brand's own figures with it.
    page.click("#first-steps-authority a:has-text('这项工作是做什么的')")
    page.wait_for_url(f"{url}/work/help/authority/")
    text = page.inner_text("main")
    assert "至少 5 天" in text and "仰韶彩陶坊" in text and "现场核查" in text
    shot(page, "first-authority-06-help")
    no_dead_end(page)
