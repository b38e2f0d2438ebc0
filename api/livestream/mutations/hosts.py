"""Hosts and venues (operators; a host may change parts of their own profile)."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.permissions import AUTHENTICATED, OPERATOR, current_user, require
from livestream import models, services
from livestream.error_codes import LivestreamErrorCode as CodeEnum
from shop.models import Organization, User

from .. import types
from .base import LivestreamMutation, get_instance


class LiveHostInput(graphene.InputObjectType):
    display_name = graphene.String()
    birth_date = graphene.Date()
    platforms = graphene.List(graphene.NonNull(types.LivePlatformEnum))
    organization = graphene.ID()
    real_name_verified = graphene.Boolean()
    bio = graphene.String()
    is_active = graphene.Boolean()


def _platforms(values):
    return None if values is None else [getattr(v, "value", v) for v in values]


class LiveHostCreate(LivestreamMutation):
    host = graphene.Field(types.LiveHost)

    class Arguments:
        user_email = graphene.String(required=True, description="The host's account.")
        input = LiveHostInput(required=True)

    class Meta:
        description = "Create a host profile (operators)."
        permissions = (OPERATOR,)

    @classmethod
    def perform_mutation(cls, _root, info, user_email, input):
        user = User.objects.filter(email=(user_email or "").strip().lower()).first()
        if user is None:
            raise ValidationError({"user_email": ValidationError(
                _("No user with this e-mail."), code=CodeEnum.NOT_FOUND.value)})
        organization = (get_instance(Organization, input["organization"], "Organization", "organization")
                        if input.get("organization") else None)
        host = services.create_host(
            user=user, organization=organization, display_name=input.get("display_name"),
            birth_date=input.get("birth_date"), platforms=_platforms(input.get("platforms")),
            real_name_verified=input.get("real_name_verified") or False,
            bio=input.get("bio") or "")
        return cls(host=host)


class LiveHostUpdate(LivestreamMutation):
    host = graphene.Field(types.LiveHost)

    class Arguments:
        id = graphene.ID(required=True)
        input = LiveHostInput(required=True)

    class Meta:
        description = ("Update a host: operators anything, a host their own "
                       "name, platforms and introduction.")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        user = current_user(info)
        host = get_instance(models.Host, id, "LiveHost", "id")
        operator_only = {"birth_date", "real_name_verified", "is_active", "organization"}
        if not user.is_operator:
            require(host.user_id == user.pk, _("You can only change your own host profile"))
            require(not operator_only & {k for k, v in input.items() if v is not None},
                    _("Only operators can change verification, birth date or status"))
        changes = {k: v for k, v in input.items() if v is not None and k != "organization"}
        if "platforms" in changes:
            changes["platforms"] = _platforms(changes["platforms"])
        return cls(host=services.update_host(host, **changes))


class LiveVenueCreate(LivestreamMutation):
    venue = graphene.Field(types.LiveVenue)

    class Arguments:
        name = graphene.String(required=True)
        kind = types.LiveVenueKindEnum(required=True)
        address = graphene.String()

    class Meta:
        description = "Add a venue (operators)."
        permissions = (OPERATOR,)

    @classmethod
    def perform_mutation(cls, _root, info, name, kind, address=""):
        return cls(venue=services.create_venue(name=name, kind=getattr(kind, "value", kind),
                                               address=address or ""))
