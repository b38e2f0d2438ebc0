"""忘记密码 on the shop's pages: the sign-in page links to it, a known and an unknown address
get the same answer (only the known one a mail), the mailed link opens a page that sets a
new password once, a weak password is refused in Chinese, and a used or forged link says
so and leads back to asking for a new one."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client, TestCase

from shop.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "walnut-Persimmon-88"


def ask(client, email):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/account/password/", {"email": email}, follow=True)


def test_a_forgotten_password_is_replaced_once_through_the_mailed_link():
    User.objects.create_user("li@example.com", PASSWORD)
    client = Client()
    assert "/account/password/" in client.get("/account/sign-in/").content.decode()
    assert "忘记密码" in client.get("/account/password/").content.decode()

    known, unknown = ask(client, "Li@Example.com"), ask(client, "nobody@example.com")
    for response, email in ((known, "li@example.com"), (unknown, "nobody@example.com")):
        assert response.redirect_chain[-1][0] == "/account/sign-in/"
        assert f"如果 {email} 有账号，设置新密码的链接已发往该邮箱" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["li@example.com"]]
    link = re.search(r"https?://\S+/account/password/new/\?\S+", mail.outbox[0].body).group()
    page = urlsplit(link)
    path = f"{page.path}?{page.query}"

    form = client.get(path)
    assert form.status_code == 200 and "li@example.com" in form.content.decode()
    weak = client.post(path, {"password": "123"})
    assert weak.status_code == 400 and "密码" in weak.content.decode()
    done = client.post(path, {"password": "a-new-Password-99"}, follow=True)
    assert done.redirect_chain[-1][0] == "/account/sign-in/"
    assert "新密码已设置" in done.content.decode()
    signed_in = client.post("/account/sign-in/", {"email": "li@example.com",
                                                  "password": "a-new-Password-99"})
    assert signed_in.status_code == 302

    # The link worked once; a forged one never did.
    for dead in (path, "/account/password/new/?email=li%40example.com&token=1-abc",
                 "/account/password/new/?email=nobody%40example.com&token=1-abc"):
        again = Client().get(dead, follow=True)
        assert again.redirect_chain[-1][0] == "/account/password/"
        assert "链接无效、已使用或已过期" in again.content.decode()
    replay = Client().post(path, {"password": "attacker-Pass-4"})
    assert replay.status_code == 302 and replay["Location"] == "/account/password/"
    assert User.objects.get(email="li@example.com").check_password("a-new-Password-99")
