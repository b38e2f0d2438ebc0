"""The brand authority's reviewer, new to the workbench, does the whole job on a phone
(Playwright driving Debian's Chromium against a live server): from the home's to-do to the
review queue; one application approved into its public notice (a notice shorter than the
brand's is refused) and granted when it ends; one sent back with a question; one rejected
(without a reason it is refused, and the reason typed is kept); then the register of
licensees, who uses the mark and how many labels, and a revocation (refused without a
reason) that the public verification page shows at once. The applicants' steps are made
through the services (their own walk is ``test_licensee_walkthrough``).

Every page is screenshotted (``artifacts/screenshots/walkthroughs/authority-*``) and
checked to fit a 390 px phone with 44 px targets and no English left."""

from __future__ import annotations

import re

import pytest

from brand import services as brand_services
from brand.models import LicenceApplication
from supplychain import services as supplychain_services
from tests.factories import draft, end_notice, make_member, make_org, make_product
from tests.walkthroughs.phone_checks import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sent(brand, org, user, products):
    application = draft(brand, org, user, products=products)
    return brand_services.submit_application(application, user)


def test_the_authority_reviews_grants_rejects_and_revokes(
        live_server, phone, brand, reviewer, coop, coop_user, persimmon, other_coop,
        other_coop_user, millet_draft, graded_lot, product_type, category, channel):
    page, url = phone, live_server.url
    walnut_coop = make_org("渑池县核桃专业合作社", "mianchi-walnut")
    walnut_user = make_member(walnut_coop, "walnut@example.com")
    walnut = make_product(walnut_coop, product_type, category, channel, "渑池核桃", "walnut",
                          ["30.00"])
    first = sent(brand, coop, coop_user, [persimmon])
    asked = sent(brand, other_coop, other_coop_user, [millet_draft])
    refused = sent(brand, walnut_coop, walnut_user, [walnut])

    sign_in(page, url, reviewer.email)
    assert "3 份申请待审核" in page.inner_text(".todo")
    shot(page, "authority-01-home")
    page.click(".todo a:has-text('份申请待审核')")
    page.wait_for_url(f"{url}/work/brand/review/")
    for application in (first, asked, refused):
        assert application.applicant.name in page.inner_text("main .rows")
    shot(page, "authority-02-queue")

    # The first: read its documents, start, approve (a three-day notice is refused).
    page.click(f"main .rows a:has-text('{coop.name}')")
    page.wait_for_url(f"{url}/work/brand/review/{first.pk}/")
    assert "营业执照" in page.inner_text("main") and "91411221MA" in page.inner_text("main")
    shot(page, "authority-03-application")
    page.fill("#id_start-reason", "材料齐全，开始审核")
    page.click("main button:has-text('开始审核')")
    assert "已开始审核" in page.inner_text(".messages")
    page.fill("#id_approve-notice_days", "3")
    page.fill("#id_approve-reason", "符合品牌标准")
    page.click("main form.card button:has-text('通过')")
    assert "公示期不少于 5 天" in page.inner_text("main")
    assert page.input_value("#id_approve-reason") == "符合品牌标准"
    shot(page, "authority-04-notice-too-short")
    page.fill("#id_approve-notice_days", "5")
    page.click("main form.card button:has-text('通过')")
    assert "公示开始" in page.inner_text(".messages")
    shot(page, "authority-05-in-notice")
    page.click("main a:has-text('公示')")
    assert coop.name in page.inner_text("body")
    shot(page, "authority-06-public-notice")

    # The second: a question sent back; approval waits for its answer.
    page.goto(f"{url}/work/brand/review/")
    page.click(f"main .rows a:has-text('{other_coop.name}')")
    page.fill("#id_start-reason", "开始审核")
    page.click("main button:has-text('开始审核')")
    page.click("summary:has-text('要求申请人补充材料')")
    page.fill("#id_ask-question", "请补充小米基地的土壤检测报告")
    page.click("button:has-text('发送问题')")
    assert "问题已发送" in page.inner_text(".messages")
    assert page.locator("main form.card button:has-text('通过')").is_disabled()
    shot(page, "authority-07-question-asked")

    # The third: rejecting without a reason is refused; with one, the applicant is told.
    page.goto(f"{url}/work/brand/review/{refused.pk}/")
    page.click("summary:has-text('驳回')")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("main details button:has-text('驳回')")
    assert page.locator("main details[open] .error, main details[open] [role=alert]").count()
    reason = "核桃不属于本品牌登记的品类（干果坚果/柿饼）"
    page.fill("#id_reject-reason", reason)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("main details button:has-text('驳回')")
    assert "已驳回申请" in page.inner_text(".messages")
    assert reason in page.inner_text("main")
    shot(page, "authority-08-rejected")
    assert LicenceApplication.objects.get(pk=refused.pk).status == "rejected"

    # Five days on, the first notice has ended: grant from the queue.
    end_notice(first)
    page.click("main a:has-text('返回审核队列')")
    page.wait_for_url(f"{url}/work/brand/review/")
    page.click("main .chips a:has-text('公示')")
    page.click(f"main .rows a:has-text('{coop.name}')")
    page.wait_for_url(f"{url}/work/brand/review/{first.pk}/")
    page.click("main form.card button:has-text('授权')")
    assert "已列入公开名录" in page.inner_text(".messages")
    licence = LicenceApplication.objects.get(pk=first.pk).licence
    shot(page, "authority-09-granted")

    # Who uses the mark: the register, with the labels booked by the licensee.
    variant = persimmon.variants.order_by("sku").first()
    supplychain_services.create_packing_run(
        graded_lot, variant=variant, warehouse=coop.warehouses.first(), quantity=12,
        net_weight_kg="0.5", user=coop_user, brand_labelled=True)
    page.goto(f"{url}/work/")
    page.locator("a:visible", has_text="被授权企业名录").first.click()
    page.wait_for_url(re.compile(r"/work/brand/register/"))
    row = page.locator("main .rows li", has_text=coop.name)
    assert licence.number in row.inner_text() and "12/" in row.inner_text()
    shot(page, "authority-10-register")

    # Revoking without a reason is refused; with one, the public page says so at once.
    row.locator("a").first.click()
    page.wait_for_url(f"{url}/work/brand/register/{licence.pk}/")
    # The labels the licensee booked, product by product.
    assert "渑池柿饼" in page.inner_text("main table") and "12" in page.inner_text("main table")
    with page.expect_download() as download:
        page.click("main a:has-text('许可合同')")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    shot(page, "authority-11-licence")
    page.select_option("#id_status-action", "revoke")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("main form.card button:has-text('执行')")
    assert page.locator("main .error, main .form-error").count()
    assert page.input_value("#id_status-action") == "revoke"
    page.fill("#id_status-reason", "转让授权给非成员企业，严重违规")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("main form.card button:has-text('执行')")
    assert "授权已撤销" in page.inner_text(".messages")
    # A revoked licence is final: nothing left to apply to it.
    assert page.locator("#id_status-action").count() == 0
    assert "重新申请" in page.inner_text("main")
    shot(page, "authority-12-revoked")
    page.goto(f"{url}/brand/licences/{licence.number}")
    assert "撤销" in page.inner_text("body")
    shot(page, "authority-13-public-revoked")
