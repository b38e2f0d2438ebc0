"""``countyStatistics`` through the real /graphql/ view: officials get their own county,
operators every county and the whole platform; everybody else is refused."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import place_order

pytestmark = pytest.mark.django_db

QUERY = """query($county: String, $period: StatisticsPeriodEnum, $from: Date, $to: Date) {
  countyStatistics(county: $county, period: $period, from: $from, to: $to) {
    county countyName period { kind label start end previousStart }
    sales { gmv { value { amount currency } previous { amount } change }
            orders { value previous change } units { value }
            averageOrderValue { value { amount } }
            byProduct { name units amount { amount } } bySource { source amount { amount } }
            series { date orders amount { amount } } }
    market { cooperatives households povertyHouseholds activeSellers { value } }
    brand { licencesByStatus { status count } expiringSoon violations { value } }
    products { codesIssued { value } scans { value } firstScanRate
               scansByProvince { province } }
    logistics { shipped { value } shippedInTimeShare { value }
                buyersByProvince { province orders } }
    livestream { broadcasts weeks { week broadcasts meetsRule } activeHosts activeHostsRule }
    poverty { paidToPovertyHouseholds { value { amount } } perHousehold { household } }
  } }"""


@pytest.fixture
def sold(persimmon, variant, shipping, pay, run_on_commit):
    return run_on_commit(lambda: pay(place_order(variant, shipping, 2)))


def denied(result) -> bool:
    return result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_an_official_pulls_their_county(sold, official, gql_as):
    data = gql_as(official).data(QUERY, {"period": "MONTH"})["countyStatistics"]
    assert data["county"] == "mianchi" and data["countyName"] == "渑池县"
    assert data["period"]["kind"] == "month"
    sales = data["sales"]
    assert sales["gmv"]["value"] == {"amount": 79.8, "currency": "CNY"}
    assert sales["orders"] == {"value": 1, "previous": 0, "change": None}
    assert sales["units"]["value"] == 2
    assert sales["byProduct"] == [{"name": "渑池柿饼", "units": 2, "amount": {"amount": 79.8}}]
    assert {"province": "河南省", "orders": 1} in data["logistics"]["buyersByProvince"]
    ranged = gql_as(official).data(QUERY, {"from": sold.paid_at.date().isoformat(),
                                           "to": sold.paid_at.date().isoformat()})
    assert ranged["countyStatistics"]["period"]["kind"] == "custom"


def test_refusals(sold, official, coop_user, gql, gql_as, other_pavilion):
    assert denied(gql.post(QUERY))
    assert denied(gql_as(coop_user).post(QUERY))
    assert denied(gql_as(official).post(QUERY, {"county": "zeku"}))
    wrong = gql_as(official).post(QUERY, {"from": "2026-01-02", "to": "2026-01-01"})
    assert wrong["errors"] and wrong["data"]["countyStatistics"] is None


def test_the_operator_pulls_any_county_and_the_whole(sold, operator_user, gql_as,
                                                     other_pavilion):
    whole = gql_as(operator_user).data(QUERY, {"period": "YEAR"})["countyStatistics"]
    assert whole["county"] is None and whole["sales"]["orders"]["value"] == 1
    zeku = gql_as(operator_user).data(QUERY, {"county": "zeku"})["countyStatistics"]
    assert zeku["sales"]["gmv"]["value"]["amount"] == 0


def test_the_number_of_queries_does_not_grow_with_orders(
        persimmon, variant, shipping, pay, run_on_commit, operator_user, gql_as):
    def count():
        with CaptureQueriesContext(connection) as queries:
            gql_as(operator_user).data(QUERY, {"period": "YEAR"})
        return len(queries)

    run_on_commit(lambda: pay(place_order(variant, shipping, 1)))
    few = count()
    for _ in range(3):
        run_on_commit(lambda: pay(place_order(variant, shipping, 1)))
    assert count() == few
