"""Fixtures shared by every test package: a real PostgreSQL (embedded through pgserver
unless DATABASE_URL is set), a GraphQL client that goes through the real ``/graphql/``
view, a small catalogue with two cooperatives, the shop's shipping methods and local Alipay
gateway, a cooperative's supply chain, and a real Redis and Celery worker for tests about
background work (``tests/background.py``).

The builders behind them are in ``tests/factories.py``; test modules import from there."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from celery._state import _set_task_join_will_block
from django.core.cache import cache
from django.utils import timezone, translation

from brand import services as brand_services
from catalog.models import Attribute, Category, Pavilion, ProductType
from shop import services as shop_services
from shop import throttles
from shop.models import (
    Channel,
    Organization,
    ShippingMethod,
    ShippingRate,
    ShippingZone,
    User,
    Warehouse,
)
from supplychain import services as supplychain_services
from tests.background import celery_worker, redis_url  # noqa: F401 - fixtures
from tests.browser import launch
from tests.clients import GraphQLClient
from tests.factories import (
    SERVICE_ADDRESS,
    VALID_ID_NUMBER,
    draft,
    make_member,
    make_org,
    make_product,
    paid_as_notified,
)
from tests.shop.alipay_gateway import APP_ID, LocalAlipayGateway, new_key_pair
from tests.sms_api import FakeSmsApi
from tests.storefront.alipay_cashier import BrowserAlipayGateway


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Each test starts with a clean slate: wrong passwords or reset mails of earlier tests
    do not lock or silence the shared test accounts."""
    throttles.forget_signin_failures()
    cache.clear()
    # A Celery worker started in this process (a thread pool) marks joining a result as
    # blocking; eager tasks of later tests may wait on results again.
    _set_task_join_will_block(False)


@pytest.fixture
def zh_catalogue():
    """Simplified Chinese active for the test's own code, from the project's catalogue
    (pages are Chinese for visitors anyway; this covers what the test renders itself)."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def gql():
    return GraphQLClient()


@pytest.fixture
def gql_as():
    return GraphQLClient


# The catalogue ----------------------------------------------------------------------------

@pytest.fixture
def channel(db):
    return Channel.objects.get_or_create(
        slug="default", defaults={"name": "特色馆", "currency_code": "CNY"}
    )[0]


@pytest.fixture
def pavilion(db):
    return Pavilion.objects.create(
        name="渑池特色馆", slug="mianchi", county="渑池县", province="河南省",
        regional_brand_name="仰韶彩陶坊",
    )


def _coop_with_warehouse(channel, name, slug, warehouse_name):
    """A cooperative with one warehouse (``<slug>-wh``) that ships in ``channel``."""
    org = make_org(name, slug)
    warehouse = Warehouse.objects.create(name=warehouse_name, slug=f"{slug}-wh",
                                         organization=org)
    warehouse.channels.add(channel)
    return org


@pytest.fixture
def coop(db, channel):
    return _coop_with_warehouse(channel, "渑池县果园柿饼专业合作社", "mianchi-persimmon", "果园仓")


@pytest.fixture
def other_coop(db, channel):
    return _coop_with_warehouse(channel, "渑池县仰韶小米专业合作社", "mianchi-millet", "小米仓")


@pytest.fixture
def coop_user(coop):
    return make_member(coop, "coop@example.com")


@pytest.fixture
def other_coop_user(other_coop):
    return make_member(other_coop, "other@example.com")


@pytest.fixture
def operator_user(db):
    org = make_org("特色馆运营团队", "operator", Organization.Kind.OPERATOR)
    return make_member(org, "operator@example.com")


@pytest.fixture
def product_type(db):
    grade = Attribute.objects.create(name="等级", slug="grade", sort_order=1)
    net = Attribute.objects.create(name="净含量", slug="net-weight", sort_order=2)
    origin = Attribute.objects.create(name="产地", slug="origin", sort_order=3)
    ptype = ProductType.objects.create(name="干果", slug="dried-fruit")
    ptype.product_attributes.add(origin)
    ptype.variant_attributes.add(grade, net)
    return ptype


@pytest.fixture
def category(db):
    root = Category.objects.create(name="干果坚果", slug="dried-fruit-nuts")
    return Category.objects.create(name="柿饼", slug="dried-persimmon", parent=root)


@pytest.fixture
def persimmon(coop, product_type, category, channel, pavilion):
    return make_product(coop, product_type, category, channel, "渑池柿饼", "mianchi-shibing",
                        ["58.00", "39.90"], pavilion=pavilion)


@pytest.fixture
def millet_draft(other_coop, product_type, category, channel):
    return make_product(other_coop, product_type, category, channel, "仰韶小米", "yangshao-millet",
                        ["25.00"], published=False)


@pytest.fixture
def variant(persimmon):
    """The 39.90 元 grade of 渑池柿饼 (10 in stock)."""
    return persimmon.variants.get(sku="mianchi-shibing-1")


# Shipping and payment -----------------------------------------------------------------------

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


@pytest.fixture
def shipping_methods(channel):
    """Only 中国邮政 (8 元 first kg + 2/kg, free from 99 元), for pages with one carrier."""
    everywhere = ShippingZone.objects.create(name="全国", channel=channel, is_default=True)
    post = ShippingMethod.objects.create(channel=channel, name="中国邮政", carrier="ems",
                                         free_shipping_threshold=Decimal("99.00"))
    ShippingRate.objects.create(method=post, zone=everywhere, first_price=8, additional_price=2)
    return {"post": post}


@pytest.fixture
def cashier(settings, app_keys, live_server):
    """The local Alipay gateway with a browser cashier; notices go to the live server."""
    private, public = app_keys
    gateway = BrowserAlipayGateway(APP_ID, public)
    settings.ALIPAY_APP_ID = APP_ID
    settings.ALIPAY_PRIVATE_KEY = private
    settings.ALIPAY_PUBLIC_KEY = gateway.public_key
    settings.ALIPAY_GATEWAY_URL = gateway.url
    settings.ALIPAY_NOTIFY_URL = f"{live_server.url}/alipay/notify/"
    settings.PUBLIC_URL = live_server.url  # links, and where Alipay sends the shopper back
    yield gateway
    gateway.close()


@pytest.fixture
def two_seller_order(channel, persimmon, other_coop, product_type, category, shipping, coop_user):
    """A paid order with a line from each cooperative, bought by a separate shopper
    (``order.shopper``)."""
    millet = make_product(other_coop, product_type, category, channel, "仰韶小米",
                          "yangshao-millet-2", ["25.00"])
    shopper = User.objects.create_user("shopper@example.com", "a-Strong-pass-123")
    checkout = shop_services.create_checkout("default", user=shopper, lines=[
        {"variant_id": persimmon.variants.first().pk, "quantity": 2},
        {"variant_id": millet.variants.first().pk, "quantity": 1}],
        shipping_address=SERVICE_ADDRESS)
    shop_services.update_checkout_delivery_method(checkout, shipping["post"].pk)
    order = paid_as_notified(shop_services.complete_checkout(checkout.token, shopper))
    order.shopper = shopper
    return order


# Browsers -----------------------------------------------------------------------------------

@pytest.fixture
def chromium(monkeypatch):
    """Debian's Chromium through Playwright. Playwright's sync API keeps an event loop on
    this thread; the test's own ORM calls are synchronous, hence the async-unsafe flag."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with launch() as browser:
        yield browser


