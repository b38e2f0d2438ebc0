"""Accounts by mobile number through the real pages: a shopper verifies a number on the
account page and signs in with it and a texted code; a cooperative member signs in the
same way and lands on the workbench (or where ``next`` says); a new shopper registers with
a number alone; a colleague invited by number joins with no e-mail address. Refusals in
Chinese: a wrong or used code, a code asked too soon, an unknown number (the same page as
a known one, and no text), a number verified on another account."""

from __future__ import annotations

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.test import Client, TestCase
from django.utils import timezone

from shop.models import Invitation, Membership, User
from shop.verification import VerificationCode
from tests.clients import signed_in
from tests.factories import PASSWORD, make_member
from tests.invitations import texted_code, wrong

pytestmark = pytest.mark.django_db

NUMBER = "13812345678"
SIGN_IN, REGISTER, ACCOUNT = "/account/sign-in/phone/", "/account/register/phone/", "/account/"


def post(client, path, data):
    """A form posted, its after-commit work (the code's text) run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path, data)


def page_text(response) -> str:
    """The page without its per-request CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def later():
    """A couple of minutes on: past the wait before another code to the same number."""
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))


def verify_on_account_page(user, sms_api, number=NUMBER):
    client = Client()
    client.force_login(user)
    sent = post(client, ACCOUNT, {"action": "send", "phone": number})
    assert sent.status_code == 200 and "验证码" in sent.content.decode()
    done = post(client, ACCOUNT, {"action": "verify", "phone": number,
                                  "code": texted_code(sms_api, number)})
    later()
    return client, done


def test_a_shopper_verifies_a_number_then_signs_in_with_it(sms_api):
    shopper = User.objects.create_user("wang@example.com", PASSWORD, first_name="王")
    anonymous = Client().get(ACCOUNT)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/account/sign-in/")
    client, done = verify_on_account_page(shopper, sms_api)
    assert done.status_code == 302 and done["Location"] == ACCOUNT
    page = client.get(ACCOUNT).content.decode()
    assert "已验证" in page and NUMBER in page

    # The sign-in page leads to signing in by number.
    assert SIGN_IN in Client().get("/account/sign-in/").content.decode()
    visitor = Client()
    form = visitor.get(SIGN_IN).content.decode()
    assert "获取验证码" in form
    sent = post(visitor, SIGN_IN, {"action": "send", "phone": NUMBER})
    assert sent.status_code == 200 and "138****5678" in sent.content.decode()
    code = texted_code(sms_api, NUMBER)
    refused = post(visitor, SIGN_IN, {"action": "sign-in", "phone": NUMBER, "code": wrong(code)})
    assert refused.status_code == 400 and "验证码" in refused.content.decode()
    signed = post(visitor, SIGN_IN, {"action": "sign-in", "phone": NUMBER, "code": code})
    assert signed.status_code == 302 and signed["Location"] == "/"
    assert visitor.get(ACCOUNT).context["user"] == shopper

    # The code works once.
    used = post(Client(), SIGN_IN, {"action": "sign-in", "phone": NUMBER, "code": code})
    assert used.status_code == 400 and "验证码" in used.content.decode()


def test_an_unknown_number_gets_the_same_page_and_no_text(sms_api):
    shopper = User.objects.create_user("li@example.com", PASSWORD)
    verify_on_account_page(shopper, sms_api)
    texts = len(sms_api.requests)
    known = post(Client(), SIGN_IN, {"action": "send", "phone": NUMBER})
    unknown = post(Client(), SIGN_IN, {"action": "send", "phone": "139 0000 1111"})
    assert known.status_code == unknown.status_code == 200
    # The same words, but for the number itself.
    assert (page_text(known).replace("138****5678", "N")
            == page_text(unknown).replace("139****1111", "N").replace("139 0000 1111", NUMBER))
    assert [r["PhoneNumbers"] for r in sms_api.requests[texts:]] == [NUMBER]
    guessed = post(Client(), SIGN_IN, {"action": "sign-in", "phone": "13900001111",
                                       "code": "123456"})
    wrong_code = post(Client(), SIGN_IN, {"action": "sign-in", "phone": NUMBER,
                                          "code": wrong(texted_code(sms_api, NUMBER))})
    assert guessed.status_code == wrong_code.status_code == 400
    assert (guessed.context["form"].errors["code"] == wrong_code.context["form"].errors["code"])

    # Asking again at once: held off, alike.
    again = post(Client(), SIGN_IN, {"action": "send", "phone": NUMBER})
    assert again.status_code == 400 and "秒后" in again.content.decode()


