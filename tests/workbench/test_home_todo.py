"""The workbench home's "to do" list of each role (Django's test client signed in as each):
the licensee's, the brand authority's and the host's or operator's own jobs, each a link
to the page where it is done, and the same number of queries for twice the records."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brand import services as brand_services
from brand.models import LabelUse, Licence, PublicNotice
from catalog.models import Pavilion
from livestream import services as live_services
from livestream.models import Venue
from tests.factories import draft, granted, in_notice, make_member, make_org, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def host_user(coop):
    return make_member(coop, "host@example.com")


@pytest.fixture
def host(host_user, coop):
    return live_services.create_host(user=host_user, organization=coop, display_name="柿饼小王",
                                     birth_date=date(1998, 5, 1), platforms=["douyin"],
                                     real_name_verified=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def todo(client) -> dict[str, str]:
    """The home's to-do items: text -> link."""
    page = client.get("/work/").content.decode()
    section = re.search(r'<section class="card todo".*?</section>', page, re.S)
    if section is None:
        return {}
    return {text.strip(): url for url, text in
            re.findall(r'<a href="([^"]+)">([^<]+)</a>', section.group(0))}


def find(items, words) -> str:
    """The link of the one item whose text holds ``words``."""
    found = [url for text, url in items.items() if words in text]
    assert len(found) == 1, (words, items)
    return found[0]


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/work/").status_code == 200
    return len(captured)


def test_the_licensee_is_told_of_questions_renewal_reports_and_labels(
        brand, coop, coop_user, coop_client, authority_user, persimmon, zh_catalogue):
    assert not any("品牌" in text for text in todo(coop_client))
    application = draft(brand, coop, coop_user, products=[persimmon])
    brand_services.submit_application(application, coop_user)
    brand_services.start_review(application, authority_user)
    brand_services.ask_question(application, authority_user, question="请补充检测报告")
    licence = granted(brand, coop, coop_user, authority_user, products=[persimmon])
    today = timezone.localdate()
    Licence.objects.filter(pk=licence.pk).update(
        valid_from=date(today.year - 1, 3, 1), valid_until=today + timedelta(days=20))
    LabelUse.objects.create(licence=licence, year=today.year, count=licence.annual_label_quota,
                            reference="run-1")
    items = todo(coop_client)
    assert find(items, "提出了问题") == f"/work/brand/applications/{application.pk}/#questions"
    page = f"/work/brand/licences/{licence.pk}/"
    assert find(items, "请申请续期") == page + "#renewal"
    report = f"{page}?year={today.year - 1}#usage-report"
    assert find(items, f"{today.year - 1} 年度使用报告") == report
    assert find(items, "枚品牌标识") == page
    # The most pressing first: a question waiting before a report to write.
    texts = list(items)
    assert texts.index(next(t for t in texts if "提出了问题" in t)) < texts.index(
        next(t for t in texts if "使用报告" in t))
    # Each link opens the page where the job is done.
    answer_page = coop_client.get(f"/work/brand/applications/{application.pk}/")
    assert "发送答复" in answer_page.content.decode()
    assert "申请续期" in coop_client.get(page).content.decode()
    # The report's link opens the form on last year, the year it asks for.
    form = coop_client.get(report).content.decode()
    assert f'name="year" value="{today.year - 1}"' in form

    # Done: the answer, the report; the items go.
    brand_services.answer_question(application.questions.get(), coop_user, answer="已上传")
    brand_services.submit_usage_report(licence, coop_user, year=today.year - 1,
                                       volume_sold_kg="10", sales_amount="100", codes_used=0)
    items = todo(coop_client)
    assert not [t for t in items if "提出了问题" in t or "使用报告" in t]


