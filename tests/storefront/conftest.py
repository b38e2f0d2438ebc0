"""Fixtures of the storefront tests: the shop's shipping methods and local Alipay gateway
(from tests/shop), and a shopper's browser session (Django's test client)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.shop.conftest import alipay_gateway, app_keys, shipping  # noqa: F401
from tests.supplychain.conftest import (  # noqa: F401
    base,
    graded_lot,
    grades,
    household,
    packing_run,
    passed_lot,
    sourcing_lot,
)

ADDRESS = {"first_name": "王小明", "phone": "13812345678", "country_area": "河南省",
           "city": "三门峡市", "city_area": "渑池县", "street_address_1": "仰韶路 12 号",
           "postal_code": "472400"}


@pytest.fixture
def browser_client():
    """A shopper's browser: cookies kept, CSRF checked as in production."""
    return Client(enforce_csrf_checks=False)


def remember(client, order):
    """Let a guest's browser (``client``) open ``order``, as if it had placed it."""
    from storefront.services import SESSION_ORDERS

    session = client.session
    session[SESSION_ORDERS] = [*session.get(SESSION_ORDERS, []), order.number]
    session.save()
