"""A cooperative new to the regional brand does its whole licensing job on a phone
(Playwright driving Debian's Chromium against a live server): finds the brand from the
workbench's home, applies, is refused what is missing and keeps what it typed, uploads the
business licence, sends the application, answers the authority's question, follows the
public notice, receives the licence, its certificate and its agreement (which a
stranger cannot open), packs with the brand's labels within its quota, and asks for a
renewal as the expiry nears. The authority's decisions
are made through the services (its own walk is ``test_authority_walkthrough``).

Every page is screenshotted (``artifacts/screenshots/walkthroughs/licensee-*``) and
checked to fit a 390 px phone with 44 px targets and no English left."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from brand import services as brand_services
from brand.models import Licence, LicenceApplication
from tests.factories import end_notice
from tests.walkthroughs.phone_checks import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cooperative_applies_receives_uses_and_renews_the_brand_licence(
        live_server, phone, brand, reviewer, coop, coop_user, persimmon, graded_lot, tmp_path):
    page, url = phone, live_server.url
    sign_in(page, url, coop_user.email)
    shot(page, "licensee-01-home")
    # The brand is one tap from the home, whatever the layout (tile or navigation).
    page.locator("a:visible", has_text="品牌授权").first.click()
    page.wait_for_url(f"{url}/work/brand/")
    assert "尚无授权" in page.inner_text("main")
    assert "仰韶彩陶坊" in page.inner_text("main")  # the brand open for applications
    shot(page, "licensee-02-brand-empty")

    # The application: the county's own brand is chosen; a negative quota is refused, and
    # what was typed is still there.
    page.locator("main a.button", has_text="申请使用品牌").first.click()
    page.wait_for_url(f"{url}/work/brand/apply/")
    assert page.locator("#id_brand option:checked").inner_text() == "仰韶彩陶坊"
    page.fill("#id_grades", "特级, 一级")
    page.fill("#id_bases", "果园村柿子基地 120 亩")
    page.fill("#id_estimated_annual_volume_kg", "5000")
    page.fill("#id_requested_label_quota", "-800")
    page.click("main form button")
    assert "0" in page.inner_text("main .error")
    assert page.input_value("#id_grades") == "特级, 一级"
    assert page.input_value("#id_bases") == "果园村柿子基地 120 亩"
    shot(page, "licensee-03-apply-refused")
    page.fill("#id_requested_label_quota", "800")
    page.check(f"input[name=products][value='{persimmon.pk}']")
    page.click("main form button")
    page.wait_for_url(re.compile(r"/work/brand/applications/\d+/$"))
    assert "草稿已保存" in page.inner_text(".messages")
    shot(page, "licensee-04-draft")

    # Sending without the business licence is refused with what to upload.
    page.click("main button:has-text('提交品牌主管单位')")
    assert "营业执照" in page.inner_text("main .form-error, main .errors, main [role=alert]")
    shot(page, "licensee-05-send-refused")
    scan = tmp_path / "营业执照.pdf"
    scan.write_bytes(b"%PDF-1.4\n% business licence\n")
    page.select_option("#id_kind", "business_licence")
    page.fill("#id_number", "91411221MA46X0Y12K")
    page.set_input_files("#id_file", str(scan))
    page.click("main form.card button:has-text('上传')")
    assert "材料已上传" in page.inner_text(".messages")
    assert "营业执照" in page.inner_text("main")
    page.click("main button:has-text('提交品牌主管单位')")
    assert "已提交品牌主管单位" in page.inner_text(".messages")
    shot(page, "licensee-06-sent")
    application = LicenceApplication.objects.get(applicant=coop)

    # The authority asks a question; the home's to-do leads to it and the answer is sent.
    brand_services.start_review(application, reviewer, reason="材料已收到")
    brand_services.ask_question(application, reviewer,
                                question="请补充柿子基地近三个月的农残检测报告")
    page.goto(f"{url}/work/")
    page.click(".todo a:has-text('提出了问题')")
    page.wait_for_url(re.compile(rf"/work/brand/applications/{application.pk}/#questions$"))
    question = application.questions.get()
    # An empty answer is refused, not lost.
    page.click(".questions button:has-text('发送答复')")
    assert page.locator(".questions .error, .questions [role=alert]").count() >= 1
    report = tmp_path / "检测报告.pdf"
    report.write_bytes(b"%PDF-1.4\n% inspection report\n")
    page.fill(f"#id_answer-{question.pk}-answer", "农残检测报告见附件")
    page.select_option(f"#id_answer-{question.pk}-document_kind", "inspection_report")
    page.set_input_files(f"#id_answer-{question.pk}-file", str(report))
    page.click(".questions button:has-text('发送答复')")
    assert "答复已发送给品牌主管单位" in page.inner_text(".messages")
    shot(page, "licensee-07-answered")

    # Approved: the public notice, one tap away.
    brand_services.approve_application(application, reviewer, reason="材料齐全")
    page.reload()
    assert "公示至" in page.inner_text("main")
    shot(page, "licensee-08-in-notice")
    page.click("main a:has-text('查看公示')")
    assert coop.name in page.inner_text("body")
    shot(page, "licensee-09-public-notice")

    # Granted: from the application to the licence and its certificate.
    end_notice(application)
    licence = brand_services.grant_licence(application, reviewer)
    page.goto(f"{url}/work/brand/applications/{application.pk}/")
    page.click(f"main a:has-text('{licence.number}')")
    page.wait_for_url(f"{url}/work/brand/licences/{licence.pk}/")
    assert "0 / 800" in page.inner_text("main")
    shot(page, "licensee-10-licence")
    with page.expect_download() as download:
        page.click("main a:has-text('下载授权证书')")
    assert download.value.suggested_filename.endswith(".pdf")
    # The licence agreement (品牌使用许可合同): the licensee's, not the public's.
    with page.expect_download() as download:
        page.click("main a:has-text('许可合同')")
    assert download.value.suggested_filename == f"{licence.number}-agreement.pdf"
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    stranger = page.context.browser.new_context()
    assert stranger.request.get(
        f"{url}/brand/licences/{licence.number}/agreement.pdf").status == 404
    stranger.close()
    page.click("main a:has-text('公开查验页')")
    assert licence.number in page.inner_text("body") and coop.name in page.inner_text("body")
    shot(page, "licensee-11-verification")

    # Using the brand: packing with brand labels books them against the quota; more than
    # the quota is refused.
    page.goto(f"{url}/work/brand/licences/{licence.pk}/")
    page.click("main a:has-text('去包装并打印品牌标签')")
    page.wait_for_url(f"{url}/work/grading/")
    page.click(f"main a:has-text('{graded_lot.lot_number}')")
    page.wait_for_url(f"{url}/work/graded/{graded_lot.pk}/")
    page.fill("#id_quantity", "900")
    page.fill("#id_net_weight_kg", "0.05")
    page.check("#id_brand_labelled")
    page.click("main form button")
    assert "800" in page.inner_text("main")
    assert page.is_checked("#id_brand_labelled")
    page.fill("#id_quantity", "20")
    page.fill("#id_net_weight_kg", "0.5")
    page.click("main form button")
    page.wait_for_url(re.compile(r"/work/runs/\d+/$"))
    page.goto(f"{url}/work/brand/licences/{licence.pk}/")
    assert "20 / 800" in page.inner_text("main")
    shot(page, "licensee-12-labels-booked")

    # The expiry nears: the brand page warns and the licence asks for a renewal.
    Licence.objects.filter(pk=licence.pk).update(
        valid_until=timezone.localdate() + timedelta(days=20))
    page.goto(f"{url}/work/brand/")
    assert "剩余 20 天" in page.inner_text("main")
    shot(page, "licensee-13-expiry-near")
    page.click("main a:has-text('申请续期')")
    page.wait_for_url(f"{url}/work/brand/licences/{licence.pk}/#renewal")
    page.fill("#renewal textarea", "继续使用品牌，基地面积不变")
    page.click("#renewal button")
    assert "已向品牌主管单位申请续期" in page.inner_text(".messages")
    shot(page, "licensee-14-renewal-asked")
