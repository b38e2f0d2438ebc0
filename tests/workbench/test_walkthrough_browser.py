"""New users' first steps on a phone (Playwright driving Debian's Chromium against a live
server), where a first walk through each role found them stuck: a county official sent to
the shop or refused by the workbench with no way to the county's figures, the operator
with no way to the statistics, grading opened on a product with nothing to grade, a ship
page without the address to write on the parcel, "---------" in every select, a licence's
renewal and last year's report at the foot of a long page, and the brand application
starting on another county's brand.

Screenshots go to ``artifacts/screenshots/work/`` (``walk-*``)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from brand.models import Licence, RegionalBrand
from county_statistics.models import CountyOfficial
from livestream import services as live_services
from livestream.models import Venue
from shop.models import Organization, User
from tests.factories import PASSWORD, granted, make_member, make_org, make_paid_order
from tests.factories import make_product as new_product
from tests.workbench.browsing import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_county_official_lands_on_the_report_and_the_workbench_points_there(
        live_server, phone, pavilion):
    official = User.objects.create_user("official@example.com", PASSWORD)
    CountyOfficial.objects.create(user=official, pavilion=pavilion, title="商务局")
    page, url = phone, live_server.url

    # Signing in from the shop's header (no "next") opens the county's report, not the shop.
    page.goto(f"{url}/account/sign-in/")
    page.fill("#id_email", official.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow button")
    page.wait_for_url(f"{url}/statistics/report/")
    assert "渑池县" in page.inner_text("body")

    # The workbench is not for officials; it says where their figures are.
    page.goto(f"{url}/work/")
    assert "本县的统计数据和报表在这里" in page.inner_text("main")
    shot(page, "walk-01-official-workbench")
    page.get_by_role("link", name="统计报表与导出").click()
    page.wait_for_url(f"{url}/statistics/report/")
    page.goto(f"{url}/work/")
    assert page.get_by_role("link", name="大数据展示平台").get_attribute("href") == \
        "/statistics/"

    # A shopper who is neither member nor official is still told to ask to be added.
    page.context.clear_cookies()
    User.objects.create_user("shopper@example.com", PASSWORD)
    sign_in(page, url, "shopper@example.com", "/work/")
    page.goto(f"{url}/work/")
    assert "请联系本单位管理员" in page.inner_text("main")
    # ...or, for a new cooperative or enterprise, to apply to join.
    assert "提交入驻申请" in page.inner_text("main")
    assert page.get_by_role("link", name="申请入驻特色馆").get_attribute("href") == \
        "/work/signup/"
    assert page.get_by_role("link", name="统计报表与导出").count() == 0


def test_the_operator_reaches_the_county_statistics_from_the_workbench(
        live_server, phone, operator_user, pavilion):
    page, url = phone, live_server.url
    sign_in(page, url, operator_user.email, "/work/")
    tile = page.locator(".tiles a", has_text="县域统计")
    assert "月度报表及导出" in tile.inner_text()
    shot(page, "walk-02-operator-home")
    tile.click()
    page.wait_for_url(f"{url}/statistics/report/")
    assert page.get_by_role("link", name=re.compile("Excel|XLSX")).count() == 1


def test_grading_opens_on_the_product_with_lots_waiting_and_selects_say_choose(
        live_server, phone, coop, coop_user, persimmon, grades, sourcing_lot, product_type,
        category, channel):
    # A product listed before 柿饼 by name, with nothing to grade.
    new_product(coop, product_type, category, channel, "二级核桃", "walnut-2", ["30.00"])
    page, url = phone, live_server.url
    sign_in(page, url, coop_user.email, "/work/grading/")
    chosen = page.locator("#grade-product option:checked").inner_text()
    assert chosen == "渑池柿饼 · 待分级 100 kg"
    assert page.locator("#grade-product option").nth(1).inner_text() == "二级核桃"
    shot(page, "walk-03-grading-list")
    page.get_by_role("button", name="去分级").click()
    page.wait_for_url(re.compile(rf"/work/grading/{persimmon.pk}/$"))
    assert sourcing_lot.lot_number in page.inner_text("main")

    # A new lot's selects say what to do instead of "---------".
    page.goto(f"{url}/work/lots/new/")
    assert page.locator("#id_product option").first.inner_text() == "请选择…"
    assert page.locator("#id_household option").first.inner_text() == "（不选）"
    assert "---------" not in page.content()
    shot(page, "walk-04-lot-form")


def test_the_ship_page_shows_where_to_send_the_parcel_and_the_buyers_carrier(
        live_server, phone, coop_user, channel, variant, shipping):
    order = make_paid_order(channel, variant, shipping, quantity=1)
    page, url = phone, live_server.url
    sign_in(page, url, coop_user.email, f"/work/orders/{order.number}/")
    ship_to = page.locator("#ship-to").inner_text()
    assert "13812345678" in ship_to and "仰韶路 12 号" in ship_to and "中国邮政" in ship_to
    assert page.get_by_label("快递公司").input_value() == "中国邮政"
    assert page.locator("#ship-to a[href='tel:13812345678']").count() == 1
    add = page.get_by_role("button", name="添加").bounding_box()
    assert add["height"] >= 44  # thumb-sized
    shot(page, "walk-05-ship-to")


def test_the_licensees_todo_opens_its_form_and_apply_starts_on_the_own_countys_brand(
        live_server, phone, coop, coop_user, authority_user, brand, persimmon):
    licence = granted(brand, coop, coop_user, authority_user, products=[persimmon])
    today = timezone.localdate()
    Licence.objects.filter(pk=licence.pk).update(
        valid_from=today.replace(year=today.year - 1, month=3, day=1),
        valid_until=today + timedelta(days=20))
    # Another county's brand, first by name: not the one a 渑池 cooperative means.
    other = make_org("息县农业农村局", "xixian-brand", Organization.Kind.BRAND_AUTHORITY)
    make_member(other, "xixian@example.com")
    RegionalBrand.objects.create(name="中国生态主食厨房", slug="xixian", code="XX",
                                 county="息县", authority=other)
    page, url = phone, live_server.url
    sign_in(page, url, coop_user.email, "/work/")

    page.locator(".todo a", has_text="请申请续期").click()
    page.wait_for_url(re.compile(rf"/work/brand/licences/{licence.pk}/#renewal$"))
    renewal = page.locator("#renewal")
    assert renewal.is_visible() and renewal.bounding_box()["y"] < 844  # scrolled to it
    shot(page, "walk-06-renewal")

    page.goto(f"{url}/work/")
    page.locator(".todo a", has_text=f"{today.year - 1} 年度使用报告").click()
    page.wait_for_url(re.compile(r"#usage-report$"))
    assert page.locator("#usage-report #id_year").input_value() == str(today.year - 1)

    page.goto(f"{url}/work/brand/apply/")
    assert page.locator("#id_brand option:checked").inner_text() == "仰韶彩陶坊"
    shot(page, "walk-07-apply")


def test_a_draft_sent_without_a_scope_says_so_and_its_scope_can_be_changed(
        live_server, phone, coop, coop_user, brand, persimmon):
    page, url = phone, live_server.url
    sign_in(page, url, coop_user.email, "/work/brand/apply/")
    page.get_by_role("button", name="保存草稿").click()  # nothing ticked
    page.wait_for_url(re.compile(r"/work/brand/applications/\d+/$"))
    assert page.locator("#scope").get_attribute("open") is None  # closed until needed

    page.get_by_role("button", name="提交品牌主管单位").click()
    assert "请填写申请使用品牌的产品或品类" in page.inner_text("main")
    assert page.locator("#scope").get_attribute("open") is not None
    page.get_by_role("link", name="修改申请内容（商品、品类、等级等）").click()
    scope = page.locator("#scope")
    scope.get_by_label("渑池柿饼").check()
    scope.get_by_label("等级").fill("特级")
    shot(page, "walk-08-draft-scope")
    scope.get_by_role("button", name="保存修改").click()
    page.wait_for_load_state("networkidle")
    assert "申请已修改。" in page.locator(".messages").inner_text()
    facts = page.locator("dl.card").first.inner_text()
    assert "渑池柿饼" in facts and "特级" in facts
    # Sending now asks only for the documents.
    page.get_by_role("button", name="提交品牌主管单位").click()
    assert "请填写申请使用品牌的产品或品类" not in page.inner_text("main")


def test_a_hosts_line_up_form_starts_at_the_shop_price_and_a_refusal_is_in_view(
        live_server, phone, coop, coop_user, channel, persimmon, variant):
    host = live_services.create_host(user=coop_user, organization=coop, display_name="柿饼小王",
                                     birth_date=date(1998, 5, 1), platforms=["douyin"],
                                     real_name_verified=True)
    studio = Venue.objects.create(name="电商中心1号直播间", kind="studio",
                                  address="渑池县电商中心", organization=coop)
    starts = timezone.now() + timedelta(days=1)
    broadcast = live_services.create_broadcast(
        host=host, venue=studio, title="渑池柿饼专场", starts_at=starts,
        ends_at=starts + timedelta(hours=2), platform="pavilion", actor=coop_user)
    page, url = phone, live_server.url
    sign_in(page, url, coop_user.email, f"/work/live/{broadcast.pk}/")
    form = page.locator(f"#add--{variant.pk}")
    # The live price starts at the shop's, a value the host may keep.
    assert form.get_by_label("直播价").input_value() == "39.90"
    form.get_by_role("button", name="加入选品").click()  # no allocation typed
    page.wait_for_url(re.compile(rf"#add--{variant.pk}$"))
    error = page.locator(f"#add--{variant.pk} .error").first
    assert "必填" in error.inner_text()
    assert 0 <= error.bounding_box()["y"] < 844  # the page opens on the refusal
    assert form.get_by_label("直播价").input_value() == "39.90"  # nothing typed is lost
    shot(page, "walk-09-lineup-refusal")
    form.get_by_label("直播库存").fill("5")
    form.get_by_role("button", name="加入选品").click()
    page.wait_for_load_state("networkidle")
    assert "已加入选品" in page.locator(".messages").inner_text()


def test_a_refused_form_below_the_fold_is_where_the_page_opens(
        live_server, phone, coop_user, sourcing_lot):
    page, url = phone, live_server.url
    sign_in(page, url, coop_user.email, f"/work/lots/{sourcing_lot.pk}/")
    page.get_by_role("button", name="登记检测").click()  # nothing filled in
    page.wait_for_load_state("networkidle")
    error = page.locator(".has-error").first
    assert "必填" in error.inner_text()
    # Brought up from under the fold, to the middle, clear of the bottom navigation.
    assert page.evaluate("window.scrollY") > 0
    box = error.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 844 - 60
    shot(page, "walk-10-refusal-in-view")


def test_a_host_books_in_their_own_room_first(live_server, phone, coop, coop_user,
                                               other_coop):
    live_services.create_host(user=coop_user, organization=coop, display_name="柿饼小王",
                              birth_date=date(1998, 5, 1), platforms=["douyin"],
                              real_name_verified=True)
    # Another county's room, first by name.
    Venue.objects.create(name="A 宁陕县电商中心直播间", kind="studio", organization=other_coop)
    Venue.objects.create(name="电商中心1号直播间", kind="studio", organization=coop)
    page, url = phone, live_server.url
    sign_in(page, url, coop_user.email, "/work/live/new/")
    venue = page.get_by_label("场地")
    assert venue.locator("option:checked").inner_text() == "电商中心1号直播间"
    assert venue.locator("option").nth(1).inner_text() == "电商中心1号直播间"
    shot(page, "walk-11-book-own-room")
