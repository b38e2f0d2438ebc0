"""Sending and checking verification codes (``shop.verification``).

Sending is limited, so that nobody can use the pavilion to flood a phone or a mailbox, nor
guess a code: one code per address per ``RESEND_SECONDS``, ``PER_ADDRESS_HOURLY`` per
address and ``PER_CLIENT_HOURLY`` per client address in an hour, counted in the database
(every web process sees the same counts). A code allows ``CODE_ATTEMPTS`` wrong tries, so
a guesser gets at most ``PER_ADDRESS_HOURLY * CODE_ATTEMPTS`` tries in a million an hour.

A request only records that a code is wanted; the code is made and sent after the commit
by ``shop.tasks.send_verification_code`` (through ``shop.outbox``), which a slow mail or
SMS service holds up instead of the request. Texts need an approved template for the
kind ``verification_code`` in ``SMS_TEMPLATES`` (its variable ``code``): without one, a
mobile number cannot be verified (:func:`can_text`). Rows that neither work nor count for
a limit any more are deleted hourly by the beat (:func:`delete_expired_codes`)."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from .. import outbox, sms
from ..errors import field_error
from ..models import User
from ..notifications import notify
from ..verification import VerificationCode

CODE_MINUTES = 10
CODE_ATTEMPTS = 5
RESEND_SECONDS = 60
PER_ADDRESS_HOURLY = 5
PER_CLIENT_HOURLY = 10
KIND = "verification_code"
TASK = "shop.tasks.send_verification_code"


def can_text() -> bool:
    """Whether codes can be texted: Alibaba Cloud's keys, a signature and a template."""
    return bool(settings.SMS_ACCESS_KEY_ID and settings.SMS_SIGN_NAME
                and settings.SMS_TEMPLATES.get(KIND))


def masked(address: str) -> str:
    """How a page names an address to someone who may not own it: 138****5678,
    l***@example.com."""
    if "@" in address:
        name, _at, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return f"{address[:3]}****{address[-4:]}"


def _hash(pk: int, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{pk}:{code}".encode(),
                    hashlib.sha256).hexdigest()


def request_code(address: str, client: str, code, error_field: str = "code",
                 purpose: str = "") -> None:
    """Queue a code for ``address`` (already normalised) asked from ``client`` (the
    client's IP address), within the sending limits; refused with ``code`` (the caller's
    error code for "too many") and a Chinese wait otherwise. A ``SIGN_IN`` code is texted
    only if an account signs in with the number, which the worker decides: the request
    does the same work, and gets the same answer, for every number."""
    now = timezone.now()
    client = hashlib.sha256((client or "unknown").encode()).hexdigest()[:32]
    with transaction.atomic():
        # Two requests for one address take turns, so the limits hold under a double tap.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                           [f"verification:{address}"])
        recent = list(VerificationCode.objects
                      .filter(address=address, created_at__gt=now - timedelta(hours=1))
                      .values_list("created_at", flat=True))
        if recent and (now - max(recent)).total_seconds() < RESEND_SECONDS:
            raise field_error(error_field, _("A code was sent a moment ago. You can ask for "
                                             "another in %(seconds)d seconds.") % {
                "seconds": math.ceil(RESEND_SECONDS - (now - max(recent)).total_seconds())},
                code)
        if len(recent) >= PER_ADDRESS_HOURLY or VerificationCode.objects.filter(
                client=client, created_at__gt=now - timedelta(hours=1)).count() \
                >= PER_CLIENT_HOURLY:
            raise field_error(error_field, _("Too many codes were asked for. Try again in "
                                             "an hour."), code)
        row = VerificationCode.objects.create(
            address=address, client=client, created_at=now, purpose=purpose,
            expires_at=now + timedelta(minutes=CODE_MINUTES))
        outbox.enqueue(TASK, {"code_id": row.pk,
                              "language": get_language() or settings.LANGUAGE_CODE})


def deliver(code_id: int, language: str) -> bool:
    """Make the code of row ``code_id`` and send it, once: a row already sent (a repeated
    task) or past its time is left alone. A failed e-mail raises and rolls the row back,
    so the retry sends; a text the service refuses is logged by ``shop.sms`` and the
    person asks again. Returns whether it sent."""
    with transaction.atomic():
        row = (VerificationCode.objects.select_for_update()
               .filter(pk=code_id, sent_at__isnull=True, used_at__isnull=True,
                       expires_at__gt=timezone.now()).first())
        if row is None or (row.purpose == VerificationCode.SIGN_IN and not User.objects
                           .filter(verified_phone=row.address, is_active=True).exists()):
            return False
        code = f"{secrets.randbelow(10 ** 6):06d}"
        if "@" in row.address:
            with override(language):
                subject = _("Your verification code: %(code)s") % {"code": code}
                body = _("Your verification code for the pavilion is %(code)s. It works "
                         "once, for %(minutes)s minutes. Never tell it to anyone; if you "
                         "did not ask for it, ignore this e-mail.") % {
                    "code": code, "minutes": CODE_MINUTES}
            notify(row.address, KIND, subject, body)
        elif not (can_text() and sms.send_sms(row.address, settings.SMS_TEMPLATES[KIND],
                                              {"code": code})):
            return False
        row.code_hash, row.sent_at = _hash(row.pk, code), timezone.now()
        row.save(update_fields=["code_hash", "sent_at"])
    return True


def _wrong(code):
    return field_error("code", _("The verification code is wrong or has expired. Ask for "
                                 "a new one."), code)


def check_code(address: str, typed: str, code, signing_in: bool = False) -> int:
    """The row of the code ``typed`` for ``address``; refused (error code ``code``) when
    it is wrong, used, expired or tried too often. A wrong try is counted in its own
    transaction, before the refusal, so that it counts whatever the caller rolls back.
    Call :func:`use_code` with the row inside the transaction that acts on it."""
    typed = "".join((typed or "").split())
    # Signing in, a sign-in code the worker did not text (the number has no account) is
    # tried, and fails, like a texted one: the answer and its work are the same. Anything
    # else looks only at texted codes, so that whoever asks for a sign-in code for a
    # number cannot void the code its owner was texted to join or register.
    sent = Q(sent_at__isnull=False)
    if signing_in:
        sent |= Q(purpose=VerificationCode.SIGN_IN)
    with transaction.atomic():
        row = (VerificationCode.objects.select_for_update()
               .filter(sent, address=address, used_at__isnull=True,
                       expires_at__gt=timezone.now())
               .order_by("-created_at", "-pk").first())
        if row is None or row.attempts >= CODE_ATTEMPTS:
            raise _wrong(code)
        right = (len(typed) == 6 and typed.isascii() and typed.isdigit()
                 and hmac.compare_digest(row.code_hash or "-" * 64, _hash(row.pk, typed)))
        if not right:
            row.attempts += 1
            row.save(update_fields=["attempts"])
    if not right:
        raise _wrong(code)
    return row.pk


def use_code(pk: int, code) -> None:
    """Spend the code checked by :func:`check_code` (inside the caller's transaction: a
    failure after it leaves the code usable); refused if another request spent it."""
    if not VerificationCode.objects.filter(pk=pk, used_at__isnull=True).update(
            used_at=timezone.now()):
        raise _wrong(code)


def delete_expired_codes() -> int:
    """Delete the codes that neither work nor count any more: expired, and asked before
    the hour the sending limits look back on. Running it again deletes nothing new."""
    cutoff = timezone.now() - timedelta(hours=1)
    deleted, _by_model = VerificationCode.objects.filter(expires_at__lt=cutoff,
                                                         created_at__lt=cutoff).delete()
    return deleted
