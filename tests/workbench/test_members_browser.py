"""A new cooperative joins the pavilion and brings in a colleague, on phones (Playwright
driving Debian's Chromium against a live server), through the pages only: the applicant
applies with the licence photo, the operator approves, the new administrator invites a
colleague by mobile number, the colleague opens the link, has a code texted to that number,
registers on the invitation's page (a wrong code first), joins and is made an
administrator. Screenshots at 390x844 go to ``artifacts/screenshots/work/``."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from shop.models import Membership, OrganizationApplication, User
from tests.factories import PASSWORD
from tests.invitations import texted_code, wrong
from tests.workbench.browsing import PHONE, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def new_phone(chromium):
    page = chromium.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN",
                                is_mobile=True, has_touch=True).new_page()
    page.set_default_timeout(20_000)
    return page


def test_a_cooperative_joins_and_invites_a_colleague(live_server, chromium, phone, sms_api,
                                                      operator_user, tmp_path):
    url = live_server.url
    User.objects.create_user("farmer@example.com", PASSWORD, first_name="建国")
    licence = tmp_path / "licence.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 560), (235, 225, 200)).save(buffer, "JPEG")
    licence.write_bytes(buffer.getvalue())

    # The applicant, on a phone, applies for the cooperative.
    page = phone
    sign_in(page, url, "farmer@example.com", "/work/signup/")
    page.fill("#id_name", "宁陕县秦岭蜂蜜专业合作社")
    page.select_option("#id_kind", "cooperative")
    page.select_option("#id_county", "宁陕县")
    page.fill("#id_credit_code", "93411221MA44XY120Q")  # a wrong check character first
    page.fill("#id_contact_name", "王建国")
    page.fill("#id_contact_phone", "13912345678")
    page.fill("#id_address", "陕西省安康市宁陕县城关镇")
    page.set_input_files("#id_licence_photo", str(licence))
    shot(page, "join-01-apply")
    page.click("main form.card button")
    assert "校验" in page.inner_text("main .field.has-error")
    page.fill("#id_credit_code", "93411221MA44XY120P")
    page.set_input_files("#id_licence_photo", str(licence))
    page.click("main form.card button")
    page.wait_for_url(f"{url}/work/signup/")
    assert "申请已提交" in page.inner_text(".messages")
    assert "审核中" in page.inner_text("#applications")
    shot(page, "join-02-under-review")
    application = OrganizationApplication.objects.get()

    # The operator reviews it on another phone and approves.
    operator = new_phone(chromium)
    sign_in(operator, url, operator_user.email, "/work/signup/review/")
    operator.click("main .rows a:has-text('宁陕县秦岭蜂蜜专业合作社')")
    operator.wait_for_url(f"{url}/work/signup/review/{application.pk}/")
    assert "93411221MA44XY120P" in operator.inner_text("main dl")
    shot(operator, "join-03-operator-review")
    operator.click("main button:has-text('通过')")
    assert "已入驻特色馆" in operator.inner_text(".messages")

    # The new administrator invites a colleague by mobile number.
    page.goto(f"{url}/work/members/")
    assert "宁陕县秦岭蜂蜜专业合作社" in page.inner_text("header")
    page.fill("#id_phone", "138 0000 1234")
    page.click("main button:has-text('发送邀请')")
    assert "邀请已发送至 13800001234" in page.inner_text(".messages")
    link = page.input_value("#invitations input[readonly]")
    assert re.search(r"/work/join/[\w-]+/$", link)
    shot(page, "join-04-members-invited")

    # The colleague opens the link, has a code texted to the invited number, registers
    # on the invitation's page and joins.
    colleague = new_phone(chromium)
    # The link names the public address; the live server answers the same path.
    colleague.goto(f"{url}/work/{link.split('/work/', 1)[1]}")
    main = colleague.inner_text("main")
    assert "宁陕县秦岭蜂蜜专业合作社" in main and "138****1234" in main
    shot(colleague, "join-05-invitation")
    colleague.click("main button:has-text('发送验证码')")
    assert "验证码已发送至 138****1234" in colleague.inner_text(".messages")
    code = texted_code(sms_api, "13800001234")
    colleague.fill("#id_code", wrong(code))
    colleague.fill("#id_first_name", "小李")
    colleague.fill("#id_email", "helper@example.com")
    colleague.fill("#id_password", PASSWORD)
    shot(colleague, "join-06-code-typed")
    colleague.click("main button:has-text('注册并加入')")
    assert "验证码错误" in colleague.inner_text("main .field.has-error")
    shot(colleague, "join-07-wrong-code")
    colleague.fill("#id_code", code)
    colleague.fill("#id_password", PASSWORD)
    colleague.click("main button:has-text('注册并加入')")
    colleague.wait_for_url(f"{url}/work/")
    assert "欢迎加入「宁陕县秦岭蜂蜜专业合作社」" in colleague.inner_text(".messages")
    shot(colleague, "join-08-joined")

    # The administrator sees the colleague and makes them an administrator too.
    page.goto(f"{url}/work/members/")
    row = page.locator("#members li", has_text="helper@example.com")
    row.locator("button:has-text('设为管理员')").click()
    assert "现在是管理员" in page.inner_text(".messages")
    shot(page, "join-09-members")
    assert set(Membership.objects.filter(organization=application.organization)
               .values_list("user__email", "role")) == {("farmer@example.com", "admin"),
                                                         ("helper@example.com", "admin")}
