"""A new cooperative member on a phone (Playwright driving Debian's Chromium against a live
server), doing the whole job through the workbench's pages: list a product with a photo
and a price, record a lot bought from a base, inspect, grade and pack it (one trace code
per package), print the label sheet and ship a paid order by its codes; mistakes on the
way keep what was typed, and another cooperative's lots, runs and products stay out of
reach.

Screenshots go to ``artifacts/screenshots/work/`` (``coop-*``)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from shop.models import Order
from supplychain import services as supplychain_services
from supplychain.models import PackingRun
from tests.factories import make_paid_order, make_product
from tests.workbench.browsing import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def _photo(path):
    Image.new("RGB", (800, 600), (200, 120, 40)).save(path, "JPEG")
    return str(path)


def test_a_new_member_lists_sources_grades_packs_labels_and_ships(
        live_server, phone, coop, coop_user, product_type, category, channel, pavilion,
        shipping, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    page, url = phone, live_server.url
    sign_in(page, url, coop_user.email, "/work/")
    assert coop.name in page.inner_text("h1")
    # A new member's first steps say where to start, each step thumb-sized, and none of
    # them is repeated in the to-do list.
    steps = page.locator(".first-steps").first.locator(".checklist a")
    assert "登记农户和基地" in steps.first.inner_text()
    for i in range(steps.count()):
        assert steps.nth(i).bounding_box()["height"] >= 44
    assert "创建第一个商品" not in page.inner_text("main")
    _fits(page)
    shot(page, "coop-01-home")

    # A product: the name forgotten first; what was typed stays.
    page.goto(f"{url}/work/products/new/")
    page.select_option("#id_product_type", str(product_type.pk))
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_description", "薄皮核桃，产自仰韶。")
    page.click("main form button")
    assert "此项为必填项" in page.inner_text("main")
    assert page.input_value("#id_description") == "薄皮核桃，产自仰韶。"
    assert page.locator("#id_category option:checked").inner_text() == category.name
    shot(page, "coop-02-product-error")
    page.fill("#id_name", "渑池核桃")
    page.click("main form button")
    page.wait_for_url(re.compile(r"/work/products/\d+/$"))
    assert "请添加" in page.inner_text("main")  # the next step: a variant with its price
    _fits(page)
    shot(page, "coop-03-product")

    # Its photo, then what a shopper buys: a variant with a price (a negative one refused).
    page.set_input_files("#id_m-image", _photo(tmp_path / "walnut.jpg"))
    page.fill("#id_m-alt", "一筐核桃")
    page.click("form:has(#id_m-image) button")
    assert "图片已添加" in page.inner_text(".messages")
    assert page.locator("main img[alt='一筐核桃']").count() == 1
    shot(page, "coop-04-product-photo")
    assert page.get_by_label("货号（SKU）").count() == 1
    page.fill("#id_v-sku", "hetao-1kg")
    page.fill("#id_v-name", "一级 1kg")
    page.fill("#id_v-grade", "一级")
    page.fill("#id_v-weight", "1")
    page.fill(f"#id_v-price_{channel.pk}", "-3")
    page.click("form:has(#id_v-sku) button")
    assert "大于或等于0" in page.inner_text("form:has(#id_v-sku)")
    assert page.input_value("#id_v-name") == "一级 1kg"  # nothing typed is lost
    shot(page, "coop-05-variant-error")
    page.fill(f"#id_v-price_{channel.pk}", "45")
    page.click("form:has(#id_v-sku) button")
    page.wait_for_url(re.compile(r"/work/variants/\d+/$"))
    _fits(page)
    shot(page, "coop-06-variant")
    page.goto(f"{url}/work/products/")
    assert "¥45.00" in page.inner_text("main")
    _fits(page)
    shot(page, "coop-07-products")

    # A base, then a lot bought from it (a harvest in the future refused), its inspection.
    page.goto(f"{url}/work/bases/")
    page.fill("#id_name", "仰韶核桃基地")
    page.fill("#id_location", "渑池县仰韶镇")
    page.fill("#id_area_mu", "80")
    page.click("main form.card button")
    page.wait_for_url(re.compile(r"/work/bases/\d+/$"))
    shot(page, "coop-08-base")
    page.goto(f"{url}/work/lots/new/")
    page.select_option("#id_product", label="渑池核桃")
    page.select_option("#id_base", label="仰韶核桃基地")
    page.fill("#id_quantity_kg", "100")
    page.fill("#id_unit_price", "12.5")
    page.fill("#id_harvested_on", (timezone.localdate() + timedelta(days=3)).isoformat())
    page.click("main form button")
    assert "采收日期不能晚于收购日期" in page.inner_text("main")
    assert page.input_value("#id_quantity_kg") == "100"
    assert page.locator("#id_base option:checked").inner_text() == "仰韶核桃基地"
    shot(page, "coop-10-lot-error")
    page.fill("#id_harvested_on", (timezone.localdate() - timedelta(days=3)).isoformat())
    page.click("main form button")
    page.wait_for_url(re.compile(r"/work/lots/\d+/$"))
    assert "仰韶核桃基地" in page.inner_text("main dl")
    assert page.locator("#next-step").count() == 0  # not inspected: not yet to grade
    _fits(page)
    shot(page, "coop-11-lot")
    page.fill("#id_lab", "三门峡市农产品质量检测中心")
    page.check("input[name=result][value=passed]")
    page.click("main form.card button")
    assert "检测已登记" in page.inner_text(".messages")
    # The next step comes first; the inspection form folds away.
    assert page.locator("#id_lab").is_hidden()
    shot(page, "coop-12-lot-inspected")
    page.locator("#next-step").get_by_role("link", name="为该批次分级").click()
    page.wait_for_url(re.compile(r"/work/grading/\d+/$"))

    # Grading (a grade first), then packing: one trace code per package.
    shot(page, "coop-14-grading")
    page.fill("#id_g-name", "一级")
    page.fill("#id_g-rank", "1")
    page.fill("#id_g-criteria", "果径≥30mm")
    page.click("text=添加等级 >> nth=-1")
    page.fill("input[data-balance=in]", "100")
    page.fill("input[data-balance=out]", "96")
    page.fill("input[data-balance=loss]", "4")
    assert "已平衡" in page.inner_text("[data-balance-status]")
    shot(page, "coop-15-grading-balanced")
    page.click("text=记录分级")
    page.wait_for_url(re.compile(r"/work/graded/\d+/$"))
    shot(page, "coop-16-graded-lot")
    page.fill("#id_quantity", "4")
    page.fill("#id_net_weight_kg", "1")
    page.click("text=包装并生成追溯码")
    page.wait_for_url(re.compile(r"/work/runs/\d+/$"))
    run = PackingRun.objects.get(organization=coop)
    codes = list(run.trace_codes.order_by("serial").values_list("code", flat=True))
    assert len(codes) == 4
    assert "已包装 4 件并生成 4 个追溯码" in page.inner_text(".messages")
    # The member sees the codes without looking them up (the buyer's first scan is first).
    for code in codes:
        assert code in page.inner_text("main dl")
    assert page.locator("main a[href^='/t/'][href$='" + codes[0] + "']").count() == 0
    assert page.locator(f"main a[href='/t/{codes[0]}/qr.svg']").count() == 1
    _fits(page)
    shot(page, "coop-17-run")
    page.click("text=生成标签")
    page.wait_for_selector("text=下载标签（PDF）")
    with page.expect_download() as download:
        page.click("text=下载标签（PDF）")
    assert download.value.suggested_filename.endswith(".pdf")
    shot(page, "coop-18-run-labels")
    # Nothing the member did counted as a look-up of a code.
    assert not run.trace_codes.filter(scan_count__gt=0).exists()

    # Packed but not on sale yet: the run page says so and leads to publishing.
    page.locator("#not-on-sale").get_by_role("link", name="去上架商品").click()
    page.wait_for_url(re.compile(r"/work/products/\d+/$"))
    page.get_by_role("button", name="上架").click()
    assert "已在" in page.inner_text(".messages")
    page.goto(f"{url}/work/runs/{run.pk}/")
    assert page.locator("#not-on-sale").count() == 0

    # A paid order, shipped by the codes of its packages.
    order = make_paid_order(channel, run.variant, shipping, quantity=2)
    page.goto(f"{url}/work/orders/")
    _fits(page)
    shot(page, "coop-20-orders")
    page.click(f"text=订单 {order.number}")
    _fits(page)
    for code in codes[:2]:
        page.fill("[data-scan-type]", code)
        page.click("[data-scan-add]")
        page.wait_for_selector(f"text=✓ {code}")
    assert page.inner_text("[data-scan-count]") == "2"
    page.fill("#id_carrier", "中国邮政")
    page.fill("#id_tracking_number", "EMS0001")
    shot(page, "coop-21-ship")
    page.click("main .card button:has-text('发货')")
    page.wait_for_url(f"{url}/work/orders/")
    assert "已通过" in page.inner_text(".messages")
    shot(page, "coop-22-shipped")
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED
    assert set(run.trace_codes.filter(shipped_at__isnull=False).values_list("code", flat=True)) \
        == set(codes[:2])


def test_another_cooperatives_records_are_out_of_reach(
        live_server, phone, coop_user, other_coop, other_coop_user, product_type, category,
        channel):
    millet = make_product(other_coop, product_type, category, channel, "仰韶小米", "millet-x",
                          ["25.00"])
    base = supplychain_services.create_base(other_coop, name="小米基地", location="渑池县",
                                            area_mu="10")
    lot = supplychain_services.create_sourcing_lot(
        other_coop, product=millet, base=base, harvested_on=timezone.localdate(),
        quantity_kg="50", unit_price="5", user=other_coop_user)
    page, url = phone, live_server.url
    sign_in(page, url, coop_user.email, "/work/")
    for path in (f"/work/lots/{lot.pk}/", f"/work/bases/{base.pk}/",
                 f"/work/products/{millet.pk}/", f"/work/grading/{millet.pk}/",
                 f"/work/lots/{lot.pk}/chain/", f"/work/recall/sourcing/{lot.pk}/"):
        response = page.goto(url + path)
        assert response.status == 404, path
    shot(page, "coop-30-not-yours")
    # Nor does it appear in the member's own lists and pickers.
    page.goto(f"{url}/work/lots/")
    assert lot.lot_number not in page.inner_text("main")
    page.goto(f"{url}/work/lots/new/")
    assert "仰韶小米" not in page.inner_text("#id_product")
    assert "小米基地" not in page.inner_text("#id_base")
