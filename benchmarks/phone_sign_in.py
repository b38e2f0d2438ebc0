#!/usr/bin/env python
"""Whether the time of an answer tells who has an account, when signing in by mobile number.

Through the real /graphql/ view, with Celery queueing to a local Redis as in production
(no worker: the request's own work only), alternating a number an account signs in with
and a number without one:

- ``requestPhoneSignInCode``: each call a fresh number from a fresh client address (the
  limits would refuse repeats);
- ``tokenCreateByPhone`` with a wrong code, the known numbers' codes texted (marked sent as
  the worker does), the unknown numbers' left untexted (as the worker leaves them).

Prints ms per call for each kind and the ratio known / unknown, measured in the same run,
and writes benchmarks/results/phone_sign_in.json. Database ``bench_phone`` on the embedded
server (or DATABASE_URL).

    .venv/bin/python benchmarks/phone_sign_in.py [--numbers 200]
"""

from __future__ import annotations

import argparse
import json
import time

from _setup import local_redis, setup_django, summary, write_result

ASK = """mutation($phone: String!) { requestPhoneSignInCode(phone: $phone) {
  errors { code } } }"""
TRY = """mutation($phone: String!, $code: String!) { tokenCreateByPhone(phone: $phone,
  code: $code) { token errors { code } } }"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--numbers", type=int, default=200)
    args = parser.parse_args()
    with local_redis():
        setup_django("bench_phone")
        run(args.numbers)


def run(count: int):
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from shop import throttles
    from shop.models import User
    from shop.services import verification
    from shop.verification import VerificationCode

    settings.SMS_ACCESS_KEY_ID, settings.SMS_SIGN_NAME = "bench", "县域特色馆"
    settings.SMS_TEMPLATES = {"verification_code": "SMS_0"}
    settings.ALLOWED_HOSTS = ["testserver"]
    run_id = int(time.time()) % 10_000
    known = [f"13{run_id:04d}{n:05d}" for n in range(count)]
    unknown = [f"15{run_id:04d}{n:05d}" for n in range(count)]
    for number in known:
        user = User(verified_phone=number, phone=number)
        user.set_unusable_password()
        user.save()
    throttles.forget_signin_failures()

    def post(document, variables, client_no):
        client = Client(REMOTE_ADDR=f"10.{client_no // 65536 % 256}.{client_no // 256 % 256}."
                                    f"{client_no % 256}")
        started = time.perf_counter()
        response = client.post("/graphql/", data=json.dumps(
            {"query": document, "variables": variables}), content_type="application/json")
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.content[:300]
        return elapsed, response.json()["data"]

    def pairs(a, b, n, first, second):
        """Each pair in turns, the known number first every other time."""
        return ((first, a), (second, b)) if n % 2 else ((second, b), (first, a))

    times = {"ask_known": [], "ask_unknown": [], "try_known": [], "try_unknown": []}
    client_no = run_id * 1000
    for n in range(20):  # warm-up: the first requests of a process pay for imports
        client_no += 1
        post(ASK, {"phone": f"17{run_id:04d}{n:05d}"}, client_no)
    for n, (a, b) in enumerate(zip(known, unknown, strict=True)):
        for kind, number in pairs(a, b, n, "ask_known", "ask_unknown"):
            client_no += 1
            elapsed, data = post(ASK, {"phone": number}, client_no)
            assert data["requestPhoneSignInCode"]["errors"] == [], data
            times[kind].append(elapsed)
    # What the worker does: the known numbers' codes are made and marked sent.
    for row in VerificationCode.objects.filter(address__in=known, sent_at__isnull=True):
        row.code_hash = verification._hash(row.pk, "000000")
        row.sent_at = timezone.now()
        row.save(update_fields=["code_hash", "sent_at"])
    answers = set()
    for attempt in range(4):
        for n, (a, b) in enumerate(zip(known, unknown, strict=True)):
            for kind, number in pairs(a, b, n, "try_known", "try_unknown"):
                client_no += 1
                elapsed, data = post(TRY, {"phone": number, "code": f"12345{attempt}"},
                                     client_no)
                answers.add(json.dumps(data, sort_keys=True))
                times[kind].append(elapsed)
    assert len(answers) == 1, answers  # the same answer, known or not

    result = {kind: summary(values) for kind, values in times.items()}
    result["ratio_ask_known_unknown"] = round(
        result["ask_known"]["p50_ms"] / result["ask_unknown"]["p50_ms"], 3)
    result["ratio_try_known_unknown"] = round(
        result["try_known"]["p50_ms"] / result["try_unknown"]["p50_ms"], 3)
    for kind in times:
        print(f"{kind:12} p50 {result[kind]['p50_ms']:7.2f} ms  mean "
              f"{result[kind]['mean_ms']:7.2f} ms  p99 {result[kind]['p99_ms']:7.2f} ms")
    print(f"known / unknown (p50): ask {result['ratio_ask_known_unknown']}, "
          f"wrong code {result['ratio_try_known_unknown']}")
    print(write_result("phone_sign_in", result))


if __name__ == "__main__":
    main()
