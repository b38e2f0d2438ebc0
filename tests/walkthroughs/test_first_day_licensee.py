"""A cooperative's first day with the regional brand, on a phone: no application yet, so
the home's brand checklist shows 0 of 5 and its next step explains what to send; the
list's own button opens the application, which is saved, documented and sent (1 of 5);
the authority asks a question, the answer goes back from the application's page, the
review passes and the list moves to 2 of 5, its next step naming the brand's public
notice in days (from the brand's own figure, five in the seeds). The help page explains
the licence's path with its time limits.

Screenshots: ``artifacts/screenshots/walkthroughs/first-licensee-*``."""

from __future__ import annotations

import re

import pytest

from brand import services as brand_services
from brand.models import LicenceApplication
from tests.walkthroughs.phone_checks import (
    no_dead_end,
    progress,
    progress_at_home,
    shot,
    sign_in_from_nothing,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_licensee_is_led_to_apply_and_through_the_review(
        live_server, phone, brand, reviewer, coop, coop_user, persimmon, tmp_path):
    page, url = phone, live_server.url
    assert sign_in_from_nothing(page, url, coop_user.email) == "/work/"
    assert progress(page, "licensee") == "已完成 0 / 5"
    steps = page.locator("#first-steps-licensee")
    assert "营业执照" in steps.inner_text()  # what to have at hand
    shot(page, "first-licensee-01-home")

    # Step 1 from the list's own button: the application, saved as a draft, then sent.
    steps.locator("a.next-step").click()
    page.wait_for_url(f"{url}/work/brand/apply/")
    page.fill("#id_grades", "特级, 一级")
    page.fill("#id_bases", "果园村柿子基地 120 亩")
    page.fill("#id_estimated_annual_volume_kg", "5000")
    page.fill("#id_requested_label_quota", "800")
    page.check(f"input[name=products][value='{persimmon.pk}']")
    shot(page, "first-licensee-02-apply")
    page.click("main form button")
    page.wait_for_url(re.compile(r"/work/brand/applications/\d+/$"))
    no_dead_end(page)
    # A draft is not yet an application sent: the step stays open and leads back to it.
    assert progress_at_home(page, "licensee") == "已完成 0 / 5"
    steps.locator("a.next-step").click()
    page.wait_for_url(re.compile(r"/work/brand/applications/\d+/$"))
    scan = tmp_path / "营业执照.pdf"
    scan.write_bytes(b"%PDF-1.4\n% business licence\n")
    page.select_option("#id_kind", "business_licence")
    page.fill("#id_number", "91411221MA46X0Y12K")
    page.set_input_files("#id_file", str(scan))
    page.click("main form.card button:has-text('上传')")
    page.click("main button:has-text('提交品牌主管单位')")
    assert "已提交品牌主管单位" in page.inner_text(".messages")
    shot(page, "first-licensee-03-sent")
    assert progress_at_home(page, "licensee") == "已完成 1 / 5"
    shot(page, "first-licensee-04-home-sent")

    # Step 2: the authority asks; the answer goes from the list's link; the review passes.
    application = LicenceApplication.objects.get(applicant=coop)
    brand_services.start_review(application, reviewer, reason="材料已收到")
    question = brand_services.ask_question(application, reviewer, question="请补充基地面积证明")
    page.reload()
    assert "答复" in steps.inner_text()
    steps.locator("a.next-step").click()
    page.wait_for_url(re.compile(rf"/work/brand/applications/{application.pk}/"))
    page.fill(f"#id_answer-{question.pk}-answer", "基地面积 120 亩，见村委会证明")
    page.click(".questions button:has-text('发送答复')")
    assert "答复已发送给品牌主管单位" in page.inner_text(".messages")
    brand_services.approve_application(application, reviewer, reason="材料齐全")
    assert progress_at_home(page, "licensee") == "已完成 2 / 5"
    # Folded under the cooperative's chain, the list still shows its next step and why.
    assert "公示 5 天，期满领取证书" in steps.locator("a.next-step").inner_text()
    assert "任何人都可以提出异议" in steps.inner_text()
    shot(page, "first-licensee-05-home-in-notice")

    # The path explained, with the brand's own time limits.
    steps.locator("a:has-text('这项工作是做什么的')").click()
    page.wait_for_url(f"{url}/work/help/licensee/")
    assert "至少 5 天" in page.inner_text("main")
    assert "3 年" in page.inner_text("main table")
    shot(page, "first-licensee-06-help")
    no_dead_end(page)
