"""The storefront's pages through the real views (Django's test client): what a shopper
sees, the errors next to the fields, nothing lost from the cart, who may open an order,
page weight, and a listing's SQL queries not growing with its size."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shop import services as shop_services
from shop.models import Checkout, Order
from tests.factories import SERVICE_ADDRESS as ADDRESS
from tests.factories import make_product, remember

pytestmark = pytest.mark.django_db
HTML_LIMIT = 60 * 1024
TRANSFER_LIMIT = 300 * 1024


def add(client, product, variant, quantity=1, **extra):
    return client.post(f"/product/{product.slug}/",
                       {"variant": variant.pk, "quantity": quantity, **extra})


def static_bytes() -> int:
    return sum(len(open(finders.find(f"storefront/{name}"), "rb").read())
               for name in ("site.css", "site.js"))


def test_browsing_pages_are_chinese_light_and_link_thumbnails(client, persimmon):
    pages = ["/", "/p/mianchi/", "/c/dried-persimmon/", "/search/?q=柿饼",
             f"/product/{persimmon.slug}/", "/cart/", "/orders/", "/account/sign-in/",
             "/account/register/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="zh-hans">' in html and "特色馆" in html
        assert len(response.content) < HTML_LIMIT, url
        assert len(response.content) + static_bytes() < TRANSFER_LIMIT, url
    html = client.get("/search/?q=柿饼").content.decode()
    assert "渑池柿饼" in html and "共 1 件商品" in html
    html = client.get(f"/product/{persimmon.slug}/").content.decode()
    assert "¥39.90" in html and "¥58.00" in html and "库存 10 件" in html
    assert "渑池县果园柿饼专业合作社" in html  # the producer


def test_type_ahead_uses_the_api_suggestions(client, persimmon):
    data = client.get("/search/suggest/", {"q": "shib"}).json()
    assert data["suggestions"] == [{"text": "渑池柿饼", "url": f"/product/{persimmon.slug}/"}]
    assert client.get("/search/suggest/", {"q": ""}).json() == {"suggestions": []}


def test_unpublished_products_stay_hidden(client, millet_draft):
    assert client.get(f"/product/{millet_draft.slug}/").status_code == 404
    assert "仰韶小米" not in client.get("/search/?q=小米").content.decode()


def test_too_long_search_is_explained(client, channel):
    response = client.get("/search/", {"q": "米" * 101})
    assert response.status_code == 200 and "100" in response.content.decode()


def test_category_filters_and_sorting(client, coop, product_type, category, channel, pavilion):
    make_product(coop, product_type, category, channel, "渑池柿饼礼盒", "gift", ["120.00"],
                 pavilion=pavilion)
    make_product(coop, product_type, category, channel, "渑池柿饼散装", "bulk", ["20.00"],
                 pavilion=pavilion, stock=0)
    html = client.get("/c/dried-fruit-nuts/", {"sort": "price"}).content.decode()
    assert html.index("渑池柿饼散装") < html.index("渑池柿饼礼盒")
    html = client.get("/c/dried-fruit-nuts/", {"sort": "-price"}).content.decode()
    assert html.index("渑池柿饼礼盒") < html.index("渑池柿饼散装")
    html = client.get("/c/dried-fruit-nuts/", {"instock": "1"}).content.decode()
    assert "渑池柿饼礼盒" in html and "渑池柿饼散装" not in html
    html = client.get("/c/dried-fruit-nuts/", {"max": "50"}).content.decode()
    assert "渑池柿饼散装" in html and "渑池柿饼礼盒" not in html


def test_listing_queries_do_not_grow_with_the_page(client, coop, product_type, category,
                                                   channel, pavilion):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/c/dried-fruit-nuts/").status_code == 200
        return len(queries)

    make_product(coop, product_type, category, channel, "柿饼一", "p1", ["10.00"],
                 pavilion=pavilion)
    few = count()
    for i in range(2, 10):
        make_product(coop, product_type, category, channel, f"柿饼{i}", f"p{i}", ["10.00"],
                     pavilion=pavilion)
    assert count() == few


def test_out_of_stock_quantity_is_refused_next_to_the_field_and_the_cart_kept(client,
                                                                              persimmon):
    cheap, dear = persimmon.variants.order_by("sku")
    assert add(client, persimmon, cheap, 2).status_code == 302
    response = add(client, persimmon, dear, 11)
    assert response.status_code == 400
    assert "库存不足" in response.content.decode()
    checkout = Checkout.objects.get()
    assert list(checkout.lines.values_list("variant_id", "quantity")) == [(cheap.pk, 2)]


def test_a_line_sold_out_meanwhile_is_marked_and_blocks_checkout(client, persimmon, shipping):
    variant = persimmon.variants.order_by("sku").first()
    add(client, persimmon, variant, 3)
    shop_services.set_stock(variant, variant.stocks.first().warehouse, 1)
    html = client.get("/cart/").content.decode()
    assert "仅剩 1 件，请减少数量后继续。" in html and "/checkout/" not in html
    response = client.post("/checkout/", {"step": "address", "email": "a@example.com", **ADDRESS})
    response = client.post("/checkout/", {"step": "pay", "method": shipping["post"].pk})
    assert response.status_code == 400 and "库存不足" in response.content.decode()
    assert Order.objects.count() == 0
    assert Checkout.objects.get().lines.get().quantity == 3  # nothing lost


def test_mistyped_phone_is_shown_next_to_the_field_and_nothing_is_lost(client, persimmon,
                                                                       shipping):
    variant = persimmon.variants.order_by("sku").first()
    add(client, persimmon, variant, 2)
    response = client.post("/checkout/", {"step": "address", "email": "a@example.com",
                                          **ADDRESS, "phone": "1381234567"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_phone-error"' in html and "11 位" in html
    assert 'value="王小明"' in html  # what was typed stays
    checkout = Checkout.objects.get()
    assert checkout.shipping_address is None and checkout.lines.get().quantity == 2


def test_guest_checkout_places_the_order_and_sends_the_shopper_to_alipay(
        client, persimmon, shipping, alipay_gateway):
    variant = persimmon.variants.order_by("sku").first()
    add(client, persimmon, variant, 2)
    assert client.post("/checkout/", {"step": "address", "email": "guest@example.com",
                                      **ADDRESS}).status_code == 302
    html = client.get("/checkout/").content.decode()
    assert "中国邮政 · 包邮" in html or "中国邮政 · ¥8.00" in html  # free from 99 元
    response = client.post("/checkout/", {"step": "pay", "method": shipping["sf"].pk})
    assert response.status_code == 302
    assert response["Location"].startswith(alipay_gateway.url)
    assert "alipay.trade.wap.pay" in response["Location"]
    order = Order.objects.get()
    assert order.user_email == "guest@example.com" and order.status == Order.Status.UNPAID
    price = variant.channel_listings.get().price_amount
    assert order.total_amount == price * 2 + Decimal("12.00")
    assert Checkout.objects.count() == 0
    assert client.get(f"/orders/{order.number}/").status_code == 200
    # A failed or cancelled payment: the order stays payable from its page.
    html = client.get(f"/orders/{order.number}/").content.decode()
    assert "使用支付宝付款" in html
    again = client.post(f"/orders/{order.number}/", {"action": "pay"})
    assert again["Location"].startswith(alipay_gateway.url)
    assert order.payments.count() == 1


def test_payment_return_shows_paid_after_the_notice(client, persimmon, shipping,
                                                    alipay_gateway):
    variant = persimmon.variants.order_by("sku").first()
    add(client, persimmon, variant, 1)
    client.post("/checkout/", {"step": "address", "email": "a@example.com", **ADDRESS})
    location = client.post("/checkout/", {"step": "pay",
                                          "method": shipping["post"].pk})["Location"]
    assert Client().get(location.replace(alipay_gateway.url, "/unused")).status_code == 404
    import urllib.request

    urllib.request.urlopen(location).read()  # the browser opens the cashier
    order = Order.objects.get()
    payment = order.payments.get()
    notice = alipay_gateway.pay(payment.out_trade_no)
    assert Client().post("/alipay/notify/", notice).content == b"success"
    response = client.get("/pay/return/", alipay_gateway.sign_notice(
        {"out_trade_no": payment.out_trade_no, "app_id": "2021000000000001",
         "total_amount": str(payment.amount)}))
    html = response.content.decode()
    assert response.status_code == 200 and "支付成功" in html and "已付款" in html
    forged = client.get("/pay/return/", {"out_trade_no": payment.out_trade_no, "sign": "x"})
    assert forged.status_code == 400 and "无法验证" in forged.content.decode()


def test_expired_cart_and_expired_order(client, persimmon, shipping):
    variant = persimmon.variants.order_by("sku").first()
    add(client, persimmon, variant, 1)
    Checkout.objects.all().delete()  # cleaned up while the shopper was away
    html = client.get("/cart/", follow=True).content.decode()
    assert "购物车已过期" in html
    add(client, persimmon, variant, 2)
    client.post("/checkout/", {"step": "address", "email": "a@example.com", **ADDRESS})
    checkout = Checkout.objects.get()
    shop_services.update_checkout_delivery_method(checkout, shipping["post"].pk)
    order = shop_services.complete_checkout(checkout.token)
    remember(client, order)
    from django.utils import timezone

    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now())
    shop_services.expire_unpaid_orders()
    html = client.get(f"/orders/{order.number}/").content.decode()
    assert "已超过付款时限" in html
    response = client.post(f"/orders/{order.number}/", {"action": "reorder"})
    assert response["Location"] == "/cart/"
    assert Checkout.objects.get().lines.get().quantity == 2


def test_orders_are_private(client, persimmon, shipping, django_user_model):
    variant = persimmon.variants.order_by("sku").first()
    owner = django_user_model.objects.create_user("owner@example.com", "Walnut-2024-xyz")
    checkout = shop_services.create_checkout(
        "default", user=owner, email=owner.email, lines=[{"variant_id": variant.pk,
                                                          "quantity": 1}],
        shipping_address={**ADDRESS, "country": "CN"})
    shop_services.update_checkout_delivery_method(checkout, shipping["post"].pk)
    order = shop_services.complete_checkout(checkout.token, user=owner)
    assert client.get(f"/orders/{order.number}/").status_code == 404  # a stranger
    other = Client()
    other.post("/account/sign-in/", {"email": "owner@example.com", "password": "wrong"})
    assert other.get(f"/orders/{order.number}/").status_code == 404
    response = other.post("/account/sign-in/", {"email": "owner@example.com",
                                                "password": "Walnut-2024-xyz"})
    assert response.status_code == 302
    assert other.get(f"/orders/{order.number}/").status_code == 200
    assert str(order.number) in other.get("/orders/").content.decode()


def test_sign_in_and_registration_errors_are_next_to_the_fields(client, channel):
    response = client.post("/account/sign-in/", {"email": "nobody@example.com",
                                                 "password": "x"})
    assert response.status_code == 400 and 'class="field has-error"' in response.content.decode()
    response = client.post("/account/register/", {"email": "new@example.com", "password": "1"})
    assert response.status_code == 400 and 'id="id_password-error"' in response.content.decode()
    response = client.post("/account/register/", {"email": "new@example.com",
                                                  "password": "Walnut-2024-xyz"})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user.email == "new@example.com"


def test_guest_cart_follows_the_shopper_into_their_account(client, persimmon,
                                                           django_user_model):
    django_user_model.objects.create_user("me@example.com", "Walnut-2024-xyz")
    variant = persimmon.variants.order_by("sku").first()
    add(client, persimmon, variant, 2)
    client.post("/account/sign-in/", {"email": "me@example.com", "password": "Walnut-2024-xyz"})
    checkout = Checkout.objects.get()
    assert checkout.user.email == "me@example.com" and checkout.lines.get().quantity == 2


def test_address_pickers_use_the_division_tree(client):
    cities = client.get("/address/divisions/", {"province": "河南省"}).json()["cities"]
    assert "三门峡市" in cities
    districts = client.get("/address/divisions/", {"province": "河南省",
                                                  "city": "三门峡市"}).json()["districts"]
    assert "渑池县" in districts


def test_pavilion_home_features_only_its_own_county_products(
        client, coop, product_type, category, channel, pavilion, persimmon):
    """A collection featured on 渑池's home may hold other counties' goods too; the 渑池
    page shows only 渑池's, and an unknown pavilion is a 404."""
    from catalog.models import Collection, CollectionChannelListing, CollectionProduct, Pavilion

    ningshan = Pavilion.objects.create(name="宁陕特色馆", slug="ningshan", county="宁陕县")
    honey = make_product(coop, product_type, category, channel, "宁陕土蜂蜜", "ningshan-honey",
                         ["68.00"], pavilion=ningshan)
    gifts = Collection.objects.create(name="年货礼盒", slug="new-year-gifts")
    CollectionChannelListing.objects.create(collection=gifts, channel=channel, is_published=True)
    for order, product in enumerate([honey, persimmon]):
        CollectionProduct.objects.create(collection=gifts, product=product, sort_order=order)
    pavilion.featured_collections.add(gifts)
    ningshan.featured_collections.add(gifts)

    mianchi_page = client.get("/p/mianchi/").content.decode()
    gifts_section = mianchi_page.split("年货礼盒", 1)[1].split("</section>", 1)[0]
    assert "渑池柿饼" in gifts_section and "宁陕土蜂蜜" not in gifts_section
    ningshan_page = client.get("/p/ningshan/").content.decode()
    gifts_section = ningshan_page.split("年货礼盒", 1)[1].split("</section>", 1)[0]
    assert "宁陕土蜂蜜" in gifts_section and "渑池柿饼" not in gifts_section
    assert client.get("/p/nowhere/").status_code == 404
