"""Live selling against an attacker: a ``javascript:`` stream link (through GraphQL and the
admin form), and a host lining up another cooperative's stock without its consent, or below
the live price it agreed. Refused with typed errors; nothing changes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.utils import timezone

from livestream import services
from livestream.admin import BroadcastAdmin
from livestream.models import Broadcast, LineupItem, LiveOffer
from shop.models import Stock
from tests.factories import gid

pytestmark = pytest.mark.django_db

CREATE = """mutation($input: BroadcastInput!) { broadcastCreate(input: $input) {
  broadcast { id } errors { field code message } } }"""
UPDATE = """mutation($id: ID!, $input: BroadcastInput!) { broadcastUpdate(id: $id, input: $input) {
  broadcast { id } errors { field code message } } }"""
ADD = """mutation($b: ID!, $v: ID, $offer: ID, $input: LineupItemInput!) {
  lineupItemAdd(broadcast: $b, variantId: $v, offer: $offer, input: $input) {
    lineupItem { id livePrice { amount } quantityAllocated } errors { field code message } } }"""
OFFER = """mutation($org: ID!, $input: LiveOfferInput!) { liveOfferCreate(organization: $org,
  input: $input) { offer { id minLivePrice { amount } maxQuantity quantityLeft }
  errors { field code message } } }"""

BAD_LINKS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
             "data:text/html,<script>alert(1)</script>", "ftp://example.com/x",
             "https://" + "a" * 300 + ".com"]


def _input(host, venue, start, **extra):
    return {"host": gid("LiveHost", host.pk), "venue": gid("LiveVenue", venue.pk),
            "title": "香菇直播", "platform": "DOUYIN", "startsAt": start.isoformat(),
            "endsAt": (start + timedelta(hours=2)).isoformat(), **extra}


@pytest.mark.parametrize("link", BAD_LINKS)
def test_script_link_as_stream_url_is_refused(gql_as, host_user, host, studio, broadcast, link):
    client = gql_as(host_user)
    start = timezone.now() + timedelta(days=3)
    created = client.data(CREATE, {"input": _input(host, studio, start, streamUrl=link)})
    assert [(e["field"], e["code"]) for e in created["broadcastCreate"]["errors"]] == [
        ("streamUrl", "INVALID")]
    updated = client.data(UPDATE, {"id": gid("Broadcast", broadcast.pk),
                                   "input": {"streamUrl": link}})
    assert [(e["field"], e["code"]) for e in updated["broadcastUpdate"]["errors"]] == [
        ("streamUrl", "INVALID")]
    assert Broadcast.objects.count() == 1
    broadcast.refresh_from_db()
    assert broadcast.stream_url == "https://live.example.com/1"


def test_schedule_refuses_script_link(host, studio):
    with pytest.raises(ValidationError) as refused:
        services.create_weekly_schedule(
            host=host, venue=studio, title="每周柿饼", weekday=2,
            start_time=timezone.now().time(), duration_minutes=60, platform="douyin",
            starts_on=timezone.localdate(), stream_url="javascript:alert(1)")
    assert refused.value.message_dict == {"stream_url": [refused.value.messages[0]]}


def test_admin_form_refuses_script_link(operator_user, broadcast):
    operator_user.is_staff = operator_user.is_superuser = True
    operator_user.save()
    request = RequestFactory().get("/")
    request.user = operator_user
    model_admin = BroadcastAdmin(Broadcast, admin.site)
    form_class = model_admin.get_form(request, broadcast, change=True)
    data = {"title": broadcast.title, "platform": broadcast.platform, "plan_notes": "",
            "execution_notes": "", "review_notes": ""}
    for link in ("javascript:alert(1)", "ftp://example.com/x"):
        form = form_class(data={**data, "stream_url": link}, instance=broadcast)
        assert not form.is_valid()
        assert "stream_url" in form.errors
    good = form_class(data={**data, "stream_url": "https://live.example.com/2"},
                      instance=broadcast)
    assert good.is_valid(), good.errors
    # The booking itself (host, venue, times) is not in the form at all.
    assert not {"host", "venue", "starts_at", "ends_at", "status"} & set(form_class.base_fields)


def test_admin_change_page_post_cannot_store_script_link(operator_user, broadcast):
    operator_user.is_staff = operator_user.is_superuser = True
    operator_user.save()
    client = Client()
    client.force_login(operator_user)
    page = client.get(f"/admin/livestream/broadcast/{broadcast.pk}/change/")
    assert page.status_code == 200
    assert b'name="starts_at_0"' not in page.content
    client.post(f"/admin/livestream/broadcast/{broadcast.pk}/change/", {
        "title": "x", "platform": "douyin", "stream_url": "javascript:alert(1)"})
    broadcast.refresh_from_db()
    assert broadcast.stream_url == "https://live.example.com/1"


# Whose stock a host may line up ---------------------------------------------------------

def _add(client, broadcast, variant=None, offer=None, price="30", quantity=3):
    return client.data(ADD, {
        "b": gid("Broadcast", broadcast.pk), "v": gid("ProductVariant", variant.pk) if variant
        else None, "offer": gid("LiveOffer", offer.pk) if offer else None,
        "input": {"livePrice": price, "quantity": quantity}})["lineupItemAdd"]


@pytest.fixture
def other_broadcast(other_host, studio):
    """The millet cooperative's host, whose line-up the persimmons are not part of."""
    start = timezone.now() + timedelta(days=1)
    return services.create_broadcast(host=other_host, venue=studio, title="小米专场",
                                     starts_at=start, ends_at=start + timedelta(hours=2),
                                     platform="douyin")


