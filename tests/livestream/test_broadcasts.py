"""Hosts, broadcasts, weekly schedules and the line-up through the real /graphql/ view:
who may do what, and bad input that changes nothing."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from livestream import services
from livestream.models import Broadcast, BroadcastEvent, Host, LineupItem
from tests.factories import gid, stock_of

SHANGHAI = ZoneInfo("Asia/Shanghai")

CREATE = """mutation($input: BroadcastInput!) { broadcastCreate(input: $input) {
  broadcast { id title status startsAt host { displayName } venue { kind } }
  errors { field code message } } }"""

ADD = """mutation($b: ID!, $v: ID!, $input: LineupItemInput!) {
  lineupItemAdd(broadcast: $b, variantId: $v, input: $input) {
    lineupItem { id livePrice { amount } regularPrice { amount } quantityAllocated
                 quantityRemaining perBuyerLimit }
    errors { field code message } } }"""

UPDATE_ITEM = """mutation($id: ID!, $input: LineupItemInput!) {
  lineupItemUpdate(id: $id, input: $input) {
    lineupItem { quantityAllocated livePrice { amount } } errors { field code message } } }"""


def _input(host, venue, start, hours=2, **extra):
    return {"host": gid("LiveHost", host.pk), "venue": gid("LiveVenue", venue.pk),
            "title": "香菇直播", "platform": "DOUYIN", "startsAt": start.isoformat(),
            "endsAt": (start + timedelta(hours=hours)).isoformat(), **extra}


def test_host_schedules_own_broadcast(gql_as, host_user, host, studio):
    start = timezone.now() + timedelta(days=2)
    data = gql_as(host_user).data(CREATE, {"input": _input(host, studio, start)})
    payload = data["broadcastCreate"]
    assert payload["errors"] == []
    assert payload["broadcast"]["status"] == "SCHEDULED"
    assert payload["broadcast"]["host"]["displayName"] == "柿饼小王"
    assert payload["broadcast"]["venue"]["kind"] == "STUDIO"
    broadcast = Broadcast.objects.get()
    assert broadcast.events.get().type == BroadcastEvent.Type.CREATED
    assert broadcast.events.get().user == host_user


def test_refusals_per_role(gql_as, gql, host_user, host, other_host, other_coop_user, studio,
                           broadcast, shopper):
    start = timezone.now() + timedelta(days=3)
    # A host cannot book another host.
    result = gql_as(host_user).post(CREATE, {"input": _input(other_host, studio, start)})
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    # A shopper cannot schedule at all; an anonymous visitor neither.
    for client in (gql_as(shopper), gql):
        result = client.post(CREATE, {"input": _input(host, studio, start)})
        assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    # Another host cannot edit or cancel this host's broadcast, nor touch its line-up.
    cancel = """mutation($id: ID!) { broadcastCancel(id: $id, reason: "x") {
      broadcast { status } errors { code } } }"""
    result = gql_as(other_coop_user).post(cancel, {"id": gid("Broadcast", broadcast.pk)})
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    result = gql_as(shopper).post(ADD, {"b": gid("Broadcast", broadcast.pk),
                                        "v": gid("ProductVariant", 1),
                                        "input": {"livePrice": "1", "quantity": 1}})
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    broadcast.refresh_from_db()
    assert broadcast.status == "scheduled"
    assert Broadcast.objects.count() == 1
    # The host's notes and review are hidden from shoppers.
    query = """query($id: ID!) { broadcast(id: $id) { title planNotes events { type } canEdit } }"""
    services.update_broadcast_notes(broadcast, plan_notes="先讲柿饼的晾晒")
    shown = gql_as(shopper).data(query, {"id": gid("Broadcast", broadcast.pk)})["broadcast"]
    assert shown == {"title": "渑池柿饼专场", "planNotes": None, "events": None, "canEdit": False}
    own = gql_as(host_user).data(query, {"id": gid("Broadcast", broadcast.pk)})["broadcast"]
    assert own["planNotes"] == "先讲柿饼的晾晒" and own["canEdit"] is True


def test_operator_manages_every_broadcast(gql_as, operator_user, other_host, studio):
    start = timezone.now() + timedelta(days=1)
    payload = gql_as(operator_user).data(CREATE, {"input": _input(other_host, studio, start)})
    assert payload["broadcastCreate"]["errors"] == []
    assert Broadcast.objects.get().host == other_host


def test_bad_bookings_change_nothing(gql_as, operator_user, host, other_host, studio, broadcast):
    client = gql_as(operator_user)
    cases = [
        # the same host at an overlapping time, another venue
        (_input(host, _venue("村口柿子园", "origin"), broadcast.starts_at + timedelta(minutes=30)),
         "startsAt", "OVERLAPPING_BOOKING"),
        # the same venue at an overlapping time, another host
        (_input(other_host, studio, broadcast.starts_at + timedelta(hours=1)),
         "venue", "OVERLAPPING_BOOKING"),
        # ends before it starts
        (_input(other_host, studio, broadcast.starts_at + timedelta(days=1), hours=-1),
         "endsAt", "INVALID_DATE_RANGE"),
    ]
    for data, field, code in cases:
        payload = client.data(CREATE, {"input": data})["broadcastCreate"]
        assert payload["broadcast"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert Broadcast.objects.count() == 1


def _venue(name, kind):
    return services.create_venue(name=name, kind=kind)


def test_database_refuses_double_booking_too(host, studio, broadcast):
    """The exclusion constraint is the backstop behind the service's check."""
    from django.db import IntegrityError, transaction

    clash = Broadcast(title="x", host=host, venue=_venue("展厅", "showroom"),
                      channel=broadcast.channel, platform="douyin",
                      starts_at=broadcast.starts_at + timedelta(minutes=5),
                      ends_at=broadcast.ends_at + timedelta(minutes=5))
    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()


