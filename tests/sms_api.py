"""A local stand-in of Alibaba Cloud's SendSms API for tests of text messages: it answers
as the service does (``code`` "OK", or an error code to refuse with) and records each
request's parameters (``requests``) and headers (``headers``)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeSmsApi:
    def __init__(self):
        self.requests, self.headers, self.code = [], [], "OK"
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                params = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                params.update({k: v[0] for k, v in parse_qs(body).items()})
                api.requests.append(params)
                api.headers.append(dict(self.headers))
                answer = json.dumps({"Code": api.code, "Message": "OK" if api.code == "OK"
                                     else "触发天级流控", "BizId": "900619746936498440^0",
                                     "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990"})
                self.send_response(200)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(answer.encode())))
                self.end_headers()
                self.wfile.write(answer.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def configure(self, settings, templates: dict) -> None:
        """Point the shop's SMS backend at this stand-in, with ``templates`` by kind."""
        settings.SMS_ENDPOINT = self.url
        settings.SMS_ACCESS_KEY_ID = "LTAI5tTestKeyId"
        settings.SMS_ACCESS_KEY_SECRET = "test-secret"
        settings.SMS_SIGN_NAME = "县域特色馆"
        settings.SMS_TEMPLATES = templates
        settings.NOTIFICATION_BACKENDS = ["shop.notifications.DatabaseBackend",
                                          "shop.notifications.EmailBackend",
                                          "shop.sms.SmsBackend"]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
