"""The pavilion's own Saleor-shaped client documents (``documents/``), sent through the
real ``/graphql/`` view against the demo data: translations, menus and story pages, the
address book, password reset by e-mail, promo codes and paying a checkout before it
becomes an order."""

from __future__ import annotations

import importlib.util
import json
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import pytest
from django.core import mail
from django.test import Client, TestCase

from catalog.models import ProductMedia, ProductVariant
from shop.models import Order, User
from shop.vouchers import Voucher, VoucherCustomer
from tests.clients import GraphQLClient
from tests.factories import ADDRESS, gid

from .conftest import DOCUMENTS, document

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_saleor_client.py"
PERSIMMON = "mianchi-dried-persimmon"


def run(client, name, **variables):
    # Mail queued by the request leaves after its commit (inline here, without a broker).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.data(document(name), variables)


def post(client, name, **variables):
    return client.post(document(name), variables)


def test_every_document_validates_with_the_checking_script():
    spec = importlib.util.spec_from_file_location("check_saleor_client", SCRIPT)
    checker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checker)
    results = checker.check(checker.pavilion_schema(), DOCUMENTS)
    assert len(results) >= 20
    assert [(name, errors) for name, _file, errors in results if errors] == []


# Translations --------------------------------------------------------------------------

def test_products_and_categories_answer_in_english_and_tibetan(demo_db):
    gql = GraphQLClient()
    product = run(gql, "ProductInLanguage", slug=PERSIMMON, channel="default",
                  languageCode="EN")["product"]
    assert product["name"] == "渑池柿饼"  # the original stays Chinese
    assert product["translation"] == {"name": "Mianchi dried persimmons",
                                      "slug": "mianchi-dried-persimmons-en",
                                      "seoTitle": "Mianchi dried persimmons",
                                      "language": {"code": "EN"}}
    variants = product["productVariants"]
    assert variants["totalCount"] == 3 and all(e["node"]["media"] == []
                                              for e in variants["edges"])
    grades = {value["name"]: value["translation"]
              for edge in variants["edges"]
              for attribute in edge["node"]["attributes"]
              if attribute["attribute"]["slug"] == "grade"
              for value in attribute["values"]}
    assert grades == {"特级": {"name": "Premium"}, "一级": {"name": "First grade"}}
    # Saleor's typed attributes: the product's single-choice values, named in English.
    origin = next(a for a in product["assignedAttributes"]
                  if a["attribute"]["slug"] == "origin")
    assert origin["attribute"]["inputType"] == "DROPDOWN"
    assert origin["attribute"]["translation"] == {"name": "Origin"}
    assert origin["choice"]["name"] == "河南渑池" and origin["choice"]["translation"] is None

    # The English slug finds the product; a language without a record answers null.
    found = run(gql, "ProductInLanguage", slug="mianchi-dried-persimmons-en", channel="default",
                languageCode="ZH_HANS", slugLanguageCode="EN")["product"]
    assert found["slug"] == PERSIMMON and found["translation"] is None

    categories = run(gql, "CategoriesInLanguage", slugs=["dried-fruit-nuts", "herbs"],
                     languageCode="BO")["categories"]["edges"]
    assert {c["node"]["slug"]: c["node"]["translation"]["name"] for c in categories} == {
        "dried-fruit-nuts": "ཤིང་ཏོག་སྐམ་པོ།", "herbs": "སྨན་རྩི།"}


def test_where_filters_products_with_and_or(demo_db):
    gql = GraphQLClient()

    def slugs(where):
        edges = run(gql, "ProductsWhere", channel="default", where=where)["products"]["edges"]
        return {e["node"]["slug"] for e in edges}

    assert slugs({"slug": {"oneOf": [PERSIMMON, "mianchi-walnut"]}}) == {PERSIMMON,
                                                                        "mianchi-walnut"}
    cheap = slugs({"AND": [{"slug": {"oneOf": [PERSIMMON, "mianchi-persimmon-gift-box"]}},
                           {"price": {"range": {"lte": 50}}}]})
    assert cheap == {PERSIMMON}  # from 39.90; the gift box costs 128.00
    either = slugs({"OR": [{"slug": {"eq": PERSIMMON}}, {"slug": {"eq": "mianchi-walnut"}}]})
    assert either == {PERSIMMON, "mianchi-walnut"}


# Menus and pages -----------------------------------------------------------------------

