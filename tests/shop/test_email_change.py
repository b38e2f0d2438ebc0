"""Changing an account's e-mail address (Saleor's requestEmailChange/confirmEmailChange)
through ``/graphql/`` and the account page: the current password, a link mailed to the new
address (after the request commits, by the account-mail task, run inline without a
broker), the change once the link is opened by the same signed-in user, every older token
ended and the old address told. The happy path reads the mails from a real SMTP server
(``tests/smtp_inbox.py``); the refusals read Django's test outbox."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.test import Client, TestCase

from shop.models import User
from tests.clients import GraphQLClient, refused, signed_in
from tests.smtp_inbox import link_query, mail_server

PASSWORD = "walnut-Persimmon-88"
CLIENT_PAGE = "http://localhost:3000/email-confirm"
REQUEST = """mutation($newEmail: String!, $password: String!) {
  requestEmailChange(newEmail: $newEmail, password: $password,
                     redirectUrl: "http://localhost:3000/email-confirm", channel: "default") {
    user { email } errors { field code message } } }"""
CONFIRM = """mutation($token: String!) { confirmEmailChange(token: $token, channel: "default") {
  user { email } errors { field code message } } }"""
ME = "query { me { email } }"


@pytest.fixture
def smtp(settings):
    yield from mail_server(settings)


def ask(user, new_email, password=PASSWORD, client=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return (client or GraphQLClient(user, language="zh-hans")).data(
            REQUEST, {"newEmail": new_email, "password": password})["requestEmailChange"]


def confirm(user, token, client=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return (client or GraphQLClient(user, language="zh-hans")).data(
            CONFIRM, {"token": token})["confirmEmailChange"]


def token_in(message, page=CLIENT_PAGE) -> str:
    link = re.search(re.escape(page) + r"\?\S+", message.body).group()
    return parse_qs(urlsplit(link).query)["token"][0]


def test_the_link_mailed_to_the_new_address_changes_it_and_tells_the_old(db, smtp):
    user = User.objects.create_user("li@example.com", PASSWORD)
    smtp.start()
    other_device = GraphQLClient(user)
    asked = ask(user, " Li.New@Example.com ")
    assert asked == {"user": {"email": "li@example.com"}, "errors": []}
    # Nothing changes until the link is opened.
    assert User.objects.get(pk=user.pk).email == "li@example.com"
    [link_mail] = smtp.messages
    assert link_mail["To"] == "li.new@example.com"
    assert link_mail["Subject"] == "确认新的邮箱地址"
    token = link_query(link_mail, CLIENT_PAGE)["token"]

    done = confirm(user, token)
    assert done == {"user": {"email": "li.new@example.com"}, "errors": []}
    # The old address is told (in Chinese), and the mail carries no link.
    told = smtp.messages[1]
    assert told["To"] == "li@example.com" and told["Subject"] == "您的邮箱地址已更改"
    assert "http" not in told.get_body(preferencelist=("plain",)).get_content()
    # Every token issued before ends; the new address signs in.
    assert refused(other_device.post(ME))
    signed = GraphQLClient().data("""mutation { tokenCreate(email: "li.new@example.com",
      password: "walnut-Persimmon-88") { token errors { code } } }""")["tokenCreate"]
    assert signed["errors"] == [] and signed["token"]
    # The link worked once.
    again = confirm(User.objects.get(pk=user.pk), token)
    assert again == {"user": None, "errors": [
        {"field": "token", "code": "INVALID", "message": again["errors"][0]["message"]}]}
    assert len(smtp.messages) == 2


def test_a_wrong_password_changes_nothing_and_mails_nothing(db):
    user = User.objects.create_user("li@example.com", PASSWORD)
    answer = ask(user, "new@example.com", password="not-the-password")
    assert [(e["field"], e["code"]) for e in answer["errors"]] == [
        ("password", "INVALID_CREDENTIALS")]
    assert answer["errors"][0]["message"] == "密码不正确。"
    assert mail.outbox == []


def test_an_address_in_use_is_answered_like_a_free_one_and_gets_no_mail(db):
    """Whether the new address has an account is not answered (as accountRegister and
    setPassword answer nothing about an address): the same answer and the same work as
    for a free address, and the owner of the taken address is mailed nothing."""
    li = User.objects.create_user("li@example.com", PASSWORD)
    wang = User.objects.create_user("wang@example.com", PASSWORD)
    User.objects.create_user("taken@example.com", PASSWORD)
    taken = ask(li, "taken@example.com")
    free = ask(wang, "free@example.com")
    assert taken == {"user": {"email": "li@example.com"}, "errors": []}
    assert free == {"user": {"email": "wang@example.com"}, "errors": []}
    assert [m.to for m in mail.outbox] == [["free@example.com"]]
    # A link to a free address that another account takes before it is opened is
    # refused: its holder proved the mailbox theirs, so they may be told why.
    token = token_in(mail.outbox[0])
    User.objects.create_user("free@example.com", PASSWORD)
    late = confirm(wang, token)
    assert [(e["field"], e["code"]) for e in late["errors"]] == [("newEmail", "UNIQUE")]
    assert User.objects.get(pk=wang.pk).email == "wang@example.com"


def test_an_expired_link_and_another_users_link_are_refused(db, monkeypatch):
    li = User.objects.create_user("li@example.com", PASSWORD)
    wang = User.objects.create_user("wang@example.com", PASSWORD)
    two_days_ago = time.time() - timedelta(days=2).total_seconds()
    monkeypatch.setattr("django.core.signing.time.time", lambda: two_days_ago)
    ask(li, "late@example.com")
    monkeypatch.undo()
    expired = confirm(li, token_in(mail.outbox[0]))
    assert [(e["field"], e["code"]) for e in expired["errors"]] == [("token", "INVALID")]

    ask(wang, "wang.new@example.com")
    stolen = confirm(li, token_in(mail.outbox[1]))
    assert [(e["field"], e["code"]) for e in stolen["errors"]] == [("token", "INVALID")]
    forged = confirm(li, "forged")
    assert [(e["field"], e["code"]) for e in forged["errors"]] == [("token", "INVALID")]
    assert {u.email for u in User.objects.all()} == {"li@example.com", "wang@example.com"}


def test_one_request_per_account_per_interval(db, settings):
    settings.PASSWORD_RESET_MAIL_INTERVAL = 120
    user = User.objects.create_user("li@example.com", PASSWORD)
    assert ask(user, "first@example.com")["errors"] == []
    second = ask(user, "second@example.com")
    assert [(e["field"], e["code"]) for e in second["errors"]] == [
        ("newEmail", "CODE_THROTTLED")]
    assert [m.to for m in mail.outbox] == [["first@example.com"]]


def test_own_address_bad_address_and_foreign_redirect_are_refused(db):
    user = User.objects.create_user("li@example.com", PASSWORD)
    assert [e["code"] for e in ask(user, "LI@example.com")["errors"]] == ["INVALID"]
    assert [e["field"] for e in ask(user, "not-an-address")["errors"]] == ["newEmail"]
    foreign = GraphQLClient(user).data("""mutation { requestEmailChange(
      newEmail: "n@example.com", password: "walnut-Persimmon-88",
      redirectUrl: "https://evil.example.net/") { errors { field code } } }""")
    assert foreign["requestEmailChange"]["errors"] == [
        {"field": "redirectUrl", "code": "INVALID"}]
    assert mail.outbox == []


def test_an_anonymous_caller_is_refused(db):
    User.objects.create_user("li@example.com", PASSWORD)
    asked = GraphQLClient().post(REQUEST, {"newEmail": "x@example.com", "password": PASSWORD})
    confirmed = GraphQLClient().post(CONFIRM, {"token": "anything"})
    assert refused(asked) and refused(confirmed)
    assert mail.outbox == []


def test_a_phone_only_account_adds_its_first_address(db):
    user = User(verified_phone="13912345678", phone="13912345678")
    user.set_unusable_password()
    user.save()
    # It has no password to give: the session its texted code opened is the proof.
    assert ask(user, "first@example.com", password="")["errors"] == []
    [link_mail] = mail.outbox
    done = confirm(user, token_in(link_mail))
    assert done == {"user": {"email": "first@example.com"}, "errors": []}
    # No old address to tell.
    assert len(mail.outbox) == 1
    user.refresh_from_db()
    assert user.email == "first@example.com" and user.verified_phone == "13912345678"


def test_the_account_page_changes_the_address(db, channel):
    user = User.objects.create_user("li@example.com", PASSWORD)
    client = signed_in(user)
    page = client.get("/account/").content.decode()
    assert "更改邮箱" in page and 'name="new_email"' in page and 'name="password"' in page

    wrong = client.post("/account/email/", {"new_email": "new@example.com",
                                            "password": "nope"})
    assert wrong.status_code == 400 and "密码不正确" in wrong.content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = client.post("/account/email/", {"new_email": "new@example.com",
                                               "password": PASSWORD}, follow=True)
    assert sent.redirect_chain[-1][0] == "/account/" and "new@example.com" in \
        sent.content.decode()
    [link_mail] = mail.outbox
    link = re.search(r"http://\S+/account/email/confirm/\?\S+", link_mail.body).group()
    path = urlsplit(link).path + "?" + urlsplit(link).query

    # Opened signed out: sign in first, then back to the link.
    anonymous = Client().get(path)
    assert anonymous.status_code == 302 and "/account/sign-in/" in anonymous["Location"]

    with TestCase.captureOnCommitCallbacks(execute=True):
        landed = client.get(path)
    assert landed.status_code == 200 and "邮箱已更改" in landed.content.decode()
    assert User.objects.get(pk=user.pk).email == "new@example.com"
    assert mail.outbox[1].to == ["li@example.com"]
    used = client.get(path)
    assert used.status_code == 400 and "邮箱已更改" not in used.content.decode()


def test_a_phone_only_account_page_asks_no_password(db, channel):
    user = User(verified_phone="13912345678", phone="13912345678")
    user.set_unusable_password()
    user.save()
    page = signed_in(user).get("/account/").content.decode()
    assert "添加邮箱" in page and 'name="password"' not in page
