"""Members of an organisation and its open invitations (a county-pavilion extension), and
the query of them: ``organizationMembers`` for any member of the organisation,
``organizationInvitations`` for its administrators."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _

from api.core.ids import resolve_global_id
from api.core.nodes import ModelObjectType
from api.core.permissions import refuse, require_user
from shop import models
from shop.services import memberships

from .accounts import Organization
from .users import MembershipRoleEnum


class OrganizationMember(ModelObjectType):
    """One person's membership of an organisation."""

    organization = graphene.Field(Organization, required=True)
    role = graphene.Field(MembershipRoleEnum, required=True)
    email = graphene.String(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    full_name = graphene.String(required=True)
    phone = graphene.String(description="The member's mobile number, to administrators only.")
    joined_at = graphene.DateTime(required=True)

    class Meta:
        model = models.Membership

    resolve_role = staticmethod(lambda root, _info: root.role)
    resolve_email = staticmethod(lambda root, _info: root.user.email or "")
    resolve_first_name = staticmethod(lambda root, _info: root.user.first_name)
    resolve_last_name = staticmethod(lambda root, _info: root.user.last_name)
    resolve_full_name = staticmethod(lambda root, _info: root.user.get_full_name())
    resolve_joined_at = staticmethod(lambda root, _info: root.created_at)

    @staticmethod
    def resolve_phone(root, info):
        # Asked once per organisation and request, not once per member listed.
        answers = info.context.__dict__.setdefault("_member_admin_of", {})
        if root.organization_id not in answers:
            answers[root.organization_id] = memberships.is_admin(require_user(info),
                                                                 root.organization)
        return root.user.phone if answers[root.organization_id] else None


class OrganizationInvitation(ModelObjectType):
    """An open, accepted or withdrawn invitation to join an organisation."""

    organization = graphene.Field(Organization, required=True)
    role = graphene.Field(MembershipRoleEnum, required=True)
    phone = graphene.String(required=True)
    email = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    expires_at = graphene.DateTime(required=True)
    accepted_at = graphene.DateTime()
    is_open = graphene.Boolean(required=True)

    class Meta:
        model = models.Invitation

    resolve_role = staticmethod(lambda root, _info: root.role)


def organization_of(info, global_id: str | None) -> models.Organization:
    """The organisation ``global_id`` names, or the caller's only one when none is named;
    a refusal unless the caller is a member of it."""
    user = require_user(info)
    if global_id:
        _type, pk = resolve_global_id(global_id, "Organization")
        organization = (models.Organization.objects.filter(pk=int(pk), is_active=True).first()
                        if pk.isdigit() and len(pk) < 18 else None)
    else:
        ids = user.organization_ids()
        organization = (models.Organization.objects.filter(pk=next(iter(ids))).first()
                        if len(ids) == 1 else None)
        if organization is None:
            refuse(_("Name the organisation: you belong to none or to "
                                       "several."))
    if organization is None or organization.pk not in user.organization_ids():
        refuse(_("You can only see the members of your own organisation."))
    return organization


class MemberQueries(graphene.ObjectType):
    organization_members = graphene.List(
        graphene.NonNull(OrganizationMember), required=True,
        organization=graphene.ID(description="The organisation; optional when you belong to "
                                             "exactly one."),
        description="Members of your organisation, administrators first.")
    organization_invitations = graphene.List(
        graphene.NonNull(OrganizationInvitation), required=True,
        organization=graphene.ID(),
        description="Open invitations of your organisation (its administrators only).")

    @staticmethod
    def resolve_organization_members(_root, info, organization=None):
        org = organization_of(info, organization)
        return list(memberships.members_of(org).select_related("organization"))

    @staticmethod
    def resolve_organization_invitations(_root, info, organization=None):
        org = organization_of(info, organization)
        if not memberships.is_admin(require_user(info), org):
            refuse(_("Only an administrator of this organisation can manage "
                                       "its members."))
        return list(memberships.open_invitations(org).select_related("organization"))
