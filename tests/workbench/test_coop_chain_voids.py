"""Correcting a chain record on the workbench's lot chain page: the cooperative voids a
wrong record with a reason and names the one entered in its place; the page keeps it,
struck through with who, when and why, and offers no second void; a void without a
reason, or of another lot's record, is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from supplychain import services as supplychain_services
from supplychain.models import FarmInput

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def farm_input(lot, user, name, kind="veterinary_drug", withdrawal=35):
    return supplychain_services.record_farm_input(
        lot, kind=kind, name=name, withdrawal_days=withdrawal, user=user,
        applied_on=timezone.localdate() - timedelta(days=5))


def test_the_cooperative_voids_a_wrong_input_and_it_stays_struck_through(
        coop_client, other_client, sourcing_lot, coop_user, zh_catalogue):
    url = f"/work/lots/{sourcing_lot.pk}/chain/"
    wrong = farm_input(sourcing_lot, coop_user, "伊维菌素注射液")
    right = farm_input(sourcing_lot, coop_user, "燕麦青干草", kind="feed", withdrawal=0)
    page = html(coop_client.get(url))
    assert "伊维菌素注射液的休药期至" in page  # the drug's withdrawal period holds the lot
    assert f'id="id_void-inputs-{wrong.pk}-reason"' in page
    void = {"action": "void", "kind": "inputs", "record": wrong.pk,
            f"void-inputs-{wrong.pk}-replaced_by": right.pk}

    # Without a reason: refused next to the field, nothing voided.
    response = coop_client.post(url, {**void, f"void-inputs-{wrong.pk}-reason": ""})
    assert response.status_code == 400
    assert f'id="id_void-inputs-{wrong.pk}-reason-error"' in html(response)
    wrong.refresh_from_db()
    assert not wrong.is_voided
    # Another cooperative does not find the lot.
    assert other_client.post(url, {**void, f"void-inputs-{wrong.pk}-reason": "错"}
                             ).status_code == 404

    response = coop_client.post(url, {**void,
                                      f"void-inputs-{wrong.pk}-reason": "录入错误：实为饲草"})
    assert response.status_code == 302
    wrong.refresh_from_db()
    assert wrong.is_voided and wrong.voided_by == coop_user and wrong.replaced_by == right
    page = html(coop_client.get(url))
    assert "<s>伊维菌素注射液</s>" in page and "已作废" in page
    assert "录入错误：实为饲草" in page and coop_user.email in page
    assert "重新登记为" in page
    # No form to void it again; a forged second void is not found.
    assert f'id="id_void-inputs-{wrong.pk}-reason"' not in page
    assert coop_client.post(url, {**void, f"void-inputs-{wrong.pk}-reason": "再"}
                            ).status_code == 404
    # The lot is no longer held by the voided drug's withdrawal period.
    assert "伊维菌素注射液的休药期至" not in page
    assert FarmInput.objects.count() == 2


LOGGER_CSV = """时间,温度(℃)
2026-01-10 08:00,-19.5
2026-01-10 08:30,-18.6
"""


def test_a_log_of_the_wrong_truck_is_voided_and_another_lots_record_is_not_found(
        coop, coop_client, sourcing_lot, coop_user, persimmon, household, base, zh_catalogue):
    url = f"/work/lots/{sourcing_lot.pk}/chain/"
    log = supplychain_services.upload_cold_chain_log(
        coop, LOGGER_CSV, min_celsius=-25, max_celsius=-18, sourcing_lot=sourcing_lot,
        device="冷藏车 青B-7", user=coop_user)
    other_lot = supplychain_services.create_sourcing_lot(
        coop, product=persimmon, household=household, base=base,
        harvested_on=timezone.localdate() - timedelta(days=3), quantity_kg="10",
        unit_price="12.50", user=coop_user)
    elsewhere = farm_input(other_lot, coop_user, "青贮玉米", kind="feed", withdrawal=0)
    # A record of another lot is not voided from this lot's page.
    assert coop_client.post(url, {"action": "void", "kind": "inputs", "record": elsewhere.pk,
                                  f"void-inputs-{elsewhere.pk}-reason": "错"}
                            ).status_code == 404
    response = coop_client.post(url, {"action": "void", "kind": "logs", "record": log.pk,
                                      f"void-logs-{log.pk}-reason": "传错了车的记录仪文件"})
    assert response.status_code == 302
    page = html(coop_client.get(url))
    assert "<s>冷藏车 青B-7</s>" in page and "传错了车的记录仪文件" in page
    elsewhere.refresh_from_db()
    assert not elsewhere.is_voided
