"""An attacker against accounts, through the real /graphql/ view: a password-reset link
works once and dies with any new password; neither asking for a reset, nor setting a
password with a made-up token, nor registering (with confirmation by e-mail), nor the
time a sign-in takes (one password hash for every address) tells whether an address has
an account; an account's e-mail address cannot be changed at all
through the API (so never without its owner's confirmation). The limits on verification
codes are in ``tests/shop/test_invitation_invitee.py``."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail
from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone

from shop.models import User
from shop.outbox import OutboxMessage
from tests.clients import GraphQLClient

pytestmark = pytest.mark.django_db

RESET = """mutation($email: String!) { requestPasswordReset(email: $email,
  redirectUrl: "http://localhost:3000/reset") { errors { field code message } } }"""
SET_PASSWORD = """mutation($email: String!, $token: String!, $password: String!) {
  setPassword(email: $email, token: $token, password: $password) {
    token errors { field code message } } }"""
CHANGE = """mutation($old: String!, $new: String!) {
  passwordChange(oldPassword: $old, newPassword: $new) { errors { field code } } }"""
REGISTER = """mutation($email: String!) { accountRegister(input: {email: $email,
  password: "walnut-Persimmon-88", redirectUrl: "http://localhost:3000/confirm"}) {
  user { email } requiresConfirmation errors { field code message } } }"""
PASSWORD = "walnut-Persimmon-88"


def ask_reset(email):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return GraphQLClient().data(RESET, {"email": email})["requestPasswordReset"]


def reset_token(email) -> str:
    ask_reset(email)
    link = re.search(r"http://localhost:3000/reset\?\S+", mail.outbox[-1].body).group()
    return parse_qs(urlsplit(link).query)["token"][0]


def set_password(email, token, password):
    return GraphQLClient().data(SET_PASSWORD, {"email": email, "token": token,
                                               "password": password})["setPassword"]


def test_a_reset_token_works_once_and_dies_with_a_new_password():
    user = User.objects.create_user("li@example.com", PASSWORD)
    used = reset_token("li@example.com")
    assert set_password("li@example.com", used, "first-New-pass-1")["errors"] == []
    again = set_password("li@example.com", used, "second-New-pass-2")
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("token", "INVALID")]

    # A link mailed before the owner changed their password stops working.
    cache.clear()  # the interval between two reset mails has passed
    pending = reset_token("li@example.com")
    user.refresh_from_db()
    changed = GraphQLClient(user).data(CHANGE, {"old": "first-New-pass-1",
                                                "new": "owner-Chose-this-3"})
    assert changed["passwordChange"]["errors"] == []
    stale = set_password("li@example.com", pending, "attacker-Pass-4")
    assert [(e["field"], e["code"]) for e in stale["errors"]] == [("token", "INVALID")]
    user.refresh_from_db()
    assert user.check_password("owner-Chose-this-3")


def test_reset_answers_do_not_tell_who_has_an_account():
    User.objects.create_user("li@example.com", PASSWORD)
    known, unknown = ask_reset("li@example.com"), ask_reset("nobody@example.com")
    assert known == unknown == {"errors": []}
    # Both queue the same work (the worker finds the account or not), so the request costs
    # the same: one outbox row each, of the same shape.
    rows = list(OutboxMessage.objects.filter(task="shop.tasks.send_account_mail")
                .order_by("pk"))
    assert [sorted(r.kwargs) for r in rows] == [sorted(rows[0].kwargs)] * 2
    assert [m.to for m in mail.outbox] == [["li@example.com"]]

    # A made-up token for a known and an unknown address: the same refusal.
    known = set_password("li@example.com", "1-abc", "attacker-Pass-4")
    unknown = set_password("nobody@example.com", "1-abc", "attacker-Pass-4")
    assert known == unknown
    assert [(e["field"], e["code"]) for e in known["errors"]] == [("token", "INVALID")]


def test_registration_with_confirmation_does_not_tell_who_has_an_account(settings):
    settings.ACCOUNT_CONFIRMATION_BY_EMAIL = True
    User.objects.create_user("li@example.com", PASSWORD)
    with TestCase.captureOnCommitCallbacks(execute=True):
        taken = GraphQLClient().data(REGISTER, {"email": "li@example.com"})
        fresh = GraphQLClient().data(REGISTER, {"email": "new@example.com"})
    assert taken == fresh
    assert taken["accountRegister"] == {"user": None, "requiresConfirmation": True,
                                        "errors": []}
    # The same queued work for both; only the new account gets a mail.
    assert OutboxMessage.objects.filter(task="shop.tasks.send_account_mail",
                                        kwargs__purpose="confirm").count() == 2
    assert [m.to for m in mail.outbox] == [["new@example.com"]]


SIGN_IN = """mutation($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token errors { field code } } }"""


def test_signing_in_costs_one_password_hash_whoever_the_address_is(monkeypatch):
    """The same work, so the same time, for an unknown address, a wrong password, a closed
    account and one waiting for its confirmation: the time of the answer tells nothing."""
    hashes = []
    original = PBKDF2PasswordHasher.encode
    monkeypatch.setattr(PBKDF2PasswordHasher, "encode",
                        lambda self, *args, **kw: hashes.append(1) or original(self, *args, **kw))
    User.objects.create_user("li@example.com", PASSWORD)
    User.objects.create_user("closed@example.com", PASSWORD, is_active=False,
                             last_login=timezone.now())
    User.objects.create_user("pending@example.com", PASSWORD, is_active=False)
    answers = []
    for email, password in [("nobody@example.com", PASSWORD), ("li@example.com", "wrong-1"),
                            ("closed@example.com", PASSWORD), ("pending@example.com", "wrong-1"),
                            ("pending@example.com", PASSWORD), ("li@example.com", PASSWORD)]:
        hashes.clear()
        answer = GraphQLClient().data(SIGN_IN, {"email": email, "password": password})
        answers.append(([e["code"] for e in answer["tokenCreate"]["errors"]], len(hashes)))
    assert answers == [(["INVALID_CREDENTIALS"], 1)] * 4 + [
        (["ACCOUNT_NOT_CONFIRMED"], 1), ([], 1)]


def test_an_accounts_email_changes_only_through_the_link_mailed_to_the_new_address():
    user = User.objects.create_user("li@example.com", PASSWORD)
    client = GraphQLClient(user)
    update = client.post("""mutation { accountUpdate(input: {email: "evil@example.com"}) {
      errors { field code } } }""")
    assert update.get("errors")
    # Asking (with the password) only mails a link; the address stays until it is opened.
    change = client.data("""mutation { requestEmailChange(newEmail: "evil@example.com",
      password: "walnut-Persimmon-88", redirectUrl: "http://localhost:3000/") {
      errors { field code } } }""")
    assert change["requestEmailChange"]["errors"] == []
    user.refresh_from_db()
    assert user.email == "li@example.com"
