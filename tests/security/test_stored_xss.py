"""Markup typed into every free-text field a member or a shopper controls (a product's
name and rich-text description, a household's and a base's names, a lot's notes, a
broadcast's title and plan, an address) is shown as text on every page that shows it: the
storefront's product and order pages, the live schedule, the trace page, the workbench's
lot, product and order pages and the admin's lists. The markup is set through the real
GraphQL mutations where there is one, and each page is fetched as its reader would."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from shop.models import Address, User
from supplychain.models import Base, Household, SourcingLot
from tests.clients import GraphQLClient
from tests.factories import gid, make_paid_order

pytestmark = pytest.mark.django_db

MARKUP = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
# What a page holding MARKUP as text shows, whichever escaping it uses.
RAW_SIGNS = ("<img src=x", "<script>alert(2)")


def _description(text):
    return json.dumps({"time": 1, "version": "2.28.0", "blocks": [
        {"id": "a", "type": "paragraph", "data": {"text": f"<b>好</b>{text}"}},
        {"id": "b", "type": "header", "data": {"text": text, "level": 2}},
        {"id": "c", "type": "list", "data": {"style": "unordered", "items": [text]}}]})


def _assert_text_only(page: str, where: str):
    assert not [sign for sign in RAW_SIGNS if sign in page], where
    assert "&lt;img src=x" in page or "\\u003Cimg src=x" in page, where


@pytest.fixture
def marked(coop_user, persimmon, variant, household, base, sourcing_lot, trace, host_user,
           broadcast, channel, shipping):
    """The cooperative's and a shopper's records with MARKUP in every free-text field."""
    member = GraphQLClient(coop_user)
    updated = member.data("""mutation($id: ID!, $input: ProductInput!) {
      productUpdate(id: $id, input: $input) { errors { field code message } } }""",
                          {"id": gid("Product", persimmon.pk),
                           "input": {"name": f"柿饼{MARKUP}",
                                     "description": _description(MARKUP)}})
    assert updated["productUpdate"]["errors"] == []
    Household.objects.filter(pk=household.pk).update(head_name=f"王{MARKUP}"[:64])
    Base.objects.filter(pk=base.pk).update(name=f"基地{MARKUP}"[:128])
    SourcingLot.objects.filter(pk=sourcing_lot.pk).update(notes=f"备注{MARKUP}")
    host = GraphQLClient(host_user)
    retitled = host.data("""mutation($id: ID!, $input: BroadcastInput!) {
      broadcastUpdate(id: $id, input: $input) { errors { field code message } } }""",
                         {"id": gid("Broadcast", broadcast.pk),
                          "input": {"title": f"专场{MARKUP}"[:60]}})
    assert retitled["broadcastUpdate"]["errors"] == []
    noted = host.data("""mutation($id: ID!, $notes: String) {
      broadcastNotesUpdate(id: $id, planNotes: $notes) { errors { field code message } } }""",
                      {"id": gid("Broadcast", broadcast.pk), "notes": f"计划{MARKUP}"})
    assert noted["broadcastNotesUpdate"]["errors"] == []
    shopper = User.objects.create_user("xss@example.com", "a-Strong-pass-123",
                                       first_name=f"李{MARKUP}"[:60])
    order = make_paid_order(channel, variant, shipping, buyer=shopper)
    Address.objects.filter(pk=order.shipping_address_id).update(
        first_name=f"李{MARKUP}"[:60], street_address_1=f"路{MARKUP}")
    return {"shopper": shopper, "order": order, "trace": trace, "lot": sourcing_lot,
            "broadcast": broadcast}


def test_the_public_pages_show_the_markup_as_text(marked, persimmon):
    anyone = Client()
    for url in (f"/product/{persimmon.slug}/", "/live/", f"/t/{marked['trace'].code}",
                f"/search/?q={persimmon.slug}"):
        response = anyone.get(url, follow=True)
        assert response.status_code == 200, url
        _assert_text_only(response.content.decode(), url)


def test_the_buyers_and_the_members_pages_show_it_as_text(marked, coop_user, host_user,
                                                          persimmon):
    buyer = Client()
    buyer.force_login(marked["shopper"])
    page = buyer.get(f"/orders/{marked['order'].number}/")
    assert page.status_code == 200
    _assert_text_only(page.content.decode(), "storefront order")

    member = Client()
    member.force_login(coop_user)
    for url in (f"/work/lots/{marked['lot'].pk}/", f"/work/products/{persimmon.pk}/",
                f"/work/orders/{marked['order'].number}/", "/work/households/", "/work/bases/"):
        page = member.get(url)
        assert page.status_code == 200, url
        _assert_text_only(page.content.decode(), url)

    host = Client()
    host.force_login(host_user)
    for url in ("/work/live/", f"/work/live/{marked['broadcast'].pk}/"):
        page = host.get(url)
        assert page.status_code == 200, url
        _assert_text_only(page.content.decode(), url)


def test_the_admin_lists_show_it_as_text(marked, admin_client):
    for url in ("/admin/catalog/product/", "/admin/supplychain/household/",
                "/admin/supplychain/base/", "/admin/livestream/broadcast/"):
        page = admin_client.get(url)
        assert page.status_code == 200, url
        _assert_text_only(page.content.decode(), url)
