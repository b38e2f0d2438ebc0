"""With SENTRY_DSN set, an unhandled error in a page reaches the error-reporting service
(here a local HTTP server standing in for Sentry), with Django's and Celery's integrations
on; without it nothing is sent anywhere."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = textwrap.dedent("""\
    import django, sentry_sdk
    from django.conf import settings
    django.setup()
    settings.ROOT_URLCONF = "tests.infra.error_urls"
    from django.test import Client
    client = sentry_sdk.get_client()
    print("active", client.is_active())
    print("integrations", sorted(client.integrations))
    Client(raise_request_exception=False).get("/boom/")
    sentry_sdk.flush(timeout=10)
    """)


def test_an_unhandled_error_is_reported(tmp_path):
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            received.append((self.path, body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
        env.update(DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="k" * 60,
                   ALLOWED_HOSTS="testserver", PAVILION_VAR_DIR=str(tmp_path),
                   DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
                   SENTRY_DSN=f"http://public@127.0.0.1:{server.server_address[1]}/42")
        result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120)
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr[-3000:]
    assert "active True" in result.stdout
    assert "'celery'" in result.stdout and "'django'" in result.stdout
    events = [body for path, body in received if path == "/api/42/envelope/"]
    assert events and any(b"RuntimeError" in body and b"PGSQL" in body for body in events)