def test_host_must_be_verified_and_sixteen(gql_as, operator_user, host_user, coop, studio):
    create_host = """mutation($email: String!, $input: LiveHostInput!) {
      liveHostCreate(userEmail: $email, input: $input) {
        host { id displayName realNameVerified platforms age } errors { field code } } }"""
    client = gql_as(operator_user)
    too_young = date.today().replace(year=date.today().year - 15)
    payload = client.data(create_host, {"email": host_user.email, "input": {
        "displayName": "小主播", "birthDate": too_young.isoformat(), "platforms": ["DOUYIN"]}})
    assert payload["liveHostCreate"]["errors"] == [{"field": "birthDate",
                                                    "code": "HOST_NOT_ELIGIBLE"}]
    assert not Host.objects.exists()
    payload = client.data(create_host, {"email": host_user.email, "input": {
        "displayName": "柿饼小王", "birthDate": "2000-02-29",
        "platforms": ["DOUYIN", "TAOBAO_LIVE"]}})["liveHostCreate"]
    assert payload["errors"] == []
    assert payload["host"]["platforms"] == ["DOUYIN", "TAOBAO_LIVE"]
    assert payload["host"]["realNameVerified"] is False
    # Not verified yet: cannot be booked.
    host = Host.objects.get()
    start = timezone.now() + timedelta(days=1)
    result = client.data(CREATE, {"input": _input(host, studio, start)})["broadcastCreate"]
    assert result["errors"][0]["code"] == "HOST_NOT_ELIGIBLE"
    # A host cannot verify themselves.
    update = """mutation($id: ID!, $input: LiveHostInput!) { liveHostUpdate(id: $id, input: $input) {
      host { realNameVerified } errors { code } } }"""
    result = gql_as(host_user).post(update, {"id": gid("LiveHost", host.pk),
                                             "input": {"realNameVerified": True}})
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    done = client.data(update, {"id": gid("LiveHost", host.pk), "input": {"realNameVerified": True}})
    assert done["liveHostUpdate"]["host"]["realNameVerified"] is True