def test_navigation_menu_and_story_pages(demo_db):
    gql = GraphQLClient()
    menu = run(gql, "Navigation", slug="navbar", channel="default", languageCode="EN")["menu"]
    top = [(item["name"], item["translation"] and item["translation"]["name"])
           for item in menu["items"]]
    assert top == [("特产分类", "Specialties"), ("专题", None), ("品牌故事", "Our story"),
                   ("产地故事", None)]
    specialties = menu["items"][0]["children"]
    assert [c["category"]["slug"] for c in specialties][:2] == ["dried-fruit-nuts", "grain-oil"]
    assert all(c["level"] == 1 for c in specialties)
    assert menu["items"][2]["page"]["slug"] == "brand-story"
    origins = menu["items"][3]["children"]
    assert len(origins) == 5 and origins[0]["page"]["title"].startswith("产地故事：")

    page = run(gql, "StoryPage", slug="our-story", languageCode="EN",
               slugLanguageCode="EN")["page"]
    assert (page["slug"], page["title"], page["pageType"]["slug"]) == (
        "brand-story", "品牌故事", "story")
    # Rich text is Saleor's JSONString: EditorJS JSON in a string.
    assert json.loads(page["content"])["blocks"][0]["data"]["text"].startswith("特色馆汇集")
    assert page["translation"]["title"] == "Our story"
    assert json.loads(page["translation"]["content"])["blocks"][0]["data"]["text"].startswith(
        "The pavilion gathers")

    pages = run(gql, "StoryPages", slugs=["origin-zeku", "origin-mianchi", "no-such-page"])
    assert pages["pages"]["totalCount"] == 2
    assert {e["node"]["slug"] for e in pages["pages"]["edges"]} == {"origin-zeku",
                                                                    "origin-mianchi"}


# The address book ----------------------------------------------------------------------

@pytest.fixture
def shopper(demo_db):
    return User.objects.create_user("shopper@example.com", "a-long-password-1")


def test_address_book_keeps_addresses_and_defaults_per_user(shopper):
    gql = GraphQLClient(shopper)
    first = run(gql, "AddAddress", input=ADDRESS)["accountAddressCreate"]
    assert first["errors"] == []
    book = first["user"]
    # The first address is the default of both kinds.
    assert book["defaultShippingAddress"]["id"] == book["defaultBillingAddress"]["id"] == \
        first["address"]["id"]

    office = {**ADDRESS, "streetAddress1": "行政路 1 号"}
    second = run(gql, "AddAddress", input=office, type="SHIPPING")["accountAddressCreate"]
    book = second["user"]
    assert len(book["addresses"]) == 2
    assert book["defaultShippingAddress"]["id"] == second["address"]["id"]
    assert book["defaultBillingAddress"]["id"] == first["address"]["id"]

    changed = run(gql, "ChangeAddress", id=first["address"]["id"],
                  input={"streetAddress1": "仰韶路 99 号"})["accountAddressUpdate"]
    assert changed["errors"] == [] and changed["address"]["streetAddress1"] == "仰韶路 99 号"
    refused = run(gql, "ChangeAddress", id=first["address"]["id"],
                  input={"countryArea": "火星省"})["accountAddressUpdate"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("countryArea", "INVALID")]

    book = run(gql, "MakeDefault", id=first["address"]["id"],
               type="SHIPPING")["accountSetDefaultAddress"]["user"]
    assert book["defaultShippingAddress"]["id"] == first["address"]["id"]

    # Someone else's address is not found; a guest is refused outright.
    other = User.objects.create_user("other@example.com", "a-long-password-2")
    theirs = run(GraphQLClient(other), "RemoveAddress",
                 id=first["address"]["id"])["accountAddressDelete"]
    assert theirs["errors"][0]["code"] == "NOT_FOUND"
    guest = post(GraphQLClient(), "AddAddress", input=ADDRESS)
    assert guest["errors"] and guest["data"]["accountAddressCreate"] is None

    left = run(gql, "RemoveAddress", id=second["address"]["id"])["accountAddressDelete"]["user"]
    assert [a["id"] for a in left["addresses"]] == [first["address"]["id"]]
    assert run(GraphQLClient(other), "AddressBook")["me"]["addresses"] == []

    profile = run(gql, "Profile", input={"firstName": "小明", "languageCode": "EN"})
    assert profile["accountUpdate"]["user"]["firstName"] == "小明"
    assert profile["accountUpdate"]["user"]["languageCode"] == "en"


# Password reset ------------------------------------------------------------------------

