"""Fixtures of the statistics tests: the persimmon cooperative's county (渑池) with a
paying buyer, a live broadcast, a regional brand, a county official and a second county
whose figures the official must not see."""

from __future__ import annotations

from urllib.request import urlopen

import pytest
from django.core.cache import cache

from catalog.models import Pavilion
from shop import services as shop_services
from shop.models import Order
from county_statistics import services
from tests.brand.conftest import authority, authority_user, brand  # noqa: F401 - fixtures
from tests.factories import SERVICE_ADDRESS, make_member, make_org
from tests.livestream.conftest import broadcast, host, host_user, item, studio  # noqa: F401


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures of one test never reach another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what a block schedules for after its commit (the rollup tasks), as a real
    commit would; tasks run inline (no broker in tests)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def other_pavilion(db):
    return Pavilion.objects.create(name="泽库特色馆", slug="zeku", county="泽库县",
                                   province="青海省", regional_brand_name="泽库牦牛")


@pytest.fixture
def official(pavilion):
    org = make_org("渑池县商务局", "mianchi-commerce")
    user = make_member(org, "official@example.com")
    services.appoint_official(user, pavilion, title="电子商务进农村办公室")
    return user


@pytest.fixture
def other_official(other_pavilion):
    org = make_org("泽库县商务局", "zeku-commerce")
    user = make_member(org, "zeku-official@example.com")
    services.appoint_official(user, other_pavilion)
    return user


def place_order(variant, shipping, quantity=1, method="post", address=None):
    checkout = shop_services.create_checkout(
        "default", email="buyer@example.com", shipping_address=address or SERVICE_ADDRESS,
        lines=[{"variant_id": variant.pk, "quantity": quantity}])
    shop_services.update_checkout_delivery_method(checkout, shipping[method].pk)
    return shop_services.complete_checkout(checkout.token)


@pytest.fixture
def pay(alipay_gateway):
    """Pay an order at the local Alipay gateway: the buyer opens the signed cashier URL,
    pays, and the gateway's signed notice goes through the shop's notice handling."""

    def pay(order: Order) -> Order:
        _payment, url = shop_services.start_payment(order)
        assert urlopen(url).status == 200
        params = alipay_gateway.pay(order.payments.get(status="pending").out_trade_no)
        assert shop_services.handle_alipay_notice(params) == "accepted"
        order.refresh_from_db()
        return order

    return pay
