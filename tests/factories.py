"""Builders shared by every test package: global IDs, organisations and their members,
products, ready checkouts, brand licences, and the addresses and GraphQL documents several
packages send. Each builder goes through the services, as a user's action would.

Fixtures that wrap these live in ``tests/conftest.py``; a test module imports builders from
here, never from another test module or a ``conftest.py``.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from brand import services as brand_services
from brand.models import ApplicationDocument, PublicNotice
from catalog import services as catalog_services
from livestream import services as live_services
from shop import services as shop_services
from shop.models import Membership, Organization, Payment, Stock, User
from storefront.services import SESSION_ORDERS

PASSWORD = "a-Strong-pass-123"

# A delivery address in 渑池 as the API takes it, and as the services (and the
# storefront's forms) take it.
ADDRESS = {
    "firstName": "王小明", "lastName": "", "streetAddress1": "仰韶路 12 号",
    "city": "三门峡市", "cityArea": "渑池县", "countryArea": "河南省",
    "postalCode": "472400", "phone": "13812345678", "country": "CN",
}
SERVICE_ADDRESS = {"first_name": "王小明", "street_address_1": "仰韶路 12 号", "city": "三门峡市",
                   "city_area": "渑池县", "country_area": "河南省", "postal_code": "472400",
                   "phone": "13812345678"}

# Valid check digits: a unified social credit code and a resident ID number.
VALID_CREDIT_CODE = "91350100M000100Y43"
VALID_ID_NUMBER = "11010519491231002X"

COMPLETE = """mutation($id: ID) { checkoutComplete(id: $id) {
  order { id number status pavilionStatus total { gross { amount currency } } userEmail
          lines { productName variantName productSku quantity unitPrice { gross { amount } }
                  seller { name } }
          shippingAddress { countryArea city cityArea } shippingMethodName
          events { type } }
  confirmationNeeded confirmationData errors { field code message } } }"""


def gid(type_name: str, pk) -> str:
    """A Relay global ID, as the API hands them out: ``base64("Type:pk")``."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


# Organisations and people ----------------------------------------------------------------

def make_org(name, slug, kind=Organization.Kind.COOPERATIVE):
    return Organization.objects.create(name=name, slug=slug, kind=kind, county="渑池县")


def make_member(org, email, role=Membership.Role.ADMIN):
    user = User.objects.create_user(email, PASSWORD)
    Membership.objects.create(user=user, organization=org, role=role)
    return user


# Catalogue ------------------------------------------------------------------------------

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


def stock_of(variant) -> Stock:
    return Stock.objects.get(product_variant=variant)


# Checkout -------------------------------------------------------------------------------

def ready_checkout(channel, variant, shipping, quantity=1, user=None, email="buyer@example.com",
                   method="post"):
    """A checkout with lines, e-mail, address and shipping method, through the services."""
    checkout = shop_services.create_checkout(
        channel.slug, user=user, email=email,
        lines=[{"variant_id": variant.pk, "quantity": quantity}],
        shipping_address=SERVICE_ADDRESS)
    return shop_services.update_checkout_delivery_method(checkout, shipping[method].pk)


def make_paid_order(channel, variant, shipping, quantity=1, buyer=None):
    """An order placed through the checkout services (by ``buyer``, or a guest at
    buyer@example.com) and paid (``paid_as_notified``)."""
    email = buyer.email if buyer is not None else "buyer@example.com"
    return paid_as_notified(shop_services.complete_checkout(
        ready_checkout(channel, variant, shipping, quantity, user=buyer, email=email).token,
        user=buyer))


def paid_as_notified(order):
    """``order`` paid as Alipay's notice of a payment pays it (``confirm_payment`` on a
    pending payment of its total): paid time, amount charged, its event and the county
    figures' records, without the gateway (a refund of it goes to Alipay, so a test that
    refunds pays at the local gateway instead)."""
    payment = Payment.objects.create(order=order, amount=order.total_amount,
                                     currency=order.currency,
                                     out_trade_no=f"{order.number}000001")
    assert shop_services.confirm_payment(payment, trade_no=f"2026{order.number}",
                                         amount=order.total_amount,
                                         buyer="buy***@example.com", source="notice")
    order.refresh_from_db()
    return order


def broadcast_checkout(broadcast, variant, shipping, quantity=1, user=None,
                       email="buyer@example.com"):
    """A checkout started from a live broadcast (live prices), ready to complete."""
    checkout = live_services.create_broadcast_checkout(
        broadcast, user=user, email=email, lines=[{"variant_id": variant.pk, "quantity": quantity}],
        shipping_address=SERVICE_ADDRESS)
    return shop_services.update_checkout_delivery_method(checkout, shipping["post"].pk)


def remember(client, order):
    """Let a guest's browser (``client``) open ``order``, as if it had placed it."""
    session = client.session
    session[SESSION_ORDERS] = [*session.get(SESSION_ORDERS, []), order.number]
    session.save()


# Brand licences ---------------------------------------------------------------------------

def pdf_file(name="licence.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test document", content_type="application/pdf")


def draft(brand, org, user, products=(), categories=(), quota=500):
    """A licence application with its business licence attached, not yet submitted."""
    application = brand_services.create_application(
        brand, org, user, products=products, categories=categories, grades="特级, 一级",
        bases="果园村柿子基地 120 亩", estimated_annual_volume_kg="5000",
        requested_label_quota=quota)
    brand_services.add_application_document(
        application, user, kind=ApplicationDocument.Kind.BUSINESS_LICENCE, file=pdf_file(),
        number="91411221MA")
    return application


def in_notice(brand, org, user, reviewer, **kwargs):
    """An application approved by ``reviewer`` and now in its public notice period."""
    application = draft(brand, org, user, **kwargs)
    brand_services.submit_application(application, user)
    brand_services.start_review(application, reviewer)
    brand_services.approve_application(application, reviewer, reason="材料齐全")
    application.refresh_from_db()
    return application


def end_notice(application):
    PublicNotice.objects.filter(application=application).update(
        starts_at=timezone.now() - timedelta(days=6), ends_at=timezone.now() - timedelta(seconds=1))


def granted(brand, org, user, reviewer, **kwargs):
    """A licence granted after a notice period that has ended."""
    application = in_notice(brand, org, user, reviewer, **kwargs)
    end_notice(application)
    return brand_services.grant_licence(application, reviewer)
