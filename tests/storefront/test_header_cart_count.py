"""The header's cart count of a signed-in shopper follows a cart made elsewhere: a shopper
whose session names no cart, who creates one through the GraphQL API (an app, another
device), sees its count on the very next shop page, stored or rendered, without opening
the cart first; another shopper's new cart changes nothing for them. Through the real
pages (Django's test client) and the real ``/graphql/`` view."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from shop.models import User
from tests.clients import GraphQLClient
from tests.factories import gid

pytestmark = pytest.mark.django_db

CREATE = """mutation($input: CheckoutCreateInput!) { checkoutCreate(input: $input) {
  checkout { id quantity } errors { field code } } }"""
ADD = """mutation($id: ID, $lines: [CheckoutLineInput!]!) { checkoutLinesAdd(id: $id,
  lines: $lines) { checkout { quantity } errors { field code } } }"""
COUNT = re.compile(r'<span class="count">(\d+)</span>')


def header_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    found = COUNT.findall(response.content.decode())
    assert len(found) <= 1
    return int(found[0]) if found else 0


def signed_in(email, name) -> tuple[User, Client]:
    user = User.objects.create_user(email, "a-Strong-pass-123", first_name=name)
    client = Client()
    client.force_login(user)
    return user, client


def create_cart(user, variant, quantity) -> str:
    lines = [{"variantId": gid("ProductVariant", variant.pk), "quantity": quantity}]
    created = GraphQLClient(user).data(CREATE, {"input": {"channel": "default",
                                                          "lines": lines}})["checkoutCreate"]
    assert created["errors"] == [] and created["checkout"]["quantity"] == quantity
    return created["checkout"]["id"]


def test_a_cart_created_through_the_api_counts_on_the_next_page(persimmon):
    variant = persimmon.variants.get(sku="mianchi-shibing-1")
    product = f"/product/{persimmon.slug}/"
    user, client = signed_in("jia@example.com", "甲君")
    other, other_client = signed_in("yi@example.com", "乙君")
    # No cart yet: no count, on a page rendered and on the same page served stored.
    for url in ("/", "/", product, product):
        assert header_count(client, url) == 0
        assert header_count(other_client, url) == 0

    # Another shopper's new cart is not this shopper's.
    create_cart(other, variant, 3)
    assert header_count(client, "/") == 0
    assert header_count(other_client, "/") == 3

    # This shopper's own cart, made through the API: counted on the next page, without
    # the cart page having been opened.
    cart = create_cart(user, variant, 2)
    assert header_count(client, "/") == 2
    assert header_count(client, product) == 2
    assert header_count(client, "/") == 2  # and so it stays

    # Changed through the API again: the next page follows.
    added = GraphQLClient(user).data(ADD, {"id": cart, "lines": [
        {"variantId": gid("ProductVariant", variant.pk), "quantity": 1}]})["checkoutLinesAdd"]
    assert added["errors"] == [] and added["checkout"]["quantity"] == 3
    assert header_count(client, product) == 3
    assert header_count(other_client, product) == 3
    # The cart page shows the same cart.
    assert 'value="3"' in client.get("/cart/").content.decode()

