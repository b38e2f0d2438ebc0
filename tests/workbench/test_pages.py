"""The cooperative's workbench pages through Django's test client: every page opens, each
write goes through the domain service and a refusal shows the service's own message next
to its field; another organisation's records are not found."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_every_producer_page_opens(coop_client, packing_run, graded_lot, sourcing_lot, base,
                                   persimmon, zh_catalogue):
    variant = persimmon.variants.first()
    for url in ["/work/", "/work/products/", "/work/products/new/",
                f"/work/products/{persimmon.pk}/", f"/work/variants/{variant.pk}/",
                "/work/stock/", "/work/warehouses/", "/work/households/", "/work/bases/",
                f"/work/bases/{base.pk}/", "/work/lots/", "/work/lots/new/",
                f"/work/lots/{sourcing_lot.pk}/", "/work/grading/",
                f"/work/grading/{persimmon.pk}/", f"/work/graded/{graded_lot.pk}/",
                f"/work/runs/{packing_run.pk}/", f"/work/recall/sourcing/{sourcing_lot.pk}/",
                f"/work/recall/graded/{graded_lot.pk}/", "/work/orders/", "/work/sales/",
                "/work/sales.csv"]:
        response = coop_client.get(url)
        assert response.status_code == 200, url


def test_another_organisations_records_are_not_found(other_client, packing_run, graded_lot,
                                                     sourcing_lot, base, persimmon):
    variant = persimmon.variants.first()
    for url in [f"/work/products/{persimmon.pk}/", f"/work/variants/{variant.pk}/",
                f"/work/bases/{base.pk}/", f"/work/lots/{sourcing_lot.pk}/",
                f"/work/grading/{persimmon.pk}/", f"/work/graded/{graded_lot.pk}/",
                f"/work/runs/{packing_run.pk}/", f"/work/recall/sourcing/{sourcing_lot.pk}/"]:
        assert other_client.get(url).status_code == 404, url
    response = other_client.post(f"/work/products/{persimmon.pk}/publish/", {"channel": 1,
                                                                             "publish": "0"})
    assert response.status_code == 404
