"""The brand licensee's and the brand authority's jobs in a real browser (Playwright
driving Debian's Chromium) against a live server, through the pages only, from sign-in to
what the public sees: the licence on the public register ``/brand/``.

Screenshots of every page at a phone's size (390x844) go to
``artifacts/screenshots/work/``."""

from __future__ import annotations

import re

import pytest

from brand import services as brand_services
from brand.models import LicenceApplication
from tests.factories import draft, end_notice, in_notice
from tests.workbench.browsing import PHONE, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_licensee_applies_follows_the_review_and_gets_the_certificate(
        live_server, chromium, phone, brand, coop, coop_user, authority_user, persimmon,
        tmp_path):
    page, url = phone, live_server.url
    sign_in(page, url, coop_user.email, "/work/brand/")
    shot(page, "brand-01-licensee-home-empty")
    page.click("main .actions >> text=申请使用品牌")
    page.check(f"input[name=products][value='{persimmon.pk}']")
    page.fill("#id_grades", "特级, 一级")
    page.fill("#id_bases", "果园村柿子基地 120 亩")
    page.fill("#id_estimated_annual_volume_kg", "5000")
    page.fill("#id_requested_label_quota", "800")
    shot(page, "brand-02-apply")
    page.click("main form button")
    page.wait_for_url(re.compile(r"/work/brand/applications/\d+/$"))
    assert "草稿已保存" in page.inner_text(".messages")
    # Sending without the business licence: the service's refusal on the page.
    page.click("main button:has-text('提交品牌主管单位')")
    assert "请上传营业执照" in page.inner_text("main")
    licence_scan = tmp_path / "licence.pdf"
    licence_scan.write_bytes(b"%PDF-1.4\n% business licence\n")
    page.select_option("#id_kind", "business_licence")
    page.fill("#id_number", "91411221MA")
    page.set_input_files("#id_file", str(licence_scan))
    page.click("main form.card button:has-text('上传')")
    assert "材料已上传" in page.inner_text(".messages")
    shot(page, "brand-03-application-draft")
    page.click("main button:has-text('提交品牌主管单位')")
    assert "已提交品牌主管单位" in page.inner_text(".messages")
    application = LicenceApplication.objects.get(applicant=coop)

    # The authority, on its own phone, asks for a document; the applicant answers it in
    # text with the file, and the authority reads the answer.
    brand_services.start_review(application, authority_user, reason="材料已收到")
    reviewer = chromium.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN",
                                    is_mobile=True, has_touch=True).new_page()
    reviewer.set_default_timeout(20_000)
    sign_in(reviewer, url, authority_user.email, f"/work/brand/review/{application.pk}/")
    reviewer.click("summary:has-text('要求申请人补充材料')")
    reviewer.fill("#id_ask-question", "请补充柿子基地近三个月的农残检测报告")
    shot(reviewer, "brand-04a-authority-asks")
    reviewer.click("button:has-text('发送问题')")
    assert "问题已发送" in reviewer.inner_text(".messages")
    assert "等待申请人答复" in reviewer.inner_text(".questions")
    page.goto(f"{url}/work/")
    assert "品牌主管单位对您的申请提出了问题" in page.inner_text(".todo")
    shot(page, "brand-04-licensee-home-todo")
    page.click(".todo a:has-text('提出了问题')")
    page.wait_for_url(re.compile(rf"/work/brand/applications/{application.pk}/#questions$"))
    assert "请补充柿子基地近三个月的农残检测报告" in page.inner_text(".questions")
    question = application.questions.get()
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.4\n% inspection report\n")
    page.fill(f"#id_answer-{question.pk}-answer", "农残检测报告见附件，基地 120 亩属实")
    page.select_option(f"#id_answer-{question.pk}-document_kind", "inspection_report")
    page.set_input_files(f"#id_answer-{question.pk}-file", str(report))
    shot(page, "brand-04b-applicant-answers")
    page.click(".questions button:has-text('发送答复')")
    assert "答复已发送给品牌主管单位" in page.inner_text(".messages")
    assert "农残检测报告见附件" in page.inner_text(".questions")
    assert "检测报告" in page.inner_text(".questions")  # the document sent with it
    shot(page, "brand-04-application-answered")
    reviewer.reload()
    assert "农残检测报告见附件" in reviewer.inner_text(".questions")
    assert coop_user.email in reviewer.inner_text(".questions")
    shot(reviewer, "brand-04c-authority-reads-the-answer")
    reviewer.context.close()

    # Approved, noticed, granted (the authority's pages are the other test's).
    brand_services.approve_application(application, authority_user, reason="材料齐全")
    page.reload()
    assert "公示至" in page.inner_text("main")
    shot(page, "brand-05-application-notice")
    end_notice(application)
    licence = brand_services.grant_licence(application, authority_user)
    page.goto(f"{url}/work/brand/")
    shot(page, "brand-06-licensee-home")
    page.click(f"text={licence.number}")
    assert "0 / 800" in page.inner_text("main")
    with page.expect_download() as download:
        page.click("text=下载授权证书（PDF）")
    assert download.value.suggested_filename.endswith(".pdf")
    page.fill("#id_volume_sold_kg", "120")
    page.fill("#id_sales_amount", "6000")
    page.fill("#id_codes_used", "0")
    page.click("text=提交报告")
    assert "年度使用报告已提交" in page.inner_text(".messages")
    shot(page, "brand-07-licence")

    # What the public sees: the licence on the register and its verification page.
    page.goto(f"{url}/brand/")
    assert licence.number in page.inner_text("body")
    page.goto(f"{url}/brand/licences/{licence.number}")
    assert coop.name in page.inner_text("body")