# A cooperative's supply chain, built through the services -----------------------------------

@pytest.fixture
def household(coop):
    return supplychain_services.create_household(
        coop, head_name="王建国", village="果园村", township="果园乡", id_number=VALID_ID_NUMBER,
        is_poverty_registered=True)


@pytest.fixture
def base(coop):
    base = supplychain_services.create_base(coop, name="果园柿子基地",
                                            location="渑池县果园乡果园村", area_mu=Decimal("120"))
    supplychain_services.add_certification(base, kind="green", number="LB-18-2201",
                                           valid_until=date.today() + timedelta(days=365))
    return base


@pytest.fixture
def grades(persimmon):
    return {
        "特级": supplychain_services.create_grade_standard(
            persimmon, name="特级", rank=1, criteria="单果≥60g，色泽橙红，无破损"),
        "一级": supplychain_services.create_grade_standard(
            persimmon, name="一级", rank=2, criteria="单果≥45g，无破损"),
    }


@pytest.fixture
def sourcing_lot(coop, persimmon, household, base, coop_user):
    return supplychain_services.create_sourcing_lot(
        coop, product=persimmon, household=household, base=base,
        harvested_on=timezone.localdate() - timedelta(days=20), quantity_kg="100",
        unit_price="12.50", user=coop_user)


@pytest.fixture
def passed_lot(sourcing_lot, coop_user):
    supplychain_services.record_inspection(
        sourcing_lot, lab="三门峡市农产品质量检测中心", result="passed",
        inspected_on=timezone.localdate(),
        items=[{"name": "农药残留", "value": "未检出", "passed": True}], user=coop_user)
    return sourcing_lot


@pytest.fixture
def graded_lot(coop, passed_lot, grades, coop_user):
    record = supplychain_services.record_grading(
        coop, inputs=[(passed_lot, "100")],
        outputs=[(grades["特级"], "60"), (grades["一级"], "30")], loss_kg="10", user=coop_user)
    return record.outputs.get(grade=grades["特级"])


@pytest.fixture
def packing_run(graded_lot, persimmon, coop, coop_user):
    variant = persimmon.variants.order_by("sku").first()
    return supplychain_services.create_packing_run(
        graded_lot, variant=variant, warehouse=coop.warehouses.first(), quantity=5,
        net_weight_kg="0.5", user=coop_user)


@pytest.fixture
def trace(packing_run):
    return packing_run.trace_codes.order_by("serial").first()


# The test database ----------------------------------------------------------------------------

@pytest.fixture(scope="session", autouse=True)
def _end_leftover_sessions(django_db_setup, django_db_blocker):
    """Threads of the concurrency tests and the Celery worker can leave a database session
    open; end them so that the test database can be dropped at the end of the run."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def under_review(brand, coop, coop_user, authority_user, persimmon):
    """A brand application sent by the cooperative and taken into review by the authority
    (``brand`` and ``authority_user`` come from the brand and workbench test folders)."""
    application = draft(brand, coop, coop_user, products=[persimmon])
    brand_services.submit_application(application, coop_user)
    brand_services.start_review(application, authority_user, reason="受理")
    return application


@pytest.fixture
def sms_api(settings):
    """The SMS provider's API, served locally (``tests/sms_api.py``), with the invitation's
    and the verification code's templates; a test file needing other templates defines its
    own ``sms_api``."""
    api = FakeSmsApi()
    api.configure(settings, {"member_invitation": "SMS_490001",
                             "verification_code": "SMS_490002"})
    yield api
    api.close()
