"""Tracing by text message (短信追溯), through the real endpoint the SMS provider pushes
received texts to, the real Celery worker that answers them (Redis as its broker and as
the scan buffer) and a local stand-in of the SMS API: the reply names the product, its
cooperative, base, grade and inspection, a recall first, and whether the code was looked
up before; a forged, replayed, stale or over-the-limit push sends nothing."""

import json
from datetime import timedelta

import pytest
import redis
from django.test import Client
from django.utils import timezone

from supplychain import services
from supplychain.models import InboundSms, Scan
from supplychain.services import scan_buffer
from supplychain.sms_trace import answer_waiting_texts, reply_wording, segments
from supplychain.tasks import flush_scans, reply_to_text
from tests.background import TASK_TIMEOUT, wait_for_task_runs
from tests.sms_api import FakeSmsApi

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = "pO3kq8Zr1vXb6TnW2mYc9sHd"
SIGNATURE = "【县域特色馆】"
DONE = {"replied", "failed", "limited"}


@pytest.fixture
def sms(settings, redis_url, celery_worker):
    """The endpoint set up, the SMS API's stand-in with both reply templates, and scans
    buffered in the worker's Redis."""
    api = FakeSmsApi()
    api.configure(settings, {"trace_reply": "SMS_700001", "trace_not_found": "SMS_700002"})
    settings.SMS_INBOUND_TOKEN = TOKEN
    settings.REDIS_URL = redis_url
    redis.Redis.from_url(redis_url).flushdb()
    scan_buffer._down_until = 0.0
    yield api
    api.close()


def push(*texts, token=TOKEN):
    """One push of the provider: the texts as ``(phone, content, sequence_id)``."""
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
    body = [{"phone_number": phone, "content": content, "send_time": now,
             "sign_name": "县域特色馆", "dest_code": "1234", "sequence_id": sequence}
            for phone, content, sequence in texts]
    return Client().post(f"/sms/inbound/{token}/", json.dumps(body),
                         content_type="application/json")


def answered(wait, count, statuses=DONE):
    wait(lambda: InboundSms.objects.filter(status__in=statuses).count() >= count,
         "the texts were not answered")


def sent_params(api, index=-1):
    return json.loads(api.requests[index]["TemplateParam"])


def test_a_texted_code_is_answered_once_and_counts_as_a_scan(sms, trace, zh_catalogue):
    with wait_for_task_runs(reply_to_text) as wait:
        response = push(("13812345678", f"  {trace.code.lower()} ", "100001"))
        assert response.status_code == 200 and response.json()["code"] == 0
        answered(wait, 1)
    text = InboundSms.objects.get()
    assert text.status == "replied" and text.trace_code_id == trace.pk
    request = sms.requests[0]
    assert request["PhoneNumbers"] == "13812345678" and request["TemplateCode"] == "SMS_700001"
    params = sent_params(sms)
    assert params["product"] == "渑池柿饼" and params["grade"] == "特级"
    assert params["base"] == "果园柿子基地" and params["inspection"] == "合格"
    assert params["producer"] == trace.packing_run.organization.name
    assert params["alert"] == "" and params["scans"] == "此码为首次查询。"
    # What the consumer reads: the approved template filled in, within two segments.
    assert text.reply.startswith("渑池柿饼，") and "检测合格。此码为首次查询。" in text.reply
    assert segments(SIGNATURE + text.reply) <= 2
    assert reply_wording().startswith("${alert}${product}，")

    # The provider pushes it again (or anyone replays it): nothing is kept or sent.
    assert push(("13812345678", trace.code, "100001")).status_code == 200
    assert InboundSms.objects.count() == 1

    # A second consumer's text says the code was looked up before.
    with wait_for_task_runs(reply_to_text) as wait:
        push(("13900001111", trace.code, "100002"))
        answered(wait, 2)
    assert len(sms.requests) == 2
    assert sent_params(sms)["scans"].startswith("此码已被查询2次，首次")

    # The text went through the page's scan buffer: the page counts it too.
    page = Client().get(f"/t/{trace.code}", REMOTE_ADDR="198.51.100.20").content.decode()
    assert "此码已被查询 3 次" in page
    flush_scans()
    assert Scan.objects.filter(trace_code=trace, source="sms").count() == 2
    trace.refresh_from_db()
    assert trace.scan_count == 3

    # The task run again for an answered text sends nothing more.
    assert reply_to_text.delay(text.pk).get(timeout=TASK_TIMEOUT) is None
    assert len(sms.requests) == 2


