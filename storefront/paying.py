"""Sending a shopper to Alipay's cashier, and what to do when that cannot work.

WeChat's built-in browser (its user agent says ``MicroMessenger``) does not open Alipay's
pages, and most shoppers arrive from a WeChat chat or moments link. There the order is
placed as usual (its stock reserved) and, instead of a cashier that never loads, the
shopper sees the usual guide: open this page in the phone's browser. The link it shows
carries a signed reference to the order, so the browser, which shares no session with
WeChat, can resume the payment of that order (and only start paying it: the order's
details stay behind the buyer's account or the session that placed it).

A shop whose Alipay keys are missing tells the shopper only that Alipay cannot be used
for now; the configuration problem goes to the log for the operator.

An order charged only in part shows its balance (待付余款), on its page and in the order
list, and paying it starts an Alipay payment for exactly that balance
(``shop.services.start_payment``); a part paid of an order cancelled or expired shows as
going back, then gone back, to the buyer."""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from shop import services as shop_services
from shop.models import Order, Payment
from shop.services.payments import balance
from shop.public_urls import absolute_url

from . import order_page, services

SALT = "storefront.pay-outside-wechat"
# The link is useless once the order's time to pay has passed; a day covers any setting.
LINK_MAX_AGE = 24 * 3600


def in_wechat(request) -> bool:
    return "micromessenger" in request.headers.get("User-Agent", "").lower()


def resume_path(order: Order) -> str:
    token = signing.dumps(order.number, salt=SALT, compress=True)
    return reverse("storefront:pay-outside-wechat", args=[token])


def resume_url(order: Order) -> str:
    return absolute_url(resume_path(order))


def payment_context(order: Order) -> dict:
    """The order page's money beside its total: ``balance_due`` and ``paid_so_far`` of an
    unpaid order charged in part; ``refunding`` (still owed back) and ``refunded_back``
    of an order never paid whose part paid, or late payment, goes back to the buyer."""
    kept = order.total_charged_amount - order.total_refunded_amount
    if order.status == Order.Status.UNPAID:
        return {"balance_due": balance(order) if kept > 0 else None, "paid_so_far": kept}
    if order.paid_at is not None or order.total_charged_amount <= 0:
        return {}
    owed = Payment.objects.filter(order=order).aggregate(due=Sum("refund_due_amount"))["due"]
    return {"refunding": owed or None,
            "refunded_back": order.total_refunded_amount or None}


def mark_payable(orders) -> None:
    """For the order list: ``can_pay`` on each order the shopper can still pay (unpaid,
    its time to pay not over) and ``balance_due`` on one of those charged in part, as
    its own page shows them."""
    now = timezone.now()
    for order in orders:
        order.can_pay = (order.status == Order.Status.UNPAID
                         and (order.expires_at is None or order.expires_at > now))
        kept = order.total_charged_amount - order.total_refunded_amount
        order.balance_due = balance(order) if order.can_pay and kept > 0 else None


def payment_url(request, order: Order) -> str:
    """Where to send the shopper to pay ``order``: Alipay's cashier, or (inside WeChat)
    the guide to open the page in the phone's browser, or back to the order with a
    message when the payment cannot start."""
    if in_wechat(request):
        return resume_path(order)
    try:
        _payment, url = shop_services.start_payment(
            order, "alipay", device="WAP", user=request.user,
            return_url=absolute_url(reverse("storefront:payment-return")),
            # 返回商家 in the phone cashier, without paying: back to the order, not to a
            # payment result there is none of.
            quit_url=absolute_url(reverse("storefront:order", args=[order.number])))
    except ValidationError as error:
        # Missing Alipay keys read "try again later" here; the service logs the cause.
        messages.error(request, " ".join(error.messages))
        return reverse("storefront:order", args=[order.number])
    return url


@require_GET
def pay_outside_wechat(request, token: str):
    """The signed link of an order waiting for payment: inside WeChat the guide to open
    it in the browser; in any other browser, straight on to Alipay's cashier."""
    try:
        number = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature as error:
        raise Http404 from error
    order = Order.objects.filter(number=number).first()
    if order is None:
        raise Http404
    if order.user_id is None and not services.visible_orders(request).filter(
            pk=order.pk).exists():
        # A guest's order: this browser may now follow it, but the link may have been
        # forwarded, so its page keeps the address and mobile number masked here.
        services.remember_order(request, order)
        order_page.remember_linked_order(request, order)
    if in_wechat(request):
        return render(request, "storefront/wechat_guide.html", {
            "order": order, "link": resume_url(order),
            "can_pay": order.status == Order.Status.UNPAID})
    if order.status != Order.Status.UNPAID:
        return redirect("storefront:order", number=order.number) \
            if services.visible_orders(request).filter(pk=order.pk).exists() \
            else redirect("storefront:orders")
    return redirect(payment_url(request, order))
