"""Relay global IDs: ``base64("Type:pk")``, as in Saleor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphql import GraphQLError
from graphql_relay import from_global_id, to_global_id

__all__ = ["to_global_id", "resolve_global_id", "pk_from_global_id"]


def resolve_global_id(global_id: str, expected_type: str | None = None) -> tuple[str, str]:
    """Decode ``global_id``; raise a ``GraphQLError`` when it is malformed or of another type."""
    try:
        type_name, pk = from_global_id(global_id)
    except Exception:
        type_name, pk = "", ""
    if not type_name or not pk:
        raise GraphQLError(_("Couldn't resolve id: %(id)s.") % {"id": global_id})
    if expected_type and type_name != expected_type:
        raise GraphQLError(
            _("Invalid ID: %(id)s. Expected: %(expected)s, received: %(received)s.")
            % {"id": global_id, "expected": expected_type, "received": type_name}
        )
    return type_name, pk


def pk_from_global_id(global_id: str, expected_type: str, field: str | None = None) -> int:
    """For mutations: the integer pk of ``global_id`` or a field ``ValidationError``."""
    try:
        _type, pk = resolve_global_id(global_id, expected_type)
        return int(pk)
    except (GraphQLError, ValueError) as exc:
        error = ValidationError(str(exc), code="graphql_error")
        raise ValidationError({field: error} if field else error) from None