def test_password_reset_mails_a_signed_link_good_for_one_use(shopper):
    gql = GraphQLClient()
    sent = run(gql, "ForgotPassword", email="shopper@example.com",
               redirectUrl="http://localhost:3000/reset-password", channel="default")
    assert sent["requestPasswordReset"]["errors"] == []
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["shopper@example.com"]
    link = re.search(r"http://localhost:3000/reset-password\?\S+", mail.outbox[0].body).group()
    query = parse_qs(urlsplit(link).query)
    assert query["email"] == ["shopper@example.com"]
    token = query["token"][0]

    # Nobody learns whether an address has an account; a foreign site gets no link.
    unknown = run(gql, "ForgotPassword", email="nobody@example.com",
                  redirectUrl="http://localhost:3000/reset-password")
    assert unknown["requestPasswordReset"]["errors"] == [] and len(mail.outbox) == 1
    foreign = run(gql, "ForgotPassword", email="shopper@example.com",
                  redirectUrl="https://evil.example.net/steal")
    assert foreign["requestPasswordReset"]["errors"][0]["field"] == "redirectUrl"
    assert len(mail.outbox) == 1

    weak = run(gql, "NewPassword", email="shopper@example.com", token=token, password="123")
    assert weak["setPassword"]["errors"][0]["code"] == "INVALID_PASSWORD"
    done = run(gql, "NewPassword", email="shopper@example.com", token=token,
               password="a-new-long-password-9")["setPassword"]
    assert done["errors"] == [] and done["token"] and done["user"]["email"] == "shopper@example.com"
    signed_in = run(gql, "SignIn", email="shopper@example.com",
                    password="a-new-long-password-9")["tokenCreate"]
    assert signed_in["errors"] == [] and signed_in["token"]
    again = run(gql, "NewPassword", email="shopper@example.com", token=token,
                password="yet-another-password-7")["setPassword"]
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("token", "INVALID")]


def test_password_reset_cannot_flood_a_mailbox(shopper):
    gql = GraphQLClient()
    for _attempt in range(5):
        sent = run(gql, "ForgotPassword", email="shopper@example.com",
                   redirectUrl="http://localhost:3000/reset-password", channel="default")
        assert sent["requestPasswordReset"]["errors"] == []
    assert len(mail.outbox) == 1


# Promo codes, and paying before the order exists ---------------------------------------

def _start(gql, quantity, email="shopper@example.com"):
    variant = ProductVariant.objects.get(sku__endswith="TJ-500G", product__slug=PERSIMMON)
    variant_id = GraphQLClient().data(
        document("ProductInLanguage"),
        {"slug": PERSIMMON, "channel": "default", "languageCode": "EN"},
    )["product"]["productVariants"]["edges"]
    variant_id = next(e["node"]["id"] for e in variant_id if e["node"]["sku"] == variant.sku)
    created = run(gql, "StartCheckout", channel="default", email=email, variantId=variant_id,
                  quantity=quantity)["checkoutCreate"]
    assert created["errors"] == []
    checkout = created["checkout"]
    shipped = run(gql, "ShipTo", id=checkout["id"], address=ADDRESS,
                  save=True)["checkoutShippingAddressUpdate"]["checkout"]
    method = shipped["shippingMethods"][0]
    return run(gql, "ChooseDelivery", id=checkout["id"],
               methodId=method["id"])["checkoutDeliveryMethodUpdate"]["checkout"]