def test_the_authority_reviews_notices_grants_and_suspends(
        live_server, phone, brand, coop, coop_user, authority_user, persimmon, other_coop,
        other_coop_user, millet_draft):
    page, url = phone, live_server.url
    application = draft(brand, coop, coop_user, products=[persimmon])
    brand_services.submit_application(application, coop_user)
    # A second applicant's application already in its public notice, with an objection.
    noticed = in_notice(brand, other_coop, other_coop_user, authority_user,
                        products=[millet_draft])
    brand_services.lodge_objection(noticed.notices.get(), name="李四", contact="13800000000",
                                   reason="该社小米并非本地种植")
    sign_in(page, url, authority_user.email, "/work/")
    assert "份申请待审核" in page.inner_text(".todo")
    assert "条异议待答复" in page.inner_text(".todo")
    shot(page, "brand-10-authority-home-todo")
    page.click(".todo a:has-text('份申请待审核')")
    page.wait_for_url(f"{url}/work/brand/review/")
    shot(page, "brand-11-review-queue")
    page.click(f"main .rows >> text={coop.name}")
    page.wait_for_url(re.compile(r"/work/brand/review/\d+/$"))
    assert "91411221MA" in page.inner_text("main")
    shot(page, "brand-12-review")
    page.fill("#id_start-reason", "材料齐全，开始审核")
    page.click("text=开始审核")
    assert "已开始审核" in page.inner_text(".messages")
    # A notice shorter than the brand's five days is refused by the service.
    page.fill("#id_approve-notice_days", "3")
    page.click("main form.card button:has-text('通过')")
    assert "公示期不少于 5 天" in page.inner_text("main")
    page.fill("#id_approve-notice_days", "5")
    page.fill("#id_approve-reason", "符合品牌标准")
    page.click("main form.card button:has-text('通过')")
    assert "公示开始" in page.inner_text(".messages")
    # Granting before the notice has ended is refused.
    page.click("main form.card button:has-text('授权')")
    assert page.locator("main .form-error").count() >= 1
    shot(page, "brand-13-review-notice")

    # The objection to the other application is answered (dismissed with reasons).
    page.goto(f"{url}/work/brand/review/{noticed.pk}/")
    objection = noticed.notices.get().objections.get()
    page.select_option(f"#id_objection-{objection.pk}-uphold", "0")
    page.fill(f"#id_objection-{objection.pk}-resolution", "经核查，该社基地位于本县")
    page.click("text=答复异议")
    assert "异议已答复" in page.inner_text(".messages")
    shot(page, "brand-14-objection")

    # Five days later the notice has ended: grant.
    end_notice(LicenceApplication.objects.get(pk=application.pk))
    page.goto(f"{url}/work/brand/review/{application.pk}/")
    page.click("main form.card button:has-text('授权')")
    assert "已列入公开名录" in page.inner_text(".messages")
    licence = LicenceApplication.objects.get(pk=application.pk).licence
    page.goto(f"{url}/work/brand/register/")
    assert licence.number in page.inner_text("main")
    shot(page, "brand-15-register")
    page.click(f"main .rows >> text={coop.name}")
    page.fill("#id_violation-description", "市场巡查发现超范围用标")
    page.select_option("#id_violation-source", "patrol")
    page.select_option("#id_violation-action", "suspension")
    page.fill("#id_violation-reason", "整改完成前暂停")
    page.click("main form.card button:has-text('记录')")
    assert "违规已记录" in page.inner_text(".messages")
    shot(page, "brand-16-licence-manage")

    # What the public sees: the licence on the register, now suspended.
    page.goto(f"{url}/brand/")
    assert licence.number in page.inner_text("body")
    page.goto(f"{url}/brand/licences/{licence.number}")
    assert "暂停" in page.inner_text("body")
