"""The Django admin switches tracing only through ``catalog.traced.set_traced``: the box
is read-only, and its actions refuse to stop tracing a product a brand licence in force
names (brand-labelled products are always traced), while other products switch freely."""

from __future__ import annotations

import pytest
from django.test import Client

from catalog.models import Product
from catalog.traced import is_traced
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(django_user_model):
    user = django_user_model.objects.create_superuser(email="root@example.com",
                                                      password="x-Strong-pass-1")
    client = Client()
    client.force_login(user)
    return client


def _act(client, action, *products):
    return client.post("/admin/catalog/product/", {
        "action": action, "_selected_action": [p.pk for p in products]}, follow=True)


def test_the_admin_cannot_untrace_a_brand_product(admin_client, licence, persimmon, coop,
                                                  product_type, category, channel):
    millet = make_product(coop, product_type, category, channel, "仰韶小米", "yangshao-millet",
                          ["20.00"])
    Product.objects.filter(pk=persimmon.pk).update(is_traced=True)

    form = admin_client.get(f"/admin/catalog/product/{persimmon.pk}/change/").content.decode()
    assert 'name="is_traced"' not in form  # shown, not editable

    page = _act(admin_client, "untrace", persimmon).content.decode()
    assert "使用区域公用品牌，品牌商品必须一物一码追溯" in page
    persimmon.refresh_from_db()
    assert persimmon.is_traced and is_traced(persimmon)

    page = _act(admin_client, "trace", millet).content.decode()
    millet.refresh_from_db()
    assert millet.is_traced and "1 个商品已开启追溯" in page
    _act(admin_client, "untrace", millet)
    millet.refresh_from_db()
    assert not millet.is_traced
