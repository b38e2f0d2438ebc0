"""Helpers for tests of invitations: the verification code as the invitee receives it,
in the last e-mail to their address or the last text to the SMS stand-in."""

from __future__ import annotations

import json
import re

from django.core import mail

CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def mailed_code(address: str) -> str:
    """The code in the last e-mail sent to ``address``."""
    mails = [m for m in mail.outbox if m.to == [address]]
    assert mails, f"no e-mail to {address}"
    return CODE.search(mails[-1].subject + mails[-1].body).group(1)


def texted_code(sms_api, phone: str) -> str:
    """The code in the last text the SMS stand-in received for ``phone``."""
    texts = [r for r in sms_api.requests
             if r["PhoneNumbers"] == phone and "code" in json.loads(r["TemplateParam"])]
    assert texts, f"no code texted to {phone}"
    return json.loads(texts[-1]["TemplateParam"])["code"]


def wrong(code: str) -> str:
    """A six-digit code that is not ``code``."""
    return f"{(int(code) + 1) % 10 ** 6:06d}"
