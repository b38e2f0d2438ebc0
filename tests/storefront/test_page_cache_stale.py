"""The stored shop pages against the changes that used to leave them stale, each as a
shopper sees it through the real views: pictures put in a new order, a brand licence
lapsing at midnight (no save happens), the cart changed through the GraphQL API; and a
stored page costs one cache round trip for a visitor with a session and a cart."""

from __future__ import annotations

import io
import threading
from datetime import datetime, time, timedelta

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from catalog import services as catalog_services
from shop.models import Checkout
from tests.factories import gid, make_member
from tests.lapsing import licence_until, set_clock

pytestmark = pytest.mark.django_db

REORDER = """mutation($product: ID!, $media: [ID!]!) {
  productMediaReorder(productId: $product, mediaIds: $media) { errors { field code } } }"""
LINES_ADD = """mutation($id: ID, $lines: [CheckoutLineInput!]!) {
  checkoutLinesAdd(id: $id, lines: $lines) { checkout { quantity } errors { field code } } }"""
LINES_DELETE = """mutation($id: ID, $ids: [ID!]!) {
  checkoutLinesDelete(id: $id, linesIds: $ids) { checkout { quantity } errors { code } } }"""


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        page(client, url)
    return len(captured)


def picture(color) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (240, 240), color).save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def test_pictures_put_in_a_new_order_show_on_the_next_request(
        client, gql_as, coop, persimmon, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    red, blue = (catalog_services.add_product_media(persimmon, picture(color), alt=alt)
                 for color, alt in (((200, 40, 30), "红色柿饼"), ((30, 70, 200), "蓝色柿饼")))
    product_url, listing_url = f"/product/{persimmon.slug}/", "/c/dried-persimmon/"
    for url in (product_url, listing_url):
        page(client, url)
        assert queries_of(client, url) == 0  # stored
    assert f"/thumbnail/{red.pk}/" in page(client, listing_url)
    result = gql_as(make_member(coop, "pictures@example.com")).post(REORDER, {
        "product": gid("Product", persimmon.pk),
        "media": [gid("ProductMedia", blue.pk), gid("ProductMedia", red.pk)]})
    assert result["data"]["productMediaReorder"]["errors"] == []
    # The blue picture is the cover now: first on the product page, the listing's card.
    listing = page(client, listing_url)
    assert f"/thumbnail/{blue.pk}/" in listing and f"/thumbnail/{red.pk}/" not in listing
    product = page(client, product_url)
    assert product.index("蓝色柿饼") < product.index("红色柿饼")


def test_a_brand_licence_lapsing_at_midnight_leaves_the_pages_at_once(client, persimmon,
                                                                      monkeypatch):
    today = timezone.localdate()
    set_clock(monkeypatch, timezone.make_aware(datetime.combine(today, time(23, 58))))
    licence = licence_until(persimmon, today)
    product_url, listing_url = f"/product/{persimmon.slug}/", "/c/dried-persimmon/"
    for url in (product_url, listing_url):
        assert "仰韶彩陶坊" in page(client, url)
        assert queries_of(client, url) == 0  # stored
    assert licence.number in page(client, product_url)
    # Half a minute past midnight: nothing was saved, the licence is simply over.
    set_clock(monkeypatch, timezone.make_aware(
        datetime.combine(today + timedelta(days=1), time(0, 0, 30))))
    for url in (product_url, listing_url):
        html = page(client, url)
        assert "仰韶彩陶坊" not in html and licence.number not in html, url


def test_a_licence_coming_into_force_at_midnight_shows_at_once(client, persimmon,
                                                               monkeypatch):
    today = timezone.localdate()
    set_clock(monkeypatch, timezone.make_aware(datetime.combine(today, time(23, 58))))
    licence = licence_until(persimmon, today + timedelta(days=365))
    licence.valid_from = today + timedelta(days=1)
    licence.save()
    url = f"/product/{persimmon.slug}/"
    assert "仰韶彩陶坊" not in page(client, url)
    assert queries_of(client, url) == 0  # stored
    set_clock(monkeypatch, timezone.make_aware(
        datetime.combine(today + timedelta(days=1), time(0, 0, 30))))
    assert "仰韶彩陶坊" in page(client, url)


def test_the_header_count_follows_a_cart_changed_through_the_api(client, gql, persimmon):
    cheap = persimmon.variants.get(sku="mianchi-shibing-1")
    dear = persimmon.variants.exclude(pk=cheap.pk).get()
    product_url, listing_url = f"/product/{persimmon.slug}/", "/c/dried-persimmon/"
    client.post(product_url, {"variant": cheap.pk, "quantity": 2})
    page(client, product_url)  # the "added" message
    for url in (product_url, listing_url):
        assert '<span class="count">2</span>' in page(client, url)
    # The same cart, changed by a program (another device, a mini program) through the API.
    checkout = gid("Checkout", Checkout.objects.get().token)
    added = gql.data(LINES_ADD, {"id": checkout, "lines": [
        {"variantId": gid("ProductVariant", dear.pk), "quantity": 3}]})["checkoutLinesAdd"]
    assert added["errors"] == [] and added["checkout"]["quantity"] == 5
    for url in (product_url, listing_url):
        assert '<span class="count">5</span>' in page(client, url), url
    lines = list(Checkout.objects.get().lines.values_list("pk", flat=True))
    emptied = gql.data(LINES_DELETE, {"id": checkout, "ids": [
        gid("CheckoutLine", pk) for pk in lines]})["checkoutLinesDelete"]
    assert emptied["errors"] == [] and emptied["checkout"]["quantity"] == 0
    assert 'class="count"' not in page(client, product_url)


@pytest.fixture
def cache_calls(monkeypatch):
    """Counts the calls to the cache (each a round trip to a shared cache)."""
    count = {"n": 0}
    inside = threading.local()

    def counted(method):
        def call(self, *args, **kwargs):
            if getattr(inside, "busy", False):  # get_many calls get itself
                return method(self, *args, **kwargs)
            count["n"] += 1
            inside.busy = True
            try:
                return method(self, *args, **kwargs)
            finally:
                inside.busy = False
        return call

    for name in ("get", "get_many", "set", "add", "incr", "delete", "delete_many", "touch"):
        monkeypatch.setattr(LocMemCache, name, counted(getattr(LocMemCache, name)))
    return count


def test_a_stored_page_costs_one_cache_round_trip_with_a_session_and_a_cart(
        client, persimmon, cache_calls):
    cheap = persimmon.variants.get(sku="mianchi-shibing-1")
    url = f"/product/{persimmon.slug}/"
    client.post(url, {"variant": cheap.pk, "quantity": 2})
    page(client, url)
    page(client, url)
    before = cache_calls["n"]
    with CaptureQueriesContext(connection) as queries:
        html = page(client, url)
    # The versions, the page, the session and the cart's version in one read; no SQL.
    assert cache_calls["n"] - before == 1 and len(queries.captured_queries) == 0
    assert '<span class="count">2</span>' in html
