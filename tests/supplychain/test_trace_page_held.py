"""The trace page as production serves it, with Redis: a page the web process holds costs
one round trip to Redis and no query (through the API's ``traceCode`` too), yet a change
anywhere (a recall in this process, a change another process announces) shows on the very
next scan while a recall of one lot leaves the other lots' pages held, each look-up is
recorded once, guessing codes is limited in the same round trip, each language has its own page,
and a Redis that goes away costs no page and no scan."""

import pytest
import redis
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from supplychain import services
from supplychain.models import Scan, SourcingLot, TraceCode
from supplychain.services import invalidation, scan_buffer
from supplychain.tasks import flush_scans

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = "这是此码的首次查询"


@pytest.fixture
def buffered(settings, redis_url):
    """The trace page with the Redis buffer of a real, emptied Redis server."""
    settings.REDIS_URL = redis_url
    redis.Redis.from_url(redis_url).flushdb()
    scan_buffer._down_until = 0.0
    yield redis.Redis.from_url(redis_url)
    scan_buffer._down_until = 0.0


@pytest.fixture
def round_trips(monkeypatch):
    """Counts the web process's round trips to Redis: one per command, one per
    pipeline."""
    count = {"n": 0}
    command, pipeline = redis.Redis.execute_command, redis.client.Pipeline.execute

    def counted_command(self, *args, **options):
        if not isinstance(self, redis.client.Pipeline):
            count["n"] += 1
        return command(self, *args, **options)

    def counted_pipeline(self, *args, **options):
        count["n"] += 1
        return pipeline(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted_command)
    monkeypatch.setattr(redis.client.Pipeline, "execute", counted_pipeline)
    return count


def look_up(code, address, path="", **extra):
    return Client().get(f"/t/{code}{path}", REMOTE_ADDR=address, **extra)


def test_a_held_page_costs_one_round_trip_and_no_query(buffered, trace, round_trips,
                                                       zh_catalogue):
    assert FIRST in look_up(trace.code, "198.51.100.1").content.decode()
    before = round_trips["n"]
    with CaptureQueriesContext(connection) as queries:
        page = look_up(trace.code, "198.51.100.2").content.decode()
    assert "此码已被查询 2 次" in page and "渑池柿饼" in page
    assert round_trips["n"] - before == 1 and len(queries.captured_queries) == 0
    assert flush_scans() == 2


def test_a_recall_shows_on_the_very_next_scan(buffered, coop, trace, graded_lot, coop_user,
                                              zh_catalogue):
    for i in range(2):  # held by this process now
        assert "此产品已被召回" not in look_up(trace.code, f"198.51.100.{i}").content.decode()
    services.recall_lot(coop, graded_lot=graded_lot, level="level_2",
                        reason="二氧化硫残留超标", user=coop_user)
    page = look_up(trace.code, "198.51.100.7").content.decode()
    assert "此产品已被召回" in page and "二氧化硫残留超标" in page
    assert "此码已被查询 3 次" in page
    assert look_up(trace.code, "198.51.100.8", ".json").json()["disposition"] == "recalled"
    assert flush_scans() == 4
    assert TraceCode.objects.get(pk=trace.pk).scan_count == 4


def test_a_change_announced_by_another_process_shows_at_once(buffered, trace, sourcing_lot,
                                                             zh_catalogue):
    assert "果园村" in look_up(trace.code, "198.51.100.1").content.decode()
    # Another process changes a shown record and raises its lot's version in Redis: this
    # process's held page is not current any more.
    SourcingLot.objects.filter(pk=sourcing_lot.pk).update(lot_number="S-已更正")
    scan_buffer.STORE.bump((invalidation.LOT.key(trace.packing_run.graded_lot_id),))
    page = look_up(trace.code, "198.51.100.2").content.decode()
    assert "此码已被查询 2 次" in page
    assert "S-已更正" in look_up(trace.code, "198.51.100.3", ".json").json()["origins"][0]["lot"]
    # The look-up that found its page stale was recorded once, not once per try.
    assert flush_scans() == 3
    assert Scan.objects.filter(trace_code=trace).count() == 3


def test_guessing_is_limited_in_the_same_round_trip(buffered, trace, settings, zh_catalogue):
    settings.TRACE_UNKNOWN_BUDGET = 3
    guesses = [f"AAAAAAAAAAAAAAA{c}" for c in "ABCDE"]
    assert [look_up(code, "198.51.100.1").status_code for code in guesses[:3]] == [404] * 3
    refused = look_up(guesses[3], "198.51.100.1")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= settings.TRACE_UNKNOWN_WINDOW_SECONDS
    assert "未知追溯码查询过于频繁" in refused.content.decode()
    assert look_up(guesses[4], "198.51.100.1", ".json").status_code == 429
    assert look_up("not-a-code", "198.51.100.1").status_code == 429
    # The same client still reads a real code; another client still gets the warning.
    assert look_up(trace.code, "198.51.100.1").status_code == 200
    assert look_up(guesses[4], "203.0.113.5").status_code == 404
    flush_scans()
    assert Scan.objects.filter(never_issued=True).count() == 4
    assert Scan.objects.filter(trace_code=trace).count() == 1


