"""Alipay through the official ``alipay-sdk-python`` (``alipay.aop.api``).

* ``trade_pay_url``: the signed ``alipay.trade.page.pay`` (PC) or ``alipay.trade.wap.pay``
  (mobile) URL that takes the buyer to Alipay's cashier;
* ``verify_notice``: the RSA2 check of an asynchronous notice (or of the return page's
  query string) with Alipay's public key, using the SDK's own signature utilities;
* ``query_trade`` / ``refund_trade`` / ``close_trade``: ``alipay.trade.query``,
  ``alipay.trade.refund`` and ``alipay.trade.close``; the SDK signs our requests with
  our private key and verifies the gateway's responses with Alipay's public key.

Keys: settings ``ALIPAY_PRIVATE_KEY(_PATH)`` (ours, PKCS#1 PEM) and
``ALIPAY_PUBLIC_KEY(_PATH)`` (Alipay's, X.509 SubjectPublicKeyInfo PEM). On a development
machine without keys, an application key pair is generated under ``var/alipay/`` at first
use; upload ``app_public_key.pem`` to the Alipay (sandbox) console and put Alipay's public
key in ``var/alipay/alipay_public_key.pem`` (or the settings) to accept notices.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
import urllib.parse
from decimal import Decimal
from pathlib import Path

from alipay.aop.api.AlipayClientConfig import AlipayClientConfig
from alipay.aop.api.DefaultAlipayClient import DefaultAlipayClient
from alipay.aop.api.domain.AlipayTradeCloseModel import AlipayTradeCloseModel
from alipay.aop.api.domain.AlipayTradePagePayModel import AlipayTradePagePayModel
from alipay.aop.api.domain.AlipayTradeQueryModel import AlipayTradeQueryModel
from alipay.aop.api.domain.AlipayTradeRefundModel import AlipayTradeRefundModel
from alipay.aop.api.domain.AlipayTradeWapPayModel import AlipayTradeWapPayModel
from alipay.aop.api.request.AlipayTradeCloseRequest import AlipayTradeCloseRequest
from alipay.aop.api.request.AlipayTradePagePayRequest import AlipayTradePagePayRequest
from alipay.aop.api.request.AlipayTradeQueryRequest import AlipayTradeQueryRequest
from alipay.aop.api.request.AlipayTradeRefundRequest import AlipayTradeRefundRequest
from alipay.aop.api.request.AlipayTradeWapPayRequest import AlipayTradeWapPayRequest
from alipay.aop.api.util import WebUtils
from alipay.aop.api.util.SignatureUtils import get_sign_content, verify_with_rsa
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger("shop.payments")

PRODUCTION_GATEWAY = "https://openapi.alipay.com/gateway.do"
SANDBOX_GATEWAY = "https://openapi-sandbox.dl.alipaydev.com/gateway.do"
_key_lock = threading.Lock()


class AlipayError(Exception):
    """The gateway refused or could not be reached, or its answer failed verification.
    ``sub_code`` is Alipay's business error code (``ACQ.TRADE_NOT_EXIST``...) when it
    answered one, else empty."""

    def __init__(self, message: str, sub_code: str = ""):
        super().__init__(message)
        self.sub_code = sub_code


class AlipayNotConfigured(AlipayError):
    pass


def _get_http_connection(url, query_string, timeout):
    """The SDK's ``WebUtils.get_http_connection`` ignores a port in the gateway URL (it
    always connects to 80/443 and then fails adding the int port to a str). Same logic,
    honouring the port, so that a gateway such as ``http://127.0.0.1:8765/gateway.do``
    (the local test gateway, a proxy) works. Installed once below."""
    parsed = urllib.parse.urlparse(url)
    https = parsed.scheme == "https"
    port = parsed.port or (443 if https else 80)
    cls = http.client.HTTPSConnection if https else http.client.HTTPConnection
    connection = cls(host=parsed.hostname, port=port, timeout=timeout)
    full = f"{parsed.scheme}://{parsed.hostname}"
    if parsed.port:
        full += f":{parsed.port}"
    return f"{full}{parsed.path}?{query_string}", connection


WebUtils.get_http_connection = _get_http_connection


# Keys --------------------------------------------------------------------------------

def _read(path) -> str:
    return Path(path).read_text().strip()


def _generate_dev_key_pair(directory: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    directory.mkdir(parents=True, exist_ok=True)
    private = directory / "app_private_key.pem"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.TraditionalOpenSSL,
                                          serialization.NoEncryption()))
    private.chmod(0o600)
    (directory / "app_public_key.pem").write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    logger.warning("Generated a development Alipay application key pair in %s", directory)


def app_private_key() -> str:
    if settings.ALIPAY_PRIVATE_KEY:
        return settings.ALIPAY_PRIVATE_KEY
    if settings.ALIPAY_PRIVATE_KEY_PATH:
        return _read(settings.ALIPAY_PRIVATE_KEY_PATH)
    directory = Path(settings.ALIPAY_KEY_DIR)
    with _key_lock:
        if not (directory / "app_private_key.pem").exists():
            _generate_dev_key_pair(directory)
    return _read(directory / "app_private_key.pem")


def alipay_public_key() -> str | None:
    if settings.ALIPAY_PUBLIC_KEY:
        return settings.ALIPAY_PUBLIC_KEY
    if settings.ALIPAY_PUBLIC_KEY_PATH:
        return _read(settings.ALIPAY_PUBLIC_KEY_PATH)
    path = Path(settings.ALIPAY_KEY_DIR) / "alipay_public_key.pem"
    return _read(path) if path.exists() else None


def gateway_url() -> str:
    if settings.ALIPAY_GATEWAY_URL:
        return settings.ALIPAY_GATEWAY_URL
    return SANDBOX_GATEWAY if settings.ALIPAY_SANDBOX else PRODUCTION_GATEWAY


def client() -> DefaultAlipayClient:
    if not settings.ALIPAY_APP_ID:
        raise AlipayNotConfigured(_("Alipay is not configured yet (ALIPAY_APP_ID is not set)."))
    public_key = alipay_public_key()
    if not public_key:
        raise AlipayNotConfigured(_("Alipay is not configured yet (Alipay's public key is missing)."))
    config = AlipayClientConfig(sandbox_debug=settings.ALIPAY_SANDBOX)
    config.app_id = settings.ALIPAY_APP_ID
    config.app_private_key = app_private_key()
    config.alipay_public_key = public_key
    config.server_url = gateway_url()
    config.sign_type = "RSA2"
    config.timeout = settings.ALIPAY_TIMEOUT_SECONDS
    return DefaultAlipayClient(alipay_client_config=config, logger=logger)


# Operations ----------------------------------------------------------------------------

def _amount(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def trade_pay_url(payment, order, *, device: str = "PC", return_url: str = "",
                  quit_url: str = "") -> str:
    """The signed GET URL of Alipay's cashier for ``payment``. ``quit_url`` is where the
    phone cashier's 返回商家 leads a shopper who leaves without paying (the return page
    otherwise, which then has no signed result to show)."""
    subject = _("County pavilion order %(number)s") % {"number": order.number}
    time_expire = (timezone.localtime(order.expires_at).strftime("%Y-%m-%d %H:%M:%S")
                   if order.expires_at else None)
    if device.upper() == "WAP":
        model = AlipayTradeWapPayModel()
        model.product_code = "QUICK_WAP_WAY"
        model.quit_url = quit_url or return_url or settings.ALIPAY_RETURN_URL
        request = AlipayTradeWapPayRequest(biz_model=model)
    else:
        model = AlipayTradePagePayModel()
        model.product_code = "FAST_INSTANT_TRADE_PAY"
        request = AlipayTradePagePayRequest(biz_model=model)
    model.out_trade_no = payment.out_trade_no
    model.total_amount = _amount(payment.amount)
    model.subject = subject
    if time_expire:
        model.time_expire = time_expire
    request.notify_url = settings.ALIPAY_NOTIFY_URL
    request.return_url = return_url or settings.ALIPAY_RETURN_URL
    return client().page_execute(request, http_method="GET")


def verify_notice(params: dict) -> bool:
    """RSA2 check of a notice's ``sign`` over its other parameters (less ``sign`` and
    ``sign_type``, sorted, ``k=v`` joined by ``&``: Alipay's rule for notices)."""
    sign = params.get("sign")
    public_key = alipay_public_key()
    if not sign or not public_key:
        return False
    content = get_sign_content({k: v for k, v in params.items()
                                if k not in ("sign", "sign_type") and v != ""})
    try:
        return verify_with_rsa(public_key, content.encode("utf-8"), sign)
    except Exception:  # noqa: BLE001 - rsa.VerificationError, bad base64, bad key
        return False


