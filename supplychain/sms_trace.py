"""Tracing by text message (短信追溯): a consumer texts the trace code printed under the QR
code to the pavilion's SMS number and gets a short reply in Chinese: the product, its
cooperative, base, grade and inspection, a recall first when there is one, and whether the
code was looked up before (the first-scan warning against copied codes).

How a text comes in: Alibaba Cloud's SMS service pushes received texts (上行短信, SmsUp,
"HTTP batch push") as a JSON array of ``{phone_number, content, send_time, dest_code,
sequence_id}`` to the address configured in its console, and retries a push that is not
answered with HTTP 200 and ``{"code": 0}``. That push carries no signature of its own, so
the address holds a shared secret (``SMS_INBOUND_TOKEN``, ``/sms/inbound/<token>/``): a push
to any other address is refused and changes nothing. Each text is kept once, by sender and
sequence id (:class:`~supplychain.sms_records.InboundSms`), so a push repeated by the
provider or replayed by anyone is neither counted nor answered twice; a text older than
``SMS_INBOUND_MAX_AGE_MINUTES`` is not kept at all.

A kept text is answered by a Celery task after the commit (``tasks.reply_to_text``): it
claims the text (one conditional update, so a task run twice answers once), looks the code
up as the trace page does (``trace_cache.look_up`` with the source ``sms``: the same scan
buffer, counts and first-scan notice, the sender standing in for the page's client), and
sends the reply through ``shop.sms.send_sms``; a text whose task never came (the broker
down at the commit) is queued again by beat (``answer_waiting_texts``). Mainland SMS
goes out only through approved templates: ``SMS_TEMPLATES["trace_reply"]`` (variables
``alert``, ``product``, ``producer``, ``base``, ``grade``, ``inspection``, ``scans``; its
wording is :func:`reply_wording`) and ``SMS_TEMPLATES["trace_not_found"]`` (no
variables). Each sender gets ``TRACE_SMS_PER_NUMBER`` texts answered per
``TRACE_SMS_WINDOW_SECONDS``."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from shop.sms import mobile, send_sms

from . import tasks, trace_cache
from .codes import ALPHABET
from .models import InboundSms, Scan

logger = logging.getLogger(__name__)

# One push holds at most this many texts (the provider batches a few).
MAX_TEXTS_PER_PUSH = 100
# A Chinese text is one segment up to 70 characters; a longer one goes in segments of 67.
SEGMENT, LONG_SEGMENT = 70, 67
# Replies that opt out of texts, not look-ups: they get no answer.
OPT_OUT = {"TD", "T", "N", "退订", "取消"}
_CODE = re.compile(f"[{ALPHABET}]{{16}}")
_SEND_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y%m%d%H%M%S")
Status = InboundSms.Status


@dataclass(frozen=True)
class Reply:
    """A reply: the template kind (``SMS_TEMPLATES``), its variables and the text the
    consumer reads after the signature."""

    kind: str
    params: dict
    text: str


def segments(text: str) -> int:
    """How many SMS segments ``text`` (signature included) takes."""
    return 1 if len(text) <= SEGMENT else -(-len(text) // LONG_SEGMENT)


def sender_key(phone: str) -> str:
    """The sender as the scan buffer's client: a number's short hash, not the number."""
    return "sms:" + hashlib.sha256(phone.encode()).hexdigest()[:16]


def code_text(content: str) -> str:
    """The trace code in a text: the 16 characters of one (spaces, dashes and case as
    typed, or the QR code's address), else the text as sent (a code never issued)."""
    squeezed = re.sub(r"[\s\-_]", "", content or "").upper()
    found = _CODE.findall(squeezed)
    return found[-1] if found else squeezed[:64]


# Receiving ----------------------------------------------------------------------------------

def _sent_at(value) -> datetime | None:
    text = str(value or "").strip()
    for fmt in _SEND_TIME_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(text, fmt))
        except ValueError:
            continue
    return None


def _read(item, now: datetime) -> dict | None:
    """A pushed text's fields, or ``None`` when it is not one to keep: malformed, for
    another extension, or sent longer ago than a retried push would be."""
    if not isinstance(item, dict) or not isinstance(item.get("content"), str):
        return None
    phone = mobile(str(item.get("phone_number") or ""))
    sequence = str(item.get("sequence_id") or "").strip()[:64]
    dest = str(item.get("dest_code") or "").strip()[:32]
    sent_at = _sent_at(item.get("send_time"))
    if not phone or not sequence or sent_at is None:
        return None
    if settings.SMS_INBOUND_DEST_CODE and dest != settings.SMS_INBOUND_DEST_CODE:
        return None
    oldest = now - timedelta(minutes=settings.SMS_INBOUND_MAX_AGE_MINUTES)
    if not oldest <= sent_at <= now + timedelta(minutes=10):
        return None
    return {"phone": phone, "sequence_id": sequence, "dest_code": dest,
            "content": item["content"][:255], "sent_at": sent_at}


def receive_push(items, now: datetime | None = None) -> int:
    """Keep the texts of one push (a list), each once; returns how many were new. Each
    new text within its sender's allowance is answered after the commit."""
    now = now or timezone.now()
    if not isinstance(items, list):
        return 0
    kept = 0
    for item in items[:MAX_TEXTS_PER_PUSH]:
        text = _read(item, now)
        if text is not None and _keep(text, now):
            kept += 1
    return kept