def test_a_member_signs_in_by_number_to_the_workbench(sms_api, coop):
    member = make_member(coop, "member@example.com", role=Membership.Role.MEMBER)
    verify_on_account_page(member, sms_api)
    # Sent to sign in by the workbench, the member comes back where they were going.
    sent_away = Client().get("/work/members/")
    assert sent_away.status_code == 302
    sign_in_page = Client().get(sent_away["Location"]).content.decode()
    assert f"{SIGN_IN}?next=/work/members/" in sign_in_page
    # Sent by the workbench, the number comes first (members work on phones).
    assert sign_in_page.index(SIGN_IN) < sign_in_page.index('name="password"')
    assert "在手机上工作？" in sign_in_page
    assert "在手机上工作？" not in Client().get("/account/sign-in/").content.decode()
    phone = Client()
    post(phone, f"{SIGN_IN}?next=/work/members/", {"action": "send", "phone": NUMBER,
                                                  "next": "/work/members/"})
    signed = post(phone, SIGN_IN, {"action": "sign-in", "phone": NUMBER, "next": "/work/members/",
                                   "code": texted_code(sms_api, NUMBER)})
    assert signed.status_code == 302 and signed["Location"] == "/work/members/"
    assert coop.name in phone.get("/work/members/").content.decode()
    # Without a next, a member lands on the workbench.
    later()
    other = Client()
    post(other, SIGN_IN, {"action": "send", "phone": NUMBER})
    landed = post(other, SIGN_IN, {"action": "sign-in", "phone": NUMBER,
                                   "code": texted_code(sms_api, NUMBER)})
    assert landed["Location"] == "/work/"


def test_registering_with_a_number_alone(sms_api):
    assert REGISTER in Client().get("/account/register/").content.decode()
    visitor = Client()
    missing = post(visitor, REGISTER, {"action": "register", "phone": NUMBER})
    assert missing.status_code == 400
    sent = post(visitor, REGISTER, {"action": "send", "phone": NUMBER})
    assert sent.status_code == 200 and "138****5678" in sent.content.decode()
    code = texted_code(sms_api, NUMBER)
    made = post(visitor, REGISTER, {"action": "register", "phone": NUMBER, "code": code,
                                    "first_name": "小王"})
    assert made.status_code == 302
    user = User.objects.get(verified_phone=NUMBER)
    assert user.email is None and user.first_name == "小王"
    account = visitor.get(ACCOUNT).content.decode()
    assert NUMBER in account and "小王" in account

    # Registering the number again, with a right code: told to sign in instead.
    later()
    again = Client()
    post(again, REGISTER, {"action": "send", "phone": NUMBER})
    taken = post(again, REGISTER, {"action": "register", "phone": NUMBER,
                                   "code": texted_code(sms_api, NUMBER)})
    assert taken.status_code == 400 and "已有账户" in taken.content.decode()
    assert User.objects.filter(verified_phone=NUMBER).count() == 1


def test_a_number_verified_on_another_account_stays_there(sms_api):
    first = User.objects.create_user("one@example.com", PASSWORD)
    verify_on_account_page(first, sms_api)
    second = User.objects.create_user("two@example.com", PASSWORD)
    _client, refused = verify_on_account_page(second, sms_api)
    assert refused.status_code == 400 and "另一个账户" in refused.content.decode()
    assert User.objects.get(pk=second.pk).verified_phone is None
    assert User.objects.get(pk=first.pk).verified_phone == NUMBER


def test_a_colleague_invited_by_number_joins_without_an_email(sms_api, coop, coop_user):
    coop_client = signed_in(coop_user)
    coop_client.post("/work/members/", {"action": "invite", "role": "member",
                                        "phone": "139 1234 5678"})
    invitation = Invitation.objects.get()
    link = f"/work/join/{invitation.token}/"
    visitor = Client()
    post(visitor, link, {"action": "send"})
    joined = post(visitor, link, {"action": "join", "first_name": "小李",
                                  "code": texted_code(sms_api, "13912345678")})
    assert joined.status_code == 302 and joined["Location"] == "/work/"
    member = Membership.objects.get(organization=coop, user__first_name="小李").user
    assert member.email is None and member.verified_phone == "13912345678"
    assert member.get_full_name() == "小李"
    # The members page lists them by their number.
    assert "13912345678" in coop_client.get("/work/members/").content.decode()

    # Next time they sign in by number, straight to the workbench.
    later()
    phone = Client()
    post(phone, SIGN_IN, {"action": "send", "phone": "13912345678"})
    landed = post(phone, SIGN_IN, {"action": "sign-in", "phone": "13912345678",
                                   "code": texted_code(sms_api, "13912345678")})
    assert landed["Location"] == "/work/"


def test_members_who_joined_by_a_texted_code_sign_in_with_that_number(sms_api, coop):
    """Before numbers could sign in, accepting an invitation to a number proved it: the
    migration makes it their sign-in number, where it is theirs alone."""
    now = timezone.now()

    def joined(user, phone, token):
        Invitation.objects.create(organization=coop, phone=phone, token=token,
                                  expires_at=now, accepted_at=now, accepted_by=user)
        User.objects.filter(pk=user.pk).update(phone=phone)

    farmer = User.objects.create_user("farmer@example.com", PASSWORD)
    joined(farmer, "13912345678", "a")
    # One number accepted by two accounts (a shared phone): neither signs in with it.
    for n, email in enumerate(("x@example.com", "y@example.com")):
        joined(User.objects.create_user(email, PASSWORD), "13700000000", f"b{n}")
    import_module("shop.migrations.0021_verified_phones_of_invitees").verify_invited_numbers(
        apps, None)
    assert User.objects.get(pk=farmer.pk).verified_phone == "13912345678"
    assert not User.objects.filter(verified_phone="13700000000").exists()

    phone = Client()
    post(phone, SIGN_IN, {"action": "send", "phone": "13912345678"})
    signed = post(phone, SIGN_IN, {"action": "sign-in", "phone": "13912345678",
                                   "code": texted_code(sms_api, "13912345678")})
    assert signed.status_code == 302 and phone.get(ACCOUNT).context["user"] == farmer
