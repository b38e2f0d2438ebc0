"""Operators keep promo codes, pages, menus and translations in the admin."""

from decimal import Decimal

import pytest
from django.test import Client

from content.models import Page, PageTranslation, PageType
from shop.models import User
from shop.vouchers import Voucher

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    user = User.objects.create_superuser("root@example.com", "a-long-password-3")
    client = Client()
    client.force_login(user)
    return client


def test_promo_codes_pages_and_translations_in_the_admin(admin_client):
    Voucher.objects.create(code="LIVE20", name="直播间满100减20", discount_value=Decimal("20"))
    vouchers = admin_client.get("/admin/shop/voucher/")
    assert vouchers.status_code == 200 and "LIVE20" in vouchers.content.decode()

    created = admin_client.post("/admin/shop/voucher/add/", {
        "code": "NIANHUO10", "name": "年货节九折", "discount_type": "percentage",
        "discount_value": "10", "currency": "CNY", "start_date_0": "2026-01-01",
        "start_date_1": "00:00:00", "is_active": "on",
        "customers-TOTAL_FORMS": "0", "customers-INITIAL_FORMS": "0"})
    assert created.status_code == 302
    assert Voucher.objects.get(code="NIANHUO10").discount_type == "percentage"

    page = Page.objects.create(page_type=PageType.objects.create(name="故事", slug="story"),
                               title="品牌故事", slug="brand-story", content="特色馆")
    changed = admin_client.post(f"/admin/content/page/{page.pk}/change/", {
        "page_type": page.page_type_id, "title": "品牌故事", "slug": "brand-story",
        "content": "特色馆", "is_published": "on", "created_at_0": "2026-01-01",
        "created_at_1": "00:00:00",
        "translations-TOTAL_FORMS": "1", "translations-INITIAL_FORMS": "0",
        "translations-0-language_code": "en", "translations-0-title": "Our story",
        "translations-0-slug": "our-story", "translations-0-name": ""})
    assert changed.status_code == 302, changed.content.decode()[:2000]
    assert PageTranslation.objects.get(page=page).title == "Our story"
    assert admin_client.get("/admin/content/producttranslation/").status_code == 200
