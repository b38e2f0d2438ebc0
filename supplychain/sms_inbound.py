"""The address the SMS provider pushes received texts to (``/sms/inbound/<token>/``, see
``supplychain.sms_trace``): the shared secret checked, the JSON array handed to the
service, and Alibaba Cloud's expected answer (``{"code": 0}``, HTTP 200; anything else
makes it push again)."""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import sms_trace

logger = logging.getLogger(__name__)

# A push is a few texts of at most a few hundred bytes each.
MAX_PUSH_BYTES = 64 * 1024


def _answer(code: int, message: str, status: int = 200) -> JsonResponse:
    return JsonResponse({"code": code, "msg": message}, status=status,
                        json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
def sms_inbound(request, token: str):
    expected = settings.SMS_INBOUND_TOKEN
    if not expected:
        raise Http404  # tracing by text is not set up here
    if not hmac.compare_digest(token.encode(), expected.encode()):
        logger.warning("SMS push to a wrong address refused")
        return _answer(1, "forbidden", status=403)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_PUSH_BYTES + 1
    if length > MAX_PUSH_BYTES:
        return _answer(1, "too large", status=413)
    try:
        items = json.loads(request.body or b"null")
    except ValueError:
        return _answer(1, "not JSON", status=400)
    if not isinstance(items, list):
        return _answer(1, "not a list", status=400)
    sms_trace.receive_push(items)
    return _answer(0, "OK")
