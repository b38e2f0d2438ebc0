"""Accounts by mobile number through the real /graphql/ view: verifying a number on the
account, signing in with it and a texted code (tokenCreateByPhone answers as tokenCreate
does), registering with a number alone, and every refusal a person could meet: a wrong
code, a used code, too many codes, an unknown number (answered exactly like a known one),
a number verified on another account. Codes come through the SMS stand-in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from shop.models import Invitation, Membership, User
from shop.sms import mobile
from shop.verification import VerificationCode
from tests.clients import GraphQLClient
from tests.factories import PASSWORD, gid
from tests.invitations import texted_code, wrong
from tests.sms_api import FakeSmsApi

pytestmark = pytest.mark.django_db

NUMBER = "13812345678"

SIGN_IN_CODE = """mutation($phone: String!) { requestPhoneSignInCode(phone: $phone) {
  errors { field code message } } }"""
TOKEN = """mutation($phone: String!, $code: String!) {
  tokenCreateByPhone(phone: $phone, code: $code) {
    token refreshToken user { email } errors { field code message } } }"""
CODE = """mutation($phone: String!) { requestPhoneCode(phone: $phone) {
  errors { field code message } } }"""
REGISTER = """mutation($input: AccountRegisterByPhoneInput!) {
  accountRegisterByPhone(input: $input) {
  token refreshToken user { email firstName } errors { field code message } } }"""
VERIFY = """mutation($phone: String!, $code: String!) {
  accountVerifyPhone(phone: $phone, code: $code) {
  user { email verifiedPhone } errors { field code message } } }"""
ME = "{ me { email verifiedPhone } }"
TOKEN_CREATE = """mutation($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token errors { code } } }"""


@pytest.fixture
def sms_api(settings):
    api = FakeSmsApi()
    api.configure(settings, {"verification_code": "SMS_490002"})
    yield api
    api.close()


def ask(document, phone, client=None, name=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = (client or GraphQLClient(language="zh-hans")).data(document, {"phone": phone})
    return answer[name or ("requestPhoneSignInCode" if document is SIGN_IN_CODE
                           else "requestPhoneCode")]


def sign_in(phone, code, client=None):
    return (client or GraphQLClient(language="zh-hans")).data(
        TOKEN, {"phone": phone, "code": code})["tokenCreateByPhone"]


def codes(answer):
    return [(e["field"], e["code"]) for e in answer["errors"]]


def verified(user, sms_api, number=NUMBER):
    """``user`` proves ``number`` through the API, as from the account page."""
    client = GraphQLClient(user, language="zh-hans")
    assert ask(CODE, number, client) == {"errors": []}
    answer = client.data(VERIFY, {"phone": number,
                                  "code": texted_code(sms_api, mobile(number))})
    # A minute or two later (past the wait before another code to the same number).
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    return answer["accountVerifyPhone"]


def test_a_verified_number_signs_in_with_a_texted_code_once(sms_api):
    shopper = User.objects.create_user("wang@example.com", PASSWORD)
    assert verified(shopper, sms_api, "+86 138-1234-5678") == {
        "user": {"email": "wang@example.com", "verifiedPhone": NUMBER}, "errors": []}

    assert ask(SIGN_IN_CODE, NUMBER) == {"errors": []}
    code = texted_code(sms_api, NUMBER)
    answer = sign_in(NUMBER, code)
    assert answer["errors"] == []
    assert answer["user"] == {"email": "wang@example.com"}
    # The token is a real one: the API knows who it is.
    client = GraphQLClient(language="zh-hans")
    client.token = answer["token"]
    assert client.data(ME)["me"] == {"email": "wang@example.com", "verifiedPhone": NUMBER}
    assert answer["refreshToken"]

    # The same code a second time: refused, nothing issued.
    again = sign_in(NUMBER, code)
    assert again["token"] is None and again["user"] is None
    assert codes(again) == [("code", "INVALID_CREDENTIALS")]
    # Signing in by e-mail and password works as before.
    assert GraphQLClient().data(TOKEN_CREATE, {"email": "wang@example.com",
                                               "password": PASSWORD})["tokenCreate"]["token"]


def test_a_wrong_code_is_refused_and_the_right_one_still_works(sms_api):
    shopper = User.objects.create_user("li@example.com", PASSWORD)
    verified(shopper, sms_api)
    ask(SIGN_IN_CODE, NUMBER)
    code = texted_code(sms_api, NUMBER)
    refused = sign_in(NUMBER, wrong(code))
    assert refused["token"] is None
    assert codes(refused) == [("code", "INVALID_CREDENTIALS")]
    assert "验证码" in refused["errors"][0]["message"]
    assert sign_in(NUMBER, code)["user"]["email"] == "li@example.com"


def test_an_unknown_number_is_answered_as_a_known_one_and_texted_nothing(sms_api):
    shopper = User.objects.create_user("zhao@example.com", PASSWORD)
    verified(shopper, sms_api)
    texts = len(sms_api.requests)
    unknown = "13900001111"

    assert ask(SIGN_IN_CODE, NUMBER) == ask(SIGN_IN_CODE, unknown) == {"errors": []}
    # Only the account's number got a text; the unknown one none.
    assert [r["PhoneNumbers"] for r in sms_api.requests[texts:]] == [NUMBER]
    # A guess is refused in the same words for both numbers, and counted alike.
    known_code = texted_code(sms_api, NUMBER)
    known, stranger = sign_in(NUMBER, wrong(known_code)), sign_in(unknown, "123456")
    assert known == stranger
    assert VerificationCode.objects.get(address=unknown).attempts == 1
    # Asking again at once is held off alike.
    assert codes(ask(SIGN_IN_CODE, NUMBER)) == codes(ask(SIGN_IN_CODE, unknown)) == [
        ("phone", "CODE_THROTTLED")]


def test_codes_are_limited_per_number_and_per_client(sms_api, settings):
    shopper = User.objects.create_user("sun@example.com", PASSWORD)
    verified(shopper, sms_api)
    first = ask(SIGN_IN_CODE, NUMBER)
    assert first == {"errors": []}
    again = ask(SIGN_IN_CODE, NUMBER)
    assert codes(again) == [("phone", "CODE_THROTTLED")]
    assert "秒" in again["errors"][0]["message"]

    # One client asking for many numbers is stopped after ten in an hour (the account's
    # own verification above and the request just made count).
    client = GraphQLClient(language="zh-hans")
    answers = [ask(SIGN_IN_CODE, f"1370000{n:04d}", client) for n in range(10)]
    assert [codes(a) for a in answers[:8]] == [[]] * 8
    assert codes(answers[-1]) == [("phone", "CODE_THROTTLED")]

    # Guessing codes: after five failures the number is locked a while, even for the right
    # code.
    code = texted_code(sms_api, NUMBER)
    for _n in range(5):
        sign_in(NUMBER, wrong(code))
    held = sign_in(NUMBER, code)
    assert codes(held) == [("phone", "LOGIN_ATTEMPT_DELAYED")]


def test_registering_with_a_number_alone(sms_api):
    assert ask(CODE, NUMBER) == {"errors": []}
    code = texted_code(sms_api, NUMBER)
    bad = GraphQLClient(language="zh-hans").data(REGISTER, {"input": {
        "phone": NUMBER, "code": wrong(code)}})["accountRegisterByPhone"]
    assert codes(bad) == [("code", "INVALID_CODE")]
    answer = GraphQLClient(language="zh-hans").data(REGISTER, {"input": {
        "phone": NUMBER, "code": code, "firstName": "小王"}})["accountRegisterByPhone"]
    assert answer["errors"] == []
    assert answer["user"] == {"email": "", "firstName": "小王"}
    me = GraphQLClient()
    me.token = answer["token"]
    assert me.data(ME)["me"] == {"email": "", "verifiedPhone": NUMBER}
    user = User.objects.get(verified_phone=NUMBER)
    assert user.email is None and not user.has_usable_password()
    assert str(user) == NUMBER

    # The code is spent; a second registration with the number is refused once proved.
    assert codes(GraphQLClient().data(REGISTER, {"input": {"phone": NUMBER, "code": code}})
                 ["accountRegisterByPhone"]) == [("code", "INVALID_CODE")]
    # Later, it signs in by number.
    VerificationCode.objects.update(created_at="2000-01-01T00:00Z")  # past the resend wait
    ask(SIGN_IN_CODE, NUMBER)
    assert sign_in(NUMBER, texted_code(sms_api, NUMBER))["user"] == {"email": ""}


def test_a_number_is_verified_on_one_account_only(sms_api):
    first = User.objects.create_user("one@example.com", PASSWORD)
    verified(first, sms_api)
    second = User.objects.create_user("two@example.com", PASSWORD)
    VerificationCode.objects.update(created_at="2000-01-01T00:00Z")
    answer = verified(second, sms_api)
    assert answer["user"] is None
    assert codes(answer) == [("phone", "UNIQUE")]
    assert User.objects.get(pk=second.pk).verified_phone is None
    assert User.objects.get(pk=first.pk).verified_phone == NUMBER

    # Registering with it: refused once the code proved the number.
    VerificationCode.objects.update(created_at="2000-01-01T00:00Z")
    ask(CODE, NUMBER)
    taken = GraphQLClient(language="zh-hans").data(REGISTER, {"input": {
        "phone": NUMBER, "code": texted_code(sms_api, NUMBER)}})["accountRegisterByPhone"]
    assert codes(taken) == [("phone", "UNIQUE")]
    assert "登录" in taken["errors"][0]["message"]
    assert User.objects.filter(verified_phone=NUMBER).count() == 1


def test_a_bad_number_and_verifying_without_signing_in_are_refused(sms_api):
    assert codes(ask(SIGN_IN_CODE, "12345")) == [("phone", "INVALID")]
    result = GraphQLClient().post(VERIFY, {"phone": NUMBER, "code": "123456"})
    assert result["data"]["accountVerifyPhone"] is None and result["errors"]


def test_without_texting_no_code_is_asked(settings):
    settings.SMS_TEMPLATES = {}
    assert codes(ask(SIGN_IN_CODE, NUMBER)) == [("phone", "INVALID")]
    assert not VerificationCode.objects.exists()


def test_the_admin_shows_the_verified_number_and_keeps_a_way_to_sign_in(admin_client):
    user = User(verified_phone=NUMBER, phone=NUMBER, first_name="小王")
    user.set_unusable_password()
    user.save()
    page = admin_client.get(f"/admin/shop/user/{user.pk}/change/")
    assert page.status_code == 200 and NUMBER in page.content.decode()
    listed = admin_client.get("/admin/shop/user/", {"q": NUMBER}).content.decode()
    assert f"/admin/shop/user/{user.pk}/change/" in listed

    # An account with only an e-mail address cannot lose it.
    other = User.objects.create_user("li@example.com", PASSWORD)
    form = admin_client.get(f"/admin/shop/user/{other.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items()
            if value is not None and name not in ("password", "groups", "user_permissions")}
    data.update({"email": "", "date_joined_0": other.date_joined.strftime("%Y-%m-%d"),
                 "date_joined_1": other.date_joined.strftime("%H:%M:%S")})
    data.pop("date_joined", None)
    refused = admin_client.post(f"/admin/shop/user/{other.pk}/change/", data)
    assert refused.status_code == 200
    assert "email" in refused.context["adminform"].form.errors
    assert User.objects.get(pk=other.pk).email == "li@example.com"


INVITE = """mutation($org: ID!, $input: OrganizationMemberInviteInput!) {
  organizationMemberInvite(organization: $org, input: $input) { errors { field code } } }"""
INVITATION_CODE = """mutation($token: String!) { organizationInvitationCodeSend(token: $token) {
  errors { field code } } }"""
ACCEPT = """mutation($token: String!, $code: String) {
  organizationInvitationAccept(token: $token, code: $code) {
    member { email organization { name } } errors { field code } } }"""


def test_an_account_without_email_accepts_an_invitation_to_its_number(sms_api, settings,
                                                                      coop, coop_user):
    settings.SMS_TEMPLATES = {**settings.SMS_TEMPLATES, "member_invitation": "SMS_490001"}
    ask(CODE, NUMBER)
    registered = GraphQLClient().data(REGISTER, {"input": {
        "phone": NUMBER, "code": texted_code(sms_api, NUMBER), "firstName": "老张"}})
    assert registered["accountRegisterByPhone"]["errors"] == []
    farmer = User.objects.get(verified_phone=NUMBER)
    admin = GraphQLClient(coop_user, language="zh-hans")
    assert admin.data(INVITE, {"org": gid("Organization", coop.pk), "input": {
        "phone": NUMBER}})["organizationMemberInvite"]["errors"] == []
    invitation = Invitation.objects.get()
    # A couple of minutes on: past the wait before another code to the number.
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert GraphQLClient().data(INVITATION_CODE, {"token": invitation.token})[
            "organizationInvitationCodeSend"]["errors"] == []
    answer = GraphQLClient(farmer, language="zh-hans").data(ACCEPT, {
        "token": invitation.token, "code": texted_code(sms_api, NUMBER)})
    assert answer["organizationInvitationAccept"] == {
        "member": {"email": "", "organization": {"name": coop.name}}, "errors": []}
    assert Membership.objects.filter(user=farmer, organization=coop).exists()