def test_weekly_schedule_generates_broadcasts_in_local_time(gql_as, operator_user, host, studio,
                                                            other_host):
    # Another host already has the studio on the second coming Friday evening.
    today = timezone.localdate()
    fridays = [today + timedelta(days=(4 - today.weekday()) % 7 + 7 * i) for i in range(5)]
    fridays = [f for f in fridays if timezone.make_aware(
        timezone.datetime.combine(f, time(19, 30)), SHANGHAI) > timezone.now()][:4]
    busy = timezone.make_aware(timezone.datetime.combine(fridays[1], time(20, 0)), SHANGHAI)
    services.create_broadcast(host=other_host, venue=studio, title="小米专场", starts_at=busy,
                              ends_at=busy + timedelta(hours=1), platform="wechat_channels")
    mutation = """mutation($input: WeeklyScheduleCreateInput!) { weeklyScheduleCreate(input: $input) {
      schedule { weekday startTime timeZone } broadcasts { startsAt }
      conflicts { startsAt message } errors { field code } } }"""
    payload = gql_as(operator_user).data(mutation, {"input": {
        "title": "周五柿饼专场", "host": gid("LiveHost", host.pk), "venue": gid("LiveVenue", studio.pk),
        "weekday": 4, "startTime": "19:30:00", "durationMinutes": 90, "platform": "PAVILION",
        "startsOn": today.isoformat(), "weeksAhead": 4}})["weeklyScheduleCreate"]
    assert payload["errors"] == []
    starts = [timezone.datetime.fromisoformat(b["startsAt"]).astimezone(SHANGHAI)
              for b in payload["broadcasts"]]
    assert all((s.weekday(), s.hour, s.minute) == (4, 19, 30) for s in starts)
    assert len(payload["conflicts"]) == 1
    assert timezone.datetime.fromisoformat(payload["conflicts"][0]["startsAt"]).astimezone(
        SHANGHAI).date() == fridays[1]
    assert len(starts) + 1 == len([f for f in fridays
                                   if timezone.make_aware(timezone.datetime.combine(
                                       f, time(19, 30)), SHANGHAI) < timezone.now() + timedelta(weeks=4)])
    # Running the generator again creates nothing new (idempotent).
    schedule = host.schedules.get()
    created, _conflicts = services.generate_schedule_broadcasts(schedule)
    assert created == []


def test_week_without_broadcast_alerts_operators(operator_user, broadcast):
    from shop.models import Notification

    empty = services.check_weekly_coverage(weeks=3)
    this_week = services.week_start(timezone.localdate())
    assert this_week not in empty or broadcast.starts_at.astimezone(SHANGHAI).date() >= (
        this_week + timedelta(days=7))
    assert len(empty) >= 1
    operator_org = operator_user.memberships.get().organization
    alerts = Notification.objects.filter(organization=operator_org, kind="livestream_week_empty")
    assert alerts.count() == len(empty)
    services.check_weekly_coverage(weeks=3)  # no second alert for the same week
    assert alerts.count() == len(empty)


