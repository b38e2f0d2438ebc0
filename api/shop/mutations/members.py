"""Members of an organisation (a county-pavilion extension, shaped as Saleor's mutations):
``organizationMemberInvite``, ``organizationInvitationCodeSend``,
``organizationInvitationAccept``, ``organizationMemberRoleUpdate``,
``organizationMemberRemove`` and ``organizationInvitationWithdraw``. Signed-in callers
only, but for sending an invitation's code (the invitee may have no account yet); the
rules, and the refusal of anyone but the organisation's own administrator, are
``shop.services.memberships``."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied

from api.core.ids import pk_from_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import AUTHENTICATED
from api.core.types import error_type
from shop import throttles
from shop.error_codes import OrganizationMemberErrorCode as CodeEnum
from shop.models import Invitation, Membership, Organization
from shop.services import memberships, verification

from ..types.accounts import Organization as OrganizationType
from ..types.members import OrganizationInvitation, OrganizationMember
from ..types.users import MembershipRoleEnum

OrganizationMemberErrorCode = graphene.Enum.from_enum(CodeEnum)
OrganizationMemberError = error_type("OrganizationMemberError", OrganizationMemberErrorCode)


class MemberMutation(BaseMutation):
    error_type_class = OrganizationMemberError
    error_code_enum = CodeEnum

    class Meta:
        abstract = True


def _role(value) -> str:
    """A role given as the enum's member or its value."""
    return getattr(value, "value", value) or Membership.Role.MEMBER


def _organization(global_id: str) -> Organization:
    pk = pk_from_global_id(global_id, "Organization", "organization")
    organization = Organization.objects.filter(pk=pk, is_active=True).first()
    if organization is None:
        # Nothing to learn about organisations one is no administrator of.
        raise PermissionDenied
    return organization


def _membership(global_id: str) -> Membership:
    pk = pk_from_global_id(global_id, "OrganizationMember", "id")
    membership = Membership.objects.select_related("organization", "user").filter(pk=pk).first()
    if membership is None:
        raise PermissionDenied
    return membership


class OrganizationMemberInviteInput(graphene.InputObjectType):
    phone = graphene.String(description="The colleague's mainland mobile number (texted).")
    email = graphene.String(description="Or their e-mail address.")
    role = graphene.Field(MembershipRoleEnum, description="MEMBER when not given.")


class OrganizationMemberInvite(MemberMutation):
    invitation = graphene.Field(OrganizationInvitation)

    class Arguments:
        organization = graphene.ID(required=True)
        input = OrganizationMemberInviteInput(required=True)

    class Meta:
        description = ("Invites a colleague to join the organisation; the link goes by text "
                       "message or e-mail (the organisation's administrators only).")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, organization, input):
        invitation = memberships.invite(
            _organization(organization), info.context.user, phone=input.get("phone") or "",
            email=input.get("email") or "", role=_role(input.get("role")))
        return cls(invitation=invitation)


class OrganizationInvitationCodeSend(MemberMutation):
    sent_to = graphene.String(description="The invited number or address, partly hidden "
                                          "(138****5678).")

    class Arguments:
        token = graphene.String(required=True, description="The token of the invitation's link.")

    class Meta:
        description = ("Sends a verification code to the address the invitation was sent to "
                       "(and nowhere else); accepting takes it. Open to anyone holding the "
                       "link, since the invitee may have no account yet; limited to one "
                       "code a minute and a few an hour per address and per client.")

    @classmethod
    def perform_mutation(cls, _root, info, token):
        invitation = memberships.send_code(token, throttles.client_address(info.context))
        return cls(sent_to=verification.masked(invitation.address))


class OrganizationInvitationAccept(MemberMutation):
    member = graphene.Field(OrganizationMember)

    class Arguments:
        token = graphene.String(required=True, description="The token of the invitation's link.")
        organization = graphene.ID(description="The organisation the caller means to join; "
                                               "refused when the invitation is another's.")
        code = graphene.String(description="The verification code sent to the invited number "
                                           "or address (organizationInvitationCodeSend).")

    class Meta:
        description = ("The signed-in user accepts an invitation and joins its organisation: "
                       "with the code sent to the invited address, and for an e-mail "
                       "invitation as the account of that address.")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, token, organization=None, code=None):
        named = None
        if organization:
            pk = pk_from_global_id(organization, "Organization", "organization")
            named = Organization.objects.filter(pk=pk).first()
        return cls(member=memberships.accept_invitation(token, info.context.user, named,
                                                        code=code or ""))


class OrganizationMemberRoleUpdate(MemberMutation):
    member = graphene.Field(OrganizationMember)

    class Arguments:
        id = graphene.ID(required=True, description="The OrganizationMember's ID.")
        role = graphene.Argument(MembershipRoleEnum, required=True)

    class Meta:
        description = ("Changes a member's role; the last administrator stays one "
                       "(the organisation's administrators only).")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id, role):
        return cls(member=memberships.change_role(_membership(id), info.context.user,
                                                      _role(role)))


class OrganizationMemberRemove(MemberMutation):
    organization = graphene.Field(OrganizationType)

    class Arguments:
        id = graphene.ID(required=True, description="The OrganizationMember's ID.")

    class Meta:
        description = ("Removes a member from the organisation; never the last administrator "
                       "(the organisation's administrators only).")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id):
        membership = _membership(id)
        memberships.remove_member(membership, info.context.user)
        return cls(organization=membership.organization)


class OrganizationInvitationWithdraw(MemberMutation):
    invitation = graphene.Field(OrganizationInvitation)

    class Arguments:
        id = graphene.ID(required=True, description="The OrganizationInvitation's ID.")

    class Meta:
        description = "Withdraws an open invitation (the organisation's administrators only)."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id):
        pk = pk_from_global_id(id, "OrganizationInvitation", "id")
        invitation = Invitation.objects.select_related("organization").filter(pk=pk).first()
        if invitation is None:
            raise PermissionDenied
        return cls(invitation=memberships.withdraw_invitation(invitation, info.context.user))


class MemberMutations(graphene.ObjectType):
    organization_member_invite = OrganizationMemberInvite.Field()
    organization_invitation_code_send = OrganizationInvitationCodeSend.Field()
    organization_invitation_accept = OrganizationInvitationAccept.Field()
    organization_member_role_update = OrganizationMemberRoleUpdate.Field()
    organization_member_remove = OrganizationMemberRemove.Field()
    organization_invitation_withdraw = OrganizationInvitationWithdraw.Field()