def test_an_unknown_code_and_a_recalled_one(sms, trace, coop, graded_lot, zh_catalogue):
    services.recall_lot(coop, graded_lot=graded_lot, level="level_2", reason="二氧化硫残留超标")
    with wait_for_task_runs(reply_to_text) as wait:
        push(("13812345678", "ABCDEFGHJKMNPQRS", "200001"),
             ("13700002222", trace.code, "200002"))
        answered(wait, 2)
    by_phone = {r["PhoneNumbers"]: r for r in sms.requests}
    unknown = InboundSms.objects.get(phone="13812345678")
    assert by_phone["13812345678"]["TemplateCode"] == "SMS_700002"
    assert unknown.reply.startswith("查无此码") and unknown.trace_code_id is None
    recalled = InboundSms.objects.get(phone="13700002222")
    assert by_phone["13700002222"]["TemplateCode"] == "SMS_700001"
    assert json.loads(by_phone["13700002222"]["TemplateParam"])["alert"] == "已召回，请停止食用！"
    assert recalled.reply.startswith("已召回，请停止食用！渑池柿饼")
    flush_scans()
    assert Scan.objects.filter(source="sms", never_issued=True, is_flagged=True).count() == 1


def test_forged_stale_and_opt_out_pushes_change_and_send_nothing(sms, trace, settings):
    assert push(("13812345678", trace.code, "300001"), token="guessed-token").status_code == 403
    old = [{"phone_number": "13812345678", "content": trace.code, "dest_code": "1234",
            "send_time": "2020-01-01 08:00:00", "sequence_id": "300002"}]
    assert Client().post(f"/sms/inbound/{TOKEN}/", json.dumps(old),
                         content_type="application/json").status_code == 200
    assert push(("13812345678", "TD", "300003")).status_code == 200
    bad = Client().post(f"/sms/inbound/{TOKEN}/", "{not json", content_type="application/json")
    assert bad.status_code == 400
    assert list(InboundSms.objects.values_list("status", flat=True)) == ["ignored"]
    settings.SMS_INBOUND_TOKEN = ""
    assert push(("13812345678", trace.code, "300004"), token="").status_code == 404
    assert scan_buffer.pending() == 0 and sms.requests == []


def test_each_number_gets_its_allowance_of_answers(sms, trace, settings):
    settings.TRACE_SMS_PER_NUMBER = 2
    with wait_for_task_runs(reply_to_text) as wait:
        push(*[("13812345678", trace.code, f"40000{i}") for i in range(4)],
             ("13600003333", trace.code, "400009"))
        answered(wait, 3, {"replied", "failed"})
    statuses = dict(InboundSms.objects.filter(phone="13812345678").values_list(
        "sequence_id", "status"))
    assert statuses == {"400000": "replied", "400001": "replied", "400002": "limited",
                        "400003": "limited"}
    assert InboundSms.objects.get(phone="13600003333").status == "replied"
    assert sorted(r["PhoneNumbers"] for r in sms.requests) == [
        "13600003333", "13812345678", "13812345678"]


@pytest.mark.django_db
def test_a_text_whose_answer_was_never_queued_is_answered_by_beat(settings, trace, monkeypatch):
    """The broker down at the commit: the text waits, and beat's sweep answers it once."""
    api = FakeSmsApi()
    api.configure(settings, {"trace_reply": "SMS_700001", "trace_not_found": "SMS_700002"})
    settings.SMS_INBOUND_TOKEN = TOKEN
    try:
        monkeypatch.setattr(reply_to_text, "delay", lambda pk: None)  # lost on the way
        push(("13812345678", trace.code, "500001"))
        text = InboundSms.objects.get()
        assert text.status == "received" and answer_waiting_texts() == 0  # not a minute yet
        InboundSms.objects.update(received_at=timezone.now() - timedelta(minutes=5))
        monkeypatch.undo()
        assert answer_waiting_texts() == 1  # Celery runs inline here (no broker)
        assert answer_waiting_texts() == 0
        text.refresh_from_db()
        assert text.status == "replied" and len(api.requests) == 1
    finally:
        api.close()
