"""Livestream rules per county: a county without a broadcast that week is alerted even when
another county has one, hosts are counted per county against the rule of five,
broadcastUpdate keeps the plan notes, a co-selling cooperative reads its own lines' sales
detail (and no one else's), and a live order cancelled while the broadcast runs gives its
units back to the live allocation."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from catalog.models import Pavilion
from livestream import services
from livestream.models import CoverageAlert
from shop import services as shop_services
from shop.models import Notification
from tests.factories import broadcast_checkout, gid, make_member, make_org, make_product, stock_of

pytestmark = pytest.mark.django_db

RULES = """{ liveCountyRules(weeks: 2) { county hosts hostsRule meetsHostsRule
  weeks { weekStart broadcasts } weeksWithoutBroadcast } }"""


@pytest.fixture
def zeku(db):
    return Pavilion.objects.create(name="泽库特色馆", slug="zeku", county="泽库县",
                                   province="青海省", regional_brand_name="泽库牦牛")


def test_week_rule_and_hosts_counted_per_county(gql_as, operator_user, pavilion, zeku,
                                                broadcast, host, item):
    monday = services.week_start(timezone.localdate())
    week = services.weekly_coverage(weeks=1)[0]
    assert week["counties"] == {"渑池县": 1, "泽库县": 0}
    assert week["empty_counties"] == ["泽库县"]
    # 渑池's broadcast does not cover 泽库: its week is empty and the operators hear it.
    empty = services.check_weekly_coverage(weeks=1)
    assert empty == [monday]
    assert list(CoverageAlert.objects.values_list("county", flat=True)) == ["泽库县"]
    subjects = list(Notification.objects.filter(kind="livestream_week_empty")
                    .values_list("subject", flat=True))
    assert len(subjects) == 1 and "泽库县" in subjects[0]
    services.check_weekly_coverage(weeks=1)  # once per county and week
    assert Notification.objects.filter(kind="livestream_week_empty").count() == 1

    rules = {r["county"]: r for r in gql_as(operator_user).data(RULES)["liveCountyRules"]}
    assert rules["渑池县"]["hosts"] == 1 and rules["泽库县"]["hosts"] == 0
    assert rules["渑池县"]["hostsRule"] == 5 and not rules["渑池县"]["meetsHostsRule"]
    assert rules["渑池县"]["weeks"][0] == {"weekStart": monday.isoformat(), "broadcasts": 1}
    assert rules["泽库县"]["weeksWithoutBroadcast"][0] == monday.isoformat()
    # Four more verified hosts in 渑池 meet its rule; 泽库 still has none.
    for i in range(4):
        user = make_member(host.organization, f"host{i}@example.com")
        services.create_host(user=user, organization=host.organization,
                             display_name=f"主播{i}", birth_date=date(1995, 1, 1),
                             platforms=["douyin"], real_name_verified=True)
    rules = {r["county"]: r for r in gql_as(operator_user).data(RULES)["liveCountyRules"]}
    assert rules["渑池县"]["meetsHostsRule"] and not rules["泽库县"]["meetsHostsRule"]
    refused = Client().post("/graphql/", {"query": RULES}, content_type="application/json")
    assert refused.json()["data"] is None


def test_broadcast_update_keeps_plan_notes(gql_as, host_user, broadcast):
    mutation = """mutation($id: ID!, $input: BroadcastInput!) { broadcastUpdate(id: $id,
      input: $input) { broadcast { title planNotes } errors { field code } } }"""
    payload = gql_as(host_user).data(mutation, {"id": gid("Broadcast", broadcast.pk), "input": {
        "title": "渑池柿饼年货专场", "planNotes": "开场先讲柿饼捂霜，19:45 秒杀"}})["broadcastUpdate"]
    assert payload == {"broadcast": {"title": "渑池柿饼年货专场",
                                     "planNotes": "开场先讲柿饼捂霜，19:45 秒杀"}, "errors": []}
    too_long = gql_as(host_user).data(mutation, {"id": gid("Broadcast", broadcast.pk),
                                                 "input": {"planNotes": "长" * 4001}})
    assert too_long["broadcastUpdate"]["errors"][0]["field"] == "planNotes"
    broadcast.refresh_from_db()
    assert broadcast.plan_notes == "开场先讲柿饼捂霜，19:45 秒杀"


def test_co_selling_cooperative_reads_its_own_lines(operator_user, host_user, broadcast, item,
                                                    variant, shipping, other_coop,
                                                    other_coop_user, product_type, category,
                                                    channel, shopper):
    millet = make_product(other_coop, product_type, category, channel, "仰韶小米",
                          "yangshao-millet", ["25.00"])
    millet_variant = millet.variants.get()
    services.add_lineup_item(broadcast, variant=millet_variant, live_price=Decimal("19.90"),
                             quantity=5, actor=operator_user)
    services.start_broadcast(broadcast)
    for v, email in ((variant, "a@example.com"), (millet_variant, "b@example.com")):
        shop_services.complete_checkout(broadcast_checkout(broadcast, v, shipping,
                                                           email=email).token)
    url = f"/live/broadcasts/{broadcast.pk}/sales.csv"

    def rows(user):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        if response.status_code != 200:
            return response.status_code
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]

    assert [r[4] for r in rows(other_coop_user)] == ["仰韶小米"]  # its own line only
    assert sorted(r[4] for r in rows(host_user)) == ["仰韶小米", "渑池柿饼"]
    assert rows(shopper) == 403
    stranger = make_member(make_org("息县香稻丸合作社", "xixian-rice"), "rice@example.com")
    assert rows(stranger) == 403
    client = Client()
    client.force_login(other_coop_user)
    assert client.get(f"/live/broadcasts/{broadcast.pk}/sales.xlsx").status_code == 200


def test_cancelled_live_order_returns_units_to_the_live_allocation(broadcast, item, variant,
                                                                   shipping):
    services.start_broadcast(broadcast)
    order = shop_services.complete_checkout(
        broadcast_checkout(broadcast, variant, shipping, quantity=2).token)
    item.refresh_from_db()
    assert (item.quantity_sold, item.quantity_remaining) == (2, 3)
    shop_services.cancel_order(order, reason="买错了")
    item.refresh_from_db()
    stock = stock_of(variant)
    # Back in the live allocation (held for the broadcast), not in general stock.
    assert (item.quantity_sold, item.quantity_remaining) == (0, 5)
    assert (stock.quantity, stock.quantity_allocated) == (10, 5)
    assert sum(r.quantity for r in item.reservations.all()) == 5
    # The next live buyer gets them at the live price.
    again = shop_services.complete_checkout(
        broadcast_checkout(broadcast, variant, shipping, quantity=2,
                           email="next@example.com").token)
    assert again.lines.get().unit_price_amount == Decimal("29.90")
    # After the broadcast, a cancelled order's units stay in the shop's stock.
    services.end_broadcast(broadcast, viewer_count=10)
    shop_services.cancel_order(again, reason="不要了")
    item.refresh_from_db()
    stock.refresh_from_db()
    assert item.quantity_sold == 2 and item.quantity_remaining == 0
    assert stock.quantity_allocated == 0