def test_pages_and_the_api_share_one_guessing_budget(buffered, trace, settings, gql):
    settings.TRACE_UNKNOWN_BUDGET = 2
    query = "query($code: String!) { traceCode(code: $code) { code scanCount } }"
    assert [look_up(f"AAAAAAAAAAAAAAA{c}", "127.0.0.1").status_code for c in "AB"] == [404] * 2
    refused = gql.post(query, {"code": "AAAAAAAAAAAAAAAC"})
    assert "Too many look-ups of unknown codes" in refused["errors"][0]["message"]
    assert gql.data(query, {"code": trace.code})["traceCode"]["code"] == trace.code
    flush_scans()
    assert Scan.objects.filter(never_issued=True).count() == 2


def test_each_language_has_its_own_page(buffered, trace):
    chinese = look_up(trace.code, "198.51.100.1").content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    page = english.get(f"/t/{trace.code}", REMOTE_ADDR="198.51.100.2").content.decode()
    assert FIRST in chinese and "Trace code" not in chinese
    assert "This code has been looked up 2 times" in page and "追溯码" not in page
    again = look_up(trace.code, "198.51.100.3").content.decode()
    assert "此码已被查询 3 次" in again and "Trace code" not in again


def test_redis_going_away_while_a_page_is_held(buffered, redis_url, settings, trace,
                                               zh_catalogue):
    look_up(trace.code, "198.51.100.1")
    assert flush_scans() == 1
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    for i in range(2, 4):
        response = look_up(trace.code, f"198.51.100.{i}")
        assert response.status_code == 200
        assert f"此码已被查询 {i} 次" in response.content.decode()
    assert Scan.objects.filter(trace_code=trace).count() == 3
    # Back again: buffered once more, and every look-up kept once.
    settings.REDIS_URL = redis_url
    scan_buffer._down_until = 0.0
    assert look_up(trace.code, "198.51.100.4").status_code == 200
    assert scan_buffer.pending() == 1 and flush_scans() == 1
    assert TraceCode.objects.get(pk=trace.pk).scan_count == 4
    assert Scan.objects.filter(trace_code=trace).count() == 4


def test_a_recall_of_one_lot_leaves_the_other_lots_pages_held(
        buffered, coop, trace, graded_lot, coop_user, round_trips, zh_catalogue):
    # A package of the same grading's other lot (一级), not recalled.
    other_lot = graded_lot.record.outputs.exclude(pk=graded_lot.pk).get()
    other_run = services.create_packing_run(
        other_lot, variant=trace.packing_run.variant, warehouse=coop.warehouses.first(),
        quantity=2, net_weight_kg="0.5", user=coop_user)
    other = other_run.trace_codes.order_by("serial").first()
    for code in (trace.code, other.code):
        assert "此产品已被召回" not in look_up(code, "198.51.100.1").content.decode()
    services.recall_lot(coop, graded_lot=graded_lot, level="level_2",
                        reason="二氧化硫残留超标", user=coop_user)
    # The other lot's page is still the one this process holds: one round trip, no query.
    before = round_trips["n"]
    with CaptureQueriesContext(connection) as queries:
        page = look_up(other.code, "198.51.100.2").content.decode()
    assert round_trips["n"] - before == 1 and len(queries.captured_queries) == 0
    assert "此产品已被召回" not in page and "此码已被查询 2 次" in page
    # The recalled lot's page shows the recall at the very next scan.
    page = look_up(trace.code, "198.51.100.2").content.decode()
    assert "此产品已被召回" in page and "二氧化硫残留超标" in page
    assert flush_scans() == 4


def test_the_api_reads_a_held_code_in_one_round_trip(buffered, trace, gql, round_trips,
                                                     coop, graded_lot, coop_user):
    query = "query($code: String!) { traceCode(code: $code) { code scanCount disposition } }"
    assert gql.data(query, {"code": trace.code})["traceCode"]["scanCount"] == 1
    look_up(trace.code, "198.51.100.1")  # the page and the API share the held entry
    before = round_trips["n"]
    with CaptureQueriesContext(connection) as queries:
        found = gql.data(query, {"code": trace.code.lower()})["traceCode"]
    assert round_trips["n"] - before == 1 and len(queries.captured_queries) == 0
    assert found == {"code": trace.code, "scanCount": 2, "disposition": "ACTIVE"}
    services.recall_lot(coop, graded_lot=graded_lot, level="level_2",
                        reason="二氧化硫残留超标", user=coop_user)
    assert gql.data(query, {"code": trace.code})["traceCode"]["disposition"] == "RECALLED"
    # The API's repeats from one client inside the repeat window are shown, not recorded.
    assert flush_scans() == 2
