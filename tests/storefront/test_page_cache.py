"""The shop's browsing pages served from the cache (``storefront.cache``), through the real
views: a stored page changes on the very next request after each kind of change (price,
stock sold out by an order, unpublishing, collection membership, a broadcast going live),
visitors never see each other's CSRF token, name or cart count, the language switch
gives the other language, and members who see more never share pages with shoppers."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import Collection, CollectionChannelListing
from livestream import services as live_services
from livestream.models import Venue
from shop import services as shop_services
from shop.models import Checkout, User
from storefront import cache as page_cache
from storefront import queries
from storefront import views as storefront_views
from tests.factories import SERVICE_ADDRESS, make_member, make_product

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        page(client, url)
    return len(captured)


def shopper(email, name) -> User:
    return User.objects.create_user(email, "a-Strong-pass-123", first_name=name)


def tokens(html) -> set[str]:
    found = set(TOKEN.findall(html))
    assert found, "the page has a form with a CSRF token"
    return found


def test_a_stored_page_is_served_without_reading_the_catalogue_again(client, persimmon):
    url = f"/product/{persimmon.slug}/"
    first = queries_of(client, url)
    # Stored: no SQL at all for a visitor without a session.
    assert queries_of(client, url) == 0 < first
    # With a session (a cart): none either, the session is read from the cache and the
    # cart count is kept in it.
    cheap = persimmon.variants.get(sku="mianchi-shibing-1")
    client.post(url, {"variant": cheap.pk, "quantity": 2})
    page(client, url)  # the "added" message
    assert queries_of(client, url) == 0
    assert '<span class="count">2</span>' in page(client, url)


def test_a_price_change_shows_on_the_next_request_of_every_page(client, persimmon, channel):
    cheap = persimmon.variants.get(sku="mianchi-shibing-1")
    urls = [f"/product/{persimmon.slug}/", "/c/dried-persimmon/", "/search/?q=柿饼",
            "/p/mianchi/"]
    for url in urls:
        assert "¥39.90" in page(client, url)
    catalog_services.update_variant_channel_listings(
        cheap, [{"channel": channel, "price": Decimal("35.50")}])
    for url in urls:
        html = page(client, url)
        assert "¥35.50" in html and "¥39.90" not in html, url


def test_stock_sold_out_by_an_order_shows_at_once(client, persimmon, channel, shipping,
                                                  django_capture_on_commit_callbacks):
    product_url, listing_url = f"/product/{persimmon.slug}/", "/c/dried-persimmon/"
    assert "已售罄" not in page(client, product_url)
    assert "已售罄" not in page(client, listing_url)
    # Another buyer takes every unit: the stock is taken by SQL (no model signal).
    checkout = shop_services.create_checkout(
        channel.slug, email="buyer@example.com", shipping_address=SERVICE_ADDRESS,
        lines=[{"variant_id": v.pk, "quantity": 10} for v in persimmon.variants.all()])
    checkout = shop_services.update_checkout_delivery_method(checkout, shipping["post"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        order = shop_services.complete_checkout(checkout.token)
    html = page(client, product_url)
    assert "库存 10 件" not in html and html.count("已售罄") >= 2
    assert "已售罄" in page(client, listing_url)
    # In-stock only: the product has left the filtered listing and its count.
    assert "渑池柿饼" not in page(client, listing_url + "?instock=1")
    # The order is cancelled: its units are back on every page at once.
    with django_capture_on_commit_callbacks(execute=True):
        shop_services.cancel_order(order)
    assert "库存 10 件" in page(client, product_url)
    assert "已售罄" not in page(client, listing_url)
    assert "渑池柿饼" in page(client, listing_url + "?instock=1")


def test_units_taken_by_an_order_show_on_the_product_page_at_once(
        client, persimmon, channel, shipping, django_capture_on_commit_callbacks):
    cheap = persimmon.variants.get(sku="mianchi-shibing-1")
    url = f"/product/{persimmon.slug}/"
    assert page(client, url).count("库存 10 件") == 2
    checkout = shop_services.create_checkout(
        channel.slug, email="buyer@example.com", shipping_address=SERVICE_ADDRESS,
        lines=[{"variant_id": cheap.pk, "quantity": 3}])
    checkout = shop_services.update_checkout_delivery_method(checkout, shipping["post"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        shop_services.complete_checkout(checkout.token)
    html = page(client, url)
    assert "库存 7 件" in html and html.count("库存 10 件") == 1


def test_a_stock_count_shows_on_the_next_request(client, persimmon):
    variant = persimmon.variants.get(sku="mianchi-shibing-1")
    url = f"/product/{persimmon.slug}/"
    assert "库存 10 件" in page(client, url)
    shop_services.set_stock(variant, variant.stocks.first().warehouse, 3)
    assert "库存 3 件" in page(client, url)


def test_unpublishing_removes_the_product_at_once(client, persimmon, channel):
    url = f"/product/{persimmon.slug}/"
    page(client, url)
    assert "渑池柿饼" in page(client, "/c/dried-persimmon/")
    catalog_services.update_product_channel_listings(
        persimmon, [{"channel": channel, "is_published": False}], [])
    assert client.get(url).status_code == 404
    assert "渑池柿饼" not in page(client, "/c/dried-persimmon/")
    assert "渑池柿饼" not in page(client, "/search/?q=柿饼")


def test_collection_membership_shows_on_the_pavilion_page(client, persimmon, channel,
                                                         pavilion):
    gifts = Collection.objects.create(name="年货礼盒精选", slug="gifts")
    CollectionChannelListing.objects.create(collection=gifts, channel=channel,
                                            is_published=True)
    pavilion.featured_collections.add(gifts)
    assert "年货礼盒精选" not in page(client, "/p/mianchi/")  # an empty collection is hidden
    gifts.products.add(persimmon)
    assert "年货礼盒精选" in page(client, "/p/mianchi/")
    gifts.products.remove(persimmon)
    assert "年货礼盒精选" not in page(client, "/p/mianchi/")


def test_a_broadcast_going_live_shows_its_live_price_and_is_not_stored(client, persimmon,
                                                                      coop):
    variant = persimmon.variants.get(sku="mianchi-shibing-1")
    host = live_services.create_host(
        user=make_member(coop, "host@example.com"), organization=coop, display_name="柿饼小王",
        birth_date=date(1998, 5, 1), platforms=["douyin"], real_name_verified=True)
    studio = Venue.objects.create(name="电商中心1号直播间", kind="studio")
    start = timezone.now() + timedelta(minutes=10)
    broadcast = live_services.create_broadcast(
        host=host, venue=studio, title="渑池柿饼专场", starts_at=start,
        ends_at=start + timedelta(hours=2), platform="douyin",
        stream_url="https://live.example.com/1")
    live_services.add_lineup_item(broadcast, variant=variant, live_price=Decimal("29.90"),
                                  quantity=5, per_buyer_limit=2)
    url = f"/product/{persimmon.slug}/"
    assert "正在直播销售" not in page(client, url)
    assert "正在直播" not in page(client, "/p/mianchi/")
    live_services.start_broadcast(broadcast)
    html = page(client, url)
    assert "正在直播销售" in html and "直播价" in html and "¥29.90" in html
    assert "正在直播" in page(client, "/p/mianchi/")
    # On air the page is rendered for each request (units left, countdown), never stored.
    assert queries_of(client, url) > 1


def test_visitors_never_see_each_others_token_name_or_cart(persimmon):
    cheap, dear = persimmon.variants.order_by("sku")
    url = f"/product/{persimmon.slug}/"
    visitors = {}
    for email, name, quantity in (("a@example.com", "甲君", 2), ("b@example.com", "乙君", 3)):
        client = Client(enforce_csrf_checks=True)
        client.force_login(shopper(email, name))
        html = page(client, url)
        token = tokens(html).pop()
        assert client.post(url, {"variant": cheap.pk, "quantity": quantity,
                                 "csrfmiddlewaretoken": token}).status_code == 302
        visitors[name] = client
    first, second = page(visitors["甲君"], url), page(visitors["乙君"], url)
    assert '<span class="count">2</span>' in first and "甲君" in first and "乙君" not in first
    assert '<span class="count">3</span>' in second and "乙君" in second and "甲君" not in second
    for html in (first, second):
        assert page_cache.name_placeholder() not in html
        assert page_cache.cart_placeholder() not in html
    (token_a,), (token_b,) = tokens(first), tokens(second)
    assert token_a != token_b
    # Each visitor's token is their own: B's page's token works for B, A's does not.
    b = visitors["乙君"]
    assert b.post(url, {"variant": dear.pk, "quantity": 1,
                        "csrfmiddlewaretoken": token_a}).status_code == 403
    assert b.post(url, {"variant": dear.pk, "quantity": 1,
                        "csrfmiddlewaretoken": token_b}).status_code == 302
    # A guest of the same page: no name, the sign-in link, no cart count.
    guest = page(Client(), url)
    assert "甲君" not in guest and "乙君" not in guest and 'class="count"' not in guest
    assert "/account/sign-in/" in guest and "退出" not in guest


def test_a_guest_cart_count_and_the_added_message_are_the_visitors_own(client, persimmon):
    cheap = persimmon.variants.get(sku="mianchi-shibing-1")
    url = f"/product/{persimmon.slug}/"
    page(Client(), url)  # stored by another visitor
    response = client.post(url, {"variant": cheap.pk, "quantity": 4}, follow=True)
    html = response.content.decode()
    assert "已加入购物车。" in html and '<span class="count">4</span>' in html
    again = page(client, url)
    assert "已加入购物车。" not in again and '<span class="count">4</span>' in again
    assert 'class="count"' not in page(Client(), url)


def test_the_language_switch_gives_the_other_language(client, persimmon, settings):
    product_url = f"/product/{persimmon.slug}/"
    assert "县域特色馆" in page(client, "/") and "库存 10 件" in page(client, product_url)
    # The switch sets the language cookie, which the pages are keyed by.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = page(client, "/")
    assert "County specialty pavilions" in english and "县域特色馆" not in english
    assert "10 in stock" in page(client, product_url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "县域特色馆" in page(client, "/") and "库存 10 件" in page(client, product_url)


def test_members_see_their_unpublished_products_and_never_share_pages(
        client, coop, coop_user, product_type, category, channel, pavilion, persimmon):
    make_product(coop, product_type, category, channel, "柿饼新品", "new-shibing",
                 ["66.00"], published=False, pavilion=pavilion)
    member = Client()
    member.force_login(coop_user)
    url = "/c/dried-persimmon/"
    assert "柿饼新品" not in page(client, url)
    assert "柿饼新品" in page(member, url)
    assert "柿饼新品" not in page(client, url)
    signed_in = Client()
    signed_in.force_login(shopper("c@example.com", "丙君"))
    assert "柿饼新品" not in page(signed_in, url)


def test_facet_counts_are_computed_once_per_change(client, persimmon, channel, monkeypatch):
    computed = []
    real = storefront_views.graph.query

    def counting(request, source, **variables):
        if source == queries.FACETS:
            computed.append(variables)
        return real(request, source, **variables)

    monkeypatch.setattr(storefront_views.graph, "query", counting)
    for url in ("/c/dried-persimmon/", "/c/dried-persimmon/?sort=price",
                "/c/dried-persimmon/?sort=-price", "/c/dried-persimmon/"):
        assert "渑池柿饼" in page(client, url)
    assert len(computed) == 1  # the sorts share the counts; the repeat is a stored page
    cheap = persimmon.variants.get(sku="mianchi-shibing-1")
    catalog_services.update_variant_channel_listings(
        cheap, [{"channel": channel, "price": Decimal("35.50")}])
    page(client, "/c/dried-persimmon/")
    page(client, "/c/dried-persimmon/?sort=price")
    assert len(computed) == 2


def test_the_cart_stays_uncached(client, persimmon):
    cheap = persimmon.variants.get(sku="mianchi-shibing-1")
    client.post(f"/product/{persimmon.slug}/", {"variant": cheap.pk, "quantity": 1})
    assert 'value="1"' in page(client, "/cart/")
    # Changed elsewhere (the API, another tab): the cart page shows it at once, and the
    # header's count follows once the storefront has looked at the cart.
    checkout = Checkout.objects.get()
    shop_services.update_checkout_lines(checkout, [{"variant_id": cheap.pk, "quantity": 5}])
    html = page(client, "/cart/")
    assert 'value="5"' in html and '<span class="count">5</span>' in html
    assert '<span class="count">5</span>' in page(client, f"/product/{persimmon.slug}/")
