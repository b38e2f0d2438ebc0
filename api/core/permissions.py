"""Permission checks, in one place. Rules about who may do what to which organisation's
records live here; resolvers and mutations call these helpers before any service."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from graphql import GraphQLError


class PermissionDeniedError(GraphQLError):
    def __init__(self, message: str | None = None):
        super().__init__(
            message or _("You do not have permission to perform this action"),
            extensions={"exception": {"code": "PermissionDenied"}},
        )


def current_user(info):
    user = getattr(info.context, "user", None)
    return user if user is not None and user.is_authenticated and user.is_active else None


def require_user(info):
    """The signed-in user, or a permission error for anonymous callers."""
    user = current_user(info)
    if user is None:
        raise PermissionDenied(_("You need to sign in to perform this action"))
    return user


def can_manage_organization(user, organization_id: int | None) -> bool:
    """Operators manage every organisation's catalogue; members manage their own."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_operator:
        return True
    return organization_id is not None and organization_id in user.organization_ids()


def require_organization(info, organization_id: int | None):
    user = require_user(info)
    if not can_manage_organization(user, organization_id):
        raise PermissionDenied(_("You can only manage your own organisation's records"))
    return user


def visible_organization_ids(info) -> set[int] | None:
    """Organisations whose unpublished records the caller may see: ``None`` means all
    (operators), an empty set means none (anonymous shoppers)."""
    user = current_user(info)
    if user is None:
        return set()
    if user.is_operator:
        return None
    return user.organization_ids()
