"""The account-confirmation mail leaves from a Celery task after the registration commits:
on a real worker (Redis broker, ``tests/background.py``) the link arrives and confirms the
account, and the same task run again sends nothing more; with the mail server down the
registration still succeeds (through ``/graphql/`` and the register page), the task
retries, and once the server answers the shopper gets exactly one mail. Mail goes through
Django's SMTP backend to a local aiosmtpd server, or to a port where nothing listens."""

from __future__ import annotations

import re
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from celery.signals import task_retry
from django.test import Client, TestCase
from django.utils import timezone

from shop import outbox, tasks
from shop.models import Notification, User
from shop.outbox import OutboxMessage
from tests.background import TASK_TIMEOUT, wait_for_task_runs
from tests.clients import GraphQLClient
from tests.smtp_inbox import link_query, mail_server

REGISTER = """mutation($input: AccountRegisterInput!) { accountRegister(input: $input) {
  user { email } requiresConfirmation errors { field code } } }"""
CONFIRM = """mutation($email: String!, $token: String!) { confirmAccount(email: $email,
  token: $token) { user { email isActive } errors { field code } } }"""
PASSWORD = "walnut-Persimmon-88"
CLIENT_PAGE = "http://localhost:3000/account-confirm"


@pytest.fixture
def smtp(settings):
    settings.ACCOUNT_CONFIRMATION_BY_EMAIL = True
    yield from mail_server(settings)


def register(email_address, language="zh-hans"):
    data = {"email": email_address, "password": PASSWORD, "redirectUrl": CLIENT_PAGE}
    return GraphQLClient(language=language).data(REGISTER, {"input": data})["accountRegister"]


def the_message(address) -> OutboxMessage:
    return OutboxMessage.objects.get(task="shop.tasks.send_account_mail",
                                     kwargs__purpose="confirm", kwargs__email=address)


@pytest.mark.django_db(transaction=True)
def test_the_link_comes_from_the_worker_once(celery_worker, smtp):
    smtp.start()
    with wait_for_task_runs(tasks.send_account_mail) as wait:
        answer = register("worker@example.com")
        assert answer == {"user": None, "requiresConfirmation": True, "errors": []}
        wait(lambda: len(smtp.messages) == 1, "no confirmation mail")
    message = smtp.messages[0]
    assert message["To"] == "worker@example.com"
    assert message["Subject"] == "确认您的账号"
    queued = the_message("worker@example.com")
    assert queued.published_at is not None  # handed to the broker after the commit

    # The same message run again (a retry after a lost acknowledgement, or handed over
    # twice) sends nothing more.
    again = tasks.send_account_mail.delay(**queued.kwargs)
    assert again.get(timeout=TASK_TIMEOUT) is False
    assert len(smtp.messages) == 1
    assert Notification.objects.filter(kind="account_confirm").count() == 1

    query = link_query(message, CLIENT_PAGE)
    done = GraphQLClient().data(CONFIRM, {"email": query["email"], "token": query["token"]})
    assert done["confirmAccount"] == {
        "user": {"email": "worker@example.com", "isActive": True}, "errors": []}


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_down_fails_no_registration_and_the_retry_sends_once(celery_worker,
                                                                          smtp):
    retried = threading.Event()

    def on_retry(sender=None, **_kwargs):
        if getattr(sender, "name", None) == tasks.send_account_mail.name:
            retried.set()

    task_retry.connect(on_retry, weak=False)
    try:
        answer = register("down@example.com", language="en")
        # The registration answered as usual while the mail server refused connections.
        assert answer == {"user": None, "requiresConfirmation": True, "errors": []}
        assert User.objects.get(email="down@example.com").is_active is False
        assert retried.wait(TASK_TIMEOUT), "the task did not retry"
        assert smtp.messages == []
        assert not Notification.objects.filter(kind="account_confirm").exists()
    finally:
        task_retry.disconnect(on_retry)

    with wait_for_task_runs(tasks.send_account_mail) as wait:
        smtp.start()  # the mail server is back: the next retry delivers
        wait(lambda: Notification.objects.filter(kind="account_confirm").exists(),
             "the retry did not send")
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["To"] == "down@example.com"
    # In the language the shopper registered in, though sent later by the worker.
    assert smtp.messages[0]["Subject"] == "Confirm your account"
    again = tasks.send_account_mail.delay(**the_message("down@example.com").kwargs)
    assert again.get(timeout=TASK_TIMEOUT) is False
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_without_a_broker_the_register_page_survives_a_mail_server_down(smtp, channel):
    """No broker (the task runs inline after the commit): the failure stays in the outbox
    row, the shopper is told to check their mail, and the outbox's sweep sends it once
    the server is back."""
    client = Client()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/account/register/", {"email": "inline@example.com",
                                                      "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/account/sign-in/"
    assert "请查收邮件确认账户" in response.content.decode()
    assert User.objects.get(email="inline@example.com").is_active is False
    queued = the_message("inline@example.com")
    assert queued.published_at is None and "refused" in queued.last_error.lower()
    assert smtp.messages == []

    smtp.start()
    # The beat's sweep, once the row is older than its grace.
    later = timezone.now() + outbox.SWEEP_GRACE * 2
    assert outbox.publish_pending(now=later) == 1
    assert outbox.publish_pending(now=later) == 0
    assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == "inline@example.com"
    query = link_in_page(smtp.messages[0])
    confirmed = client.get("/account/confirm/", query, follow=True)
    assert "账户已确认" in confirmed.content.decode()


def link_in_page(message) -> dict:
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/account/confirm/\?\S+", body).group()
    return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
