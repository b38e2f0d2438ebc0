"""The help pages in plain Chinese, read before anyone has an account: each role's page
at /work/help/<role>/ with the time limits the brands are set up with, the shoppers'
购物帮助 with the shop's own payment and return windows, and the first-steps checklist
that follows the records, not ticks."""

from __future__ import annotations

import pytest

from brand.models import RegionalBrand
from shop.models import Organization, OrganizationApplication, User
from tests.factories import PASSWORD, make_member, make_org
from workbench import first_steps
from workbench.roles import PRODUCER

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role, words", [
    ("producer", ["收购批次", "分等分级", "一物一码"]),
    ("licensee", ["公示", "3月31日", "续期"]),
    ("authority", ["现场核查", "异议"]),
    ("host", ["复盘", "直播价"]),
    ("operator", ["专题", "下架"]),
    ("official", ["网络零售额", "Excel"]),
])
def test_each_roles_help_is_open_to_anyone_in_chinese(client, role, words):
    response = client.get(f"/work/help/{role}/")
    assert response.status_code == 200
    text = response.content.decode()
    for word in words:
        assert word in text


def test_the_licence_path_names_each_brands_own_figures(client, pavilion):
    authority = make_org("宁陕县农业农村局", "ningshan-bureau", "brand_authority")
    RegionalBrand.objects.create(name="宁陕山珍", slug="ningshan", code="NS", county="宁陕县",
                                 authority=authority, notice_days=7, validity_years=2,
                                 default_label_quota=3000)
    text = client.get("/work/help/licensee/").content.decode()
    assert "至少 7 天" in text and "宁陕山珍" in text and "2 年" in text and "3000" in text


def test_an_unknown_role_has_no_help_page(client):
    assert client.get("/work/help/nobody/").status_code == 404


def test_shopping_help_states_the_shops_own_windows(client, settings):
    settings.RETURN_WINDOW_DAYS = 15
    settings.ORDER_UNPAID_EXPIRY_MINUTES = 20
    text = client.get("/help/").content.decode()
    assert "签收后 15 天内" in text and "20 分钟内用支付宝付款" in text


def test_the_checklist_follows_the_records(coop, household):
    checklist = first_steps.producer_steps(coop)
    assert checklist.role == PRODUCER and checklist.done_count == 1
    assert checklist.next_step.url == "/work/products/new/"
    household.delete()
    assert first_steps.producer_steps(coop).done_count == 0
    empty = make_org("新合作社", "new-coop")
    make_member(empty, "new@example.com")
    assert first_steps.producer_steps(empty).done_count == 0


def test_someone_waiting_for_the_operators_is_told_so_not_to_apply_again(client, db):
    user = User.objects.create_user("applicant@example.com", PASSWORD)
    organization = make_org("仰韶新合作社", "yangshao-new")
    Organization.objects.filter(pk=organization.pk).update(is_active=False)
    OrganizationApplication.objects.create(organization=organization, applicant=user,
                                           credit_code="93411221MA44XY120P",
                                           licence_photo="private/join-licences/x.png")
    client.force_login(user)
    response = client.get("/work/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "正在由运营团队审核" in text and "查看我的申请" in text
    assert "申请入驻特色馆" not in text
