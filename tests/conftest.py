"""Shared fixtures: a real PostgreSQL (embedded through pgserver unless DATABASE_URL is
set), a GraphQL client that goes through the real ``/graphql/`` view, and a small
catalogue with two cooperatives."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from catalog import services as catalog_services
from catalog.models import Attribute, Category, Pavilion, ProductType
from shop import services as shop_services
from shop.models import Channel, Membership, Organization, User, Warehouse


class GraphQLClient:
    """Posts GraphQL documents to ``/graphql/`` like a real client (JSON or multipart)."""

    def __init__(self, user: User | None = None, language: str = "en"):
        self.client = Client()
        self.token = shop_services.create_access_token(user) if user else None
        self.language = language

    def headers(self):
        headers = {"HTTP_ACCEPT_LANGUAGE": self.language}
        if self.token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        return headers

    def post(self, query: str, variables: dict | None = None) -> dict:
        response = self.client.post(
            "/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **self.headers(),
        )
        assert response.status_code in (200, 400, 401), response.content[:500]
        return response.json()

    def post_multipart(self, query: str, variables: dict, files: dict) -> dict:
        """GraphQL multipart request spec: ``files`` maps a variable path to a file."""
        file_map = {str(i): [f"variables.{path}"] for i, path in enumerate(files)}
        data = {
            "operations": json.dumps({"query": query, "variables": variables}),
            "map": json.dumps(file_map),
        }
        for i, upload in enumerate(files.values()):
            data[str(i)] = upload
        response = self.client.post("/graphql/", data=data, **self.headers())
        assert response.status_code in (200, 400, 401), response.content[:500]
        return response.json()

    def data(self, query: str, variables: dict | None = None) -> dict:
        """The ``data`` of a request that must succeed without GraphQL errors."""
        result = self.post(query, variables)
        assert not result.get("errors"), result["errors"]
        return result["data"]


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


def make_org(name, slug, kind=Organization.Kind.COOPERATIVE):
    return Organization.objects.create(name=name, slug=slug, kind=kind, county="渑池县")


def make_member(org, email, role=Membership.Role.ADMIN):
    user = User.objects.create_user(email, "a-Strong-pass-123")
    Membership.objects.create(user=user, organization=org, role=role)
    return user


@pytest.fixture
def coop(db, channel):
    org = make_org("渑池县果园柿饼专业合作社", "mianchi-persimmon")
    warehouse = Warehouse.objects.create(name="果园仓", slug="mianchi-persimmon-wh",
                                         organization=org)
    warehouse.channels.add(channel)
    return org


@pytest.fixture
def other_coop(db, channel):
    org = make_org("渑池县仰韶小米专业合作社", "mianchi-millet")
    warehouse = Warehouse.objects.create(name="小米仓", slug="mianchi-millet-wh",
                                         organization=org)
    warehouse.channels.add(channel)
    return org


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


def make_product(org, ptype, category, channel, name, slug, prices, published=True,
                 pavilion=None, stock=10):
    """A product with one variant per price, listed (or not) in ``channel``."""
    product = catalog_services.create_product(
        org, ptype, name=name, slug=slug, category=category, pavilion=pavilion,
        attributes=[{"slug": "origin", "values": ["河南渑池"]}],
        description=f"{name}，产自渑池。",
    )
    catalog_services.update_product_channel_listings(
        product, [{"channel": channel, "is_published": published}], []
    )
    warehouse = org.warehouses.first()
    for i, price in enumerate(prices):
        variant = catalog_services.create_variant(
            product, sku=f"{slug}-{i}", name=f"{['特级', '一级', '二级'][i % 3]} 500g",
            attributes=[{"slug": "grade", "values": [["特级", "一级", "二级"][i % 3]]}],
        )
        catalog_services.update_variant_channel_listings(
            variant, [{"channel": channel, "price": Decimal(price)}]
        )
        if warehouse is not None:
            shop_services.set_stock(variant, warehouse, stock)
    return product


@pytest.fixture
def persimmon(coop, product_type, category, channel, pavilion):
    return make_product(coop, product_type, category, channel, "渑池柿饼", "mianchi-shibing",
                        ["58.00", "39.90"], pavilion=pavilion)


@pytest.fixture
def millet_draft(other_coop, product_type, category, channel):
    return make_product(other_coop, product_type, category, channel, "仰韶小米", "yangshao-millet",
                        ["25.00"], published=False)


# Real Redis and a real Celery worker for tests about background work.
from tests.background import celery_worker, redis_url  # noqa: E402,F401


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