def test_pay_a_checkout_with_a_promo_code_then_complete_into_a_paid_order(shopper,
                                                                         alipay_gateway):
    gql = GraphQLClient(shopper)
    checkout = _start(gql, quantity=1)  # 49.90: under LIVE20's minimum spend of 100
    assert checkout["chargeStatus"] == "NONE" and checkout["problems"] == []
    assert checkout["availablePaymentGateways"] == [{"id": "alipay", "currencies": ["CNY"]}]
    assert checkout["giftCards"] == [] and checkout["delivery"]["shippingMethod"]["name"]
    # The address typed at the checkout went into the buyer's address book.
    assert len(run(gql, "AddressBook")["me"]["addresses"]) == 1
    short = run(gql, "AddPromoCode", id=checkout["id"], code="LIVE20")["checkoutAddPromoCode"]
    assert short["errors"][0]["code"] == "VOUCHER_NOT_APPLICABLE"
    assert run(gql, "AddPromoCode", id=checkout["id"],
               code="NOPE")["checkoutAddPromoCode"]["errors"][0]["field"] == "promoCode"

    checkout = _start(gql, quantity=3)  # 149.70
    subtotal = Decimal(str(checkout["subtotalPrice"]["gross"]["amount"]))
    before = Decimal(str(checkout["totalPrice"]["gross"]["amount"]))
    added = run(gql, "AddPromoCode", id=checkout["id"], code="live20")["checkoutAddPromoCode"]
    assert added["errors"] == []
    checkout = added["checkout"]
    assert (checkout["voucherCode"], checkout["discountName"], checkout["discount"]) == (
        "LIVE20", "直播间满100减20", {"amount": 20.0})
    total = Decimal(str(checkout["totalPrice"]["gross"]["amount"]))
    assert subtotal == Decimal("149.70") and total == before - 20

    paid = run(gql, "Pay", id=checkout["id"])["transactionInitialize"]
    assert paid["errors"] == []
    assert paid["transactionEvent"] == {"type": "CHARGE_ACTION_REQUIRED",
                                        "amount": {"amount": float(total)}}
    assert isinstance(paid["data"], dict) and paid["data"]["url"].startswith(alipay_gateway.url)
    assert urlopen(paid["data"]["url"]).status == 200  # the buyer opens the cashier
    assert run(gql, "CheckoutState", id=checkout["id"])["checkout"]["chargeStatus"] == "NONE"

    # Alipay's verified notice charges the checkout's transaction.
    notice = alipay_gateway.pay(paid["data"]["outTradeNo"])
    assert Client().post("/alipay/notify/", notice).content.decode() == "success"
    state = run(gql, "CheckoutState", id=checkout["id"])["checkout"]
    assert (state["chargeStatus"], state["authorizeStatus"], state["totalBalance"]) == (
        "FULL", "FULL", {"amount": 0.0})

    order = run(gql, "Complete", id=checkout["id"])["checkoutComplete"]
    assert order["errors"] == []
    order = order["order"]
    assert (order["isPaid"], order["status"], order["paymentStatus"], order["chargeStatus"],
            order["authorizeStatus"]) == (True, "UNFULFILLED", "FULLY_CHARGED", "FULL", "FULL")
    assert order["statusDisplay"] == "Paid"
    assert order["totalCaptured"] == {"amount": float(total)}
    assert order["totalBalance"] == {"amount": 0.0}
    assert order["voucher"] == {"code": "LIVE20"}
    assert order["discounts"] == [{"type": "VOUCHER", "name": "直播间满100减20",
                                   "total": {"amount": 20.0}}]
    assert order["lines"][0]["thumbnail"]["url"]
    stored = Order.objects.get(number=order["number"])
    assert stored.payments.get().psp_reference == notice["trade_no"]
    assert Voucher.objects.get(code="LIVE20").used == 1
    assert VoucherCustomer.objects.filter(customer_email="shopper@example.com").count() == 1

    # node(id) resolves a checkout (this one is an order now: gone), a shipping method and
    # a product image.
    assert run(gql, "Node", id=checkout["id"])["node"] is None
    method = run(gql, "Node", id=state["delivery"]["shippingMethod"]["id"])["node"]
    assert method["__typename"] == "ShippingMethod" and method["name"]
    media = ProductMedia.objects.filter(product__slug=PERSIMMON).first()
    image = run(gql, "Node", id=gid("ProductMedia", media.pk))["node"]
    assert image["__typename"] == "ProductMedia"

    # LIVE20 is once per customer: the same buyer cannot use it again.
    again = _start(gql, quantity=3)
    assert run(gql, "Node", id=again["id"])["node"] == {"__typename": "Checkout",
                                                        "id": again["id"],
                                                        "email": "shopper@example.com"}
    refused = run(gql, "AddPromoCode", id=again["id"], code="LIVE20")["checkoutAddPromoCode"]
    assert refused["errors"][0]["code"] == "VOUCHER_NOT_APPLICABLE"


def test_a_promo_code_no_longer_valid_at_completion_refuses_the_order(shopper):
    gql = GraphQLClient(shopper)
    checkout = _start(gql, quantity=1)
    added = run(gql, "AddPromoCode", id=checkout["id"], code="NIANHUO10")["checkoutAddPromoCode"]
    assert added["checkout"]["discount"] == {"amount": 4.99}
    Voucher.objects.filter(code="NIANHUO10").update(is_active=False)  # the festival ended
    state = run(gql, "CheckoutState", id=checkout["id"])["checkout"]
    assert state["discount"] is None  # the totals no longer take it off
    result = run(gql, "Complete", id=checkout["id"])["checkoutComplete"]
    assert result["order"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        ("promoCode", "VOUCHER_NOT_APPLICABLE")]
    removed = run(gql, "RemovePromoCode", id=checkout["id"], code="NIANHUO10")
    assert removed["checkoutRemovePromoCode"]["checkout"]["voucherCode"] is None
    assert run(gql, "Complete", id=checkout["id"])["checkoutComplete"]["order"]["number"]
