"""Brand-labelled packing runs: the supply chain's packing run issues brand-labelled trace
codes only within the seller's licence quota, in the same transaction; the trace page shows
the licence's live status."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from brand import services
from brand.models import LabelUse, Licence
from shop.models import Stock
from supplychain.models import PackingRun, TraceCode
from tests.factories import gid

pytestmark = pytest.mark.django_db

PACK = """mutation($input: PackingRunCreateInput!) { packingRunCreate(input: $input) {
  packingRun { quantity } errors { field code message } } }"""


def pack(client, graded_lot, persimmon, coop, quantity, labelled=True):
    variant = persimmon.variants.order_by("sku").first()
    return client.data(PACK, {"input": {
        "gradedLot": gid("GradedLot", graded_lot.pk), "variant": gid("ProductVariant", variant.pk),
        "warehouse": gid("Warehouse", coop.warehouses.first().pk), "quantity": quantity,
        "netWeightKg": "0.5", "brandLabelled": labelled}})["packingRunCreate"]


def stock_of(persimmon):
    variant = persimmon.variants.order_by("sku").first()
    return sum(Stock.objects.filter(product_variant=variant).values_list("quantity", flat=True))


def test_brand_labelled_packing_within_quota(gql_as, licence, graded_lot, persimmon, coop,
                                             coop_user, authority_user):
    Licence.objects.filter(pk=licence.pk).update(annual_label_quota=8)
    client = gql_as(coop_user)
    assert pack(client, graded_lot, persimmon, coop, 5) == {
        "packingRun": {"quantity": 5}, "errors": []}
    run = PackingRun.objects.get()
    assert LabelUse.objects.get().reference == f"packing-run:{run.pk}"
    before_stock, before_codes = stock_of(persimmon), TraceCode.objects.count()

    over = pack(client, graded_lot, persimmon, coop, 4)
    assert over["packingRun"] is None
    assert over["errors"][0]["field"] == "quantity" and "3" in over["errors"][0]["message"]
    # Nothing of the refused run happened: no run, no codes, no stock, no quota used.
    assert PackingRun.objects.count() == 1
    assert TraceCode.objects.count() == before_codes and stock_of(persimmon) == before_stock
    assert services.label_usage(licence)["used"] == 5

    # Unlabelled packing does not touch the quota.
    assert pack(client, graded_lot, persimmon, coop, 4, labelled=False)["errors"] == []
    assert services.label_usage(licence)["used"] == 5

    # The trace page shows the licence; a suspension shows at once and stops brand labels.
    code = run.trace_codes.first().code
    page = Client().get(f"/t/{code}").content.decode()
    assert licence.number in page
    services.suspend_licence(licence, authority_user, reason="抽检不合格")
    assert 'class="danger"' in Client().get(f"/t/{code}").content.decode()
    stopped = pack(client, graded_lot, persimmon, coop, 1)
    assert stopped["errors"][0]["field"] == "brandLabelled"
    assert PackingRun.objects.count() == 2


REPORT = """mutation($l: ID!, $year: Int!) { licenceUsageReportSubmit(licence: $l,
  input: {year: $year, volumeSoldKg: "800", salesAmount: "42000.00", codesUsed: 0}) {
  errors { field code } } }"""


OVERDUE = """query($n: String!) { licence(number: $n) { overdueUsageReportYears } }"""


def test_an_overdue_usage_report_stops_brand_labels_until_it_is_in(
        gql_as, licence, graded_lot, persimmon, coop, coop_user, other_coop_user):
    today = timezone.localdate()
    # Granted two years ago: the report of that year was due on 31 March last year (and
    # last year's too, from 1 April on).
    Licence.objects.filter(pk=licence.pk).update(valid_from=date(today.year - 2, 6, 1))
    licence.refresh_from_db()
    overdue = services.overdue_reports(licence)
    assert overdue[0] == today.year - 2 and set(overdue) <= {today.year - 2, today.year - 1}
    client = gql_as(coop_user)
    # The holder (and the authority) see which reports are overdue; nobody else does.
    assert client.data(OVERDUE, {"n": licence.number})["licence"] == {
        "overdueUsageReportYears": overdue}
    assert gql_as(other_coop_user).data(OVERDUE, {"n": licence.number})["licence"] == {
        "overdueUsageReportYears": None}
    for year in overdue:
        refused = pack(client, graded_lot, persimmon, coop, 2)
        assert refused["packingRun"] is None
        [error] = refused["errors"]
        assert (error["field"], error["code"]) == ("brandLabelled", "USAGE_REPORT_MISSING")
        assert str(year) in error["message"] and licence.number in error["message"]
        # Packing without the brand's label goes on meanwhile.
        assert pack(client, graded_lot, persimmon, coop, 1, labelled=False)["errors"] == []
        reported = client.data(REPORT, {"l": gid("Licence", licence.pk), "year": year})
        assert reported["licenceUsageReportSubmit"]["errors"] == []
    assert not LabelUse.objects.exists()
    assert client.data(OVERDUE, {"n": licence.number})["licence"] == {
        "overdueUsageReportYears": []}
    assert pack(client, graded_lot, persimmon, coop, 2) == {
        "packingRun": {"quantity": 2}, "errors": []}
    assert services.label_usage(licence)["used"] == 2
