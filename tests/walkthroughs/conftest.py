"""Fixtures of the walkthroughs (a new user doing their whole job on a phone): the
workbench's phone-sized page (``tests/workbench/browsing.py``), and the brand authority's
reviewer with the county's regional brand that the licensee's and the authority's walks
share."""

import pytest

from brand import services as brand_services
from brand.models import RegionalBrand
from shop.models import Organization
from tests.factories import make_member, make_org
from tests.workbench.browsing import phone  # noqa: F401 - fixture


@pytest.fixture
def reviewer(db):
    office = make_org("渑池县农产品区域公用品牌管理办公室", "mianchi-brand-office",
                      Organization.Kind.BRAND_AUTHORITY)
    return make_member(office, "reviewer@example.com")


@pytest.fixture
def brand(reviewer, category, pavilion):
    brand = RegionalBrand.objects.create(
        name="仰韶彩陶坊", slug="yangshao", code="MC", county="渑池县",
        authority=reviewer.memberships.get().organization, pavilion=pavilion,
        default_label_quota=1000)
    brand_services.set_brand_category(brand, category.parent, standard="柿饼：含水量≤35%")
    return brand
