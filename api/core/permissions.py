"""Permission checks, in one place: every refusal of the API is raised from this module.

Rules about who may do what to which organisation's records live here. A mutation declares
the checks that need no object (``Meta.permissions``, e.g. ``(AUTHENTICATED,)``); checks
that need the object (member of the record's organisation, the buyer of the order) are
called by the mutation or resolver once it has the object. A refusal is a top-level
GraphQL error with ``extensions.exception.code == "PermissionDenied"`` (Saleor's shape)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from graphql import GraphQLError


class PermissionDeniedError(GraphQLError):
    def __init__(self, message: str | None = None):
        super().__init__(
            message or _("You do not have permission to perform this action"),
            extensions={"exception": {"code": "PermissionDenied"}},
        )


def refuse(message: str | None = None):
    """Refuse the caller: the one place an API permission error is raised."""
    raise PermissionDeniedError(message)


def require(condition, message: str | None = None):
    """Refuse with ``message`` unless ``condition`` holds."""
    if not condition:
        refuse(message)


# Who the caller is -----------------------------------------------------------------------

def current_user(info):
    user = getattr(info.context, "user", None)
    return user if user is not None and user.is_authenticated and user.is_active else None


def is_order_staff(user) -> bool:
    """Pavilion operators and Django staff see and manage every order."""
    return user is not None and (user.is_staff or user.is_operator)


def can_manage_organization(user, organization_id: int | None) -> bool:
    """Operators manage every organisation's catalogue; members manage their own."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_operator:
        return True
    return organization_id is not None and organization_id in user.organization_ids()


def visible_organization_ids(info) -> set[int] | None:
    """Organisations whose unpublished records the caller may see: ``None`` means all
    (operators), an empty set means none (anonymous shoppers)."""
    user = current_user(info)
    if user is None:
        return set()
    if user.is_operator:
        return None
    return user.organization_ids()


# Checks that refuse ----------------------------------------------------------------------

def require_user(info):
    """The signed-in user, or a refusal for anonymous callers."""
    user = current_user(info)
    if user is None:
        refuse(_("You need to sign in to perform this action"))
    return user


def require_operator(info, message: str | None = None):
    """A pavilion operator."""
    user = require_user(info)
    require(user.is_operator, message or _("Only the pavilion's operators can do this"))
    return user


def require_order_staff(info, message: str | None = None):
    """An operator or Django staff member (orders)."""
    user = require_user(info)
    require(is_order_staff(user), message)
    return user


def require_organization(info, organization_id: int | None):
    """An operator, or a member of the organisation that owns the record."""
    user = require_user(info)
    require(can_manage_organization(user, organization_id),
            _("You can only manage your own organisation's records"))
    return user


def require_member(info, organization_id: int):
    """A member of the organisation itself (operators included only if they are members)."""
    user = require_user(info)
    require(organization_id in user.organization_ids(),
            _("You can only manage your own organisation's records"))
    return user


# Declared permissions of mutations (``Meta.permissions``) --------------------------------

AUTHENTICATED = require_user
OPERATOR = require_operator