def test_host_cannot_hold_another_cooperatives_stock_without_its_offer(
        gql_as, other_coop_user, other_broadcast, variant):
    stock = Stock.objects.get(product_variant=variant)
    before = (stock.quantity, stock.quantity_allocated)
    for price in ("0", "30"):
        payload = _add(gql_as(other_coop_user), other_broadcast, variant, price=price)
        assert payload["lineupItem"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [("variantId", "INVALID")]
    assert not LineupItem.objects.exists()
    stock.refresh_from_db()
    assert (stock.quantity, stock.quantity_allocated) == before


def test_cooperative_offer_sets_the_floor_and_the_cap(gql_as, coop, coop_user, other_coop_user,
                                                      other_broadcast, variant):
    # Another cooperative cannot publish an offer of the persimmons.
    refused = gql_as(other_coop_user).post(OFFER, {"org": gid("Organization", coop.pk), "input": {
        "variantId": gid("ProductVariant", variant.pk), "minLivePrice": "25", "maxQuantity": 4}})
    assert refused["errors"] and refused["data"]["liveOfferCreate"] is None
    assert not LiveOffer.objects.exists()

    published = gql_as(coop_user).data(OFFER, {"org": gid("Organization", coop.pk), "input": {
        "variantId": gid("ProductVariant", variant.pk), "minLivePrice": "25",
        "maxQuantity": 4}})["liveOfferCreate"]
    assert published["errors"] == []
    assert published["offer"]["quantityLeft"] == 4
    offer = LiveOffer.objects.get()
    host = gql_as(other_coop_user)
    below = _add(host, other_broadcast, variant, price="0")
    assert [(e["field"], e["code"]) for e in below["errors"]] == [("livePrice", "INVALID")]
    too_many = _add(host, other_broadcast, offer=offer, price="25", quantity=5)
    assert [(e["field"], e["code"]) for e in too_many["errors"]] == [
        ("quantity", "QUANTITY_GREATER_THAN_LIMIT")]
    assert not LineupItem.objects.exists()

    added = _add(host, other_broadcast, offer=offer, price="25", quantity=4)
    assert added["errors"] == [] and added["lineupItem"]["quantityAllocated"] == 4
    item = LineupItem.objects.get()
    assert item.offer == offer and item.live_price_amount == Decimal("25.00")
    # Within the line-up, too: no price under the floor, no more units than offered.
    with pytest.raises(ValidationError):
        services.update_lineup_item(item, live_price="1")
    with pytest.raises(ValidationError):
        services.update_lineup_item(item, quantity=5)
    item.refresh_from_db()
    assert (item.live_price_amount, item.quantity_allocated) == (Decimal("25.00"), 4)


def test_withdrawn_or_expired_offers_do_not_count(gql_as, coop, other_coop_user,
                                                  other_broadcast, variant):
    withdrawn = services.publish_offer(coop, variant=variant, min_live_price="20",
                                       max_quantity=5)
    services.withdraw_offer(withdrawn)
    payload = _add(gql_as(other_coop_user), other_broadcast, variant)
    assert payload["errors"][0]["code"] == "INVALID"
    assert not LineupItem.objects.exists()


def test_operator_lines_up_for_the_pavilion(gql_as, operator_user, other_broadcast, variant):
    payload = _add(gql_as(operator_user), other_broadcast, variant, price="30")
    assert payload["errors"] == []
    assert LineupItem.objects.get().offer is None


def test_own_cooperatives_stock_needs_no_offer(gql_as, host_user, broadcast, variant):
    payload = _add(gql_as(host_user), broadcast, variant, price="29.90")
    assert payload["errors"] == []


def test_overlong_or_unstorable_texts_are_refused_not_cut(host, broadcast):
    cases = [
        (lambda: services.update_host(host, display_name="王" * 1_000_000), "display_name"),
        (lambda: services.create_venue(name="直播间\x00", kind="studio"), "name"),
        (lambda: services.update_broadcast_notes(broadcast, plan_notes="很" * 1_000_000),
         "plan_notes"),
        (lambda: services.update_broadcast_notes(broadcast, viewer_count=2**31 - 1),
         "viewer_count"),
    ]
    for call, field in cases:
        with pytest.raises(ValidationError) as refused:
            call()
        assert set(refused.value.message_dict) == {field}
    host.refresh_from_db()
    broadcast.refresh_from_db()
    assert host.display_name == "柿饼小王" and broadcast.plan_notes == ""
    assert broadcast.viewer_count is None
