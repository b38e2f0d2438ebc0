"""Guessing passwords: tokenCreate and the sign-in page share one throttle per account and
per client address (shop/throttles.py). The clock is moved by the test instead of slept."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from shop import throttles

pytestmark = pytest.mark.django_db

PASSWORD = "a-Strong-pass-123"
TOKEN_CREATE = """mutation($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token errors { field code message } } }"""


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    moment = {"now": 1_900_000_000.0}
    monkeypatch.setattr(throttles, "now", lambda: moment["now"])
    return moment


def token_create(password, email="coop@example.com", address="203.0.113.7"):
    response = Client(REMOTE_ADDR=address).post(
        "/graphql/", json.dumps({"query": TOKEN_CREATE,
                                 "variables": {"email": email, "password": password}}),
        content_type="application/json")
    assert response.status_code == 200
    return response.json()["data"]["tokenCreate"]


def codes(result):
    return [e["code"] for e in result["errors"]]


def test_fifty_wrong_passwords_in_a_row_are_not_all_tried(coop_user, clock, monkeypatch):
    checked = []
    real = throttles.authenticate_user
    monkeypatch.setattr(throttles, "authenticate_user",
                        lambda email, password: checked.append(password) or real(email, password))
    results = [token_create(f"guess-{i}") for i in range(50)]
    assert len(checked) == 5  # the free failures; the other 45 never reach the hasher
    assert all(codes(r) == ["INVALID_CREDENTIALS"] for r in results[:5])
    assert all(codes(r) == ["LOGIN_ATTEMPT_DELAYED"] for r in results[5:])
    assert "15" in results[5]["errors"][0]["message"]
    # Even the right password waits out the window (the guesser cannot tell it apart).
    assert codes(token_create(PASSWORD)) == ["LOGIN_ATTEMPT_DELAYED"]

    # The window doubles with each further failure.
    clock["now"] += 16
    assert codes(token_create("guess-again")) == ["INVALID_CREDENTIALS"]
    clock["now"] += 16
    assert codes(token_create("and-again")) == ["LOGIN_ATTEMPT_DELAYED"]
    clock["now"] += 16  # 32 s after the sixth failure, whose window was 30 s
    assert token_create(PASSWORD)["token"]


def test_a_success_after_the_window_clears_the_account(coop_user, clock):
    for i in range(5):
        token_create(f"guess-{i}")
    clock["now"] += 16
    assert token_create(PASSWORD)["token"]
    # The count starts over: five more free failures.
    assert all(codes(token_create(f"again-{i}")) == ["INVALID_CREDENTIALS"] for i in range(5))


def test_one_address_guessing_many_accounts_is_slowed(coop_user, clock, settings):
    settings.SIGNIN_FREE_FAILURES_ADDRESS = 10
    for i in range(10):
        assert codes(token_create("wrong", email=f"user{i}@example.com")) == \
            ["INVALID_CREDENTIALS"]
    assert codes(token_create(PASSWORD)) == ["LOGIN_ATTEMPT_DELAYED"]
    # The account itself is not locked for someone elsewhere.
    assert token_create(PASSWORD, address="198.51.100.9")["token"]


def test_aliases_do_not_multiply_attempts(coop_user, clock, monkeypatch):
    checked = []
    real = throttles.authenticate_user
    monkeypatch.setattr(throttles, "authenticate_user",
                        lambda email, password: checked.append(password) or real(email, password))
    query = "mutation {" + "".join(
        f'a{i}: tokenCreate(email: "coop@example.com", password: "guess-{i}") '
        "{ token errors { code } }" for i in range(15)) + "}"
    body = Client().post("/graphql/", json.dumps({"query": query}),
                         content_type="application/json").json()
    assert len(checked) == 1
    assert body["data"]["a0"]["errors"] == [{"code": "INVALID_CREDENTIALS"}]
    assert all(body["data"][f"a{i}"]["errors"] == [{"code": "LOGIN_ATTEMPT_DELAYED"}]
               for i in range(1, 15))


def test_the_sign_in_page_answers_429_with_retry_after(coop_user, clock):
    client = Client(REMOTE_ADDR="203.0.113.8")
    for i in range(5):
        response = client.post("/account/sign-in/", {"email": "coop@example.com",
                                                     "password": f"guess-{i}"})
        assert response.status_code == 400
    response = client.post("/account/sign-in/", {"email": "coop@example.com",
                                                 "password": PASSWORD})
    assert response.status_code == 429
    assert response["Retry-After"] == "15"
    assert "_auth_user_id" not in client.session
    # The API shares the page's count.
    assert codes(token_create(PASSWORD, address="203.0.113.8")) == ["LOGIN_ATTEMPT_DELAYED"]
    clock["now"] += 16
    response = client.post("/account/sign-in/", {"email": "coop@example.com",
                                                 "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(coop_user.pk)
