"""An invitation is accepted by the person it was sent to, not by whoever holds its link,
through the real /graphql/ view: accepting takes the verification code sent to the invited
number or address (texted through the SMS stand-in, or e-mailed), and an e-mail invitation
the account of that address. Anyone else is refused in Chinese and the invitation stays
open for the right person; codes are limited in how often they are sent and tried."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from shop import tasks
from shop.models import Invitation, Membership, User
from shop.verification import VerificationCode
from tests.clients import GraphQLClient, refused
from tests.factories import PASSWORD, gid
from tests.invitations import mailed_code, texted_code, wrong

pytestmark = pytest.mark.django_db

INVITE = """mutation($org: ID!, $input: OrganizationMemberInviteInput!) {
  organizationMemberInvite(organization: $org, input: $input) {
    invitation { phone email } errors { field code message } } }"""
SEND_CODE = """mutation($token: String!) { organizationInvitationCodeSend(token: $token) {
  sentTo errors { field code message } } }"""
ACCEPT = """mutation($token: String!, $code: String) {
  organizationInvitationAccept(token: $token, code: $code) {
    member { role organization { name } } errors { field code message } } }"""


def invite(admin, org, **values):
    answer = GraphQLClient(admin, language="zh-hans").data(
        INVITE, {"org": gid("Organization", org.pk), "input": values})
    return answer["organizationMemberInvite"]


def send_code(token, client=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = (client or GraphQLClient(language="zh-hans")).data(SEND_CODE, {"token": token})
    return answer["organizationInvitationCodeSend"]


def accept(user, token, code=None):
    return GraphQLClient(user, language="zh-hans").data(
        ACCEPT, {"token": token, "code": code})["organizationInvitationAccept"]


def codes(answer):
    return [(e["field"], e["code"]) for e in answer["errors"]]


def test_an_email_invitation_is_for_the_account_of_that_address(coop, coop_user):
    assert invite(coop_user, coop, email=" Li.Ming@Example.COM ")["errors"] == []
    invitation = Invitation.objects.get()
    assert invitation.email == "li.ming@example.com"

    # Someone else holding the link, signed in with their own account: told whose it is.
    stranger = User.objects.create_user("stranger@example.com", PASSWORD)
    assert send_code(invitation.token) == {"sentTo": "l***@example.com", "errors": []}
    code = mailed_code("li.ming@example.com")  # mailed to the invitee, not to the holder
    assert mail.outbox[-1].subject == f"你的验证码：{code}"
    # The task run again (a retry, or a message handed over twice) sends nothing more.
    sent = len(mail.outbox)
    assert tasks.send_verification_code(VerificationCode.objects.get().pk, "zh-hans") is False
    assert len(mail.outbox) == sent
    refused_answer = accept(stranger, invitation.token, code)
    assert refused_answer["member"] is None
    assert codes(refused_answer) == [("token", "NOT_INVITEE")]
    assert "l***@example.com" in refused_answer["errors"][0]["message"]
    assert "登录" in refused_answer["errors"][0]["message"]
    assert not Membership.objects.filter(user=stranger).exists()

    # The invitee's account, whatever the case of the address it typed: accepted with the
    # code, which the stranger's try did not spend.
    invitee = User.objects.create_user("li.ming@example.com", PASSWORD)
    User.objects.filter(pk=invitee.pk).update(email="Li.Ming@example.com")
    invitee.refresh_from_db()
    assert codes(accept(invitee, invitation.token)) == [("code", "INVALID_CODE")]
    joined = accept(invitee, invitation.token, code)
    assert joined["errors"] == [] and joined["member"]["organization"]["name"] == coop.name
    assert Membership.objects.filter(user=invitee, organization=coop).exists()


def test_a_phone_invitation_is_accepted_with_the_code_texted_to_it(sms_api, coop, coop_user):
    assert invite(coop_user, coop, phone="+86 139-1234 5678")["errors"] == []
    invitation = Invitation.objects.get()
    assert invitation.phone == "13912345678"

    # Whoever holds the link can only have a code texted to the invited number...
    assert send_code(invitation.token)["sentTo"] == "139****5678"
    code = texted_code(sms_api, "13912345678")
    assert [r["TemplateCode"] for r in sms_api.requests] == ["SMS_490001", "SMS_490002"]
    # ... and without the phone, guesses nothing: the invitation stays open.
    holder = User.objects.create_user("holder@example.com", PASSWORD, phone="13800000000")
    guessed = accept(holder, invitation.token, wrong(code))
    assert codes(guessed) == [("code", "INVALID_CODE")]
    assert "验证码" in guessed["errors"][0]["message"]
    invitation.refresh_from_db()
    assert invitation.is_open and not Membership.objects.filter(user=holder).exists()

    # The farmer with the phone joins, and their account keeps the proved number.
    farmer = User.objects.create_user("farmer@example.com", PASSWORD)
    joined = accept(farmer, invitation.token, f" {code} ")
    assert joined["errors"] == [] and joined["member"]["role"] == "MEMBER"
    farmer.refresh_from_db()
    assert farmer.phone == "13912345678"
    # The code works once, and so does the link.
    assert codes(accept(holder, invitation.token, code)) == [("token", "USED")]


def test_without_texting_a_mobile_number_cannot_be_invited(coop, coop_user):
    answer = invite(coop_user, coop, phone="13912345678")
    assert codes(answer) == [("phone", "SMS_UNAVAILABLE")]
    assert "邮箱" in answer["errors"][0]["message"]
    assert not Invitation.objects.exists()


def test_codes_are_limited_in_sending_and_in_tries(sms_api, coop, coop_user):
    invite(coop_user, coop, phone="13912345678")
    token = Invitation.objects.get().token
    assert send_code(token)["errors"] == []
    # A second code within the minute is refused with the wait, nothing texted.
    again = send_code(token)
    assert codes(again) == [("token", "CODE_THROTTLED")] and "秒" in again["errors"][0]["message"]
    assert len([r for r in sms_api.requests if r["TemplateCode"] == "SMS_490002"]) == 1

    # Five a hour per number: older codes pushed back past the minute each time.
    for _sent in range(4):
        VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
        assert send_code(token)["errors"] == []
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert codes(send_code(token)) == [("token", "CODE_THROTTLED")]
    assert VerificationCode.objects.count() == 5

    # Five wrong tries kill the code: then even the right one is refused.
    code = texted_code(sms_api, "13912345678")
    farmer = User.objects.create_user("farmer@example.com", PASSWORD)
    for _try in range(5):
        assert codes(accept(farmer, token, wrong(code))) == [("code", "INVALID_CODE")]
    assert codes(accept(farmer, token, code)) == [("code", "INVALID_CODE")]
    assert not Membership.objects.filter(user=farmer).exists()


def test_one_client_cannot_text_many_numbers(sms_api, coop, coop_user):
    """Ten codes an hour per client address, whichever invitations it holds."""
    tokens = []
    for n in range(11):
        invite(coop_user, coop, phone=f"1391234{n:04d}")
        tokens.append(Invitation.objects.get(phone=f"1391234{n:04d}").token)
    for token in tokens[:10]:
        assert send_code(token)["errors"] == []
    assert codes(send_code(tokens[10])) == [("token", "CODE_THROTTLED")]


def test_closed_links_send_nothing_and_accepting_needs_an_account(coop, coop_user):
    invite(coop_user, coop, email="late@example.com")
    invitation = Invitation.objects.get()
    assert codes(send_code("no-such-token")) == [("token", "NOT_FOUND")]
    Invitation.objects.update(revoked_at=timezone.now())
    assert codes(send_code(invitation.token)) == [("token", "WITHDRAWN")]
    assert len(mail.outbox) == 1  # the invitation; no code
    assert not VerificationCode.objects.exists()
    assert refused(GraphQLClient().post(ACCEPT, {"token": invitation.token, "code": "123456"}))
