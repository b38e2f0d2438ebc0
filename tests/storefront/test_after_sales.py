"""After-sales on the storefront's order page (Django's test client): the buyer opens the
申请售后 form, is told what is missing and keeps what they typed, sends photos, and reads
the seller's answer; a guest asks from the browser that placed the order; nobody else
sees the form or can post it."""

from __future__ import annotations

import pytest
from django.test import Client

from shop import services as shop_services
from shop.models import User
from shop.returns import ReturnRequest
from shop.services import returns as return_services
from storefront.services import SESSION_ORDERS
from tests import after_sales
from tests.after_sales import pay, photo, ship
from tests.factories import PASSWORD, ready_checkout

pytestmark = pytest.mark.django_db

# The shared fixtures (tests/after_sales.py).
buyer, shipped = after_sales.buyer, after_sales.shipped


def _browser(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    return client


def _ask_button(coop) -> str:
    return f'<summary class="button">向{coop.name}申请售后</summary>'


def _form(order, coop, **fields):
    line = order.lines.get()
    return {"action": "after_sales", "seller": coop.pk, f"qty_{line.pk}": "1", **fields}


def test_the_buyer_asks_is_told_what_is_missing_and_reads_the_answer(
        shipped, buyer, coop, coop_user, alipay_gateway):
    order, browser = shipped, _browser(buyer)
    page = browser.get(f"/orders/{order.number}/").content.decode()
    assert _ask_button(coop) in page
    assert 'name="photos"' in page and "七天无理由退货" in page

    refused = browser.post(f"/orders/{order.number}/", _form(
        order, coop, type="refund_only", reason="damaged", note="外包装压坏，柿饼碎了"),
        follow=True)
    page = refused.content.decode()
    assert "请上传问题照片" in page
    assert "外包装压坏，柿饼碎了" in page  # what was typed comes back in the reopened form
    assert "<details class=\"after-sales-form\" open>" in page
    assert not ReturnRequest.objects.exists()

    sent = browser.post(f"/orders/{order.number}/", _form(
        order, coop, type="refund_only", reason="damaged", note="外包装压坏，柿饼碎了",
        photos=[photo(), photo("second.png", fmt="PNG")]), follow=True)
    page = sent.content.decode()
    assert "申请已提交给卖家" in page
    request = ReturnRequest.objects.get()
    assert (request.type, request.reason, request.photos.count()) == ("refund_only", "damaged", 2)
    assert "等待卖家处理" in page and "¥39.90" in page
    assert _ask_button(coop) not in page  # one open request per seller
    assert page.count('alt="您的照片"') == 2

    return_services.approve_return_request(request, coop, user=coop_user)
    page = browser.get(f"/orders/{order.number}/").content.decode()
    assert "已退款 ¥39.90 至您的支付宝账户" in page


def test_a_refusal_is_shown_with_its_reason_and_the_form_is_offered_again(
        shipped, buyer, coop, coop_user):
    order, browser = shipped, _browser(buyer)
    browser.post(f"/orders/{order.number}/", _form(order, coop, type="return_and_refund",
                                                   reason="no_reason"))
    request = ReturnRequest.objects.get()
    return_services.refuse_return_request(request, coop, user=coop_user,
                                          reason="已超过七天无理由退货的包装要求")
    page = browser.get(f"/orders/{order.number}/").content.decode()
    assert "卖家拒绝：已超过七天无理由退货的包装要求" in page
    assert _ask_button(coop) in page


def test_the_return_address_is_shown_once_the_seller_approves(shipped, buyer, coop, coop_user):
    coop.address = "渑池县仰韶路 8 号"
    coop.save()
    order, browser = shipped, _browser(buyer)
    browser.post(f"/orders/{order.number}/", _form(order, coop, type="return_and_refund",
                                                   reason="quality", note="有霉点"))
    request = ReturnRequest.objects.get()
    return_services.approve_return_request(request, coop, user=coop_user)
    page = browser.get(f"/orders/{order.number}/").content.decode()
    assert "请将商品寄至 渑池县仰韶路 8 号" in page and "等待买家退回商品" in page
    assert "我已寄回商品" in page

    # The buyer gives the parcel's tracking number; the cooperative reads it.
    sent = browser.post(f"/orders/{order.number}/", {
        "action": "after_sales", "return_request": request.pk, "carrier": "中国邮政",
        "tracking_number": "EMS9876543210CN"}, follow=True).content.decode()
    assert "卖家现在可以跟踪退货包裹了" in sent
    assert "已通过中国邮政寄回，运单号 EMS9876543210CN" in sent
    seller = _browser(coop_user)
    detail = seller.get(f"/work/orders/after-sales/{request.pk}/").content.decode()
    assert "已通过中国邮政寄回，运单号 EMS9876543210CN" in detail


def test_a_guest_asks_from_the_browser_that_placed_the_order(
        channel, variant, shipping, coop, coop_user, alipay_gateway):
    checkout = ready_checkout(channel, variant, shipping, quantity=1, email="guest@example.com")
    order = ship(pay(shop_services.complete_checkout(checkout.token, None), alipay_gateway),
                 coop, coop_user)
    guest = _browser()
    session = guest.session
    session[SESSION_ORDERS] = [order.number]
    session.save()
    answer = guest.post(f"/orders/{order.number}/", _form(order, coop, type="return_and_refund",
                                                          reason="not_as_described"))
    assert answer.status_code == 302
    assert ReturnRequest.objects.get().user is None

    # Another browser, another shopper and a seller of the goods cannot post the form.
    stranger = User.objects.create_user("stranger@example.com", PASSWORD)
    for client in (_browser(), _browser(stranger), _browser(coop_user)):
        assert client.post(f"/orders/{order.number}/", _form(
            order, coop, type="return_and_refund", reason="quality")).status_code == 404
    assert ReturnRequest.objects.count() == 1


def test_before_shipping_the_whole_order_is_asked_back(channel, variant, shipping, buyer, coop,
                                                       alipay_gateway):
    checkout = ready_checkout(channel, variant, shipping, quantity=2, user=buyer)
    order = pay(shop_services.complete_checkout(checkout.token, buyer), alipay_gateway)
    browser = _browser(buyer)
    page = browser.get(f"/orders/{order.number}/").content.decode()
    assert "不想要了（未发货）" in page and "七天无理由退货" not in page
    assert 'name="photos"' not in page
    line = order.lines.get()
    browser.post(f"/orders/{order.number}/", {
        "action": "after_sales", "seller": coop.pk, f"qty_{line.pk}": "2",
        "type": "refund_only", "reason": "not_wanted"})
    assert ReturnRequest.objects.get().amount == order.total_amount


def test_the_buyer_withdraws_a_request_from_the_order_page(shipped, buyer, coop, coop_user):
    order, browser = shipped, _browser(buyer)
    browser.post(f"/orders/{order.number}/", _form(order, coop, type="return_and_refund",
                                                   reason="quality"))
    request = ReturnRequest.objects.get()
    page = browser.get(f"/orders/{order.number}/").content.decode()
    assert f'id="withdraw-{request.pk}"' in page and "撤销申请" in page

    # Another shopper, a stranger and the seller cannot withdraw it.
    stranger = User.objects.create_user("stranger@example.com", PASSWORD)
    for client in (_browser(), _browser(stranger), _browser(coop_user)):
        answer = client.post(f"/orders/{order.number}/", {"action": "after_sales",
                                                          "withdraw": request.pk})
        assert answer.status_code == 404
    request.refresh_from_db()
    assert request.status == "requested"

    done = browser.post(f"/orders/{order.number}/", {"action": "after_sales",
                                                     "withdraw": request.pk}, follow=True)
    page = done.content.decode()
    assert "申请已撤销。如改变主意，可以重新申请。" in page
    assert "买家已撤销" in page and "您已撤销此申请。" in page
    assert f'id="withdraw-{request.pk}"' not in page
    assert _ask_button(coop) in page  # the units may be asked about again
    request.refresh_from_db()
    assert request.status == "withdrawn"

    # Once the goods are on their way back, there is no button.
    browser.post(f"/orders/{order.number}/", _form(order, coop, type="return_and_refund",
                                                   reason="quality"))
    second = ReturnRequest.objects.get(status="requested")
    return_services.approve_return_request(second, coop, user=coop_user)
    assert f'id="withdraw-{second.pk}"' in browser.get(
        f"/orders/{order.number}/").content.decode()
    return_services.send_return_back(second, user=buyer, carrier="中国邮政",
                                     tracking_number="EMS9876543210CN")
    page = browser.get(f"/orders/{order.number}/").content.decode()
    assert f'id="withdraw-{second.pk}"' not in page
    late = browser.post(f"/orders/{order.number}/", {"action": "after_sales",
                                                     "withdraw": second.pk}, follow=True)
    assert "商品已在寄回途中" in late.content.decode()
    second.refresh_from_db()
    assert second.status == "awaiting_return"


def test_some_unshipped_items_are_refunded_from_the_order_page(
        channel, variant, shipping, buyer, coop, coop_user, alipay_gateway):
    checkout = ready_checkout(channel, variant, shipping, quantity=2, user=buyer)
    order = pay(shop_services.complete_checkout(checkout.token, buyer), alipay_gateway)
    browser = _browser(buyer)
    page = browser.get(f"/orders/{order.number}/").content.decode()
    assert f"向{coop.name}申请退款（未发货商品）" in page
    assert "退款后将不再发货" in page and 'name="photos"' not in page
    line = order.lines.get()
    browser.post(f"/orders/{order.number}/", {
        "action": "after_sales", "seller": coop.pk, f"qty_{line.pk}": "1",
        "type": "refund_only", "reason": "not_wanted"})
    request = ReturnRequest.objects.get()
    assert request.amount == line.unit_price_amount  # one unit's share, not the order
    return_services.approve_return_request(request, coop, user=coop_user)
    page = browser.get(f"/orders/{order.number}/").content.decode()
    assert "1 件未发货已退款" in page and "已退款 ¥39.90 至您的支付宝账户" in page
    # The unit left to ship may be refunded too, taking what is left of the payment.
    assert f"向{coop.name}申请退款（未发货商品）" in page
    assert 'max="1"' in page