def _execute(request, response_key: str) -> dict:
    try:
        raw = client().execute(request)
    except AlipayNotConfigured:
        raise
    except Exception as error:  # noqa: BLE001 - the SDK raises its own and socket errors
        raise AlipayError(str(error)) from error
    data = json.loads(raw)
    if data.get("code") != "10000":
        raise AlipayError(f"{data.get('code')} {data.get('sub_code', '')} "
                          f"{data.get('sub_msg') or data.get('msg', '')}".strip(),
                          data.get("sub_code", ""))
    return data


def query_trade(out_trade_no: str) -> dict:
    """``alipay.trade.query``: the trade's status; ``{}`` when Alipay has no such trade
    (the buyer never opened the cashier)."""
    model = AlipayTradeQueryModel()
    model.out_trade_no = out_trade_no
    try:
        return _execute(AlipayTradeQueryRequest(biz_model=model), "alipay_trade_query_response")
    except AlipayError as error:
        if "TRADE_NOT_EXIST" in str(error):
            return {}
        raise


def refund_trade(out_trade_no: str, amount: Decimal, reason: str, out_request_no: str) -> dict:
    model = AlipayTradeRefundModel()
    model.out_trade_no = out_trade_no
    model.refund_amount = _amount(amount)
    model.refund_reason = reason[:256]
    model.out_request_no = out_request_no
    return _execute(AlipayTradeRefundRequest(biz_model=model), "alipay_trade_refund_response")


# Alipay's answers to a close of a trade that is no longer waiting for payment (paid, or
# closed already): "交易状态不合法", under its old and its newer codes.
TRADE_STATUS_ERRORS = ("ACQ.TRADE_STATUS_ERROR", "TRADE_STATUS_ERROR",
                       "ACQ.REASON_ILLEGAL_STATUS", "ACQ.REASON_TRADE_STATUS_INVALID")


def close_trade(out_trade_no: str) -> dict:
    """``alipay.trade.close``: close a trade waiting for payment, so that its cashier can
    no longer take the money. Raises ``AlipayError`` with Alipay's ``sub_code``:
    ``ACQ.TRADE_NOT_EXIST`` when the buyer never opened the cashier, one of
    ``TRADE_STATUS_ERRORS`` when the trade was paid or closed already."""
    model = AlipayTradeCloseModel()
    model.out_trade_no = out_trade_no
    return _execute(AlipayTradeCloseRequest(biz_model=model), "alipay_trade_close_response")
