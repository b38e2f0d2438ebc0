"""The "open in the browser" link of a guest's order (WeChat cannot open Alipay) lets any
browser pay the order and follow it, but a link forwarded or seen over a shoulder must not
tell where the buyer lives: there the order page masks the street, the recipient and the
mobile number, while the browser that placed the order still reads them."""

from __future__ import annotations

import pytest
from django.test import Client

from shop.models import Order
from tests.clients import WECHAT_UA
from tests.factories import SERVICE_ADDRESS as ADDRESS

pytestmark = pytest.mark.django_db
PHONE_UA = ("Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/116.0.0.0 Mobile Safari/537.36")


def test_the_resume_link_shows_the_order_with_its_address_masked(
        persimmon, shipping, alipay_gateway, zh_catalogue):
    wechat = Client(HTTP_USER_AGENT=WECHAT_UA)
    variant = persimmon.variants.order_by("sku").first()
    wechat.post(f"/product/{persimmon.slug}/", {"variant": variant.pk, "quantity": 1})
    wechat.post("/checkout/", {"step": "address", "email": "wx@example.com", **ADDRESS})
    link = wechat.post("/checkout/", {"step": "pay", "method": shipping["post"].pk})["Location"]
    assert link.startswith("/pay/open/")
    order = Order.objects.get()

    # The session that placed the order reads the whole address.
    own = wechat.get(f"/orders/{order.number}/").content.decode()
    assert "仰韶路 12 号" in own and "13812345678" in own and "王小明" in own

    # Another browser with the link: on to Alipay, and the order page keeps the region
    # (the buyer recognises the order) but not the street, the name or the number.
    browser = Client(HTTP_USER_AGENT=PHONE_UA)
    assert browser.get(link)["Location"].startswith(alipay_gateway.url)
    page = browser.get(f"/orders/{order.number}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "河南省三门峡市渑池县" in html and "138****5678" in html
    for secret in ("仰韶路", "13812345678", "王小明", "wx@example.com"):
        assert secret not in html
    # Opening the link again (after paying, say) changes nothing.
    browser.get(link)
    assert "仰韶路" not in browser.get(f"/orders/{order.number}/").content.decode()
    # The WeChat session that placed it is not masked by having opened its own link.
    wechat.get(link)
    assert "仰韶路 12 号" in wechat.get(f"/orders/{order.number}/").content.decode()
