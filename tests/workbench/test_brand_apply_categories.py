"""The brand application form offers the categories of the brand applied for only: a
渑池 cooperative starts on 渑池's brand and sees its categories, not another county's;
choosing the other brand (in Chromium on a phone) swaps in that brand's categories and
keeps everything already typed and ticked; a category of another brand sent anyway is
refused by name, next to the categories. Through the real pages (Django's test client,
and Playwright driving Debian's Chromium at 390x844); screenshot
``artifacts/screenshots/work/apply-*``."""

from __future__ import annotations

import re

import pytest

from brand import services as brand_services
from brand.models import LicenceApplication, RegionalBrand
from catalog.models import Category
from shop.models import Organization
from tests.factories import make_member, make_org
from tests.workbench.browsing import shot, sign_in


@pytest.fixture
def other_brand(db):
    """息县's brand, first by name, covering grain (粮油)."""
    authority = make_org("息县农业农村局", "xixian-brand", Organization.Kind.BRAND_AUTHORITY)
    make_member(authority, "xixian@example.com")
    brand = RegionalBrand.objects.create(name="中国生态主食厨房", slug="xixian", code="XX",
                                         county="息县", authority=authority)
    brand_services.set_brand_category(
        brand, Category.objects.create(name="粮油", slug="grain-oil"))
    return brand


def choices(response) -> list[str]:
    html = response.content.decode()
    box = html[html.index('name="categories"') - 2000:]
    return re.findall(r'name="categories" value="\d+"[^>]*>\s*([^<]+?)\s*</label>', box)


@pytest.mark.django_db
def test_the_form_offers_the_chosen_brands_categories_and_refuses_another_brands(
        brand, other_brand, coop, coop_client, persimmon, zh_catalogue):
    page = coop_client.get("/work/brand/apply/")
    assert page.status_code == 200
    assert choices(page) == ["干果坚果"]  # 仰韶彩陶坊's, not 息县's 粮油

    page = coop_client.get(f"/work/brand/apply/?brand={other_brand.pk}")
    assert choices(page) == ["粮油"]
    # Choosing a brand in the page asks for its categories only.
    assert 'hx-select="#brand-categories"' in page.content.decode()
    assert 'id="brand-categories"' in page.content.decode()

    # 粮油 sent with 仰韶彩陶坊 (the brand changed without the page reopening): refused.
    grain = Category.objects.get(name="粮油")
    response = coop_client.post("/work/brand/apply/", {
        "brand": brand.pk, "categories": [grain.pk], "estimated_annual_volume_kg": "100",
        "requested_label_quota": "10"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "“粮油”不在“仰韶彩陶坊”的品类范围内，请在列出的品类中选择。" in html
    assert choices(response) == ["干果坚果"]  # shown again with the brand's own
    assert not LicenceApplication.objects.exists()

    # The brand's own category is accepted.
    response = coop_client.post("/work/brand/apply/", {
        "brand": brand.pk, "categories": [persimmon.category.parent_id],
        "estimated_annual_volume_kg": "100", "requested_label_quota": "10"})
    assert response.status_code == 302
    application = LicenceApplication.objects.get()
    assert list(application.categories.values_list("name", flat=True)) == ["干果坚果"]

    # The draft's scope form offers the same, and refuses the other brand's too.
    detail = f"/work/brand/applications/{application.pk}/"
    assert choices(coop_client.get(detail)) == ["干果坚果"]
    response = coop_client.post(detail, {"action": "scope", "categories": [grain.pk],
                                         "estimated_annual_volume_kg": "100",
                                         "requested_label_quota": "10"})
    assert response.status_code == 400
    assert "“粮油”不在“仰韶彩陶坊”的品类范围内" in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_choosing_another_brand_on_a_phone_offers_its_categories(
        live_server, phone, brand, other_brand, coop, coop_user):
    page, url = phone, live_server.url
    sign_in(page, url, coop_user.email, "/work/brand/apply/")
    assert page.locator("#id_brand option:checked").inner_text() == "仰韶彩陶坊"
    categories = page.locator("fieldset", has_text="或整个品类")
    assert categories.locator("label.choice").all_inner_texts() == ["干果坚果"]
    shot(page, "apply-own-brand")
    page.select_option("#id_brand", label="中国生态主食厨房")
    page.wait_for_url(re.compile(rf"/work/brand/apply/\?brand={other_brand.pk}$"))
    assert page.locator("#id_brand option:checked").inner_text() == "中国生态主食厨房"
    assert categories.locator("label.choice").all_inner_texts() == ["粮油"]
    categories.scroll_into_view_if_needed()
    shot(page, "apply-other-brand")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_changing_the_brand_keeps_what_was_typed(
        live_server, phone, brand, other_brand, coop, coop_user, persimmon):
    page, url = phone, live_server.url
    sign_in(page, url, coop_user.email, "/work/brand/apply/")
    page.get_by_label("柿饼").check()
    page.fill("#id_grades", "特级, 一级")
    page.fill("#id_bases", "果园柿子基地")
    page.fill("#id_estimated_annual_volume_kg", "1200.5")
    page.fill("#id_requested_label_quota", "3000")
    page.fill("#id_note", "今年新建冷库")

    categories = page.locator("#brand-categories")
    page.select_option("#id_brand", label="中国生态主食厨房")
    page.wait_for_url(re.compile(rf"/work/brand/apply/\?brand={other_brand.pk}$"))
    categories.get_by_label("粮油").wait_for()
    assert categories.locator("label.choice").all_inner_texts() == ["粮油"]
    # Nothing typed or ticked was lost.
    assert page.input_value("#id_grades") == "特级, 一级"
    assert page.input_value("#id_bases") == "果园柿子基地"
    assert page.input_value("#id_estimated_annual_volume_kg") == "1200.5"
    assert page.input_value("#id_requested_label_quota") == "3000"
    assert page.input_value("#id_note") == "今年新建冷库"
    assert page.get_by_label("柿饼").is_checked()
    assert page.locator("#id_brand option:checked").inner_text() == "中国生态主食厨房"
    categories.scroll_into_view_if_needed()
    shot(page, "apply-brand-changed-keeps-typing")

    # And back: the first brand's categories again, the typing still there.
    page.select_option("#id_brand", label="仰韶彩陶坊")
    categories.get_by_label("干果坚果").wait_for()
    assert page.input_value("#id_note") == "今年新建冷库"

    # Sent, the draft holds what was typed, for the brand chosen last.
    categories.get_by_label("干果坚果").check()
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r"/work/brand/applications/\d+/$"))
    application = LicenceApplication.objects.get()
    assert application.brand == brand
    assert application.grades == "特级, 一级"
    assert application.bases == "果园柿子基地"
    assert str(application.estimated_annual_volume_kg) == "1200.500"
    assert application.requested_label_quota == 3000
    assert application.note == "今年新建冷库"
    assert list(application.products.all()) == [persimmon]
    assert list(application.categories.values_list("name", flat=True)) == ["干果坚果"]
