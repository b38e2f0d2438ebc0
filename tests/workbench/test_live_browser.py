"""The host's and the operator's jobs in a real browser (Playwright driving Debian's
Chromium) against a live server, through the pages only, from sign-in to what the public
sees: the broadcast on ``/live/``. The host books a broadcast, builds its line-up, runs it
from the phone console (go live, pin, flash sale, orders arriving through htmx polling),
ends it and reviews it with its charts; the operator sets a weekly schedule and checks
the week and the county coverage.

Screenshots of every page at a phone's size (390x844) go to
``artifacts/screenshots/work/``."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from livestream import services as live_services
from livestream.models import Broadcast, Venue
from shop import services as shop_services
from tests.factories import broadcast_checkout, make_member, make_product
from tests.workbench.browsing import PHONE, SHOTS, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def host_user(coop):
    return make_member(coop, "host@example.com")


@pytest.fixture
def host(host_user, coop):
    return live_services.create_host(user=host_user, organization=coop, display_name="柿饼小王",
                                     birth_date=date(1998, 5, 1), platforms=["douyin"],
                                     real_name_verified=True)


@pytest.fixture
def studio(coop):
    return Venue.objects.create(name="电商中心1号直播间", kind="studio", address="渑池县电商中心",
                                organization=coop)


def test_a_host_books_runs_and_reviews_a_broadcast_from_the_phone(
        live_server, phone, host, host_user, studio, channel, variant, shipping):
    page, url = phone, live_server.url
    sign_in(page, url, host_user.email, "/work/live/")
    shot(page, "live-01-week-empty")
    page.click("main .actions >> text=安排直播")
    start = timezone.localtime(timezone.now() + timedelta(minutes=10))
    page.fill("#id_title", "渑池柿饼专场")
    page.select_option("#id_venue", str(studio.pk))
    page.fill("#id_day", start.date().isoformat())
    page.fill("#id_start_time", start.strftime("%H:%M"))
    page.fill("#id_duration_minutes", "120")
    page.select_option("#id_platform", "pavilion")
    shot(page, "live-02-book")
    page.click("main form button")
    page.wait_for_url(re.compile(r"/work/live/\d+/$"))
    broadcast = Broadcast.objects.get(title="渑池柿饼专场")
    # The home's to-do list says the line-up is still empty and leads back to it.
    page.goto(f"{url}/work/")
    assert "下一场直播：渑池柿饼专场" in page.inner_text(".todo")
    shot(page, "live-02b-host-home-todo")
    page.click(".todo a:has-text('尚未安排商品')")
    page.wait_for_url(f"{url}/work/live/{broadcast.pk}/")

    # The line-up from the cooperatives' offers; a live price above the shop's is refused.
    offer = page.locator("main .rows li", has_text="特级 500g").first
    offer = page.locator("main .rows li", has_text=variant.name).first
    offer.locator("input[name=live_price]").fill("99")
    offer.locator("input[name=quantity]").fill("5")
    offer.locator("button").click()
    assert "直播价不能高于日常售价" in page.inner_text("main")
    offer = page.locator("main .rows li", has_text=variant.name).first
    offer.locator("input[name=live_price]").fill("29.90")
    offer.locator("input[name=quantity]").fill("5")
    offer.locator("input[name=per_buyer_limit]").fill("2")
    offer.locator("button").click()
    assert "已加入选品" in page.inner_text(".messages")
    shot(page, "live-03-lineup")

    # The week shows it; the public live page lists it.
    page.goto(f"{url}/work/live/")
    assert "渑池柿饼专场" in page.inner_text("main")
    shot(page, "live-04-week")
    page.goto(f"{url}/live/")
    assert "渑池柿饼专场" in page.inner_text("body")

    # The console on the phone: go live, pin, start a flash sale.
    page.goto(f"{url}/work/live/{broadcast.pk}/console/")
    shot(page, "live-05-console-before")
    page.click("text=开始直播")
    assert "直播已开始" in page.inner_text(".messages")
    page.click("#console-feed button:has-text('置顶')")
    page.fill("#console-feed input[name=flash_seconds]", "120")
    page.click("#console-feed button:has-text('开始秒杀')")
    assert "秒杀已开始" in page.inner_text(".messages")
    page.wait_for_selector("text=/秒杀剩余 \\d+:\\d\\d/")
    # A shopper buys two at the live price: the console shows it without a reload.
    checkout = broadcast_checkout(broadcast, variant, shipping, quantity=2)
    order = shop_services.complete_checkout(checkout.token)
    page.wait_for_selector(f"#console-feed >> text=订单 {order.number}", timeout=15_000)
    assert page.inner_text("#console-feed [data-left]") == "3"
    shot(page, "live-06-console-live")
    page.goto(f"{url}/live/")
    assert "渑池柿饼专场" in page.inner_text("body")

    # End, review with its charts, exports.
    page.goto(f"{url}/work/live/{broadcast.pk}/console/")
    page.fill("#id_viewer_count", "200")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('结束直播')")
    page.wait_for_url(f"{url}/work/live/{broadcast.pk}/review/")
    page.wait_for_selector("[data-chart=timeline][data-drawn] svg")
    page.wait_for_selector("[data-chart=sellers][data-drawn] svg")
    assert "¥59.80" in page.inner_text("main")
    shot(page, "live-07-review")
    with page.expect_download() as download:
        page.click("text=销售明细（XLSX）")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.fill("#id_review_notes", "秒杀拉动明显，下次增加库存")
    page.click("text=完成复盘")
    assert "复盘" in page.inner_text(".messages")
    page.goto(f"{url}/work/live/reviews/")
    shot(page, "live-08-reviews")


def test_the_operator_sets_a_weekly_schedule_and_watches_the_weeks(
        live_server, phone, operator_user, host, studio, channel, pavilion, persimmon):
    page, url = phone, live_server.url
    sign_in(page, url, operator_user.email, "/work/live/schedules/")
    shot(page, "live-11-schedules-empty")
    first = timezone.localdate() + timedelta(days=1)
    page.fill("#id_title", "每周五柿饼直播")
    page.select_option("#id_host", str(host.pk))
    page.select_option("#id_venue", str(studio.pk))
    page.select_option("#id_weekday", str(first.weekday()))
    page.fill("#id_start_time", "19:30")
    page.fill("#id_duration_minutes", "90")
    page.select_option("#id_platform", "douyin")
    page.fill("#id_starts_on", first.isoformat())
    page.click("main form.card button")
    assert "每周排期已保存" in page.inner_text(".messages")
    shot(page, "live-12-schedules")
    page.goto(f"{url}/work/live/?week={first.isoformat()}")
    assert "每周五柿饼直播" in page.inner_text("main")
    shot(page, "live-13-week-operator")
    broadcast = Broadcast.objects.filter(title="每周五柿饼直播").order_by("starts_at").first()
    live_services.add_lineup_item(broadcast, variant=persimmon.variants.first(),
                                  live_price="30", quantity=2)
    page.goto(f"{url}/work/live/coverage/")
    assert "渑池县" in page.inner_text("main")
    shot(page, "live-14-coverage")
    page.goto(f"{url}/work/")
    assert "每周五柿饼直播" in page.inner_text(".todo")
    shot(page, "live-15-operator-home-todo")
    # What the public sees: the scheduled broadcast on /live/.
    page.goto(f"{url}/live/")
    assert "每周五柿饼直播" in page.inner_text("body")


def test_a_cooperative_offers_its_goods_and_the_host_sells_them_live(
        live_server, chromium, host, host_user, studio, channel, other_coop, other_coop_user,
        product_type, category, pavilion):
    millet = make_product(other_coop, product_type, category, channel, "仰韶小米", "millet",
                          ["25.00"], pavilion=pavilion)
    broadcast = live_services.create_broadcast(
        host=host, venue=studio, title="小米专场", platform="pavilion",
        starts_at=timezone.now() + timedelta(minutes=30),
        ends_at=timezone.now() + timedelta(minutes=90))
    url = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    # The cooperative agrees on its phone: at least 20 元 live, at most 4 units.
    coop_context = chromium.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN",
                                        is_mobile=True, has_touch=True)
    page = coop_context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, url, other_coop_user.email, "/work/live/offers/")
    shot(page, "live-21-offers-empty")
    page.select_option("#id_variant", str(millet.variants.get().pk))
    page.fill("#id_min_live_price", "20")
    page.fill("#id_max_quantity", "4")
    page.select_option("#id_broadcast", str(broadcast.pk))
    page.click("main form.card button")
    assert "供货意向已发布" in page.inner_text(".messages")
    shot(page, "live-22-offers")
    coop_context.close()

    # The host lines it up: below the agreed price is refused, within it is taken.
    host_context = chromium.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN",
                                        is_mobile=True, has_touch=True)
    page = host_context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, url, host_user.email, f"/work/live/{broadcast.pk}/")
    offer = page.locator("main .rows li", has_text="仰韶小米").first
    offer.locator("input[name=live_price]").fill("15")
    offer.locator("input[name=quantity]").fill("2")
    offer.locator("button").click()
    assert "20.00" in page.inner_text("main .rows li .error")
    offer = page.locator("main .rows li", has_text="仰韶小米").first
    offer.locator("input[name=live_price]").fill("22")
    offer.locator("input[name=quantity]").fill("4")
    offer.locator("button").click()
    assert "已加入选品" in page.inner_text(".messages")
    shot(page, "live-23-lineup-from-offer")
    # What the public sees: the broadcast with the millet on /live/.
    page.goto(f"{url}/live/")
    assert "小米专场" in page.inner_text("body") and "仰韶小米" in page.inner_text("body")
    host_context.close()
