"""A cooperative's whole job in a real browser (Playwright driving Debian's Chromium)
against a live server, through the pages only: sign in, create a product with a variant,
stock and publish it, record a household, a base and a sourcing lot with its inspection
report, grade it (the mass balance shown as it is typed), pack it, make the label sheet,
see a code on the public trace page and the product in the shop; then ship a paid order by
typing a package's code (a wrong code is refused at once).

Screenshots of every page at a phone's size (390x844) go to
``artifacts/screenshots/work/``."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from shop import services as shop_services
from shop.models import Order
from supplychain.models import PackingRun
from tests.factories import PASSWORD, ready_checkout
from tests.workbench.browsing import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cooperative_lists_sources_grades_packs_labels_and_ships(
        live_server, phone, coop, coop_user, product_type, category, channel, pavilion,
        shipping, tmp_path):
    page, url = phone, live_server.url
    page.goto(f"{url}/work/")
    assert "/account/sign-in/" in page.url
    page.fill("#id_email", coop_user.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow button")
    page.wait_for_url(f"{url}/work/")
    assert coop.name in page.inner_text("h1")
    shot(page, "01-home-empty")

    # A product, its variant with price, stock, published.
    page.click(".checklist >> text=创建商品并设规格和价格")
    shot(page, "02-product-new")
    page.fill("#id_name", "渑池核桃")
    page.select_option("#id_product_type", str(product_type.pk))
    page.select_option("#id_category", str(category.pk))
    page.select_option("#id_pavilion", str(pavilion.pk))
    page.fill("#id_description", "薄皮核桃，产自仰韶。")
    page.click("main form button")
    page.wait_for_url(re.compile(r"/work/products/\d+/$"))
    page.fill("#id_v-sku", "hetao-tj-1kg")
    page.fill("#id_v-name", "特级 1kg")
    page.fill("#id_v-grade", "特级")
    page.fill("#id_v-weight", "1")
    page.fill(f"#id_v-price_{channel.pk}", "48")
    page.fill(f"#id_v-cost_{channel.pk}", "30")
    shot(page, "03-product-variant-form")
    page.click("text=添加规格 >> nth=-1")
    page.wait_for_url(re.compile(r"/work/variants/\d+/$"))
    page.fill(f"#id_wh_{coop.warehouses.get().pk}", "20")
    page.click("text=保存库存")
    assert "库存已保存" in page.inner_text(".messages")
    shot(page, "04-variant-stock")
    page.click(".crumbs >> text=渑池核桃")
    page.click("button:has-text('上架')")
    assert "已在" in page.inner_text(".messages")
    shot(page, "05-product")
    page.goto(f"{url}/work/products/")
    shot(page, "06-products")

    # Who the cooperative buys from.
    page.goto(f"{url}/work/households/")
    page.fill("#id_head_name", "王建国")
    page.fill("#id_village", "果园村")
    page.fill("#id_id_number", "11010519491231002X")
    page.check("#id_is_poverty_registered")
    page.click("main form.card button")
    assert "110105********002X" in page.inner_text("main")
    shot(page, "07-households")
    page.goto(f"{url}/work/bases/")
    page.fill("#id_name", "果园核桃基地")
    page.fill("#id_location", "渑池县果园乡")
    page.fill("#id_area_mu", "80")
    page.click("main form.card button")
    page.wait_for_url(re.compile(r"/work/bases/\d+/$"))
    page.select_option("#id_kind", "green")
    page.fill("#id_number", "LB-18-2201")
    page.fill("#id_valid_until", (timezone.localdate().replace(year=timezone.localdate().year
                                                               + 1)).isoformat())
    page.click("main form.card button")
    shot(page, "08-base")
    page.goto(f"{url}/work/bases/")
    shot(page, "09-bases")

    # A sourcing lot and its inspection report.
    page.goto(f"{url}/work/lots/")
    shot(page, "10-lots-empty")
    page.click("main .actions >> text=登记收购批次")
    page.select_option("#id_product", label="渑池核桃")
    page.select_option("#id_household", index=1)
    page.fill("#id_quantity_kg", "100")
    page.fill("#id_unit_price", "12.5")
    shot(page, "11-lot-new")
    page.click("main form button")
    page.wait_for_url(re.compile(r"/work/lots/\d+/$"))
    page.fill("#id_lab", "三门峡市农产品质量检测中心")
    page.check("input[name=result][value=passed]")
    page.fill("#id_item", "农药残留")
    page.fill("#id_value", "未检出")
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.4\n% test report\n")
    page.set_input_files("#id_report", str(report))
    page.click("main form.card button")
    assert "检测已登记" in page.inner_text(".messages")
    shot(page, "12-lot")

    # Grading, with the mass balance shown as it is typed.
    page.click("text=为该批次分级")
    page.fill("#id_g-name", "特级")
    page.fill("#id_g-rank", "1")
    page.fill("#id_g-criteria", "果径≥32mm，无虫蛀")
    page.click("text=添加等级 >> nth=-1")
    page.fill("input[data-balance=in]", "100")
    page.fill("input[data-balance=out]", "95")
    page.fill("input[data-balance=loss]", "10")
    assert "超出" in page.inner_text("[data-balance-status]")
    page.fill("input[data-balance=loss]", "5")
    assert "已平衡" in page.inner_text("[data-balance-status]")
    shot(page, "13-grading")
    page.click("text=记录分级")
    page.wait_for_url(re.compile(r"/work/graded/\d+/$"))

    # Packing issues codes; the label sheet is made with a progress indicator.
    page.fill("#id_quantity", "3")
    page.fill("#id_net_weight_kg", "1")
    shot(page, "14-graded-lot")
    page.click("text=包装并生成追溯码")
    page.wait_for_url(re.compile(r"/work/runs/\d+/$"))
    page.click("text=生成标签")
    page.wait_for_selector("text=下载标签（PDF）")
    shot(page, "15-run-labels")
    with page.expect_download() as download:
        page.click("text=下载标签（PDF）")
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto(f"{url}/work/grading/")
    shot(page, "16-grading-list")
    run = PackingRun.objects.get()
    code = run.trace_codes.order_by("serial").first().code

    # What the public sees: the code's trace page and the product in the shop.
    page.goto(f"{url}/t/{code}")
    assert "渑池核桃" in page.inner_text("body")
    page.goto(f"{url}/product/{run.variant.product.slug}/")
    assert "渑池核桃" in page.inner_text("h1")

    # A shopper pays for one package; the cooperative ships it by typing its code.
    checkout = ready_checkout(channel, run.variant, shipping, quantity=1)
    order = shop_services.complete_checkout(checkout.token)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID, paid_at=timezone.now())
    page.goto(f"{url}/work/")
    shot(page, "17-home-todo")
    page.goto(f"{url}/work/orders/")
    shot(page, "18-orders")
    page.click(f"text=订单 {order.number}")
    page.fill("[data-scan-type]", "AAAAAAAAAAAAAAAA")
    page.click("[data-scan-add]")
    page.wait_for_selector("[data-scan-error]:not([hidden])")
    assert "AAAAAAAAAAAAAAAA" in page.inner_text("[data-scan-error]")
    page.fill("[data-scan-type]", f"{url}/t/{code}")
    page.click("[data-scan-add]")
    page.wait_for_selector(f"text=✓ {code}")
    assert page.inner_text("[data-scan-count]") == "1"
    page.fill("#id_carrier", "中国邮政")
    page.fill("#id_tracking_number", "EMS0001")
    shot(page, "19-order-ship")
    page.click("main .card button:has-text('发货')")
    page.wait_for_url(f"{url}/work/orders/")
    assert "已通过" in page.inner_text(".messages")
    page.goto(f"{url}/work/sales/")
    shot(page, "20-sales")
    page.goto(f"{url}/work/stock/")
    shot(page, "21-stock")
    page.goto(f"{url}/work/lots/")
    page.click("main .rows a")
    page.click("text=召回该批次")
    assert "3 个追溯码将标记为已召回" in page.inner_text("main")
    shot(page, "22-recall")
