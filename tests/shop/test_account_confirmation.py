"""Account confirmation by e-mail (Saleor's ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL), through
``/graphql/`` and the shoppers' register page, with the setting off (the default: register
and buy at once) and on (the account waits for the link mailed to it). The mail leaves once the
registration commits (``shop.outbox``, run inline without a broker): each registration
here runs its after-commit work as it returns."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, TestCase

from shop.models import User
from tests.clients import GraphQLClient

REGISTER = """mutation($input: AccountRegisterInput!) { accountRegister(input: $input) {
  user { email } requiresConfirmation errors { field code } } }"""
SIGN_IN = """mutation($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token errors { field code } } }"""
CONFIRM = """mutation($email: String!, $token: String!) { confirmAccount(email: $email,
  token: $token) { user { email isActive } errors { field code } } }"""
PASSWORD = "walnut-Persimmon-88"
CLIENT_PAGE = "http://localhost:3000/account-confirm"


@pytest.fixture
def confirmation(settings):
    settings.ACCOUNT_CONFIRMATION_BY_EMAIL = True


def register(email, password=PASSWORD, **extra):
    data = {"email": email, "password": password, "redirectUrl": CLIENT_PAGE, **extra}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return GraphQLClient().data(REGISTER, {"input": data})["accountRegister"]


def sign_in(email, password=PASSWORD):
    return GraphQLClient().data(SIGN_IN, {"email": email, "password": password})["tokenCreate"]


def confirm(email, token):
    return GraphQLClient().data(CONFIRM, {"email": email, "token": token})["confirmAccount"]


def link_in(message, page=CLIENT_PAGE):
    link = re.search(re.escape(page) + r"\?\S+", message.body).group()
    return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}


def test_without_confirmation_a_new_shopper_signs_in_at_once(db):
    answer = register("Direct@Example.com", redirectUrl=None)
    assert answer == {"user": {"email": "direct@example.com"}, "requiresConfirmation": False,
                      "errors": []}
    assert mail.outbox == [] and sign_in("direct@example.com")["token"]
    # The address is taken: a shopper who typed it again must be told, or they are stuck.
    assert register("direct@example.com")["errors"] == [{"field": "email", "code": "UNIQUE"}]


def test_a_confirmed_link_opens_the_account_and_nothing_else_does(db, confirmation):
    assert register("new@example.com", redirectUrl=None)["errors"] == [
        {"field": "redirectUrl", "code": "REQUIRED"}]
    assert register("new@example.com", redirectUrl="https://evil.example.net/x")["errors"] == [
        {"field": "redirectUrl", "code": "INVALID"}]
    assert register("new@example.com", password="123")["errors"][0]["code"] == "INVALID_PASSWORD"
    assert not User.objects.filter(email="new@example.com").exists() and mail.outbox == []

    answer = register("New@Example.com")
    assert answer == {"user": None, "requiresConfirmation": True, "errors": []}
    assert User.objects.get(email="new@example.com").is_active is False
    assert [m.to for m in mail.outbox] == [["new@example.com"]]
    query = link_in(mail.outbox[0])
    assert query["email"] == "new@example.com"

    # The right password learns why it cannot sign in yet; a wrong one learns nothing.
    assert sign_in("new@example.com")["errors"] == [
        {"field": "email", "code": "ACCOUNT_NOT_CONFIRMED"}]
    assert sign_in("new@example.com", "not-the-password-1")["errors"] == [
        {"field": "email", "code": "INVALID_CREDENTIALS"}]

    # A forged token, and another account's token, confirm nothing.
    register("other@example.com")
    others = link_in(mail.outbox[1])["token"]
    assert confirm("new@example.com", "forged")["errors"] == [{"field": "token", "code": "INVALID"}]
    assert confirm("new@example.com", others)["errors"] == [{"field": "token", "code": "INVALID"}]
    assert User.objects.get(email="new@example.com").is_active is False

    done = confirm("new@example.com", query["token"])
    assert done == {"user": {"email": "new@example.com", "isActive": True}, "errors": []}
    assert sign_in("new@example.com")["token"]
    assert confirm("new@example.com", query["token"])["errors"] == []  # opened twice
    assert User.objects.get(email="other@example.com").is_active is False


def test_a_link_older_than_three_days_is_refused(db, confirmation, monkeypatch):
    four_days_ago = time.time() - timedelta(days=4).total_seconds()
    monkeypatch.setattr("django.core.signing.time.time", lambda: four_days_ago)
    register("late@example.com")
    monkeypatch.undo()
    token = link_in(mail.outbox[0])["token"]
    assert confirm("late@example.com", token)["errors"] == [{"field": "token", "code": "INVALID"}]
    assert User.objects.get(email="late@example.com").is_active is False


def test_an_account_closed_after_use_is_not_reopened_by_its_old_link(db, confirmation):
    register("closed@example.com")
    token = link_in(mail.outbox[0])["token"]
    assert confirm("closed@example.com", token)["errors"] == []
    assert sign_in("closed@example.com")["token"]
    User.objects.filter(email="closed@example.com").update(is_active=False)  # by the staff
    assert confirm("closed@example.com", token)["errors"] == [
        {"field": "token", "code": "INVALID"}]
    assert sign_in("closed@example.com")["errors"][0]["code"] == "INVALID_CREDENTIALS"


def test_registering_a_known_address_answers_like_a_new_one(db, confirmation):
    fresh = register("pending@example.com")
    again = register("pending@example.com", firstName="小明")
    assert again == fresh == {"user": None, "requiresConfirmation": True, "errors": []}
    assert len(mail.outbox) == 1  # the mailbox is not flooded within the interval
    cache.clear()  # the interval has passed
    assert register("pending@example.com") == fresh
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["pending@example.com"]
    assert confirm("pending@example.com", link_in(mail.outbox[1])["token"])["errors"] == []
    assert User.objects.filter(email="pending@example.com").count() == 1

    # A confirmed account: the same answer, no mail, the password unchanged.
    cache.clear()
    assert register("pending@example.com", password="another-Password-77") == fresh
    assert len(mail.outbox) == 2 and sign_in("pending@example.com")["token"]


def test_the_register_page_follows_the_setting(db, channel, settings):
    client = Client()
    response = client.post("/account/register/", {"email": "page@example.com",
                                                  "password": PASSWORD})
    assert response.status_code == 302 and mail.outbox == []
    assert client.get("/").wsgi_request.user.email == "page@example.com"

    settings.ACCOUNT_CONFIRMATION_BY_EMAIL = True
    client = Client()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/account/register/", {"email": "mail@example.com",
                                                      "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/account/sign-in/"
    assert "请查收邮件确认账户" in page and "mail@example.com" in page
    assert not response.wsgi_request.user.is_authenticated

    refused = client.post("/account/sign-in/", {"email": "mail@example.com",
                                                "password": PASSWORD})
    assert refused.status_code == 400 and "请先确认账户" in refused.content.decode()

    page_link = settings.PUBLIC_URL + "/account/confirm/"
    query = link_in(mail.outbox[0], page_link)
    bad = client.get("/account/confirm/", {**query, "token": "forged"}, follow=True)
    assert bad.redirect_chain[-1][0] == "/account/register/"
    assert "链接无效或已过期" in bad.content.decode()
    assert User.objects.get(email="mail@example.com").is_active is False

    confirmed = client.get("/account/confirm/", query, follow=True)
    assert confirmed.redirect_chain[-1][0] == "/account/sign-in/"
    assert "账户已确认" in confirmed.content.decode()
    assert not confirmed.wsgi_request.user.is_authenticated  # the link signs nobody in
    signed_in = client.post("/account/sign-in/", {"email": "mail@example.com",
                                                  "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/").wsgi_request.user.email == "mail@example.com"
