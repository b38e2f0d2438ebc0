"""The host's and the operator's jobs through the workbench pages (Django's test client):
booking and weekly schedules, the line-up from the cooperatives' offers, the live console,
the review and the coverage. Every write is ``livestream.services``', a refusal shows the
service's own message, another host's broadcast is not found, and the list pages take a
number of queries that does not grow with their lists."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from livestream import services as live_services
from livestream.models import Broadcast, LineupItem, Venue, WeeklySchedule
from shop import services as shop_services
from tests.factories import broadcast_checkout, gid, make_member, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def host_user(coop):
    return make_member(coop, "host@example.com")


@pytest.fixture
def host(host_user, coop):
    return live_services.create_host(user=host_user, organization=coop, display_name="柿饼小王",
                                     birth_date=date(1998, 5, 1), platforms=["douyin"],
                                     real_name_verified=True)


@pytest.fixture
def host_client(host, host_user):
    client = Client()
    client.force_login(host_user)
    return client


@pytest.fixture
def other_host(other_coop_user, other_coop):
    return live_services.create_host(user=other_coop_user, organization=other_coop,
                                     display_name="小米姐", birth_date=date(1990, 1, 1),
                                     platforms=["wechat_channels"], real_name_verified=True)


@pytest.fixture
def studio(coop):
    return Venue.objects.create(name="电商中心1号直播间", kind="studio", address="渑池县电商中心",
                                organization=coop)


@pytest.fixture
def operator_client(operator_user):
    client = Client()
    client.force_login(operator_user)
    return client


def html(response) -> str:
    return response.content.decode()


def soon(minutes=10):
    return timezone.localtime(timezone.now() + timedelta(minutes=minutes))


def test_a_host_books_builds_the_lineup_goes_live_and_reviews(
        host, host_client, studio, channel, variant, shipping, zh_catalogue):
    start = soon()
    response = host_client.post("/work/live/new/", {
        "title": "渑池柿饼专场", "venue": studio.pk, "day": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"), "duration_minutes": "120",
        "platform": "pavilion"})
    broadcast = Broadcast.objects.get(title="渑池柿饼专场")
    assert broadcast.host == host
    assert response["Location"] == f"/work/live/{broadcast.pk}/"
    page = html(host_client.get(response["Location"]))
    assert "渑池柿饼" in page and "合作社供货" in page
    # A live price above the shop price: the service's refusal next to the field.
    response = host_client.post(f"/work/live/{broadcast.pk}/", {
        "action": "add", "variant": variant.pk, "live_price": "99", "quantity": "5"})
    assert response.status_code == 400
    assert "直播价不能高于日常售价" in html(response)
    host_client.post(f"/work/live/{broadcast.pk}/", {
        "action": "add", "variant": variant.pk, "live_price": "29.90", "quantity": "5",
        "per_buyer_limit": "2"})
    item = LineupItem.objects.get(broadcast=broadcast)
    assert item.quantity_allocated == 5 and item.per_buyer_limit == 2
    # Pinning before going live is refused by the service.
    console = f"/work/live/{broadcast.pk}/console/"
    response = host_client.post(console, {"action": "pin", "item": item.pk})
    assert response.status_code == 400
    assert "只有直播进行中才能置顶商品" in html(response)
    host_client.post(console, {"action": "start"})
    broadcast.refresh_from_db()
    assert broadcast.status == "live"
    assert "渑池柿饼专场" in html(Client().get("/live/"))
    host_client.post(console, {"action": "pin", "item": item.pk})
    host_client.post(console, {"action": "flash", "item": item.pk, "flash_seconds": "120"})
    item.refresh_from_db()
    assert item.is_pinned and item.flash_sale_starts_at is not None
    # A shopper buys two at the live price; the console's feed shows it.
    checkout = broadcast_checkout(broadcast, variant, shipping, quantity=2)
    order = shop_services.complete_checkout(checkout.token)
    feed = html(host_client.get(f"/work/live/{broadcast.pk}/console/feed/"))
    assert str(order.number) in feed
    assert 'data-left>3<' in feed
    assert "秒杀" in feed
    response = host_client.post(console, {"action": "end", "viewer_count": "200"})
    assert response["Location"] == f"/work/live/{broadcast.pk}/review/"
    review = html(host_client.get(response["Location"]))
    assert "¥59.80" in review and "statistics/vendor/echarts.min.js" in review
    assert "chart-timeline" in review and "chart-sellers" in review
    assert host_client.get(f"/live/broadcasts/{broadcast.pk}/sales.csv").status_code == 200
    host_client.post(response["Location"], {"review_notes": "柿饼秒杀效果好"})
    broadcast.refresh_from_db()
    assert broadcast.status == "reviewed"


def test_the_operator_creates_a_weekly_schedule_and_sees_clashes_and_coverage(
        operator_client, host, other_host, studio, channel, pavilion, persimmon, zh_catalogue):
    first = timezone.localdate() + timedelta(days=1)
    # Another studio booked for the other host at the same time: a clash in the week.
    other_studio = Venue.objects.create(name="果园直播点", kind="origin")
    start = timezone.localtime(timezone.now() + timedelta(days=1)).replace(
        hour=19, minute=30, second=0, microsecond=0)
    live_services.create_broadcast(host=other_host, venue=other_studio, title="小米专场",
                                   starts_at=start, ends_at=start + timedelta(hours=1),
                                   platform="douyin")
    response = operator_client.post("/work/live/schedules/", {
        "title": "每周柿饼直播", "host": host.pk, "venue": studio.pk,
        "weekday": str(first.weekday()), "start_time": "19:00", "duration_minutes": "90",
        "platform": "douyin", "starts_on": first.isoformat()})
    assert response.status_code == 302
    schedule = WeeklySchedule.objects.get(title="每周柿饼直播")
    assert schedule.broadcasts.count() >= 2
    week = html(operator_client.get(f"/work/live/?week={first.isoformat()}"))
    assert "时间冲突" in week and "小米专场" in week
    # The host's line-up sells Mianchi goods, so Mianchi's week is covered.
    broadcast = schedule.broadcasts.order_by("starts_at").first()
    live_services.add_lineup_item(broadcast, variant=persimmon.variants.first(),
                                  live_price="30", quantity=1)
    coverage = html(operator_client.get("/work/live/coverage/"))
    assert "渑池县" in coverage and 'class="hit"' in coverage
    # A schedule whose host is already booked at that hour: the week is skipped and said.
    response = operator_client.post("/work/live/schedules/", {
        "title": "重复排期", "host": host.pk, "venue": other_studio.pk,
        "weekday": str(first.weekday()), "start_time": "19:00", "duration_minutes": "60",
        "platform": "douyin", "starts_on": first.isoformat()}, follow=True)
    assert "未能排定" in html(response) and "每周柿饼直播" in html(response)


def test_another_hosts_broadcast_is_not_found_and_wrong_states_are_refused(
        host, host_client, other_host, studio, channel, variant):
    theirs = live_services.create_broadcast(
        host=other_host, venue=studio, title="小米专场", starts_at=soon(30),
        ends_at=soon(90), platform="douyin")
    for url in (f"/work/live/{theirs.pk}/", f"/work/live/{theirs.pk}/console/",
                f"/work/live/{theirs.pk}/review/", f"/work/live/{theirs.pk}/console/feed/"):
        assert host_client.get(url).status_code == 404, url
    assert host_client.post(f"/work/live/{theirs.pk}/console/",
                            {"action": "start"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "scheduled"
    # Going live a day early is refused with the service's message.
    later = timezone.now() + timedelta(days=1)
    mine = live_services.create_broadcast(host=host, venue=studio, title="明日专场",
                                          starts_at=later, ends_at=later + timedelta(hours=1),
                                          platform="douyin")
    response = host_client.post(f"/work/live/{mine.pk}/console/", {"action": "start"})
    assert response.status_code == 400
    assert "直播可在计划开始前一小时至计划结束前开播" in html(response)
    # Completing the review of a broadcast that has not ended is refused too.
    response = host_client.post(f"/work/live/{mine.pk}/review/", {"review_notes": "提前复盘"})
    assert response.status_code == 400
    mine.refresh_from_db()
    assert mine.status == "scheduled"
    # A cooperative member without a host profile cannot open the host's pages.
    client = Client()
    client.force_login(make_member(studio.organization, "clerk@example.com"))
    assert client.get("/work/live/").status_code == 403


def test_the_page_and_the_api_agree_on_who_edits_a_broadcast(
        host, host_user, host_client, studio, channel, gql_as):
    """One rule (``livestream.services.can_edit_broadcast``): a deactivated host loses their
    broadcast on the page and in the API alike."""
    mine = live_services.create_broadcast(
        host=host, venue=studio, title="柿饼专场", starts_at=soon(30), ends_at=soon(90),
        platform="douyin")
    query = """query($id: ID!) { node(id: $id) { ... on Broadcast { canEdit } } }"""
    variables = {"id": gid("Broadcast", mine.pk)}
    assert host_client.get(f"/work/live/{mine.pk}/").status_code == 200
    assert gql_as(host_user).data(query, variables)["node"] == {"canEdit": True}
    host.is_active = False
    host.save(update_fields=["is_active"])
    assert host_client.get(f"/work/live/{mine.pk}/").status_code == 403  # no host pages now
    assert gql_as(host_user).data(query, variables)["node"] == {"canEdit": False}


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_live_lists_take_the_same_number_of_queries_for_twice_the_rows(
        host, host_client, studio, coop, product_type, category, channel, pavilion, shipping):
    broadcast = live_services.create_broadcast(
        host=host, venue=studio, title="大促", starts_at=soon(5), ends_at=soon(300),
        platform="douyin")
    live_services.start_broadcast(broadcast)
    day = timezone.localdate()

    def grow(start, n):
        for i in range(start, start + n):
            product = make_product(coop, product_type, category, channel, f"商品{i}", f"p-{i}",
                                   ["20.00", "10.00"], pavilion=pavilion)
            variant = product.variants.first()
            live_services.add_lineup_item(broadcast, variant=variant, live_price="9",
                                          quantity=2)
            checkout = broadcast_checkout(broadcast, variant, shipping, quantity=1,
                                          email=f"b{i}@example.com")
            shop_services.complete_checkout(checkout.token)
            at = timezone.now() + timedelta(days=2, hours=i)
            venue = Venue.objects.create(name=f"场地{i}", kind="studio")
            other = live_services.create_broadcast(
                host=host, venue=venue, title=f"直播{i}", starts_at=at,
                ends_at=at + timedelta(minutes=50), platform="douyin")
            live_services.add_lineup_item(other, variant=product.variants.last(),
                                          live_price="5", quantity=1)

    urls = [f"/work/live/?week={day.isoformat()}", f"/work/live/{broadcast.pk}/",
            f"/work/live/{broadcast.pk}/console/", f"/work/live/{broadcast.pk}/console/feed/",
            f"/work/live/{broadcast.pk}/review/", "/work/live/reviews/", "/work/live/coverage/",
            "/work/live/schedules/"]
    grow(0, 2)
    small = {url: queries(host_client, url) for url in urls}
    grow(2, 2)
    large = {url: queries(host_client, url) for url in urls}
    assert large == small
    assert max(small.values()) <= 30, small


def test_a_cooperative_offers_its_goods_and_a_host_lines_them_up_within_the_offer(
        host, host_client, studio, channel, other_coop, other_client, product_type, category,
        pavilion, zh_catalogue):
    millet = make_product(other_coop, product_type, category, channel, "仰韶小米", "millet",
                          ["25.00"], pavilion=pavilion)
    variant = millet.variants.get()
    broadcast = live_services.create_broadcast(host=host, venue=studio, title="小米专场",
                                               starts_at=soon(30), ends_at=soon(90),
                                               platform="douyin")
    # Without the cooperative's offer its goods are not offered to the host.
    assert "仰韶小米" not in html(host_client.get(f"/work/live/{broadcast.pk}/"))
    response = other_client.post("/work/live/offers/", {
        "action": "publish", "variant": variant.pk, "min_live_price": "20",
        "max_quantity": "4"})
    assert response.status_code == 302
    offer = variant_offer = other_coop.live_offers.get()
    assert "仰韶小米" in html(other_client.get("/work/live/offers/"))
    page = html(host_client.get(f"/work/live/{broadcast.pk}/"))
    assert "仰韶小米" in page and other_coop.name in page
    # Below the agreed lowest price, and more units than offered: the service refuses.
    url = f"/work/live/{broadcast.pk}/"
    response = host_client.post(url, {"action": "add", "offer": offer.pk, "live_price": "15",
                                      "quantity": "2"})
    assert response.status_code == 400
    assert "20.00" in html(response)
    response = host_client.post(url, {"action": "add", "offer": offer.pk, "live_price": "22",
                                      "quantity": "5"})
    assert response.status_code == 400
    host_client.post(url, {"action": "add", "offer": offer.pk, "live_price": "22",
                           "quantity": "4"})
    item = LineupItem.objects.get(broadcast=broadcast)
    assert item.offer == variant_offer and item.quantity_allocated == 4
    # Another organisation's offer cannot be withdrawn from here; its own can.
    assert host_client.post("/work/live/offers/", {"action": "withdraw",
                                                   "offer": offer.pk}).status_code == 404
    other_client.post("/work/live/offers/", {"action": "withdraw", "offer": offer.pk})
    offer.refresh_from_db()
    assert not offer.is_active