def test_the_authority_is_told_of_applications_notices_and_objections(
        brand, coop, coop_user, other_coop, other_coop_user, authority_user, authority_client,
        persimmon, millet_draft, zh_catalogue):
    assert todo(authority_client) == {}
    submitted = draft(brand, coop, coop_user, products=[persimmon])
    brand_services.submit_application(submitted, coop_user)
    noticed = in_notice(brand, other_coop, other_coop_user, authority_user,
                        products=[millet_draft])
    PublicNotice.objects.filter(application=noticed).update(
        ends_at=timezone.now() + timedelta(hours=20))
    brand_services.lodge_objection(noticed.notices.get(), name="李四", contact="13800000000",
                                   reason="并非本地种植")
    items = todo(authority_client)
    assert find(items, "份申请待审核") == "/work/brand/review/"
    assert find(items, "两天内结束") == f"/work/brand/review/{noticed.pk}/"
    assert find(items, "条异议待答复") == f"/work/brand/review/{noticed.pk}/"
    assert "答复异议" in authority_client.get(f"/work/brand/review/{noticed.pk}/").content.decode()
    # The notice ends: the item says to grant.
    PublicNotice.objects.filter(application=noticed).update(
        starts_at=timezone.now() - timedelta(days=6), ends_at=timezone.now() - timedelta(minutes=1))
    assert find(todo(authority_client), "请授权") == f"/work/brand/review/{noticed.pk}/"


def test_the_host_and_the_operator_are_told_of_the_next_broadcast_lineups_and_coverage(
        host, host_user, operator_user, coop, channel, zh_catalogue):
    # A second county with a pavilion and no broadcast at all.
    Pavilion.objects.create(name="息县特色馆", slug="xixian", county="息县", province="河南省")
    studio = Venue.objects.create(name="电商中心1号直播间", kind="studio", address="渑池县",
                                  organization=coop)
    starts = timezone.now() + timedelta(days=1)
    broadcast = live_services.create_broadcast(
        host=host, venue=studio, title="渑池柿饼专场", starts_at=starts,
        ends_at=starts + timedelta(hours=2), platform="pavilion", actor=host_user)
    for client in (signed_in(host_user), signed_in(operator_user)):
        items = todo(client)
        assert find(items, "下一场直播：渑池柿饼专场") == f"/work/live/{broadcast.pk}/"
        assert find(items, "尚未安排商品") == f"/work/live/{broadcast.pk}/"
        assert find(items, "本周没有直播") == "/work/live/new/"
        assert "息县" in next(t for t in items if "本周没有直播" in t)
    # Another host's broadcasts are not the host's to do.
    honey = make_org("宁陕蜂蜜合作社", "ningshan-honey")
    other = make_member(honey, "other-host@example.com")
    live_services.create_host(user=other, organization=honey, display_name="蜂蜜姐",
                              birth_date=date(1990, 1, 1), platforms=["douyin"],
                              real_name_verified=True)
    assert not [t for t in todo(signed_in(other)) if "渑池柿饼专场" in t]


def test_the_home_takes_the_same_number_of_queries_for_twice_the_records(
        brand, coop, coop_user, coop_client, authority_user, authority_client, host,
        host_user, operator_user, product_type, category, channel):
    studio = Venue.objects.create(name="直播间", kind="studio", address="渑池县",
                                  organization=coop)

    def grow(start, n):
        for i in range(start, start + n):
            product = make_product(coop, product_type, category, channel, f"柿饼{i}",
                                   f"shibing-{i}", ["20.00"])
            licence = granted(brand, coop, coop_user, authority_user, products=[product])
            Licence.objects.filter(pk=licence.pk).update(
                valid_until=timezone.localdate() + timedelta(days=10))
            noticed = in_notice(brand, coop, coop_user, authority_user, products=[product])
            brand_services.lodge_objection(noticed.notices.get(), name="李四",
                                           contact="13800000000", reason="异议")
            application = draft(brand, coop, coop_user, products=[product])
            brand_services.submit_application(application, coop_user)
            brand_services.ask_question(application, authority_user, question="请说明")
            starts = timezone.now() + timedelta(days=1 + i)
            live_services.create_broadcast(
                host=host, venue=studio, title=f"专场{i}", starts_at=starts,
                ends_at=starts + timedelta(hours=1), platform="pavilion", actor=host_user)

    clients = {"licensee": coop_client, "authority": authority_client,
               "host": signed_in(host_user), "operator": signed_in(operator_user)}
    grow(0, 2)
    small = {role: queries(client) for role, client in clients.items()}
    grow(2, 2)
    large = {role: queries(client) for role, client in clients.items()}
    assert large == small
