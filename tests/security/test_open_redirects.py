"""Links and redirects an attacker would like to point elsewhere: the ``redirectUrl`` a
client sends for the password-reset and account-confirmation mails (the mailed link
carries a token, so a link to someone else's host hands them the account), and the
``next=`` of the sign-in page. Hosts that Python's URL parser and a browser read
differently (a backslash, credentials before ``@``) are refused too."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client, TestCase

from shop.models import User
from tests.clients import GraphQLClient

pytestmark = pytest.mark.django_db

RESET = """mutation($email: String!, $url: String!) {
  requestPasswordReset(email: $email, redirectUrl: $url, channel: "default") {
    errors { field code message } } }"""

HOSTILE_LINKS = [
    "https://evil.example/reset",
    "//evil.example/reset",
    "javascript:alert(1)//localhost/",
    # urlsplit says localhost; a browser reads "\" as "/" and goes to evil.example.
    "http://evil.example\\@localhost/reset",
    "http://evil.example\\.localhost/reset",
    "http://localhost@evil.example/reset",
    "http://evil.example%2F@localhost/reset",
    "http://localhost\t.evil.example/reset",
]


@pytest.mark.parametrize("url", HOSTILE_LINKS)
def test_a_reset_link_to_another_host_is_refused_and_no_mail_leaves(db, url):
    User.objects.create_user("li@example.com", "a-Strong-pass-123")
    result = GraphQLClient().data(RESET, {"email": "li@example.com", "url": url})
    errors = result["requestPasswordReset"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("redirectUrl", "INVALID")], url
    assert mail.outbox == []


def test_a_reset_link_to_our_host_is_mailed(db):
    User.objects.create_user("li@example.com", "a-Strong-pass-123")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the mail leaves after the commit
        result = GraphQLClient().data(RESET, {"email": "li@example.com",
                                              "url": "http://localhost:8000/reset/"})
    assert result["requestPasswordReset"]["errors"] == []
    assert len(mail.outbox) == 1 and "http://localhost:8000/reset/?" in mail.outbox[0].body


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/",
                                    "/\\evil.example/", "\\\\evil.example",
                                    "javascript:alert(1)"])
def test_signing_in_never_sends_the_browser_to_another_host(db, target):
    User.objects.create_user("li@example.com", "a-Strong-pass-123")
    response = Client().post(f"/account/sign-in/?next={target}",
                             {"email": "li@example.com", "password": "a-Strong-pass-123",
                              "next": target})
    assert response.status_code == 302
    assert response["Location"].startswith("/") and not response["Location"].startswith("//")
    assert "evil.example" not in response["Location"]
