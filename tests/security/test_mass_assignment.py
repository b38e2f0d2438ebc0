"""Inputs that carry fields their caller may not set: a live host verifying their own real
name, reactivating or moving themselves to another organisation; a plain member of a
cooperative making themselves its admin or inviting an admin. Each is refused and
nothing changes; the same fields from those allowed to set them go through."""

from __future__ import annotations

import pytest

from livestream.models import Host
from shop.models import Invitation, Membership
from tests.clients import GraphQLClient
from tests.factories import gid, make_member

pytestmark = pytest.mark.django_db

HOST_UPDATE = """mutation($id: ID!, $input: LiveHostInput!) {
  liveHostUpdate(id: $id, input: $input) {
    host { id } errors { field code message } } }"""
ROLE = """mutation($id: ID!, $role: MembershipRoleEnum!) {
  organizationMemberRoleUpdate(id: $id, role: $role) {
    member { role } errors { field code message } } }"""
INVITE = """mutation($organization: ID!, $input: OrganizationMemberInviteInput!) {
  organizationMemberInvite(organization: $organization, input: $input) {
    invitation { id } errors { field code message } } }"""


def _changed_nothing(result, name):
    payload = (result.get("data") or {}).get(name)
    assert result.get("errors") or (payload and payload["errors"]), result


@pytest.mark.parametrize("changes", [
    {"realNameVerified": True}, {"isActive": True}, {"birthDate": "2012-01-01"},
    {"organization": "OTHER"}, {"displayName": "小王", "realNameVerified": True},
])
def test_a_host_cannot_verify_reactivate_or_move_themselves(changes, host, host_user,
                                                           other_coop):
    Host.objects.filter(pk=host.pk).update(real_name_verified=False, is_active=False)
    before = Host.objects.filter(pk=host.pk).values().get()
    if changes.get("organization") == "OTHER":
        changes = {"organization": gid("Organization", other_coop.pk)}
    result = GraphQLClient(host_user).post(HOST_UPDATE, {"id": gid("LiveHost", host.pk),
                                                         "input": changes})
    _changed_nothing(result, "liveHostUpdate")
    assert Host.objects.filter(pk=host.pk).values().get() == before


def test_a_host_may_change_their_own_name(host, host_user):
    result = GraphQLClient(host_user).data(HOST_UPDATE, {"id": gid("LiveHost", host.pk),
                                                         "input": {"displayName": "柿饼王"}})
    assert result["liveHostUpdate"]["errors"] == []
    assert Host.objects.get(pk=host.pk).display_name == "柿饼王"


def test_a_plain_member_cannot_make_themselves_admin_or_invite_one(coop, coop_user):
    member = make_member(coop, "member@example.com", Membership.Role.MEMBER)
    membership = member.memberships.get(organization=coop)
    client = GraphQLClient(member)
    _changed_nothing(client.post(ROLE, {"id": gid("OrganizationMember", membership.pk),
                                        "role": "ADMIN"}), "organizationMemberRoleUpdate")
    assert Membership.objects.get(pk=membership.pk).role == Membership.Role.MEMBER
    _changed_nothing(client.post(INVITE, {"organization": gid("Organization", coop.pk),
                                          "input": {"email": "friend@example.com",
                                                    "role": "ADMIN"}}),
                     "organizationMemberInvite")
    assert not Invitation.objects.exists()

    # The cooperative's admin may.
    promoted = GraphQLClient(coop_user).data(ROLE, {"id": gid("OrganizationMember",
                                                              membership.pk), "role": "ADMIN"})
    assert promoted["organizationMemberRoleUpdate"]["member"]["role"] == "ADMIN"