@transaction.atomic
def _keep(text: dict, now: datetime) -> bool:
    # One sender's texts are kept one at a time, so a repeat is seen and the allowance is
    # exact however the pushes interleave.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"sms:{text['phone']}"])
    if InboundSms.objects.filter(phone=text["phone"],
                                 sequence_id=text["sequence_id"]).exists():
        return False
    since = now - timedelta(seconds=settings.TRACE_SMS_WINDOW_SECONDS)
    recent = InboundSms.objects.filter(phone=text["phone"], received_at__gte=since).count()
    content = text["content"].strip()
    if not content or content.upper() in OPT_OUT:
        status = Status.IGNORED
    elif recent >= settings.TRACE_SMS_PER_NUMBER:
        status = Status.LIMITED
    else:
        status = Status.RECEIVED
    inbound = InboundSms.objects.create(received_at=now, status=status, **text)
    if status == Status.RECEIVED:
        transaction.on_commit(lambda: tasks.reply_to_text.delay(inbound.pk), robust=True)
    return True


# Answering ----------------------------------------------------------------------------------

def _cut(text: str, length: int) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= length else text[:length - 1] + "…"


def reply_wording() -> str:
    """The ``trace_reply`` template's wording, to register with the SMS provider."""
    with override(settings.LANGUAGE_CODE):
        return _found_wording() % {name: f"${{{name}}}" for name in (
            "alert", "product", "producer", "base", "grade", "inspection", "scans")}


def _found_wording() -> str:
    return _("%(alert)s%(product)s, %(producer)s, base %(base)s, grade %(grade)s, "
             "inspection %(inspection)s. %(scans)s")


def compose(looked: trace_cache.Looked) -> Reply:
    """The reply to a looked-up code, in the current language (the caller's Chinese)."""
    if looked.entry is None:
        return Reply("trace_not_found", {}, _(
            "No such code. Beware of counterfeits: check the code under the QR code and "
            "text it again."))
    data, counted = looked.entry["data"], looked.counted
    origin = next(iter(data["origins"]), {})
    base = (origin.get("base") or {}).get("name") or (origin.get("household") or {}).get(
        "village") or "—"
    results = {i["result"] for i in data["inspections"]}
    inspection = (_("none recorded") if not results else data["inspections"][0][
        "result_display"] if len(results) == 1 else _("not all passed"))
    if counted.scan_count <= 1:
        scans = _("First look-up of this code.")
    else:
        first = counted.first_scanned_at
        scans = _("Looked up %(n)s times, first %(first)s; beware of copies.") % {
            "n": counted.scan_count,
            "first": timezone.localtime(first).strftime("%m-%d %H:%M") if first else "—"}
    params = {"alert": _("RECALLED, stop using it!") if data["recall"] else "",
              "product": _cut(data["product"], 20), "producer": _cut(data["producer"]["name"], 20),
              "base": _cut(base, 16), "grade": _cut(data["grade"], 10),
              "inspection": _cut(inspection, 8), "scans": _cut(scans, 30)}
    return Reply("trace_reply", params, _found_wording() % params)


def answer_waiting_texts(now: datetime | None = None) -> int:
    """Queue again the answers of texts kept more than a minute ago and still waiting (their
    task was lost); answering is once per text, so a text queued twice is answered once.
    Returns how many were queued."""
    now = now or timezone.now()
    waiting = list(InboundSms.objects.filter(
        status=Status.RECEIVED, received_at__lt=now - timedelta(minutes=1),
        received_at__gte=now - timedelta(minutes=settings.SMS_INBOUND_MAX_AGE_MINUTES))
        .values_list("pk", flat=True))
    for pk in waiting:
        tasks.reply_to_text.delay(pk)
    return len(waiting)


def reply_to(inbound_id: int) -> str | None:
    """Answer one kept text (the task's work); returns its new status, or ``None`` when it
    was not waiting for an answer (answered already, or being answered)."""
    if not InboundSms.objects.filter(pk=inbound_id, status=Status.RECEIVED).update(
            status=Status.REPLYING):
        return None
    inbound = InboundSms.objects.get(pk=inbound_id)
    with override(settings.LANGUAGE_CODE):
        looked = trace_cache.look_up(code_text(inbound.content), source=Scan.Source.SMS,
                                     address=sender_key(inbound.phone))
        if looked.counted.retry_after:  # the sender's budget of unknown codes is spent
            InboundSms.objects.filter(pk=inbound_id).update(status=Status.LIMITED)
            return Status.LIMITED
        reply = compose(looked)
    template = settings.SMS_TEMPLATES.get(reply.kind)
    sent = bool(template and settings.SMS_ACCESS_KEY_ID and settings.SMS_SIGN_NAME) and \
        send_sms(inbound.phone, template, reply.params)
    if not sent:
        logger.warning("trace reply to text %s not sent", inbound_id)
    status = Status.REPLIED if sent else Status.FAILED
    InboundSms.objects.filter(pk=inbound_id).update(
        status=status, reply=reply.text[:500], replied_at=timezone.now() if sent else None,
        trace_code_id=looked.entry["trace_id"] if looked.entry else None)
    return status
