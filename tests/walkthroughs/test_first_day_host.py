"""A livestream host's first day, on a phone, with no broadcast yet: the home's checklist
shows 0 of 5 (book, line-up with live prices, weekly schedule, console, review) and leads
to booking a broadcast (1 of 5), then from the list's own button to that broadcast's
line-up, where the cooperative's goods go on at a live price (2 of 5). The help page
explains the job and its words (选品, 直播价, 复盘).

Screenshots: ``artifacts/screenshots/walkthroughs/first-host-*``."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from livestream import services as live_services
from livestream.models import Venue
from tests.factories import make_member
from tests.walkthroughs.phone_checks import (
    no_dead_end,
    progress,
    progress_at_home,
    shot,
    sign_in_from_nothing,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def host_user(coop):
    user = make_member(coop, "host@example.com")
    live_services.create_host(user=user, organization=coop, display_name="柿饼小王",
                              birth_date=date(1998, 5, 1), platforms=["douyin"],
                              real_name_verified=True)
    return user


def test_a_new_host_is_led_to_book_and_line_up_a_broadcast(
        live_server, phone, host_user, coop, channel, variant):
    studio = Venue.objects.create(name="电商中心1号直播间", kind="studio",
                                  address="渑池县电商中心", organization=coop)
    page, url = phone, live_server.url
    assert sign_in_from_nothing(page, url, host_user.email) == "/work/"
    assert progress(page, "host") == "已完成 0 / 5"
    # The host's list comes first; the cooperative's chain is folded below it.
    assert page.locator(".first-steps").first.get_attribute("id") == "first-steps-host"
    shot(page, "first-host-01-home")

    # Step 1 from the list's own button: tomorrow evening's broadcast.
    page.click("#first-steps-host a.next-step")
    page.wait_for_url(f"{url}/work/live/new/")
    day = timezone.localdate() + timedelta(days=1)
    page.fill("#id_title", "渑池柿饼专场")
    page.select_option("#id_venue", str(studio.pk))
    page.fill("#id_day", day.isoformat())
    page.fill("#id_start_time", "19:30")
    page.fill("#id_duration_minutes", "90")
    shot(page, "first-host-02-book")
    page.click("main form button")
    page.wait_for_url(re.compile(r"/work/live/\d+/$"))
    no_dead_end(page)
    assert progress_at_home(page, "host") == "已完成 1 / 5"
    shot(page, "first-host-03-home-booked")

    # Step 2: the line-up, from the list straight to the broadcast booked.
    page.click("#first-steps-host a.next-step")
    page.wait_for_url(re.compile(r"/work/live/\d+/$"))
    goods = page.locator("main .rows li", has_text=variant.name).first
    goods.locator("input[name=live_price]").fill("29.90")
    goods.locator("input[name=quantity]").fill("5")
    goods.locator("button").click()
    assert "已加入选品" in page.inner_text(".messages")
    shot(page, "first-host-04-lineup")
    assert progress_at_home(page, "host") == "已完成 2 / 5"
    assert "每周" in page.inner_text("#first-steps-host li.next")
    shot(page, "first-host-05-home-two-done")

    page.click("#first-steps-host a:has-text('这项工作是做什么的')")
    page.wait_for_url(f"{url}/work/help/host/")
    text = page.inner_text("main")
    for word in ("选品", "直播价", "复盘", "秒杀"):
        assert word in text
    shot(page, "first-host-06-help")
    no_dead_end(page)
