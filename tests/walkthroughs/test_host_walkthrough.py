"""A livestream host new to the workbench does the week's job on a phone (Playwright
driving Debian's Chromium against a live server): books a weekly broadcast (a clash with
the host's own booking is refused), opens its line-up from the schedule, adds the
cooperative's goods at a live price (above the shop price is refused, and the figures
typed stay), goes live from the console, starts a flash sale (too short a one is
refused), sees an order arrive, ends the broadcast and reads its figures in the review.
Then the operator changes the line-up of the host's next broadcast, and another host is
refused it.

Every page is screenshotted (``artifacts/screenshots/walkthroughs/host-*``) and checked to
fit a 390 px phone with 44 px targets and no English left."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from livestream import services as live_services
from livestream.models import Broadcast, Venue
from shop import services as shop_services
from tests.factories import broadcast_checkout, make_member
from tests.walkthroughs.phone_checks import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def host_user(coop):
    user = make_member(coop, "host@example.com")
    live_services.create_host(user=user, organization=coop, display_name="柿饼小王",
                              birth_date=date(1998, 5, 1), platforms=["douyin"],
                              real_name_verified=True)
    return user


@pytest.fixture
def studio(coop):
    return Venue.objects.create(name="电商中心1号直播间", kind="studio", address="渑池县电商中心",
                                organization=coop)


def test_a_host_schedules_lines_up_runs_and_reviews_the_weekly_broadcast(
        live_server, phone, chromium, host_user, studio, coop, channel, variant, shipping,
        operator_user, other_coop):
    page, url = phone, live_server.url
    sign_in(page, url, host_user.email)
    shot(page, "host-01-home")
    page.locator("a:visible", has_text="直播").first.click()
    page.wait_for_url(re.compile(r"/work/live/"))
    shot(page, "host-02-first-broadcast")

    # A broadcast every week, starting in a few minutes today (local time).
    start = timezone.localtime(timezone.now() + timedelta(minutes=10))
    page.click("main a:has-text('每周排期')")
    page.wait_for_url(f"{url}/work/live/schedules/")
    page.fill("#id_title", "每周柿饼直播")
    page.select_option("#id_venue", str(studio.pk))
    page.select_option("#id_weekday", str(start.weekday()))
    page.fill("#id_start_time", start.strftime("%H:%M"))
    page.fill("#id_duration_minutes", "90")
    page.select_option("#id_platform", "pavilion")
    page.fill("#id_starts_on", start.date().isoformat())
    page.click("main form.card button")
    assert "每周排期已保存" in page.inner_text(".messages")
    shot(page, "host-03-schedule-saved")

    # Booking the same hour again by hand is refused: the host is already on air then.
    page.goto(f"{url}/work/live/new/")
    page.fill("#id_title", "重复的直播")
    page.select_option("#id_venue", str(studio.pk))
    page.fill("#id_day", start.date().isoformat())
    page.fill("#id_start_time", start.strftime("%H:%M"))
    page.fill("#id_duration_minutes", "60")
    page.click("main form button")
    assert page.locator("main .error, main .form-error").count()
    assert page.input_value("#id_title") == "重复的直播"
    shot(page, "host-04-clash-refused")

    # From the schedule to its first broadcast's line-up.
    page.goto(f"{url}/work/live/schedules/")
    page.click("main .rows a:has-text('下一场')")
    page.wait_for_url(re.compile(r"/work/live/\d+/$"))
    broadcast = Broadcast.objects.filter(title="每周柿饼直播").order_by("starts_at").first()
    assert page.url.endswith(f"/work/live/{broadcast.pk}/")
    goods = page.locator("main .rows li", has_text=variant.name).first
    goods.locator("input[name=live_price]").fill("99")
    goods.locator("input[name=quantity]").fill("5")
    goods.locator("button").click()
    assert "直播价不能高于日常售价" in page.inner_text("main")
    goods = page.locator("main .rows li", has_text=variant.name).first
    assert goods.locator("input[name=quantity]").input_value() == "5"
    shot(page, "host-05-price-refused")
    goods.locator("input[name=live_price]").fill("29.90")
    goods.locator("input[name=per_buyer_limit]").fill("2")
    goods.locator("button").click()
    assert "已加入选品" in page.inner_text(".messages")
    shot(page, "host-06-lineup")

    # The console: live, a flash sale, an order arriving without a reload.
    page.click("main a:has-text('直播中控台')")
    page.wait_for_url(f"{url}/work/live/{broadcast.pk}/console/")
    shot(page, "host-07-console-before")
    page.click("text=开始直播")
    assert "直播已开始" in page.inner_text(".messages")
    # A five-second flash sale is refused (ten at least); the page says so.
    page.fill("#console-feed input[name=flash_seconds]", "5")
    page.click("#console-feed button:has-text('开始秒杀')")
    assert "10" in page.inner_text("main .error, main .form-error")
    assert "秒杀已开始" not in page.inner_text("main")
    page.fill("#console-feed input[name=flash_seconds]", "120")
    page.click("#console-feed button:has-text('开始秒杀')")
    assert "秒杀已开始" in page.inner_text(".messages")
    checkout = broadcast_checkout(broadcast, variant, shipping, quantity=2)
    order = shop_services.complete_checkout(checkout.token)
    page.wait_for_selector(f"#console-feed >> text=订单 {order.number}", timeout=15_000)
    shot(page, "host-08-console-live")

    # Ended with the viewers counted: the review's figures.
    page.fill("#id_viewer_count", "180")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('结束直播')")
    page.wait_for_url(f"{url}/work/live/{broadcast.pk}/review/")
    main = page.inner_text("main")
    assert "¥59.80" in main and "180" in main
    shot(page, "host-09-review")
    page.goto(f"{url}/work/live/reviews/")
    assert "每周柿饼直播" in page.inner_text("main")
    shot(page, "host-10-reviews")

    # The operator changes the next week's line-up; another host cannot open it.
    following = Broadcast.objects.filter(title="每周柿饼直播", status="scheduled") \
        .order_by("starts_at").first()
    live_services.add_lineup_item(following, variant=variant, live_price="30", quantity=3)
    operator = chromium.new_context(viewport={"width": 390, "height": 844},
                                    device_scale_factor=2, locale="zh-CN", is_mobile=True,
                                    has_touch=True).new_page()
    operator.set_default_timeout(20_000)
    sign_in(operator, url, operator_user.email, f"/work/live/{following.pk}/")
    operator.click("main .rows summary:has-text('修改')")
    operator.fill("main .rows input[name=live_price]", "28")
    operator.click("main .rows button:has-text('保存')")
    assert "选品已修改" in operator.inner_text(".messages")
    assert "¥28.00" in operator.inner_text("main .rows")
    shot(operator, "host-11-operator-edits")
    operator.context.close()

    rival = make_member(other_coop, "rival@example.com")
    live_services.create_host(user=rival, organization=other_coop, display_name="小米阿姨",
                              birth_date=date(1990, 1, 1), platforms=["douyin"],
                              real_name_verified=True)
    page.context.clear_cookies()
    sign_in(page, url, rival.email, "/work/live/")
    response = page.goto(f"{url}/work/live/{following.pk}/")
    assert response.status == 404
    assert "¥28.00" not in page.inner_text("body")
    page.click("a:has-text('返回工作台')")
    page.wait_for_url(f"{url}/work/")
    shot(page, "host-12-other-host-refused")
