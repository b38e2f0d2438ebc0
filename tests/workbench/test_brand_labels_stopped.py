"""The workbench's licence pages say why brand labels stopped: the overdue usage reports,
each year with its due date, linking the holder to the report form on that year; once the
report is in, the notice goes and brand labels are issued again. The authority sees the
same reason on its register page; another cooperative does not find the licence."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from brand import services as brand_services
from brand.models import Licence
from tests.factories import granted

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_licence(brand, coop, coop_user, authority_user, persimmon):
    """A licence granted two years ago whose report of that year is overdue (and of last
    year's too from 1 April on)."""
    licence = granted(brand, coop, coop_user, authority_user, products=[persimmon])
    today = timezone.localdate()
    Licence.objects.filter(pk=licence.pk).update(valid_from=date(today.year - 2, 6, 1))
    licence.refresh_from_db()
    return licence


def html(response) -> str:
    return response.content.decode()


def test_the_holder_sees_why_brand_labels_stopped_and_reports_from_the_link(
        late_licence, coop_user, coop_client):
    url = f"/work/brand/licences/{late_licence.pk}/"
    overdue = brand_services.overdue_reports(late_licence)
    first = overdue[0]
    page = html(coop_client.get(url))
    assert "品牌标识已停发" in page
    for year in overdue:
        assert f"{year} 年度使用情况报告（截止 {year + 1}-03-31）" in page
        assert f'href="{url}?year={year}#usage-report"' in page
    # The link opens the report form on that year.
    form = html(coop_client.get(f"{url}?year={first}"))
    assert f'name="year" value="{first}"' in form
    for year in overdue:
        response = coop_client.post(url, {"action": "report", "year": year,
                                          "volume_sold_kg": "800", "sales_amount": "42000.00",
                                          "codes_used": "0"}, follow=True)
        assert response.status_code == 200
    page = html(coop_client.get(url))
    assert "品牌标识已停发" not in page
    assert brand_services.overdue_reports(late_licence) == []


def test_a_licence_granted_this_year_shows_no_notice(brand, coop, coop_user, authority_user,
                                                     persimmon, coop_client):
    licence = granted(brand, coop, coop_user, authority_user, products=[persimmon])
    assert "品牌标识已停发" not in html(coop_client.get(f"/work/brand/licences/{licence.pk}/"))


def test_the_authority_sees_the_reason_and_another_cooperative_nothing(
        late_licence, authority_client, other_client):
    first = brand_services.overdue_reports(late_licence)[0]
    page = html(authority_client.get(f"/work/brand/register/{late_licence.pk}/"))
    assert "品牌标识已停发" in page
    assert f"{first} 年度使用情况报告（截止 {first + 1}-03-31）" in page
    assert "#usage-report" not in page  # the holder reports, not the authority
    assert other_client.get(f"/work/brand/licences/{late_licence.pk}/").status_code == 404
