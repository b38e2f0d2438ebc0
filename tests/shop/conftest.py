"""Fixtures of the checkout, order and payment tests: shipping methods (邮政, 顺丰), a
delivery address in 渑池, a checkout ready to complete, and the local Alipay gateway."""

from __future__ import annotations

import base64
from decimal import Decimal

import pytest

from shop import services
from shop.models import ShippingMethod, ShippingRate, ShippingZone
from tests.shop.alipay_gateway import LocalAlipayGateway, new_key_pair

APP_ID = "2021000000000001"

ADDRESS = {
    "firstName": "王小明", "lastName": "", "streetAddress1": "仰韶路 12 号",
    "city": "三门峡市", "cityArea": "渑池县", "countryArea": "河南省",
    "postalCode": "472400", "phone": "13812345678", "country": "CN",
}
SERVICE_ADDRESS = {"first_name": "王小明", "street_address_1": "仰韶路 12 号", "city": "三门峡市",
                   "city_area": "渑池县", "country_area": "河南省", "postal_code": "472400",
                   "phone": "13812345678"}


def gid(type_name: str, pk) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


@pytest.fixture
def shipping(channel):
    """邮政: 8 元 first kg + 2/kg, free from 99 元; remote provinces 15 + 6.
    顺丰: 12 + 5, remote 25 + 10 (at most 20 kg), never free."""
    everywhere = ShippingZone.objects.create(name="全国", channel=channel, is_default=True)
    remote = ShippingZone.objects.create(name="偏远地区", channel=channel,
                                         provinces=["西藏自治区", "新疆维吾尔自治区", "青海省"])
    post = ShippingMethod.objects.create(channel=channel, name="中国邮政", carrier="ems",
                                         free_shipping_threshold=Decimal("99.00"))
    sf = ShippingMethod.objects.create(channel=channel, name="顺丰速运", carrier="sf")
    ShippingRate.objects.create(method=post, zone=everywhere, first_price=8, additional_price=2)
    ShippingRate.objects.create(method=post, zone=remote, first_price=15, additional_price=6)
    ShippingRate.objects.create(method=sf, zone=everywhere, first_price=12, additional_price=5)
    ShippingRate.objects.create(method=sf, zone=remote, first_price=25, additional_price=10,
                                max_weight=20)
    return {"post": post, "sf": sf}


@pytest.fixture
def variant(persimmon):
    """The 39.90 元 grade of 渑池柿饼 (10 in stock)."""
    return persimmon.variants.get(sku="mianchi-shibing-1")


def ready_checkout(channel, variant, shipping, quantity=1, user=None, email="buyer@example.com",
                   method="post"):
    """A checkout with lines, e-mail, address and shipping method, through the services."""
    checkout = services.create_checkout(
        channel.slug, user=user, email=email,
        lines=[{"variant_id": variant.pk, "quantity": quantity}],
        shipping_address=SERVICE_ADDRESS)
    return services.update_checkout_delivery_method(checkout, shipping[method].pk)


@pytest.fixture(scope="session")
def app_keys():
    return new_key_pair()


@pytest.fixture
def alipay_gateway(settings, app_keys):
    """The local gateway, and settings pointing the SDK at it with test keys."""
    private, public = app_keys
    gateway = LocalAlipayGateway(APP_ID, public)
    settings.ALIPAY_APP_ID = APP_ID
    settings.ALIPAY_PRIVATE_KEY = private
    settings.ALIPAY_PUBLIC_KEY = gateway.public_key
    settings.ALIPAY_GATEWAY_URL = gateway.url
    yield gateway
    gateway.close()
