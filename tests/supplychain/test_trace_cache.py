"""The trace page's data comes from the cache, and what changes it shows on the very next
scan, and what only the calendar changes (a licence lapsing) at the next scan after it;
guessing codes is slowed while known codes stay readable; malformed paths are not
found (never a server error)."""

from datetime import datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from supplychain import services
from supplychain.models import Scan
from tests.lapsing import licence_until, set_clock

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def look_up(code, address="198.51.100.1", path=""):
    return Client().get(f"/t/{code}{path}", REMOTE_ADDR=address)


def test_a_cached_page_costs_only_the_scan(trace, django_assert_max_num_queries):
    assert look_up(trace.code).status_code == 200
    # Without Redis the scan is written directly: one statement, nothing else.
    with django_assert_max_num_queries(1):
        assert look_up(trace.code, "198.51.100.2").status_code == 200
    assert Scan.objects.filter(trace_code=trace).count() == 2


def test_a_recall_shows_on_the_very_next_scan(coop, trace, graded_lot, coop_user,
                                              zh_catalogue):
    assert "此产品已被召回" not in look_up(trace.code).content.decode()
    services.recall_lot(coop, graded_lot=graded_lot, level="level_2",
                        reason="二氧化硫残留超标", user=coop_user)
    page = look_up(trace.code, "198.51.100.2").content.decode()
    assert "此产品已被召回" in page and "二氧化硫残留超标" in page
    # JSON readers see it too.
    assert look_up(trace.code, "198.51.100.3", ".json").json()["disposition"] == "recalled"


def test_a_changed_inspection_shows_on_the_very_next_scan(trace, sourcing_lot, zh_catalogue):
    assert "合格" in look_up(trace.code).content.decode()
    inspection = sourcing_lot.inspections.get()
    inspection.lab = "河南省农产品质量安全检测中心"
    inspection.save()
    assert "河南省农产品质量安全检测中心" in look_up(trace.code, "198.51.100.2").content.decode()


def test_guessing_codes_is_slowed_but_known_codes_stay_readable(trace, settings,
                                                                zh_catalogue):
    settings.TRACE_UNKNOWN_BUDGET = 3
    guesses = [f"AAAAAAAAAAAAAAA{c}" for c in "ABCDE"]
    assert [look_up(code).status_code for code in guesses[:3]] == [404, 404, 404]
    refused = look_up(guesses[3])
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == settings.TRACE_UNKNOWN_WINDOW_SECONDS
    assert "未知追溯码查询过于频繁" in refused.content.decode()
    assert look_up(guesses[4], path=".json").status_code == 429
    # The same client still reads a real code; another client still gets the warning.
    assert look_up(trace.code).status_code == 200
    assert look_up(guesses[4], "203.0.113.5").status_code == 404
    # Only the guesses inside the budget were recorded.
    assert Scan.objects.filter(never_issued=True).count() == 4


def test_nul_bytes_in_a_trace_path_are_not_found(trace):
    for path in [f"/t/{trace.code}%00", "/t/%00", f"/t/{trace.code}%00.json",
                 "/t/A%00B/qr.png", "/t/A%00B/qr.svg", "/t/A%00B/epcis.jsonld",
                 "/01/0690%00/10/L%00/21/%00"]:
        assert Client().get(path).status_code == 404, path
    assert not Scan.objects.exists()


def test_a_licence_lapsing_at_midnight_shows_at_the_next_scan(trace, persimmon, monkeypatch,
                                                              zh_catalogue):
    today = timezone.localdate()
    set_clock(monkeypatch, timezone.make_aware(datetime.combine(today, time(23, 58))))
    licence = licence_until(persimmon, today)
    for address in ("198.51.100.1", "198.51.100.2"):  # built, then from the cache
        page = look_up(trace.code, address).content.decode()
        assert licence.number in page and "有效" in page and 'class="danger"' not in page
    # Half a minute past midnight: nothing was saved, the licence is simply over.
    set_clock(monkeypatch, timezone.make_aware(
        datetime.combine(today + timedelta(days=1), time(0, 0, 30))))
    page = look_up(trace.code, "198.51.100.3").content.decode()
    assert 'class="danger"' in page and "已到期" in page
