"""Two corners of the county figures: an order paid days after it was placed still counts
on the day it was paid, and the five-host rule is counted per county with the livestream
app's own count (active, real-name verified hosts of that county's organisations)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from livestream.models import Host
from shop.models import Order, User
from tests.factories import make_org

from .conftest import place_order

pytestmark = pytest.mark.django_db

QUERY = """query($county: String, $period: StatisticsPeriodEnum) {
  countyStatistics(county: $county, period: $period) {
    sales { orders { value } gmv { value { amount } } }
    livestream { activeHosts activeHostsRule } } }"""


def test_an_order_paid_days_after_it_was_placed_counts_on_its_paid_day(
        persimmon, variant, shipping, pay, run_on_commit, official, gql_as):
    order = place_order(variant, shipping, 2)
    # Placed five days ago and kept open (a late payment notice, a longer time to pay).
    Order.objects.filter(pk=order.pk).update(
        created_at=timezone.now() - timedelta(days=5),
        expires_at=timezone.now() + timedelta(hours=1))
    order.refresh_from_db()
    paid = run_on_commit(lambda: pay(order))
    assert timezone.localdate(paid.paid_at) == timezone.localdate()
    sales = gql_as(official).data(QUERY, {"period": "DAY"})["countyStatistics"]["sales"]
    assert sales["orders"]["value"] == 1
    assert sales["gmv"]["value"]["amount"] == 79.8


def _hosts(org, n, prefix, **kwargs):
    for i in range(n):
        user = User.objects.create_user(f"{prefix}{i}@example.com", "x-Strong-pass-1")
        Host.objects.create(user=user, organization=org, display_name=f"{prefix}{i}",
                            birth_date=date(1995, 1, 1), real_name_verified=True, **kwargs)


def test_hosts_are_counted_per_county(pavilion, other_pavilion, official, operator_user,
                                      gql_as):
    mianchi = make_org("渑池县直播基地", "mianchi-live")
    zeku = make_org("泽库县直播基地", "zeku-live")
    zeku.county = "泽库县"
    zeku.save()
    _hosts(mianchi, 6, "mc")
    _hosts(mianchi, 2, "off", is_active=False)  # not counted: inactive
    _hosts(zeku, 1, "zk")

    mine = gql_as(official).data(QUERY, {})["countyStatistics"]["livestream"]
    assert (mine["activeHosts"], mine["activeHostsRule"]) == (6, 5)
    theirs = gql_as(operator_user).data(QUERY, {"county": "zeku"})["countyStatistics"]
    assert (theirs["livestream"]["activeHosts"], theirs["livestream"]["activeHostsRule"]) == (
        1, 5)
    # The whole platform: 5 hosts in each of the two counties are needed; 渑池's six do
    # not make up for 泽库's one.
    whole = gql_as(operator_user).data(QUERY, {})["countyStatistics"]["livestream"]
    assert (whole["activeHosts"], whole["activeHostsRule"]) == (7, 10)