def test_lineup_rules(gql_as, host_user, broadcast, variant):
    client = gql_as(host_user)
    stock = stock_of(variant)
    b, v = gid("Broadcast", broadcast.pk), gid("ProductVariant", variant.pk)
    bad = [({"livePrice": "45.00", "quantity": 2}, "livePrice", "LIVE_PRICE_ABOVE_REGULAR"),
           ({"livePrice": "29.90", "quantity": 11}, "quantity", "INSUFFICIENT_STOCK"),
           ({"livePrice": "29.90", "quantity": 0}, "quantity", "INVALID")]
    for data, field, code in bad:
        payload = client.data(ADD, {"b": b, "v": v, "input": data})["lineupItemAdd"]
        assert payload["lineupItem"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert not LineupItem.objects.exists()
    assert (stock.quantity, stock.quantity_allocated) == (10, 0)
    payload = client.data(ADD, {"b": b, "v": v, "input": {"livePrice": "29.90", "quantity": 6,
                                                           "perBuyerLimit": 2}})["lineupItemAdd"]
    assert payload["errors"] == []
    assert payload["lineupItem"]["regularPrice"]["amount"] == 39.9
    assert payload["lineupItem"]["quantityRemaining"] == 6
    stock.refresh_from_db()
    assert stock.quantity_allocated == 6  # taken from the variant's stock
    item_id = payload["lineupItem"]["id"]
    payload = client.data(UPDATE_ITEM, {"id": item_id, "input": {"quantity": 3}})
    assert payload["lineupItemUpdate"]["lineupItem"]["quantityAllocated"] == 6
    stock.refresh_from_db()
    assert stock.quantity_allocated == 3
    # pinning is only for live broadcasts
    pin = """mutation($id: ID!) { lineupItemPin(id: $id) { lineupItem { isPinned } errors { code } } }"""
    assert client.data(pin, {"id": item_id})["lineupItemPin"]["errors"][0]["code"] == \
        "BROADCAST_NOT_LIVE"


def test_cancelling_returns_live_stock(gql_as, host_user, broadcast, item, variant):
    assert stock_of(variant).quantity_allocated == 5
    cancel = """mutation($id: ID!) { broadcastCancel(id: $id, reason: "主播生病") {
      broadcast { status } errors { code } } }"""
    payload = gql_as(host_user).data(cancel, {"id": gid("Broadcast", broadcast.pk)})
    assert payload["broadcastCancel"]["broadcast"]["status"] == "CANCELLED"
    assert stock_of(variant).quantity_allocated == 0
    assert broadcast.events.filter(type="cancelled", message="主播生病").exists()


def test_broadcast_list_filters_and_query_count(gql, host, other_host, studio, variant):
    from shop import services as shop_services

    shop_services.set_stock(variant, stock_of(variant).warehouse, 100)
    # The cooperative agrees to the other host selling its persimmons live.
    services.publish_offer(variant.product.organization, variant=variant, min_live_price="20",
                           max_quantity=50)
    base = timezone.now() + timedelta(days=1)
    made = []
    for i in range(12):
        h = host if i % 2 == 0 else other_host
        venue = _venue(f"直播间{i}", "studio")
        b = services.create_broadcast(host=h, venue=venue, title=f"专场{i}",
                                      starts_at=base + timedelta(hours=3 * i),
                                      ends_at=base + timedelta(hours=3 * i + 2), platform="douyin")
        services.add_lineup_item(b, variant=variant, live_price="30", quantity=0 + 1)
        made.append(b)
    query = """query($first: Int, $filter: BroadcastFilterInput) {
      broadcasts(first: $first, filter: $filter) { totalCount edges { node {
        title host { displayName organizationName } venue { name kind }
        lineup { productName livePrice { amount } variant { name sku } flashSale { startsAt } }
        pinnedItem { position } isSubscribed } } } }"""
    hosts = gql.data(query, {"first": 20, "filter": {"hosts": [gid("LiveHost", other_host.pk)]}})
    assert hosts["broadcasts"]["totalCount"] == 6
    ranged = gql.data(query, {"first": 20, "filter": {"startsAt": {
        "gte": base.isoformat(), "lte": (base + timedelta(hours=7)).isoformat()}}})
    assert [e["node"]["title"] for e in ranged["broadcasts"]["edges"]] == ["专场0", "专场1", "专场2"]
    status = gql.data(query, {"first": 20, "filter": {"status": ["LIVE"]}})
    assert status["broadcasts"]["totalCount"] == 0

    def count(first):
        with CaptureQueriesContext(connection) as ctx:
            data = gql.data(query, {"first": first})
        assert len(data["broadcasts"]["edges"]) == first
        return len(ctx.captured_queries)

    assert count(2) == count(12)


def test_weekly_schedule_start_time_is_a_string_refused_when_not_a_time(gql_as, operator_user,
                                                                       host, studio):
    mutation = """mutation($input: WeeklyScheduleCreateInput!) { weeklyScheduleCreate(input: $input) {
      schedule { startTime } errors { field code } } }"""
    start = {"title": "周三蜂蜜专场", "host": gid("LiveHost", host.pk),
             "venue": gid("LiveVenue", studio.pk), "weekday": 2, "durationMinutes": 60,
             "platform": "PAVILION", "startsOn": timezone.localdate().isoformat(), "weeksAhead": 1}
    for bad in ("half past seven", "25:00", "19:30+08:00", ""):
        refused = gql_as(operator_user).data(mutation, {"input": {**start, "startTime": bad}})
        assert refused["weeklyScheduleCreate"] == {
            "schedule": None, "errors": [{"field": "startTime", "code": "INVALID"}]}, bad
    assert not host.schedules.exists()
    # Hours and minutes alone are a time too; the answer carries seconds, as before.
    done = gql_as(operator_user).data(mutation, {"input": {**start, "startTime": "20:00"}})
    assert done["weeklyScheduleCreate"] == {"schedule": {"startTime": "20:00:00"}, "errors": []}
    assert host.schedules.get().start_time == time(20, 0)
