"""A local stand-in for Alipay's open gateway, for tests: a small HTTP server on
127.0.0.1 with its own RSA key pair (made at test time with ``cryptography``).

* It verifies OUR RSA2 signature on every request (page/wap pay GET, trade.query,
  trade.refund and trade.close POSTs) with the application's public key, and refuses
  bad ones.
* As Alipay, it closes only a trade waiting for payment (``ACQ.TRADE_STATUS_ERROR`` for
  one paid or closed, ``ACQ.TRADE_NOT_EXIST`` for one whose cashier was never opened),
  and a closed trade can no longer be paid (``pay`` raises ``TradeClosed``).
* It signs its responses and the asynchronous notices with ITS private key; the
  application checks them with the gateway's public key, as it would Alipay's.

So both signature checks run for real, through the official SDK on our side and through
``cryptography`` (an independent implementation) on the gateway's side.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from datetime import datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

# The application's id at the gateway in tests.
APP_ID = "2021000000000001"


class TradeClosed(Exception):
    """The buyer tried to pay a trade the shop had closed: Alipay's cashier refuses."""


def new_key_pair() -> tuple[str, str]:
    """``(private PKCS#1 PEM, public SubjectPublicKeyInfo PEM)``, the formats the SDK uses."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def rsa2_sign(private_pem: str, content: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    signature = key.sign(content.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


def rsa2_verify(public_pem: str, content: str, sign: str) -> bool:
    key = serialization.load_pem_public_key(public_pem.encode())
    try:
        key.verify(base64.b64decode(sign), content.encode("utf-8"), padding.PKCS1v15(),
                   hashes.SHA256())
        return True
    except (InvalidSignature, ValueError):
        return False


def sign_content(params: dict, exclude=("sign",)) -> str:
    return "&".join(f"{k}={v}" for k, v in sorted(params.items())
                    if k not in exclude and v not in ("", None))


class LocalAlipayGateway:
    def __init__(self, app_id: str, app_public_key: str):
        self.app_id = app_id
        self.app_public_key = app_public_key
        self.private_key, self.public_key = new_key_pair()
        self.trades: dict[str, dict] = {}
        self.received: list[tuple[str, bool]] = []  # (method, signature ok)
        self.calls: list[tuple[str, bool, str]] = []  # (method, signature ok, out_trade_no)
        self.refunds: dict[str, dict] = {}
        # Refund trouble on demand: the next ``refuse_refunds`` refunds are answered with a
        # system error and not made; the next ``lose_refund_answers`` are made and their
        # answer lost (as a timeout would lose it); each refund first waits
        # ``refund_delay`` seconds, so that concurrent callers overlap.
        self.refuse_refunds = 0
        self.lose_refund_answers = 0
        self.refund_delay = 0.0
        # Close trouble alike: the next ``refuse_closes`` closes are answered with a system
        # error and not made; ``before_close(out_trade_no)``, when set, runs as a close
        # arrives, before the gateway looks at the trade (a buyer paying at that moment).
        self.refuse_closes = 0
        self.before_close = None
        self._lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # the buyer's browser opening the cashier
                params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
                status, body = gateway.open_cashier(params)
                self._send(status, body, "text/html; charset=utf-8")

            def do_POST(self):  # the SDK's server-to-server calls
                params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
                length = int(self.headers.get("Content-Length") or 0)
                params.update(parse_qsl(self.rfile.read(length).decode("utf-8"),
                                        keep_blank_values=True))
                self._send(200, gateway.api(params), "application/json; charset=utf-8")

            def _send(self, status, body, content_type):
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/gateway.do"

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    # What the gateway does -------------------------------------------------------------

    def _verify_request(self, params: dict) -> bool:
        ok = (params.get("app_id") == self.app_id and params.get("sign_type") == "RSA2"
              and rsa2_verify(self.app_public_key, sign_content(params), params.get("sign", "")))
        self.received.append((params.get("method", ""), ok))
        try:
            number = json.loads(params.get("biz_content") or "{}").get("out_trade_no", "")
        except ValueError:
            number = ""
        self.calls.append((params.get("method", ""), ok, number))
        return ok

    def open_cashier(self, params: dict) -> tuple[int, str]:
        if not self._verify_request(params):
            return 400, "<h1>验签失败 invalid-signature</h1>"
        biz = json.loads(params["biz_content"])
        with self._lock:
            self.trades.setdefault(biz["out_trade_no"], {
                "out_trade_no": biz["out_trade_no"], "total_amount": biz["total_amount"],
                "subject": biz.get("subject", ""), "trade_status": "WAIT_BUYER_PAY",
                "trade_no": datetime.now().strftime("%Y%m%d") + secrets.token_hex(8),
                "notify_url": params.get("notify_url", ""), "refunded": Decimal("0"),
            })
        if self.trades[biz["out_trade_no"]]["trade_status"] == "TRADE_CLOSED":
            return 200, "<h1>交易已关闭</h1><p>该笔交易已关闭，请返回商家重新下单或支付。</p>"
        return 200, f"<h1>支付宝收银台</h1><p>{biz['out_trade_no']} ¥{biz['total_amount']}</p>"

    def api(self, params: dict) -> str:
        method = params.get("method", "")
        key = method.replace(".", "_") + "_response"
        if not self._verify_request(params):
            return self._signed(key, {"code": "40002", "msg": "Invalid Arguments",
                                      "sub_code": "isv.invalid-signature", "sub_msg": "验签出错"})
        biz = json.loads(params.get("biz_content") or "{}")
        trade = self.trades.get(biz.get("out_trade_no", ""))
        if method == "alipay.trade.close" and self.before_close is not None:
            self.before_close(biz.get("out_trade_no", ""))
            trade = self.trades.get(biz.get("out_trade_no", ""))
        if trade is None:
            return self._signed(key, {"code": "40004", "msg": "Business Failed",
                                      "sub_code": "ACQ.TRADE_NOT_EXIST", "sub_msg": "交易不存在"})
        if method == "alipay.trade.close":
            return self._signed(key, self._close(trade))
        if method == "alipay.trade.query":
            return self._signed(key, {"code": "10000", "msg": "Success",
                                      "trade_no": trade["trade_no"],
                                      "out_trade_no": trade["out_trade_no"],
                                      "trade_status": trade["trade_status"],
                                      "total_amount": trade["total_amount"],
                                      "buyer_logon_id": "159****1234"})
        if method == "alipay.trade.refund":
            time.sleep(self.refund_delay)
            with self._lock:
                if self.refuse_refunds:
                    self.refuse_refunds -= 1
                    return self._signed(key, {"code": "20000", "msg": "Service Unavailable",
                                              "sub_code": "ACQ.SYSTEM_ERROR",
                                              "sub_msg": "系统繁忙"})
                request_no = biz.get("out_request_no", "")
                if request_no not in self.refunds:
                    amount = Decimal(biz["refund_amount"])
                    if trade["trade_status"] != "TRADE_SUCCESS" or \
                            trade["refunded"] + amount > Decimal(trade["total_amount"]):
                        return self._signed(key, {"code": "40004", "msg": "Business Failed",
                                                  "sub_code": "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL",
                                                  "sub_msg": "退款金额超限"})
                    trade["refunded"] += amount
                    self.refunds[request_no] = {"amount": amount}
                if self.lose_refund_answers:
                    self.lose_refund_answers -= 1
                    return ""
            return self._signed(key, {"code": "10000", "msg": "Success",
                                      "trade_no": trade["trade_no"],
                                      "out_trade_no": trade["out_trade_no"],
                                      "refund_fee": f"{trade['refunded']:.2f}",
                                      "fund_change": "Y"})
        return self._signed(key, {"code": "40004", "msg": "Business Failed",
                                  "sub_code": "ACQ.METHOD_NOT_SUPPORTED"})

    def _close(self, trade: dict) -> dict:
        with self._lock:
            if self.refuse_closes:
                self.refuse_closes -= 1
                return {"code": "20000", "msg": "Service Unavailable",
                        "sub_code": "ACQ.SYSTEM_ERROR", "sub_msg": "系统繁忙"}
            if trade["trade_status"] != "WAIT_BUYER_PAY":
                return {"code": "40004", "msg": "Business Failed",
                        "sub_code": "ACQ.TRADE_STATUS_ERROR", "sub_msg": "交易状态不合法"}
            trade["trade_status"] = "TRADE_CLOSED"
        return {"code": "10000", "msg": "Success", "trade_no": trade["trade_no"],
                "out_trade_no": trade["out_trade_no"]}

    def closes(self, out_trade_no: str | None = None) -> int:
        """How many signed ``alipay.trade.close`` requests reached the gateway (all of
        them, or those for one trade)."""
        return sum(1 for method, ok, number in self.calls
                   if method == "alipay.trade.close" and ok
                   and out_trade_no in (None, number))

    def _signed(self, key: str, content: dict) -> str:
        body = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        return f'{{"{key}":{body},"sign":"{rsa2_sign(self.private_key, body)}"}}'

    def pay(self, out_trade_no: str, **overrides) -> dict:
        """The buyer pays: the trade succeeds and the signed notice Alipay would post to
        ``notify_url`` is returned (``overrides`` change fields before signing)."""
        trade = self.trades[out_trade_no]
        with self._lock:
            if trade["trade_status"] == "TRADE_CLOSED":
                raise TradeClosed(out_trade_no)
            trade["trade_status"] = "TRADE_SUCCESS"
        now = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        params = {
            "notify_time": now, "notify_type": "trade_status_sync",
            "notify_id": secrets.token_hex(16), "app_id": self.app_id, "charset": "utf-8",
            "version": "1.0", "sign_type": "RSA2", "trade_no": trade["trade_no"],
            "out_trade_no": out_trade_no, "total_amount": trade["total_amount"],
            "receipt_amount": trade["total_amount"], "buyer_logon_id": "159****1234",
            "trade_status": "TRADE_SUCCESS", "gmt_payment": now, "subject": trade["subject"],
        }
        params.update(overrides)
        return self.sign_notice(params)

    def sign_notice(self, params: dict, private_key: str | None = None) -> dict:
        params = dict(params)
        params.pop("sign", None)
        params["sign"] = rsa2_sign(private_key or self.private_key,
                                   sign_content(params, exclude=("sign", "sign_type")))
        return params
