"""Fixtures of the workbench tests: a member's browser session (Django's test client)."""

from __future__ import annotations

import pytest
from django.test import Client

from brand import services as brand_services
from brand.models import RegionalBrand
from shop.models import Organization
from tests.factories import make_member, make_org
from tests.workbench.browsing import phone  # noqa: F401 - fixture


@pytest.fixture
def coop_client(coop_user):
    client = Client()
    client.force_login(coop_user)
    return client


@pytest.fixture
def other_client(other_coop_user):
    client = Client()
    client.force_login(other_coop_user)
    return client


# The brand authority's side: the Mianchi office, its reviewer and their brand -----------

@pytest.fixture
def authority(db):
    return make_org("渑池县农产品区域公用品牌管理办公室", "mianchi-brand-office",
                    Organization.Kind.BRAND_AUTHORITY)


@pytest.fixture
def authority_user(authority):
    return make_member(authority, "reviewer@example.com")


@pytest.fixture
def authority_client(authority_user):
    client = Client()
    client.force_login(authority_user)
    return client


@pytest.fixture
def brand(authority, category, pavilion):
    brand = RegionalBrand.objects.create(
        name="仰韶彩陶坊", slug="yangshao", code="MC", county="渑池县", authority=authority,
        pavilion=pavilion, default_label_quota=1000)
    brand_services.set_brand_category(brand, category.parent, standard="柿饼：含水量≤35%")
    return brand


@pytest.fixture
def operator_client(operator_user):
    client = Client()
    client.force_login(operator_user)
    return client
