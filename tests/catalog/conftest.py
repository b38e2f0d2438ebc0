"""Fixtures of the catalogue's mutation tests."""

import pytest

from shop.models import Channel
from tests.factories import gid


@pytest.fixture
def wholesale(db):
    """A second channel in which the fixture products are not listed."""
    return Channel.objects.create(slug="wholesale", name="批发", currency_code="CNY")


@pytest.fixture
def create_input(coop, product_type, category):
    return {
        "productType": gid("ProductType", product_type.pk),
        "category": gid("Category", category.pk),
        "name": "渑池牛心柿饼",
        "slug": "niuxin-shibing",
        "description": ('{"blocks": [{"type": "paragraph", '
                        '"data": {"text": "霜降后采摘，自然晾晒。"}}]}'),
        "attributes": [{"slug": "origin", "values": ["河南渑池"]}],
    }
