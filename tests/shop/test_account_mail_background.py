"""Password-reset and account-deletion mails leave from the account-mail Celery task after
the request commits, once per key, through ``/graphql/``: on a real worker (Redis broker,
``tests/background.py``) the reset link arrives and sets the password; with the mail
server down the requests answer as usual, for a known and an unknown address alike, and
the task, called once the server is back, sends each mail once. Mail goes through
Django's SMTP backend to a local aiosmtpd server (``tests/smtp_inbox.py``)."""

from __future__ import annotations

import pytest
from django.test import TestCase

from shop import tasks
from shop.models import Notification, User
from shop.outbox import OutboxMessage
from tests.background import TASK_TIMEOUT, wait_for_task_runs
from tests.clients import GraphQLClient
from tests.smtp_inbox import link_query, mail_server

RESET = """mutation($email: String!) { requestPasswordReset(email: $email,
  redirectUrl: "http://localhost:3000/reset") { errors { field code } } }"""
SET_PASSWORD = """mutation($email: String!, $token: String!, $password: String!) {
  setPassword(email: $email, token: $token, password: $password) {
    token errors { field code } } }"""
DELETE_REQUEST = """mutation { accountRequestDeletion(
  redirectUrl: "http://localhost:3000/delete") { errors { field code } } }"""
DELETE = """mutation($token: String!) { accountDelete(token: $token) {
  errors { field code } } }"""
PASSWORD = "walnut-Persimmon-88"


@pytest.fixture
def smtp(settings):
    yield from mail_server(settings)


def queued(purpose, email):
    return OutboxMessage.objects.get(task="shop.tasks.send_account_mail",
                                     kwargs__purpose=purpose, kwargs__email=email)


@pytest.mark.django_db(transaction=True)
def test_the_reset_link_comes_from_the_worker_once(celery_worker, smtp):
    User.objects.create_user("li@example.com", PASSWORD)
    smtp.start()
    with wait_for_task_runs(tasks.send_account_mail) as wait:
        answer = GraphQLClient(language="zh-hans").data(RESET, {"email": "Li@Example.com"})
        assert answer["requestPasswordReset"]["errors"] == []
        # The mail leaves inside the task's transaction (a failed send rolls the notice
        # back), so its notice is committed a moment after the mail arrives.
        wait(lambda: len(smtp.messages) == 1
             and Notification.objects.filter(kind="password_reset").exists(), "no reset mail")
    message = smtp.messages[0]
    assert message["To"] == "li@example.com" and message["Subject"] == "重置密码"
    # The notice on the platform says a link was sent, and carries no link.
    notice = Notification.objects.get(kind="password_reset")
    assert "http" not in notice.body and "邮箱" in notice.body

    again = tasks.send_account_mail.delay(**queued("reset", "li@example.com").kwargs)
    assert again.get(timeout=TASK_TIMEOUT) is False
    assert len(smtp.messages) == 1

    query = link_query(message, "http://localhost:3000/reset")
    done = GraphQLClient().data(SET_PASSWORD, {"email": query["email"], "token": query["token"],
                                               "password": "a-new-Password-99"})
    assert done["setPassword"]["errors"] == [] and done["setPassword"]["token"]


@pytest.mark.django_db
def test_a_mail_server_down_fails_no_request_and_the_task_sends_once(smtp):
    """No broker: the task runs inline after the commit and fails against the closed port;
    the requests still answer, and the task run later (a retry) sends each mail once."""
    user = User.objects.create_user("li@example.com", PASSWORD)
    client = GraphQLClient(user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        known = client.data(RESET, {"email": "li@example.com"})
        unknown = client.data(RESET, {"email": "nobody@example.com"})
        deletion = client.data(DELETE_REQUEST)
    # The same answer for a known and an unknown address, each one queued message.
    assert known == unknown == {"requestPasswordReset": {"errors": []}}
    assert deletion == {"accountRequestDeletion": {"errors": []}}
    rows = {(m.kwargs["purpose"], m.kwargs["email"]): m
            for m in OutboxMessage.objects.filter(task="shop.tasks.send_account_mail")}
    assert set(rows) == {("reset", "li@example.com"), ("reset", "nobody@example.com"),
                         ("delete", "li@example.com")}
    # The two mails failed and wait for a retry; the unknown address had nothing to send.
    assert [(key, m.published_at is None, "refused" in m.last_error.lower())
            for key, m in sorted(rows.items())] == [
        (("delete", "li@example.com"), True, True), (("reset", "li@example.com"), True, True),
        (("reset", "nobody@example.com"), False, False)]
    assert smtp.messages == [] and not Notification.objects.exists()

    smtp.start()
    assert tasks.send_account_mail(**rows["reset", "li@example.com"].kwargs) is True
    assert tasks.send_account_mail(**rows["reset", "nobody@example.com"].kwargs) is False
    assert tasks.send_account_mail(**rows["delete", "li@example.com"].kwargs) is True
    for row in rows.values():  # run again: nothing more
        assert tasks.send_account_mail(**row.kwargs) is False
    assert [m["To"] for m in smtp.messages] == ["li@example.com", "li@example.com"]
    # Written in the language of the request (English here), though sent later.
    assert smtp.messages[1]["Subject"] == "Delete your account"

    token = link_query(smtp.messages[1], "http://localhost:3000/delete")["token"]
    assert client.data(DELETE, {"token": token}) == {"accountDelete": {"errors": []}}
    assert not User.objects.filter(email="li@example.com").exists()
