"""Text messages (短信) through Alibaba Cloud's SMS service, with its official SDK
(``alibabacloud-dysmsapi20170525``): ``SmsBackend`` is a notification backend
(``shop.notifications``) that texts the buyer's mobile number when a notice's kind has an
approved template (``SMS_TEMPLATES``) and the keys are configured (``shop.conf``).

Mainland SMS must use a signature (签名) and template (模板) approved by Alibaba Cloud, so a
message sends the template's code and its variables, not free text: ``number`` (the order
number or the recall's reference) and ``subject`` (the notice's subject, cut to the 35
characters a template variable may hold).

Where the number comes from: an order notice (reference ``order:<number>``) is texted to
the mobile number on the order's shipping address, else the buyer account's; other kinds
(a recall, told per buyer's e-mail) have a finder registered by the app that sends them
(``register_phone_finder``). A message the service refuses is logged and not raised: the
e-mail and the recorded notification have gone out, and a retry would send them again."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_dysmsapi20170525.models import SendSmsRequest
from alibabacloud_tea_openapi.models import Config
from darabonba.runtime import RuntimeOptions
from django.conf import settings

from .models import Order

logger = logging.getLogger(__name__)

# A mainland mobile number: 11 digits from 1, optionally written with +86 or 86.
MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")

_finders: dict[str, Callable] = {}


def register_phone_finder(kind: str, finder: Callable) -> None:
    """``finder(message) -> [mobile numbers]`` for notices of ``kind``."""
    _finders[kind] = finder


def mobile(value: str) -> str | None:
    """The 11-digit mobile number in ``value`` (spaces and dashes ignored), or ``None``."""
    match = MOBILE.match(re.sub(r"[\s-]", "", value or ""))
    return match.group(1) if match else None


def order_phones(order: Order) -> list[str]:
    """The mobile number of an order's buyer: the shipping address's, else the account's."""
    candidates = [order.shipping_address.phone if order.shipping_address_id else "",
                  getattr(order.user, "phone", "") if order.user_id else ""]
    for value in candidates:
        number = mobile(value)
        if number:
            return [number]
    return []


def phones_for(message) -> list[str]:
    if message.kind in _finders:
        return sorted({n for n in (mobile(p) for p in _finders[message.kind](message)) if n})
    kind, _sep, number = message.reference.partition(":")
    if kind == "order" and number.isdigit():
        order = (Order.objects.select_related("shipping_address", "user")
                 .filter(number=int(number)).first())
        return order_phones(order) if order else []
    # An account without an e-mail (registered by mobile number) is told at its number.
    user = message.user
    if user is not None and not user.email and user.verified_phone:
        return [user.verified_phone]
    return []


def client() -> Client:
    endpoint = urlsplit(settings.SMS_ENDPOINT if "://" in settings.SMS_ENDPOINT
                        else f"https://{settings.SMS_ENDPOINT}")
    return Client(Config(access_key_id=settings.SMS_ACCESS_KEY_ID,
                         access_key_secret=settings.SMS_ACCESS_KEY_SECRET,
                         endpoint=endpoint.netloc, protocol=endpoint.scheme))


def send_sms(phone: str, template: str, params: dict) -> bool:
    """Send one templated message; ``True`` when the service accepted it."""
    request = SendSmsRequest(phone_numbers=phone, sign_name=settings.SMS_SIGN_NAME,
                             template_code=template,
                             template_param=json.dumps(params, ensure_ascii=False))
    runtime = RuntimeOptions(connect_timeout=settings.SMS_TIMEOUT_MS,
                             read_timeout=settings.SMS_TIMEOUT_MS, autoretry=False)
    try:
        body = client().send_sms_with_options(request, runtime).body
    except Exception:  # noqa: BLE001 - any SDK or network failure: logged, not raised
        logger.warning("SMS to %s*** not sent", phone[:3], exc_info=True)
        return False
    if body.code != "OK":
        logger.warning("SMS to %s*** refused: %s %s (request %s)", phone[:3], body.code,
                       body.message, body.request_id)
        return False
    return True


class SmsBackend:
    """Texts the notice to the buyer's mobile number when its kind has a template."""

    def send(self, message) -> int:
        template = settings.SMS_TEMPLATES.get(message.kind)
        if not (template and settings.SMS_ACCESS_KEY_ID and settings.SMS_SIGN_NAME):
            return 0
        params = {"number": message.reference.partition(":")[2][:35],
                  "subject": " ".join(message.subject.split())[:35]}
        return sum(send_sms(phone, template, params) for phone in phones_for(message))
