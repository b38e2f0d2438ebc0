"""Members of an organisation through the real /graphql/ view: an administrator invites a
colleague by e-mail or mobile number (texted through the SMS stand-in), the colleague
accepts once, roles change and members leave, the last administrator always stays; a
plain member, another organisation's administrator and an anonymous caller are refused;
used, expired and other organisations' links say so in Chinese."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from shop.models import Invitation, Membership, Notification, User
from tests.clients import GraphQLClient, refused
from tests.factories import PASSWORD, gid, make_member
from tests.invitations import mailed_code
from tests.sms_api import FakeSmsApi

pytestmark = pytest.mark.django_db

INVITE = """mutation($org: ID!, $input: OrganizationMemberInviteInput!) {
  organizationMemberInvite(organization: $org, input: $input) {
    invitation { id role phone email isOpen expiresAt organization { name } }
    errors { field code message } } }"""
ACCEPT = """mutation($token: String!, $org: ID, $code: String) {
  organizationInvitationAccept(token: $token, organization: $org, code: $code) {
    member { id role email organization { name } } errors { field code message } } }"""
ROLE = """mutation($id: ID!, $role: MembershipRoleEnum!) {
  organizationMemberRoleUpdate(id: $id, role: $role) {
    member { id role } errors { field code message } } }"""
REMOVE = """mutation($id: ID!) { organizationMemberRemove(id: $id) {
  organization { name } errors { field code message } } }"""
MEMBERS = """query($org: ID) { organizationMembers(organization: $org) {
  id role email fullName phone joinedAt } }"""
INVITATIONS = """query($org: ID) { organizationInvitations(organization: $org) {
  id phone email role } }"""


@pytest.fixture
def plain_member(coop):
    user = make_member(coop, "plain@example.com", role=Membership.Role.MEMBER)
    User.objects.filter(pk=user.pk).update(phone="13700000001")
    return user


SEND_CODE = """mutation($token: String!) { organizationInvitationCodeSend(token: $token) {
  sentTo errors { field code message } } }"""
TEMPLATES = {"member_invitation": "SMS_490001", "verification_code": "SMS_490002"}


@pytest.fixture
def sms_api(settings):
    """Text messages to the SMS stand-in, with templates for invitations and codes."""
    api = FakeSmsApi()
    api.configure(settings, TEMPLATES)
    yield api
    api.close()


def send_code(token):
    """Ask for the invitation's code as the invitee's phone or browser does (the message
    leaves after the commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = GraphQLClient().data(SEND_CODE, {"token": token})
    return answer["organizationInvitationCodeSend"]


def invite(user, org, **values):
    return GraphQLClient(user).data(INVITE, {"org": gid("Organization", org.pk),
                                             "input": values})["organizationMemberInvite"]


def member_id(user, org):
    return gid("OrganizationMember", Membership.objects.get(user=user, organization=org).pk)


def test_invite_by_email_accept_once(coop, coop_user):
    mail.outbox.clear()
    answer = invite(coop_user, coop, email="Colleague@Example.com", role="ADMIN")
    assert answer["errors"] == []
    invitation = answer["invitation"]
    assert invitation["email"] == "colleague@example.com" and invitation["role"] == "ADMIN"
    assert invitation["isOpen"] and invitation["organization"]["name"] == coop.name
    token = Invitation.objects.get().token
    # The e-mail names the organisation and carries the link with the token.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["colleague@example.com"]
    assert coop.name in mail.outbox[0].subject
    assert f"/work/join/{token}/" in mail.outbox[0].body

    colleague = User.objects.create_user("colleague@example.com", PASSWORD)
    client = GraphQLClient(colleague, language="zh-hans")
    assert send_code(token) == {"sentTo": "c***@example.com", "errors": []}
    accepted = client.data(ACCEPT, {"token": token, "code": mailed_code(
        "colleague@example.com")})["organizationInvitationAccept"]
    assert accepted["errors"] == []
    assert accepted["member"]["role"] == "ADMIN"
    assert accepted["member"]["organization"]["name"] == coop.name
    assert Membership.objects.get(user=colleague, organization=coop).role == "admin"

    # Single use: the same link again, even by someone else, is refused.
    stranger = User.objects.create_user("stranger@example.com", PASSWORD)
    again = GraphQLClient(stranger, language="zh-hans").data(
        ACCEPT, {"token": token})["organizationInvitationAccept"]
    assert again["member"] is None
    assert again["errors"][0]["code"] == "USED" and again["errors"][0]["field"] == "token"
    assert "已被接受" in again["errors"][0]["message"]
    assert not Membership.objects.filter(user=stranger).exists()


def test_invite_by_phone_texts_the_link_and_tells_the_account(sms_api, coop, coop_user):
    person = User.objects.create_user("farmer@example.com", PASSWORD, phone="13912345678")
    answer = invite(coop_user, coop, phone="139 1234 5678")
    assert answer["errors"] == [] and answer["invitation"]["phone"] == "13912345678"
    token = Invitation.objects.get().token
    assert len(sms_api.requests) == 1
    params = sms_api.requests[0]
    assert params["PhoneNumbers"] == "13912345678"
    assert params["TemplateCode"] == "SMS_490001"
    assert json.loads(params["TemplateParam"])["number"] == token
    # The person with that number has an account: told on the platform too.
    notice = Notification.objects.get(user=person, kind="member_invitation")
    assert coop.name in notice.subject and token in notice.body
    # A second invitation to the same number withdraws the first link.
    invite(coop_user, coop, phone="13912345678")
    first = Invitation.objects.get(token=token)
    assert first.revoked_at is not None
    result = GraphQLClient(person, language="zh-hans").data(
        ACCEPT, {"token": token})["organizationInvitationAccept"]
    assert result["errors"][0]["code"] == "WITHDRAWN"


def test_invalid_invitations_are_field_errors(coop, coop_user, plain_member):
    client = GraphQLClient(coop_user, language="zh-hans")
    org = gid("Organization", coop.pk)
    cases = [({}, "phone", "REQUIRED"),
             ({"phone": "12345"}, "phone", "INVALID"),
             ({"email": "not-an-address"}, "email", "INVALID"),
             ({"email": "plain@example.com"}, "email", "ALREADY_MEMBER")]
    for values, field, code in cases:
        answer = client.data(INVITE, {"org": org, "input": values})["organizationMemberInvite"]
        assert answer["invitation"] is None
        assert [(e["field"], e["code"]) for e in answer["errors"]] == [(field, code)], values
        assert any("\u4e00" <= ch <= "\u9fff" for ch in answer["errors"][0]["message"])
    assert not Invitation.objects.exists()


def test_only_the_organisations_own_admin_manages_members(
        coop, coop_user, plain_member, other_coop_user):
    org = gid("Organization", coop.pk)
    target = member_id(plain_member, coop)
    for caller in (plain_member, other_coop_user, None):
        client = GraphQLClient(caller)
        assert refused(client.post(INVITE, {"org": org, "input": {"email": "x@example.com"}}))
        assert refused(client.post(ROLE, {"id": target, "role": "ADMIN"}))
        assert refused(client.post(REMOVE, {"id": member_id(coop_user, coop)}))
    assert not Invitation.objects.exists()
    assert Membership.objects.get(user=plain_member, organization=coop).role == "member"
    assert Membership.objects.filter(organization=coop).count() == 2


def test_roles_change_and_the_last_admin_stays(coop, coop_user, plain_member):
    client = GraphQLClient(coop_user, language="zh-hans")
    own = member_id(coop_user, coop)
    # The only administrator can neither step down nor be removed.
    answer = client.data(ROLE, {"id": own, "role": "MEMBER"})["organizationMemberRoleUpdate"]
    assert answer["member"] is None
    assert [(e["field"], e["code"]) for e in answer["errors"]] == [("role", "LAST_ADMIN")]
    assert "至少" in answer["errors"][0]["message"]
    answer = client.data(REMOVE, {"id": own})["organizationMemberRemove"]
    assert [e["code"] for e in answer["errors"]] == ["LAST_ADMIN"]
    assert Membership.objects.get(user=coop_user, organization=coop).role == "admin"

    # With a second administrator, the first may step down, then be removed by the second.
    promoted = client.data(ROLE, {"id": member_id(plain_member, coop), "role": "ADMIN"})
    assert promoted["organizationMemberRoleUpdate"]["member"]["role"] == "ADMIN"
    stepped = client.data(ROLE, {"id": own, "role": "MEMBER"})["organizationMemberRoleUpdate"]
    assert stepped["errors"] == [] and stepped["member"]["role"] == "MEMBER"
    # Now a plain member, the first is refused...
    assert refused(client.post(REMOVE, {"id": member_id(plain_member, coop)}))
    removed = GraphQLClient(plain_member).data(REMOVE, {"id": own})["organizationMemberRemove"]
    assert removed["errors"] == [] and removed["organization"]["name"] == coop.name
    assert list(Membership.objects.filter(organization=coop).values_list("user__email", "role")) \
        == [("plain@example.com", "admin")]


def test_expired_and_other_organisations_links_say_why(settings, coop, coop_user, other_coop):
    settings.MEMBER_INVITATION_DAYS = 7
    invite(coop_user, coop, email="late@example.com")
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    late = User.objects.create_user("late@example.com", PASSWORD)
    client = GraphQLClient(late, language="zh-hans")

    wrong = client.data(ACCEPT, {"token": invitation.token,
                                 "org": gid("Organization", other_coop.pk)})
    error = wrong["organizationInvitationAccept"]["errors"][0]
    assert error["code"] == "WRONG_ORGANIZATION"
    assert coop.name in error["message"] and other_coop.name in error["message"]

    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.data(ACCEPT, {"token": invitation.token})["organizationInvitationAccept"]
    assert expired["errors"][0]["code"] == "EXPIRED" and "过期" in expired["errors"][0]["message"]
    unknown = client.data(ACCEPT, {"token": "no-such-token"})["organizationInvitationAccept"]
    assert unknown["errors"][0]["code"] == "NOT_FOUND"
    assert not Membership.objects.filter(user=late).exists()
    assert refused(GraphQLClient().post(ACCEPT, {"token": invitation.token}))


def test_members_query_per_organisation(sms_api, coop, coop_user, plain_member,
                                        other_coop_user):
    invite(coop_user, coop, phone="13800000002")
    org = gid("Organization", coop.pk)
    as_admin = GraphQLClient(coop_user).data(MEMBERS, {"org": org})["organizationMembers"]
    assert [(m["email"], m["role"]) for m in as_admin] == [("coop@example.com", "ADMIN"),
                                                           ("plain@example.com", "MEMBER")]
    assert as_admin[1]["phone"] == "13700000001"
    # A member reads the list (without phone numbers), defaulting to their one organisation.
    as_member = GraphQLClient(plain_member).data(MEMBERS)["organizationMembers"]
    assert [m["email"] for m in as_member] == ["coop@example.com", "plain@example.com"]
    assert all(m["phone"] is None for m in as_member)
    # Invitations are the administrators'.
    invitations = GraphQLClient(coop_user).data(INVITATIONS, {"org": org})
    assert [i["phone"] for i in invitations["organizationInvitations"]] == ["13800000002"]
    assert refused(GraphQLClient(plain_member).post(INVITATIONS, {"org": org}))
    # Another organisation's administrator and an anonymous caller see nothing.
    assert refused(GraphQLClient(other_coop_user).post(MEMBERS, {"org": org}))
    assert refused(GraphQLClient().post(MEMBERS, {"org": org}))
