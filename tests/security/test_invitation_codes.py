"""Invitations with verification codes, as an outsider who knows the invited mobile number
(and perhaps holds the link) attacks them through the real /graphql/ view: a code spent
once does not work again, a code for one invitation does not accept another, a guesser
is stopped, and nobody can make the invitee's texted code useless by asking for a sign-in
code for the number (which is texted to nobody while no account signs in with it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from shop.models import Invitation, Membership, Organization, User
from shop.verification import VerificationCode
from tests.clients import GraphQLClient
from tests.factories import PASSWORD, gid, make_member, make_org
from tests.invitations import texted_code, wrong

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
ERRORS = "errors { field code message }"
INVITE = f"""mutation($org: ID!, $input: OrganizationMemberInviteInput!) {{
  organizationMemberInvite(organization: $org, input: $input) {{ {ERRORS} }} }}"""
SEND_CODE = f"""mutation($token: String!) {{ organizationInvitationCodeSend(token: $token) {{
  sentTo {ERRORS} }} }}"""
ACCEPT = f"""mutation($token: String!, $code: String) {{
  organizationInvitationAccept(token: $token, code: $code) {{ member {{ role }} {ERRORS} }} }}"""
SIGN_IN_CODE = f"""mutation($phone: String!) {{ requestPhoneSignInCode(phone: $phone) {{
  {ERRORS} }} }}"""


def _invite(admin, org) -> Invitation:
    answer = GraphQLClient(admin, language="zh-hans").data(
        INVITE, {"org": gid("Organization", org.pk), "input": {"phone": PHONE}})
    assert answer["organizationMemberInvite"]["errors"] == []
    return Invitation.objects.filter(organization=org).latest("pk")


def _sent_a_minute_ago():
    """Let the next code be asked for (one a minute per address)."""
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))


def _send(token, client=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return (client or GraphQLClient()).data(SEND_CODE, {"token": token})[
            "organizationInvitationCodeSend"]


def _accept(user, token, code):
    return GraphQLClient(user).data(ACCEPT, {"token": token, "code": code})[
        "organizationInvitationAccept"]


def test_a_sign_in_code_asked_for_the_number_does_not_void_the_texted_one(sms_api, coop,
                                                                         coop_user):
    invitation = _invite(coop_user, coop)
    assert _send(invitation.token)["errors"] == []
    code = texted_code(sms_api, PHONE)
    texts = len(sms_api.requests)
    _sent_a_minute_ago()
    # Someone who knows the number asks for a sign-in code for it: no account signs in
    # with it, so nothing is texted (the invitee has no new code to type)...
    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = GraphQLClient().data(SIGN_IN_CODE, {"phone": PHONE})["requestPhoneSignInCode"]
    assert asked["errors"] == [] and len(sms_api.requests) == texts
    # ... and the code the invitee holds still lets them join.
    farmer = User.objects.create_user("farmer@example.com", PASSWORD)
    joined = _accept(farmer, invitation.token, code)
    assert joined["errors"] == [] and joined["member"]["role"] == "MEMBER"


def test_a_spent_code_accepts_no_second_invitation(sms_api, coop, coop_user, other_coop,
                                                   other_coop_user):
    first, second = _invite(coop_user, coop), _invite(other_coop_user, other_coop)
    assert _send(first.token)["errors"] == []
    code = texted_code(sms_api, PHONE)
    farmer = User.objects.create_user("farmer@example.com", PASSWORD)
    assert _accept(farmer, first.token, code)["errors"] == []
    again = _accept(farmer, second.token, code)
    assert [e["code"] for e in again["errors"]] == ["INVALID_CODE"]
    assert not Membership.objects.filter(user=farmer, organization=other_coop).exists()
    # Nor by anyone else, on the first link (used) or the second.
    other = User.objects.create_user("bystander@example.com", PASSWORD)
    for token in (first.token, second.token):
        assert _accept(other, token, code)["member"] is None
    assert not Membership.objects.filter(user=other).exists()


def test_guessing_stops_after_a_few_tries_even_with_the_right_code(sms_api, coop, coop_user):
    invitation = _invite(coop_user, coop)
    _send(invitation.token)
    code = texted_code(sms_api, PHONE)
    guesser = User.objects.create_user("guesser@example.com", PASSWORD)
    for _try in range(5):
        assert _accept(guesser, invitation.token, wrong(code))["member"] is None
    # The sixth try, with the right code, is refused too: the code is burnt.
    assert _accept(guesser, invitation.token, code)["member"] is None
    # Asking for more codes is limited per number: at most five an hour.
    sent = 1
    for _ask in range(10):
        _sent_a_minute_ago()
        sent += not _send(invitation.token)["errors"]
    assert sent <= 5
    assert not Membership.objects.filter(user=guesser).exists()


def test_the_authority_or_an_operator_cannot_accept_for_the_invitee(sms_api, coop, coop_user,
                                                                    operator_user):
    """Power elsewhere gives no way in: an operator and the brand authority's members
    holding the link (and a wrong code) are refused like anyone."""
    authority = make_member(make_org("品牌办", "brand-office", Organization.Kind.BRAND_AUTHORITY),
                            "reviewer@example.com")
    invitation = _invite(coop_user, coop)
    _send(invitation.token)
    code = texted_code(sms_api, PHONE)
    for user in (operator_user, authority):
        answer = _accept(user, invitation.token, wrong(code))
        assert answer["member"] is None and answer["errors"], user
    invitation.refresh_from_db()
    assert invitation.is_open
