"""Fixtures of the brand tests: the Mianchi brand authority, its brand covering dried fruit,
and a licence granted through the services (builders in ``tests/factories.py``)."""

from __future__ import annotations

import pytest

from brand import services
from brand.models import RegionalBrand
from shop.models import Organization
from tests.factories import granted, make_member, make_org


@pytest.fixture
def authority(db):
    return make_org("渑池县农产品区域公用品牌管理办公室", "mianchi-brand-office",
                    Organization.Kind.BRAND_AUTHORITY)


@pytest.fixture
def authority_user(authority):
    return make_member(authority, "reviewer@example.com")


@pytest.fixture
def brand(authority, category, pavilion):
    brand = RegionalBrand.objects.create(
        name="仰韶彩陶坊", slug="yangshao", code="MC", county="渑池县", authority=authority,
        pavilion=pavilion, trademark_number="第12345678号", slogan="仰韶故里 好物渑池",
        default_label_quota=1000)
    services.set_brand_category(brand, category.parent, min_grade="一级",
                                standard="柿饼：含水量≤35%")
    return brand


@pytest.fixture
def licence(brand, coop, coop_user, authority_user, persimmon):
    return granted(brand, coop, coop_user, authority_user, products=[persimmon])
